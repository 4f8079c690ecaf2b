public import AIDJAnalysis
import Foundation

/// Turns a monophonic take into notes: pYIN's pitch track (``PitchTracker``) cut where the pitch moves to another
/// note or where the level jumps (a re-articulated repeated note), each note timed by its attack and pitched by the
/// median of its steady middle. Also estimates the take's tuning against A4 = 440 Hz.
///
/// The cuts, each a parameter below: a new note starts where the pitch leaves the current note's recent median by
/// more than ``Configuration/changeSemitones`` for ``Configuration/changeFrames`` frames that agree among themselves
/// (so vibrato of ±30 cents around a note 45 cents sharp stays one note); where the level rises by
/// ``Configuration/onsetRiseDecibels`` after falling ``Configuration/dipDecibels`` (a tongued or bowed repeat); and where the take falls silent.
public struct NoteTranscriber: Sendable {
    public struct Configuration: Sendable {
        /// The analysis rate in Hz the samples must have.
        public var sampleRate = 16_000.0
        /// How far (semitones) the pitch must leave the current note to start another.
        public var changeSemitones = 0.5
        /// For how many consecutive 10 ms frames.
        public var changeFrames = 3
        /// Unvoiced frames a note may bridge (pYIN drops a frame or two inside held notes).
        public var bridgeFrames = 2
        /// Notes shorter than this (seconds) are dropped as glitches.
        public var minimumNoteSeconds = 0.05
        /// Inside a note, a fall of the level by ``dipDecibels`` below its loudest point, then a rise by this much
        /// (dB) within 40 ms, starts a new note at the same pitch...
        public var onsetRiseDecibels = 6.0
        /// A note is played again at the same pitch no sooner than this (s) after it began (a 16th at 150 BPM):
        /// the attacks of some instruments dip within their first 100 ms (a sung "ooh" swells, dips 15 dB for
        /// 10 ms and settles), which is no new note.
        public var minimumRepeatSeconds = 0.1
        /// ... (dB).
        public var dipDecibels = 4.0
        /// Where the level dips by ``repeatDipDecibels`` and swells again by this much (dB) within 200 ms, the note
        /// *may* have been played again (``PerformedNote/repeatCandidates``): a bowed, breathed or softly tongued
        /// repeat barely dips, and neither does a swell inside one long note. The assessor splits there only where
        /// the reference repeats the pitch and the repeat was found missing, so a weak cue is enough.
        public var repeatRiseDecibels = 2.0
        /// See ``repeatRiseDecibels``.
        public var repeatDipDecibels = 2.5
        /// Notes this far (LU) below the take's median note loudness are dropped: release tails and reverb.
        public var quietNoteDecibels = 25.0
        /// A note that starts within ``tailGapSeconds`` of the end of the note before it, near its pitch (under a
        /// semitone away) and at least this much (LU) quieter, is that note's release ringing on (a sample's release,
        /// a room's reverb), not a note played, and is dropped. (No attack test: out of a short unvoiced gap in the
        /// decay the level climbs by 3–11 dB too. On the GM takes these tails were 12–27 LU under their note.)
        public var tailDecibels = 10.0
        /// See ``tailDecibels``.
        public var tailGapSeconds = 0.1
        /// A note whose odd harmonics hold less than this share of its harmonics' power is an octave above where
        /// the pitch track read it (``HarmonicParity``). On four sets of GM takes (`takes.py --count 72`, seeds 7,
        /// 23, 41 and 59; 12,800 notes), the notes read at their pitch held 0.099 or more (FluidR3's violin low on
        /// its G string, whose fundamental is weak, 0.10–0.14; TimGM6mb's trumpet about 0.2), the 12 notes read an
        /// octave low 0.000–0.067 bar one at 0.18: at 0.05, 10 of the 12 move and no note read right does.
        public var octaveOddShare = 0.05
        /// How near (semitones) the start of a note that the note before pulled off its pitch may lie to the rest
        /// of the note (``NoteTranscriber/joiningPulledStarts(_:hopSeconds:pitch:)``)...
        public var pulledSemitones = 1.5
        /// ... and how far off the semitone grid from it, at least.
        public var pulledOffGridSemitones = 0.1
        /// The lowest and highest fundamental searched (Hz).
        public var minimumFrequency = 55.0
        public var maximumFrequency = 2093.0

        public init() {}
    }

    /// The notes of a take with its tuning and the pitch track they came from.
    public struct Transcription: Sendable {
        public var notes: [PerformedNote]
        /// The take's tuning against A4 = 440 Hz in cents (+ is sharp), from the notes' deviations from the
        /// equal-tempered grid, each note weighed by the frames where its pitch holds still.
        public var tuningCents: Double
        public var pitch: PitchTrack
        /// The take's level in 5 ms blocks, for telling a note held on from its release.
        var envelope: LevelEnvelope
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Transcribes `samples` (mono, at ``Configuration/sampleRate``).
    public func transcribe(_ samples: [Float]) -> Transcription {
        var trackerConfiguration = PitchTracker.Configuration()
        trackerConfiguration.sampleRate = configuration.sampleRate
        trackerConfiguration.hopSize = Int((configuration.sampleRate / 100).rounded())
        trackerConfiguration.windowSize = Int((configuration.sampleRate * 0.032).rounded())
        trackerConfiguration.minimumFrequency = configuration.minimumFrequency
        trackerConfiguration.maximumFrequency = configuration.maximumFrequency
        let track = PitchTracker(configuration: trackerConfiguration).track(samples)
        let envelope = LevelEnvelope(samples, sampleRate: configuration.sampleRate)
        var segments = mergingGlides(pitchSegments(track), track: track)
        // Pieces after the first of a split segment were cut at a re-attack, not at a pitch change or a silence.
        var reattacked = Set<Int>()
        segments = segments.flatMap { segment -> [Range<Int>] in
            let pieces = splitAtAttacks(segment, track: track, envelope: envelope)
            for piece in pieces.dropFirst() { reattacked.insert(piece.lowerBound) }
            return pieces
        }
        let parity = HarmonicParity(sampleRate: configuration.sampleRate)
        // A segment's pitch from `start` (s) on: its steady middle, an octave up where its odd harmonics are missing
        // (read an octave low where a note an octave below still rings, or where a mixture shares that subharmonic).
        func heardPitch(_ segment: Range<Int>, from start: Double) -> Double? {
            guard let pitch = steadyPitch(segment, track: track) else { return nil }
            let end = track.time(ofFrame: segment.upperBound - 1) + track.hopSeconds / 2
            let share = parity.oddShare(pitch: pitch, in: samples, from: start, to: end)
            return share.map { $0 < configuration.octaveOddShare } == true ? pitch + 12 : pitch
        }
        segments = joiningPulledStarts(segments, hopSeconds: track.hopSeconds) {
            heardPitch($0, from: track.time(ofFrame: $0.lowerBound))
        }
        let minimumFrames = Int((configuration.minimumNoteSeconds / track.hopSeconds).rounded(.up))
        var notes: [PerformedNote] = []
        for segment in segments where segment.count >= minimumFrames {
            let start = track.time(ofFrame: segment.lowerBound)
            // A sharp attack (10 dB within 25 ms) times the note to 5 ms; a soft one is no surer than the pitch,
            // and the mean of the two is surer than either (on the GM takes: 9.3 -> 8.7 ms median onset error).
            let attack = envelope.attack(near: start, notBefore: notes.last?.offset ?? 0)
            let onset = max(
                notes.last?.offset ?? 0, envelope.climb(at: attack) >= 10 ? attack : (start + attack) / 2)
            guard let pitch = heardPitch(segment, from: onset) else { continue }
            let offset = track.time(ofFrame: segment.upperBound - 1) + track.hopSeconds / 2
            var note = PerformedNote(onset: onset, offset: max(offset, onset + track.hopSeconds), pitch: pitch)
            note.reattacked = reattacked.contains(segment.lowerBound)
            // From 50 ms on: where the score asks for a fast repeat, a dip that early is the repeat.
            note.repeatCandidates = envelope.reattacks(
                from: onset + configuration.minimumNoteSeconds, to: note.offset - configuration.minimumNoteSeconds,
                since: onset, dip: configuration.repeatDipDecibels, rise: configuration.repeatRiseDecibels,
                riseSeconds: 0.2
            ).map { envelope.attack(near: $0 + 0.02, notBefore: $0 - LevelEnvelope.blockSeconds) }
            notes.append(note)
        }
        let rate = configuration.sampleRate
        let spans = notes.map { Int($0.onset * rate)..<max(Int($0.onset * rate), Int($0.offset * rate)) }
        for (k, lufs) in SegmentLoudness.lufs(of: spans, in: samples, sampleRate: Int(rate)).enumerated() {
            notes[k].loudness = lufs
        }
        // A note far quieter than the take's notes is a release tail, reverb or bleed, not a note played.
        let levels = notes.compactMap(\.loudness)
        if !levels.isEmpty {
            let floor = median(levels) - configuration.quietNoteDecibels
            notes.removeAll { ($0.loudness ?? -.infinity) < floor }
        }
        notes = droppingTails(notes)
        return Transcription(
            notes: notes, tuningCents: Self.tuningCents(notes, track: track), pitch: track, envelope: envelope)
    }

    /// The notes without release tails (``Configuration/tailDecibels``). Each is compared with the last note kept,
    /// so a tail cut in two pieces goes whole.
    func droppingTails(_ notes: [PerformedNote]) -> [PerformedNote] {
        var kept: [PerformedNote] = []
        for note in notes {
            if let last = kept.last, let level = note.loudness, let before = last.loudness,
                note.onset - last.offset <= configuration.tailGapSeconds, abs(note.pitch - last.pitch) < 1,
                before - level >= configuration.tailDecibels
            {
                continue
            }
            kept.append(note)
        }
        return kept
    }

    // MARK: - Cutting the pitch track

    /// Frame ranges of steady pitch, cut where the pitch moves to another note or the take falls silent.
    func pitchSegments(_ track: PitchTrack) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var start: Int?
        var recent: [Double] = []  // the current note's latest frames, for its running median
        var pending: [(frame: Int, pitch: Double)] = []
        var lastVoiced = -1
        func close(at end: Int) {
            if let s = start, end > s { segments.append(s..<end) }
            start = nil
            recent.removeAll()
            pending.removeAll()
        }
        for frame in 0..<track.frameCount {
            guard let pitch = track.midiPitch(ofFrame: frame) else {
                if start != nil, frame - lastVoiced > configuration.bridgeFrames { close(at: lastVoiced + 1) }
                continue
            }
            lastVoiced = frame
            guard start != nil else {
                start = frame
                recent = [pitch]
                continue
            }
            let centre = median(recent)
            if abs(pitch - centre) > configuration.changeSemitones {
                pending.append((frame, pitch))
                if pending.count > configuration.changeFrames { pending.removeFirst() }
                let pitches = pending.map(\.pitch)
                if pending.count == configuration.changeFrames,
                    pitches.max()! - pitches.min()! <= configuration.changeSemitones
                {
                    let first = pending[0].frame
                    close(at: first)
                    start = first
                    recent = pitches
                }
            } else {
                pending.removeAll()
                recent.append(pitch)
                if recent.count > 15 { recent.removeFirst() }
            }
        }
        if start != nil { close(at: lastVoiced + 1) }
        return segments
    }

    /// Joins each glide into the note it leads to: a segment shorter than ``Configuration/minimumRepeatSeconds``
    /// whose pitch keeps moving toward the note right after it (its frames span more than a quarter tone, its last
    /// frame is nearer that note than its first, and fewer than 4 frames sit within 15 cents of its median), when it lies within 1.5 semitones of that note (a scoop:
    /// singers and some sampled voices slide into a note from above or below over ~100 ms). The glide is the start
    /// of the note it reaches, not a note of its own. (Also merging glides that lie between the notes on either
    /// side, across a leap, merged real passing notes: on the 59 GM takes, missed-note precision fell 0.61 → 0.56.)
    func mergingGlides(_ segments: [Range<Int>], track: PitchTrack) -> [Range<Int>] {
        let shortFrames = Int((configuration.minimumRepeatSeconds / track.hopSeconds).rounded(.up))
        var result: [Range<Int>] = []
        for segment in segments.reversed() {
            if let next = result.last, segment.count < shortFrames,
                next.lowerBound - segment.upperBound <= configuration.bridgeFrames,
                let target = steadyPitch(next, track: track)
            {
                let pitches = segment.compactMap { track.midiPitch(ofFrame: $0) }
                // Moving: spanning more than a quarter tone toward the note, and never holding a pitch for 40 ms
                // (a fast real note, 90 ms long, drifts a little toward the next one but holds its pitch).
                let held = pitches.count >= 2 ? pitches.filter { abs($0 - median(pitches)) <= 0.15 }.count : 0
                let moving =
                    pitches.count >= 2 && pitches.max()! - pitches.min()! > 0.25
                    && abs(pitches.last! - target) < abs(pitches.first! - target) && held < 4
                var leadsIn = false
                if moving {
                    let middle = median(pitches)
                    leadsIn = abs(middle - target) <= 1.5
                }
                if leadsIn {
                    result[result.count - 1] = segment.lowerBound..<next.upperBound
                    continue
                }
            }
            result.append(segment)
        }
        return result.reversed()
    }

    /// Joins the start of a note that the note before it pulled off its pitch back to the note. In a room the note
    /// before rings on under the next one's attack, and the pitch read there lies between the two until the ring
    /// dies away; a sampled voice's attack does the same as it glides in. Such a piece (each pitched by `pitch`, as
    /// the notes are) is shorter than ``Configuration/minimumRepeatSeconds``, comes right after the note before
    /// and right before the rest of its own note, lies between the two in pitch and within
    /// ``Configuration/pulledSemitones`` of its own note, and sits off the semitone grid from it (by more than
    /// ``Configuration/pulledOffGridSemitones``), where a fast chromatic passing note lies a whole semitone from the
    /// next. (The level's climb where the rest of the note starts does not part the two: in the seed-7 takes
    /// through a room it read −0.7 to 18 dB after pulled pieces and 3.6 to 10 dB after passing notes.)
    func joiningPulledStarts(
        _ segments: [Range<Int>], hopSeconds: Double, pitch: (Range<Int>) -> Double?
    ) -> [Range<Int>] {
        let shortFrames = Int((configuration.minimumRepeatSeconds / hopSeconds).rounded(.up))
        var result: [Range<Int>] = []
        var k = 0
        while k < segments.count {
            let piece = segments[k]
            if let before = result.last, k + 1 < segments.count, piece.count < shortFrames,
                piece.lowerBound - before.upperBound <= configuration.bridgeFrames,
                segments[k + 1].lowerBound - piece.upperBound <= configuration.bridgeFrames,
                let first = pitch(before), let middle = pitch(piece), let target = pitch(segments[k + 1])
            {
                let interval = abs(middle - target)
                if (first - target) * (middle - target) > 0, interval < abs(first - target),
                    interval <= configuration.pulledSemitones,
                    abs(interval - interval.rounded()) > configuration.pulledOffGridSemitones
                {
                    result.append(piece.lowerBound..<segments[k + 1].upperBound)
                    k += 2
                    continue
                }
            }
            result.append(piece)
            k += 1
        }
        return result
    }

    /// Cuts a segment where the level rises sharply inside it: a repeated note played again.
    func splitAtAttacks(_ segment: Range<Int>, track: PitchTrack, envelope: LevelEnvelope) -> [Range<Int>] {
        let minimumFrames = Int((configuration.minimumNoteSeconds / track.hopSeconds).rounded(.up))
        let repeatFrames = Int((configuration.minimumRepeatSeconds / track.hopSeconds).rounded(.up))
        guard segment.count >= repeatFrames + minimumFrames else { return [segment] }
        var cuts: [Int] = []
        // Counted from the note's attack: its pitch may be heard before the level rises.
        let attack = envelope.attack(near: track.time(ofFrame: segment.lowerBound), notBefore: 0)
        let attackFrame = max(segment.lowerBound, Int((attack / track.hopSeconds).rounded()))
        // A re-articulation: the level fell below what the note had reached, then rose sharply. (A slow attack
        // rises too, but from below everything before it; a tremolo moves a few dB.)
        let from = track.time(ofFrame: attackFrame + repeatFrames)
        let to = track.time(ofFrame: segment.upperBound - minimumFrames)
        let valleys = envelope.reattacks(
            from: from, to: to, since: track.time(ofFrame: attackFrame), dip: configuration.dipDecibels,
            rise: configuration.onsetRiseDecibels,
            riseSeconds: 0.04)
        for valley in valleys {
            let cut = Int((valley / track.hopSeconds).rounded())
            if cut - (cuts.last ?? attackFrame) >= repeatFrames, segment.upperBound - cut >= repeatFrames {
                cuts.append(cut)
            }
        }
        var pieces: [Range<Int>] = []
        var lower = segment.lowerBound
        for cut in cuts {
            pieces.append(lower..<cut)
            lower = cut
        }
        pieces.append(lower..<segment.upperBound)
        return pieces
    }

    /// The pitch of the segment's steadiest part: the median over the half of the note (a window of half its
    /// frames) whose pitches spread least. Attacks that scoop into the note, releases that fall away and glides
    /// from a neighbour stay out; vibrato is spread evenly and stays in.
    func steadyPitch(_ segment: Range<Int>, track: PitchTrack) -> Double? {
        let pitches = segment.compactMap { track.midiPitch(ofFrame: $0) }
        guard !pitches.isEmpty else { return nil }
        let width = max(1, pitches.count / 2)
        var best = 0
        var bestSpread = Double.infinity
        for start in 0...(pitches.count - width) {
            let window = pitches[start..<(start + width)]
            let spread = window.max()! - window.min()!
            if spread < bestSpread - 1e-9 {
                bestSpread = spread
                best = start
            }
        }
        return median(Array(pitches[best..<(best + width)]))
    }

    /// The pitch of a piece of a note (s), read as ``steadyPitch(_:track:)`` reads a whole one, and moved by as much
    /// as the note's own pitch was moved from that reading (an octave, where ``HarmonicParity`` moved it); nil when
    /// the piece holds fewer than ``Configuration/minimumNoteSeconds`` of voiced frames.
    func pitch(of note: PerformedNote, over span: ClosedRange<Double>, track: PitchTrack) -> Double? {
        let piece = track.frames(from: span.lowerBound, to: span.upperBound)
        let voiced = piece.filter { track.midiPitch(ofFrame: $0) != nil }.count
        guard Double(voiced) * track.hopSeconds >= configuration.minimumNoteSeconds,
            let whole = steadyPitch(track.frames(from: note.onset, to: note.offset), track: track),
            let part = steadyPitch(piece, track: track)
        else { return nil }
        return part + 12 * ((note.pitch - whole) / 12).rounded()
    }

    // MARK: - Tuning

    /// The take's tuning in cents: the circular mean of the notes' offsets from the nearest semitone, then the mean
    /// of the offsets within 25 cents of it (notes played out of tune on purpose or by mistake do not pull it). Each
    /// note weighs as many frames as its pitch holds still in (``steadyFrames(of:track:)``), not its length: a fast
    /// passage whose notes glide into one another (a sung "ooh" through a reel at eight notes a second) reads each
    /// note on its way, off the pitch the singer holds. On four sets of GM takes (`takes.py --count 72`, seeds 7,
    /// 23, 41, 59), weighing by length read tunings up to 24, 15, 20 and 8 cents off, and by steady frames 11, 6.4,
    /// 8.8 and 8.1 (median 2.0, 1.6, 1.8, 2.0 → 1.8, 1.5, 1.6, 1.7); through pink noise at 20 dB SNR the largest
    /// error fell from 25 to 10 cents. Takes with fewer than 10 steady frames weigh their notes by length.
    static func tuningCents(_ notes: [PerformedNote], track: PitchTrack) -> Double {
        let steady = notes.map { (pitch: $0.pitch, weight: Double(steadyFrames(of: $0, track: track))) }
        guard steady.reduce(0, { $0 + $1.weight }) >= 10 else {
            return tuningCents(notes.map { (pitch: $0.pitch, weight: $0.duration) })
        }
        return tuningCents(steady)
    }

    /// How far (semitones) the pitch may move between a frame's two neighbours for the frame to hold still: across
    /// a held note it moves a median 1–2 cents (p90 2–4; a MuseScore clarinet and a flute with vibrato, seed-7 GM
    /// takes), while a glide of a semitone over 100 ms moves 20 cents in those 20 ms. Weighing by frames under
    /// 0.03 or 0.12 instead gives about the same tunings (largest errors 13, 5.3, 9.1, 7.9 and 14, 8.6, 10, 8.2).
    static let steadySemitones = 0.06

    /// The frames of a note whose pitch holds still (``steadySemitones``).
    static func steadyFrames(of note: PerformedNote, track: PitchTrack) -> Int {
        // Frames with both neighbours in the track.
        let frames = track.frames(from: note.onset, to: note.offset)
        let first = max(1, frames.lowerBound), last = min(track.frameCount - 1, frames.upperBound)
        guard last > first else { return 0 }
        return (first..<last).filter { k in
            guard track.midiPitch(ofFrame: k) != nil, let before = track.midiPitch(ofFrame: k - 1),
                let after = track.midiPitch(ofFrame: k + 1)
            else { return false }
            return abs(after - before) <= steadySemitones
        }.count
    }

    /// The tuning (cents) of pitches (fractional MIDI) with weights; see ``tuningCents(_:track:)``.
    static func tuningCents(_ readings: [(pitch: Double, weight: Double)]) -> Double {
        guard !readings.isEmpty else { return 0 }
        var x = 0.0
        var y = 0.0
        for reading in readings {
            let angle = 2 * Double.pi * (reading.pitch - reading.pitch.rounded())
            x += reading.weight * cos(angle)
            y += reading.weight * sin(angle)
        }
        let centre = atan2(y, x) / (2 * Double.pi)  // semitones, in (−0.5, 0.5]
        var sum = 0.0
        var weight = 0.0
        for reading in readings {
            var offset = reading.pitch - reading.pitch.rounded() - centre
            offset -= offset.rounded()  // wrapped to (−0.5, 0.5]
            guard abs(offset) <= 0.25 else { continue }
            sum += reading.weight * offset
            weight += reading.weight
        }
        let refined = centre + (weight > 0 ? sum / weight : 0)
        return 100 * refined
    }
}

func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of nothing")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
