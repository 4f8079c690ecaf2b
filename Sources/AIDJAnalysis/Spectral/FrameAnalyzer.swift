import Foundation

/// The short-time analysis: a streaming STFT (periodic Hann, centred frames, zero padding at both ends as
/// librosa's `center=True, pad_mode='constant'`) that turns a mono signal into ``FrameFeatures`` frame by frame.
///
/// Per frame it computes the power spectrum once (FFTW) and derives from it: 128 Slaney mel bands → log → DCT-II
/// → 20 MFCC; spectral centroid, bandwidth, 85 % rolloff, flatness and flux; zero-crossing rate and RMS; the
/// log-mel onset strength (Böck & Widmer-style spectral flux on a mel scale, as librosa's `onset_strength`);
/// and a peak-based pitch-class profile (chroma).
///
/// Feed samples with ``process(_:)`` in any block sizes and call ``finish()`` once. One instance per worker.
public final class FrameAnalyzer {
    /// The short-time analysis' parameters: sample rate, frame and hop size, mel bands (librosa's defaults), and the
    /// RMS under which a frame counts as silent.
    public struct Configuration: Sendable {
        /// Sample rate of the input (Hz). Default 22 050.
        public var sampleRate: Double = 22_050
        /// FFT and frame length in samples. Default 2048 (≈ 93 ms at 22 050 Hz).
        public var frameSize = 2048
        /// Hop in samples. Default 512 (≈ 23 ms; 43.07 frames/s).
        public var hopSize = 512
        /// Mel bands. Default 128.
        public var melBands = 128
        /// Frames whose RMS is below this (linear; 1e-4 = −80 dBFS) are silence: left out of timbre statistics.
        public var silenceRMS: Float = 1e-4
        public init() {}
    }

    public let configuration: Configuration
    private let fft: RealFFT
    private let window: [Float]
    private let melBank: MelFilterbank
    private let dct: DCTMatrix
    private let chroma: ChromaMapper
    private let bassBandCount: Int
    /// Bands below 200 Hz, 200 Hz–2 kHz and above: the onset envelope averages each range, then the ranges.
    private let lowBandCount: Int
    private let midBandEnd: Int

    private var pending: [Float]
    private var pendingStart = 0
    private var sampleCount = 0
    private var power: [Float]
    private var magnitude: [Float]
    private var previousMagnitude: [Float]
    /// Running sums of the frame's magnitudes, bin by bin, for the spectral rolloff.
    private var cumulativeMagnitude: [Float]
    /// Magnitudes of the last frames (a ring), for the chroma's transient-rejecting minimum.
    private var recentMagnitudes: [Float]
    private var recentIndex = 0
    private var sustained: [Float]
    /// Frames in the chroma's temporal minimum: 5 frames ≈ 116 ms at 22 050 Hz / hop 512.
    static let sustainFrames = 5
    private var mel: [Float]
    private var logMel: [Float]
    private var mfcc: [Float]
    private var stats = [Float](repeating: 0, count: SpectralStatistic.allCases.count)
    private var frameChroma = [Float](repeating: 0, count: 12)
    private var frameBassChroma = [Float](repeating: 0, count: 12)
    private var previousChromaShare = [Float](repeating: 0, count: 12)
    private var hasPreviousFrame = false
    private var previousCompressed: [Float]
    /// The square roots of the mel bands (or of one part of the split), this frame.
    private var compressedBands: [Float]
    /// Semitone bands of the sustained spectrum, for the tonal novelty, and the novelty stream.
    private let tonalBank: LogFrequencyFilterbank
    private var tonalBands: [Float]
    private var tonalNovelty: SpectralNovelty
    /// Magnitude of a full-scale sine's peak bin (half the window's sum): tonal bands are read in full-scale units.
    private let fullScaleMagnitude: Float
    /// The harmonic/percussive split of the mel bands, and the previous split frame's band magnitudes, for the
    /// beat-phase envelopes.
    private let split: HarmonicPercussiveSplit
    private var previousParts: [Float]
    private var features: FrameFeatures
    /// Seconds spent deriving features from spectra (everything after the FFT), since creation; the benchmark
    /// reports it apart from the STFT.
    public private(set) var featureSeconds = 0.0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let n = configuration.frameSize
        fft = RealFFT(size: n)
        window = Window.hann(length: n)
        melBank = MelFilterbank(bandCount: configuration.melBands, fftSize: n, sampleRate: configuration.sampleRate)
        dct = DCTMatrix(inputCount: configuration.melBands, outputCount: SpectralStatistic.mfccCount)
        chroma = ChromaMapper(fftSize: n, sampleRate: configuration.sampleRate)
        bassBandCount = melBank.centerFrequencies.filter { $0 < 150 }.count
        lowBandCount = melBank.centerFrequencies.filter { $0 < 200 }.count
        midBandEnd = melBank.centerFrequencies.filter { $0 < 2000 }.count
        pending = [Float](repeating: 0, count: n / 2)  // centring: the first frame is centred on sample 0
        power = [Float](repeating: 0, count: fft.binCount)
        magnitude = [Float](repeating: 0, count: fft.binCount)
        previousMagnitude = magnitude
        cumulativeMagnitude = magnitude
        recentMagnitudes = [Float](repeating: 0, count: Self.sustainFrames * magnitude.count)
        sustained = magnitude
        mel = [Float](repeating: 0, count: configuration.melBands)
        logMel = mel
        previousCompressed = mel
        compressedBands = mel
        mfcc = [Float](repeating: 0, count: SpectralStatistic.mfccCount)
        tonalBank = LogFrequencyFilterbank(
            fftSize: n, sampleRate: configuration.sampleRate, minFrequency: ChromaMapper.minFrequency,
            maxFrequency: ChromaMapper.maxFrequency)
        tonalBands = [Float](repeating: 0, count: tonalBank.bandCount)
        tonalNovelty = SpectralNovelty(bandCount: tonalBank.bandCount)
        fullScaleMagnitude = window.reduce(0, +) / 2
        split = HarmonicPercussiveSplit(bandCount: configuration.melBands)
        previousParts = [Float](repeating: 0, count: 2 * configuration.melBands)
        features = FrameFeatures(
            frameRate: configuration.sampleRate / Double(configuration.hopSize), hopSize: configuration.hopSize)
        features.chromaLatency = Self.chromaLatency(configuration)
    }

    /// ``FrameFeatures/chromaLatency``: a note enters the sustained spectrum once every frame of the minimum holds
    /// it, the oldest of them ``sustainFrames`` − 1 hops back, and a frame holds it whole once its window, centred
    /// on its hop, starts after the note does: half a frame later.
    static func chromaLatency(_ configuration: Configuration) -> Int {
        sustainFrames - 1 + configuration.frameSize / (2 * configuration.hopSize)
    }

    /// Starts a new signal, keeping the FFT plan and tables.
    public func reset() {
        pending = [Float](repeating: 0, count: configuration.frameSize / 2)
        pendingStart = 0
        sampleCount = 0
        hasPreviousFrame = false
        tonalNovelty.reset()
        split.reset()
        for i in recentMagnitudes.indices { recentMagnitudes[i] = 0 }
        for p in 0..<12 { previousChromaShare[p] = 0 }
        features = FrameFeatures(frameRate: features.frameRate, hopSize: configuration.hopSize)
        features.chromaLatency = Self.chromaLatency(configuration)
    }

    /// Appends samples and analyses every frame that is complete.
    public func process(_ samples: UnsafeBufferPointer<Float>) {
        pending.append(contentsOf: samples)
        sampleCount += samples.count
        analyzeCompleteFrames()
    }

    /// Analyses the next block of the signal (any length); frames straddling blocks are handled.
    public func process(_ samples: [Float]) {
        samples.withUnsafeBufferPointer { process($0) }
    }

    /// Pads the end (half a frame of zeros) and returns the features of the whole signal: 1 + ⌊N / hop⌋ frames.
    public func finish() -> FrameFeatures {
        pending.append(contentsOf: [Float](repeating: 0, count: configuration.frameSize / 2))
        // Frame j is centred on sample j·hop; the padded signal holds every frame with j·hop ≤ N.
        let frameCount = sampleCount / configuration.hopSize + 1
        while features.bandOnsets.count / 3 < frameCount {
            analyzeFrame()
        }
        features.tonalNovelty += tonalNovelty.finish()
        split.flush { appendPhaseOnsets() }
        var result = features
        result.onset = Self.combineBands(result.bandOnsets, frames: frameCount)
        // The sustained spectrum shows a note sustainFrames − 1 frames after it starts: move the novelty back.
        let delay = Self.sustainFrames - 1
        let novelty = result.tonalNovelty
        result.tonalNovelty = novelty.indices.map { $0 + delay < novelty.count ? novelty[$0 + delay] : 0 }
        reset()
        return result
    }

    /// Share of each range in the onset envelope: below 200 Hz, 200 Hz–2 kHz, above 2 kHz. The low range counts
    /// double: kick drum and bass carry the beat in most popular music (Goto 2001 tracks beats from bass-drum and
    /// snare onsets), and off-beat hi-hats must not out-vote on-beat kicks.
    static let rangeWeights: [Float] = [0.5, 0.25, 0.25]

    /// Combines the three range envelopes, each divided by its mean over the track so that a range's share does
    /// not depend on how loud it is, then weighted by ``rangeWeights``.
    static func combineBands(_ bands: [Float], frames: Int) -> [Float] {
        var means = [Float](repeating: 0, count: 3)
        for f in 0..<frames { for b in 0..<3 { means[b] += bands[f * 3 + b] } }
        let scale = means.indices.map { means[$0] > 0 ? rangeWeights[$0] * Float(frames) / means[$0] : 0 }
        return (0..<frames).map { f in
            bands[f * 3] * scale[0] + bands[f * 3 + 1] * scale[1] + bands[f * 3 + 2] * scale[2]
        }
    }

    /// How far the log compression of the tonal bands reaches down: a band at 1/λ of full scale (−60 dB) reads
    /// log 2, one at full scale log(1 + λ).
    static let tonalCompression: Float = 1000

    /// Feeds the novelty stream with the semitone bands of the sustained spectrum, log-compressed, and appends the
    /// value it returns. The sustained spectrum (the temporal minimum the chroma uses) has no drum hits in it, so
    /// the novelty follows notes and chords: a hi-hat between beats changes the shape of the full spectrum as much
    /// as a chord change does, and would pull beats off the beat.
    private func pushTonalBands() {
        sustained.withUnsafeBufferPointer { m in
            tonalBands.withUnsafeMutableBufferPointer {
                tonalBank.apply(magnitude: m.baseAddress!, into: $0.baseAddress!)
            }
        }
        let scale = Self.tonalCompression / fullScaleMagnitude
        for b in 0..<tonalBands.count { tonalBands[b] = log(1 + scale * tonalBands[b]) }
        if let value = tonalBands.withUnsafeBufferPointer({ tonalNovelty.push($0.baseAddress!) }) {
            features.tonalNovelty.append(value)
        }
    }

    private func analyzeCompleteFrames() {
        let n = configuration.frameSize
        // Keep at least half a frame beyond the last analysed centre so `finish` can emit the tail frames.
        while pending.count - pendingStart >= n + n / 2 {
            analyzeFrame()
        }
        if pendingStart > 1 << 16 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
    }

    private func analyzeFrame() {
        let n = configuration.frameSize
        let hop = configuration.hopSize
        var rmsSum: Float = 0
        var crossings = 0
        pending.withUnsafeBufferPointer { samples in
            window.withUnsafeBufferPointer { w in
                let frame = samples.baseAddress! + pendingStart
                let input = fft.input
                // Sign changes are counted without a branch per sample: the signs of noise change at random.
                var wasPositive = frame[0] >= 0
                for i in 0..<n {
                    let x = frame[i]
                    input[i] = x * w[i]
                    rmsSum += x * x
                    let isPositive = x >= 0
                    crossings &+= isPositive != wasPositive ? 1 : 0
                    wasPositive = isPositive
                }
            }
        }
        pendingStart += hop
        fft.execute()
        let transformed = now()
        defer { featureSeconds += now() - transformed }
        let rms = (rmsSum / Float(n)).squareRoot()
        power.withUnsafeMutableBufferPointer { fft.powerSpectrum(into: $0.baseAddress!) }
        power.withUnsafeBufferPointer { p in
            magnitude.withUnsafeMutableBufferPointer { m in
                VectorMath.squareRoots(p.baseAddress!, into: m.baseAddress!, count: p.count)
            }
        }

        // Mel bands and onset strength.
        mel.withUnsafeMutableBufferPointer { bands in
            power.withUnsafeBufferPointer { melBank.apply(power: $0.baseAddress!, into: bands.baseAddress!) }
        }
        var bandRise: (low: Float, mid: Float, high: Float) = (0, 0, 0)
        var bassOnsetSum: Float = 0
        var lowEnergy: Float = 0
        let hasPrevious = hasPreviousFrame
        // Band powers are compressed to magnitudes (p^0.5), not to dB, before differencing: loud onsets count more
        // than soft ones, where in dB a soft bass note after silence rises as far as a kick.
        mel.withUnsafeBufferPointer { bands in
            compressedBands.withUnsafeMutableBufferPointer { magnitudes in
                VectorMath.squareRoots(bands.baseAddress!, into: magnitudes.baseAddress!, count: bands.count)
                previousCompressed.withUnsafeMutableBufferPointer { previous in
                    for b in 0..<bands.count {
                        let compressed = magnitudes[b]
                        let rise = hasPrevious ? max(0, compressed - previous[b]) : 0
                        previous[b] = compressed
                        if b < lowBandCount {
                            bandRise.low += rise
                        } else if b < midBandEnd {
                            bandRise.mid += rise
                        } else {
                            bandRise.high += rise
                        }
                        if b < bassBandCount {
                            bassOnsetSum += rise
                            lowEnergy += bands[b]
                        }
                    }
                }
            }
        }
        let splitReady = mel.withUnsafeBufferPointer { split.push($0.baseAddress!) }
        if splitReady { appendPhaseOnsets() }
        features.bandOnsets.append(bandRise.low / Float(lowBandCount))
        features.bandOnsets.append(bandRise.mid / Float(midBandEnd - lowBandCount))
        features.bandOnsets.append(bandRise.high / Float(mel.count - midBandEnd))
        features.bassOnset.append(bassOnsetSum / Float(max(bassBandCount, 1)))
        features.rms.append(rms)
        features.lowBandEnergy.append(lowEnergy)

        // Chroma from the peaks of what lasts: the minimum over the last 5 frames (116 ms) keeps sustained tones
        // and drops drum hits, tuned drum bodies and noise bursts, whose magnitudes decay within that time (a cheap
        // stand-in for harmonic/percussive separation, Fitzgerald 2010).
        let bins = magnitude.count
        let lo = chroma.minBin - 1, hi = chroma.maxBin + 1
        recentMagnitudes.withUnsafeMutableBufferPointer { ring in
            magnitude.withUnsafeBufferPointer { current in
                sustained.withUnsafeMutableBufferPointer { out in
                    // Half-open ranges over plain pointers: the compiler vectorizes these loops (minps); over a
                    // closed range of buffer subscripts it ran them one bin at a time (perf annotate).
                    let slot = ring.baseAddress! + recentIndex * bins
                    for k in lo..<(hi + 1) { slot[k] = current[k] }
                    for k in lo..<(hi + 1) { out[k] = current[k] }
                    let minimum = out.baseAddress!
                    for r in 0..<Self.sustainFrames {
                        let row = UnsafePointer(ring.baseAddress! + r * bins)
                        for k in lo..<(hi + 1) { minimum[k] = min(minimum[k], row[k]) }
                    }
                }
            }
        }
        recentIndex = (recentIndex + 1) % Self.sustainFrames
        sustained.withUnsafeBufferPointer { m in
            frameChroma.withUnsafeMutableBufferPointer { c in
                frameBassChroma.withUnsafeMutableBufferPointer { b in
                    chroma.map(magnitude: m.baseAddress!, chroma: c.baseAddress!, bassChroma: b.baseAddress!)
                }
            }
        }
        features.chroma.append(contentsOf: frameChroma)
        pushTonalBands()
        // Harmonic change: the rise of each pitch class's share of the frame's chroma since the previous frame.
        // Chord changes and new melody notes show here even when they come without an energy attack (legato
        // strings, organ, voices), which the band fluxes above miss.
        var chromaTotal: Float = 0
        for p in 0..<12 { chromaTotal += frameChroma[p] }
        var harmonicRise: Float = 0
        for p in 0..<12 {
            let share = chromaTotal > 0 ? frameChroma[p] / chromaTotal : 0
            harmonicRise += max(0, share - previousChromaShare[p])
            previousChromaShare[p] = share
        }
        features.harmonicChange.append(hasPreviousFrame ? harmonicRise : 0)
        features.bassChroma.append(contentsOf: frameBassChroma)

        if rms >= configuration.silenceRMS {
            features.soundFrames += 1
            // Log-mel only where it is used: MFCC of sounding frames.
            mel.withUnsafeBufferPointer { bands in
                logMel.withUnsafeMutableBufferPointer { out in
                    for b in 0..<bands.count { out[b] = 10 * log10(max(bands[b], 1e-10)) }
                }
            }
            logMel.withUnsafeBufferPointer { current in
                mfcc.withUnsafeMutableBufferPointer { dct.apply(current.baseAddress!, into: $0.baseAddress!) }
            }
            features.mfcc.add(mfcc)
            features.timbre.append(contentsOf: mfcc[1...FrameFeatures.timbreCount])
            spectralStatistics(rms: rms, zeroCrossingRate: Float(crossings) / Float(n))
            features.spectral.add(stats)
        } else {
            features.timbre.append(contentsOf: repeatElement(0, count: FrameFeatures.timbreCount))
        }
        swap(&magnitude, &previousMagnitude)
        hasPreviousFrame = true
    }

    /// Appends the six beat-phase envelopes of the split's latest frame: the positive rise of the percussive and
    /// the harmonic band magnitudes, each averaged within the ranges below 200 Hz, 200 Hz–2 kHz and above.
    private func appendPhaseOnsets() {
        let bands = configuration.melBands
        let first = features.phaseOnsets.isEmpty
        previousParts.withUnsafeMutableBufferPointer { previous in
            compressedBands.withUnsafeMutableBufferPointer { magnitudes in
                for part in 0..<2 {
                    let values = part == 0 ? split.percussive : split.harmonic
                    VectorMath.squareRoots(values, into: magnitudes.baseAddress!, count: bands)
                    var low: Float = 0, mid: Float = 0, high: Float = 0
                    let before = previous.baseAddress! + part * bands
                    for b in 0..<bands {
                        let magnitude = magnitudes[b]
                        let step = first ? 0 : max(0, magnitude - before[b])
                        before[b] = magnitude
                        if b < lowBandCount {
                            low += step
                        } else if b < midBandEnd {
                            mid += step
                        } else {
                            high += step
                        }
                    }
                    features.phaseOnsets.append(low / Float(lowBandCount))
                    features.phaseOnsets.append(mid / Float(midBandEnd - lowBandCount))
                    features.phaseOnsets.append(high / Float(bands - midBandEnd))
                }
            }
        }
    }

    private func spectralStatistics(rms: Float, zeroCrossingRate: Float) {
        let binHz = Float(configuration.sampleRate) / Float(configuration.frameSize)
        var sum: Float = 0, flux: Float = 0, powerSum: Float = 0
        var weighted = 0.0, weightedSquares = 0.0  // Σ m·k and Σ m·k², in Double: the spread subtracts them
        let bins = magnitude.count
        magnitude.withUnsafeBufferPointer { m in
            previousMagnitude.withUnsafeBufferPointer { previous in
                cumulativeMagnitude.withUnsafeMutableBufferPointer { cumulative in
                    for k in 0..<bins {
                        sum += m[k]
                        cumulative[k] = sum
                        let mk = Double(m[k]) * Double(k)
                        weighted += mk
                        weightedSquares += mk * Double(k)
                        // max(0, rise) without a branch: a rise is as likely as a fall, so a branch mispredicts.
                        let rise = m[k] - previous[k]
                        flux += (rise + abs(rise)) * 0.5
                    }
                }
            }
        }
        if !hasPreviousFrame { flux = 0 }
        // Geometric mean through logs of products of 8 powers (in Double, which cannot over- or underflow there):
        // one log per 8 bins instead of one per bin.
        var logPowerSum = 0.0
        power.withUnsafeBufferPointer { p in
            var k = 0
            while k < bins {
                var product = 1.0
                let end = min(k + 8, bins)
                for i in k..<end {
                    let x = max(p[i], 1e-10)
                    powerSum += x
                    product *= Double(x)
                }
                logPowerSum += log(product)
                k = end
            }
        }
        // Centroid and spread in bins: c = Σmk / Σm, spread² = Σmk² / Σm − c².
        let centroidBins = sum > 0 ? weighted / Double(sum) : 0
        let spreadBins = sum > 0 ? max(0, weightedSquares / Double(sum) - centroidBins * centroidBins).squareRoot() : 0
        // The first bin whose running sum reaches 85 % of the total (the sums never fall: a binary search).
        let rolloffTarget = 0.85 * sum
        var low = 0, high = bins
        while low < high {
            let middle = (low + high) / 2
            if cumulativeMagnitude[middle] >= rolloffTarget { high = middle } else { low = middle + 1 }
        }
        let rolloff = low < bins ? Float(low) * binHz : 0
        stats[SpectralStatistic.centroid.rawValue] = Float(centroidBins) * binHz
        stats[SpectralStatistic.bandwidth.rawValue] = Float(spreadBins) * binHz
        stats[SpectralStatistic.rolloff.rawValue] = rolloff
        stats[SpectralStatistic.flatness.rawValue] = Float(exp(logPowerSum / Double(bins))) / (powerSum / Float(bins))
        stats[SpectralStatistic.flux.rawValue] = sum > 0 ? flux / sum : 0
        stats[SpectralStatistic.zeroCrossingRate.rawValue] = zeroCrossingRate
        stats[SpectralStatistic.rms.rawValue] = rms
    }
}
