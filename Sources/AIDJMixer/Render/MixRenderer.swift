import AIDJAnalysis
public import AIDJAudio
import AIDJCore
import Foundation

/// Renders a ``MixPlan`` to one 44.1 kHz stereo file, track by track: each source is decoded, resampled if
/// needed, stretched by Rubber Band through its mix-in and glide (following its time map; the rest plays
/// untouched), gained to the target loudness, crossfaded with equal power above 150 Hz and bass-swapped below it,
/// summed, and passed through a true-peak limiter. Memory holds one track at a time, whatever the mix length.
public struct MixRenderer: Sendable {
    public static let sampleRate = 44_100
    /// Headroom (dB) between the limiter's own ceiling and the requested one: its 4× oversampled detector can
    /// read a few tenths of a dB under meters that interpolate more finely, and the ceiling must hold by those.
    static let limiterMarginDB = 0.2
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
    /// to a solo render to hear a track exactly where the full render put it.
    public var trackShifts: [Int]?

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
        /// Per transition, the phase measured through a beat-matched overlap (nil for echo-outs and solo renders).
        public var phaseChecks: [PhaseCheck?]
        /// Per track, how far (mix samples) the phase checks moved it from its planned place.
        public var trackShifts: [Int]
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
        func emit(_ interleaved: [Float]) throws {
            guard !interleaved.isEmpty else { return }
            for x in interleaved where abs(x) >= 1 { clipped += 1 }
            try interleaved.withUnsafeBufferPointer { p throws(AudioError) in
                meter.add(interleaved: p.baseAddress!, frames: p.count / 2)
                try writer.write(interleaved: p.baseAddress!, frames: p.count / 2)
            }
            frames += interleaved.count / 2
        }
        var accumulator: [[Float]] = [[], []]
        var accumulatorStart = 0
        var history = LevelHistory(capacity: Int(Self.levelContext * Double(sr)) + Int(3.5 * Double(sr)))
        let total = plan.tracks.count
        var shifts = trackShifts ?? [Int](repeating: 0, count: total)
        var checks = [PhaseCheck?](repeating: nil, count: plan.transitions.count)
        // The mix is final up to where the next track could enter after the largest phase correction.
        let margin = sample(PhaseCheck.maximumShift) + 1
        for i in plan.tracks.indices {
            progress(i, total)
            if solo == nil || solo == i {
                var (start, contribution) = try deck(track: i)
                if i > 0, solo == nil, trackShifts == nil, shaping, plan.transitions[i - 1].type == .beatmatch {
                    let check = checkPhase(
                        plan.transitions[i - 1], accumulator: accumulator, accumulatorStart: accumulatorStart,
                        incoming: contribution, start: start, beatSeconds: 60 / max(plan.tracks[i - 1].bpm, 1))
                    checks[i - 1] = check
                    shifts[i] = sample(check.shiftS)
                }
                start += shifts[i]
                if i == total - 1, shifts[i] != 0 {
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
                if shaping { shape(&contribution, track: i, start: start) }
                let end = start + contribution[0].count
                let needed = end - accumulatorStart
                if accumulator[0].count < needed {
                    for c in 0..<2 { accumulator[c] += [Float](repeating: 0, count: needed - accumulator[c].count) }
                }
                for c in 0..<2 {
                    accumulator[c].withUnsafeMutableBufferPointer { a in
                        contribution[c].withUnsafeBufferPointer { x in
                            let offset = start - accumulatorStart
                            for n in 0..<x.count { a[offset + n] += x[n] }
                        }
                    }
                }
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
            seconds: Date().timeIntervalSince(started), phaseChecks: checks, trackShifts: shifts)
    }

    func sample(_ seconds: Double) -> Int { Int((seconds * Double(Self.sampleRate)).rounded()) }

    /// The phase of a beat-matched overlap as it will sound: the outgoing deck as already mixed (shaped) against
    /// the incoming deck before its fades.
    func checkPhase(
        _ transition: PlannedTransition, accumulator: [[Float]], accumulatorStart: Int, incoming: [[Float]],
        start: Int, beatSeconds: Double
    ) -> PhaseCheck {
        // The mix time both decks cover through the overlap.
        let from = max(sample(transition.overlapStartS), start, accumulatorStart)
        let to = min(
            sample(transition.overlapEndS), start + incoming[0].count, accumulatorStart + accumulator[0].count)
        guard to > from else { return PhaseCheck(lagS: 0, correlation: 0, action: .unmeasurable, shiftS: 0) }
        func mono(_ x: [[Float]], origin: Int) -> [Float] {
            ((from - origin)..<(to - origin)).map { (x[0][$0] + x[1][$0]) / 2 }
        }
        return PhaseCheck.measure(
            outgoing: mono(accumulator, origin: accumulatorStart), incoming: mono(incoming, origin: start),
            sampleRate: Self.sampleRate, beatSeconds: beatSeconds)
    }

    /// Seconds on each side of an overlap that set its loudness target.
    static let levelContext = 8.0

    /// The last few seconds of mix already emitted (before the limiter), interleaved stereo.
    struct LevelHistory {
        let capacity: Int
        var frames: [Float] = []
        mutating func append(_ interleaved: [Float]) {
            frames += interleaved
            if frames.count > capacity * 2 { frames.removeFirst(frames.count - capacity * 2) }
        }
    }

    /// Keeps a transition as loud as the music around it. Intros and outros are often sparser than the bodies
    /// they join, so two of them blended can sag several LU; a DJ rides the gain through such a blend. Here the
    /// target is the mean short-term loudness (EBU R128, 3 s) of the `levelContext` seconds before and after the
    /// overlap, as heard after the limiter; through the overlap a gain (−6…+8 dB, ramped in and out over 0.5 s)
    /// brings the short-term loudness centred on each moment to that target, in three passes.
    func levelOverlap(
        _ transition: PlannedTransition, accumulator: inout [[Float]], start: Int, history: LevelHistory,
        limiting: Bool
    ) {
        let sr = Double(Self.sampleRate)
        let overlapFrom = sample(transition.overlapStartS) - start, overlapTo = sample(transition.overlapEndS) - start
        let contextFrames = Int(Self.levelContext * sr)
        let regionEnd = min(accumulator[0].count, overlapTo + contextFrames)
        guard overlapFrom >= 0, overlapTo > overlapFrom, regionEnd > overlapTo else { return }
        // The history ends where the accumulator starts, so the two together are the mix as it runs.
        let pre = history.frames.count / 2 + overlapFrom
        var region = [Float](repeating: 0, count: 2 * regionEnd)
        Interleaving.interleave(accumulator, from: 0, count: regionEnd, into: &region)
        var combined = history.frames + region
        let hop = 0.1
        // Times relative to the start of `combined`, in seconds.
        let os = Double(pre) / sr, oe = os + Double(overlapTo - overlapFrom) / sr
        let end = Double(pre - overlapFrom + regionEnd) / sr
        var gains = [Double](repeating: 0, count: Int(((oe - os) / hop).rounded(.up)) + 1)
        for _ in 0..<3 {
            // Measured as it will sound: after the limiter, which turns dense passages down more than sparse ones.
            var heard = combined
            if limiting {
                let limiter = PeakLimiter(
                    sampleRate: Self.sampleRate, channels: 2, ceilingDBTP: ceilingDBTP - Self.limiterMarginDB)
                heard = limiter.process(combined) + limiter.flush()
            }
            let profile = LoudnessMeter.shortTermProfile(
                interleaved: heard, sampleRate: Self.sampleRate, channels: 2, hop: hop)
            func windows(_ from: Double, _ to: Double) -> [Double] {
                let first = Int(((from + 3) / hop).rounded(.up)) - 1, last = Int((to / hop).rounded(.down)) - 1
                guard first <= last, first >= 0 else { return [] }
                return Array(profile[first...min(last, profile.count - 1)]).filter { $0 > -70 }
            }
            func mean(_ v: [Double]) -> Double? {
                v.isEmpty ? nil : 10 * log10(v.map { pow(10, $0 / 10) }.reduce(0, +) / Double(v.count))
            }
            let sides = [
                mean(windows(max(0, os - Self.levelContext), os)), mean(windows(oe, min(end, oe + Self.levelContext))),
            ]
            .compactMap { $0 }
            guard !sides.isEmpty else { return }
            let target = sides.reduce(0, +) / Double(sides.count)
            var step = [Double](repeating: 0, count: gains.count)
            for k in gains.indices {
                let t = os + Double(k) * hop
                let index = Int(((t + 1.5) / hop).rounded()) - 1
                guard index >= 0, index < profile.count, profile[index] > -70 else { continue }
                let edge = min(1, (t - os) / 0.5, (oe - t) / 0.5)
                step[k] = max(-6, min(8, target - profile[index])) * max(0, edge)
            }
            // Apply this pass's correction to `combined`'s overlap part.
            for n in 0..<(overlapTo - overlapFrom) {
                let g = Self.gain(step, at: n, hop: hop)
                combined[2 * (pre + n)] *= g
                combined[2 * (pre + n) + 1] *= g
            }
            for k in gains.indices { gains[k] += step[k] }
        }
        for n in 0..<(overlapTo - overlapFrom) {
            let g = Self.gain(gains, at: n, hop: hop)
            accumulator[0][overlapFrom + n] *= g
            accumulator[1][overlapFrom + n] *= g
        }
    }

    /// The linear gain at frame `n` of a curve in dB sampled every `hop` seconds (linear interpolation).
    static func gain(_ curve: [Double], at n: Int, hop: Double) -> Float {
        let position = Double(n) / Double(sampleRate) / hop
        let k = min(Int(position), curve.count - 2)
        let w = position - Double(k)
        return Float(pow(10, (curve[k] * (1 - w) + curve[k + 1] * w) / 20))
    }

    /// Decodes a source as 44.1 kHz stereo.
    static func decode(_ path: String) throws -> [[Float]] {
        let buffer = try AudioFileReader(path: path).readAll()
        var channels: [[Float]]
        switch buffer.channelCount {
        case 1: channels = [buffer.channels[0], buffer.channels[0]]
        case 2: channels = buffer.channels
        default:
            // More than two: fold odd channels left and even ones right.
            channels = [
                [Float](repeating: 0, count: buffer.frameCount), [Float](repeating: 0, count: buffer.frameCount),
            ]
            for (c, data) in buffer.channels.enumerated() {
                for n in data.indices { channels[c % 2][n] += data[n] * 2 / Float(buffer.channelCount) }
            }
        }
        if buffer.sampleRate != sampleRate {
            channels = try channels.map { channel in
                let resampler = try Resampler(
                    inputRate: Double(buffer.sampleRate), outputRate: Double(sampleRate), quality: .high, source: path)
                var out: [Float] = []
                try channel.withUnsafeBufferPointer { (c) throws(AudioError) in
                    try resampler.process(c.baseAddress!, count: c.count, output: &out)
                }
                try resampler.flush(output: &out)
                return out
            }
        }
        return channels
    }

    /// One track's deck before shaping: its first mix sample as planned, and its samples (per channel, stretched
    /// and gained) from there to its planned end.
    func deck(track i: Int) throws -> (Int, [[Float]]) {
        let t = plan.tracks[i]
        let source = try Self.decode(t.path)
        let sr = Double(Self.sampleRate)
        let start = sample(t.mixStartS), end = sample(t.mixEndS)
        let length = max(0, end - start)
        var out = [[Float]](repeating: [Float](repeating: 0, count: length), count: 2)
        let map = t.timeMap
        let playedEnd = sample(map.mixTime(source: t.sourceEndS))  // dry signal stops here

        // Native-rate part: mix sample m plays source sample m − offset.
        let nativeFrom: Int
        let offset = sample(map.mixTime(source: t.stretchEndS) - t.stretchEndS)
        if t.stretchPercent != 0 {
            // Stretched part, with half a second of rate 1 after the glide to join the native part smoothly.
            let sourceFrom = t.sourceStartS
            let sourceTo = min(t.stretchEndS + 0.5, Double(source[0].count) / sr, t.sourceEndS)
            let inFrom = sample(sourceFrom), inTo = max(inFrom + 1, sample(sourceTo))
            let outFrom = sample(map.mixTime(source: sourceFrom)), outTo = sample(map.mixTime(source: sourceTo))
            let keyFrames = map.points.filter { $0[1] > sourceFrom && $0[1] < sourceTo }.map {
                (input: sample($0[1]) - inFrom, output: sample($0[0]) - outFrom)
            }
            let region = source.map { Array($0[min(inFrom, $0.count)..<min(inTo, $0.count)]) }
            let stretched = TimeStretcher.stretch(
                region, sampleRate: Self.sampleRate, outputLength: max(1, outTo - outFrom), keyFrames: keyFrames,
                quality: quality)
            // Join: 256-sample crossfade to the native signal, a quarter second after the glide.
            let join = min(outTo - 256, sample(map.mixTime(source: t.stretchEndS)) + Int(0.25 * sr))
            for c in 0..<2 {
                for m in outFrom..<outTo {
                    let k = m - start
                    guard k >= 0 && k < length && m < playedEnd else { continue }
                    var y = stretched[c][m - outFrom]
                    if m >= join {
                        let w = Float(min(1, Double(m - join) / 256))
                        let s = m - offset
                        let native = s >= 0 && s < source[c].count ? source[c][s] : 0
                        y = y * (1 - w) + native * w
                    }
                    out[c][k] = y
                }
            }
            nativeFrom = max(start, join + 256)
        } else {
            nativeFrom = start
        }
        for c in 0..<2 {
            source[c].withUnsafeBufferPointer { x in
                out[c].withUnsafeMutableBufferPointer { y in
                    for m in nativeFrom..<min(end, playedEnd) {
                        let s = m - offset
                        if s >= 0 && s < x.count { y[m - start] = x[s] }
                    }
                }
            }
        }

        let gain = Float(pow(10, t.gainDB / 20))
        for c in 0..<2 { for k in 0..<length { out[c][k] *= gain } }
        return (start, out)
    }

    /// Fades, crossfades and echoes of track `i`, whose deck `out` starts at mix sample `start`; each at its
    /// planned mix time.
    func shape(_ out: inout [[Float]], track i: Int, start: Int) {
        let t = plan.tracks[i]
        let sr = Double(Self.sampleRate)
        let length = out[0].count
        // Short fades where the track starts and ends on its own (first and last track, echo-in).
        let fadeIn = i == 0 || (i > 0 && plan.transitions[i - 1].type == .echoOut) ? Int(0.01 * sr) : 0
        for k in 0..<min(fadeIn, length) { for c in 0..<2 { out[c][k] *= Float(k) / Float(fadeIn) } }
        if i == plan.tracks.count - 1 {
            let fade = min(length, Int(0.5 * sr))
            for k in 0..<fade { for c in 0..<2 { out[c][length - 1 - k] *= Float(k) / Float(fade) } }
        }
        let incoming = i > 0 && plan.transitions[i - 1].type == .beatmatch ? plan.transitions[i - 1] : nil
        let outgoing = i < plan.transitions.count ? plan.transitions[i] : nil
        crossfade(&out, start: start, incoming: incoming, outgoing: outgoing?.type == .beatmatch ? outgoing : nil)
        if let outgoing, outgoing.type == .echoOut { echo(&out, start: start, transition: outgoing, track: t) }
    }

    /// Ramp of the bass swap (seconds): short enough to sound like a cut on the downbeat, long enough not to click.
    static let bassSwapRampSeconds = 0.06

    /// The deck's blends, through its own ``Crossover`` for the whole time it plays (so the phase shift of the
    /// crossover is the same on both decks and constant through each track): above the crossover frequency an
    /// equal-power crossfade through each beat-matched overlap; below it the outgoing bass plays until the swap
    /// downbeat and the incoming bass from there, each ramped over ``bassSwapRampSeconds``, so two basslines never
    /// play together. After an outgoing overlap the deck is silent.
    func crossfade(
        _ out: inout [[Float]], start: Int, incoming: PlannedTransition?, outgoing: PlannedTransition?
    ) {
        let length = out[0].count
        let ramp = Double(Self.sampleRate) * Self.bassSwapRampSeconds
        /// (from, to, swap) of an overlap, in samples of `out`.
        func span(_ t: PlannedTransition?) -> (from: Int, to: Int, swap: Int)? {
            t.map {
                (
                    sample($0.overlapStartS) - start, sample($0.overlapEndS) - start,
                    sample($0.bassSwapS ?? $0.overlapStartS) - start
                )
            }
        }
        let entering = span(incoming), leaving = span(outgoing)
        for c in 0..<2 {
            var crossover = Crossover(sampleRate: Double(Self.sampleRate))
            out[c].withUnsafeMutableBufferPointer { x in
                for k in 0..<length {
                    let (low, high) = crossover.process(x[k])
                    var lowGain = 1.0, highGain = 1.0
                    if let (from, to, swap) = entering, k < to {
                        let position = Double(k - from) / Double(max(1, to - from))
                        highGain = sin(Double.pi / 2 * min(1, max(0, position)))
                        lowGain = min(1, max(0, (Double(k - swap) + ramp / 2) / ramp))
                    }
                    if let (from, to, swap) = leaving, k >= from {
                        guard k < to else {
                            x[k] = 0
                            continue
                        }
                        let position = Double(k - from) / Double(max(1, to - from))
                        highGain *= cos(Double.pi / 2 * position)
                        lowGain *= 1 - min(1, max(0, (Double(k - swap) + ramp / 2) / ramp))
                    }
                    x[k] = low * Float(lowGain) + high * Float(highGain)
                }
            }
        }
    }

    /// Echo-out: the last bar's dry signal fades out while feeding a one-beat echo (feedback 0.5) that rings on
    /// for ``echoTailBars`` bars.
    func echo(_ out: inout [[Float]], start: Int, transition: PlannedTransition, track: PlannedTrack) {
        let barStart = sample(transition.overlapStartS) - start
        let barEnd = sample(track.timeMap.mixTime(source: track.sourceEndS)) - start
        let length = out[0].count
        let beat = max(1, (barEnd - barStart) / 4)
        for c in 0..<2 {
            var input = [Float](repeating: 0, count: length)
            for k in max(0, barStart)..<min(barEnd, length) {
                let w = Float(k - barStart) / Float(max(1, barEnd - barStart))
                input[k] = out[c][k] * w
                out[c][k] *= 1 - w
            }
            var echo = [Float](repeating: 0, count: length)
            for k in max(0, barStart + beat)..<length {
                echo[k] = Self.echoSend * input[k - beat] + Self.echoFeedback * echo[k - beat]
            }
            for k in max(0, barStart)..<length { out[c][k] += echo[k] }
        }
    }
}
