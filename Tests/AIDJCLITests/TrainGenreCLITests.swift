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
        try Fixtures.writeSong(to: music.file("lonely/only.wav"), bars: 2, seed: 99)
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
        // The nearest tracks to a house groove are the other house grooves.
        let similar = try Executable.aidj(["similar", "four-on-the-floor/0.wav", "--limit", "3", "--json", "--db", db])
        #expect(similar.status == 0, "\(similar.stderr)")
        let nearest = try #require(
            try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as? [[String: Any]])
        #expect(nearest.count == 3)
        #expect(nearest.allSatisfy { ($0["path"] as? String)?.contains("/four-on-the-floor/") == true }, "\(nearest)")
        let models = try Executable.aidj(["train", "genre", "--labels", "nonsense.csv", "--db", db])
        #expect(models.status == 1 && models.stderr.contains("nonsense.csv"))
    }
}
