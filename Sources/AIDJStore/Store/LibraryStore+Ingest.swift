import AIDJCore
import Foundation
import GRDB

/// What the store knows of a file, for change detection.
public struct KnownFile: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var sizeBytes: Int64
    public var mtimeNs: Int64
    public var contentHash: String
    public var status: TrackRecord.Status
    public var analysisVersion: Int?
}

/// An analysis ready to store: the track row (without id) with its features, tempo alternates, tempo sections,
/// structure sections and beats (track ids filled in here).
public struct AnalysisRecords: Sendable {
    public var track: TrackRecord
    public var features: FeatureRecord
    public var tempoAlternates: [TempoAlternateRecord]
    public var tempoSections: [TempoSectionRecord]
    public var sections: [TrackSectionRecord]
    public var beats: [BeatRecord]

    public init(
        track: TrackRecord, features: FeatureRecord, tempoAlternates: [TempoAlternateRecord] = [],
        tempoSections: [TempoSectionRecord] = [], sections: [TrackSectionRecord] = [], beats: [BeatRecord]
    ) {
        self.sections = sections
        self.track = track
        self.features = features
        self.tempoAlternates = tempoAlternates
        self.tempoSections = tempoSections
        self.beats = beats
    }
}

/// Counts of one ingest run.
public struct IngestCounts: Sendable, Equatable, Codable {
    public var scanned = 0
    public var analyzed = 0
    public var unchanged = 0
    public var moved = 0
    public var missing = 0
    public var failed = 0
    public init() {}
}

extension LibraryStore {
    /// Every track whose path lies under `root` (a folder, absolute).
    public func knownFiles(under root: String) throws(StoreError) -> [String: KnownFile] {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        // '0' follows '/' in byte order: [prefix, prefix with '/' → '0') is exactly the paths below the folder.
        let upper = String(prefix.dropLast()) + "0"
        return try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, path, size_bytes, mtime_ns, content_hash, status, analysis_version
                    FROM tracks WHERE path >= ? AND path < ?
                    """,
                arguments: [prefix, upper])
            var known: [String: KnownFile] = [:]
            for row in rows {
                let file = KnownFile(row)
                known[file.path] = file
            }
            return known
        }
    }

    /// Tracks with this content hash (candidates for a moved file).
    public func files(withContentHash hash: String) throws(StoreError) -> [KnownFile] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, path, size_bytes, mtime_ns, content_hash, status, analysis_version
                    FROM tracks WHERE content_hash = ?
                    """,
                arguments: [hash]
            ).map(KnownFile.init)
        }
    }

    /// Stores a file's analysis atomically, replacing whatever was stored for its path.
    ///
    /// - Returns: the track id.
    @discardableResult
    public func save(_ records: AnalysisRecords) throws(StoreError) -> Int64 {
        try write { db in
            var track = records.track
            if let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM tracks WHERE path = ?", arguments: [track.path])
            {
                track.id = existing
                track.addedAt =
                    try String.fetchOne(db, sql: "SELECT added_at FROM tracks WHERE id = ?", arguments: [existing])
                    ?? track.addedAt
                try track.update(db)
                try db.execute(sql: "DELETE FROM features WHERE track_id = ?", arguments: [existing])
                try db.execute(sql: "DELETE FROM tempo_alternates WHERE track_id = ?", arguments: [existing])
                try db.execute(sql: "DELETE FROM tempo_sections WHERE track_id = ?", arguments: [existing])
                try db.execute(sql: "DELETE FROM track_sections WHERE track_id = ?", arguments: [existing])
                try db.execute(sql: "DELETE FROM beats WHERE track_id = ?", arguments: [existing])
            } else {
                try track.insert(db)
            }
            let id = track.id!
            var features = records.features
            features.trackId = id
            try features.insert(db)
            for var alternate in records.tempoAlternates {
                alternate.trackId = id
                try alternate.insert(db)
            }
            for var section in records.tempoSections {
                section.trackId = id
                try section.insert(db)
            }
            for var section in records.sections {
                section.trackId = id
                try section.insert(db)
            }
            for var beat in records.beats {
                beat.trackId = id
                try beat.insert(db)
            }
            return id
        }
    }

    /// Records a file that could not be analysed: the track row says `failed` with the reason (so an unchanged bad
    /// file is not decoded again on the next run), and the run's failure list gets a line.
    public func saveFailure(_ file: FileFacts, reason: String, runID: Int64) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM tracks WHERE path = ?", arguments: [file.path])
            var track = TrackRecord(file: file, status: .failed, error: reason)
            try track.insert(db)
            try db.execute(
                sql: "INSERT OR REPLACE INTO ingest_failures (run_id, path, reason) VALUES (?, ?, ?)",
                arguments: [runID, file.path, reason])
        }
    }

    /// Points a stored track at its new path (the file was moved or renamed; its content hash matched).
    public func relink(trackID: Int64, to file: FileFacts) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE tracks SET path = ?, size_bytes = ?, mtime_ns = ?, missing_since = NULL,
                        status = CASE WHEN EXISTS (SELECT 1 FROM features WHERE track_id = tracks.id)
                                      THEN 'analyzed' ELSE 'failed' END
                    WHERE id = ?
                    """,
                arguments: [file.path, file.sizeBytes, file.modificationNanoseconds, trackID])
        }
    }

    /// Marks tracks whose files are gone as missing; their analysis stays (the file may come back).
    public func markMissing(trackIDs: [Int64]) throws(StoreError) {
        guard !trackIDs.isEmpty else { return }
        let now = Timestamp.now()
        try write { db in
            for id in trackIDs {
                try db.execute(
                    sql: "UPDATE tracks SET status = 'missing', missing_since = ? WHERE id = ? AND status != 'missing'",
                    arguments: [now, id])
            }
        }
    }

    /// Starts an ingest run and returns its id.
    public func beginRun(roots: [String]) throws(StoreError) -> Int64 {
        let rootsJSON =
            "["
            + roots.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }
            .joined(separator: ",") + "]"
        return try write { db in
            try db.execute(
                sql: "INSERT INTO ingest_runs (roots, started_at) VALUES (?, ?)",
                arguments: [rootsJSON, Timestamp.now()])
            return db.lastInsertedRowID
        }
    }

    /// Records the end of ingest run `id` with its counts.
    public func finishRun(_ id: Int64, counts: IngestCounts) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE ingest_runs SET finished_at = ?, scanned = ?, analyzed = ?, unchanged = ?, moved = ?,
                        missing = ?, failed = ? WHERE id = ?
                    """,
                arguments: [
                    Timestamp.now(), counts.scanned, counts.analyzed, counts.unchanged, counts.moved, counts.missing,
                    counts.failed, id,
                ])
        }
    }
}

extension KnownFile {
    init(_ row: Row) {
        id = row["id"]
        path = row["path"]
        sizeBytes = row["size_bytes"]
        mtimeNs = row["mtime_ns"]
        contentHash = row["content_hash"]
        status = TrackRecord.Status(rawValue: row["status"]) ?? .failed
        analysisVersion = row["analysis_version"]
    }
}

extension LibraryStore {
    /// Tracks already marked missing (anywhere): a new file with the same content is one of them, moved.
    public func missingFiles() throws(StoreError) -> [KnownFile] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, path, size_bytes, mtime_ns, content_hash, status, analysis_version
                    FROM tracks WHERE status = 'missing'
                    """
            ).map(KnownFile.init)
        }
    }
}
