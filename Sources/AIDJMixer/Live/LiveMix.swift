public import AIDJCore
public import AIDJStore
import Foundation

/// An endless mix for one mood, rendered in blocks as it is played: the same planner, decks, phase checks,
/// shaping, leveler and limiter as a file render, over a plan that grows one track at a time.
///
/// The next track is chosen when the one before it starts (so its deck can be phase-checked against the
/// current one), by the sequencer's transition cost (tempo, key), its energy against the mood, and a score that
/// the caller keeps up to date: the taste of the listeners who are connected (``taste``) plus boosts (``boost``,
/// e.g. similarity to what was liked this session). Tracks played in the last ``replayGap`` tracks, or by the
/// same artist within ``artistGap`` tracks, are not chosen while others remain.
///
/// Memory holds the current and next decks and the last few tracks of the plan, whatever the stream's length.
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

    let request: MixRequest
    let pool: [MixCandidate]
    let grids: [Int64: BarGrid]
    let sequencer: Sequencer
    var renderer: MixRenderer
    /// Per track of the plan: its candidate and placement (what extending and skipping need).
    var chosen: [MixCandidate] = []
    var placements: [TransitionPlanner.Placement] = []
    var whys: [String] = []
    var decks = MixRenderer.DeckState(shifts: [], checks: [], kinds: [])
    /// Tracks dropped from the front of the plan: plan index + base = stream number.
    var base = 0
    /// Plan index of the next track to place on the mix.
    var processed = 0
    var played: [MixCandidate] = []
    var accumulator: [[Float]] = [[], []]
    /// Frames of `accumulator` already emitted, and the mix frame of `accumulator[c][0]`.
    var head = 0
    var accumulatorStart = 0
    /// Frames before this mix frame are final.
    var readyEnd = 0
    var history: MixRenderer.LevelHistory
    let limiter: PeakLimiter
    var emitted = 0
    var step = 0

    /// Prepares a stream for `request` (its mood, transitions and loudness target; `minutes` is ignored) from the
    /// library's candidates.
    ///
    /// - Throws: ``MixError`` when the library has nothing that fits or not enough to keep going.
    public init(request: MixRequest, snapshot: LibrarySnapshot, store: LibraryStore) throws {
        var request = request
        request.minutes = 24 * 60
        request.arc = .flat
        self.request = request
        let planner = MixPlanner(request: request)
        let pool = try planner.pool(snapshot: snapshot, store: store)
        guard pool.candidates.count >= 2 else {
            throw MixError(
                .notEnoughMusic,
                "a live stream of \(request.mood.name) needs at least 2 tracks that fit it with a beat grid; "
                    + "\(pool.candidates.count) found")
        }
        self.pool = pool.candidates
        grids = pool.grids
        sequencer = Sequencer(request: request)
        renderer = MixRenderer(
            plan: MixPlan(
                tracks: [], transitions: [], durationS: 0, mood: request.mood.name, arc: request.arc.rawValue,
                targetLUFS: request.targetLUFS, harmonicShare: 1, loudnessLUFS: nil, truePeakDBTP: nil, notes: []))
        renderer.ceilingDBTP = request.ceilingDBTP
        history = MixRenderer.LevelHistory(
            capacity: Int(MixRenderer.levelContext * Double(Self.sampleRate)) + Int(3.5 * Double(Self.sampleRate)))
        limiter = PeakLimiter(
            sampleRate: Self.sampleRate, channels: 2,
            ceilingDBTP: request.ceilingDBTP - MixRenderer.limiterMarginDB)
    }

    /// What a live stream of `mood` asks of the mixer: 16-bar transitions, −14 LUFS, and a ceiling 0.6 dB under
    /// the file renders' −1 dBTP, because Opus overshoots the limiter (measured −0.7 dBTP by ffmpeg's ebur128,
    /// 4× oversampled, on a stream limited for −1.0). Tracks get the same gains as in a file render: the extra
    /// limiting the lower ceiling needs is allowed for.
    public static func streamRequest(mood: MoodRegion) -> MixRequest {
        var request = MixRequest(mood: mood, minutes: 60)
        request.transitionBars = 16
        request.ceilingDBTP = -1.6
        request.maximumLimitingDB += 0.6
        return request
    }

    // MARK: - Choosing

    /// The fit the stream scores a candidate by: mood fit, times the connected listeners' taste when there is
    /// one, plus the session's boosts.
    func score(_ c: MixCandidate) -> Double {
        let taste = self.taste.map { 0.4 + 0.6 * ($0[c.track.id] ?? 0.5) } ?? 1
        return c.moodFit * taste + (boost[c.track.id] ?? 0)
    }

    /// The next track after `current` (nil: the opening track).
    func choose(after current: MixCandidate?) -> (MixCandidate, String) {
        step += 1
        let recent = Set(played.suffix(replayGap).map(\.track.id) + chosen.map(\.track.id))
        let artists = Set(
            (played.suffix(artistGap).map(\.artistKey) + chosen.suffix(artistGap).map(\.artistKey)).compactMap { $0 })
        func allowed(_ c: MixCandidate, strict: Bool) -> Bool {
            guard c.track.id != current?.track.id else { return false }
            return !strict || (!recent.contains(c.track.id) && !(c.artistKey.map(artists.contains) ?? false))
        }
        let target = request.mood.energy(atLevel: request.arc.level(at: 0))
        var options = pool.indices.filter { allowed(pool[$0], strict: true) }
        if options.isEmpty { options = pool.indices.filter { allowed(pool[$0], strict: false) } }
        if options.isEmpty { options = Array(pool.indices) }
        func cost(_ i: Int) -> Double {
            let c = pool[i]
            return (current.map { sequencer.transitionCost($0, c) } ?? 0) + 8 * abs(c.track.energy - target)
                - 3 * score(c) + sequencer.jitter(i, step) * 20
        }
        let best = options.min { (cost($0), $0) < (cost($1), $1) }!
        let c = pool[best]
        var parts = [request.mood.reason(energy: c.track.energy, valence: c.track.valence, bpm: c.track.bpm)]
        if let taste, let t = taste[c.track.id] { parts.append(String(format: "listeners' taste %.2f", t)) }
        if let b = boost[c.track.id], b > 0.005 { parts.append(String(format: "like a track liked here (+%.2f)", b)) }
        if let current {
            let d = current.key.camelotDistance(to: c.key)
            parts.append(
                String(
                    format: "from %@ at %.1f BPM to %@ at %.1f BPM (Camelot distance %d)", current.key.camelot,
                    current.track.closingBPM, c.key.camelot, c.track.openingBPM, d))
        }
        return (c, parts.joined(separator: "; "))
    }

    var planner: TransitionPlanner { TransitionPlanner(request: request) }

    func grid(_ c: MixCandidate) -> BarGrid { grids[c.track.id]! }

    /// Makes sure the plan holds a track after plan index `i`.
    func extend(through i: Int) {
        if renderer.plan.tracks.isEmpty {
            let (first, why) = choose(after: nil)
            let placed = planner.place([first], grids: [grid(first)], sequencer: sequencer)
            renderer.plan.tracks = placed.plan.tracks
            chosen = [first]
            placements = placed.placements
            whys = [why]
            decks.shifts = [0]
        }
        while renderer.plan.tracks.count <= i + 1 {
            let last = renderer.plan.tracks.count - 1
            let (next, why) = choose(after: chosen[last])
            let placed = planner.place(
                [chosen[last], next], grids: [grid(chosen[last]), grid(next)], sequencer: sequencer,
                opening: placements[last])
            replace(from: last, with: placed, next: next, why: why)
        }
    }

    /// Puts a two-track placement (plan index `i` and the track after it) into the plan.
    func replace(
        from i: Int, with placed: (plan: MixPlan, placements: [TransitionPlanner.Placement]), next: MixCandidate,
        why: String
    ) {
        var transition = placed.plan.transitions[0]
        transition.from = i
        transition.to = i + 1
        renderer.plan.tracks.removeSubrange((i + 1)...)
        renderer.plan.transitions.removeSubrange(min(i, renderer.plan.transitions.count)...)
        renderer.plan.tracks[i] = placed.plan.tracks[0]
        renderer.plan.tracks.append(placed.plan.tracks[1])
        renderer.plan.transitions.append(transition)
        chosen.removeSubrange((i + 1)...)
        chosen.append(next)
        placements.removeSubrange(i...)
        placements += placed.placements
        whys.removeSubrange((i + 1)...)
        whys.append(why)
        decks.shifts.removeSubrange((i + 1)...)
        decks.shifts.append(0)
        decks.checks.removeSubrange(min(i, decks.checks.count)...)
        decks.checks.append(nil)
        decks.kinds.removeSubrange(min(i, decks.kinds.count)...)
        decks.kinds.append(transition.type)
    }

    // MARK: - Rendering

    /// Where plan transition `j` hands the air to the next track: the middle of a blend's overlap, or where the
    /// next track starts after an echo-out.
    func handoverFrame(_ j: Int) -> Int {
        let t = renderer.plan.transitions[j]
        let s = t.type == .echoOut ? renderer.plan.tracks[j + 1].mixStartS : (t.overlapStartS + t.overlapEndS) / 2
        return renderer.sample(s)
    }

    /// The plan index of the track on air at mix frame `frame` (among the tracks placed so far).
    func onAir(at frame: Int) -> Int {
        var j = 0
        while j < processed - 1, j < renderer.plan.transitions.count, handoverFrame(j) <= frame { j += 1 }
        return j
    }

    /// Drops emitted frames from the front of the accumulator.
    func compact() {
        guard head > 0 else { return }
        for c in 0..<2 { accumulator[c].removeFirst(head) }
        accumulatorStart += head
        head = 0
    }

    /// Places the next track on the mix: its deck, the phase check into the one after it, shaping, leveling.
    func placeNext() throws {
        compact()
        let i = processed
        extend(through: i)
        let (start, contribution) = try renderer.placedDeck(i, state: &decks)
        MixRenderer.add(contribution, at: start, to: &accumulator, origin: accumulatorStart)
        if keepsLog {
            var track = renderer.plan.tracks[i]
            let d = Double(decks.shifts[i]) / Double(Self.sampleRate)
            track.mixStartS += d
            track.mixEndS += d
            track.timeMap = TimeMap(points: track.timeMap.points.map { (mix: $0[0] + d, source: $0[1]) })
            var transition = i > 0 ? renderer.plan.transitions[i - 1] : nil
            transition?.type = decks.kinds[i - 1]
            log.append(Placed(number: base + i, track: track, transitionIn: transition))
        }
        if i > 0 {
            renderer.levelOverlap(
                renderer.plan.transitions[i - 1], accumulator: &accumulator, start: accumulatorStart,
                history: history, limiting: true)
        }
        processed += 1
        let margin = renderer.sample(PhaseCheck.maximumShift) + 1
        readyEnd = max(readyEnd, renderer.sample(renderer.plan.tracks[i + 1].mixStartS) - margin)
        trim()
    }

    /// Forgets tracks more than two behind the one being placed, so the plan stays short.
    func trim() {
        let drop = processed - 3
        guard drop > 0 else { return }
        played += chosen.prefix(drop)
        if played.count > max(replayGap, artistGap) { played.removeFirst(played.count - max(replayGap, artistGap)) }
        renderer.plan.tracks.removeFirst(drop)
        renderer.plan.transitions.removeFirst(drop)
        for j in renderer.plan.transitions.indices {
            renderer.plan.transitions[j].from = j
            renderer.plan.transitions[j].to = j + 1
        }
        chosen.removeFirst(drop)
        placements.removeFirst(drop)
        whys.removeFirst(drop)
        decks.shifts.removeFirst(drop)
        decks.checks.removeFirst(drop)
        decks.kinds.removeFirst(drop)
        processed -= drop
        base += drop
    }

    /// The next rendered block: at most `maximumFrames` frames, ending early where the track on air changes.
    public func nextBlock(maximumFrames: Int = 22_050) throws -> Block {
        while readyEnd <= accumulatorStart + head { try placeNext() }
        let position = accumulatorStart + head
        var count = min(maximumFrames, readyEnd - position)
        let air = onAir(at: position)
        if air < renderer.plan.transitions.count, air + 1 < processed {
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
        let block = Block(interleaved: out, startFrame: emitted, onAir: base + air)
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
        renderer.plan.tracks.indices.map { j in
            Entry(
                number: base + j, track: renderer.plan.tracks[j], why: whys[j],
                onAirS: j == 0
                    ? (base == 0 ? 0 : nil)
                    : (j - 1 < processed - 1 ? Double(handoverFrame(j - 1)) / Double(Self.sampleRate) : nil))
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
    /// already starts within two bars. During a blend the incoming track is the one skipped, once it has fully
    /// come in.
    public func skip() -> SkipOutcome {
        compact()
        let position = accumulatorStart
        let i = processed - 1
        guard i >= 0, i + 1 < renderer.plan.tracks.count else { return .alreadyLeaving }
        let track = renderer.plan.tracks[i], g = grid(chosen[i])
        let sr = Double(Self.sampleRate)
        let shift = Double(decks.shifts[i]) / sr
        // The track must have come in fully: its echo bar starts after the blend that brought it in.
        var earliest = Double(position) / sr + 0.05
        if i > 0 { earliest = max(earliest, renderer.plan.transitions[i - 1].overlapEndS + shift) }
        let bar = g.bar(atOrAfter: track.timeMap.sourceTime(mix: earliest - shift) + 0.1)
        guard bar + 1 < g.boundaries.count else { return .alreadyLeaving }
        let echoStart = track.timeMap.mixTime(source: g.boundaries[bar]) + shift
        let barSeconds = g.boundaries[bar + 1] - g.boundaries[bar]
        let planned = renderer.plan.transitions[i].overlapStartS + shift
        if planned <= echoStart + 2 * barSeconds { return .alreadyLeaving }
        let placed = planner.place(
            [chosen[i], chosen[i + 1]], grids: [g, grid(chosen[i + 1])], sequencer: sequencer,
            opening: placements[i], echoExit: bar)
        replace(from: i, with: placed, next: chosen[i + 1], why: whys[i + 1] + "; brought forward by a skip")
        decks.next = nil
        // Re-shape the rest of the track as it now leaves: silence after the echo bar, then the echo.
        let plan = renderer.plan
        let barEnd = renderer.sample(plan.tracks[i].timeMap.mixTime(source: plan.tracks[i].sourceEndS) + shift)
        let tailEnd = renderer.sample(plan.transitions[i].overlapEndS + shift) + 1
        let length = max(accumulator[0].count, tailEnd - accumulatorStart)
        for c in 0..<2 {
            if accumulator[c].count < length {
                accumulator[c] += [Float](repeating: 0, count: length - accumulator[c].count)
            }
            for k in max(0, barEnd - accumulatorStart)..<accumulator[c].count { accumulator[c][k] = 0 }
        }
        renderer.echo(
            &accumulator, start: accumulatorStart - decks.shifts[i], transition: plan.transitions[i],
            track: plan.tracks[i])
        let margin = renderer.sample(PhaseCheck.maximumShift) + 1
        readyEnd = max(position, renderer.sample(plan.tracks[i + 1].mixStartS) - margin)
        return .echoOut(atS: echoStart)
    }
}
