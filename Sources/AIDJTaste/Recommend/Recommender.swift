public import AIDJCore
import AIDJStore
public import Foundation

/// One recommended track with the numbers behind its rank and the reasons in words.
public struct Recommendation: Codable, Sendable {
    public var id: Int64
    public var path: String
    public var title: String?
    public var artist: String?
    public var score: Double
    public var taste: Double
    public var moodFit: Double?
    public var novelty: Double
    public var reasons: [String]

    enum CodingKeys: String, CodingKey {
        case id, path, title, artist, score, taste, moodFit = "mood_fit", novelty, reasons
    }
}

/// Ranks tracks for a listener: taste score, mood fit (with a mood), novelty, then artist diversity.
///
/// score = (0.85 · taste + 0.15 · novelty) · mood fit — the fit is 1 inside the mood's region, so the mood
/// decides which tracks are in play and taste ranks them; novelty is 1 for a track never heard and rises from 0
/// to 0.5 over the 180 days after it was last heard.
/// Picking is greedy: each pick multiplies the remaining scores of the same artist by ``artistPenalty``.
/// Tracks heard in the last ``recentDays`` days, disliked tracks, and (with a mood) tracks fitting it less than
/// ``minimumMoodFit`` are left out.
public struct Recommender: Sendable {
    /// The weight of taste against novelty (0.85 : 0.15): taste ranks, novelty only breaks near-ties in favour of
    /// tracks not heard for a while, so a liked track heard last week still beats an unknown one.
    static let tasteWeight = 0.85
    public var mood: MoodRegion?
    public var limit = 20
    public var recentDays = 14.0
    public var artistPenalty = 0.7
    public var minimumMoodFit = 0.05

    public init() {}

    /// The ranked picks for the scorer's listener at `date`, each with its reasons.
    public func recommend(scorer: TasteScorer, space: FeatureSpace, at date: Date) -> [Recommendation] {
        let snapshot = space.snapshot
        let disliked = Set(scorer.feedback.dislikedTracks)
        struct Candidate {
            var index: Int
            var score: Double
            var taste: Double
            var fit: Double?
            var novelty: Double
            var reasons: [String]
        }
        var candidates: [Candidate] = []
        for (i, track) in snapshot.tracks.enumerated() where !disliked.contains(i) {
            var reasons: [String] = []
            let novelty: Double
            if let last = scorer.feedback.lastHeard[i] {
                let days = date.timeIntervalSince(last) / 86_400
                if days < recentDays { continue }
                novelty = 0.5 * min(1, days / 180)
                reasons.append(String(format: "last heard %.0f days ago", days))
            } else {
                novelty = 1
                reasons.append("new to you: never played")
            }
            let taste = scorer.scores[i]
            switch scorer.source {
            case .model: reasons.insert(String(format: "taste: P(like) %.2f", taste), at: 0)
            case .similarity: reasons.insert(String(format: "taste: similarity %.2f to tracks you liked", taste), at: 0)
            case .none: break
            }
            var fit: Double?
            if let mood {
                let f = mood.fit(energy: track.energy, valence: track.valence, bpm: track.bpm)
                if f < minimumMoodFit { continue }
                fit = f
                reasons.append(mood.reason(energy: track.energy, valence: track.valence, bpm: track.bpm))
            }
            let score = (Self.tasteWeight * taste + (1 - Self.tasteWeight) * novelty) * (fit ?? 1)
            candidates.append(
                Candidate(index: i, score: score, taste: taste, fit: fit, novelty: novelty, reasons: reasons))
        }
        var picked: [Recommendation] = []
        var perArtist: [String: Int] = [:]
        while picked.count < limit && !candidates.isEmpty {
            func adjusted(_ c: Candidate) -> Double {
                let n = snapshot.tracks[c.index].artistKey.map { perArtist[$0, default: 0] } ?? 0
                return c.score * pow(artistPenalty, Double(n))
            }
            let best = candidates.indices.max { a, b in
                let (x, y) = (adjusted(candidates[a]), adjusted(candidates[b]))
                return x != y
                    ? x < y : snapshot.tracks[candidates[a].index].path > snapshot.tracks[candidates[b].index].path
            }!
            var c = candidates.remove(at: best)
            let track = snapshot.tracks[c.index]
            // The nearest liked track, for the picks only (a search over the liked tracks each).
            if let (liked, distance) = scorer.nearestLiked(to: c.index), distance < 1.0 {
                c.reasons.insert(
                    String(format: "liked similar: %@ (distance %.2f)", liked.displayName, distance),
                    at: scorer.source.isNone ? 0 : 1)
            }
            let score = adjusted(c)
            if let artist = track.artistKey {
                let n = perArtist[artist, default: 0]
                if n > 0 {
                    c.reasons.append(
                        String(
                            format: "artist diversity: track %d by %@ here, score × %.2f", n + 1, track.artist ?? "",
                            pow(artistPenalty, Double(n))))
                }
                perArtist[artist] = n + 1
            }
            picked.append(
                Recommendation(
                    id: track.id, path: track.path, title: track.title, artist: track.artist,
                    score: Self.round(score), taste: Self.round(c.taste), moodFit: c.fit.map(Self.round),
                    novelty: Self.round(c.novelty), reasons: c.reasons))
        }
        return picked
    }

    static func round(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
