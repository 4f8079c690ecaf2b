public import AIDJCore
public import GRDB

/// A row of `tempo_alternates`: another tempo reading of a track, how it relates to the chosen tempo, and how
/// strong it is.
public struct TempoAlternateRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tempo_alternates"

    public var trackId: Int64
    /// Position in the analysis' list, from 0.
    public var rank: Int
    public var bpm: Double
    public var relation: TempoRelation
    /// Salience relative to the chosen tempo (1 = as strong).
    public var score: Double

    enum CodingKeys: String, CodingKey {
        case trackId = "track_id", rank, bpm, relation, score
    }

    public init(trackId: Int64, rank: Int, bpm: Double, relation: TempoRelation, score: Double) {
        self.trackId = trackId
        self.rank = rank
        self.bpm = bpm
        self.relation = relation
        self.score = score
    }

    /// Decoded by column name (see ``TrackRecord/init(row:)``).
    public init(row: Row) throws {
        trackId = row["track_id"]
        rank = row["rank"]
        bpm = row["bpm"]
        score = row["score"]
        let text: String = row["relation"]
        guard let relation = TempoRelation(rawValue: text) else {
            throw StoreError.Corrupt(table: Self.databaseTableName, row: trackId, reason: "relation '\(text)'")
        }
        self.relation = relation
    }
}
