import AIDJStore
import Foundation

/// getPlaylists, getPlaylist, createPlaylist, updatePlaylist, deletePlaylist. A listener sees their own
/// playlists and public ones, and changes only their own.
enum PlaylistEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("getPlaylists", getPlaylists),
        ("getPlaylist", getPlaylist),
        ("createPlaylist", createPlaylist),
        ("updatePlaylist", updatePlaylist),
        ("deletePlaylist", deletePlaylist),
    ]

    static func element(_ p: PlaylistRecord, _ call: Call, withEntries: Bool) throws -> SubsonicElement {
        let songs = p.trackIDs.compactMap { call.catalogue.song($0) }
        var e = SubsonicElement("playlist")
        e.set("id", String(p.id))
        e.set("name", p.name)
        e.set("comment", p.comment)
        e.set("owner", p.owner)
        e.set("public", p.isPublic)
        e.set("songCount", songs.count)
        e.set("duration", Int(songs.reduce(0) { $0 + $1.duration }.rounded()))
        e.set("created", p.createdAt)
        e.set("changed", p.changedAt)
        e.set("coverArt", songs.lazy.compactMap { call.catalogue.coverArtID(song: $0) }.first)
        if withEntries {
            let builder = try call.builder()
            e.add(list: "entry", songs.map { builder.song($0, name: "entry") })
        }
        return e
    }

    static func getPlaylists(_ call: Call) throws -> Reply {
        if let other = call.parameters["username"], other.lowercased() != call.user.name.lowercased() {
            throw SubsonicError(
                .notAuthorized, "'\(call.user.name)' may not list the playlists of '\(other.prefix(60))'")
        }
        var e = SubsonicElement("playlists")
        e.add(
            list: "playlist",
            try call.store.playlists(visibleTo: call.user.id).map { try element($0, call, withEntries: false) })
        return .one(e)
    }

    static func playlist(_ call: Call, _ name: String, owned: Bool) throws -> PlaylistRecord {
        let text = try call.parameters.required(name)
        guard let id = Int64(text), let p = try call.store.playlist(id: id),
            p.ownerID == call.user.id || (!owned && p.isPublic)
        else {
            throw SubsonicError.notFound("playlist", text)
        }
        return p
    }

    static func getPlaylist(_ call: Call) throws -> Reply {
        .one(try element(try playlist(call, "id", owned: false), call, withEntries: true))
    }

    /// Song ids of a request, each checked: an unknown id fails the whole call, so nothing is half-changed.
    static func songIDs(_ call: Call, _ name: String) throws(SubsonicError) -> [Int64] {
        try call.parameters.all(name).map { text throws(SubsonicError) in
            guard let song = call.catalogue.song(parameter: text) else { throw .notFound("song", text) }
            return song.id
        }
    }

    /// With `playlistId`, replaces that playlist's songs (and its name when given); else creates `name`.
    static func createPlaylist(_ call: Call) throws -> Reply {
        let songs = try songIDs(call, "songId")
        let id: Int64
        if call.parameters["playlistId"] != nil {
            let existing = try playlist(call, "playlistId", owned: true)
            try call.store.replacePlaylist(id: existing.id, name: call.parameters["name"], trackIDs: songs)
            id = existing.id
        } else {
            let name = try call.parameters.required("name")
            id = try call.store.createPlaylist(listenerID: call.user.id, name: name, trackIDs: songs)
        }
        return .one(try element(try call.store.playlist(id: id)!, call, withEntries: true))
    }

    static func updatePlaylist(_ call: Call) throws -> Reply {
        let existing = try playlist(call, "playlistId", owned: true)
        var change = PlaylistChange(
            name: call.parameters["name"], comment: call.parameters["comment"],
            isPublic: try call.parameters.bool("public"))
        change.appending = try songIDs(call, "songIdToAdd")
        for text in call.parameters.all("songIndexToRemove") {
            guard let index = Int(text), existing.trackIDs.indices.contains(index) else {
                throw SubsonicError.invalid(
                    "songIndexToRemove", text, expected: "a position in 0..<\(existing.trackIDs.count)")
            }
            change.removingPositions.insert(index)
        }
        try call.store.updatePlaylist(id: existing.id, change)
        return .empty
    }

    static func deletePlaylist(_ call: Call) throws -> Reply {
        try call.store.deletePlaylist(id: try playlist(call, "id", owned: true).id)
        return .empty
    }
}
