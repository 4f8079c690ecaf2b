import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Predict genre probabilities with a trained genre model and store them.")

    @Argument(help: "Tracks to show (id, path, or part of the file name); with --all, every analysed track.")
    var tracks: [String] = []
    @Flag(help: "Classify every analysed track and store the probabilities.") var all = false
    @Option(help: "Genre model name.") var model = "genre"
    @Option(help: "Probabilities shown per track.") var top = 3
    @Flag(help: "Print JSON (one object per track with every label's probability).") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard all || !tracks.isEmpty else { throw ValidationError("give tracks to classify, or --all") }
        guard !(all && !tracks.isEmpty) else { throw ValidationError("give tracks or --all, not both") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    struct Prediction: Encodable {
        var id: Int64
        var path: String
        var genre: String
        var probabilities: [String: Double]
    }

    func run() throws {
        let library = try store.open()
        let (genreModel, modelID) = try GenreModel.load(model, from: library)
        var results: [(id: Int64, path: String, probabilities: [Float])]
        if all {
            results = try genreModel.classifyAll(modelID: modelID, in: library)
        } else {
            let snapshot = try LibrarySnapshot(store: library)
            results = try tracks.map { reference in
                let id = try library.resolveTrack(reference)
                guard let track = snapshot[id] else {
                    throw CLIError("track '\(reference)' has no analysis with the current feature layout")
                }
                return (id, track.path, try genreModel.probabilities(flat: track.vector, rows: 1))
            }
        }
        let predictions = results.map { r in
            Prediction(
                id: r.id, path: r.path,
                genre: genreModel.labels[r.probabilities.indices.max { r.probabilities[$0] < r.probabilities[$1] }!],
                probabilities: Dictionary(
                    uniqueKeysWithValues: zip(
                        genreModel.labels, r.probabilities.map { (Double($0) * 1e4).rounded() / 1e4 })))
        }
        if json {
            try Output.printJSON(predictions)
            return
        }
        var table = Table(headers: ["ID", "GENRE", "PROBABILITIES", "TRACK"], rightAligned: [0])
        for p in predictions {
            let best = p.probabilities.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(top)
            table.rows.append([
                "\(p.id)", p.genre, best.map { String(format: "%@ %.2f", $0.key, $0.value) }.joined(separator: ", "),
                (p.path as NSString).lastPathComponent,
            ])
        }
        print(table.render())
        if all {
            var counts: [String: Int] = [:]
            for p in predictions { counts[p.genre, default: 0] += 1 }
            print(
                "stored predictions of '\(model)' for \(predictions.count) tracks: "
                    + counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", "))
        }
    }
}
