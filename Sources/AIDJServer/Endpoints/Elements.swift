import AIDJCore
import AIDJStore
import Foundation

/// The protocol's shapes (Child, AlbumID3, ArtistID3) for catalogue entries, with the calling listener's marks.
struct ElementBuilder {
    let catalogue: Catalogue
    let marks: [Int64: SongMarks]
    let collectionStars: [String: String]
    /// For JSON answers: each song's listener-independent fields, encoded once per catalogue.
    var songJSON: FragmentCache?

    /// A song as `Child`: Subsonic's fields, OpenSubsonic's (bpm, replayGain, moods, genres, artists…), an
    /// `aidj` object with the analysis players have no field for (key, Camelot, energy, valence, danceability,
    /// loudness), and the listener's marks. Named `name` (`song`, `entry`, …).
    func song(_ song: Catalogue.Song, name: String = "song") -> SubsonicElement {
        var e: SubsonicElement
        if let songJSON {
            e = SubsonicElement(name)
            e.prebuiltJSON = songJSON.fragment(song.id) { SubsonicEncoding.jsonFields(of: staticSong(song)) }
        } else {
            e = staticSong(song, name: name)
        }
        let mark = marks[song.id]
        e.set("userRating", mark?.rating)
        e.set("playCount", mark?.playCount ?? 0)
        e.set("played", mark?.lastPlayedAt)
        e.set("starred", mark?.starredAt)
        return e
    }

    /// A song's fields that do not depend on the listener.
    private func staticSong(_ song: Catalogue.Song, name: String = "song") -> SubsonicElement {
        var e = SubsonicElement(name)
        e.set("id", String(song.id))
        e.set("parent", song.albumID)
        e.set("isDir", false)
        e.set("title", song.title)
        e.set("album", song.album)
        e.set("artist", song.artist)
        e.set("track", song.track)
        e.set("year", song.year)
        e.set("genre", song.genre)
        e.set("coverArt", catalogue.coverArtID(song: song))
        e.set("size", song.size)
        e.set("contentType", song.contentType)
        e.set("suffix", song.suffix)
        e.set("duration", Int(song.duration.rounded()))
        e.set("bitRate", song.bitRate)
        e.set("bitDepth", song.bitDepth)
        e.set("samplingRate", song.sampleRate)
        e.set("channelCount", song.channels)
        e.set("path", song.relativePath)
        e.set("isVideo", false)
        e.set("created", song.created)
        e.set("albumId", song.albumID)
        e.set("artistId", song.artistID)
        e.set("type", "music")
        e.set("mediaType", "song")
        e.set("bpm", song.bpm > 0 ? Int(song.bpm.rounded()) : 0)
        e.set("sortName", song.title)
        e.set("displayArtist", song.artist)
        if let album = catalogue.album(song.albumID) { e.set("displayAlbumArtist", album.artist) }
        e.add(list: "genres", song.genre.map { [Self.named("genres", $0)] } ?? [])
        e.add(list: "artists", [artistRef(name: song.artist, id: song.artistID, element: "artists")])
        if let album = catalogue.album(song.albumID) {
            e.add(list: "albumArtists", [artistRef(name: album.artist, id: album.artistID, element: "albumArtists")])
        }
        e.add(strings: "moods", song.moods)
        var gain = SubsonicElement("replayGain")
        gain.set("trackGain", song.replayGainDB)
        // ReplayGain peaks are linear amplitude; the stored true peak is in dBTP.
        gain.set("trackPeak", song.truePeakDBTP.map { pow(10, $0 / 20) })
        e.add(gain)
        var aidj = SubsonicElement("aidj")
        aidj.set("key", song.key?.description)
        aidj.set("camelot", song.key?.camelot)
        aidj.set("bpm", song.bpm)
        aidj.set("energy", song.energy)
        aidj.set("valence", song.valence)
        aidj.set("danceability", song.danceability)
        aidj.set("loudness", song.loudnessLUFS)
        e.add(aidj)
        return e
    }

    func album(_ album: Catalogue.Album, name: String = "album", withSongs: Bool = false) -> SubsonicElement {
        var e = SubsonicElement(name)
        e.set("id", album.id)
        e.set("name", album.name)
        e.set("artist", album.artist)
        e.set("artistId", album.artistID)
        if album.hasArt { e.set("coverArt", album.id) }
        e.set("songCount", album.songIDs.count)
        e.set("duration", Int(album.duration.rounded()))
        e.set("playCount", album.songIDs.reduce(0) { $0 + (marks[$1]?.playCount ?? 0) })
        e.set("played", album.songIDs.compactMap { marks[$0]?.lastPlayedAt }.max())
        e.set("created", album.created)
        e.set("starred", collectionStars["album:" + album.id])
        e.set("year", album.year)
        e.set("genre", album.genre)
        e.set("sortName", album.name)
        e.set("displayArtist", album.artist)
        e.set("isCompilation", album.artist == "Various Artists")
        e.add(list: "genres", album.genre.map { [Self.named("genres", $0)] } ?? [])
        e.add(list: "artists", [artistRef(name: album.artist, id: album.artistID, element: "artists")])
        if withSongs {
            e.add(list: "song", album.songIDs.compactMap { catalogue.song($0) }.map { song($0) })
        }
        return e
    }

    func artist(_ artist: Catalogue.Artist, name: String = "artist") -> SubsonicElement {
        var e = SubsonicElement(name)
        e.set("id", artist.id)
        e.set("name", artist.name)
        e.set("albumCount", artist.albumIDs.count)
        e.set("coverArt", catalogue.coverArtID(artist: artist))
        e.set("starred", collectionStars["artist:" + artist.id])
        e.set("sortName", Catalogue.sortName(artist.name))
        return e
    }

    func artistRef(name: String, id: String, element: String) -> SubsonicElement {
        var e = SubsonicElement(element)
        e.set("id", id)
        e.set("name", name)
        return e
    }

    static func named(_ element: String, _ name: String) -> SubsonicElement {
        var e = SubsonicElement(element)
        e.set("name", name)
        return e
    }
}
