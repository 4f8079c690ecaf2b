import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

/// `aidj train genre` and `aidj similar` on a generated library whose folders are styles.
@Suite("aidj train genre")
struct TrainGenreCLITests {
    let music = TemporaryDirectory("aidj-genre-music")
    let data = TemporaryDirectory("aidj-genre-db")

    @Test(
        "k-fold report with the promised JSON keys; styles told apart; rare labels left out; similar tracks; bad labels refused"
    )
    func genre() throws {
        let db = data.file("g.sqlite")
        let styles: [(GrooveStyle, Double)] = [(.fourOnTheFloor, 126), (.ballad, 64), (.breakbeat, 172)]
        for (s, (style, bpm)) in styles.enumerated() {
            for i in 0..<6 {
                try Fixtures.writeSong(
                    to: music.file("\(style.rawValue)/\(i).wav"), style: style, bpm: bpm + Double(i),
                    tonic: i, minor: i % 2 == 0, bars: 3, seed: UInt64(10 * s + i))
            }
        }
        // One more house groove, under a label of its own (a rare label for training).
        try Fixtures.writeSong(to: music.file("lonely/only.wav"), style: .fourOnTheFloor, bars: 2, seed: 99)
        #expect(try Executable.aidj(["ingest", music.path, "--db", db]).status == 0)
        let train = try Executable.aidj(["train", "genre", "--labels", "folders", "--folds", "3", "--json", "--db", db])
        #expect(train.status == 0, "\(train.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        for key in ["accuracy", "macro_f1", "log_loss", "confusion", "labels", "tracks", "seconds"] {
            #expect(report.keys.contains(key), "missing \(key)")
        }
        #expect(report["tracks"] as? Int == 18)
        #expect((report["labels"] as? [String])?.count == 3)
        #expect((report["accuracy"] as? Double ?? 0) >= 0.9, "\(report)")
        #expect((report["rare_labels"] as? [String: Int])?["lonely"] == 1)
        // The nearest tracks to a house groove are other house grooves (the lonely one is a house groove too).
        let similar = try Executable.aidj(["similar", "four-on-the-floor/0.wav", "--limit", "3", "--json", "--db", db])
        #expect(similar.status == 0, "\(similar.stderr)")
        let nearest = try #require(
            try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as? [[String: Any]])
        #expect(nearest.count == 3)
        #expect(
            nearest.allSatisfy { track in
                let path = track["path"] as? String ?? ""
                return path.contains("/four-on-the-floor/") || path.contains("/lonely/")
            }, "\(nearest)")
        let models = try Executable.aidj(["train", "genre", "--labels", "nonsense.csv", "--db", db])
        #expect(models.status == 1 && models.stderr.contains("nonsense.csv"))
        try classifyAndRecommend(db: db)
    }

    func json(_ result: Executable.Result) throws -> Any {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// `classify`, `recommend`, `train taste` and `moods` on the library `genre()` built.
    func classifyAndRecommend(db: String) throws {
        let all = try #require(
            try json(try Executable.aidj(["classify", "--all", "--json", "--db", db])) as? [[String: Any]])
        #expect(all.count == 19)
        for track in all {
            let p = try #require(track["probabilities"] as? [String: Double])
            #expect(abs(p.values.reduce(0, +) - 1) < 1e-3)
            if let path = track["path"] as? String, path.contains("/ballad/") {
                #expect(track["genre"] as? String == "ballad")
            }
        }
        let one = try #require(
            try json(try Executable.aidj(["classify", "breakbeat/2.wav", "--json", "--db", db])) as? [[String: Any]])
        #expect(one.first?["genre"] as? String == "breakbeat")
        let shown = try Executable.aidj(["show", "ballad/1.wav", "--db", db])
        #expect(shown.stdout.contains("Predicted") && shown.stdout.contains("(model genre)"), "\(shown.stdout)")

        #expect(try Executable.aidj(["listener", "add", "alice", "--db", db]).status == 0)
        for i in 0..<3 {
            #expect(
                try Executable.aidj(["feedback", "alice", "four-on-the-floor/\(i).wav", "like", "--db", db]).status == 0
            )
        }
        #expect(try Executable.aidj(["feedback", "alice", "ballad/0.wav", "dislike", "--db", db]).status == 0)
        let taste = try Executable.aidj(["train", "taste", "alice", "--db", db])
        #expect(taste.status == 0 && taste.stdout.contains("not trained: alice has 4 events"), "\(taste)")
        let declined = try #require(
            try json(try Executable.aidj(["train", "taste", "alice", "--json", "--db", db])) as? [String: Any])
        #expect(declined["trained"] as? Bool == false && (declined["reason"] as? String)?.contains("4 events") == true)

        let list = try #require(
            try json(try Executable.aidj(["recommend", "alice", "--limit", "5", "--json", "--db", db]))
                as? [String: Any])
        let tracks = try #require(list["tracks"] as? [[String: Any]])
        #expect(tracks.count == 5)
        let paths = tracks.compactMap { $0["path"] as? String }
        // Heard (liked or disliked) today: left out. The nearest to what alice liked: the other house grooves
        // (the lonely track is one too).
        #expect(!paths.contains { $0.hasSuffix("four-on-the-floor/0.wav") || $0.hasSuffix("ballad/0.wav") })
        #expect(paths.prefix(3).allSatisfy { !$0.contains("/ballad/") && !$0.contains("/breakbeat/") }, "\(paths)")
        let reasons = try #require(tracks.first?["reasons"] as? [String])
        #expect(reasons.contains { $0.hasPrefix("liked similar: ") }, "\(reasons)")
        #expect((list["taste"] as? String)?.contains("similarity to 3 liked") == true)

        let chill = try #require(
            try json(
                try Executable.aidj(["recommend", "alice", "--mood", "chill", "--limit", "3", "--json", "--db", db]))
                as? [String: Any])
        let chillTracks = try #require(chill["tracks"] as? [[String: Any]])
        #expect(chillTracks.allSatisfy { ($0["path"] as? String)?.contains("/ballad/") == true }, "\(chillTracks)")
        #expect(
            chillTracks.allSatisfy {
                ($0["reasons"] as? [String])?.contains { $0.hasPrefix("fits chill: energy ") } == true
            })

        let unknown = try Executable.aidj(["recommend", "bob", "--db", db])
        #expect(unknown.status == 1 && unknown.stderr.contains("no listener named 'bob'"))
        let badMood = try Executable.aidj(["recommend", "alice", "--mood", "grumpy", "--db", db])
        #expect(badMood.status == 64 && badMood.stderr.contains("unknown mood 'grumpy'"))
        let moods = try #require(try json(try Executable.aidj(["moods", "--json"])) as? [[String: Any]])
        #expect(moods.contains { $0["name"] as? String == "party" })
    }
}
