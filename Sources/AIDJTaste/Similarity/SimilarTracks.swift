import AIDJLearning
import AIDJStore
import Foundation

/// A track like another, with its distance.
public struct SimilarTrack: Codable, Sendable {
    public var id: Int64
    public var path: String
    public var title: String?
    public var artist: String?
    /// Euclidean distance between standardized feature vectors, divided by √(dimension): 0 is identical,
    /// about 1.4 is as far apart as two random tracks of the library.
    public var distance: Double
}

/// Finds the tracks nearest to one in standardized feature space (every feature scaled to unit variance over
/// the library, so timbre, rhythm, key and loudness features weigh alike).
public enum SimilarTracks {
    public static func nearest(to trackID: Int64, in store: LibraryStore, limit: Int) throws -> [SimilarTrack] {
        let tracks = try store.trackSummaries(status: .analyzed).filter {
            $0.features?.vectorVersion == FeatureLayoutVersion.current
        }
        guard let reference = tracks.first(where: { $0.track.id == trackID }),
            let referenceFeatures = reference.features
        else {
            return []
        }
        let standardizer = Standardizer(fitting: tracks.map { $0.features!.values })
        let target = standardizer.transform(referenceFeatures.values)
        let scale = 1 / Double(max(target.count, 1)).squareRoot()
        return tracks.filter { $0.track.id != trackID }.map { summary in
            let v = standardizer.transform(summary.features!.values)
            var sum = 0.0
            for i in v.indices { sum += Double((v[i] - target[i]) * (v[i] - target[i])) }
            return SimilarTrack(
                id: summary.track.id!, path: summary.track.path, title: summary.track.title,
                artist: summary.track.artist, distance: (sum.squareRoot() * scale * 1000).rounded() / 1000)
        }
        .sorted { ($0.distance, $0.path) < ($1.distance, $1.path) }
        .prefix(max(0, limit)).map { $0 }
    }
}
