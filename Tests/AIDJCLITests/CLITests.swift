import AIDJAudio
import AIDJCore
import AIDJStore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

/// The `aidj` binary, end to end, as a user runs it.
@Suite("aidj command line", .serialized)
struct CLITests {
    let music = TemporaryDirectory("aidj-cli-music")
    let data = TemporaryDirectory("aidj-cli-db")
    var db: String { data.path + "/library.sqlite" }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static let promisedTrackKeys = [
        "path", "duration_s", "bpm", "bpm_confidence", "bpm_alternates", "key", "key_tonic", "key_mode",
        "key_confidence",
        "camelot", "loudness_lufs", "loudness_range_lu", "true_peak_dbtp", "energy", "valence", "danceability",
        "intro_end_s", "outro_start_s", "title", "artist", "album", "genre",
    ]

    @Test("analyze FILE --json: the promised keys, nothing stored")
    func analyze() throws {
        let path = music.file("groove.flac")
        try Fixtures.writeSong(
            to: path, style: .fourOnTheFloor, bpm: 124, tonic: 9, minor: true, bars: 6, format: .flac16)
        let result = try Executable.aidj(["analyze", path, "--json"], environment: ["AIDJ_DB": db])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        for key in Self.promisedTrackKeys + ["beats", "downbeats"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        #expect(abs((object["bpm"] as? Double ?? 0) - 124) < 2.5)
        // The key itself is the analysis's to get right (KeyEstimatorTests, RenderedScoreTests); here the fields
        // that carry it must agree with each other.
        let names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
        let tonic = try #require(object["key_tonic"] as? Int)
        let mode = try #require(object["key_mode"] as? String)
        #expect(object["key"] as? String == "\(names[tonic]) \(mode)")
        let relativeMajor = mode == "major" ? tonic : (tonic + 3) % 12
        #expect(
            object["camelot"] as? String == "\(((7 * relativeMajor) % 12 + 7) % 12 + 1)\(mode == "minor" ? "A" : "B")")
        #expect(!FileManager.default.fileExists(atPath: db), "analyze must not create a database")
    }

    @Test("analyze gives byte-identical output for the same file in separate runs (FFTW plans chosen the same way)")
    func reproducible() throws {
        let path = music.file("again.flac")
        try Fixtures.writeSong(to: path, style: .breakbeat, bpm: 137, bars: 6, format: .flac16)
        let outputs = try (0..<4).map { _ in
            let result = try Executable.aidj(["analyze", path, "--json"], environment: ["AIDJ_DB": db])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        #expect(Set(outputs).count == 1, "\(Set(outputs).count) different outputs in 4 runs")
    }

    @Test("ingest --json, tracks --json sorted, show --json with beats")
    func ingestListShow() throws {
        try Fixtures.writeSong(to: music.file("a/slow.wav"), style: .ballad, bpm: 70, bars: 3)
        try Fixtures.writeSong(to: music.file("b/fast ünï.flac"), style: .breakbeat, bpm: 165, bars: 6, format: .flac16)
        try "text".write(toFile: music.file("b/notes.wav"), atomically: true, encoding: .utf8)
        let ingest = try Executable.aidj(["ingest", music.path, "--json", "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let summary = try #require(try json(ingest.stdout) as? [String: Any])
        for key in ["scanned", "analyzed", "unchanged", "moved", "missing", "failed", "failures", "seconds"] {
            #expect(summary.keys.contains(key), "missing \(key)")
        }
        #expect(summary["analyzed"] as? Int == 2)
        #expect(summary["failed"] as? Int == 1)
        let failures = try #require(summary["failures"] as? [[String: Any]])
        #expect((failures.first?["path"] as? String)?.hasSuffix("notes.wav") == true)
        #expect(ingest.stderr.isEmpty, "no progress bar when not on a terminal: \(ingest.stderr)")

        let tracks = try Executable.aidj(
            ["tracks", "--sort", "bpm", "--json", "--status", "analyzed"], environment: ["AIDJ_DB": db])
        let list = try #require(try json(tracks.stdout) as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.compactMap { $0["bpm"] as? Double } == list.compactMap { $0["bpm"] as? Double }.sorted())
        for key in Self.promisedTrackKeys { #expect(list[0].keys.contains(key), "missing \(key)") }

        let show = try Executable.aidj(["show", "b/fast ünï.flac", "--json", "--db", db])
        #expect(show.status == 0, "\(show.stderr)")
        let detail = try #require(try json(show.stdout) as? [String: Any])
        let beats = try #require(detail["beats"] as? [Double])
        let downbeats = try #require(detail["downbeats"] as? [Double])
        #expect(beats.count > 20)
        #expect(!downbeats.isEmpty && Set(downbeats).isSubset(of: Set(beats)))
        // The sections tile the track, each with its role and whether a beat is heard.
        let sections = try #require(detail["sections"] as? [[String: Any]])
        #expect(!sections.isEmpty)
        #expect(sections.first?["start_s"] as? Double == 0)
        #expect(abs((sections.last?["end_s"] as? Double ?? 0) - (detail["duration_s"] as? Double ?? -1)) < 0.01)
        let labels = Set(["intro", "build", "main", "breakdown", "outro"])
        #expect(sections.allSatisfy { labels.contains($0["label"] as? String ?? "") && $0["has_beat"] is Bool })
        let described = try Executable.aidj(["show", "b/fast ünï.flac", "--db", db])
        #expect(described.stdout.contains("Sections"))

        let text = try Executable.aidj(["tracks", "--db", db])
        #expect(text.stdout.contains("BPM") && text.stdout.contains("KEY"))
        let again = try Executable.aidj(["ingest", music.path, "--db", db])
        #expect(again.stdout.contains("0 analyzed, 3 unchanged"), "\(again.stdout)")
    }

    @Test("noise has no key and no beat: null and 0 in --json, \"none\" in show, a dash in tracks, after ingest too")
    func noKey() throws {
        var random = SplitMix64(seed: 5)
        let noise = (0..<(20 * 44_100)).map { _ in random.uniform(bound: 0.3) }
        let path = music.file("noise.wav")
        try AudioFileWriter.write(AudioBuffer(channels: [noise], sampleRate: 44_100), to: path, format: .wav16)
        let analyzed = try Executable.aidj(["analyze", path, "--json"], environment: ["AIDJ_DB": db])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let object = try #require(try json(analyzed.stdout) as? [String: Any])
        for key in ["key", "key_tonic", "key_mode", "camelot"] {
            #expect(object.keys.contains(key) && object[key] is NSNull, "\(key): \(object[key] ?? "missing")")
        }
        #expect(object["key_confidence"] as? Double == 0)
        // Nor a beat: no grid and a tempo of 0.
        #expect(object["bpm"] as? Double == 0, "\(object["bpm"] ?? "missing")")
        #expect((object["beats"] as? [Any])?.isEmpty == true)

        let ingest = try Executable.aidj(["ingest", music.path, "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let tracks = try Executable.aidj(["tracks", "--json", "--db", db])
        let row = try #require((try json(tracks.stdout) as? [[String: Any]])?.first)
        #expect(row["key"] is NSNull && row["camelot"] is NSNull, "\(row)")
        let shown = try Executable.aidj(["show", "noise.wav", "--db", db])
        #expect(shown.stdout.contains("none (too little pitch content)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("none (no beat to hear)"), "\(shown.stdout)")
        let table = try Executable.aidj(["tracks", "--db", db])
        let line = try #require(table.stdout.split(separator: "\n").first { $0.contains("noise") })
        let fields = line.split(separator: " ")
        #expect(fields.count > 2 && fields[1] == "–", "the BPM column shows a dash: \(line)")
    }

    @Test("a groove after held chords: the grid starts with it, and show says that no beat is heard before")
    func beatlessFrame() throws {
        let framed = try RenderedFixtures.framedGroove()
        let path = music.file("framed.wav")
        try AudioFileWriter.write(framed.audio, to: path, format: .wav16)
        let analyzed = try Executable.aidj(["analyze", path, "--json"])
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        let object = try #require(try json(analyzed.stdout) as? [String: Any])
        let beats = try #require(object["beats"] as? [Double])
        let first = try #require(beats.first), last = try #require(beats.last)
        #expect(abs(first - framed.firstBeat) < 2 && last > framed.lastBeat - 1, "\(first)–\(last)")
        let shown = try Executable.aidj(["analyze", path])
        func clock(_ t: Double) -> String { String(format: "%d:%04.1f", Int(t / 60), t - Double(Int(t / 60)) * 60) }
        let line = try #require(shown.stdout.split(separator: "\n").first { $0.hasPrefix("Beat grid") })
        #expect(
            line.contains("\(clock(first))–\(clock(last)) (no beat before \(clock(first))"),
            "\(line)")
    }

    @Test("errors: one line, exit 1 for a failed command, 64 for bad usage")
    func errors() throws {
        let missing = try Executable.aidj(["analyze", music.path + "/nope.wav"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.wav"))
        #expect(missing.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)

        try "text".write(toFile: music.file("fake.wav"), atomically: true, encoding: .utf8)
        let notAudio = try Executable.aidj(["analyze", music.file("fake.wav")])
        #expect(notAudio.status == 1)
        #expect(notAudio.stderr.contains("fake.wav") && notAudio.stderr.contains("libsndfile"))

        let badJobs = try Executable.aidj(["ingest", music.path, "--jobs", "0", "--db", db])
        #expect(badJobs.status == 64)
        let badSort = try Executable.aidj(["tracks", "--sort", "colour", "--db", db])
        #expect(badSort.status == 64)
        let noFolder = try Executable.aidj(["ingest", "/no/such/music", "--db", db])
        #expect(noFolder.status == 1)
        #expect(noFolder.stderr.contains("/no/such/music"))
        let noTrack = try Executable.aidj(["show", "nothing-like-this.flac", "--db", db])
        #expect(noTrack.status == 1)
        #expect(noTrack.stderr.contains("nothing-like-this.flac"))
    }

    @Test("--help and help: the help text on standard output, exit 0, for the tool and a subcommand")
    func help() throws {
        for arguments in [["--help"], ["mix", "--help"], ["help", "show"]] {
            let result = try Executable.aidj(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains("USAGE: aidj"), "\(arguments): \(result.stdout)")
            #expect(!result.stderr.contains("Error"), "\(arguments): \(result.stderr)")
        }
    }

    @Test("killed with SIGKILL midway, the database stays consistent and the next run resumes")
    func killAndResume() throws {
        let count = 14
        for i in 0..<count {
            try Fixtures.writeSong(
                to: music.file(String(format: "t%02d.wav", i)), bpm: 100 + Double(i), bars: 16, seed: UInt64(i))
        }
        let running = try Executable.start(["ingest", music.path, "--jobs", "1", "--db", db])
        // Wait until some tracks are committed, then kill without warning.
        var committed = 0
        var reader: LibraryStore?
        let deadline = Date().addingTimeInterval(60)
        while committed < 2 && Date() < deadline && running.process.isRunning {
            Thread.sleep(forTimeInterval: 0.02)
            if reader == nil, FileManager.default.fileExists(atPath: db) { reader = try? LibraryStore(path: db) }
            committed = (try? reader?.trackSummaries(status: .analyzed).count) ?? 0
        }
        kill(running.process.processIdentifier, SIGKILL)
        let killed = Executable.finish(running)
        #expect(killed.status == SIGKILL, "the run ended before it could be killed: \(killed.stderr)")

        let store = try LibraryStore(path: db)
        let analyzedBefore = try store.trackSummaries(status: .analyzed)
        #expect(analyzedBefore.count >= 2 && analyzedBefore.count < count)
        #expect(analyzedBefore.allSatisfy { $0.features != nil }, "no track row without its features")

        let resumed = try Executable.aidj(["ingest", music.path, "--json", "--db", db])
        let summary = try #require(try json(resumed.stdout) as? [String: Any])
        #expect(summary["unchanged"] as? Int == analyzedBefore.count)
        #expect(summary["analyzed"] as? Int == count - analyzedBefore.count)
        #expect(try store.trackSummaries(status: .analyzed).count == count)
    }
}
