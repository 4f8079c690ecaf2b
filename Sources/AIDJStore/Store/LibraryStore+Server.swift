public import AIDJCore
public import Foundation
import GRDB

/// A listener's marks on one song, as players show them: starred (the latest 'like' newer than any 'dislike'),
/// the latest rating, and plays.
public struct SongMarks: Sendable, Equatable {
    public var starredAt: String?
    public var rating: Int?
    public var playCount: Int
    public var lastPlayedAt: String?

    public init(starredAt: String? = nil, rating: Int? = nil, playCount: Int = 0, lastPlayedAt: String? = nil) {
        self.starredAt = starredAt
        self.rating = rating
        self.playCount = playCount
        self.lastPlayedAt = lastPlayedAt
    }
}

/// An API key as listed: never the key itself, which only its owner saw once.
public struct APIKeySummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var prefix: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, prefix, createdAt = "created_at"
    }
}

/// A starred album or artist (the server's ids for them).
public struct CollectionStar: Sendable, Equatable {
    public enum Kind: String, Sendable { case album, artist }
    public var kind: Kind
    public var itemID: String
    public var starredAt: String
}

/// A playlist with its tracks in order.
public struct PlaylistRecord: Sendable, Equatable {
    public var id: Int64
    public var ownerID: Int64
    public var owner: String
    public var name: String
    public var comment: String?
    public var isPublic: Bool
    public var createdAt: String
    public var changedAt: String
    public var trackIDs: [Int64]
}

/// What `updatePlaylist` changes; nil leaves a field as it is.
public struct PlaylistChange: Sendable {
    public var name: String?
    public var comment: String?
    public var isPublic: Bool?
    public var appending: [Int64] = []
    /// Positions (0-based, in the playlist before this change) to remove.
    public var removingPositions: Set<Int> = []

    public init(name: String? = nil, comment: String? = nil, isPublic: Bool? = nil) {
        self.name = name
        self.comment = comment
        self.isPublic = isPublic
    }
}

// MARK: - Credentials

extension LibraryStore {
    /// The listener called `name` (ignoring case), with the name as stored.
    public func listenerIdentity(named name: String) throws(StoreError) -> (id: Int64, name: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, name FROM listeners WHERE name = ?", arguments: [name]).map {
                (id: $0["id"], name: $0["name"])
            }
        }
    }

    /// The listener's password, sealed by the caller (the store never sees it in clear).
    public func setSealedPassword(listenerID: Int64, sealed: Data) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO listener_credentials (listener_id, password_sealed, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (listener_id) DO UPDATE SET password_sealed = excluded.password_sealed,
                        updated_at = excluded.updated_at
                    """,
                arguments: [listenerID, sealed, Timestamp.now()])
        }
    }

    /// The listener's sealed password, nil when they have none (they cannot log in with a password).
    public func sealedPassword(listenerID: Int64) throws(StoreError) -> Data? {
        try read { db in
            try Data.fetchOne(
                db, sql: "SELECT password_sealed FROM listener_credentials WHERE listener_id = ?",
                arguments: [listenerID])
        }
    }

    /// Stores the hash of a new API key of the listener.
    @discardableResult
    public func addAPIKey(listenerID: Int64, hash: String, prefix: String) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (listener_id, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?)",
                arguments: [listenerID, hash, prefix, Timestamp.now()])
            return db.lastInsertedRowID
        }
    }

    /// The listener's API keys, oldest first.
    public func apiKeys(listenerID: Int64) throws(StoreError) -> [APIKeySummary] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, key_prefix, created_at FROM api_keys WHERE listener_id = ? ORDER BY id",
                arguments: [listenerID]
            ).map { APIKeySummary(id: $0["id"], prefix: $0["key_prefix"], createdAt: $0["created_at"]) }
        }
    }

    /// Revokes the listener's keys whose prefix starts with `prefix`; returns how many.
    public func revokeAPIKeys(listenerID: Int64, prefix: String) throws(StoreError) -> Int {
        try write { db in
            try db.execute(
                sql: "DELETE FROM api_keys WHERE listener_id = ? AND substr(key_prefix, 1, ?) = ?",
                arguments: [listenerID, prefix.count, prefix])
            return db.changesCount
        }
    }

    /// The listener (id, name) an API key hash belongs to.
    public func listener(apiKeyHash hash: String) throws(StoreError) -> (id: Int64, name: String)? {
        try read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT l.id, l.name FROM api_keys k JOIN listeners l ON l.id = k.listener_id WHERE k.key_hash = ?",
                arguments: [hash]
            ).map { (id: $0["id"], name: $0["name"]) }
        }
    }
}

// MARK: - Marks: stars, ratings, plays

extension LibraryStore {
    /// The listener's marks on `trackIDs` (every song they marked when nil). Songs without marks are absent.
    ///
    /// The latest rating is looked up by (listener, track, kind): left to itself, SQLite walked the listener's
    /// whole history in time order for every song (the ORDER BY made the by-time index look cheaper), and all
    /// marks of a listener with 100,000 events took 264 s instead of 87 ms.
    public func songMarks(listenerID: Int64, trackIDs: [Int64]? = nil) throws(StoreError) -> [Int64: SongMarks] {
        if let trackIDs, trackIDs.isEmpty { return [:] }
        return try read { db in
            var arguments: StatementArguments = [listenerID]
            if let trackIDs { arguments += StatementArguments(trackIDs) }
            var marks: [Int64: SongMarks] = [:]
            for row in try Row.fetchAll(db, sql: Self.songMarksSQL(trackCount: trackIDs?.count), arguments: arguments) {
                let liked: String? = row["liked"]
                let disliked: String? = row["disliked"]
                let starred = liked.flatMap { like in disliked.map { like > $0 } ?? true ? like : nil }
                marks[row["track_id"]] = SongMarks(
                    starredAt: starred, rating: row["rating"], playCount: row["plays"], lastPlayedAt: row["played"])
            }
            return marks
        }
    }

    /// The marks query, for all the listener's songs (nil) or `trackCount` of them (`?` placeholders after the
    /// listener's).
    static func songMarksSQL(trackCount: Int?) -> String {
        var sql = """
            SELECT track_id,
                max(CASE kind WHEN 'like' THEN occurred_at END) AS liked,
                max(CASE kind WHEN 'dislike' THEN occurred_at END) AS disliked,
                count(CASE kind WHEN 'play' THEN 1 END) AS plays,
                max(CASE kind WHEN 'play' THEN occurred_at END) AS played,
                (SELECT r.rating FROM listener_events r INDEXED BY listener_events_by_track
                    WHERE r.listener_id = e.listener_id
                    AND r.track_id = e.track_id AND r.kind = 'rating' ORDER BY r.occurred_at DESC, r.id DESC
                    LIMIT 1) AS rating
            FROM listener_events e WHERE listener_id = ? AND track_id IS NOT NULL
            """
        if let trackCount {
            sql += " AND track_id IN (" + Array(repeating: "?", count: trackCount).joined(separator: ",") + ")"
        }
        return sql + " GROUP BY track_id"
    }

    /// Stars songs: a 'like' event for each one not starred now. Returns how many were new.
    @discardableResult
    public func starSongs(listenerID: Int64, trackIDs: [Int64], at time: String = Timestamp.now(), source: String)
        throws(StoreError) -> Int
    {
        let current = try songMarks(listenerID: listenerID, trackIDs: trackIDs)
        return try write { db in
            var added = 0
            for id in Set(trackIDs) where current[id]?.starredAt == nil {
                try db.execute(
                    sql: """
                        INSERT INTO listener_events (listener_id, track_id, kind, occurred_at, source)
                        VALUES (?, ?, 'like', ?, ?)
                        """,
                    arguments: [listenerID, id, time, source])
                added += 1
            }
            return added
        }
    }

    /// Unstars songs: the listener no longer likes them, so their 'like' events go (the taste model learns from
    /// what is liked now, not from a like taken back).
    public func unstarSongs(listenerID: Int64, trackIDs: [Int64]) throws(StoreError) {
        try write { db in
            for id in trackIDs {
                try db.execute(
                    sql: "DELETE FROM listener_events WHERE listener_id = ? AND track_id = ? AND kind = 'like'",
                    arguments: [listenerID, id])
            }
        }
    }

    /// Rates a song 1–5 (a 'rating' event); 0 removes the listener's ratings of it.
    public func rateSong(
        listenerID: Int64, trackID: Int64, rating: Int, at time: String = Timestamp.now(), source: String
    ) throws(StoreError) {
        precondition((0...5).contains(rating), "rating \(rating) is outside 0–5")
        try write { db in
            if rating == 0 {
                try db.execute(
                    sql: "DELETE FROM listener_events WHERE listener_id = ? AND track_id = ? AND kind = 'rating'",
                    arguments: [listenerID, trackID])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO listener_events (listener_id, track_id, kind, rating, occurred_at, source)
                        VALUES (?, ?, 'rating', ?, ?, ?)
                        """,
                    arguments: [listenerID, trackID, rating, time, source])
            }
        }
    }

    /// Stars (or unstars) albums or artists by the server's ids.
    public func setCollectionStars(
        listenerID: Int64, kind: CollectionStar.Kind, itemIDs: [String], starred: Bool,
        at time: String = Timestamp.now()
    ) throws(StoreError) {
        try write { db in
            for item in itemIDs {
                if starred {
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO collection_stars (listener_id, kind, item_id, starred_at)
                            VALUES (?, ?, ?, ?)
                            """,
                        arguments: [listenerID, kind.rawValue, item, time])
                } else {
                    try db.execute(
                        sql: "DELETE FROM collection_stars WHERE listener_id = ? AND kind = ? AND item_id = ?",
                        arguments: [listenerID, kind.rawValue, item])
                }
            }
        }
    }

    /// The listener's starred albums and artists, newest first.
    public func collectionStars(listenerID: Int64) throws(StoreError) -> [CollectionStar] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, item_id, starred_at FROM collection_stars WHERE listener_id = ?
                    ORDER BY starred_at DESC
                    """,
                arguments: [listenerID]
            ).compactMap { row in
                CollectionStar.Kind(rawValue: row["kind"]).map {
                    CollectionStar(kind: $0, itemID: row["item_id"], starredAt: row["starred_at"])
                }
            }
        }
    }

    /// The folders ingest runs scanned, in the order first scanned.
    public func ingestRoots() throws(StoreError) -> [String] {
        try read { db in
            var roots: [String] = []
            for json in try String.fetchAll(db, sql: "SELECT roots FROM ingest_runs ORDER BY id") {
                let decoded = (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
                for root in decoded where !roots.contains(root) { roots.append(root) }
            }
            return roots
        }
    }

    /// A cheap fingerprint of the library's tracks: it changes whenever an ingest adds, re-analyses, moves or
    /// loses a track, so a server can tell when its in-memory catalogue is stale.
    public func libraryFingerprint() throws(StoreError) -> String {
        try read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS n, max(id) AS last, max(analyzed_at) AS analyzed,
                        max(missing_since) AS missing, sum(status = 'missing') AS lost, max(mtime_ns) AS mtime
                    FROM tracks
                    """)
            guard let row else { return "" }
            let n: Int64 = row["n"]
            let last: Int64? = row["last"]
            let analyzed: String? = row["analyzed"]
            let missing: String? = row["missing"]
            let lost: Int64? = row["lost"]
            let mtime: Int64? = row["mtime"]
            return "\(n)|\(last ?? 0)|\(analyzed ?? "")|\(missing ?? "")|\(lost ?? 0)|\(mtime ?? 0)"
        }
    }
}

// MARK: - Playlists

extension LibraryStore {
    /// Playlists the listener may see: their own and everyone's public ones, by name.
    public func playlists(visibleTo listenerID: Int64) throws(StoreError) -> [PlaylistRecord] {
        try read { db in
            let ids = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM playlists WHERE listener_id = ? OR public = 1 ORDER BY name COLLATE NOCASE, id",
                arguments: [listenerID])
            return try ids.compactMap { try Self.playlist(db, id: $0) }
        }
    }

    /// The playlist with this id, whoever owns it.
    public func playlist(id: Int64) throws(StoreError) -> PlaylistRecord? {
        try read { db in try Self.playlist(db, id: id) }
    }

    /// Creates a playlist of the listener with these tracks.
    public func createPlaylist(listenerID: Int64, name: String, trackIDs: [Int64]) throws(StoreError) -> Int64 {
        try write { db in
            let now = Timestamp.now()
            try db.execute(
                sql: "INSERT INTO playlists (listener_id, name, created_at, changed_at) VALUES (?, ?, ?, ?)",
                arguments: [listenerID, name, now, now])
            let id = db.lastInsertedRowID
            try Self.insertEntries(db, playlistID: id, trackIDs: trackIDs, from: 0)
            return id
        }
    }

    /// Replaces a playlist's tracks (and its name when given).
    public func replacePlaylist(id: Int64, name: String?, trackIDs: [Int64]) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM playlist_entries WHERE playlist_id = ?", arguments: [id])
            try Self.insertEntries(db, playlistID: id, trackIDs: trackIDs, from: 0)
            try db.execute(
                sql: "UPDATE playlists SET name = coalesce(?, name), changed_at = ? WHERE id = ?",
                arguments: [name, Timestamp.now(), id])
        }
    }

    /// Applies a change in one transaction: removals by position first, then appends.
    public func updatePlaylist(id: Int64, _ change: PlaylistChange) throws(StoreError) {
        try write { db in
            if !change.removingPositions.isEmpty || !change.appending.isEmpty {
                let current = try Int64.fetchAll(
                    db, sql: "SELECT track_id FROM playlist_entries WHERE playlist_id = ? ORDER BY position",
                    arguments: [id])
                let kept = current.enumerated().filter { !change.removingPositions.contains($0.offset) }.map(\.element)
                try db.execute(sql: "DELETE FROM playlist_entries WHERE playlist_id = ?", arguments: [id])
                try Self.insertEntries(db, playlistID: id, trackIDs: kept + change.appending, from: 0)
            }
            try db.execute(
                sql: """
                    UPDATE playlists SET name = coalesce(?, name), comment = coalesce(?, comment),
                        public = coalesce(?, public), changed_at = ? WHERE id = ?
                    """,
                arguments: [change.name, change.comment, change.isPublic, Timestamp.now(), id])
        }
    }

    public func deletePlaylist(id: Int64) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM playlists WHERE id = ?", arguments: [id]) }
    }

    private static func playlist(_ db: Database, id: Int64) throws -> PlaylistRecord? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT p.*, l.name AS owner FROM playlists p JOIN listeners l ON l.id = p.listener_id
                    WHERE p.id = ?
                    """,
                arguments: [id])
        else { return nil }
        let tracks = try Int64.fetchAll(
            db, sql: "SELECT track_id FROM playlist_entries WHERE playlist_id = ? ORDER BY position", arguments: [id])
        return PlaylistRecord(
            id: row["id"], ownerID: row["listener_id"], owner: row["owner"], name: row["name"],
            comment: row["comment"], isPublic: row["public"], createdAt: row["created_at"],
            changedAt: row["changed_at"], trackIDs: tracks)
    }

    private static func insertEntries(_ db: Database, playlistID: Int64, trackIDs: [Int64], from start: Int) throws {
        for (offset, track) in trackIDs.enumerated() {
            try db.execute(
                sql: "INSERT INTO playlist_entries (playlist_id, position, track_id) VALUES (?, ?, ?)",
                arguments: [playlistID, start + offset, track])
        }
    }
}
