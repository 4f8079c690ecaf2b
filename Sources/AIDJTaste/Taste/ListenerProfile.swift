public import AIDJStore
import Foundation

/// What a listener's liked tracks say about their taste: the same tracks the taste model learns "liked" from
/// (``FeedbackLabels/likedTracks``: likes, ratings of 4–5, plays of a track played 3+ times, net of dislikes).
public struct ListenerProfile: Sendable, Codable, Equatable {
    public var summary: ListenerSummary
    /// Genre tags of the liked tracks, most frequent first (at most five).
    public var topGenres: [GenreCount]
    /// Means over the liked tracks (nil without any).
    public var meanBPM: Double?
    public var meanEnergy: Double?
    public var meanValence: Double?
    public var meanDanceability: Double?
    /// Liked tracks in the analysed library.
    public var likedTracks: Int

    /// A genre tag and how many liked tracks carry it.
    public struct GenreCount: Sendable, Codable, Equatable {
        public var genre: String
        public var count: Int
    }

    /// The profile of the tracks `labels` counts as liked.
    public init(summary: ListenerSummary, labels: FeedbackLabels, snapshot: LibrarySnapshot) {
        self.summary = summary
        let liked = labels.likedTracks.map { snapshot.tracks[$0] }
        likedTracks = liked.count
        var genres: [String: Int] = [:]
        for track in liked { if let genre = track.genre, !genre.isEmpty { genres[genre, default: 0] += 1 } }
        topGenres = genres.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map {
            GenreCount(genre: $0.key, count: $0.value)
        }
        func mean(_ value: (AnalysedTrack) -> Double) -> Double? {
            liked.isEmpty ? nil : liked.map(value).reduce(0, +) / Double(liked.count)
        }
        meanBPM = mean(\.bpm)
        meanEnergy = mean(\.energy)
        meanValence = mean(\.valence)
        meanDanceability = mean(\.danceability)
    }

    /// The profile of listener `name`, nil when there is no such listener.
    public static func load(name: String, from store: LibraryStore) throws -> ListenerProfile? {
        guard let summary = try store.listeners().first(where: { $0.name.lowercased() == name.lowercased() }) else {
            return nil
        }
        let snapshot = try LibrarySnapshot(store: store)
        let labels = FeedbackLabels(events: try store.events(listenerID: summary.id), snapshot: snapshot)
        return ListenerProfile(summary: summary, labels: labels, snapshot: snapshot)
    }
}
