public import AIDJCore
public import AIDJStore
import Dispatch
import Foundation

/// An endless mix for one mood, rendered in blocks as it is played: the same planner, decks, phase checks,
/// shaping, leveler and limiter as a file render, over a plan that grows one track at a time.
///
/// The next track is chosen while the one before it plays (so its deck can be phase-checked against the
/// current one), by the sequencer's transition cost (tempo, key), its energy against the mood, and a score that
/// the caller keeps up to date: the taste of the listeners who are connected (``taste``) plus boosts (``boost``,
/// e.g. similarity to what was liked this session). Tracks played in the last ``replayGap`` tracks, or by the
/// same artist within ``artistGap`` tracks, are not chosen while others remain.
///
/// Placing a track decodes and stretches whole tracks: seconds of work for a long record (15 s measured for a
/// 5-minute one on a busy 2-core machine), longer than a stream's buffer. So the next placement is worked out
/// on another thread from ``lookAheadS`` before the render needs it, while the render thread plays what is
/// already final; a skip discards it and starts again at once, on the two sources decoded last
/// (``SourceCache``), which are the ones it needs.
///
/// Memory holds the current and next decks, two decoded sources and the last few tracks of the plan, whatever
/// the stream's length.
/// Not thread-safe: one owner renders it (``nextBlock(maximumFrames:)``) and asks it to ``skip()``.
public final class LiveMix {
    /// Rendered audio: 44.1 kHz stereo, interleaved, with the track on air where it starts.
    public struct Block: Sendable {
        public var interleaved: [Float]
        /// Mix sample (from the start of the stream) of the first frame.
        public var startFrame: Int
        /// The track on air through the whole block (a block never crosses a change of track).
        public var onAir: Int
    }

    /// A track of the stream, with why it was chosen.
    public struct Entry: Sendable {
        /// Position in the stream: 0 for the first track.
        public var number: Int
        public var track: PlannedTrack
        /// How it fits, and why it followed the track before it.
        public var why: String
        /// Stream seconds where it goes on air; nil until known.
        public var onAirS: Double?
    }

    /// A track as the stream placed it, for checking its transitions from outside (see ``keepsLog``).
    public struct Placed: Sendable {
        public var number: Int
        /// The track with its time map, start and end moved by its phase correction (stream seconds).
        public var track: PlannedTrack
        /// The transition that brought it in, as rendered (nil for the first track).
        public var transitionIn: PlannedTransition?
    }

    public static let sampleRate = MixRenderer.sampleRate
    /// Keep ``log``: every track placed, with its final time map (off by default: it grows with the stream).
    public var keepsLog = false
    public private(set) var log: [Placed] = []
    /// Tracks played within this many tracks are not chosen again while there are others.
    public var replayGap = 20
    /// The same artist does not come back within this many tracks, while there are others.
    public var artistGap = 3
    /// Taste score in [0, 1] per track of the listeners connected now (nil: nobody with a taste signal).
    public var taste: [Int64: Double]?
    /// Extra score per track (e.g. similarity to tracks liked this session), added to the fit.
    public var boost: [Int64: Double] = [:]

    /// Start working out the next placement this long (s) before the render needs it.
    public var lookAheadS = 60.0

    let request: MixRequest
    let planner: LivePlanner
    var state: LivePlanState
    var accumulator: [[Float]] = [[], []]
    /// Frames of `accumulator` already emitted, and the mix frame of `accumulator[c][0]`.
    var head = 0
    var accumulatorStart = 0
    /// Frames before this mix frame are final.
    var readyEnd = 0
    var history: MixRenderer.LevelHistory
    let limiter: PeakLimiter
    var emitted = 0
    /// The placement being worked out on another thread, and the plan generation it started from (a skip starts
    /// a new generation: a placement from an older one is dropped).
    var pending: PendingPlacement?
    var generation = 0

    /// A placement worked out on another thread: the result is written before `done` is signalled and read after
    /// waiting for it.
    final class PendingPlacement: @unchecked Sendable {
        let generation: Int
        let done = DispatchSemaphore(value: 0)
        var result: Result<LivePlacement, any Error>?

        init(generation: Int) { self.generation = generation }
    }

    /// Prepares a stream for `request` (its mood, transitions and loudness target; `minutes` is ignored) from the
    /// library's candidates.
    ///
    /// - Throws: ``MixError`` when the library has nothing that fits or not enough to keep going.
    public init(request: MixRequest, snapshot: LibrarySnapshot, store: LibraryStore) throws {
        var request = request
        request.minutes = 24 * 60
        request.arc = .flat
        self.request = request
        let pool = try MixPlanner(request: request).pool(snapshot: snapshot, store: store)
        guard pool.candidates.count >= 2 else {
            throw MixError(
                .notEnoughMusic,
                "a live stream of \(request.mood.name) needs at least 2 tracks that fit it with a beat grid; "
                    + "\(pool.candidates.count) found")
        }
        planner = LivePlanner(
            request: request, pool: pool.candidates, grids: pool.grids, sequencer: Sequencer(request: request))
        var renderer = MixRenderer(
            plan: MixPlan(
                tracks: [], transitions: [], durationS: 0, mood: request.mood.name, arc: request.arc.rawValue,
                targetLUFS: request.targetLUFS, harmonicShare: 1, loudnessLUFS: nil, truePeakDBTP: nil, notes: []))
        renderer.ceilingDBTP = request.ceilingDBTP
        // A skip renders the next two decks again: their sources are the two decoded last.
        renderer.sources = SourceCache(capacity: 2)
        state = LivePlanState(renderer: renderer)
        history = MixRenderer.LevelHistory(
            capacity: Int(MixRenderer.levelContext * Double(Self.sampleRate)) + Int(3.5 * Double(Self.sampleRate)))
        limiter = PeakLimiter(
            sampleRate: Self.sampleRate, channels: 2,
            ceilingDBTP: request.ceilingDBTP - MixRenderer.limiterMarginDB)
    }

    /// What a live stream of `mood` asks of the mixer: 16-bar transitions, −14 LUFS, and a ceiling 1.6 dB under
    /// the file renders' −1 dBTP, because Opus overshoots the limiter. Measured with BS.1770 true peak (this
    /// project's meter; ffmpeg's ebur128 agrees within 0.15 dB on decoded audio), 10-minute renders encoded at
    /// 192 kbit/s and decoded: 1.1 dB over on game-music records, 2.0 dB over on the synthetic grooves, whose
    /// hats fill the top octave (at 128 kbit/s: 1.5 and 2.3 dB). Tracks get the same gains as in a file render:
    /// the extra limiting the lower ceiling needs is allowed for.
    public static func streamRequest(mood: MoodRegion) -> MixRequest {
        var request = MixRequest(mood: mood, minutes: 60)
        request.transitionBars = 16
        request.ceilingDBTP = -2.6
        request.maximumLimitingDB += 1.6
        return request
    }

    var scoring: LivePlanner.Scoring {
        LivePlanner.Scoring(taste: taste, boost: boost, replayGap: replayGap, artistGap: artistGap)
    }

    // MARK: - Rendering

    /// Where plan transition `j` hands the air to the next track: the middle of a blend's overlap, or where the
    /// next track starts after an echo-out.
    func handoverFrame(_ j: Int) -> Int {
        let plan = state.renderer.plan
        let t = plan.transitions[j]
        let s = t.type == .echoOut ? plan.tracks[j + 1].mixStartS : (t.overlapStartS + t.overlapEndS) / 2
        return state.renderer.sample(s)
    }

    /// The plan index of the track on air at mix frame `frame` (among the tracks placed so far).
    func onAir(at frame: Int) -> Int {
        var j = 0
        while j < state.processed - 1, j < state.renderer.plan.transitions.count, handoverFrame(j) <= frame { j += 1 }
        return j
    }

    /// Drops emitted frames from the front of the accumulator.
    func compact() {
        guard head > 0 else { return }
        for c in 0..<2 { accumulator[c].removeFirst(head) }
        accumulatorStart += head
        head = 0
    }

    /// Starts working out the next placement on another thread, from a copy of the plan.
    func startPlacement() {
        let job = PendingPlacement(generation: generation)
        pending = job
        let planner = self.planner, state = self.state, scoring = self.scoring
        DispatchQueue.global(qos: .userInitiated).async {
            job.result = Result { try planner.placement(from: state, scoring: scoring) }
            job.done.signal()
        }
    }

    /// Places the next track on the mix: the placement worked out ahead when there is one (waiting for it if it
    /// is still running), else worked out now.
    func placeNext() throws {
        if let job = pending {
            pending = nil
            job.done.wait()
            if job.generation == generation, let result = job.result {
                apply(try result.get())
                return
            }
        }
        apply(try planner.placement(from: state, scoring: scoring))
    }

    /// Puts a placement's deck on the mix, levels the overlap it closes, and moves what is final on.
    func apply(_ placed: LivePlacement) {
        compact()
        state = placed.state
        let i = state.processed
        MixRenderer.add(placed.contribution, at: placed.start, to: &accumulator, origin: accumulatorStart)
        if keepsLog {
            var track = state.renderer.plan.tracks[i]
            let d = Double(state.decks.shifts[i]) / Double(Self.sampleRate)
            track.mixStartS += d
            track.mixEndS += d
            track.timeMap = TimeMap(points: track.timeMap.points.map { (mix: $0[0] + d, source: $0[1]) })
            var transition = i > 0 ? state.renderer.plan.transitions[i - 1] : nil
            transition?.type = state.decks.kinds[i - 1]
            log.append(Placed(number: state.base + i, track: track, transitionIn: transition))
        }
        if i > 0 {
            state.renderer.levelOverlap(
                state.renderer.plan.transitions[i - 1], accumulator: &accumulator, start: accumulatorStart,
                history: history, limiting: true)
        }
        state.processed += 1
        let margin = state.renderer.sample(PhaseCheck.maximumShift) + 1
        readyEnd = max(readyEnd, state.renderer.sample(state.renderer.plan.tracks[i + 1].mixStartS) - margin)
        trim()
    }

    /// Forgets tracks more than two behind the one being placed, so the plan stays short.
    func trim() {
        let drop = state.processed - 3
        guard drop > 0 else { return }
        let keep = max(replayGap, artistGap)
        state.played += state.chosen.prefix(drop)
        if state.played.count > keep { state.played.removeFirst(state.played.count - keep) }
        state.renderer.plan.tracks.removeFirst(drop)
        state.renderer.plan.transitions.removeFirst(drop)
        for j in state.renderer.plan.transitions.indices {
            state.renderer.plan.transitions[j].from = j
            state.renderer.plan.transitions[j].to = j + 1
        }
        state.chosen.removeFirst(drop)
        state.placements.removeFirst(drop)
        state.whys.removeFirst(drop)
        state.decks.shifts.removeFirst(drop)
        state.decks.checks.removeFirst(drop)
        state.decks.kinds.removeFirst(drop)
        state.processed -= drop
        state.base += drop
    }

    /// The next rendered block: at most `maximumFrames` frames, ending early where the track on air changes.
    public func nextBlock(maximumFrames: Int = 22_050) throws -> Block {
        while readyEnd <= accumulatorStart + head { try placeNext() }
        let position = accumulatorStart + head
        if pending == nil, Double(readyEnd - position) < lookAheadS * Double(Self.sampleRate) { startPlacement() }
        var count = min(maximumFrames, readyEnd - position)
        let air = onAir(at: position)
        if air < state.renderer.plan.transitions.count, air + 1 < state.processed {
            let change = handoverFrame(air)
            if change > position { count = min(count, change - position) }
        }
        var interleaved = [Float](repeating: 0, count: 2 * count)
        let available = max(0, min(count, accumulator[0].count - head))
        for n in 0..<available {
            interleaved[2 * n] = accumulator[0][head + n]
            interleaved[2 * n + 1] = accumulator[1][head + n]
        }
        head += count
        if head > accumulator[0].count {
            for c in 0..<2 { accumulator[c] += [Float](repeating: 0, count: head - accumulator[c].count) }
        }
        history.append(interleaved)
        let out = limiter.process(interleaved)
        let block = Block(interleaved: out, startFrame: emitted, onAir: state.base + air)
        emitted += out.count / 2
        return block
    }

    /// The ``log`` up to stream second `seconds` as a mix plan (what a file render's JSON holds): the tracks that
    /// started by then, and the transitions between them that ended by then.
    public func loggedPlan(upTo seconds: Double) -> MixPlan {
        let placed = log.filter { $0.track.mixStartS < seconds }
        var transitions: [PlannedTransition] = []
        for (k, p) in placed.enumerated() where k > 0 {
            guard var t = p.transitionIn, t.overlapEndS <= seconds else { continue }
            t.from = k - 1
            t.to = k
            transitions.append(t)
        }
        return MixPlan(
            tracks: placed.map(\.track), transitions: transitions, durationS: seconds, mood: request.mood.name,
            arc: request.arc.rawValue, targetLUFS: request.targetLUFS, harmonicShare: 1, loudnessLUFS: nil,
            truePeakDBTP: nil, notes: [])
    }

    // MARK: - Now playing and control

    /// The tracks the stream knows: up to two before the one on air, it, and the next (when chosen).
    public var entries: [Entry] {
        state.renderer.plan.tracks.indices.map { j in
            Entry(
                number: state.base + j, track: state.renderer.plan.tracks[j], why: state.whys[j],
                onAirS: j == 0
                    ? (state.base == 0 ? 0 : nil)
                    : (j - 1 < state.processed - 1 ? Double(handoverFrame(j - 1)) / Double(Self.sampleRate) : nil))
        }
    }

    /// What a skip did.
    public enum SkipOutcome: Sendable, Equatable {
        /// The track leaves by an echo-out whose echo bar starts at this stream time (s); the next starts a bar
        /// later.
        case echoOut(atS: Double)
        /// The track was already leaving within two bars: the planned transition stands.
        case alreadyLeaving
    }

    /// Moves the mix on from the track on air: it leaves by an echo-out on its next downbeat after what has been
    /// rendered (the transition starts within a bar of it, the next track a bar later), unless a transition
    /// already starts within two bars or has begun. After a blend's midpoint the incoming track is on air and is
    /// the one skipped, once it has fully come in.
    public func skip() -> SkipOutcome {
        compact()
        let position = accumulatorStart
        let i = state.processed - 1
        guard i >= 0, i + 1 < state.renderer.plan.tracks.count else { return .alreadyLeaving }
        // The track after the one on air is already coming in: the one on air leaves by that blend.
        if onAir(at: position) < i { return .alreadyLeaving }
        let track = state.renderer.plan.tracks[i], g = planner.grid(state.chosen[i])
        let sr = Double(Self.sampleRate)
        let shift = Double(state.decks.shifts[i]) / sr
        // The track must have come in fully: its echo bar starts after the blend that brought it in.
        var earliest = Double(position) / sr + 0.05
        if i > 0 { earliest = max(earliest, state.renderer.plan.transitions[i - 1].overlapEndS + shift) }
        let bar = g.bar(atOrAfter: track.timeMap.sourceTime(mix: earliest - shift) + 0.1)
        guard bar + 1 < g.boundaries.count else { return .alreadyLeaving }
        let echoStart = track.timeMap.mixTime(source: g.boundaries[bar]) + shift
        let barSeconds = g.boundaries[bar + 1] - g.boundaries[bar]
        let planned = state.renderer.plan.transitions[i].overlapStartS + shift
        if planned <= echoStart + 2 * barSeconds { return .alreadyLeaving }
        // The plan changes: a placement worked out ahead is for the plan as it was.
        generation += 1
        pending = nil
        let placed = planner.transitions.place(
            [state.chosen[i], state.chosen[i + 1]], grids: [g, planner.grid(state.chosen[i + 1])],
            sequencer: planner.sequencer,
            opening: state.placements[i], echoExit: bar)
        planner.replace(
            from: i, with: placed, next: state.chosen[i + 1], why: state.whys[i + 1] + "; brought forward by a skip",
            in: &state)
        state.decks.next = nil
        // Re-shape the rest of the track as it now leaves: silence after the echo bar, then the echo.
        let plan = state.renderer.plan
        let barEnd = state.renderer.sample(plan.tracks[i].timeMap.mixTime(source: plan.tracks[i].sourceEndS) + shift)
        let tailEnd = state.renderer.sample(plan.transitions[i].overlapEndS + shift) + 1
        let length = max(accumulator[0].count, tailEnd - accumulatorStart)
        for c in 0..<2 {
            if accumulator[c].count < length {
                accumulator[c] += [Float](repeating: 0, count: length - accumulator[c].count)
            }
            for k in max(0, barEnd - accumulatorStart)..<accumulator[c].count { accumulator[c][k] = 0 }
        }
        state.renderer.echo(
            &accumulator, start: accumulatorStart - state.decks.shifts[i], transition: plan.transitions[i],
            track: plan.tracks[i])
        let margin = state.renderer.sample(PhaseCheck.maximumShift) + 1
        readyEnd = max(position, state.renderer.sample(plan.tracks[i + 1].mixStartS) - margin)
        // The next track's deck is needed within a bar or two: start on it now.
        startPlacement()
        return .echoOut(atS: echoStart)
    }
}
