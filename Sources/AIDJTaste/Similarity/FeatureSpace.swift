import AIDJLearning
public import AIDJStore
import Foundation

/// Distances between the library's tracks.
///
/// - `features`: the feature vectors standardized over the library (every feature scaled to unit variance, so
///   timbre, rhythm, key and loudness features weigh alike), Euclidean, divided by √(dimension).
/// - `genre`: the genre model's logits (its learned, genre-discriminating projection of the features), rescaled so
///   their median pairwise distance equals that of the feature distance.
/// - `blend`: the root mean square of the two.
public struct FeatureSpace: Sendable {
    /// Which distance: see the type's summary.
    public enum Metric: String, CaseIterable, Sendable, Codable {
        case features, genre, blend
    }

    public let snapshot: LibrarySnapshot
    public let metric: Metric
    let standardized: [[Float]]
    let scale: Double
    let learned: [[Float]]
    let learnedScale: Double

    /// - Parameter genreModel: needed for the `genre` and `blend` metrics.
    public init(_ snapshot: LibrarySnapshot, metric: Metric = .features, genreModel: GenreModel? = nil) throws {
        precondition(metric == .features || genreModel != nil, "the \(metric) metric needs a genre model")
        self.snapshot = snapshot
        self.metric = metric
        let standardizer = Standardizer(fitting: snapshot.tracks.map(\.vector))
        let standardized = snapshot.tracks.map { standardizer.transform($0.vector) }
        let scale = 1 / Double(max(standardized.first?.count ?? 1, 1)).squareRoot()
        self.standardized = standardized
        self.scale = scale
        guard metric != .features, let genreModel else {
            learned = []
            learnedScale = 1
            return
        }
        let k = genreModel.labels.count
        let z = try genreModel.embedding(flat: snapshot.tracks.flatMap(\.vector), rows: snapshot.tracks.count)
        let learned = (0..<snapshot.tracks.count).map { Array(z[($0 * k)..<(($0 + 1) * k)]) }
        self.learned = learned
        // Put the learned distances on the feature distances' scale: match medians over a fixed sample of pairs.
        let n = snapshot.tracks.count
        let pairs = (0..<min(2_000, n * max(n - 1, 0))).map { i in (i % n, (i * 7_919 + 13) % n) }.filter { $0 != $1 }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 1 : sorted[sorted.count / 2]
        }
        let featureMedian = median(pairs.map { Self.euclidean(standardized[$0.0], standardized[$0.1]) * scale })
        let learnedMedian = median(pairs.map { Self.euclidean(learned[$0.0], learned[$0.1]) })
        learnedScale = learnedMedian > 0 ? featureMedian / learnedMedian : 1
    }

    /// Convenience for the feature metric, which cannot fail.
    public init(_ snapshot: LibrarySnapshot) {
        try! self.init(snapshot, metric: .features, genreModel: nil)
    }

    static func euclidean(_ u: [Float], _ v: [Float]) -> Double {
        var sum: Float = 0
        for i in u.indices {
            let d = u[i] - v[i]
            sum += d * d
        }
        return Double(sum).squareRoot()
    }

    /// Distance between tracks at indices `a` and `b` of the snapshot: 0 is identical; in feature units, about
    /// 1.4 is as far apart as two random tracks of the library.
    public func distance(_ a: Int, _ b: Int) -> Double {
        let f = metric == .genre ? 0 : Self.euclidean(standardized[a], standardized[b]) * scale
        let g = metric == .features ? 0 : Self.euclidean(learned[a], learned[b]) * learnedScale
        switch metric {
        case .features: return f
        case .genre: return g
        case .blend: return ((f * f + g * g) / 2).squareRoot()
        }
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

    /// A similarity in (0, 1] from a feature distance: exp(−(d / 0.7)²) — 1 for identical tracks, 0.5 at about
    /// half the distance between random tracks, under 0.02 at that distance.
    public static func similarity(distance d: Double) -> Double { exp(-(d / 0.7) * (d / 0.7)) }
}
