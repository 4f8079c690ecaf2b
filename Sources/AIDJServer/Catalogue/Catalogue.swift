import AIDJCore
import AIDJStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The library as players browse it: songs, albums, artists, genres and music folders, built in memory from
/// the store's analysed tracks so that browsing and search never touch SQLite.
///
/// Ids: a song's id is its track id; albums are `al-` and artists `ar-` followed by a stable 64-bit hash of
/// their names (and, for albums, their folder), so ids survive a re-ingest.
/// Tags first: a file without artist or album tags gets its folder names (`Artist/Album/01 Song.flac`), a file
/// without a title its file name without the extension.
struct Catalogue: Sendable {
    struct Song: Sendable {
        var id: Int64
        var path: String
        /// The path under its music folder: what clients display (`path` field); never used to open files.
        var relativePath: String
        var folderIndex: Int
        var title: String
        var artist: String
        var artistID: String
        var album: String
        var albumID: String
        var genre: String?
        var year: Int?
        var track: Int?
        var duration: Double
        var size: Int64
        var suffix: String
        var contentType: String
        var bitDepth: Int?
        var sampleRate: Int?
        var channels: Int?
        var created: String
        var bpm: Double
        var key: MusicalKey?
        var energy: Double
        var valence: Double
        var danceability: Double
        var loudnessLUFS: Double?
        var replayGainDB: Double?
        var truePeakDBTP: Double?
        var moods: [String]
        /// Whether the file embeds a cover picture; nil when the ingest did not look (before migration 0010).
        var hasEmbeddedArt: Bool?

        var bitRate: Int? { duration > 0 ? Int((Double(size) * 8 / duration / 1000).rounded()) : nil }
    }

    struct Album: Sendable {
        var id: String
        var name: String
        var artist: String
        var artistID: String
        var songIDs: [Int64]
        var duration: Double
        var year: Int?
        var genre: String?
        var created: String
        var folder: String
        /// A cover image in the album's folder.
        var coverPath: String?
        /// The album's songs whose files embed (or may embed) a cover, in track order.
        var embeddedArtSongIDs: [Int64]

        var hasArt: Bool { coverPath != nil || !embeddedArtSongIDs.isEmpty }
    }

    struct Artist: Sendable {
        var id: String
        var name: String
        var albumIDs: [String]
    }

    var folders: [String]
    var songs: [Song]
    var songIndex: [Int64: Int]
    var albums: [Album]
    var albumIndex: [String: Int]
    var artists: [Artist]
    var artistIndex: [String: Int]
    /// Genre name → song indices.
    var genres: [(name: String, songs: [Int])]
    /// Search texts in the order of `songs` (title, artist, album), `albums` (name, artist) and `artists`.
    var songSearch: SearchIndex
    var albumSearch: SearchIndex
    var artistSearch: SearchIndex
    /// When the catalogue was built (ISO 8601), for `lastModified`.
    var builtAt: Date

    func song(_ id: Int64) -> Song? { songIndex[id].map { songs[$0] } }
    func album(_ id: String) -> Album? { albumIndex[id].map { albums[$0] } }
    func artist(_ id: String) -> Artist? { artistIndex[id].map { artists[$0] } }

    /// The `coverArt` id of a song: its own when its file embeds a picture, else its album's when that has one.
    func coverArtID(song: Song) -> String? {
        if song.hasEmbeddedArt != false { return String(song.id) }
        return album(song.albumID).flatMap { $0.hasArt ? $0.id : nil }
    }

    /// The `coverArt` id of an artist: their first album with art.
    func coverArtID(artist: Artist) -> String? { artist.albumIDs.first { album($0)?.hasArt == true } }

    /// Song id from a request's text, nil when it is not a song of the catalogue.
    func song(parameter text: String) -> Song? { Int64(text).flatMap { song($0) } }
}

extension Catalogue {
    init(summaries: [TrackSummary], folders: [String], builtAt: Date = Date()) {
        self.folders = folders
        self.builtAt = builtAt
        var songs: [Song] = []
        songs.reserveCapacity(summaries.count)
        for summary in summaries {
            guard let id = summary.track.id, let features = summary.features else { continue }
            songs.append(Self.song(summary.track, features, id: id, folders: folders))
        }
        songs.sort {
            ($0.artist.lowercased(), $0.album.lowercased(), $0.track ?? 0, $0.title) < (
                $1.artist.lowercased(), $1.album.lowercased(), $1.track ?? 0, $1.title
            )
        }
        self.songs = songs
        songIndex = Dictionary(uniqueKeysWithValues: songs.enumerated().map { ($0.element.id, $0.offset) })

        // Albums: a name in a folder.
        var albumOrder: [String] = []
        var members: [String: [Int]] = [:]
        for (i, song) in songs.enumerated() {
            if members[song.albumID] == nil { albumOrder.append(song.albumID) }
            members[song.albumID, default: []].append(i)
        }
        var coverCache: [String: String?] = [:]
        albums = albumOrder.map { id in
            let indices = members[id]!.sorted {
                (songs[$0].track ?? Int.max, songs[$0].title) < (songs[$1].track ?? Int.max, songs[$1].title)
            }
            let first = songs[indices[0]]
            let artistNames = Set(indices.map { songs[$0].artist })
            let artist = artistNames.count == 1 ? first.artist : "Various Artists"
            let folder = (first.path as NSString).deletingLastPathComponent
            if coverCache[folder] == nil { coverCache[folder] = .some(Self.coverFile(in: folder)) }
            return Album(
                id: id, name: first.album, artist: artist, artistID: Self.artistID(artist),
                songIDs: indices.map { songs[$0].id }, duration: indices.reduce(0) { $0 + songs[$1].duration },
                year: indices.compactMap { songs[$0].year }.max(),
                genre: Self.mostCommon(indices.compactMap { songs[$0].genre }),
                created: indices.map { songs[$0].created }.min() ?? "", folder: folder,
                coverPath: coverCache[folder] ?? nil,
                embeddedArtSongIDs: indices.filter { songs[$0].hasEmbeddedArt != false }.map { songs[$0].id })
        }
        albums.sort { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
        albumIndex = Dictionary(uniqueKeysWithValues: albums.enumerated().map { ($0.element.id, $0.offset) })

        // Artists: every song artist and album artist; an artist's albums are those it plays on or heads.
        var artistNames: [String: String] = [:]
        var artistAlbums: [String: [String]] = [:]
        for album in albums {
            var ids = Set([album.artistID])
            artistNames[album.artistID] = album.artist
            for songID in album.songIDs {
                let song = songs[songIndex[songID]!]
                artistNames[song.artistID] = song.artist
                ids.insert(song.artistID)
            }
            for artistID in ids { artistAlbums[artistID, default: []].append(album.id) }
        }
        artists = artistNames.map { id, name in
            Artist(id: id, name: name, albumIDs: artistAlbums[id] ?? [])
        }.sorted { (Self.sortName($0.name), $0.id) < (Self.sortName($1.name), $1.id) }
        artistIndex = Dictionary(uniqueKeysWithValues: artists.enumerated().map { ($0.element.id, $0.offset) })

        var byGenre: [String: [Int]] = [:]
        for (i, song) in songs.enumerated() { if let genre = song.genre { byGenre[genre, default: []].append(i) } }
        genres = byGenre.map { (name: $0.key, songs: $0.value) }.sorted { $0.name.lowercased() < $1.name.lowercased() }

        songSearch = SearchIndex(songs.map { $0.title + " " + $0.artist + " " + $0.album })
        albumSearch = SearchIndex(albums.map { $0.name + " " + $0.artist })
        artistSearch = SearchIndex(artists.map(\.name))
    }

    static func song(_ track: TrackRecord, _ features: FeatureRecord, id: Int64, folders: [String]) -> Song {
        let url = URL(fileURLWithPath: track.path)
        let components = url.pathComponents
        let folderIndex = folders.firstIndex { track.path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") } ?? -1
        let relative: String
        if folderIndex >= 0 {
            let root = folders[folderIndex].hasSuffix("/") ? folders[folderIndex] : folders[folderIndex] + "/"
            relative = String(track.path.dropFirst(root.count))
        } else {
            relative = components.suffix(3).joined(separator: "/")
        }
        let relativeParts = relative.split(separator: "/").map(String.init)
        // Folder names stand in for missing tags: …/Artist/Album/file.
        let albumFolder = relativeParts.count >= 2 ? relativeParts[relativeParts.count - 2] : nil
        let artistFolder = relativeParts.count >= 3 ? relativeParts[relativeParts.count - 3] : nil
        let title = nonEmpty(track.title) ?? url.deletingPathExtension().lastPathComponent
        let artist = nonEmpty(track.artist) ?? artistFolder ?? "Unknown Artist"
        let album = nonEmpty(track.album) ?? albumFolder ?? "Unknown Album"
        let folder = (track.path as NSString).deletingLastPathComponent
        let suffix = url.pathExtension.lowercased()
        let bpm = features.bpm
        let moods = MoodSpace.named.filter {
            $0.fit(energy: features.energy, valence: features.valence, bpm: bpm) >= 0.5
        }.map(\.name)
        return Song(
            id: id, path: track.path, relativePath: relative, folderIndex: max(folderIndex, 0), title: title,
            artist: artist, artistID: artistID(artist), album: album, albumID: albumID(album, folder: folder),
            genre: nonEmpty(track.genre), year: track.year, track: track.trackNumber, duration: track.durationS ?? 0,
            size: track.sizeBytes, suffix: suffix, contentType: contentType(suffix: suffix),
            bitDepth: bitDepth(format: track.format), sampleRate: track.sampleRate, channels: track.channels,
            created: track.addedAt, bpm: bpm, key: features.key, energy: features.energy, valence: features.valence,
            danceability: features.danceability, loudnessLUFS: features.loudnessLufs,
            replayGainDB: features.replayGainDb, truePeakDBTP: features.truePeakDbtp, moods: moods,
            hasEmbeddedArt: track.hasEmbeddedArt)
    }

    static func artistID(_ name: String) -> String { "ar-" + stableHash(name.lowercased()) }
    static func albumID(_ name: String, folder: String) -> String {
        "al-" + stableHash(name.lowercased() + "\u{1F}" + folder)
    }

    /// FNV-1a, 64 bits, hex: the same on every run and machine (Swift's `Hasher` is seeded per process).
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Lower case without diacritics: "Beyoncé" matches "beyonce".
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// Articles players ignore when indexing artists.
    static let ignoredArticles = ["The", "El", "La", "Los", "Las", "Le", "Les"]

    static func sortName(_ name: String) -> String {
        let lower = fold(name)
        for article in ignoredArticles {
            let prefix = article.lowercased() + " "
            if lower.hasPrefix(prefix) && lower.count > prefix.count { return String(lower.dropFirst(prefix.count)) }
        }
        return lower
    }

    /// The index letter of an artist: A–Z, or "#".
    static func indexLetter(_ name: String) -> String {
        guard let first = sortName(name).unicodeScalars.first, ("a"..."z").contains(first) else { return "#" }
        return String(first).uppercased()
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    static func mostCommon(_ values: [String]) -> String? {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    static func contentType(suffix: String) -> String {
        switch suffix {
        case "mp3": "audio/mpeg"
        case "flac": "audio/flac"
        case "ogg", "oga": "audio/ogg"
        case "opus": "audio/ogg; codecs=opus"
        case "wav": "audio/wav"
        case "aif", "aiff": "audio/aiff"
        case "m4a", "mp4": "audio/mp4"
        default: "application/octet-stream"
        }
    }

    /// "FLAC 16-bit" → 16.
    static func bitDepth(format: String?) -> Int? {
        guard let format, let range = format.range(of: #"(\d+)-bit"#, options: .regularExpression) else { return nil }
        return Int(format[range].dropLast(4))
    }

    /// A cover image in the album's folder (cover, folder, front or album; jpg or png), as most players keep it.
    static func coverFile(in folder: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let wanted = ["cover", "folder", "front", "album"]
        let images = names.filter {
            let lower = $0.lowercased()
            return lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png")
        }
        for stem in wanted {
            if let hit = images.sorted().first(where: {
                ($0 as NSString).deletingPathExtension.lowercased() == stem
            }) {
                return folder + "/" + hit
            }
        }
        return nil
    }
}

/// The folded (no case, no accents) search texts of one kind of item, back to back in one UTF-8 buffer with a 0
/// byte after each. A query scans the buffer once for its longest word (`memchr` for the first byte, `memcmp`
/// for the rest), checks the other words only inside the records it hits, and stops when a page is full, so the
/// items themselves are never touched (copying large `Song` values dominated `search3` on 10,000 songs).
struct SearchIndex: Sendable {
    private let bytes: [UInt8]
    /// Record i is `bytes[starts[i] ..< starts[i + 1] - 1]`; one extra entry marks the end.
    private let starts: [Int]

    init(_ texts: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(texts.count + 1)
        for text in texts {
            starts.append(bytes.count)
            bytes.append(contentsOf: Catalogue.fold(text).utf8.lazy.filter { $0 != 0 })
            bytes.append(0)
        }
        starts.append(bytes.count)
        self.bytes = bytes
        self.starts = starts
    }

    var count: Int { starts.count - 1 }

    /// Query words as the index compares them: folded, split at white space, as bytes.
    static func words(_ query: String) -> [[UInt8]] {
        Catalogue.fold(query).split(whereSeparator: \.isWhitespace).map { Array($0.utf8) }
    }

    /// The records (in order) holding every word and passing `keep`, after skipping `offset` of them, at most
    /// `limit`. No words match every record.
    func matches(_ words: [[UInt8]], offset: Int, limit: Int, where keep: (Int) -> Bool = { _ in true }) -> [Int] {
        guard limit > 0 else { return [] }
        var found: [Int] = []
        var skipped = 0
        func take(_ record: Int) -> Bool {
            guard keep(record) else { return false }
            if skipped < offset {
                skipped += 1
                return false
            }
            found.append(record)
            return found.count == limit
        }
        let words = words.filter { !$0.isEmpty }
        guard let scan = words.max(by: { $0.count < $1.count }) else {
            for record in 0..<count where take(record) { break }
            return found
        }
        bytes.withUnsafeBytes { haystack in
            guard let base = haystack.baseAddress else { return }
            var position = 0
            var record = 0
            while let hit = Self.find(scan, in: base, from: position, to: haystack.count) {
                // Records are separated by 0 bytes, which no word holds, so a hit lies inside one record.
                while starts[record + 1] <= hit { record += 1 }
                let end = starts[record + 1] - 1
                let others = words.allSatisfy { word in
                    word.count == scan.count && word == scan
                        || Self.find(word, in: base, from: starts[record], to: end) != nil
                }
                if others && take(record) { return }
                position = starts[record + 1]
                record += 1
                if record >= count { return }
            }
        }
        return found
    }

    /// The offset of the first occurrence of `needle` in `base[from ..< to]`.
    private static func find(_ needle: [UInt8], in base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
        needle.withUnsafeBytes { needle -> Int? in
            guard let first = needle.first, to - from >= needle.count else { return nil }
            var start = from
            let last = to - needle.count
            while start <= last {
                guard let hit = memchr(base + start, Int32(first), last - start + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, needle.baseAddress!, needle.count) == 0 { return offset }
                start = offset + 1
            }
            return nil
        }
    }
}
