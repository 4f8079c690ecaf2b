public import GRDB

/// A row of `tempo_sections`: a stretch of a track at one tempo. A track that keeps its tempo has one; a track
/// whose tempo changes has one per tempo, in order.
public struct TempoSectionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tempo_sections"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var trackId: Int64
    /// Position in the track, from 0.
    public var sectionIndex: Int
    /// The section's first beat (s).
    public var startS: Double
    public var bpm: Double
    /// True when its beats were snapped to a constant-tempo grid.
    public var steady: Bool

    public init(trackId: Int64, sectionIndex: Int, startS: Double, bpm: Double, steady: Bool) {
        self.trackId = trackId
        self.sectionIndex = sectionIndex
        self.startS = startS
        self.bpm = bpm
        self.steady = steady
    }
}
