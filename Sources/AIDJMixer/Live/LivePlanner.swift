import AIDJCore
import AIDJStore
import Foundation

/// What placing tracks on a live mix changes: the plan, the tracks chosen for it and their decks. A value, so the
/// next placement can be worked out on another thread from a copy while the render thread plays what is final.
struct LivePlanState: Sendable {
    var renderer: MixRenderer
    /// Per track of the plan: its candidate and placement (what extending and skipping need), and why it came.
    var chosen: [MixCandidate] = []
    var placements: [TransitionPlanner.Placement] = []
    var whys: [String] = []
    var decks = MixRenderer.DeckState(shifts: [], checks: [], kinds: [])
    /// Tracks dropped from the front of the plan (the most recent few, for the replay and artist gaps).
    var played: [MixCandidate] = []
    /// Choices made so far (it varies the sequencer's jitter).
    var step = 0
    /// Tracks dropped from the front of the plan: plan index + base = stream number.
    var base = 0
    /// Plan index of the next track to place on the mix.
    var processed = 0
}

/// A placement worked out: the plan with the track placed, and its deck (placed at mix sample `start`, shaped).
struct LivePlacement: Sendable {
    var state: LivePlanState
    var start: Int
    var contribution: [[Float]]
}

/// The planning half of a live mix: choosing the next track and placing decks. Immutable and Sendable, so it
/// runs on any thread; everything it changes is in the ``LivePlanState`` it is given.
struct LivePlanner: Sendable {
    /// What the stream scores candidates by, as it was when a placement started.
    struct Scoring: Sendable {
        var taste: [Int64: Double]?
        var boost: [Int64: Double]
        var replayGap: Int
        var artistGap: Int
    }

    let request: MixRequest
    let pool: [MixCandidate]
    let grids: [Int64: BarGrid]
    let sequencer: Sequencer

    var transitions: TransitionPlanner { TransitionPlanner(request: request) }

    func grid(_ c: MixCandidate) -> BarGrid { grids[c.track.id]! }

    /// The fit the stream scores a candidate by: mood fit, times the connected listeners' taste when there is
    /// one, plus the session's boosts.
    func score(_ c: MixCandidate, _ scoring: Scoring) -> Double {
        let taste = scoring.taste.map { 0.4 + 0.6 * ($0[c.track.id] ?? 0.5) } ?? 1
        return c.moodFit * taste + (scoring.boost[c.track.id] ?? 0)
    }

    /// The next track after `current` (nil: the opening track).
    func choose(after current: MixCandidate?, in s: inout LivePlanState, scoring: Scoring) -> (MixCandidate, String) {
        s.step += 1
        let recent = Set(s.played.suffix(scoring.replayGap).map(\.track.id) + s.chosen.map(\.track.id))
        let artists = Set(
            (s.played.suffix(scoring.artistGap).map(\.artistKey) + s.chosen.suffix(scoring.artistGap).map(\.artistKey))
                .compactMap { $0 })
        func allowed(_ c: MixCandidate, strict: Bool) -> Bool {
            guard c.track.id != current?.track.id else { return false }
            return !strict || (!recent.contains(c.track.id) && !(c.artistKey.map(artists.contains) ?? false))
        }
        let target = request.mood.energy(atLevel: request.arc.level(at: 0))
        var options = pool.indices.filter { allowed(pool[$0], strict: true) }
        if options.isEmpty { options = pool.indices.filter { allowed(pool[$0], strict: false) } }
        if options.isEmpty { options = Array(pool.indices) }
        let step = s.step
        func cost(_ i: Int) -> Double {
            let c = pool[i]
            return (current.map { sequencer.transitionCost($0, c) } ?? 0) + 8 * abs(c.track.energy - target)
                - 3 * score(c, scoring) + sequencer.jitter(i, step) * 20
        }
        let best = options.min { (cost($0), $0) < (cost($1), $1) }!
        let c = pool[best]
        var parts = [request.mood.reason(energy: c.track.energy, valence: c.track.valence, bpm: c.track.bpm)]
        if let taste = scoring.taste, let t = taste[c.track.id] {
            parts.append(String(format: "listeners' taste %.2f", t))
        }
        if let b = scoring.boost[c.track.id], b > 0.005 {
            parts.append(String(format: "like a track liked here (+%.2f)", b))
        }
        if let current {
            let d = current.key.camelotDistance(to: c.key)
            parts.append(
                String(
                    format: "from %@ at %.1f BPM to %@ at %.1f BPM (Camelot distance %d)", current.key.camelotText,
                    current.track.closingBPM, c.key.camelotText, c.track.openingBPM, d))
        }
        return (c, parts.joined(separator: "; "))
    }

    /// Makes sure the plan holds a track after plan index `i`.
    func extend(through i: Int, in s: inout LivePlanState, scoring: Scoring) {
        if s.renderer.plan.tracks.isEmpty {
            let (first, why) = choose(after: nil, in: &s, scoring: scoring)
            let placed = transitions.place([first], grids: [grid(first)], sequencer: sequencer)
            s.renderer.plan.tracks = placed.plan.tracks
            s.chosen = [first]
            s.placements = placed.placements
            s.whys = [why]
            s.decks.shifts = [0]
        }
        while s.renderer.plan.tracks.count <= i + 1 {
            let last = s.renderer.plan.tracks.count - 1
            let (next, why) = choose(after: s.chosen[last], in: &s, scoring: scoring)
            let placed = transitions.place(
                [s.chosen[last], next], grids: [grid(s.chosen[last]), grid(next)], sequencer: sequencer,
                opening: s.placements[last])
            replace(from: last, with: placed, next: next, why: why, in: &s)
        }
    }

    /// Puts a two-track placement (plan index `i` and the track after it) into the plan.
    func replace(
        from i: Int, with placed: (plan: MixPlan, placements: [TransitionPlanner.Placement]), next: MixCandidate,
        why: String, in s: inout LivePlanState
    ) {
        var transition = placed.plan.transitions[0]
        transition.from = i
        transition.to = i + 1
        s.renderer.plan.tracks.removeSubrange((i + 1)...)
        s.renderer.plan.transitions.removeSubrange(min(i, s.renderer.plan.transitions.count)...)
        s.renderer.plan.tracks[i] = placed.plan.tracks[0]
        s.renderer.plan.tracks.append(placed.plan.tracks[1])
        s.renderer.plan.transitions.append(transition)
        s.chosen.removeSubrange((i + 1)...)
        s.chosen.append(next)
        s.placements.removeSubrange(i...)
        s.placements += placed.placements
        s.whys.removeSubrange((i + 1)...)
        s.whys.append(why)
        s.decks.shifts.removeSubrange((i + 1)...)
        s.decks.shifts.append(0)
        s.decks.checks.removeSubrange(min(i, s.decks.checks.count)...)
        s.decks.checks.append(nil)
        s.decks.kinds.removeSubrange(min(i, s.decks.kinds.count)...)
        s.decks.kinds.append(transition.type)
    }

    /// Places plan track `s.processed`: the track after it chosen, then its deck rendered (with the phase check
    /// into the next one, whose deck is kept for its own turn) and shaped. The costly part of a live mix: it
    /// decodes and stretches whole tracks.
    func placement(from state: LivePlanState, scoring: Scoring) throws -> LivePlacement {
        var s = state
        let i = s.processed
        extend(through: i, in: &s, scoring: scoring)
        let (start, contribution) = try s.renderer.placedDeck(i, state: &s.decks)
        return LivePlacement(state: s, start: start, contribution: contribution)
    }
}
