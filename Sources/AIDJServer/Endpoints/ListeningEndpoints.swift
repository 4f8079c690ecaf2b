import AIDJCore
import AIDJStore
import Foundation
import Synchronization

/// What each listener's player said it is playing, to tell skips from plays.
final class NowPlaying: Sendable {
    struct Entry: Sendable {
        var trackID: Int64
        var since: Date
        var submitted: Bool
    }

    /// A track another track replaced within this long, without a play being submitted, was skipped.
    static let skipWindow: TimeInterval = 30

    private let entries = Mutex<[Int64: Entry]>([:])

    /// A "now playing" report. Returns the track it skipped, if any.
    func started(listenerID: Int64, trackID: Int64, at time: Date) -> Int64? {
        entries.withLock { entries in
            let previous = entries[listenerID]
            entries[listenerID] = Entry(trackID: trackID, since: time, submitted: false)
            guard let previous, previous.trackID != trackID, !previous.submitted,
                time.timeIntervalSince(previous.since) < Self.skipWindow, time >= previous.since
            else { return nil }
            return previous.trackID
        }
    }

    /// A submitted play: the track playing now was heard, not skipped.
    func played(listenerID: Int64, trackID: Int64) {
        entries.withLock { entries in
            if entries[listenerID]?.trackID == trackID { entries[listenerID]?.submitted = true }
        }
    }
}

/// scrobble, star, unstar, setRating, getStarred2 (and getStarred). Everything lands in the listener's events, so
/// `aidj train taste` and `aidj recommend` learn from a real player:
/// - a submitted scrobble is a play;
/// - a "now playing" scrobble (`submission=false`) followed within 30 s by another track's is a skip of the first;
/// - starring a song is a like (unstarring takes it back); a rating is a rating (0 removes it);
/// - starred albums and artists are kept for the players, apart from the taste model;
/// - a star or a submitted scrobble of a track on air on a live stream is also a like there.
enum ListeningEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("scrobble", scrobble),
        ("star", { try star($0, starred: true) }),
        ("unstar", { try star($0, starred: false) }),
        ("setRating", setRating),
        ("getStarred2", { try getStarred($0, element: "starred2") }),
        ("getStarred", { try getStarred($0, element: "starred") }),
    ]

    static func source(_ call: Call) -> String {
        "subsonic:" + String((call.parameters["c"] ?? "client").prefix(60))
    }

    static func scrobble(_ call: Call) throws -> Reply {
        let ids = call.parameters.all("id")
        guard !ids.isEmpty else { throw SubsonicError.missing("id") }
        let times = try call.parameters.all("time").map { text throws(SubsonicError) -> Date in
            guard let ms = Double(text), ms.isFinite, ms > 0 else {
                throw .invalid("time", text, expected: "milliseconds since 1970")
            }
            return Date(timeIntervalSince1970: ms / 1000)
        }
        let submission = try call.parameters.bool("submission") ?? true
        let songs = try ids.map { text throws(SubsonicError) in
            guard let song = call.catalogue.song(parameter: text) else { throw .notFound("song", text) }
            return song
        }
        for (n, song) in songs.enumerated() {
            let time = n < times.count ? times[n] : Date()
            if submission {
                try call.store.recordEvent(
                    listenerID: call.user.id, trackID: song.id, kind: .play,
                    occurredAt: Timestamp.string(from: time), source: source(call))
                call.api.nowPlaying.played(listenerID: call.user.id, trackID: song.id)
                call.api.live.liked([song.id], space: call.state.space)
            } else if let skipped = call.api.nowPlaying.started(listenerID: call.user.id, trackID: song.id, at: time) {
                try call.store.recordEvent(
                    listenerID: call.user.id, trackID: skipped, kind: .skip, occurredAt: Timestamp.string(from: time),
                    source: source(call))
            }
        }
        call.api.view.tasteChanged(for: call.user)
        return .empty
    }

    static func star(_ call: Call, starred: Bool) throws -> Reply {
        let songIDs = try call.parameters.all("id").map { text throws(SubsonicError) -> Int64 in
            guard let song = call.catalogue.song(parameter: text) else { throw .notFound("song", text) }
            return song.id
        }
        let albums = call.parameters.all("albumId"), artists = call.parameters.all("artistId")
        for id in albums where call.catalogue.album(id) == nil { throw SubsonicError.notFound("album", id) }
        for id in artists where call.catalogue.artist(id) == nil { throw SubsonicError.notFound("artist", id) }
        guard !(songIDs.isEmpty && albums.isEmpty && artists.isEmpty) else { throw SubsonicError.missing("id") }
        if starred {
            try call.store.starSongs(listenerID: call.user.id, trackIDs: songIDs, source: source(call))
            call.api.live.liked(songIDs, space: call.state.space)
        } else {
            try call.store.unstarSongs(listenerID: call.user.id, trackIDs: songIDs)
        }
        try call.store.setCollectionStars(listenerID: call.user.id, kind: .album, itemIDs: albums, starred: starred)
        try call.store.setCollectionStars(listenerID: call.user.id, kind: .artist, itemIDs: artists, starred: starred)
        call.api.view.tasteChanged(for: call.user)
        return .empty
    }

    static func setRating(_ call: Call) throws -> Reply {
        let song = try call.song()
        guard let rating = try call.parameters.int("rating") else { throw SubsonicError.missing("rating") }
        guard (0...5).contains(rating) else {
            throw SubsonicError.invalid("rating", String(rating), expected: "0 (none) to 5")
        }
        try call.store.rateSong(listenerID: call.user.id, trackID: song.id, rating: rating, source: source(call))
        call.api.view.tasteChanged(for: call.user)
        return .empty
    }

    static func getStarred(_ call: Call, element: String) throws -> Reply {
        let marks = try call.api.listeners.marks(of: call.user)
        let songs = marks.filter { $0.value.starredAt != nil }.compactMap { call.catalogue.song($0.key) }
            .sorted { marks[$0.id]!.starredAt! > marks[$1.id]!.starredAt! }
        let builder = try call.builder()
        let stars = try call.api.listeners.collectionStars(of: call.user)
        var e = SubsonicElement(element)
        e.add(
            list: "artist",
            stars.filter { $0.kind == .artist }.compactMap { call.catalogue.artist($0.itemID) }.map {
                builder.artist($0)
            })
        e.add(
            list: "album",
            stars.filter { $0.kind == .album }.compactMap { call.catalogue.album($0.itemID) }.map { builder.album($0) })
        e.add(list: "song", songs.map { builder.song($0) })
        return .one(e)
    }
}
