import AIDJAudio
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `aidj mix` end to end on a small generated library.
@Suite("aidj mix")
struct MixCLITests {
    let music = TemporaryDirectory("aidj-mix-cli-music")
    let out = TemporaryDirectory("aidj-mix-cli-out")

    func json(_ result: Executable.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("renders audio with JSON, CUE, M3U8 and SVG; dry runs; every bad request is one clear line")
    func mix() throws {
        let db = out.file("mix.sqlite")
        let rows: [(Double, Int, Bool)] = [(122, 9, true), (124, 0, false), (125, 4, true), (126, 7, false)]
        for (i, (bpm, tonic, minor)) in rows.enumerated() {
            let spec = SongSpec(
                style: .fourOnTheFloor, bpm: bpm, keyTonic: tonic, keyIsMinor: minor, introBars: 8, bodyBars: 8,
                outroBars: 8, seed: UInt64(70 + i))
            try AudioFileWriter.write(
                SongGenerator.render(spec).audio, to: music.file("\(i).wav"), format: .wav16,
                tags: AudioTags(title: "Song \(i)", artist: "Band \(i)"))
        }
        #expect(try Executable.aidj(["ingest", music.path, "--db", db]).status == 0)

        let set = out.file("set.flac")
        let rendered = try Executable.aidj([
            "mix", "--bpm", "118-130", "--minutes", "1.5", "--bars", "8", "--draft", "--out", set, "--plot",
            out.file("set.svg"), "--db", db,
        ])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stdout.contains("wrote \(set)"))
        for file in ["set.flac", "set.json", "set.cue", "set.m3u8", "set.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.file(file)), "missing \(file)")
        }
        let audio = try AudioFileReader(path: set)
        #expect(audio.sampleRate == 44_100 && audio.channels == 2)
        let plan = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("set.json"))))
                as? [String: Any])
        for key in ["tracks", "transitions", "duration_s", "loudness_lufs", "true_peak_dbtp", "energy_arc"] {
            #expect(plan[key] != nil, "missing \(key)")
        }
        let tracks = try #require(plan["tracks"] as? [[String: Any]])
        #expect(tracks.count >= 2)
        for key in [
            "path", "title", "artist", "mix_start_s", "mix_end_s", "bpm", "stretch_percent", "key", "camelot",
            "gain_db",
            "time_map", "reasons",
        ] {
            #expect(tracks[0][key] != nil, "track missing \(key)")
        }
        let map = try #require(tracks[1]["time_map"] as? [[Double]])
        #expect(map.count >= 2 && map.allSatisfy { $0.count == 2 })
        let transitions = try #require(plan["transitions"] as? [[String: Any]])
        for key in ["from", "to", "overlap_start_s", "overlap_end_s", "bars", "type", "reasons"] {
            #expect(transitions[0][key] != nil, "transition missing \(key)")
        }
        #expect(try #require(plan["true_peak_dbtp"] as? Double) <= -1)
        let cue = try String(contentsOfFile: out.file("set.cue"), encoding: .utf8)
        #expect(cue.contains("FILE \"set.flac\" FLAC"))
        #expect(cue.components(separatedBy: "INDEX 01 ").count - 1 == tracks.count)
        #expect(cue.contains("INDEX 01 00:00:00"))
        let m3u = try String(contentsOfFile: out.file("set.m3u8"), encoding: .utf8)
        #expect(m3u.hasPrefix("#EXTM3U") && m3u.contains(music.path))
        // The plot is well-formed SVG with a named lane for every track.
        let svg = try String(contentsOfFile: out.file("set.svg"), encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(XMLParser(data: Data(svg.utf8)).parse(), "the plot parses as XML")
        for track in tracks {
            let title = track["title"] as? String, artist = track["artist"] as? String
            let name =
                title.map { t in artist.map { "\($0) – \(t)" } ?? t }
                ?? ((track["path"] as? String ?? "") as NSString).lastPathComponent
            #expect(svg.contains("<title>\(name)</title>"), "no lane for \(name)")
        }

        let mixes = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try Executable.aidj(["mixes", "--json", "--db", db]).stdout.utf8))
                as? [[String: Any]])
        #expect(
            mixes.count == 1 && mixes.first?["path"] as? String == set && mixes.first?["tracks"] as? Int == tracks.count
        )
        let dry = try json(
            try Executable.aidj(["mix", "--bpm", "118-130", "--minutes", "1", "--dry-run", "--json", "--db", db]))
        #expect((dry["tracks"] as? [[String: Any]])?.isEmpty == false)
        #expect(!FileManager.default.fileExists(atPath: out.file("dry.flac")))
        let started = try json(
            try Executable.aidj([
                "mix", "--bpm", "118-130", "--minutes", "1", "--start", "2.wav", "--dry-run", "--json", "--db", db,
            ]))
        let opening = try #require((started["tracks"] as? [[String: Any]])?.first?["path"] as? String)
        #expect(opening.hasSuffix("/2.wav"))
        let moods = try Executable.aidj(["moods"])
        #expect(moods.status == 0 && moods.stdout.contains("workout"))

        // Bad requests.
        func fails(_ arguments: [String], status: Int32, _ message: String) throws {
            let result = try Executable.aidj(arguments + ["--db", db])
            #expect(result.status == status, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 3, "\(result.stderr)")
        }
        try fails(["mix", "--mood", "grumpy", "--minutes", "5", "--dry-run"], status: 64, "unknown mood 'grumpy'")
        try fails(
            ["mix", "--mood", "party", "--minutes", "5", "--dry-run", "--transitions", "beatmatch,scratch"], status: 64,
            "--transitions 'beatmatch,scratch'")
        try fails(
            ["mix", "--mood", "chill", "--minutes", "5", "--out", out.file("x.mp3")], status: 64,
            "must end in .flac or .wav")
        try fails(["mix", "--mood", "sad", "--minutes", "5", "--dry-run"], status: 1, "no tracks fit sad")
        try fails(["mix", "--bpm", "118-130", "--minutes", "30", "--dry-run"], status: 1, "not enough music")
        try fails(
            ["mix", "--bpm", "118-130", "--minutes", "1", "--out", "/nonexistent/dir/x.flac"], status: 1, "cannot write"
        )
        try fails(
            ["mix", "--bpm", "118-130", "--minutes", "1", "--listener", "bob", "--dry-run"], status: 1,
            "no listener named 'bob'")

        // A source deleted since ingest is left out, and said so.
        try FileManager.default.removeItem(atPath: music.file("3.wav"))
        let planned = try Executable.aidj(["mix", "--bpm", "118-130", "--minutes", "1", "--dry-run", "--db", db])
        #expect(planned.status == 0 && planned.stdout.contains("left out 1 track(s) whose file is gone"), "\(planned)")
        // A source that no longer decodes fails the render by name and leaves no file under the output name.
        for i in 0..<3 {
            try "not audio any more".write(toFile: music.file("\(i).wav"), atomically: true, encoding: .utf8)
        }
        let broken = out.file("broken.wav")
        try fails(
            ["mix", "--bpm", "118-130", "--minutes", "1", "--out", broken], status: 1, "cannot open '\(music.path)/")
        #expect(!FileManager.default.fileExists(atPath: broken))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.contains("broken") })
    }
}
