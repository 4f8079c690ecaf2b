import AIDJAnalysis
import AIDJCore
import AIDJLearning
import Foundation

/// `aidj-bench train-key FEATURES.csv… [--out KeyModelWeights.swift] [--lambda L] [--iterations N] [--keep-whole]`:
/// fits the two ``KeyModel``s on key profiles written by `aidj-bench key-features` — the whole-track model on every
/// training example, the ending model on those that end (``KeyProfiles/hasEnding``) — and reports the estimator
/// that picks between them on held-out pieces. `--keep-whole` keeps the shipped whole-track model and fits only the
/// ending model: the whole-track model serves records that loop or fade, which no labelled set holds. Refits of it
/// on the renders agreed with Essentia's edma key on 50 real game-music recordings at 0.35–0.46 (MIREX weighted),
/// moved by λ alone, against 0.52 for the kept weights, so it is refitted only with evidence from real recordings.
///
/// Split: pieces are named `SET/NAME` (the dataset folder and the file name without the soundfont folder), so every
/// render of one piece falls on the same side; a piece is held out when the 32-bit FNV-1a hash of that name is odd
/// (`fixtures/renders/make_fixtures.py` applies the same rule), independent of which other pieces a set holds. Fitting: cross-entropy
/// over the 24 keys, each dataset weighing the same in total, plus `lambda`·‖w‖²/2, full-batch Adam (step 0.05, β 0.9/0.999) from zero weights — the same
/// data and settings give the same weights.
enum TrainKey {
    struct Example {
        var profiles: KeyProfiles
        var key: MusicalKey
        var piece: String
        var group: String
    }

    static func run(arguments: [String]) throws {
        var files: [String] = [], out: String?
        var lambda = 1e-3, iterations = 1500, keepWhole = false
        var i = 1
        while i < arguments.count {
            let a = arguments[i]
            if a == "--keep-whole" {
                keepWhole = true
                i += 1
            } else if ["--out", "--lambda", "--iterations"].contains(a) {
                guard i + 1 < arguments.count else { throw BenchError("\(a) needs a value") }
                let v = arguments[i + 1]
                switch a {
                case "--out": out = v
                case "--lambda": lambda = Double(v) ?? lambda
                default: iterations = Int(v) ?? iterations
                }
                i += 2
            } else {
                files.append(a)
                i += 1
            }
        }
        guard !files.isEmpty else {
            throw BenchError(
                "usage: aidj-bench train-key FEATURES.csv… [--out FILE.swift] [--lambda L] [--iterations N] [--keep-whole]"
            )
        }
        let examples = try files.flatMap(read)
        let train = examples.filter { !isHeldOut(piece: $0.piece) }
        let heldOut = examples.filter { isHeldOut(piece: $0.piece) }
        print("\(examples.count) examples: \(train.count) for training, \(heldOut.count) held out")
        let whole = keepWhole ? KeyModel.trained : fit(train, profileCount: 2, lambda: lambda, iterations: iterations)
        let ending = fit(
            train.filter(\.profiles.hasEnding), profileCount: 4, lambda: lambda, iterations: iterations)
        let estimator = KeyEstimator(model: whole, endingModel: ending)
        print(
            "\(train.filter(\.profiles.hasEnding).count) training examples end; \(heldOut.filter(\.profiles.hasEnding).count) held out"
        )
        report("training", train, estimator)
        for group in Array(Set(heldOut.map(\.group))).sorted() {
            report("held out, \(group)", heldOut.filter { $0.group == group }, estimator)
        }
        report("held out, all", heldOut, estimator)
        if let out {
            try source(estimator, lambda: lambda, iterations: iterations, files: files, keptWhole: keepWhole).write(
                toFile: out, atomically: true, encoding: .utf8)
            print("weights → \(out)")
        }
    }

    /// Loss weight of each example such that every family of material weighs the same in total — the `SET` of
    /// its `SET/NAME` piece, trailing digits dropped, so `grooves` and `grooves2` from one generator are one
    /// family — and all weights sum to 1.
    static func setWeights(_ pieces: [String]) -> [Double] {
        let sets = pieces.map(family)
        var counts: [String: Int] = [:]
        for s in sets { counts[s, default: 0] += 1 }
        return sets.map { 1 / (Double(counts[$0]!) * Double(counts.count)) }
    }

    /// The family of material a piece belongs to: its set's folder name without trailing digits, so `grooves2`
    /// and `scores3` count with `grooves` and `scores`.
    static func family(_ piece: String) -> String {
        String((piece.split(separator: "/").first.map(String.init) ?? "").reversed().drop { $0.isNumber }.reversed())
    }

    /// The piece a development-set file renders: `SET/NAME`, the dataset folder (above the soundfont folder) and
    /// the file name without extension, so every render of one piece gets one name.
    static func piece(ofPath path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let set = url.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
        return set + "/" + url.deletingPathExtension().lastPathComponent
    }

    /// The held-out half: pieces whose name has an odd 32-bit FNV-1a hash (`bit` 0). Another `bit` of the same hash
    /// splits a half again (`train-tempo --validate`).
    static func isHeldOut(piece: String, bit: Int = 0) -> Bool {
        var hash: UInt32 = 2_166_136_261
        for byte in piece.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return (hash >> UInt32(bit)) % 2 == 1
    }

    static func read(_ path: String) throws -> [Example] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError("cannot read key features '\(path)'")
        }
        let lines = text.split(whereSeparator: \.isNewline)
        return try lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // file, key, group, tonal, 12 treble, 12 bass, ends (0/1), 12 ending treble, 12 ending bass.
            guard f.count == 4 + 24 + 1 + 24, let key = MusicalKey(parsing: f[1]) else {
                throw BenchError("'\(path)': cannot read line '\(line.prefix(60))…'")
            }
            let v = f[4...].map { Double($0) ?? 0 }
            let ends = f[28] == "1"
            let profiles = KeyProfiles(
                treble: Array(v[0..<12]), bass: Array(v[12..<24]), tonalFrames: Double(f[3]) ?? 0,
                endingTreble: ends ? Array(v[25..<37]) : nil, endingBass: ends ? Array(v[37..<49]) : nil)
            let piece = piece(ofPath: f[0])
            let set = piece.split(separator: "/").first.map(String.init) ?? ""
            return Example(profiles: profiles, key: key, piece: piece, group: "\(set)/\(f[2])")
        }
    }

    static func fit(_ examples: [Example], profileCount: Int, lambda: Double, iterations: Int) -> KeyModel {
        let d = profileCount * 12
        let shape = KeyModel(
            weights: [[Double]](repeating: [Double](repeating: 0, count: d), count: 2), biases: [0, 0])
        // Rotated inputs per example and candidate key: n × 24 × d.
        let inputs = examples.map { e -> [[Double]] in
            let x = shape.inputs(e.profiles)
            return MusicalKey.all.map { KeyModel.rotated(x, tonic: $0.tonic) }
        }
        let targets = examples.map { e in MusicalKey.all.firstIndex(of: e.key)! }
        let share = setWeights(examples.map(\.piece))
        var w = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: 2)  // last: bias
        var m = w, v = w
        let rate = 0.05, beta1 = 0.9, beta2 = 0.999
        for step in 1...iterations {
            var gradient = [[Double]](repeating: [Double](repeating: 0, count: d + 1), count: 2)
            for ((x, y), weight) in zip(zip(inputs, targets), share) {
                let logits = MusicalKey.all.indices.map { k -> Double in
                    let mode = k < 12 ? 0 : 1
                    var s = w[mode][d]
                    for j in 0..<d { s += w[mode][j] * x[k][j] }
                    return s
                }
                let top = logits.max()!
                let e = logits.map { exp($0 - top) }
                let total = e.reduce(0, +)
                for k in 0..<24 {
                    let g = (e[k] / total - (k == y ? 1 : 0)) * weight
                    let mode = k < 12 ? 0 : 1
                    for j in 0..<d { gradient[mode][j] += g * x[k][j] }
                    gradient[mode][d] += g
                }
            }
            for mode in 0..<2 {
                for j in 0...d {
                    let g = gradient[mode][j] + (j < d ? lambda * w[mode][j] : 0)
                    m[mode][j] = beta1 * m[mode][j] + (1 - beta1) * g
                    v[mode][j] = beta2 * v[mode][j] + (1 - beta2) * g * g
                    let mHat = m[mode][j] / (1 - pow(beta1, Double(step)))
                    let vHat = v[mode][j] / (1 - pow(beta2, Double(step)))
                    w[mode][j] -= rate * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
        }
        return KeyModel(weights: w.map { Array($0[0..<d]) }, biases: w.map { $0[d] })
    }

    static func report(_ name: String, _ examples: [Example], _ estimator: KeyEstimator) {
        guard !examples.isEmpty else { return }
        var counts: [KeyEvaluation.Relation: Int] = [:]
        var score = 0.0
        var confidences: [Double] = [], right: [Bool] = []
        for e in examples {
            guard let estimate = estimator.estimate(e.profiles) else {
                counts[.other, default: 0] += 1
                continue
            }
            let relation = KeyEvaluation.relation(of: estimate.key, to: e.key)
            counts[relation, default: 0] += 1
            score += relation.weight
            confidences.append(estimate.confidence)
            right.append(relation == .exact)
        }
        let auc =
            ClassificationMetrics.auc(scores: confidences, positives: right).map { String(format: "%.3f", $0) } ?? "–"
        let relations = KeyEvaluation.Relation.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }
        print(
            String(format: "%@ (%d): MIREX %.3f; ", name, examples.count, score / Double(examples.count))
                + relations.joined(separator: ", ") + "; AUC \(auc)")
    }

    static func source(_ estimator: KeyEstimator, lambda: Double, iterations: Int, files: [String], keptWhole: Bool)
        -> String
    {
        func row(_ values: [Double]) -> String {
            stride(from: 0, to: values.count, by: 6).map { start in
                "        "
                    + values[start..<min(start + 6, values.count)].map { String(format: "%.6f", $0) }
                    .joined(separator: ", ") + ","
            }.joined(separator: "\n")
        }
        let sets = files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
        func model(_ prefix: String, _ model: KeyModel) -> String {
            let w = prefix.isEmpty ? "weights" : prefix + "Weights", b = prefix.isEmpty ? "biases" : prefix + "Biases"
            return """
                    static let \(w): [[Double]] = [
                        [
                \(row(model.weights[0]))
                        ],
                        [
                \(row(model.weights[1]))
                        ],
                    ]
                    static let \(b): [Double] = [\(model.biases.map { String(format: "%.6f", $0) }.joined(separator: ", "))]
                """
        }
        return """
            // Written by `aidj-bench train-key` (λ = \(lambda), \(iterations) iterations) from \(sets): key profiles that
            // aidj extracted from renders of Benchmarks/datasets/scores.py and grooves.py, training half of the pieces.\(keptWhole ? "\n// The whole-track weights were kept (--keep-whole) from the previous file." : "")
            // Regenerate rather than edit. Order per mode: whole treble, whole bass (then, for the ending model,
            // ending treble, ending bass); tonic first.
            enum KeyModelWeights {
            \(model("", estimator.model))
            \(model("ending", estimator.endingModel))
            }

            """
    }
}
