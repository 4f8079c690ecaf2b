import AIDJCore
public import AIDJStore
public import Foundation

/// What a listener's feedback says about one event: the three classes the taste model learns.
public enum TasteLabel: String, Codable, Sendable, CaseIterable {
    case disliked, neutral, liked
}

/// Turns a listener's events into labelled tracks.
///
/// - like, rating 4–5: liked; dislike, skip, rating 1–2: disliked; rating 3: neutral.
/// - a play: neutral, except that every play of a track played three times or more counts as liked — coming back
///   to a track is the strongest implicit signal a play history carries (Hu, Koren & Volinsky 2008 treat repeat
///   counts as confidence in a preference).
public struct FeedbackLabels: Sendable {
    /// One event on an analysed track with its label and time.
    public struct Labelled: Sendable {
        public var trackIndex: Int
        public var label: TasteLabel
        public var occurredAt: Date
    }

    /// One entry per event on an analysed track, oldest first.
    public var events: [Labelled]
    /// Snapshot indices of tracks the listener likes (liked events) and dislikes (net disliked events).
    public var likedTracks: [Int]
    public var dislikedTracks: [Int]
    /// Snapshot indices → date of the latest event of any kind.
    public var lastHeard: [Int: Date]
    /// Events on tracks that are not in the library (or not analysed).
    public var unmatched: Int

    public init(events raw: [ListenerEvent], snapshot: LibrarySnapshot) {
        var plays: [Int: Int] = [:]
        for e in raw where e.kind == .play {
            if let i = e.trackID.flatMap({ snapshot.index[$0] }) { plays[i, default: 0] += 1 }
        }
        var events: [Labelled] = []
        var lastHeard: [Int: Date] = [:]
        var unmatched = 0
        var balance: [Int: Int] = [:]  // liked minus disliked events per track
        let dates = Timestamp.Parser()
        for e in raw {
            guard let i = e.trackID.flatMap({ snapshot.index[$0] }) else {
                unmatched += 1
                continue
            }
            let label: TasteLabel
            switch e.kind {
            case .like: label = .liked
            case .dislike, .skip: label = .disliked
            case .rating: label = (e.rating ?? 3) >= 4 ? .liked : (e.rating ?? 3) <= 2 ? .disliked : .neutral
            case .play: label = plays[i, default: 0] >= 3 ? .liked : .neutral
            }
            let date = dates.date(e.occurredAt) ?? .distantPast
            events.append(Labelled(trackIndex: i, label: label, occurredAt: date))
            lastHeard[i] = max(lastHeard[i] ?? .distantPast, date)
            balance[i, default: 0] += label == .liked ? 1 : label == .disliked ? -1 : 0
        }
        self.events = events
        self.lastHeard = lastHeard
        self.unmatched = unmatched
        likedTracks = balance.filter { $0.value > 0 }.keys.sorted()
        dislikedTracks = balance.filter { $0.value < 0 }.keys.sorted()
    }

    /// How many events carry `label`.
    public func count(_ label: TasteLabel) -> Int { events.count { $0.label == label } }
}

/// Builds the taste model's input rows: the track's feature vector, its genre (one-hot from the tag when the tag
/// is in the vocabulary, else the genre model's predicted probabilities, else zeros), and the listening context.
///
/// Context is the local hour of day (as sin and cos on the 24-hour circle) and a weekend flag, plus their
/// products with energy, valence and danceability: a linear model can only rank tracks differently by context
/// through such interaction terms (context alone shifts every track's score alike).
public struct TasteInputs: Sendable {
    public var genreVocabulary: [String]
    public var genreModel: GenreModel?
    public static let contextWidth = 9

    public init(genreVocabulary: [String], genreModel: GenreModel?) {
        self.genreVocabulary = genreVocabulary
        self.genreModel = genreModel
    }

    /// The vocabulary for a library: the genre model's labels when there is one, else the tags carried by at
    /// least two analysed tracks.
    public static func vocabulary(snapshot: LibrarySnapshot, genreModel: GenreModel?) -> [String] {
        if let genreModel { return genreModel.labels }
        var counts: [String: Int] = [:]
        for t in snapshot.tracks { if let g = t.genre, !g.isEmpty { counts[g, default: 0] += 1 } }
        return counts.filter { $0.value >= 2 }.keys.sorted()
    }

    /// Genre part of the row for every snapshot track.
    public func genreRows(_ snapshot: LibrarySnapshot) throws -> [[Float]] {
        let k = genreVocabulary.count
        let flat = try genreMatrix(snapshot)
        return (0..<snapshot.tracks.count).map { Array(flat[($0 * k)..<(($0 + 1) * k)]) }
    }

    /// Genre parts of every snapshot track, laid end to end (tracks × vocabulary).
    func genreMatrix(_ snapshot: LibrarySnapshot) throws -> [Float] {
        let k = genreVocabulary.count
        let column = Dictionary(uniqueKeysWithValues: genreVocabulary.enumerated().map { ($1, $0) })
        var matrix: [Float]
        if let genreModel {
            matrix = try genreModel.probabilities(flat: snapshot.tracks.flatMap(\.vector), rows: snapshot.tracks.count)
        } else {
            matrix = [Float](repeating: 0, count: snapshot.tracks.count * k)
        }
        for (i, track) in snapshot.tracks.enumerated() {
            guard let genre = track.genre, let j = column[genre] else { continue }
            for m in 0..<k { matrix[i * k + m] = m == j ? 1 : 0 }
        }
        return matrix
    }

    /// Input rows of every snapshot track at one moment, laid end to end.
    public func rows(_ snapshot: LibrarySnapshot, at date: Date) throws -> [Float] {
        let genres = try genreMatrix(snapshot)
        let k = genreVocabulary.count
        let context = Context(date)
        var rows = [Float]()
        rows.reserveCapacity(
            snapshot.tracks.count * ((snapshot.tracks.first?.vector.count ?? 0) + k + Self.contextWidth))
        for (i, track) in snapshot.tracks.enumerated() {
            rows.append(contentsOf: track.vector)
            rows.append(contentsOf: genres[(i * k)..<((i + 1) * k)])
            context.appendTerms(for: track, to: &rows)
        }
        return rows
    }

    /// The listening context at a moment: local hour on the 24-hour circle and whether it is a weekend.
    public struct Context: Sendable {
        public var sine: Float
        public var cosine: Float
        public var weekend: Float

        /// The context of `date` in the local time zone: hour of day on the 24-hour circle, and weekend or not.
        public init(_ date: Date) {
            let parts = Calendar.current.dateComponents([.hour, .minute, .weekday], from: date)
            let hour = Double(parts.hour ?? 12) + Double(parts.minute ?? 0) / 60
            let angle = 2 * Double.pi * hour / 24
            sine = Float(sin(angle))
            cosine = Float(cos(angle))
            weekend = parts.weekday == 1 || parts.weekday == 7 ? 1 : 0
        }

        /// The ``TasteInputs/contextWidth`` context values of a track's row.
        func appendTerms(for track: AnalysedTrack, to rows: inout [Float]) {
            let e = Float(track.energy), v = Float(track.valence), d = Float(track.danceability)
            rows.append(sine)
            rows.append(cosine)
            rows.append(weekend)
            rows.append(e * sine)
            rows.append(e * cosine)
            rows.append(v * sine)
            rows.append(v * cosine)
            rows.append(d * sine)
            rows.append(d * cosine)
        }
    }

    /// One track's input row: features, genre, context and its interactions.
    public func row(_ track: AnalysedTrack, genre: [Float], at date: Date) -> [Float] {
        var row = track.vector + genre
        Context(date).appendTerms(for: track, to: &row)
        return row
    }
}
