import AIDJStore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The OpenSubsonic API over HTTP on loopback, against a library made in code.
@Suite("aidj serve: the OpenSubsonic API")
struct ProtocolTests {
    /// Every read-only endpoint: its parameters and the element its answer holds.
    static func readCalls(_ h: ServerHarness) async throws -> [(String, [(String, String)], String)] {
        let album =
            try await h.json("getSong", [("id", "\(h.ids["Morning Light"]!)")]).object("song")["albumId"] as! String
        let artist = try await h.json("getSong", [("id", "\(h.ids["Tunnel"]!)")]).object("song")["artistId"] as! String
        let song = "\(h.ids["Open Road"]!)"
        return [
            ("ping", [], ""),
            ("getLicense", [], "license"),
            ("getOpenSubsonicExtensions", [], "openSubsonicExtensions"),
            ("getMusicFolders", [], "musicFolders"),
            ("getIndexes", [], "indexes"),
            ("getMusicDirectory", [("id", album)], "directory"),
            ("getArtists", [], "artists"),
            ("getArtist", [("id", artist)], "artist"),
            ("getAlbum", [("id", album)], "album"),
            ("getAlbumList2", [("type", "alphabeticalByName")], "albumList2"),
            ("getAlbumList", [("type", "newest")], "albumList"),
            ("getSong", [("id", song)], "song"),
            ("getGenres", [], "genres"),
            ("getSongsByGenre", [("genre", "House")], "songsByGenre"),
            ("getRandomSongs", [("size", "3")], "randomSongs"),
            ("search3", [("query", "road")], "searchResult3"),
            ("getPlaylists", [], "playlists"),
            ("getStarred2", [], "starred2"),
            ("getUser", [("username", "alice")], "user"),
            ("getSimilarSongs", [("id", song), ("count", "3")], "similarSongs"),
            ("getSimilarSongs2", [("id", album), ("count", "3")], "similarSongs2"),
            ("getSonicSimilarTracks", [("id", song), ("count", "3")], "sonicMatch"),
            ("findSonicPath", [("startSongId", song), ("endSongId", "\(h.ids["Señal"]!)")], "sonicMatch"),
            ("getScanStatus", [], "scanStatus"),
        ]
    }

    @Test("every endpoint answers in JSON and in well-formed XML")
    func everyEndpointBothFormats() async throws {
        let h = try await ServerHarness()
        for (method, parameters, element) in try await Self.readCalls(h) {
            let json = try await h.json(method, parameters)
            #expect(json.ok, "\(method) JSON: \(json)")
            #expect(json["version"] as? String == "1.16.1" && json["openSubsonic"] as? Bool == true)
            if !element.isEmpty { #expect(json[element] != nil, "\(method): no \(element) in JSON") }
            let xml = try await h.xml(method, parameters)
            #expect(xml.ok, "\(method) XML")
            #expect(xml.root.attributes["xmlns"] == "http://subsonic.org/restapi")
            if !element.isEmpty { #expect(xml.root.first(element) != nil, "\(method): no <\(element)> in XML") }
        }
        await h.stop()
    }

    @Test("songs carry bpm, replayGain, genre, moods, duration and aidj's key and Camelot")
    func songFields() async throws {
        let h = try await ServerHarness()
        let song = try await h.json("getSong", [("id", "\(h.ids["High Noon"]!)")]).object("song")
        #expect(song["title"] as? String == "High Noon" && song["artist"] as? String == "Ana Moreno")
        #expect(song["bpm"] as? Int == 122 && song["duration"] as? Int == 182 && song["genre"] as? String == "House")
        #expect((song["replayGain"] as? [String: Any])?["trackGain"] as? Double == -9)
        let aidj = song["aidj"] as? [String: Any] ?? [:]
        #expect(aidj["camelot"] as? String == "10A" && aidj["key"] as? String == "B minor")
        #expect(song["moods"] is [String])
        #expect(song["path"] as? String == "Ana Moreno/Daybreak/03 High Noon.flac")
        #expect(song["contentType"] as? String == "audio/flac" && song["suffix"] as? String == "flac")
        await h.stop()
    }

    @Test("a file without tags is named by its folders and file name, and search3 finds it by that name")
    func taglessFile() async throws {
        let h = try await ServerHarness()
        let result = try await h.json("search3", [("query", "quiet piece")]).object("searchResult3")
        let songs = result.list("song")
        #expect(songs.count == 1)
        #expect(songs.first?["title"] as? String == "Quiet Piece")
        #expect(songs.first?["artist"] as? String == "Field Recordings")
        #expect(songs.first?["album"] as? String == "Tapes")
        // Accents and case do not matter; every word must match; an empty query lists everything.
        #expect(try await h.json("search3", [("query", "SENAL")]).object("searchResult3").list("song").count == 1)
        #expect(try await h.json("search3", [("query", "road tunnel")]).object("searchResult3").list("song").isEmpty)
        let all = try await h.json("search3", [("query", ""), ("songCount", "500")]).object("searchResult3")
        #expect(all.list("song").count == LibraryFixture.songs.count)
        let page = try await h.json("search3", [("query", ""), ("songCount", "3"), ("songOffset", "6")])
        #expect(page.object("searchResult3").list("song").count == 2)
        await h.stop()
    }

    @Test("browsing: artists indexed without articles, albums in track order, album lists")
    func browsing() async throws {
        let h = try await ServerHarness()
        let index = try await h.json("getArtists").object("artists").list("index")
        let letters = index.compactMap { $0["name"] as? String }
        #expect(letters == ["A", "B", "F"], "\(letters)")  // "The Breakline" under B
        let album = try await h.json("getSong", [("id", "\(h.ids["Tunnel"]!)")]).object("song")["albumId"] as! String
        let tracks = try await h.json("getAlbum", [("id", album)]).object("album").list("song")
        #expect(tracks.compactMap { $0["title"] as? String } == ["Tunnel", "Señal", "Decoy One", "Decoy Two"])
        let byYear = try await h.json("getAlbumList2", [("type", "byYear"), ("fromYear", "2019"), ("toYear", "2021")])
        #expect(byYear.object("albumList2").list("album").compactMap { $0["name"] as? String } == ["Daybreak"])
        let byGenre = try await h.json("getAlbumList2", [("type", "byGenre"), ("genre", "techno")])
        #expect(byGenre.object("albumList2").list("album").compactMap { $0["name"] as? String } == ["Night Shift"])
        let bad = try await h.json("getAlbumList2", [("type", "sideways")])
        #expect(bad.errorCode == 0)
        let missing = try await h.json("getAlbumList2", [("type", "byYear")])
        #expect(missing.errorCode == 10)
        await h.stop()
    }

    @Test("findSonicPath keeps each step within one Camelot step and walks from start to end")
    func sonicPath() async throws {
        let h = try await ServerHarness()
        let start = h.ids["Morning Light"]!, end = h.ids["Señal"]!
        let path = try await h.json(
            "findSonicPath", [("startSongId", "\(start)"), ("endSongId", "\(end)"), ("count", "10")]
        ).list("sonicMatch")
        let entries = path.map { $0["entry"] as? [String: Any] ?? [:] }
        #expect(entries.first?["id"] as? String == "\(start)" && entries.last?["id"] as? String == "\(end)")
        let camelots = entries.compactMap { ($0["aidj"] as? [String: Any])?["camelot"] as? String }
        #expect(camelots == ["8A", "9A", "10A", "11A", "12A"], "\(camelots)")
        #expect((path.first?["similarity"] as? Double) == 1)
        let similar = try await h.json("getSonicSimilarTracks", [("id", "\(start)"), ("count", "2")])
        let titles = similar.list("sonicMatch").compactMap { ($0["entry"] as? [String: Any])?["title"] as? String }
        #expect(titles == ["Open Road", "Decoy Two"], "\(titles)")
        await h.stop()
    }

    @Test("encoding: numbers to six significant digits, JSON and XML escapes, characters XML cannot hold replaced")
    func encoding() throws {
        let cases: [(Double, String)] = [
            (5, "5.0"), (-8.1, "-8.1"), (123.456789, "123.457"), (0.123456789, "0.123457"), (1e-7, "1e-07"),
            (0.1 + 0.2, "0.3"), (1234567, "1234570.0"), (-0.5, "-0.5"), (0, "0.0"),
        ]
        for (value, text) in cases { #expect(SubsonicEncoding.formatDouble(value) == text, "\(value)") }
        var e = SubsonicElement("song")
        e.set("title", "Say \"hi\" \\ <now> & 'then'\u{1}\t")
        e.set("odd", "a\u{FFFE}b\u{FFFF}c — é")
        func text(_ format: SubsonicFormat) -> String {
            String(
                decoding: SubsonicEncoding.document(
                    status: true, payload: [.element(e)], format: format, serverVersion: "1"), as: UTF8.self)
        }
        let json = text(.json)
        #expect(json.contains(#""title":"Say \"hi\" \\ <now> & 'then'\u0001\t""#))
        #expect(json.contains("\"odd\":\"a\u{FFFE}b\u{FFFF}c — é\""))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let song = (object?["subsonic-response"] as? [String: Any])?["song"] as? [String: Any]
        #expect(song?["title"] as? String == "Say \"hi\" \\ <now> & 'then'\u{1}\t")
        let xml = text(.xml)
        #expect(xml.contains(#"title="Say &quot;hi&quot; \ &lt;now&gt; &amp; &apos;then&apos;\#u{FFFD}\#t""#))
        #expect(xml.contains("odd=\"a\u{FFFD}b\u{FFFD}c — é\""))
    }

    @Test("a song's cached JSON and its XML carry the same fields, and the listener's marks are current in both")
    func songFieldsAndMarks() async throws {
        let h = try await ServerHarness()
        let id = "\(h.ids["High Noon"]!)"
        let first = try await h.json("getSong", [("id", id)]).object("song")
        let again = try await h.json("getSong", [("id", id)]).object("song")  // from the cache
        func canonical(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(first) == canonical(again))
        #expect(first["starred"] == nil && first["userRating"] == nil && first["playCount"] as? Int == 0)
        #expect(try await h.json("star", [("id", id)]).ok)
        #expect(try await h.json("setRating", [("id", id), ("rating", "4")]).ok)
        let marked = try await h.json("getSong", [("id", id)]).object("song")
        #expect(marked["starred"] is String && marked["userRating"] as? Int == 4)
        var unmarked = marked
        unmarked["starred"] = nil
        unmarked["userRating"] = nil
        #expect(try canonical(unmarked) == canonical(first))
        // Bob's view of the same cached song has none of Alice's marks.
        let bob = try await h.json("getSong", [("id", id)], auth: .token("bob", "hunter2")).object("song")
        #expect(bob["starred"] == nil && bob["userRating"] == nil)
        // XML: the same scalar fields as attributes, the same objects and lists as child elements.
        let xml = try await h.xml("getSong", [("id", id)]).root.first("song")!
        let scalars = Set(marked.filter { !($0.value is [Any] || $0.value is [String: Any]) }.keys)
        #expect(Set(xml.attributes.keys) == scalars)
        // (An empty list has no XML element.)
        let nested = Set(
            marked.compactMap { key, value -> String? in
                if let list = value as? [Any] { return list.isEmpty ? nil : key }
                return value is [String: Any] ? key : nil
            })
        #expect(Set(xml.children.map(\.name)) == nested)
        await h.stop()
    }

    @Test("stream and download by id, with byte ranges")
    func ranges() async throws {
        let h = try await ServerHarness()
        let id = h.ids["High Noon"]!
        let index = LibraryFixture.songs.firstIndex { $0.title == "High Noon" }!
        let bytes = LibraryFixture.bytes(count: LibraryFixture.songs[index].bytes, seed: index)
        func get(_ range: String?, method: String = "stream") async throws -> (Int, [String: String], Data) {
            var request = URLRequest(url: h.url(method, [("id", "\(id)")], format: nil))
            if let range { request.setValue(range, forHTTPHeaderField: "Range") }
            return try await h.raw(request)
        }
        let whole = try await get(nil)
        #expect(whole.0 == 200 && whole.2 == Data(bytes) && whole.1["accept-ranges"] == "bytes")
        #expect(whole.1["content-type"] == "audio/flac")
        let middle = try await get("bytes=100-199")
        #expect(middle.0 == 206 && middle.2 == Data(bytes[100...199]))
        #expect(middle.1["content-range"] == "bytes 100-199/20000")
        let tail = try await get("bytes=-50")
        #expect(tail.0 == 206 && tail.2 == Data(bytes[19_950...]))
        let open = try await get("bytes=19990-")
        #expect(open.0 == 206 && open.2 == Data(bytes[19_990...]))
        let beyond = try await get("bytes=30000-30010")
        #expect(beyond.0 == 416 && beyond.1["content-range"] == "bytes */20000")
        let clamp = try await get("bytes=19999-25000")
        #expect(clamp.0 == 206 && clamp.2 == Data([bytes[19_999]]))
        let download = try await get(nil, method: "download")
        #expect(download.0 == 200 && download.1["content-disposition"]?.contains("03 High Noon.flac") == true)
        await h.stop()
    }

    @Test("ByteRange parses the forms RFC 9110 defines")
    func byteRangeParsing() {
        #expect(ByteRange.parse("bytes=0-0", size: 10) == .range(0...0))
        #expect(ByteRange.parse("bytes=5-", size: 10) == .range(5...9))
        #expect(ByteRange.parse("bytes=-3", size: 10) == .range(7...9))
        #expect(ByteRange.parse("bytes=-30", size: 10) == .range(0...9))
        #expect(ByteRange.parse("bytes=10-12", size: 10) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=3-1", size: 10) == .whole)
        #expect(ByteRange.parse("bytes=0-1,4-5", size: 10) == .whole)
        #expect(ByteRange.parse("items=0-1", size: 10) == .whole)
        #expect(ByteRange.parse("bytes=-0", size: 10) == .unsatisfiable)
    }

    @Test(
        "a file deleted since ingest gives error 70; cover art: a song's embedded picture, else its album's folder image or a picture in one of its songs, else 404"
    )
    func missingFilesAndCoverArt() async throws {
        let h = try await ServerHarness()
        let id = h.ids["Tunnel"]!
        try FileManager.default.removeItem(atPath: h.folder.path + "/music/The Breakline/Night Shift/01 Tunnel.mp3")
        let gone = try await h.json("stream", [("id", "\(id)")])
        #expect(gone.errorCode == 70)

        func art(_ id: String) async throws -> (status: Int, headers: [String: String], body: Data) {
            try await h.raw(URLRequest(url: h.url("getCoverArt", [("id", id)], format: nil)))
        }
        // Night Shift: no picture anywhere.
        let señal = try await h.json("getSong", [("id", "\(h.ids["Señal"]!)")]).object("song")
        #expect(señal["coverArt"] == nil)
        #expect(try await art(señal["albumId"] as! String).status == 404)
        #expect(try await art("\(h.ids["Señal"]!)").status == 404)

        // Open Road embeds a picture: the song offers its own, and its album (no folder image) offers it too.
        let openRoad = try await h.json("getSong", [("id", "\(h.ids["Open Road"]!)")]).object("song")
        #expect(openRoad["coverArt"] as? String == "\(h.ids["Open Road"]!)")
        let embedded = try await art("\(h.ids["Open Road"]!)")
        #expect(embedded.status == 200 && embedded.body == LibraryFixture.picture)
        #expect(embedded.headers["content-type"] == "image/jpeg")
        let morning = try await h.json("getSong", [("id", "\(h.ids["Morning Light"]!)")]).object("song")
        let album = morning["albumId"] as! String
        #expect(morning["coverArt"] as? String == album)
        #expect(try await art(album).body == LibraryFixture.picture)
        #expect(try await art(morning["artistId"] as! String).body == LibraryFixture.picture)

        // A folder image wins for the album; the song keeps its own picture.
        let cover = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        try cover.write(to: URL(fileURLWithPath: h.folder.path + "/music/Ana Moreno/Daybreak/cover.png"))
        // The catalogue notices changed tracks, not new images: touch the library so it is rebuilt (at once:
        // the next request sees the database's data version move).
        try h.store.markMissing(trackIDs: [id])
        let folderImage = try await art(album)
        #expect(
            folderImage.status == 200 && folderImage.body == cover && folderImage.headers["content-type"] == "image/png"
        )
        #expect(try await art("\(h.ids["Morning Light"]!)").body == cover)
        #expect(try await art("\(h.ids["Open Road"]!)").body == LibraryFixture.picture)
        await h.stop()
    }

    @Test("playlists: create, read, update by position, replace, delete; only the owner changes them")
    func playlists() async throws {
        let h = try await ServerHarness()
        let a = "\(h.ids["Morning Light"]!)", b = "\(h.ids["Open Road"]!)", c = "\(h.ids["Tunnel"]!)"
        let created = try await h.json(
            "createPlaylist", [("name", "Run"), ("songId", a), ("songId", b), ("songId", c)])
        let playlist = created.object("playlist")
        let id = playlist["id"] as! String
        #expect(playlist["songCount"] as? Int == 3 && playlist["owner"] as? String == "alice")
        #expect(
            try await h.json(
                "updatePlaylist",
                [
                    ("playlistId", id), ("songIndexToRemove", "0"), ("songIdToAdd", a), ("name", "Run 2"),
                    ("public", "true"),
                ]
            ).ok)
        let read = try await h.json("getPlaylist", [("id", id)]).object("playlist")
        #expect(read.list("entry").compactMap { $0["id"] as? String } == [b, c, a])
        #expect(read["name"] as? String == "Run 2" && read["public"] as? Bool == true)
        // Bob sees the public playlist but cannot change it.
        let bob = ServerHarness.Auth.password("bob", "hunter2")
        #expect(try await h.json("getPlaylists", auth: bob).object("playlists").list("playlist").count == 1)
        #expect(try await h.json("deletePlaylist", [("id", id)], auth: bob).errorCode == 70)
        // Unknown song ids and positions change nothing.
        #expect(try await h.json("updatePlaylist", [("playlistId", id), ("songIdToAdd", "9999")]).errorCode == 70)
        #expect(try await h.json("updatePlaylist", [("playlistId", id), ("songIndexToRemove", "7")]).errorCode == 0)
        #expect(try await h.json("getPlaylist", [("id", id)]).object("playlist").list("entry").count == 3)
        let replaced = try await h.json("createPlaylist", [("playlistId", id), ("songId", c)]).object("playlist")
        #expect(replaced["songCount"] as? Int == 1)
        #expect(try await h.json("deletePlaylist", [("id", id)]).ok)
        #expect(try await h.json("getPlaylist", [("id", id)]).errorCode == 70)
        await h.stop()
    }

    @Test("form posts carry parameters; oversized bodies are refused")
    func formPost() async throws {
        let h = try await ServerHarness()
        var request = URLRequest(url: URL(string: h.base + "/rest/getSong.view")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let auth = ServerHarness.authParameters(.alice).map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        request.httpBody = Data("\(auth)&v=1.16.1&c=t&f=json&id=\(h.ids["Tunnel"]!)".utf8)
        let posted = try await h.raw(request)
        let json = try JSONSerialization.jsonObject(with: posted.body) as? [String: Any]
        #expect((json?["subsonic-response"] as? [String: Any])?.object("song")["title"] as? String == "Tunnel")
        request.httpBody = Data(repeating: UInt8(ascii: "a"), count: 64 * 1024)
        let huge = try await h.raw(request)
        #expect(huge.status == 413)
        #expect(try await h.json("ping").ok)
        await h.stop()
    }

    @Test("malformed parameters and unknown ids get the protocol's errors")
    func badInput() async throws {
        let h = try await ServerHarness()
        #expect(try await h.json("getSong", [("id", "12345")]).errorCode == 70)
        #expect(try await h.json("getSong", [("id", "../../etc/passwd")]).errorCode == 70)
        #expect(try await h.json("getSong").errorCode == 10)
        #expect(try await h.json("getRandomSongs", [("size", "many")]).errorCode == 0)
        #expect(try await h.json("getRandomSongs", [("size", "-4")]).errorCode == 0)
        #expect(try await h.json("getAlbum", [("id", "al-nope")]).errorCode == 70)
        #expect(try await h.json("setRating", [("id", "\(h.ids["Tunnel"]!)"), ("rating", "9")]).errorCode == 0)
        #expect(try await h.json("scrobble", [("id", "\(h.ids["Tunnel"]!)"), ("time", "yesterday")]).errorCode == 0)
        #expect(try await h.json("getMusicFolders", [("musicFolderId", "7")]).ok)
        #expect(try await h.json("getRandomSongs", [("musicFolderId", "7")]).errorCode == 70)
        #expect(try await h.json("noSuchMethod").errorCode == 70)
        let huge = try await h.json("getRandomSongs", [("size", "100000")])
        #expect(huge.object("randomSongs").list("song").count == LibraryFixture.songs.count)
        await h.stop()
    }

    @Test("a client that disconnects mid-stream leaves the server serving others")
    func disconnectMidStream() async throws {
        let h = try await ServerHarness()
        // A file large enough to be streamed in chunks.
        let path = h.folder.path + "/music/Ana Moreno/Daybreak/02 Open Road.flac"
        try Data(repeating: 7, count: 8 << 20).write(to: URL(fileURLWithPath: path))
        let url = h.url("stream", [("id", "\(h.ids["Open Road"]!)")], format: nil)
        let target = url.path + "?" + url.query!
        for _ in 0..<5 {
            // Hang up after 100 kB of an 8 MB response.
            #expect(try RawHTTP.readPartially(base: h.base, target: target, count: 100_000) >= 100_000)
        }
        #expect(try await h.json("ping").ok)
        let full = try await h.raw(URLRequest(url: url))
        #expect(full.status == 200 && full.body.count == 8 << 20)
        await h.stop()
    }

    @Test("a connection whose headers trickle in is closed after the idle timeout; a slow reader is not cut off")
    func idleTimeout() async throws {
        let h = try await ServerHarness(idleTimeout: .seconds(1))
        let fd = try RawHTTP.connectLoopback(URL(string: h.base)!)
        defer { close(fd) }
        _ = "GET /rest/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n".withCString { send(fd, $0, strlen($0), 0) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = ContinuousClock.now
        var byte: UInt8 = 0
        #expect(recv(fd, &byte, 1, 0) == 0, "the server closes the connection")
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(800) && waited < .seconds(4), "\(waited)")

        // A long response read with pauses longer than the timeout arrives whole.
        let path = h.folder.path + "/music/Ana Moreno/Daybreak/03 High Noon.flac"
        try Data(repeating: 5, count: 4 << 20).write(to: URL(fileURLWithPath: path))
        let url = h.url("stream", [("id", "\(h.ids["High Noon"]!)")], format: nil)
        let slow = try RawHTTP.connectLoopback(url)
        defer { close(slow) }
        _ = "GET \(url.path)?\(url.query!) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".withCString {
            send(slow, $0, strlen($0), 0)
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var total = 0
        var paused = false
        while true {
            let n = recv(slow, &buffer, buffer.count, 0)
            if n <= 0 { break }
            total += n
            if total > 100_000 && !paused {
                paused = true
                try await Task.sleep(for: .milliseconds(1500))
            }
        }
        #expect(paused && total > 4 << 20, "\(total) bytes with headers")
        #expect(try await h.json("ping").ok)
        await h.stop()
    }

    @Test("the web player page is served at /")
    func webPage() async throws {
        let h = try await ServerHarness()
        let page = try await h.raw(URLRequest(url: URL(string: h.base + "/")!))
        #expect(page.status == 200 && page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(String(decoding: page.body, as: UTF8.self).contains("<title>aidj</title>"))
        await h.stop()
    }
}
