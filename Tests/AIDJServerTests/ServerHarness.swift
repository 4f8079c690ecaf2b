import AIDJAudio
import AIDJCore
import AIDJStore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small library made in code: songs with chosen tags, keys, tempi and feature vectors, on disk as files of
/// known bytes (the server streams files as they are, so they need not be audio).
struct LibraryFixture {
    struct Song {
        var file: String
        var title: String?
        var artist: String?
        var album: String?
        var genre: String?
        var year: Int?
        var track: Int?
        var camelot: String
        var bpm: Double
        var energy: Double
        /// Position along the fixture's one feature axis (the rest of the vector is shared).
        var position: Float
        var bytes = 20_000
        /// A real FLAC with ``LibraryFixture/picture`` embedded instead of random bytes.
        var embedsPicture = false
    }

    /// The cover embedded in "Open Road".
    static let picture = EmbeddedArt.jpeg(seed: 42)

    /// A chain of Camelot neighbours from 8A to 12A along the feature axis, decoys in far keys between them, two
    /// albums with tags, and one file without any tags.
    static let songs: [Song] = [
        Song(
            file: "Ana Moreno/Daybreak/01 Morning Light.flac", title: "Morning Light", artist: "Ana Moreno",
            album: "Daybreak", genre: "House", year: 2020, track: 1, camelot: "8A", bpm: 120, energy: 0.50, position: 0),
        Song(
            file: "Ana Moreno/Daybreak/02 Open Road.flac", title: "Open Road", artist: "Ana Moreno",
            album: "Daybreak", genre: "House", year: 2020, track: 2, camelot: "9A", bpm: 121, energy: 0.55, position: 1,
            embedsPicture: true),
        Song(
            file: "Ana Moreno/Daybreak/03 High Noon.flac", title: "High Noon", artist: "Ana Moreno",
            album: "Daybreak", genre: "House", year: 2020, track: 3, camelot: "10A", bpm: 122, energy: 0.60, position: 2
        ),
        Song(
            file: "The Breakline/Night Shift/01 Tunnel.mp3", title: "Tunnel", artist: "The Breakline",
            album: "Night Shift", genre: "Techno", year: 2018, track: 1, camelot: "11A", bpm: 123, energy: 0.65,
            position: 3),
        Song(
            file: "The Breakline/Night Shift/02 Señal.mp3", title: "Señal", artist: "The Breakline",
            album: "Night Shift", genre: "Techno", year: 2018, track: 2, camelot: "12A", bpm: 124, energy: 0.70,
            position: 4),
        Song(
            file: "The Breakline/Night Shift/03 Decoy One.mp3", title: "Decoy One", artist: "The Breakline",
            album: "Night Shift", genre: "Techno", year: 2018, track: 3, camelot: "3B", bpm: 122, energy: 0.60,
            position: 2.1),
        Song(
            file: "The Breakline/Night Shift/04 Decoy Two.mp3", title: "Decoy Two", artist: "The Breakline",
            album: "Night Shift", genre: "Techno", year: 2018, track: 4, camelot: "4B", bpm: 123, energy: 0.62,
            position: 1.1),
        Song(file: "Field Recordings/Tapes/Quiet Piece.wav", camelot: "5A", bpm: 90, energy: 0.2, position: 9),
    ]

    /// Writes the files and stores the analysed tracks; returns the track ids by title (file name for tagless).
    static func make(root: String, store: LibraryStore) throws -> [String: Int64] {
        let run = try store.beginRun(roots: [root])
        var ids: [String: Int64] = [:]
        for (n, song) in songs.enumerated() {
            let path = root + "/" + song.file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if song.embedsPicture {
                try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: path, format: .flac16)
                try EmbeddedArt.embedInFLAC(path: path, pictures: [(picture, "image/jpeg", EmbeddedArt.frontCover)])
            } else {
                try Data(bytes(count: song.bytes, seed: n)).write(to: URL(fileURLWithPath: path))
            }
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? song.bytes
            var track = TrackRecord(
                file: FileFacts(path: path, sizeBytes: Int64(size), modificationNanoseconds: 1, contentHash: "h\(n)"),
                status: .analyzed)
            track.hasEmbeddedArt = song.embedsPicture
            track.analysisVersion = 1
            track.durationS = 180 + Double(n)
            track.sampleRate = 44_100
            track.channels = 2
            track.format = "FLAC 16-bit"
            track.title = song.title
            track.artist = song.artist
            track.album = song.album
            track.genre = song.genre
            track.year = song.year
            track.trackNumber = song.track
            let key = MusicalKey.all.first { $0.camelot == song.camelot }!
            var vector = [Float](repeating: 0, count: FeatureLayout.names.count)
            vector[0] = song.position
            vector[1] = Float(song.energy)
            let features = FeatureRecord(
                trackId: 0, bpm: song.bpm, bpmConfidence: 0.9, key: key, keyConfidence: 0.8, loudnessLufs: -9,
                loudnessRangeLu: 4, truePeakDbtp: -0.5, replayGainDb: -9,
                energy: song.energy, valence: 0.6, danceability: 0.7, firstSoundS: 0, introEndS: 8,
                outroStartS: 170, lastSoundS: 179, vectorVersion: FeatureLayout.version, vector: vector)
            let id = try store.save(AnalysisRecords(track: track, features: features, beats: []))
            ids[song.title ?? ((song.file as NSString).lastPathComponent as NSString).deletingPathExtension] = id
        }
        try store.finishRun(run, counts: IngestCounts())
        return ids
    }

    /// Deterministic file content.
    static func bytes(count: Int, seed: Int) -> [UInt8] {
        var state = UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }
}

/// A running server over a fixture library, with a listener `alice` (password "open sesame") and `bob`
/// ("hunter2"), and an HTTP client for the tests.
final class ServerHarness: @unchecked Sendable {
    let folder = TemporaryDirectory("aidj-serve")
    let store: LibraryStore
    let ids: [String: Int64]
    let database: String
    let base: String
    let aliceID: Int64
    private let server: MusicServer
    private let task: Task<Void, Error>

    static let alicePassword = "open sesame"

    init(
        throttleBase: Duration = .milliseconds(1), throttleMaximum: Duration = .milliseconds(20),
        idleTimeout: Duration = .seconds(60)
    ) async throws {
        database = folder.file("library.sqlite")
        store = try LibraryStore(path: database)
        ids = try LibraryFixture.make(root: folder.path + "/music", store: store)
        let credentials = try Credentials(keyFile: Credentials.keyFile(forDatabase: database), create: true)
        aliceID = try store.addListener("alice")
        try store.setSealedPassword(listenerID: aliceID, sealed: credentials.seal(password: Self.alicePassword))
        let bob = try store.addListener("bob")
        try store.setSealedPassword(listenerID: bob, sealed: credentials.seal(password: "hunter2"))

        var configuration = MusicServer.Configuration(databasePath: database)
        configuration.port = 0
        configuration.maximumBodyBytes = 16 * 1024
        configuration.idleTimeout = idleTimeout
        configuration.throttle(baseDelay: throttleBase, maximumDelay: throttleMaximum)
        let server = try MusicServer(configuration: configuration)
        self.server = server
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        task = Task { try await server.run { continuation.yield($0) } }
        var iterator = stream.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CLIFailure("the server did not start") }
        base = url
    }

    deinit { task.cancel() }

    /// Graceful shutdown; the server task must end without an error.
    func stop() async {
        await server.stop()
        let result = await task.result
        if case .failure(let error) = result { Issue.record("the server ended with \(error)") }
    }

    enum Auth {
        case none, password(String, String), encoded(String, String), token(String, String), apiKey(String)
        static let alice = Auth.token("alice", ServerHarness.alicePassword)
    }

    static func authParameters(_ auth: Auth) -> [(String, String)] {
        switch auth {
        case .none: return []
        case .password(let u, let p): return [("u", u), ("p", p)]
        case .encoded(let u, let p):
            return [("u", u), ("p", "enc:" + p.utf8.map { String(format: "%02x", $0) }.joined())]
        case .token(let u, let p):
            let salt = "s\(Int.random(in: 100_000...999_999))"
            return [("u", u), ("t", TestMD5.hex(p + salt)), ("s", salt)]
        case .apiKey(let key): return [("apiKey", key)]
        }
    }

    func url(_ method: String, _ parameters: [(String, String)], auth: Auth = .alice, format: String? = "json") -> URL {
        var components = URLComponents(string: base + "/rest/" + method)!
        var items = Self.authParameters(auth).map { URLQueryItem(name: $0.0, value: $0.1) }
        items += [URLQueryItem(name: "v", value: "1.16.1"), URLQueryItem(name: "c", value: "tests")]
        if let format { items.append(URLQueryItem(name: "f", value: format)) }
        items += parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        components.queryItems = items
        // URLComponents leaves '+' alone, which a form decoder reads as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    func raw(_ request: URLRequest) async throws -> (status: Int, headers: [String: String], body: Data) {
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return (http.statusCode, headers, data)
    }

    /// A JSON call: the `subsonic-response` object.
    func json(_ method: String, _ parameters: [(String, String)] = [], auth: Auth = .alice) async throws -> [String:
        Any]
    {
        let (status, _, body) = try await raw(URLRequest(url: url(method, parameters, auth: auth)))
        #expect(status == 200, "\(method): HTTP \(status)")
        let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        return object?["subsonic-response"] as? [String: Any] ?? [:]
    }

    /// An XML call: the parsed document.
    func xml(_ method: String, _ parameters: [(String, String)] = [], auth: Auth = .alice) async throws -> XMLTree {
        let (_, _, body) = try await raw(URLRequest(url: url(method, parameters, auth: auth, format: nil)))
        return try XMLTree(data: body)
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension [String: Any] {
    var ok: Bool { self["status"] as? String == "ok" }
    var errorCode: Int? { (self["error"] as? [String: Any])?["code"] as? Int }
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    func list(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
}
