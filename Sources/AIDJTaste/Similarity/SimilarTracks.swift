import AIDJStore
import Foundation

/// A track like another, with its distance.
public struct SimilarTrack: Codable, Sendable {
    public var id: Int64
    public var path: String
    public var title: String?
    public var artist: String?
    /// ``FeatureSpace`` distance: 0 is identical, about 1.4 is as far apart as two random tracks of the library.
    public var distance: Double
}

/// Finds the tracks nearest to one in the library's ``FeatureSpace``.
public enum SimilarTracks {
    /// The `limit` tracks nearest to `trackID`, nearest first; empty when the track is not in the space.
    public static func nearest(to trackID: Int64, in space: FeatureSpace, limit: Int) -> [SimilarTrack] {
        guard let reference = space.snapshot.index[trackID] else { return [] }
        return space.snapshot.tracks.indices.filter { $0 != reference }.map { i in
            let t = space.snapshot.tracks[i]
            return SimilarTrack(
                id: t.id, path: t.path, title: t.title, artist: t.artist,
                distance: (space.distance(reference, i) * 1000).rounded() / 1000)
        }
        .sorted { ($0.distance, $0.path) < ($1.distance, $1.path) }
        .prefix(max(0, limit)).map { $0 }
    }

    /// Precision at k of a metric against known labels: for each query, the share of its k nearest tracks that
    /// carry the query's label, averaged over the queries.
    public static func precision(
        at k: Int, space: FeatureSpace, labels: [Int: String], queries: [Int]
    ) -> Double {
        var total = 0.0
        for q in queries {
            let nearest = space.snapshot.tracks.indices.filter { $0 != q }.map {
                (index: $0, distance: space.distance(q, $0))
            }
            .sorted { $0.distance < $1.distance }.prefix(k)
            total += Double(nearest.count { labels[$0.index] == labels[q] }) / Double(max(nearest.count, 1))
        }
        return queries.isEmpty ? 0 : total / Double(queries.count)
    }
}
