import AIDJAudio
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

/// `aidj listener` and `aidj feedback`, end to end.
@Suite("aidj listener and feedback")
struct ListenerCLITests {
    let music = TemporaryDirectory("aidj-listener-music")
    let data = TemporaryDirectory("aidj-listener-db")

    @Test("add, feedback of every kind, list and show with counts and preferences; errors")
    func endToEnd() throws {
        let db = data.file("l.sqlite")
        try Fixtures.writeSong(
            to: music.file("House/01 - Up.flac"), bpm: 124, bars: 4, format: .flac16,
            tags: .init(title: "Up", artist: "A", genre: "House"))
        try Fixtures.writeSong(
            to: music.file("Ballad/02 - Down.flac"), style: .ballad, bpm: 70, bars: 2,
            format: .flac16, tags: .init(title: "Down", artist: "B", genre: "Ballad"))
        #expect(try Executable.aidj(["ingest", music.path, "--db", db]).status == 0)
        #expect(try Executable.aidj(["listener", "add", "alice", "--db", db]).status == 0)
        let duplicate = try Executable.aidj(["listener", "add", "ALICE", "--db", db])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("already exists"))

        for arguments in [
            ["Up", "like"], ["Up", "play"], ["Down", "skip"], ["Down", "rate", "2"], ["01 - Up.flac", "rate", "5"],
        ] {
            let result = try Executable.aidj(["feedback", "alice"] + arguments + ["--db", db])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(try Executable.aidj(["feedback", "alice", "Up", "rate", "6", "--db", db]).status == 64)
        #expect(try Executable.aidj(["feedback", "alice", "Up", "love", "--db", db]).status == 64)
        let nobody = try Executable.aidj(["feedback", "bob", "Up", "like", "--db", db])
        #expect(nobody.status == 1 && nobody.stderr.contains("bob"))
        let ambiguous = try Executable.aidj(["feedback", "alice", ".flac", "like", "--db", db])
        #expect(ambiguous.status == 1 && ambiguous.stderr.contains("matches 2 tracks"))

        let list = try Executable.aidj(["listener", "list", "--json", "--db", db])
        let listeners = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(listeners.count == 1)
        #expect(listeners[0]["likes"] as? Int == 1 && listeners[0]["plays"] as? Int == 1)
        #expect(listeners[0]["skips"] as? Int == 1 && listeners[0]["ratings"] as? Int == 2)

        let show = try Executable.aidj(["listener", "show", "alice", "--json", "--db", db])
        let profile = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let genres = try #require(profile["top_genres"] as? [[String: Any]])
        #expect(
            genres.map { $0["genre"] as? String } == ["House"], "only the liked track counts")
        #expect(profile["liked_tracks"] as? Int == 1, "liked by the taste labels: a like and a 5, not one play")
        #expect(abs((profile["mean_bpm"] as? Double ?? 0) - 124) < 2)
    }
}
