import AIDJAnalysis
public import AIDJAudio
import AIDJCore
import Foundation

/// Renders a ``MixPlan`` to one 44.1 kHz stereo file, track by track: each source is decoded, resampled if
/// needed, stretched by Rubber Band through its mix-in and glide (following its time map; the rest plays
/// untouched), gained to the target loudness, crossfaded with equal power above 150 Hz and bass-swapped below it,
/// summed, and passed through a true-peak limiter. Memory holds two decks at a time (the one playing out and the
/// next, rendered early for its phase check), whatever the mix length.
public struct MixRenderer: Sendable {
    public static let sampleRate = 44_100
    /// Headroom (dB) between the limiter's own ceiling and the requested one: its 4× oversampled detector can
    /// read a few tenths of a dB under meters that interpolate differently, and the ceiling must hold by those.
    /// Measured: libebur128 read 0.08 dB over the detector on a render of real records and 0.22 dB over it on a
    /// synthesized set (`MixRenderTests`), so 0.2 dB was not enough.
    static let limiterMarginDB = 0.4
    /// Echo-out: the share of the faded last bar sent into the beat-delay line, and the line's feedback per beat
    /// (each repeat 6 dB quieter than the one before, so the tail dies away within a bar or two).
    static let echoSend: Float = 0.6
    static let echoFeedback: Float = 0.5
    /// Bars of beat echo after an echo-out's last bar.
    public static let echoTailBars = 3.0

    public var plan: MixPlan
    /// Rubber Band's engine and window.
    public var quality = StretchQuality.standard
    public var ceilingDBTP = -1.0
    /// Render only this track (its part exactly as in the full mix), limiter off: for measurements.
    public var solo: Int?
    /// Crossfades, bass swaps, echoes and fades; off only to measure timing with every beat at full level.
    public var shaping = true
    /// Moves of each track (mix samples) to apply instead of measuring them: a full render measures every
    /// beat-matched overlap on the audio (``PhaseCheck``) and reports the moves it made in its result; give them
    /// to a solo render to hear a track exactly where the full render put it (and render the placed plan,
    /// ``MixPlan/placed(by:)``, for the transitions it cut).
    public var trackShifts: [Int]?
    /// Decoded sources kept for decks rendered again (a live stream's skip re-places the next track); nil: each
    /// deck decodes its source.
    var sources: SourceCache?

    public init(plan: MixPlan) { self.plan = plan }

    /// What a render produced, measured on the written file: length, loudness, true peak, clipping, limiting.
    public struct Result: Sendable, Codable {
        public var frames: Int
        public var loudnessLUFS: Double?
        public var truePeakDBTP: Double?
        /// Output samples at or beyond full scale.
        public var clippedSamples: Int
        /// Share of frames the limiter turned down, and its deepest reduction (dB).
        public var limitedShare: Double
        public var deepestLimitingDB: Double
        public var seconds: Double
        /// Per transition, the phase measured through a beat-matched overlap (nil for echo-outs, fades, planned cuts
        /// and solo renders);
        /// an overlap whose phase could not be measured was rendered as a ``PlannedTransition/Kind/cut``.
        public var phaseChecks: [PhaseCheck?]
        /// Per track, how far (mix samples) the phase checks moved it from its planned place.
        public var trackShifts: [Int]
        /// Short-term loudness of the mix as written (after the limiter), and of each track's deck as it plays
        /// into the mix (shaped and gained, before the leveler and the limiter); nil for tracks a solo render left
        /// out.
        public var mixLoudness: LoudnessTrace
        public var trackLoudness: [LoudnessTrace?]
    }

    /// Short-term loudness (EBU R128, 3-second window) once a second.
    public struct LoudnessTrace: Sendable, Codable, Equatable {
        /// Mix time (s) of the first value.
        public var startS: Double
        /// LUFS of the 3 s ending at `startS + k + 1`; nil in digital silence.
        public var lufs: [Double?]
    }

    /// The short-term loudness of a deck placed at mix sample `start`, once a second.
    func loudnessTrace(_ deck: [[Float]], start: Int) throws -> LoudnessTrace {
        let meter = try ShortTermLoudness(sampleRate: Self.sampleRate, channels: 2)
        var chunk = [Float](repeating: 0, count: Self.sampleRate * 2)
        var values: [Double?] = []
        var from = 0
        while from + Self.sampleRate <= deck[0].count {
            Interleaving.interleave(deck, from: from, count: Self.sampleRate, into: &chunk)
            chunk.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: Self.sampleRate) }
            values.append(meter.lufs)
            from += Self.sampleRate
        }
        return LoudnessTrace(startS: Double(start) / Double(Self.sampleRate), lufs: values)
    }

    /// Renders to `path` (written to a temporary file and renamed into place when complete).
    ///
    /// - Throws: `AudioError` naming a source that cannot be decoded or an output that cannot be written; the
    ///   output name is then left untouched.
    public func render(
        to path: String, format: AudioFormat, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Result {
        let started = Date()
        let sr = Self.sampleRate
        let writer = try AudioFileWriter(path: path, format: format, sampleRate: sr, channels: 2)
        let meter = try LoudnessMeter(sampleRate: sr, channels: 2, source: path)
        let limiter =
            solo == nil
            ? PeakLimiter(sampleRate: sr, channels: 2, ceilingDBTP: ceilingDBTP - Self.limiterMarginDB) : nil
        var clipped = 0
        var frames = 0
        var mixLoudness: [Double?] = []
        func emit(_ interleaved: [Float]) throws {
            guard !interleaved.isEmpty else { return }
            for x in interleaved where abs(x) >= 1 { clipped += 1 }
            let count = interleaved.count / 2
            try interleaved.withUnsafeBufferPointer { p throws(AudioError) in
                try writer.write(interleaved: p.baseAddress!, frames: count)
                // Metered in pieces that end on whole seconds of output, where the short-term loudness is read.
                var offset = 0
                while offset < count {
                    let piece = min(sr - (frames + offset) % sr, count - offset)
                    meter.add(interleaved: p.baseAddress! + 2 * offset, frames: piece)
                    offset += piece
                    if (frames + offset) % sr == 0 { mixLoudness.append(meter.shortTermLUFS) }
                }
            }
            frames += count
        }
        var trackLoudness = [LoudnessTrace?](repeating: nil, count: plan.tracks.count)
        var accumulator: [[Float]] = [[], []]
        var accumulatorStart = 0
        var history = LevelHistory(capacity: Int(Self.levelContext * Double(sr)) + Int(3.5 * Double(sr)))
        let total = plan.tracks.count
        var decks = DeckState(
            shifts: trackShifts ?? [Int](repeating: 0, count: total),
            checks: [PhaseCheck?](repeating: nil, count: plan.transitions.count), kinds: plan.transitions.map(\.type))
        // The mix is final up to where the next track could enter after the largest phase correction.
        let margin = sample(PhaseCheck.maximumShift) + 1
        for i in plan.tracks.indices {
            progress(i, total)
            if solo == nil || solo == i {
                let (start, contribution) = try placedDeck(i, state: &decks)
                trackLoudness[i] = try loudnessTrace(contribution, start: start)
                Self.add(contribution, at: start, to: &accumulator, origin: accumulatorStart)
            }
            if i > 0, solo == nil, shaping {
                levelOverlap(
                    plan.transitions[i - 1], accumulator: &accumulator, start: accumulatorStart, history: history,
                    limiting: limiter != nil)
            }
            // Everything before the next track's entry is final (the last track: everything).
            let finalUpTo =
                i + 1 < total
                ? max(accumulatorStart, sample(plan.tracks[i + 1].mixStartS) - margin)
                : accumulatorStart + accumulator[0].count
            let ready = finalUpTo - accumulatorStart
            if ready > accumulator[0].count {
                // A gap before the next track (never planned, but keep time exact): silence.
                for c in 0..<2 { accumulator[c] += [Float](repeating: 0, count: ready - accumulator[c].count) }
            }
            if ready > 0 {
                // In blocks, so memory holds the track, not extra copies of it.
                var from = 0
                while from < ready {
                    let count = min(65_536, ready - from)
                    var interleaved = [Float](repeating: 0, count: count * 2)
                    Interleaving.interleave(accumulator, from: from, count: count, into: &interleaved)
                    history.append(interleaved)
                    try emit(limiter?.process(interleaved) ?? interleaved)
                    from += count
                }
                for c in 0..<2 { accumulator[c].removeFirst(ready) }
                accumulatorStart += ready
            }
        }
        if let limiter { try emit(limiter.flush()) }
        try writer.finish()
        progress(total, total)
        let measured = meter.measurement()
        return Result(
            frames: frames, loudnessLUFS: measured.integratedLUFS, truePeakDBTP: measured.truePeakDBTP,
            clippedSamples: clipped,
            limitedShare: frames > 0 ? Double(limiter?.reducedFrames ?? 0) / Double(frames) : 0,
            deepestLimitingDB: 20 * log10(Double(limiter?.minimumGain ?? 1)),
            seconds: Date().timeIntervalSince(started), phaseChecks: decks.checks, trackShifts: decks.shifts,
            mixLoudness: LoudnessTrace(startS: 0, lufs: mixLoudness), trackLoudness: trackLoudness)
    }

    /// What placing decks carries from one track to the next: each track's move from its planned place (mix
    /// samples), each transition's phase check and kind as rendered (a beat-matched overlap whose phase cannot be
    /// measured becomes a cut), and the next track's deck when it was rendered early for a phase check.
    struct DeckState: Sendable {
        var shifts: [Int]
        var checks: [PhaseCheck?]
        var kinds: [PlannedTransition.Kind]
        var next: (start: Int, samples: [[Float]])?
    }

    /// Track `i`'s deck as it plays into the mix: placed (with its phase move) and shaped. For a beat-matched
    /// blend into track `i + 1`, that track's deck is rendered now, the overlap's phase measured on the two
    /// (``PhaseCheck``) and the next deck kept in `state` with its move.
    func placedDeck(_ i: Int, state: inout DeckState) throws -> (start: Int, samples: [[Float]]) {
        let total = plan.tracks.count
        var (start, contribution) = try state.next ?? deck(track: i)
        state.next = nil
        start += state.shifts[i]
        // A planned cut plays the two tracks one after the other: there is no blend to check (and its bar or two of
        // overlap are too short to measure).
        if i + 1 < total, i < plan.transitions.count, solo == nil, trackShifts == nil, shaping,
            state.kinds[i].isBeatMatched, state.kinds[i] != .cut
        {
            let incoming = try deck(track: i + 1)
            let check = checkPhase(
                plan.transitions[i], outgoing: contribution, outgoingStart: start, incoming: incoming.1,
                incomingStart: incoming.0, beatSeconds: 60 / max(plan.tracks[i].bpm, 1))
            state.checks[i] = check
            state.shifts[i + 1] = sample(check.shiftS)
            if check.action == .unmeasurable { state.kinds[i] = .cut }
            state.next = incoming
        }
        if i == total - 1, state.shifts[i] != 0 {
            // The mix keeps its planned length: the last track ends where the plan says.
            let count = max(0, sample(plan.tracks[i].mixEndS) - start)
            for c in 0..<2 {
                if contribution[c].count > count {
                    contribution[c].removeLast(contribution[c].count - count)
                } else {
                    contribution[c] += [Float](repeating: 0, count: count - contribution[c].count)
                }
            }
        }
        if shaping { shape(&contribution, track: i, start: start, kinds: state.kinds) }
        return (start, contribution)
    }

    /// Sums a deck placed at mix sample `start` into a mix buffer whose first sample is mix sample `origin`,
    /// growing the buffer as needed.
    static func add(_ deck: [[Float]], at start: Int, to accumulator: inout [[Float]], origin: Int) {
        let needed = start + deck[0].count - origin
        if accumulator[0].count < needed {
            for c in 0..<2 { accumulator[c] += [Float](repeating: 0, count: needed - accumulator[c].count) }
        }
        for c in 0..<2 {
            accumulator[c].withUnsafeMutableBufferPointer { a in
                deck[c].withUnsafeBufferPointer { x in
                    let offset = start - origin
                    for n in 0..<x.count { a[offset + n] += x[n] }
                }
            }
        }
    }

    func sample(_ seconds: Double) -> Int { Int((seconds * Double(Self.sampleRate)).rounded()) }

}
