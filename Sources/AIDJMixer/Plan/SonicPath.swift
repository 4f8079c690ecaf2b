public import AIDJCore
public import AIDJStore
import Foundation

/// A path of tracks from one to another that moves smoothly in tempo, key and energy: OpenSubsonic's
/// `findSonicPath`, built on the sequencer's transition cost.
///
/// Each step from `a` to `b` costs the ``Sequencer/transitionCost(_:_:)`` (tempo change, Camelot distance:
/// 0 → 0, 1 → 0.3, 2 → 4, 3+ → 6 + d), plus 8 · |Δ energy| and 4 · d² for the feature distance d (so several
/// short steps beat one long jump). Every step must come closer to the end track in feature space, so the path
/// moves and never loops. Candidates are the `poolSize` tracks with the smallest d(start, x) + d(x, end) — the
/// ellipse around the two ends — and a dynamic programme finds the cheapest path of each length up to
/// `maximumLength` tracks, start and end included. The answer is the longest of them whose every step stays within
/// one Camelot step (a journey of about the length asked for); when the library allows none, the cheapest.
public struct SonicPath: Sendable {
    public var maximumLength = 25
    public var poolSize = 300

    public init(maximumLength: Int = 25) { self.maximumLength = maximumLength }

    /// Indices into `tracks`, starting with `start` and ending with `end`.
    public func find(
        in tracks: [AnalysedTrack], from start: Int, to end: Int, distance: (Int, Int) -> Double
    ) -> [Int] {
        guard start != end else { return [start] }
        guard maximumLength >= 3 else { return maximumLength >= 2 ? [start, end] : [start] }
        let sequencer = Sequencer(
            request: MixRequest(mood: MoodRegion.custom(energy: nil, valence: nil, bpm: nil), minutes: 0))
        let toEnd = tracks.indices.map { distance($0, end) }
        let startToEnd = toEnd[start]
        var pool = tracks.indices.filter { $0 != start && $0 != end && toEnd[$0] < startToEnd }
        if pool.count > poolSize {
            pool = pool.map { ($0, distance(start, $0) + toEnd[$0]) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
                .prefix(poolSize).map(\.0)
        }
        // Nodes: start, the pool by decreasing distance to the end (a step goes only forward), end.
        pool.sort { (toEnd[$0], $0) > (toEnd[$1], $1) }
        let nodes = [start] + pool + [end]
        let candidates = nodes.map {
            MixCandidate(
                track: tracks[$0], key: tracks[$0].key, moodFit: 1, taste: nil, score: 0, estimatedSeconds: 0)
        }
        func step(_ a: Int, _ b: Int) -> Double {
            let d = distance(nodes[a], nodes[b])
            return sequencer.transitionCost(candidates[a], candidates[b])
                + 8 * abs(candidates[b].track.energy - candidates[a].track.energy) + 4 * d * d
        }
        let n = nodes.count
        var stepCost = [Double](repeating: .infinity, count: n * n)
        for v in 1..<n {
            for u in 0..<v where toEnd[nodes[u]] > toEnd[nodes[v]] || v == n - 1 { stepCost[u * n + v] = step(u, v) }
        }
        let steps = maximumLength - 1
        // best[k][v]: cheapest path from the start to node v in k steps; parent for the way back.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: n), count: steps + 1)
        var parent = [[Int]](repeating: [Int](repeating: -1, count: n), count: steps + 1)
        best[0][0] = 0
        for k in 1...steps {
            for v in 1..<n {
                for u in 0..<v where best[k - 1][u].isFinite && stepCost[u * n + v].isFinite {
                    let cost = best[k - 1][u] + stepCost[u * n + v]
                    if cost < best[k][v] {
                        best[k][v] = cost
                        parent[k][v] = u
                    }
                }
            }
        }
        func path(steps k: Int) -> [Int] {
            var path = [n - 1]
            var (node, length) = (n - 1, k)
            while length > 0 {
                node = parent[length][node]
                length -= 1
                path.append(node)
            }
            return path.reversed()
        }
        // The longest path whose every step stays within one Camelot step: a journey of about the length asked
        // for, harmonically smooth. When the library has none, the cheapest path of any length.
        let feasible = (1...steps).filter { best[$0][n - 1].isFinite }
        let smooth = feasible.reversed().first { k in
            let p = path(steps: k)
            return zip(p, p.dropFirst()).allSatisfy { candidates[$0].key.camelotDistance(to: candidates[$1].key) <= 1 }
        }
        guard let k = smooth ?? feasible.min(by: { best[$0][n - 1] < best[$1][n - 1] }) else { return [start, end] }
        return path(steps: k).map { nodes[$0] }
    }
}
