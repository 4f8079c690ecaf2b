public import AIDJCore
import GRDB

/// What a listener did with a track.
public enum ListenerEventKind: String, CaseIterable, Sendable, Codable {
    case play, skip, like, dislike, rating
}

/// A listener with the counts of their events.
public struct ListenerSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var name: String
    public var createdAt: String
    public var plays: Int
    public var skips: Int
    public var likes: Int
    public var dislikes: Int
    public var ratings: Int
}

/// One event of a listener, with the track's path when it is in the library.
public struct ListenerEvent: Sendable, Codable, Equatable {
    public var kind: ListenerEventKind
    public var rating: Int?
    public var occurredAt: String
    public var trackID: Int64?
    public var path: String?
    public var source: String

    public init(
        kind: ListenerEventKind, rating: Int?, occurredAt: String, trackID: Int64?, path: String?, source: String
    ) {
        self.kind = kind
        self.rating = rating
        self.occurredAt = occurredAt
        self.trackID = trackID
        self.path = path
        self.source = source
    }
}

extension LibraryStore {
    /// Adds a listener. Names are unique, ignoring case.
    ///
    /// - Throws: `StoreError` "listener 'x' already exists".
    @discardableResult
    public func addListener(_ name: String) throws(StoreError) -> Int64 {
        if try listenerID(named: name) != nil {
            throw StoreError(path: path, reason: "listener '\(name)' already exists")
        }
        return try write { db in
            try db.execute(
                sql: "INSERT INTO listeners (name, created_at) VALUES (?, ?)", arguments: [name, Timestamp.now()])
            return db.lastInsertedRowID
        }
    }

    /// The id of the listener called `name` (names compare without case), nil when there is none.
    public func listenerID(named name: String) throws(StoreError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM listeners WHERE name = ?", arguments: [name]) }
    }

    /// Every listener with event counts, by name.
    public func listeners() throws(StoreError) -> [ListenerSummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.name, l.created_at,
                        count(CASE e.kind WHEN 'play' THEN 1 END) AS plays,
                        count(CASE e.kind WHEN 'skip' THEN 1 END) AS skips,
                        count(CASE e.kind WHEN 'like' THEN 1 END) AS likes,
                        count(CASE e.kind WHEN 'dislike' THEN 1 END) AS dislikes,
                        count(CASE e.kind WHEN 'rating' THEN 1 END) AS ratings
                    FROM listeners l LEFT JOIN listener_events e ON e.listener_id = l.id
                    GROUP BY l.id ORDER BY l.name COLLATE NOCASE
                    """
            ).map { row in
                ListenerSummary(
                    id: row["id"], name: row["name"], createdAt: row["created_at"], plays: row["plays"],
                    skips: row["skips"], likes: row["likes"], dislikes: row["dislikes"], ratings: row["ratings"])
            }
        }
    }

    /// Records one event.
    public func recordEvent(
        listenerID: Int64, trackID: Int64?, kind: ListenerEventKind, rating: Int? = nil,
        occurredAt: String = Timestamp.now(), source: String = "cli"
    ) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO listener_events (listener_id, track_id, kind, rating, occurred_at, source)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [listenerID, trackID, kind.rawValue, rating, occurredAt, source])
        }
    }

    /// A listener's events, oldest first.
    public func events(listenerID: Int64) throws(StoreError) -> [ListenerEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.kind, e.rating, e.occurred_at, e.track_id, t.path, e.source
                    FROM listener_events e LEFT JOIN tracks t ON t.id = e.track_id
                    WHERE e.listener_id = ? ORDER BY e.occurred_at, e.id
                    """,
                arguments: [listenerID]
            ).map { row in
                ListenerEvent(
                    kind: ListenerEventKind(rawValue: row["kind"]) ?? .play, rating: row["rating"],
                    occurredAt: row["occurred_at"], trackID: row["track_id"], path: row["path"], source: row["source"])
            }
        }
    }
}

/// An event read from a listening history.
public struct ImportedEvent: Sendable {
    public var trackID: Int64?
    public var kind: ListenerEventKind
    public var occurredAt: String
    public var artist: String?
    public var title: String?

    public init(trackID: Int64?, kind: ListenerEventKind, occurredAt: String, artist: String?, title: String?) {
        self.trackID = trackID
        self.kind = kind
        self.occurredAt = occurredAt
        self.artist = artist
        self.title = title
    }
}

extension LibraryStore {
    /// (id, artist, title, path) of every track, for matching histories.
    public func trackIdentities() throws(StoreError) -> [(id: Int64, artist: String?, title: String?, path: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, artist, title, path FROM tracks").map {
                (id: $0["id"], artist: $0["artist"], title: $0["title"], path: $0["path"])
            }
        }
    }

    /// Stores imported events in one transaction; an event already stored (same listener, time, kind, artist,
    /// title and source) is not stored again, so re-importing a file adds nothing.
    ///
    /// - Returns: how many were new and how many were already there.
    public func importEvents(_ events: [ImportedEvent], listenerID: Int64, source: String) throws(StoreError)
        -> (inserted: Int, duplicates: Int)
    {
        try write { db in
            var inserted = 0, duplicates = 0
            for event in events {
                let exists =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM listener_events WHERE listener_id = ? AND occurred_at = ?
                                AND kind = ? AND source = ? AND artist IS ? AND title IS ?)
                            """,
                        arguments: [
                            listenerID, event.occurredAt, event.kind.rawValue, source, event.artist, event.title,
                        ]) ?? false
                if exists {
                    duplicates += 1
                    continue
                }
                try db.execute(
                    sql: """
                        INSERT INTO listener_events (listener_id, track_id, kind, occurred_at, source, artist, title)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        listenerID, event.trackID, event.kind.rawValue, event.occurredAt, source, event.artist,
                        event.title,
                    ])
                inserted += 1
            }
            return (inserted, duplicates)
        }
    }
}
