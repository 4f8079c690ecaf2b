public import AIDJAudio
import AIDJCore
import Foundation

/// The whole analysis of one file: decode once, measure loudness on the original signal, mix down to mono,
/// resample to 22 050 Hz, run the short-time analysis, then the track-level extractors (tempo, beats, meter,
/// key, cues, mood).
///
/// Streams in chunks: memory grows only with the per-frame envelopes (≈ 200 bytes per 23 ms frame, ≈ 32 MB for
/// an hour). Holds FFTW plans and resampler state: make one per worker thread and reuse it for many files.
public final class TrackAnalyzer {
    /// The analysis rate and resampling quality, and the frame analyzer's parameters.
    public struct Configuration: Sendable {
        /// Rate of the analysis signal (Hz). Default 22 050, as librosa, so figures compare.
        public var analysisSampleRate = 22_050.0
        public var frames = FrameAnalyzer.Configuration()
        public var resamplerQuality = Resampler.Quality.medium
        public init() {}
    }

    public let configuration: Configuration
    /// Time per stage over all files analysed by this instance.
    public private(set) var timings = StageTimings()
    private let frameAnalyzer: FrameAnalyzer

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var frameConfiguration = configuration.frames
        frameConfiguration.sampleRate = configuration.analysisSampleRate
        frameAnalyzer = FrameAnalyzer(configuration: frameConfiguration)
    }

    /// Analyses the audio file at `path`.
    ///
    /// - Throws: `AudioError` naming the file when it cannot be opened or decoded (not audio, corrupt, truncated).
    public func analyze(path: String) throws(AudioError) -> TrackAnalysis {
        let decoded = try decode(path: path)
        return summarize(
            decoded.features, loudness: decoded.loudness, duration: decoded.duration, sampleRate: decoded.sampleRate,
            channels: decoded.channels, format: decoded.format, tags: decoded.tags)
    }

    /// The short-time features of the audio file at `path`, without the track-level stages (for fitting models
    /// on them).
    ///
    /// - Throws: `AudioError` naming the file when it cannot be opened or decoded.
    public func frameFeatures(path: String) throws(AudioError) -> FrameFeatures {
        try decode(path: path).features
    }

    /// A decoded file's frame features, loudness and description.
    private struct Decoded {
        var features: FrameFeatures
        var loudness: LoudnessMeter.Measurement
        var duration: Double
        var sampleRate: Int
        var channels: Int
        var format: String
        var tags: AudioTags
    }

    /// Decodes, meters, mixes down, resamples and frames the file at `path`, timing each stage.
    private func decode(path: String) throws(AudioError) -> Decoded {
        var clock = now()
        func lap(_ stage: StageTimings.Stage) {
            let t = now()
            timings.add(stage, t - clock)
            clock = t
        }
        let reader = try AudioFileReader(path: path)
        let tags = TagReader.tags(path: path, reader: reader)
        lap(.other)
        let channels = reader.channels
        let meter = try LoudnessMeter(sampleRate: reader.sampleRate, channels: channels, source: path)
        let resampler = try Resampler(
            inputRate: Double(reader.sampleRate), outputRate: configuration.analysisSampleRate,
            quality: configuration.resamplerQuality, source: path)
        let chunk = AudioFileReader.defaultChunkFrames
        var interleaved = [Float](repeating: 0, count: chunk * channels)
        var mono = [Float](repeating: 0, count: chunk)
        var resampled: [Float] = []
        resampled.reserveCapacity(chunk)
        var frames = 0
        let featuresBefore = frameAnalyzer.featureSeconds
        frameAnalyzer.reset()
        lap(.other)
        while true {
            let count = try interleaved.withUnsafeMutableBufferPointer { (buffer) throws(AudioError) -> Int in
                try reader.read(into: buffer.baseAddress!, frames: chunk)
            }
            lap(.decode)
            if count == 0 { break }
            frames += count
            interleaved.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: count) }
            lap(.loudness)
            Interleaving.mixDown(interleaved, channels: channels, frames: count, into: &mono)
            resampled.removeAll(keepingCapacity: true)
            try mono.withUnsafeBufferPointer { (m) throws(AudioError) in
                try resampler.process(m.baseAddress!, count: count, output: &resampled)
            }
            lap(.resample)
            resampled.withUnsafeBufferPointer { frameAnalyzer.process($0) }
            lap(.stft)
        }
        guard frames > 0 else { throw AudioError(.decode, path: path, reason: "no audio frames") }
        resampled.removeAll(keepingCapacity: true)
        try resampler.flush(output: &resampled)
        lap(.resample)
        resampled.withUnsafeBufferPointer { frameAnalyzer.process($0) }
        let features = frameAnalyzer.finish()
        let loudness = meter.measurement()
        lap(.stft)
        // The frame analyzer timed FFTs and per-frame features itself; move the feature share out of `stft`.
        let featureShare = frameAnalyzer.featureSeconds - featuresBefore
        timings.add(.stft, -featureShare)
        timings.add(.features, featureShare)
        let duration = Double(frames) / Double(reader.sampleRate)
        timings.audioSeconds += duration
        return Decoded(
            features: features, loudness: loudness, duration: duration, sampleRate: reader.sampleRate,
            channels: channels, format: reader.formatDescription, tags: tags)
    }

    /// Analyses a signal in memory (tests, synthesized material). Same pipeline as files, minus decoding.
    ///
    /// - Throws: `AudioError` when the buffer's rate or channel count cannot be metered or resampled.
    public func analyze(_ buffer: AudioBuffer, tags: AudioTags = AudioTags()) throws(AudioError) -> TrackAnalysis {
        let meter = try LoudnessMeter(sampleRate: buffer.sampleRate, channels: buffer.channelCount)
        let interleaved = Interleaving.interleave(buffer.channels)
        interleaved.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: buffer.frameCount) }
        let mono = buffer.mono
        var resampled: [Float] = []
        let resampler = try Resampler(
            inputRate: Double(buffer.sampleRate), outputRate: configuration.analysisSampleRate,
            quality: configuration.resamplerQuality)
        try mono.withUnsafeBufferPointer { (m) throws(AudioError) in
            try resampler.process(m.baseAddress!, count: mono.count, output: &resampled)
        }
        try resampler.flush(output: &resampled)
        frameAnalyzer.reset()
        frameAnalyzer.process(resampled)
        let features = frameAnalyzer.finish()
        return summarize(
            features, loudness: meter.measurement(), duration: buffer.durationSeconds, sampleRate: buffer.sampleRate,
            channels: buffer.channelCount, format: "memory", tags: tags)
    }

    /// The track-level stages, from frame features to the analysis value.
    func summarize(
        _ features: FrameFeatures, loudness: LoudnessMeter.Measurement, duration: Double, sampleRate: Int,
        channels: Int,
        format: String, tags: AudioTags
    ) -> TrackAnalysis {
        var clock = now()
        func lap(_ stage: StageTimings.Stage) {
            let t = now()
            timings.add(stage, t - clock)
            clock = t
        }
        // Rhythm.
        let sound = CueDetector().soundBounds(frames: features, duration: duration)
        var (tempo, curve) = Self.tempoAndCurve(features)
        var grid = BeatGrid.empty
        var meterCandidates: [DownbeatModel.Candidate] = []
        var beatPhaseScore: Double?
        if let estimate = tempo, let tempoCurve = curve {
            var tracked = BeatTracker().beats(features, curve: tempoCurve).map { $0 / features.frameRate }
            var fitted = BeatGrid.fit(tracked, sectionStarts: tempoCurve.sectionStarts())
            // A grid on the off-beat (``BeatPhase``) moves half a beat: its beats, then its fit.
            let onTrack = fitted.times.filter { $0 >= 0 && $0 <= duration }
            beatPhaseScore = BeatPhase.features(beats: onTrack, frames: features).map { BeatPhase.score($0) }
            if BeatPhase.isOffBeat(score: beatPhaseScore) {
                tracked = BeatPhase.halfBeatLater(tracked)
                fitted = BeatGrid.fit(tracked, sectionStarts: tempoCurve.sectionStarts())
            }
            let trackedTimes = fitted.times.filter { $0 >= 0 && $0 <= duration }
            var times = trackedTimes
            if fitted.isSteady, let sound, let first = fitted.sections.first, let last = fitted.sections.last {
                times = BeatGrid.extend(
                    times, periods: (60 / first.bpm, 60 / last.bpm), from: sound.first, to: sound.last)
            }
            var sections = fitted.sections
            if let start = times.first, !sections.isEmpty { sections[0].start = start }
            let pulseEnvelope = BeatTracker.weakPulseEnvelope(features)
            let hasPulse = PulsePresence.hasPulse(
                envelope: pulseEnvelope, curve: tempoCurve, beats: times, sections: sections,
                isSteady: fitted.isSteady, novelty: features.tonalNovelty)
            if hasPulse ?? true {
                times = Self.heard(
                    times, tracked: trackedTimes, features: features, envelope: pulseEnvelope, curve: tempoCurve,
                    sections: sections, sound: sound, duration: duration)
                sections = TempoSection.covering(sections, from: times.first, to: times.last)
                let meter = MeterAnalyzer().analyze(beats: times, frames: features)
                meterCandidates = meter.candidates
                if meter.barPositions.count < times.count {
                    times.removeSubrange(meter.barPositions.count...)
                    sections = TempoSection.covering(sections, from: times.first, to: times.last)
                }
                grid = BeatGrid(
                    times: times, barPositions: meter.barPositions, phraseStarts: meter.phraseStarts,
                    bpm: fitted.bpm > 0 ? fitted.bpm : estimate.bpm, isSteady: fitted.isSteady, sections: sections)
            } else {
                // No beat to hear (rain, held chords, noise): no grid, and no tempo either.
                tempo = nil
                curve = nil
            }
        }
        let onsetsPerSecond = Self.onsetRate(features.onset, frameRate: features.frameRate)
        lap(.tempoBeats)

        // Tonality.
        let keyProfiles = KeyProfiles(features: features, sound: sound, duration: duration)
        let keyEstimate = KeyEstimator().estimate(keyProfiles)
        lap(.key)

        let cues = CueDetector().detect(frames: features, grid: grid, duration: duration)
        let structure = StructureAnalyzer().analyze(
            frames: features, grid: grid, curve: grid.times.isEmpty ? nil : curve, sound: sound, duration: duration)
        let spectralMean = features.spectral.mean, spectralStd = features.spectral.standardDeviation
        let intervals = zip(grid.times.dropFirst(), grid.times).map { $0 - $1 }
        let intervalMean = intervals.isEmpty ? 0 : intervals.reduce(0, +) / Double(intervals.count)
        let intervalSD =
            intervals.isEmpty
            ? 0
            : (intervals.map { ($0 - intervalMean) * ($0 - intervalMean) }.reduce(0, +) / Double(intervals.count))
                .squareRoot()
        let majorProbability = keyEstimate.map { $0.scores[0..<12].reduce(0, +) } ?? 0.5
        let bpm = grid.bpm > 0 ? grid.bpm : (tempo?.bpm ?? 0)
        let mood = MoodEstimator().estimate(
            .init(
                loudnessLUFS: loudness.integratedLUFS, onsetsPerSecond: onsetsPerSecond,
                spectralCentroidHz: Double(spectralMean[SpectralStatistic.centroid.rawValue]),
                spectralFlatness: Double(spectralMean[SpectralStatistic.flatness.rawValue]), bpm: bpm,
                pulseClarity: tempo?.pulseClarity ?? 0, beatsAreSteady: grid.isSteady,
                beatIntervalVariation: intervalMean > 0 ? intervalSD / intervalMean : 1,
                beatCoverage: grid.times.count >= 2 && duration > 0
                    ? (grid.times.last! - grid.times.first!) / duration : 0,
                majorProbability: majorProbability))
        lap(.other)
        var result = TrackAnalysis(
            durationSeconds: duration, sampleRate: sampleRate, channels: channels, formatDescription: format,
            tags: tags,
            bpm: (bpm * 100).rounded() / 100, bpmConfidence: tempo?.confidence ?? 0,
            bpmAlternates: tempo?.alternates ?? [], pulseClarity: tempo?.pulseClarity ?? 0,
            tempoCandidates: tempo?.candidates ?? [], beats: grid,
            onsetsPerSecond: onsetsPerSecond,
            key: keyEstimate?.key, keyConfidence: keyEstimate?.confidence ?? 0,
            loudness: loudness, mood: mood, cues: cues, structure: structure,
            mfccMean: features.mfcc.mean, mfccStd: features.mfcc.standardDeviation,
            chromaMean: keyProfiles.treble.map { Float($0) }, keyProfiles: keyProfiles,
            spectralMean: spectralMean, spectralStd: spectralStd)
        result.meterCandidates = meterCandidates
        result.beatPhaseScore = beatPhaseScore
        return result
    }

    /// The grid's beats where its beat is heard (``PulseSpan``): a cut at either end must find the stretch beyond
    /// it beatless (``PulsePresence``) on both the weak-pulse envelope the whole track was judged on and the energy
    /// alone, where a drum intro's beat stands out more.
    static func heard(
        _ times: [Double], tracked: [Double], features: FrameFeatures, envelope: [Float], curve: TempoCurve,
        sections: [TempoSection], sound: (first: Double, last: Double)?, duration: Double
    ) -> [Double] {
        guard let first = times.first, let last = times.last, let trackedFirst = tracked.first,
            let trackedLast = tracked.last, let span = PulseSpan(curve: curve, span: first...last)
        else { return times }
        return span.trim(times, tracked: trackedFirst...trackedLast) { stretch in
            let from = max(stretch.lowerBound, sound?.first ?? 0)
            let to = min(stretch.upperBound, sound?.last ?? duration)
            guard from < to else { return false }
            return [envelope, features.onset].allSatisfy {
                PulsePresence.contrast(envelope: $0, curve: curve, stretch: from...to, sections: sections)
                    .map { $0 < PulsePresence.minimumContrast } ?? false
            }
        }
    }

    /// The tempo and the tempo curve that the beat tracker follows.
    ///
    /// The tempo's metrical level is chosen over the whole track and the curve follows it within ±22 %. When the
    /// tempo changes, the sections' periodicities blur each other in the whole-track autocorrelation, and a
    /// section can move further than the curve reaches (a game track that drops from 120 to 94 BPM halfway). So
    /// the level is chosen again on each section alone; where it disagrees with the curve, that section's part
    /// of the curve is read again at its own level, and the longest section's level gives the track's tempo.
    static func tempoAndCurve(_ features: FrameFeatures) -> (TempoEstimator.Estimate?, TempoCurve?) {
        let acf = OnsetAutocorrelation(onset: features.onset, frameRate: features.frameRate)
        guard let tempo = TempoEstimator().estimate(acf, bands: rhythmBands(features)) else {
            return (nil, nil)
        }
        let curve = TempoCurve(onset: features.onset, frameRate: features.frameRate, bpm: tempo.bpm)
        let starts = curve.sectionStarts().map { Int(($0 * features.frameRate).rounded()) } + [features.frameCount]
        guard starts.count > 2 else { return (tempo, curve) }
        let sections = zip(starts, starts.dropFirst()).map { $0..<$1 }
        var periods = curve.periods, strengths = curve.strengths
        var longest: (frames: Int, level: Double, curveBPM: Double)?
        for section in sections {
            let middle = Double(section.lowerBound + section.upperBound) / 2 / features.frameRate
            let curveBPM = curve.bpm(atSeconds: middle)
            let sectionACF = OnsetAutocorrelation(
                onset: Array(features.onset[section]), frameRate: features.frameRate)
            var level = curveBPM
            if let local = TempoEstimator().estimate(sectionACF, bands: rhythmBands(features, frames: section)),
                !TempoEvaluation.acc1(estimated: local.bpm, reference: curveBPM)
            {
                level = local.bpm
                let own = TempoCurve(onset: features.onset, frameRate: features.frameRate, bpm: level)
                for (w, centre) in curve.centres.enumerated() where section.contains(Int(centre)) {
                    let v = own.window(nearestFrame: centre)
                    periods[w] = own.periods[v]
                    strengths[w] = own.strengths[v]
                }
            }
            if section.count > longest?.frames ?? 0 { longest = (section.count, level, curveBPM) }
        }
        guard let longest, periods != curve.periods else { return (tempo, curve) }
        let level = tempo.bpm * longest.level / longest.curveBPM
        return (
            TempoEstimator().estimate(acf, at: level, candidates: tempo.candidates),
            TempoCurve(frameRate: features.frameRate, centres: curve.centres, periods: periods, strengths: strengths)
        )
    }

    /// The autocorrelations of the onsets above 2 kHz and below 200 Hz, of the harmonic change and of the tonal
    /// novelty, over a range of frames, for the tempo's metrical level.
    public static func rhythmBands(_ features: FrameFeatures, frames: Range<Int>? = nil) -> TempoEstimator.Bands {
        let frames = frames ?? 0..<features.frameCount
        func band(_ b: Int) -> OnsetAutocorrelation {
            OnsetAutocorrelation(
                onset: frames.map { features.bandOnsets[$0 * 3 + b] }, frameRate: features.frameRate)
        }
        return TempoEstimator.Bands(
            high: band(2), low: band(0),
            harmonic: OnsetAutocorrelation(
                onset: Array(features.harmonicChange[frames]), frameRate: features.frameRate),
            tonal: OnsetAutocorrelation(
                onset: soundingTonalNovelty(features, frames: frames), frameRate: features.frameRate))
    }

    /// How far (dB) under the track's loud level (``FrameFeatures/loudRMS``) a frame's tonal novelty still
    /// counts for the metrical level: the analogue, over a track, of the tonal bands' compression knee, 60 dB under
    /// full scale (`FrameAnalyzer.tonalCompression`).
    static let tonalSoundDecibels: Float = 60

    /// The tonal novelty over `frames`, read as 0 in frames more than ``tonalSoundDecibels`` under the track's loud
    /// level. The novelty is a cosine distance, blind to level, so far under the music (a final chord's ring-out, a
    /// silence) it follows whatever noise is left; a lossy codec's noise, 80–120 dB down, changes the shape of the
    /// sustained spectrum from frame to frame there and halves the periodicity of the music's own changes. Through
    /// Ogg Vorbis (q3), four slow chorales of `scores2` (FluidR3: bwv245_3, bwv345, bwv361, bwv368) read a tonal cue
    /// at the beat of 0.11–0.27 where their FLAC renders read 0.35–0.42, and were read at double tempo; gated, they
    /// read 0.27–0.47 against 0.34–0.49. Only the metrical level reads it so: the beat tracker and the pulse test
    /// (``PulsePresence``), whose thresholds were set on the novelty as it is, still read every frame.
    static func soundingTonalNovelty(_ features: FrameFeatures, frames: Range<Int>) -> [Float] {
        let floor = features.loudRMS * pow(10, -tonalSoundDecibels / 20)
        return frames.map { features.rms[$0] < floor ? 0 : features.tonalNovelty[$0] }
    }

    /// Onsets per second: local maxima of the onset envelope above its mean plus one standard deviation,
    /// at least 50 ms apart.
    static func onsetRate(_ onset: [Float], frameRate: Double) -> Double {
        guard onset.count > 2 else { return 0 }
        let mean = onset.reduce(0, +) / Float(onset.count)
        let sd = (onset.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(onset.count)).squareRoot()
        let threshold = mean + sd
        let gap = max(1, Int(0.05 * frameRate))
        var count = 0, last = -gap
        for t in 1..<(onset.count - 1)
        where onset[t] > threshold && onset[t] >= onset[t - 1] && onset[t] >= onset[t + 1] {
            if t - last >= gap {
                count += 1
                last = t
            }
        }
        return Double(count) / (Double(onset.count) / frameRate)
    }
}
