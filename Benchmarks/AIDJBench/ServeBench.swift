import AIDJCore
import AIDJServer
import AIDJStore
import Foundation
import NIOCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `aidj-bench serve [--tracks N] [--clients C] [--seconds S] [--aidj PATH]`: load on `aidj serve` over loopback.
///
/// Makes a library of N tracks (10,000 by default; tags and features, no audio: library calls never open files),
/// starts the release `aidj serve` as its own process, and runs C concurrent clients (200) for S seconds (15),
/// each sending `search3` (a word of a title) and `getSong` (a random id) in turn, with password auth on every
/// call as players send it. Prints requests per second, p50/p90/p99/max latency per method, errors, and the
/// server's peak RSS (VmHWM) and CPU time. Clients and server share the machine's cores.
enum ServeBench {
    static func run(arguments: [String]) throws {
        let tracks = Int(arguments.option("--tracks") ?? "") ?? 10_000
        let clients = Int(arguments.option("--clients") ?? "") ?? 200
        let seconds = Double(arguments.option("--seconds") ?? "") ?? 15
        let think = Double(arguments.option("--think") ?? "") ?? 0
        let aidj = try BenchServer.binary(arguments.option("--aidj"))

        let folder = NSTemporaryDirectory() + "aidj-serve-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/library.sqlite"
        let started = Date()
        let titles = try makeLibrary(tracks: tracks, database: database, root: folder + "/music")
        print(String(format: "library: %d tracks in %.1f s", tracks, Date().timeIntervalSince(started)))

        let server = try BenchServer(aidj: aidj, database: database)
        let base = server.base
        let auth =
            "u=bench&p=enc:" + "load test".utf8.map { String(format: "%02x", $0) }.joined()
            + "&v=1.16.1&c=bench&f=json"

        // The first call builds the catalogue: time it apart.
        let warm = Date()
        _ = try? Data(contentsOf: URL(string: base + "/rest/ping?" + auth)!)
        _ = try? Data(contentsOf: URL(string: base + "/rest/getSong?id=1&" + auth)!)
        print(
            String(
                format: "first call (catalogue of %d tracks built): %.0f ms", tracks,
                Date().timeIntervalSince(warm) * 1000))

        let words = titles.flatMap { $0.split(separator: " ").map(String.init) }
        let address = URL(string: base)!
        var generators = (0..<clients).map { SplitMix64(seed: UInt64($0 + 1)) }
        let samples = try LoadClients().run(
            host: address.host ?? "127.0.0.1", port: address.port ?? 80, clients: clients,
            deadline: NIODeadline.now() + TimeAmount.nanoseconds(Int64(seconds * 1e9)), okMarker: "\"status\":\"ok\"",
            think: { client in
                guard think > 0 else { return .zero }
                // Exponential pauses with the given mean: clients that act independently.
                let u = Double(generators[client].next() % 1_000_000 + 1) / 1_000_001
                return .nanoseconds(Int64(-log(u) * think * 1e6))
            },
            next: { client, n in
                let search = n % 2 == 0
                let draw = generators[client].next()
                return search
                    ? .init(
                        label: "search3",
                        target: "/rest/search3?query=\(words[Int(draw % UInt64(words.count))])&songCount=20&" + auth)
                    : .init(label: "getSong", target: "/rest/getSong?id=\(1 + Int(draw % UInt64(tracks)))&" + auth)
            })
        let peakMB = server.statusKB("VmHWM") / 1024
        let cpuSeconds = server.cpuSeconds

        report(samples, seconds: seconds, clients: clients, tracks: tracks, think: think)
        print(
            String(
                format: "server: peak RSS %.0f MB; CPU %.1f s over the run (%.0f %% of one core)", peakMB, cpuSeconds,
                100 * cpuSeconds / max(seconds, 1e-9)))
    }

    /// N tracks in 100 artists × 10 albums, with titles of two words from a fixed vocabulary.
    static func makeLibrary(tracks: Int, database: String, root: String) throws -> [String] {
        let store = try LibraryStore(path: database)
        let credentials = try Credentials(keyFile: Credentials.keyFile(forDatabase: database), create: true)
        let listener = try store.addListener("bench")
        try store.setSealedPassword(listenerID: listener, sealed: credentials.seal(password: "load test"))
        let vocabulary = [
            "neon", "river", "glass", "night", "summer", "echo", "velvet", "storm", "golden", "shadow", "paper",
            "ocean", "static", "silver", "ember", "winter", "signal", "garden", "orbit", "lantern",
        ]
        var generator = SplitMix64(seed: 7)
        var titles: [String] = []
        let run = try store.beginRun(roots: [root])
        for n in 0..<tracks {
            let artist = "Artist \(n % 100)", album = "Album \(n % 1000)"
            let title =
                vocabulary[Int(generator.next() % 20)].capitalized + " " + vocabulary[Int(generator.next() % 20)]
            titles.append(title)
            var track = TrackRecord(
                file: FileFacts(
                    path: "\(root)/\(artist)/\(album)/\(n).flac", sizeBytes: 30_000_000, modificationNanoseconds: 1,
                    contentHash: "h\(n)"),
                status: .analyzed)
            track.analysisVersion = 1
            track.durationS = 200
            track.title = title
            track.artist = artist
            track.album = album
            track.genre = ["House", "Techno", "Ambient", "Jazz"][n % 4]
            track.trackNumber = n / 1000 + 1
            let vector = (0..<FeatureLayout.names.count).map { _ in Float(generator.next() % 1000) / 1000 }
            let key = MusicalKey.all[n % 24]
            let features = FeatureRecord(
                trackId: 0, bpm: 80 + Double(n % 90), bpmConfidence: 0.9, key: key, keyConfidence: 0.8,
                loudnessLufs: -10, loudnessRangeLu: 5, truePeakDbtp: -1, replayGainDb: -8,
                energy: Double(n % 100) / 100, valence: Double((n * 7) % 100) / 100, danceability: 0.6,
                firstSoundS: 0, introEndS: 10, outroStartS: 180, lastSoundS: 199,
                vectorVersion: FeatureLayout.version, vector: vector)
            try store.save(AnalysisRecords(track: track, features: features, beats: []))
        }
        try store.finishRun(run, counts: IngestCounts())
        return titles
    }

    static func report(_ samples: [LoadClients.Sample], seconds: Double, clients: Int, tracks: Int, think: Double) {
        let ok = samples.filter(\.ok)
        print(
            String(
                format: "%d clients%@, %.0f s, %d tracks: %d requests, %.0f requests/s, %d errors", clients,
                think > 0 ? String(format: " (think time %.0f ms)", think) : " (closed loop)", seconds, tracks,
                ok.count, Double(ok.count) / seconds, samples.count - ok.count))
        for label in Set(ok.map(\.label)).sorted() {
            let sorted = ok.filter { $0.label == label }.map(\.milliseconds).sorted()
            func p(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))] }
            print(
                String(
                    format: "  %-8@ %6d calls  p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %6.1f ms",
                    label, sorted.count, p(0.5), p(0.9), p(0.99), sorted.last ?? 0))
        }
    }
}
