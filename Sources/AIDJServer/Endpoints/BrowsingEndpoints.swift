import AIDJCore
import AIDJStore
import Foundation

/// Browsing and search: getIndexes, getMusicDirectory, getArtists, getArtist, getAlbum, getAlbumList(2),
/// getSong, getGenres, getSongsByGenre, getRandomSongs, search3.
enum BrowsingEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("getIndexes", getIndexes),
        ("getMusicDirectory", getMusicDirectory),
        ("getArtists", getArtists),
        ("getArtist", getArtist),
        ("getAlbum", getAlbum),
        ("getAlbumList2", { try getAlbumList($0, element: "albumList2") }),
        ("getAlbumList", { try getAlbumList($0, element: "albumList") }),
        ("getSong", getSong),
        ("getGenres", getGenres),
        ("getSongsByGenre", getSongsByGenre),
        ("getRandomSongs", getRandomSongs),
        ("search3", { try search($0, element: "searchResult3") }),
        ("search2", { try search($0, element: "searchResult2") }),
    ]

    /// The folder a request limits itself to (`musicFolderId`, 1-based), nil for all.
    static func folder(_ call: Call) throws(SubsonicError) -> Int? {
        guard let id = try call.parameters.int("musicFolderId") else { return nil }
        guard (1...max(1, call.catalogue.folders.count)).contains(id) else {
            throw .notFound("music folder", String(id))
        }
        return id - 1
    }

    static func artistIndex(_ call: Call, element: String, artistElement: String) throws -> SubsonicElement {
        let folder = try folder(call)
        let catalogue = call.catalogue
        let builder = try call.builder()
        var groups: [(String, [SubsonicElement])] = []
        for artist in catalogue.artists {
            if let folder,
                !artist.albumIDs.contains(where: { id in
                    catalogue.album(id)?.songIDs.contains { catalogue.song($0)?.folderIndex == folder } ?? false
                })
            {
                continue
            }
            let letter = Catalogue.indexLetter(artist.name)
            if groups.last?.0 != letter { groups.append((letter, [])) }
            groups[groups.count - 1].1.append(builder.artist(artist, name: artistElement))
        }
        var e = SubsonicElement(element)
        e.set("ignoredArticles", Catalogue.ignoredArticles.joined(separator: " "))
        e.set("lastModified", Int(call.catalogue.builtAt.timeIntervalSince1970 * 1000))
        e.add(
            list: "index",
            groups.sorted { ($0.0 == "#" ? "~" : $0.0) < ($1.0 == "#" ? "~" : $1.0) }.map { letter, artists in
                var index = SubsonicElement("index")
                index.set("name", letter)
                index.add(list: artistElement, artists)
                return index
            })
        return e
    }

    static func getIndexes(_ call: Call) throws -> Reply {
        .one(try artistIndex(call, element: "indexes", artistElement: "artist"))
    }

    static func getArtists(_ call: Call) throws -> Reply {
        .one(try artistIndex(call, element: "artists", artistElement: "artist"))
    }

    static func getArtist(_ call: Call) throws -> Reply {
        let id = try call.parameters.required("id")
        guard let artist = call.catalogue.artist(id) else { throw SubsonicError.notFound("artist", id) }
        let builder = try call.builder()
        var e = builder.artist(artist)
        e.add(list: "album", artist.albumIDs.compactMap { call.catalogue.album($0) }.map { builder.album($0) })
        return .one(e)
    }

    static func getAlbum(_ call: Call) throws -> Reply {
        let id = try call.parameters.required("id")
        guard let album = call.catalogue.album(id) else { throw SubsonicError.notFound("album", id) }
        return .one(try call.builder().album(album, withSongs: true))
    }

    /// Folder-style browsing (older clients): an artist id lists its albums as directories, an album id its songs.
    static func getMusicDirectory(_ call: Call) throws -> Reply {
        let id = try call.parameters.required("id")
        let catalogue = call.catalogue
        var e = SubsonicElement("directory")
        e.set("id", id)
        if let artist = catalogue.artist(id) {
            let albums = artist.albumIDs.compactMap { catalogue.album($0) }
            let builder = try call.builder()
            e.set("name", artist.name)
            e.add(
                list: "child",
                albums.map { album in
                    var child = SubsonicElement("child")
                    child.set("id", album.id)
                    child.set("parent", artist.id)
                    child.set("isDir", true)
                    child.set("title", album.name)
                    child.set("album", album.name)
                    child.set("artist", album.artist)
                    child.set("year", album.year)
                    child.set("genre", album.genre)
                    if album.hasArt { child.set("coverArt", album.id) }
                    child.set("created", album.created)
                    child.set("starred", builder.collectionStars["album:" + album.id])
                    return child
                })
        } else if let album = catalogue.album(id) {
            let builder = try call.builder()
            e.set("name", album.name)
            e.set("parent", album.artistID)
            e.add(
                list: "child", album.songIDs.compactMap { catalogue.song($0) }.map { builder.song($0, name: "child") })
        } else {
            throw SubsonicError.notFound("directory", id)
        }
        return .one(e)
    }

    static func getSong(_ call: Call) throws -> Reply {
        let song = try call.song()
        return .one(try call.builder().song(song))
    }

    static func getAlbumList(_ call: Call, element: String) throws -> Reply {
        let type = try call.parameters.required("type")
        let size = try call.parameters.int("size", default: 10, in: 1...500)
        let offset = try call.parameters.int("offset", default: 0, in: 0...Int.max)
        let folder = try folder(call)
        let catalogue = call.catalogue
        var albums = catalogue.albums.filter { album in
            folder.map { f in album.songIDs.contains { catalogue.song($0)?.folderIndex == f } } ?? true
        }
        let marks = try call.api.listeners.marks(of: call.user)
        func plays(_ a: Catalogue.Album) -> Int { a.songIDs.reduce(0) { $0 + (marks[$1]?.playCount ?? 0) } }
        func lastPlayed(_ a: Catalogue.Album) -> String { a.songIDs.compactMap { marks[$0]?.lastPlayedAt }.max() ?? "" }
        func rating(_ a: Catalogue.Album) -> Double {
            let r = a.songIDs.compactMap { marks[$0]?.rating }
            return r.isEmpty ? 0 : Double(r.reduce(0, +)) / Double(r.count)
        }
        switch type {
        case "random":
            albums.shuffle()
        case "newest":
            albums.sort { ($0.created, $0.id) > ($1.created, $1.id) }
        case "highest":
            albums = albums.filter { rating($0) > 0 }.sorted { rating($0) > rating($1) }
        case "frequent":
            albums = albums.filter { plays($0) > 0 }.sorted { plays($0) > plays($1) }
        case "recent":
            albums = albums.filter { !lastPlayed($0).isEmpty }.sorted { lastPlayed($0) > lastPlayed($1) }
        case "alphabeticalByName":
            break  // the catalogue's order
        case "alphabeticalByArtist":
            albums.sort {
                (Catalogue.sortName($0.artist), $0.name.lowercased()) < (
                    Catalogue.sortName($1.artist), $1.name.lowercased()
                )
            }
        case "starred":
            let stars = try call.api.listeners.collectionStars(of: call.user).filter { $0.kind == .album }
            let order = Dictionary(stars.map { ($0.itemID, $0.starredAt) }, uniquingKeysWith: max)
            albums = albums.filter { order[$0.id] != nil }.sorted { order[$0.id]! > order[$1.id]! }
        case "byYear":
            guard let from = try call.parameters.int("fromYear") else { throw SubsonicError.missing("fromYear") }
            guard let to = try call.parameters.int("toYear") else { throw SubsonicError.missing("toYear") }
            albums = albums.filter { $0.year.map { (min(from, to)...max(from, to)).contains($0) } ?? false }
                .sorted { from <= to ? ($0.year ?? 0) < ($1.year ?? 0) : ($0.year ?? 0) > ($1.year ?? 0) }
        case "byGenre":
            let genre = try call.parameters.required("genre")
            albums = albums.filter { album in
                album.songIDs.contains { catalogue.song($0)?.genre?.lowercased() == genre.lowercased() }
            }
        default:
            throw SubsonicError.invalid(
                "type", type,
                expected: "random, newest, highest, frequent, recent, alphabeticalByName, alphabeticalByArtist, "
                    + "starred, byYear or byGenre")
        }
        let page = Array(albums.dropFirst(offset).prefix(size))
        let builder = try call.builder()
        var e = SubsonicElement(element)
        e.add(list: "album", page.map { builder.album($0) })
        return .one(e)
    }

    static func getGenres(_ call: Call) -> Reply {
        let catalogue = call.catalogue
        var e = SubsonicElement("genres")
        e.add(
            list: "genre",
            catalogue.genres.map { genre in
                var g = SubsonicElement("genre")
                g.set("songCount", genre.songs.count)
                g.set("albumCount", Set(genre.songs.map { catalogue.songs[$0].albumID }).count)
                g.text = genre.name
                return g
            })
        return .one(e)
    }

    static func getSongsByGenre(_ call: Call) throws -> Reply {
        let genre = try call.parameters.required("genre")
        let count = try call.parameters.int("count", default: 10, in: 1...500)
        let offset = try call.parameters.int("offset", default: 0, in: 0...Int.max)
        let folder = try folder(call)
        let catalogue = call.catalogue
        let songs =
            (catalogue.genres.first { $0.name.lowercased() == genre.lowercased() }?.songs ?? [])
            .map { catalogue.songs[$0] }.filter { folder == nil || $0.folderIndex == folder }
        let page = Array(songs.dropFirst(offset).prefix(count))
        let builder = try call.builder()
        var e = SubsonicElement("songsByGenre")
        e.add(list: "song", page.map { builder.song($0) })
        return .one(e)
    }

    /// Random songs; for a listener with a taste signal, drawn with weights that favour what they like
    /// (weighted sampling without replacement, Efraimidis & Spirakis 2006: key = u^(1/w)), so the list stays
    /// varied but leans to their taste.
    static func getRandomSongs(_ call: Call) throws -> Reply {
        let size = try call.parameters.int("size", default: 10, in: 1...500)
        let genre = call.parameters["genre"]?.lowercased()
        let from = try call.parameters.int("fromYear"), to = try call.parameters.int("toYear")
        let folder = try folder(call)
        let candidates = call.catalogue.songs.filter { song in
            (genre == nil || song.genre?.lowercased() == genre) && (folder == nil || song.folderIndex == folder)
                && (from == nil || (song.year ?? Int.min) >= from!) && (to == nil || (song.year ?? Int.max) <= to!)
        }
        let taste = try call.api.view.taste(for: call.user, state: call.state)
        var generator = SystemRandomNumberGenerator()
        let picked =
            candidates.map { song -> (Catalogue.Song, Double) in
                let weight = max(0.02, taste?[song.id] ?? 1)
                let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
                return (song, log(u) / weight)
            }
            .sorted { $0.1 > $1.1 }.prefix(size).map(\.0)
        let builder = try call.builder()
        var e = SubsonicElement("randomSongs")
        e.add(list: "song", picked.map { builder.song($0) })
        return .one(e)
    }

    /// Every word of the query must appear (ignoring case and accents) in the artist's name, the album's name
    /// and artist, or the song's title, artist and album. An empty query (`""` or `""""`) lists everything, page
    /// by page, as OpenSubsonic clients use it to sync.
    static func search(_ call: Call, element: String) throws -> Reply {
        let raw = call.parameters["query"] ?? ""
        let words = SearchIndex.words(
            raw.replacingOccurrences(of: "\"", with: " ").replacingOccurrences(of: "*", with: " "))
        let p = call.parameters
        let artistCount = try p.int("artistCount", default: 20, in: 0...500)
        let artistOffset = try p.int("artistOffset", default: 0, in: 0...Int.max)
        let albumCount = try p.int("albumCount", default: 20, in: 0...500)
        let albumOffset = try p.int("albumOffset", default: 0, in: 0...Int.max)
        let songCount = try p.int("songCount", default: 20, in: 0...500)
        let songOffset = try p.int("songOffset", default: 0, in: 0...Int.max)
        let folder = try folder(call)
        let catalogue = call.catalogue

        let artists = catalogue.artistSearch.matches(words, offset: artistOffset, limit: artistCount).map {
            catalogue.artists[$0]
        }
        let albums = catalogue.albumSearch.matches(words, offset: albumOffset, limit: albumCount) { index in
            folder == nil || catalogue.song(catalogue.albums[index].songIDs[0])?.folderIndex == folder
        }.map { catalogue.albums[$0] }
        let songs = catalogue.songSearch.matches(words, offset: songOffset, limit: songCount) { index in
            folder == nil || catalogue.songs[index].folderIndex == folder
        }.map { catalogue.songs[$0] }
        let builder = try call.builder()
        var e = SubsonicElement(element)
        e.add(list: "artist", artists.map { builder.artist($0) })
        e.add(list: "album", albums.map { builder.album($0) })
        e.add(list: "song", songs.map { builder.song($0) })
        return .one(e)
    }
}
