import AIDJTestSupport
import Foundation
import Testing

/// `aidj compose`, end to end on a slice of the shipped corpus.
@Suite("aidj compose")
struct ComposeCLITests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/melodies/bach").path
    let data = TemporaryDirectory("aidj-compose")

    @Test("train --json lines, models, generate with every export, continue, score --json")
    func endToEnd() throws {
        let db = data.file("c.sqlite")
        let train = try Executable.aidj([
            "compose", "train", Self.corpus, "--model", "tiny", "--units", "32", "--embedding", "16",
            "--epochs", "2", "--batch", "16", "--json", "--db", db,
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let lines = train.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["epoch", "train_nll", "valid_nll", "valid_accuracy", "tokens_per_s", "seconds"] {
                #expect(object.keys.contains(key), "missing \(key)")
            }
        }
        let models = try Executable.aidj(["compose", "models", "--json", "--db", db])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(models.stdout.utf8)) as? [[String: Any]])
        #expect(list.first?["name"] as? String == "tiny")

        let out = data.file("tune.mid"), wav = data.file("tune.wav"), abc = data.file("tune.abc")
        let generate = try Executable.aidj([
            "compose", "generate", "--model", "tiny", "--bars", "4", "--seed", "7", "--key", "D minor",
            "--tempo", "100", "--out", out, "--wav", wav, "--abc", abc, "--db", db,
        ])
        #expect(generate.status == 0, "\(generate.stderr)")
        for file in [out, wav, abc] { #expect(FileManager.default.fileExists(atPath: file), "\(file) not written") }
        let again = data.file("again.mid")
        _ = try Executable.aidj([
            "compose", "generate", "--model", "tiny", "--bars", "4", "--seed", "7", "--key", "D minor",
            "--tempo", "100", "--out", again, "--db", db,
        ])
        #expect(
            FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: out),
            "same seed, same file")

        let more = data.file("more.mid")
        let continued = try Executable.aidj([
            "compose", "continue", out, "--model", "tiny", "--bars", "2", "--out", more, "--db", db,
        ])
        #expect(continued.status == 0, "\(continued.stderr)")

        let score = try Executable.aidj(["compose", "score", out, "--model", "tiny", "--json", "--db", db])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        for key in ["melodies", "events", "nll_nats_per_event", "accuracy", "surprise"] {
            #expect(report.keys.contains(key), "missing \(key)")
        }
    }

    @Test("errors: unknown model, bad key, bad MIDI primer")
    func errors() throws {
        let db = data.file("empty.sqlite")
        let missing = try Executable.aidj([
            "compose", "generate", "--model", "nope", "--out", data.file("x.mid"), "--db", db,
        ])
        #expect(missing.status == 1 && missing.stderr.contains("nope"))
        let key = try Executable.aidj([
            "compose", "generate", "--model", "nope", "--key", "H minor", "--out", data.file("x.mid"),
        ])
        #expect(key.status == 64 && key.stderr.contains("H minor"))
        let bad = data.file("bad.mid")
        try "not midi".write(toFile: bad, atomically: true, encoding: .utf8)
        let score = try Executable.aidj(["compose", "score", bad, "--model", "nope", "--db", db])
        #expect(score.status == 1)
    }
}
