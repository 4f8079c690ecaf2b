import Foundation

/// A stretch of a track at one tempo. A track whose tempo changes (a DJ edit, a live band speeding up, a
/// classical movement's new section) has several; their tempi are reported, not averaged away.
public struct TempoSection: Sendable, Equatable, Codable {
    /// Where the section starts (s): its first beat.
    public var start: Double
    /// Its tempo (BPM), from its beats.
    public var bpm: Double
    /// True when its beats lie on a constant-tempo grid and were snapped to it.
    public var isSteady: Bool

    public init(start: Double, bpm: Double, isSteady: Bool) {
        self.start = start
        self.bpm = bpm
        self.isSteady = isSteady
    }
}

extension TempoSection {
    /// The sections that a grid cut to `from`...`to` (s) still reaches, the first starting at `from`; none for a
    /// grid without beats. Each section runs to the next one's start.
    static func covering(_ sections: [TempoSection], from: Double?, to: Double?) -> [TempoSection] {
        guard let from, let to else { return [] }
        var kept = sections.indices.filter { i in
            (i + 1 == sections.count || sections[i + 1].start > from) && sections[i].start <= to
        }.map { sections[$0] }
        if !kept.isEmpty { kept[0].start = from }
        return kept
    }
}

extension TempoCurve {
    /// Shortest section (s): a change must hold this long on both sides to count (eight bars at 120 BPM).
    public static let minimumSectionSeconds = 16.0
    /// Smallest tempo change between sections (fraction): below it, the beat tracker's own jitter.
    public static let minimumChange = 0.02
    /// Median ``strengths`` of a section with a clear pulse, on both sides of a change. Windows on a drum groove
    /// read 1.7–2.5, beatless ambient passages of game soundtracks 0.05–0.85 (measured on GM-rendered grooves and
    /// on `warzone2100-music`).
    public static let clearPulse = 1.0

    /// Splits the curve into stretches of constant tempo: the optimal partition (Jackson et al. 2005, "An
    /// algorithm for optimal partitioning of data on an interval", IEEE SPL 12(2)) of the log period into
    /// constant pieces of at least ``minimumSectionSeconds``, at a cost per piece equal to what a change of
    /// ``minimumChange`` held for that long on both sides would save, so smaller or briefer changes stay within
    /// one section. A gradual change becomes a staircase of sections. A boundary stays only between two sections
    /// with a clear pulse (``clearPulse``).
    ///
    /// - Returns: the start time (s) of every section, the first at the curve's start (0).
    public func sectionStarts() -> [Double] {
        let values = periods.map { log($0) }
        let n = values.count
        let spacing = centres.count > 1 ? (centres.last! - centres.first!) / Double(centres.count - 1) : 1
        let minimum = max(1, Int((Self.minimumSectionSeconds * frameRate / spacing).rounded()))
        guard n >= 2 * minimum else { return [0] }
        var sum = [Double](repeating: 0, count: n + 1), squares = sum
        for i in 0..<n {
            sum[i + 1] = sum[i] + values[i]
            squares[i + 1] = squares[i] + values[i] * values[i]
        }
        func cost(_ a: Int, _ b: Int) -> Double {  // squared deviation from the mean over a..<b
            let s = sum[b] - sum[a], q = squares[b] - squares[a]
            return q - s * s / Double(b - a)
        }
        let step = log(1 + Self.minimumChange)
        let penalty = Double(minimum) / 2 * step * step
        var best = [Double](repeating: .infinity, count: n + 1)
        var previous = [Int](repeating: 0, count: n + 1)
        best[0] = -penalty
        for b in stride(from: minimum, through: n, by: 1) {
            for a in stride(from: 0, through: b - minimum, by: 1) where best[a].isFinite {
                let candidate = best[a] + cost(a, b) + penalty
                if candidate < best[b] {
                    best[b] = candidate
                    previous[b] = a
                }
            }
        }
        var cuts: [Int] = []
        var b = n
        while b > 0 {
            cuts.append(previous[b])
            b = previous[b]
        }
        cuts.reverse()
        // A change counts only between two stretches with a clear pulse: where there is no beat to follow, the
        // path wanders, and its wandering is not a tempo.
        let ends = Array(cuts.dropFirst()) + [n]
        let clear = zip(cuts, ends).map { a, b in
            let sorted = strengths[a..<b].sorted()
            return sorted[sorted.count / 2] >= Self.clearPulse
        }
        var kept = [0]
        for i in 1..<max(1, cuts.count) where clear[i - 1] && clear[i] { kept.append(cuts[i]) }
        return kept.map { $0 == 0 ? 0 : (centres[$0 - 1] + centres[$0]) / 2 / frameRate }
    }
}
