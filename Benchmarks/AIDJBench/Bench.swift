import Foundation

/// `aidj-bench speed [--tracks N] [--aidj PATH] [--keep DIR]`, `accuracy`, `seeds` (tempo and beats over 5 seeds
/// per style) and `composer [--epochs N] [--export FILE]`: figures for the notes, never pass/fail.
@main
struct Bench {
    static let usage =
        "usage: aidj-bench speed [--tracks N] [--aidj PATH] [--keep DIR] | accuracy | seeds | composer [--epochs N] [--export FILE] | classifier [--export FILE] | taste | mix [--keep DIR] | similar | eval LABELS.csv [--estimates PEER.csv] [--save-estimates OUT.csv] [--group G] [--held-out] [--jobs N] [--trim S] [--json] | key-features | train-key | tempo-features | train-tempo | downbeat-features | train-downbeat | phase-features | train-phase | synth-set DIR | assess LABELS.json [--json] [--limit N] | assess --speed | serve [--tracks N] [--clients C] [--seconds S] [--aidj PATH] | live [--listeners N] [--minutes M] [--solo S] [--db PATH --user U --password P] [--mood NAME] [--pace X] [--record FILE] [--aidj PATH] | live-capture --db PATH [--mood NAME] [--minutes M] [--pace X [--lead S]] [--look-ahead S] [--skip-every S] --out DIR"

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return
        }
        do {
            try run(arguments)
        } catch {
            FileHandle.standardError.write(Data("aidj-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ arguments: [String]) throws {
        switch arguments.first ?? "speed" {
        case "speed": try Speed.run(arguments: arguments)
        case "accuracy": try Accuracy.run()
        case "seeds": try SeedSweep.run()
        case "composer": try ComposerBench.run(arguments: arguments)
        case "classifier": try ClassifierBench.run(arguments: arguments)
        case "taste": try TasteBench.run(arguments: arguments)
        case "mix": try MixBench.run(arguments: arguments)
        case "similar": try SimilarBench.run(arguments: arguments)
        case "eval": try Eval.run(arguments: arguments)
        case "key-features": try Eval.keyFeatures(arguments: arguments)
        case "train-key": try TrainKey.run(arguments: arguments)
        case "tempo-features": try TrainTempo.features(arguments: arguments)
        case "train-tempo": try TrainTempo.run(arguments: arguments)
        case "downbeat-features": try TrainDownbeat.features(arguments: arguments)
        case "train-downbeat": try TrainDownbeat.run(arguments: arguments)
        case "phase-features": try TrainPhase.features(arguments: arguments)
        case "train-phase": try TrainPhase.run(arguments: arguments)
        case "synth-set": try SynthSet.run(arguments: arguments)
        case "assess": try AssessBench.run(arguments: arguments)
        case "serve": try ServeBench.run(arguments: arguments)
        case "live": try LiveBench.run(arguments: arguments)
        case "live-capture": try LiveBench.capture(arguments: arguments)
        default: throw BenchError("unknown command '\(arguments[0])'; \(usage)")
        }
    }
}

extension [String] {
    /// The value after option `name` (`--minutes 5`), nil when the option or its value is missing.
    func option(_ name: String) -> String? {
        firstIndex(of: name).flatMap { $0 + 1 < count ? self[$0 + 1] : nil }
    }
}

/// A bench command's usage or input problem, printed as one line.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
