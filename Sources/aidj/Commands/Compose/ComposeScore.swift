import AIDJComposer
import AIDJLearning
import AIDJStore
import ArgumentParser
import Foundation

struct ComposeScore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: "Negative log-likelihood (nats per event) and next-event accuracy of melodies.",
        discussion: """
            Each melody is scored from a fresh model state; every event after the first is predicted from all earlier \
            events of that melody; the NLL is the mean over those events. With one melody, --json adds the surprise \
            (−log p, nats) of every event.
            """)

    @Argument(help: "MIDI file or folder.") var path: String
    @Option(help: "Model name.") var model: String
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    struct Report: Encodable {
        var score: MelodyScore
        var surprise: [Double]?

        func encode(to encoder: Encoder) throws {
            try score.encode(to: encoder)
            if let surprise {
                enum Key: String, CodingKey { case surprise }
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(surprise.map { ($0 * 1000).rounded() / 1000 }, forKey: .surprise)
            }
        }
    }

    func run() throws {
        let network = try ModelRepository(try store.open()).melodyModel(model)
        let melodies = try loadMelodies([path], quiet: json)
        guard !melodies.isEmpty else { throw CLIError("no usable melodies in '\(path)'") }
        let score = network.score(melodies)
        if json {
            try Output.printJSON(
                Report(score: score, surprise: melodies.count == 1 ? network.surprise(melodies[0]) : nil))
        } else {
            print(
                String(
                    format: "%d melodies, %d events: %.4f nats/event, accuracy %.3f", score.melodies, score.events,
                    score.nllNatsPerEvent, score.accuracy))
        }
    }
}

struct ComposeModels: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "models", abstract: "List the trained melody models.")
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    struct Entry: Encodable {
        var name: String
        var layers: Int, units: Int, embedding: Int
        var parameters: Int
        var epochs: Int
        var validNLL: Double?
        var validAccuracy: Double?
        var trainMelodies: Int?
        var createdAt: String, updatedAt: String

        enum CodingKeys: String, CodingKey {
            case name, layers, units, embedding, parameters, epochs, validNLL = "valid_nll", validAccuracy =
                "valid_accuracy",
                trainMelodies = "train_melodies", createdAt = "created_at", updatedAt = "updated_at"
        }
    }

    func run() throws {
        let entries = try ModelRepository(try store.open()).melodyModels().map { stored in
            let options = stored.header, metrics = stored.metrics
            return Entry(
                name: stored.name, layers: options.layers, units: options.units, embedding: options.embedding,
                parameters: options.configuration.parameterCount, epochs: metrics.epochs.count,
                validNLL: metrics.validNLL, validAccuracy: metrics.validAccuracy,
                trainMelodies: metrics.trainMelodies, createdAt: stored.createdAt, updatedAt: stored.updatedAt)
        }
        if json {
            try Output.printJSON(entries)
            return
        }
        var table = Table(
            headers: ["NAME", "LAYERS×UNITS", "PARAMS", "EPOCHS", "VALID NLL", "ACCURACY", "MELODIES", "UPDATED"],
            rightAligned: [2, 3, 4, 5, 6])
        for e in entries {
            table.rows.append([
                e.name, "\(e.layers)×\(e.units)", "\(e.parameters)", "\(e.epochs)",
                e.validNLL.map { String(format: "%.4f", $0) } ?? "–",
                e.validAccuracy.map { String(format: "%.3f", $0) } ?? "–",
                e.trainMelodies.map(String.init) ?? "–", e.updatedAt,
            ])
        }
        print(
            entries.isEmpty ? "No melody models. Train one with: aidj compose train DIR --model NAME" : table.render())
    }
}
