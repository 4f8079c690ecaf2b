import Foundation

/// A piecewise-linear map between mix time and a source file's time, both in seconds. Between points the
/// source plays at a constant rate; after the last point it plays at rate 1.
public struct TimeMap: Sendable, Codable, Equatable {
    /// (mix, source) points, increasing in both.
    public var points: [[Double]]

    public init(points: [(mix: Double, source: Double)]) {
        assert(
            zip(points, points.dropFirst()).allSatisfy { $0.mix < $1.mix && $0.source < $1.source },
            "a time map must increase in both mix and source time")
        self.points = points.map { [$0.mix, $0.source] }
    }

    /// Encoded as a bare array of [mix_s, source_s] pairs, rounded to 0.1 ms.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(points.map { $0.map { ($0 * 10_000).rounded() / 10_000 } })
    }

    public init(from decoder: Decoder) throws {
        points = try decoder.singleValueContainer().decode([[Double]].self)
    }

    /// The mix time at which a source moment plays.
    public func mixTime(source s: Double) -> Double { interpolate(s, from: 1, to: 0) }

    /// The source moment playing at a mix time.
    public func sourceTime(mix t: Double) -> Double { interpolate(t, from: 0, to: 1) }

    /// Linear interpolation from coordinate `a` of the points to coordinate `b`; rate 1 outside them.
    private func interpolate(_ x: Double, from a: Int, to b: Int) -> Double {
        guard let first = points.first else { return x }
        if x <= first[a] || points.count == 1 { return first[b] + (x - first[a]) }
        for (p, q) in zip(points, points.dropFirst()) where x <= q[a] {
            return p[b] + (x - p[a]) * (q[b] - p[b]) / (q[a] - p[a])
        }
        let last = points[points.count - 1]
        return last[b] + (x - last[a])
    }
}
