import AIDJLearning
import Foundation

/// The library's feature vectors standardized over the library (every feature scaled to unit variance, so timbre,
/// rhythm, key and loudness features weigh alike), for distances between tracks.
public struct FeatureSpace: Sendable {
    public let snapshot: LibrarySnapshot
    let standardized: [[Float]]
    let scale: Double

    public init(_ snapshot: LibrarySnapshot) {
        self.snapshot = snapshot
        let standardizer = Standardizer(fitting: snapshot.tracks.map(\.vector))
        standardized = snapshot.tracks.map { standardizer.transform($0.vector) }
        scale = 1 / Double(max(standardized.first?.count ?? 1, 1)).squareRoot()
    }

    /// Euclidean distance between the standardized vectors of tracks at indices `a` and `b` of the snapshot,
    /// divided by √(dimension): 0 is identical, about 1.4 is as far apart as two random tracks of the library.
    public func distance(_ a: Int, _ b: Int) -> Double {
        let u = standardized[a], v = standardized[b]
        var sum: Float = 0
        for i in u.indices {
            let d = u[i] - v[i]
            sum += d * d
        }
        return Double(sum).squareRoot() * scale
    }

    /// The nearest of `candidates` (snapshot indices) to track `i`, other than `i` itself.
    public func nearest(to i: Int, among candidates: [Int]) -> (index: Int, distance: Double)? {
        var best: (index: Int, distance: Double)?
        for j in candidates where j != i {
            let d = distance(i, j)
            if best == nil || d < best!.distance { best = (j, d) }
        }
        return best
    }

    /// A similarity in (0, 1] from a distance: exp(−(d / 0.7)²) — 1 for identical tracks, 0.5 at about half the
    /// distance between random tracks, under 0.02 at that distance.
    public static func similarity(distance d: Double) -> Double { exp(-(d / 0.7) * (d / 0.7)) }
}
