import AIDJAnalysis
import AIDJCore
import Foundation

/// `aidj-bench phase-features LABELS.csv… --out FEATURES.csv` and
/// `aidj-bench train-phase FEATURES.csv… [--out BeatPhaseWeights.swift] [--lambda L] [--iterations N]
/// [--margin M]`:
/// the ``BeatPhase`` features of every labelled file's reference beats, and the fit of its weights on them.
///
/// Each file with ``BeatPhase/minimumBeats`` labelled beats or more gives two examples: its beats (features f,
/// right) and the grid half a beat later (−f, wrong). Split as `train-key`: by piece, half held out by the hash of
/// its name. Fitting: logistic regression without a bias (the pairs are symmetric), every family of material
/// weighing the same in total, plus `lambda` (0.01)·‖w‖²/2; full-batch Adam (step 0.05) from zeros, so the same
/// data give the same weights.
///
/// `--margin` (0.3) is written beside the weights: a grid moves only when its score is further below 0. The labelled
/// beats are not aidj's beats, which sit a frame or two from them, so a right grid of aidj's can score below 0
/// where its labelled beats do not: over every development set, aidj's right grids scored down to −0.13 (MuseScore
/// bwv326, a chorale whose labelled beats score +1.2) and its off-beat grids at most −0.46 (TimGM6mb house_033),
/// when the margin was set. With analysis 27's features, the grids moved in `grooves`, `grooves2` and `scores`
/// (three fonts each) score −1.08 to −4.71, and no right grid there moves (`eval` lists what moved).
/// The report prints how many training files score below 0 and below −margin.
enum TrainPhase {
    static func features(arguments: [String]) throws {
        let (labels, out) = try TrainTempo.filesAndOut(
            arguments, usage: "aidj-bench phase-features LABELS.csv… --out FEATURES.csv")
        guard let out else { throw BenchError("phase-features needs --out FEATURES.csv") }
        let rows = try labels.flatMap { try Eval.readRows($0) }.filter {
            $0.reference.beats.count >= BeatPhase.minimumBeats
        }
        let results = Eval.perFile(
            rows, jobs: ProcessInfo.processInfo.activeProcessorCount, progress: "phase features"
        ) { analyzer, row in
            BeatPhase.features(beats: row.reference.beats, frames: try analyzer.frameFeatures(path: row.path))
        }
        var csv = "file,group," + BeatPhase.featureNames.joined(separator: ",") + "\n"
        for (row, values) in zip(rows, results) {
            guard let values else { continue }
            csv += "\(row.path),\(row.group)," + values.map { String(format: "%.6g", $0) }.joined(separator: ",")
            csv += "\n"
        }
        try csv.write(toFile: out, atomically: true, encoding: .utf8)
        print("\(rows.count) files → \(out)")
    }

    struct File {
        var path: String
        var piece: String
        var group: String
        var features: [Double]
    }

    static func read(_ path: String) throws -> [File] {
        try TrainTempo.featureFiles(path, kind: "phase", columns: 2 + BeatPhase.featureNames.count).map { file in
            File(
                path: file.rows[0][0], piece: file.piece, group: file.group,
                features: file.rows[0][2...].map { Double($0) ?? 0 })
        }
    }

    static func run(arguments: [String]) throws {
        let (options, rest) = TrainTempo.numericOptions(arguments, ["lambda": 0.01, "iterations": 2000, "margin": 0.3])
        let (paths, out) = try TrainTempo.filesAndOut(
            rest,
            usage: "aidj-bench train-phase FEATURES.csv… [--out FILE.swift] [--lambda L] [--iterations N] [--margin M]")
        let (train, heldOut) = TrainTempo.split(try paths.flatMap(read), piece: \.piece)
        let lambda = options["lambda"]!, iterations = Int(options["iterations"]!)
        let weights = fit(train, lambda: lambda, iterations: iterations)
        print("weights:")
        for (name, w) in zip(BeatPhase.featureNames, weights) { print(String(format: "  %-16@ %+.3f", name, w)) }
        let margin = options["margin"]!
        let wrongSide = train.map { BeatPhase.score($0.features, weights: weights) }.filter { $0 < 0 }
        print(
            String(
                format: "margin %.2f; %d training files score below 0, %d below -margin", margin, wrongSide.count,
                wrongSide.filter { $0 < -margin }.count))
        for (name, files) in [("training", train), ("held out", heldOut)] {
            for group in Array(Set(files.map(\.group))).sorted() {
                report("\(name), \(group)", files.filter { $0.group == group }, weights, margin: margin)
            }
            report("\(name), all", files, weights, margin: margin)
        }
        if let out {
            let (sets, list) = (TrainTempo.fileNames(paths), TrainTempo.list)
            try TrainTempo.writeWeights(
                """
                // Written by `aidj-bench train-phase` (λ = \(lambda), \(iterations) iterations, margin \(margin)) from \(sets):
                // BeatPhase features of the labelled beats of the development sets (Benchmarks/datasets/), training
                // half of the pieces. Regenerate rather than edit. Entries: BeatPhase.featureNames.
                enum BeatPhaseWeights {
                    static let weights: [Double] = [\(list(weights))]
                    static let margin = \(margin)
                }

                """, to: out)
        }
    }

    static func fit(_ files: [File], lambda: Double, iterations: Int) -> [Double] {
        let d = BeatPhase.featureNames.count
        var w = [Double](repeating: 0, count: d)
        var m = w, v = w
        let rate = 0.05, beta1 = 0.9, beta2 = 0.999
        let share = TrainKey.setWeights(files.map(\.piece))
        for step in 1...iterations {
            var g = [Double](repeating: 0, count: d)
            for (file, weight) in zip(files, share) {
                // The pair (f, right) and (−f, wrong) share one loss: log(1 + e^(−w·f)), counted twice.
                let s = BeatPhase.score(file.features, weights: w)
                let dScore = -1 / (1 + exp(s)) * 2 * weight
                for j in 0..<d { g[j] += dScore * file.features[j] }
            }
            for j in 0..<d {
                let gj = g[j] + lambda * w[j]
                m[j] = beta1 * m[j] + (1 - beta1) * gj
                v[j] = beta2 * v[j] + (1 - beta2) * gj * gj
                let mHat = m[j] / (1 - pow(beta1, Double(step))), vHat = v[j] / (1 - pow(beta2, Double(step)))
                w[j] -= rate * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        return w
    }

    /// How many files' right grids score above 0, how many a move would wrong (below −margin), and the files on
    /// the wrong side.
    static func report(_ name: String, _ files: [File], _ weights: [Double], margin: Double) {
        guard !files.isEmpty else { return }
        let scores = files.map { BeatPhase.score($0.features, weights: weights) }
        let right = scores.filter { $0 > 0 }.count
        let moved = scores.filter { $0 < -margin }.count
        print("\(name): right phase in \(right) of \(files.count); \(moved) would move")
        for (file, s) in zip(files, scores) where s <= 0 {
            print(String(format: "    %@ %.2f", URL(fileURLWithPath: file.path).lastPathComponent, s))
        }
    }
}
