import AIDJCore
public import GRDB

/// A row of `tracks`: one audio file the library knows, whether analysed, failed or gone missing.
public struct TrackRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "tracks"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// What became of a file: analysed, failed (with a reason in ``error``), or missing since a later scan.
    public enum Status: String, Codable, Sendable, DatabaseValueConvertible {
        case analyzed, failed, missing
    }

    public var id: Int64?
    public var path: String
    public var sizeBytes: Int64
    /// Modification time, nanoseconds since 1970.
    public var mtimeNs: Int64
    public var contentHash: String
    public var status: Status
    public var error: String?
    public var durationS: Double?
    public var sampleRate: Int?
    public var channels: Int?
    public var format: String?
    public var title: String?
    public var artist: String?
    public var album: String?
    public var genre: String?
    public var year: Int?
    public var trackNumber: Int?
    /// Whether the file embeds a cover picture; nil when ingested before aidj looked (migration 0010).
    public var hasEmbeddedArt: Bool?
    public var analysisVersion: Int?
    public var addedAt: String
    public var analyzedAt: String?
    public var missingSince: String?

    public init(file: FileFacts, status: Status, error: String? = nil) {
        path = file.path
        sizeBytes = file.sizeBytes
        mtimeNs = file.modificationNanoseconds
        contentHash = file.contentHash
        self.status = status
        self.error = error
        addedAt = Timestamp.now()
    }

    /// Decoded by column name, not through Codable: GRDB's snake-case key conversion costs tens of microseconds a
    /// row, which listing a large library feels.
    public init(row: Row) throws {
        id = row["id"]
        path = row["path"]
        sizeBytes = row["size_bytes"]
        mtimeNs = row["mtime_ns"]
        contentHash = row["content_hash"]
        status = row["status"]
        error = row["error"]
        durationS = row["duration_s"]
        sampleRate = row["sample_rate"]
        channels = row["channels"]
        format = row["format"]
        title = row["title"]
        artist = row["artist"]
        album = row["album"]
        genre = row["genre"]
        year = row["year"]
        trackNumber = row["track_number"]
        hasEmbeddedArt = row["has_embedded_art"]
        analysisVersion = row["analysis_version"]
        addedAt = row["added_at"]
        analyzedAt = row["analyzed_at"]
        missingSince = row["missing_since"]
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A file as the scan sees it.
public struct FileFacts: Sendable, Equatable {
    public var path: String
    public var sizeBytes: Int64
    /// Modification time, nanoseconds since 1970.
    public var modificationNanoseconds: Int64
    /// 64-bit content hash, hex.
    public var contentHash: String

    public init(path: String, sizeBytes: Int64, modificationNanoseconds: Int64, contentHash: String) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.modificationNanoseconds = modificationNanoseconds
        self.contentHash = contentHash
    }
}
