public import GRDB

/// A row of `track_sections`: one part of a track's arrangement (intro, build, main, breakdown, outro), in order;
/// the rows of a track tile it.
public struct TrackSectionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "track_sections"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var trackId: Int64
    /// Position in the track, from 0.
    public var sectionIndex: Int
    public var startS: Double
    public var endS: Double
    /// intro, build, main, breakdown or outro.
    public var label: String
    /// Mean level against the track's main level (dB).
    public var levelDb: Double
    /// True when a beat is heard through most of it.
    public var hasBeat: Bool

    public init(
        trackId: Int64, sectionIndex: Int, startS: Double, endS: Double, label: String, levelDb: Double,
        hasBeat: Bool
    ) {
        self.trackId = trackId
        self.sectionIndex = sectionIndex
        self.startS = startS
        self.endS = endS
        self.label = label
        self.levelDb = levelDb
        self.hasBeat = hasBeat
    }
}
