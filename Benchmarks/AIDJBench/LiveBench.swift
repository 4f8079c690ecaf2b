import AIDJAudio
import AIDJCore
import AIDJIngest
import AIDJMixer
import AIDJServer
import AIDJStore
import AIDJSynth
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `aidj-bench live [--listeners N] [--minutes M] [--solo S] [--db PATH --user U --password P] [--mood NAME]
/// [--pace X] [--record FILE] [--aidj PATH]`: listeners on one live stream of `aidj serve`, over loopback.
///
/// Without `--db` it makes a library of 16 generated grooves (ingested with the real analysis). It starts the
/// release `aidj serve`, connects one listener and measures the server's CPU for S seconds (120), then connects the
/// other N − 1 (50 in all) and keeps them for M minutes (5). Both windows span several tracks, so each holds
/// its share of deck renders (a deck is rendered at once, when its track is placed). Every 5 s it reads the server's RSS and
/// the station's own report (`/live/{mood}/now`: audio buffered ahead of the clock, underruns). It prints the CPU
/// with one listener and with N, the CPU per extra listener, RSS over time, underruns and the smallest buffer,
/// and each listener's bytes (a listener dropped by the server shows as ended early). `--record FILE` keeps the
/// first listener's whole stream (Ogg/Opus) for checking with other tools. `--pace` runs the station's clock
/// faster than real time (1: as people hear it).
enum LiveBench {
    static func run(arguments: [String]) throws {
        let listeners = max(1, Int(arguments.option("--listeners") ?? "") ?? 50)
        let minutes = Double(arguments.option("--minutes") ?? "") ?? 5
        let solo = Double(arguments.option("--solo") ?? "") ?? 120
        let pace = Double(arguments.option("--pace") ?? "") ?? 1
        let aidj = try BenchServer.binary(arguments.option("--aidj"))

        let folder = NSTemporaryDirectory() + "aidj-live-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database: String, user: String, password: String
        if let given = arguments.option("--db") {
            database = given
            guard let u = arguments.option("--user"), let p = arguments.option("--password") else {
                throw BenchError("--db needs --user NAME --password PASSWORD of a listener in that library")
            }
            (user, password) = (u, p)
        } else {
            database = folder + "/library.sqlite"
            (user, password) = ("bench", "load test")
            let started = Date()
            try makeLibrary(folder: folder, database: database, user: user, password: password)
            print(
                String(format: "library: 16 generated grooves, ingested in %.1f s", Date().timeIntervalSince(started)))
        }
        let mood =
            try arguments.option("--mood").map { try MoodSpace.region(named: $0) } ?? fullestMood(database: database)

        let server = try BenchServer(aidj: aidj, database: database, extra: ["--live-pace", String(pace)])
        let auth = "u=\(user)&p=enc:" + password.utf8.map { String(format: "%02x", $0) }.joined() + "&v=1.16.1&c=bench"
        let port = URL(string: server.base)!.port ?? 80
        let target = "/live/\(mood.name)?" + auth
        print("stream: \(server.base)/live/\(mood.name) (Ogg/Opus), pace \(pace)×, \(listeners) listeners")

        func now() -> [String: Any] {
            guard let data = try? Data(contentsOf: URL(string: server.base + "/live/\(mood.name)/now?" + auth)!),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return [:] }
            return object
        }

        let started = Date()
        let first = try StreamListener(port: port, target: target, keep: arguments.option("--record") != nil)
        while first.bytes == 0 && Date().timeIntervalSince(started) < 60 { Thread.sleep(forTimeInterval: 0.05) }
        guard first.bytes > 0 else { throw BenchError("the stream sent nothing within 60 s (\(first.failure ?? ""))") }
        print(
            String(
                format: "first audio after %.2f s (the station's first track analysed and rendered)",
                Date().timeIntervalSince(started)))

        var rss: [(Double, Double)] = []
        var minimumBuffer = Double.infinity
        var underruns = 0
        func sample() {
            rss.append((Date().timeIntervalSince(started), server.statusKB("VmRSS") / 1024))
            let report = now()
            if let b = report["buffer_s"] as? Double { minimumBuffer = min(minimumBuffer, b) }
            if let u = report["underruns"] as? Int { underruns = u }
        }
        func hold(_ seconds: Double) {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                Thread.sleep(forTimeInterval: min(5, max(0, end.timeIntervalSinceNow)))
                sample()
            }
        }

        // One listener.
        let soloCPU0 = server.cpuSeconds, soloStart = Date()
        hold(solo)
        let soloShare = (server.cpuSeconds - soloCPU0) / Date().timeIntervalSince(soloStart)

        // All of them.
        var all = [first]
        for _ in 1..<listeners { all.append(try StreamListener(port: port, target: target, keep: false)) }
        Thread.sleep(forTimeInterval: 2)
        let fullCPU0 = server.cpuSeconds, fullStart = Date()
        hold(max(10, minutes * 60))
        let fullSeconds = Date().timeIntervalSince(fullStart)
        let fullShare = (server.cpuSeconds - fullCPU0) / fullSeconds
        let peak = server.statusKB("VmHWM") / 1024
        let status = now()
        for listener in all { listener.close() }

        print(
            String(
                format: "server CPU: 1 listener %.1f %% of a core; %d listeners %.1f %%", 100 * soloShare, listeners,
                100 * fullShare))
        if listeners > 1 {
            print(
                String(
                    format: "CPU per extra listener: %.2f %% of a core",
                    100 * (fullShare - soloShare) / Double(listeners - 1)))
        }
        let rssText = rss.enumerated().filter { $0.offset % 6 == 0 || $0.offset == rss.count - 1 }.map {
            String(format: "%.0fs %.0f", $0.element.0, $0.element.1)
        }
        print("server RSS (MB) over time: " + rssText.joined(separator: ", "))
        let half = rss.count / 2
        print(
            String(
                format: "server peak RSS %.0f MB; RSS max over the first half %.0f MB, over the second half %.0f MB",
                peak, rss.prefix(half).map(\.1).max() ?? 0, rss.suffix(from: half).map(\.1).max() ?? 0))
        print(
            String(
                format: "render ahead of the clock: smallest %.2f s over the run; underruns %d; stream %.0f s",
                minimumBuffer, underruns, (status["stream_s"] as? Double) ?? 0))
        let bytes = all.map(\.bytes)
        let ended = all.filter { $0.endedEarly }.count
        let seconds = Date().timeIntervalSince(started)
        print(
            String(
                format: "listeners: %d ended early; bytes min %d / median %d / max %d (first listener %.0f kbit/s)",
                ended, bytes.min() ?? 0, bytes.sorted()[bytes.count / 2], bytes.max() ?? 0,
                Double(first.bytes) * 8 / 1000 / (seconds * pace)))
        if let record = arguments.option("--record") {
            try Data(first.body).write(to: URL(fileURLWithPath: record))
            print("recorded the first listener's stream: \(record) (\(first.body.count) bytes)")
        }
        server.stop()
    }

    /// `aidj-bench live-capture --db PATH --mood NAME [--minutes M] [--pace X [--lead S]] [--look-ahead S]
    /// [--skip-every S] --out DIR`: the live stream's mix rendered in-process, as the server renders it (the same
    /// request, planner and decks; before Opus), for M minutes (20): DIR/live.flac and DIR/live.json, a mix JSON
    /// (tracks with their time maps as placed, transitions as rendered) that `Benchmarks/datasets/mix_check.py`
    /// reads to measure the beat phase through every overlap. `--skip-every` asks for a skip every S stream
    /// seconds, where a station would (after the block rendered last), and reports how long each took to reach
    /// the next track's first block.
    static func capture(arguments: [String]) throws {
        guard let database = arguments.option("--db"), let out = arguments.option("--out") else {
            throw BenchError("usage: aidj-bench live-capture --db PATH [--mood NAME] [--minutes M] --out DIR")
        }
        let minutes = Double(arguments.option("--minutes") ?? "") ?? 20
        let mood =
            try arguments.option("--mood").map { try MoodSpace.region(named: $0) } ?? fullestMood(database: database)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let store = try LibraryStore(path: database)
        let mix = try LiveMix(
            request: LiveMix.streamRequest(mood: mood), snapshot: LibrarySnapshot(store: store), store: store)
        mix.keepsLog = true
        if let lookAhead = Double(arguments.option("--look-ahead") ?? "") { mix.lookAheadS = lookAhead }
        let writer = try AudioFileWriter(
            path: out + "/live.flac", format: .flac24, sampleRate: LiveMix.sampleRate, channels: 2)
        let frames = Int(minutes * 60 * Double(LiveMix.sampleRate))
        var written = 0
        let started = Date()
        // The longest a block took: the stall a station's lead must cover when a deck is rendered. With --pace,
        // the render keeps --lead seconds ahead of a clock running that fast, as a station does, and the smallest
        // buffer ahead of that clock is what listeners would have had (below 0: an underrun).
        let pace = Double(arguments.option("--pace") ?? "")
        let lead = Double(arguments.option("--lead") ?? "") ?? 8
        // The clock starts with the first block (a station's listeners wait for its first audio).
        var longest = 0.0
        var smallestBuffer = Double.infinity
        let sr = Double(LiveMix.sampleRate)
        var clockStart: Date?
        let skipEvery = Double(arguments.option("--skip-every") ?? "")
        var nextSkip = skipEvery ?? .infinity
        var skipped: (at: Date, track: Int)?
        var skipWaits: [Double] = []
        var lastTrack = 0
        while written < frames {
            if Double(written) / sr >= nextSkip {
                nextSkip += skipEvery!
                if case .echoOut = mix.skip(), skipped == nil { skipped = (Date(), lastTrack) }
            }
            if let pace, let clockStart {
                while Double(written) / sr > Date().timeIntervalSince(clockStart) * pace + lead {
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
            let blockStarted = Date()
            let block = try mix.nextBlock(maximumFrames: min(22_050, frames - written))
            if let clockStart {
                longest = max(longest, Date().timeIntervalSince(blockStarted))
                if let pace {
                    smallestBuffer = min(
                        smallestBuffer, Double(written) / sr - Date().timeIntervalSince(clockStart) * pace)
                }
            } else {
                clockStart = Date()
            }
            try block.interleaved.withUnsafeBufferPointer {
                try writer.write(interleaved: $0.baseAddress!, frames: $0.count / 2)
            }
            written += block.interleaved.count / 2
            lastTrack = block.onAir
            if let skip = skipped, block.onAir > skip.track {
                skipWaits.append(Date().timeIntervalSince(skip.at))
                skipped = nil
            }
        }
        try writer.finish()
        if !skipWaits.isEmpty {
            print(
                String(
                    format: "%d skips: the next track's first block came %@ s (wall) after each", skipWaits.count,
                    skipWaits.map { String(format: "%.1f", $0) }.joined(separator: ", ")))
        }
        let seconds = Double(written) / Double(LiveMix.sampleRate)
        let plan = mix.loggedPlan(upTo: seconds)
        if let pace {
            print(
                String(
                    format: "paced at %.1f× with a %.0f s lead: smallest buffer ahead of the clock %.2f s", pace, lead,
                    smallestBuffer))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(plan).write(to: URL(fileURLWithPath: out + "/live.json"))
        print(
            String(
                format:
                    "%@: %.0f s of the %@ stream, %d tracks, %d transitions, rendered in %.1f s (%.0f× real time); longest block after the first %.2f s",
                out + "/live.flac", seconds, mood.name, plan.tracks.count, plan.transitions.count,
                Date().timeIntervalSince(started), seconds / Date().timeIntervalSince(started), longest))
    }

    /// The named mood most of the library's tracks fit.
    static func fullestMood(database: String) throws -> MoodRegion {
        let store = try LibraryStore(path: database)
        let snapshot = try LibrarySnapshot(store: store)
        func fitting(_ m: MoodRegion) -> Int {
            snapshot.tracks.filter { m.fit(energy: $0.energy, valence: $0.valence, bpm: $0.bpm) >= 0.2 }.count
        }
        return MoodSpace.named.max { fitting($0) < fitting($1) }!
    }

    /// 16 four-on-the-floor and breakbeat grooves around 124 BPM in several keys, about 100 s each.
    static func makeLibrary(folder: String, database: String, user: String, password: String) throws {
        let music = folder + "/grooves"
        try FileManager.default.createDirectory(atPath: music, withIntermediateDirectories: true)
        for i in 0..<16 {
            let key = MusicalKey.all[(i * 7) % 24]
            var spec = SongSpec(
                style: i % 4 == 3 ? .breakbeat : .fourOnTheFloor, bpm: 120 + Double((i * 5) % 9), keyTonic: key.tonic,
                keyIsMinor: key.mode == .minor, introBars: 8, bodyBars: 32, outroBars: 8, seed: UInt64(500 + i))
            spec.gain = 0.25 + 0.05 * Float(i % 4)
            try AudioFileWriter.write(
                SongGenerator.render(spec).audio, to: "\(music)/\(i).flac", format: .flac16,
                tags: AudioTags(title: "Groove \(i)", artist: "Artist \(i % 8)", genre: "House"))
        }
        let store = try LibraryStore(path: database)
        _ = try Ingestor(store: store).ingest([music])
        let credentials = try Credentials(keyFile: Credentials.keyFile(forDatabase: database), create: true)
        let listener = try store.addListener(user)
        try store.setSealedPassword(listenerID: listener, sealed: credentials.seal(password: password))
    }
}

/// One listener of a stream: a blocking loopback connection read on its own thread, chunked transfer decoded,
/// bytes counted (and kept when asked).
final class StreamListener: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var _bytes = 0
    private var _body: [UInt8] = []
    private var _ended = false
    private var closing = false
    private(set) var failure: String?
    let keep: Bool

    init(port: Int, target: String, keep: Bool) throws {
        self.keep = keep
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw BenchError("cannot connect to 127.0.0.1:\(port)") }
        let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        let thread = Thread { [self] in read() }
        thread.start()
    }

    var bytes: Int { lock.withLock { _bytes } }
    var body: [UInt8] { lock.withLock { _body } }
    /// The server ended the stream before the benchmark closed it.
    var endedEarly: Bool { lock.withLock { _ended && !closing } }

    func close() {
        lock.withLock { closing = true }
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func read() {
        var raw: [UInt8] = []
        var headerDone = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            raw += buffer[0..<n]
            if !headerDone {
                guard let end = Self.find([13, 10, 13, 10], in: raw) else { continue }
                let head = String(decoding: raw[..<end], as: UTF8.self)
                if !head.hasPrefix("HTTP/1.1 200") {
                    failure = String(head.prefix(200))
                    break
                }
                raw.removeFirst(end + 4)
                headerDone = true
            }
            var consumed = 0
            var payload: [UInt8] = []
            while let lineEnd = Self.find([13, 10], in: raw, from: consumed) {
                let size = Int(String(decoding: raw[consumed..<lineEnd], as: UTF8.self), radix: 16) ?? 0
                guard raw.count >= lineEnd + 2 + size + 2 else { break }
                payload += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
                consumed = lineEnd + 2 + size + 2
            }
            raw.removeFirst(consumed)
            lock.withLock {
                _bytes += payload.count
                if keep { _body += payload }
            }
        }
        lock.withLock { _ended = true }
        _ = Glibc.close(fd)
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard bytes.count - start >= pattern.count else { return nil }
        return (start...(bytes.count - pattern.count)).first { i in
            pattern.indices.allSatisfy { bytes[i + $0] == pattern[$0] }
        }
    }
}
