import AIDJCore
import AIDJStore
import Foundation

/// Orders candidates into a set: beam search over partial sets, then pairwise improvement.
///
/// The cost of playing `b` after `a` at position x ∈ [0, 1] of the mix:
/// - tempo: 0.5 per percent of tempo change (|ln(bpm_b / bpm_a)|), plus 20 beyond the beat-matching limit — the
///   tempo where they meet: `a`'s closing tempo and `b`'s opening one (they differ from the track's tempo only
///   for a track that changes tempo);
/// - meter: 20 where their bars hold different numbers of beats (3/4 against 4/4), which cannot be beat-matched
///   either;
/// - key: Camelot distance 0 → 0, 1 → 0.3, 2 → 4, d ≥ 3 → 6 + d (harmonic mixing keeps to neighbours);
/// - energy: 8 · |energy_b − the arc's target energy at x|;
/// - fit: −3 · score_b (better-fitting, better-liked tracks are cheaper).
/// A seed adds a deterministic jitter of at most 0.05 per step, so different seeds give different sets of equal
/// quality. The same artist may not come back within the artist gap.
public struct Sequencer: Sendable {
    public var request: MixRequest
    public var beamWidth = 32

    public init(request: MixRequest) { self.request = request }

    /// The cost of playing `b` right after `a`: tempo change, meter and Camelot distance (see the type's summary).
    public func transitionCost(_ a: MixCandidate, _ b: MixCandidate) -> Double {
        var cost = 0.0
        let from = a.track.closingBPM, to = b.track.openingBPM
        if from > 0 && to > 0 {
            let change = abs(log(to / from))
            cost += 50 * change
            if change > log(1 + request.maximumStretch) { cost += 20 }
        }
        if let m = a.beatsPerBar, let n = b.beatsPerBar, m != n { cost += 20 }
        let d = a.key.camelotDistance(to: b.key)
        cost += d == 0 ? 0 : d == 1 ? 0.3 : d == 2 ? 4 : 6 + Double(d)
        return cost
    }

    func placementCost(_ c: MixCandidate, at position: Double, jitter: Double) -> Double {
        let target = request.mood.energy(atLevel: request.arc.level(at: position))
        return 8 * abs(c.track.energy - target) - 3 * c.score + jitter
    }

    func jitter(_ index: Int, _ step: Int) -> Double {
        let z = SplitMix64.mix(
            request.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(step) &* 0xBF58_476D_1CE4_E5B9)
        return Double(z >> 11) * 0x1.0p-53 * 0.05
    }

    struct State {
        var order: [Int]
        var used: Set<Int>
        var seconds: Double
        var cost: Double
        var artistStarts: [String: Double]
    }

    /// The ordered set: indices into `candidates`.
    ///
    /// - Throws: ``MixError`` when the candidates cannot fill the requested time.
    public func sequence(_ candidates: [MixCandidate], startIndex: Int? = nil) throws -> [Int] {
        let target = request.minutes * 60
        let gap = request.artistGapMinutes * 60
        func start(_ i: Int) -> State {
            var starts: [String: Double] = [:]
            if let a = candidates[i].artistKey { starts[a] = 0 }
            return State(
                order: [i], used: [i], seconds: candidates[i].estimatedSeconds,
                cost: placementCost(candidates[i], at: 0, jitter: jitter(i, 0)), artistStarts: starts)
        }
        var beam: [State]
        if let startIndex {
            beam = [start(startIndex)]
        } else {
            beam = Array(candidates.indices.map(start).sorted { $0.cost < $1.cost }.prefix(beamWidth))
        }
        var finished = beam.filter { $0.seconds >= target }
        beam.removeAll { $0.seconds >= target }
        var step = 1
        var blockedByArtist = false
        while !beam.isEmpty {
            var next: [State] = []
            for state in beam {
                let last = candidates[state.order.last!]
                let position = state.seconds / target
                var expansions: [State] = []
                for j in candidates.indices where !state.used.contains(j) {
                    let c = candidates[j]
                    if let a = c.artistKey, let since = state.artistStarts[a], state.seconds - since < gap {
                        blockedByArtist = true
                        continue
                    }
                    var s = state
                    s.order.append(j)
                    s.used.insert(j)
                    s.cost += transitionCost(last, c) + placementCost(c, at: position, jitter: jitter(j, step))
                    if let a = c.artistKey { s.artistStarts[a] = state.seconds }
                    s.seconds += c.estimatedSeconds
                    expansions.append(s)
                }
                // Keep each state's best few, so one strong prefix cannot fill the whole beam.
                next += expansions.sorted { $0.cost < $1.cost }.prefix(max(4, beamWidth / 4))
            }
            next.sort { $0.cost < $1.cost }
            beam = []
            for s in next {
                if s.seconds >= target { finished.append(s) } else if beam.count < beamWidth { beam.append(s) }
            }
            step += 1
        }
        guard
            let best = finished.min(by: {
                $0.cost / Double($0.order.count) < $1.cost / Double($1.order.count)
            })
        else {
            throw MixError(
                .notEnoughMusic,
                String(
                    format: "not enough music: the %d tracks that fit %@ make about %.1f minutes, %.1f asked for",
                    candidates.count, request.mood.name,
                    candidates.map(\.estimatedSeconds).reduce(0, +) / 60, request.minutes)
                    + (blockedByArtist
                        ? String(
                            format: " (the %.0f-minute artist gap leaves too few; try a smaller --artist-gap)",
                            request.artistGapMinutes) : ""))
        }
        return improve(best.order, candidates, fixedFirst: startIndex != nil)
    }

    /// Total cost of an order (as the beam scores it, without jitter).
    public func cost(_ order: [Int], _ candidates: [MixCandidate]) -> Double {
        let target = request.minutes * 60
        var seconds = 0.0, total = 0.0
        for (n, i) in order.enumerated() {
            if n > 0 { total += transitionCost(candidates[order[n - 1]], candidates[i]) }
            total += placementCost(candidates[i], at: seconds / target, jitter: 0)
            seconds += candidates[i].estimatedSeconds
        }
        return total
    }

    func artistsAllowed(_ order: [Int], _ candidates: [MixCandidate]) -> Bool {
        let gap = request.artistGapMinutes * 60
        var starts: [String: Double] = [:]
        var seconds = 0.0
        for i in order {
            if let a = candidates[i].artistKey {
                if let since = starts[a], seconds - since < gap { return false }
                starts[a] = seconds
            }
            seconds += candidates[i].estimatedSeconds
        }
        return true
    }

    /// Local improvement: swaps of two positions and reversals of a stretch (2-opt), kept while they lower the
    /// total cost and respect the artist gap.
    func improve(_ order: [Int], _ candidates: [MixCandidate], fixedFirst: Bool) -> [Int] {
        var best = order
        var bestCost = cost(best, candidates)
        let first = fixedFirst ? 1 : 0
        var improved = true
        var passes = 0
        while improved && passes < 50 {
            improved = false
            passes += 1
            for i in first..<best.count {
                for j in (i + 1)..<max(i + 1, best.count) {
                    for reverse in [false, true] {
                        var trial = best
                        if reverse { trial[i...j].reverse() } else { trial.swapAt(i, j) }
                        let c = cost(trial, candidates)
                        if c < bestCost - 1e-9 && artistsAllowed(trial, candidates) {
                            best = trial
                            bestCost = c
                            improved = true
                        }
                    }
                }
            }
        }
        return best
    }
}
