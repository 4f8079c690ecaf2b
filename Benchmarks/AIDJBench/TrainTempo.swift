import AIDJAnalysis
import AIDJCore
import Foundation

/// `aidj-bench tempo-features LABELS.csv… --out FEATURES.csv` and
/// `aidj-bench train-tempo FEATURES.csv… [--out TempoModelWeights.swift] [--lambda L] [--iterations N]`:
/// the metrical-level candidates of every labelled file, and the fit of ``MetricalLevelModel`` on them.
///
/// Each file's target is the candidate within ±4 % of the labelled tempo (Acc1's tolerance); files with none are
/// left out of the fit but counted as misses in the report. Split as `train-key`: by piece, half held out by the
/// hash of its name. Fitting: the network of ``MetricalLevelModel`` from a seeded initialization (SplitMix64, normal
/// σ 0.3); softmax cross-entropy over each file's candidates, every family of material weighing the same in total
/// (so 450 chorale renders do not teach chorale tempi to a techno track), plus `lambda`·‖θ‖²/2; full-batch Adam
/// (step 0.01). The same data give the same weights.
enum TrainTempo {
    static func features(arguments: [String]) throws {
        let (labels, out) = try filesAndOut(
            arguments, usage: "aidj-bench tempo-features LABELS.csv… --out FEATURES.csv")
        guard let out else { throw BenchError("tempo-features needs --out FEATURES.csv") }
        let rows = try labels.flatMap { try Eval.readRows($0) }.filter { $0.reference.bpm > 0 }
        let analyses = Eval.analyses(rows, jobs: ProcessInfo.processInfo.activeProcessorCount, progress: true)
        var csv = "file,group,label_bpm,bpm," + MetricalLevelModel.featureNames.joined(separator: ",") + "\n"
        for (row, analysis) in zip(rows, analyses) {
            for c in analysis?.tempoCandidates ?? [] {
                csv += "\(row.path),\(row.group),\(row.reference.bpm),\(String(format: "%.3f", c.bpm)),"
                csv += c.features.map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
            }
        }
        try csv.write(toFile: out, atomically: true, encoding: .utf8)
        print("\(rows.count) files → \(out)")
    }

    struct File {
        var piece: String
        var group: String
        var label: Double
        var bpms: [Double]
        var features: [[Double]]
        /// Index of the candidate within 4 % of the label (the closest), or nil.
        var target: Int? {
            let ok = bpms.indices.filter { TempoEvaluation.acc1(estimated: bpms[$0], reference: label) }
            return ok.min { abs(bpms[$0] - label) < abs(bpms[$1] - label) }
        }
    }

    static func run(arguments: [String]) throws {
        let (options, rest) = numericOptions(arguments, ["lambda": 1e-3, "iterations": 1500])
        let iterations = Int(options["iterations"]!)
        let validate = rest.contains("--validate")
        let (paths, out) = try filesAndOut(
            rest.filter { $0 != "--validate" },
            usage: "aidj-bench train-tempo FEATURES.csv… [--out FILE.swift] [--lambda L] [--validate]")
        let (train, heldOut) = split(try paths.flatMap(read), piece: \.piece)
        let lambda = validate ? chooseLambda(train, iterations: iterations) : options["lambda"]!
        let model = fit(train.filter { $0.target != nil }, lambda: lambda, iterations: iterations)
        let strongest: ([Double]) -> Double = { $0[MetricalLevelModel.featureNames.firstIndex(of: "score_ratio")!] }
        for (name, score) in [("strongest periodicity", strongest), ("fitted", model.logit)] {
            report("\(name), training", train, score)
            for group in Array(Set(heldOut.map(\.group))).sorted() {
                report("\(name), held out, \(group)", heldOut.filter { $0.group == group }, score)
            }
            report("\(name), held out, all", heldOut, score)
        }
        if let out {
            let (sets, list) = (fileNames(paths), Self.list)
            try writeWeights(
                """
                // Written by `aidj-bench train-tempo` (λ = \(lambda), \(iterations) iterations) from
                // \(sets):
                // metrical-level candidates that aidj extracted from the development sets (Benchmarks/datasets/,
                // aidj-bench synth-set), training half of the pieces. Regenerate rather than edit.
                // Rows: MetricalLevelModel.featureNames.
                enum TempoModelWeights {
                    static let mean: [Double] = [\(list(model.mean))]
                    static let scale: [Double] = [\(list(model.scale))]
                    static let hidden: [[Double]] = [
                \(model.hidden.map { "        [\(list($0))]," }.joined(separator: "\n"))
                    ]
                    static let hiddenBias: [Double] = [\(list(model.hiddenBias))]
                    static let output: [Double] = [\(list(model.output))]
                }

                """, to: out)
        }
    }

    /// The names of the feature files, for a weights file's header.
    static func fileNames(_ paths: [String]) -> String {
        paths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
    }

    /// Weights as Swift literals, six decimals.
    static func list(_ values: [Double]) -> String {
        values.map { String(format: "%.6f", $0) }.joined(separator: ", ")
    }

    /// Writes a generated weights file and says where.
    static func writeWeights(_ source: String, to out: String) throws {
        try source.write(toFile: out, atomically: true, encoding: .utf8)
        print("weights → \(out)")
    }

    /// `--NAME VALUE` options with numeric values, from `defaults`; everything else is passed through in order.
    static func numericOptions(_ arguments: [String], _ defaults: [String: Double]) -> ([String: Double], [String]) {
        var values = defaults, rest: [String] = []
        var i = 0
        while i < arguments.count {
            let name = arguments[i].hasPrefix("--") ? String(arguments[i].dropFirst(2)) : ""
            if let value = defaults[name], i + 1 < arguments.count {
                values[name] = Double(arguments[i + 1]) ?? value
                i += 2
            } else {
                rest.append(arguments[i])
                i += 1
            }
        }
        return (values, rest)
    }

    /// The training half and the held-out half of `files` (by piece, as `train-key`), with their counts printed.
    static func split<File>(_ files: [File], piece: (File) -> String) -> (train: [File], heldOut: [File]) {
        let train = files.filter { !TrainKey.isHeldOut(piece: piece($0)) }
        let heldOut = files.filter { TrainKey.isHeldOut(piece: piece($0)) }
        print("\(files.count) files: \(train.count) for training, \(heldOut.count) held out")
        return (train, heldOut)
    }

    static func filesAndOut(_ arguments: [String], usage: String) throws -> ([String], String?) {
        var files: [String] = [], out: String?
        var i = 1
        while i < arguments.count {
            if arguments[i] == "--out", i + 1 < arguments.count {
                out = arguments[i + 1]
                i += 2
            } else {
                files.append(arguments[i])
                i += 1
            }
        }
        guard !files.isEmpty else { throw BenchError("usage: \(usage)") }
        return (files, out)
    }

    static func read(_ path: String) throws -> [File] {
        try featureFiles(path, kind: "tempo", columns: 4 + MetricalLevelModel.featureNames.count).map { file in
            File(
                piece: file.piece, group: file.group, label: Double(file.rows[0][2]) ?? 0,
                bpms: file.rows.map { Double($0[3]) ?? 0 }, features: file.rows.map { $0[4...].map { Double($0) ?? 0 } }
            )
        }
    }

    /// The rows of a features CSV (header skipped) grouped by their first column, the audio file, in the order of
    /// first appearance, with its piece (`TrainKey.piece(ofPath:)`) and group (the piece's set / the second column).
    /// Every row must have `columns` fields.
    static func featureFiles(_ path: String, kind: String, columns: Int) throws
        -> [(piece: String, group: String, rows: [[String]])]
    {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError("cannot read \(kind) features '\(path)'")
        }
        var rows: [String: [[String]]] = [:], order: [String] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == columns else { throw BenchError("'\(path)': cannot read line '\(line.prefix(60))…'") }
            if rows[f[0]] == nil { order.append(f[0]) }
            rows[f[0], default: []].append(f)
        }
        return order.map { name in
            let piece = TrainKey.piece(ofPath: name)
            return (piece, "\(piece.split(separator: "/").first ?? "")/\(rows[name]![0][1])", rows[name]!)
        }
    }

    static func fit(_ files: [File], lambda: Double, iterations: Int) -> MetricalLevelModel {
        let d = MetricalLevelModel.featureNames.count, h = MetricalLevelModel.hiddenCount
        // Standardization over every training candidate.
        let all = files.flatMap(\.features)
        let mean = (0..<d).map { j in all.map { $0[j] }.reduce(0, +) / Double(max(all.count, 1)) }
        let scale = (0..<d).map { j -> Double in
            let v = all.map { ($0[j] - mean[j]) * ($0[j] - mean[j]) }.reduce(0, +) / Double(max(all.count, 1))
            return v.squareRoot() + 1e-6
        }
        let inputs = files.map { f in f.features.map { x in (0..<d).map { (x[$0] - mean[$0]) / scale[$0] } } }
        // Parameters, flattened: W1 (d × h), b1 (h), w2 (h). Seeded normal initialization (σ 0.3).
        var rng = SplitMix64(seed: 7)
        var theta =
            (0..<(d * h)).map { _ in 0.3 * rng.normalDouble() } + [Double](repeating: 0, count: h)
            + (0..<h).map { _ in 0.3 * rng.normalDouble() }
        let b1 = d * h, w2 = d * h + h
        var m = [Double](repeating: 0, count: theta.count), v = m
        let rate = 0.01, beta1 = 0.9, beta2 = 0.999
        let share = TrainKey.setWeights(files.map(\.piece))
        for step in 1...iterations {
            var g = [Double](repeating: 0, count: theta.count)
            for ((x, file), weight) in zip(zip(inputs, files), share) {
                let hidden = x.map { z -> [Double] in
                    (0..<h).map { j in
                        var a = theta[b1 + j]
                        for i in 0..<d { a += z[i] * theta[i * h + j] }
                        return tanh(a)
                    }
                }
                let logits = hidden.map { a in (0..<h).reduce(0.0) { $0 + a[$1] * theta[w2 + $1] } }
                let top = logits.max()!
                let e = logits.map { exp($0 - top) }
                let total = e.reduce(0, +)
                for k in x.indices {
                    let dLogit = (e[k] / total - (k == file.target! ? 1 : 0)) * weight
                    for j in 0..<h {
                        g[w2 + j] += dLogit * hidden[k][j]
                        let dA = dLogit * theta[w2 + j] * (1 - hidden[k][j] * hidden[k][j])
                        g[b1 + j] += dA
                        for i in 0..<d { g[i * h + j] += dA * x[k][i] }
                    }
                }
            }
            for j in theta.indices {
                let gj = g[j] + lambda * theta[j]
                m[j] = beta1 * m[j] + (1 - beta1) * gj
                v[j] = beta2 * v[j] + (1 - beta2) * gj * gj
                let mHat = m[j] / (1 - pow(beta1, Double(step))), vHat = v[j] / (1 - pow(beta2, Double(step)))
                theta[j] -= rate * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        return MetricalLevelModel(
            mean: mean, scale: scale, hidden: (0..<d).map { i in Array(theta[(i * h)..<(i * h + h)]) },
            hiddenBias: Array(theta[b1..<w2]), output: Array(theta[w2...]))
    }

    /// `--validate`: λ chosen without the held-out half, by two-fold cross-validation. The training half is split
    /// again by piece (the next bit of the same hash); each λ of a grid is fitted on one part and scored on the
    /// other, both ways round, by Acc1 over both parts' files averaged over the families of material (as the fit
    /// weighs them); the best λ (the larger on a tie) is returned. Both ways round, every training piece is
    /// scored once, so the choice rests on twice the files that one way round would give it.
    static func chooseLambda(_ train: [File], iterations: Int) -> Double {
        let parts = [
            train.filter { !TrainKey.isHeldOut(piece: $0.piece, bit: 1) },
            train.filter { TrainKey.isHeldOut(piece: $0.piece, bit: 1) },
        ]
        print("validating λ: two folds of \(parts[0].count) and \(parts[1].count) files")
        var best = (lambda: 0.0, accuracy: -1.0)
        for lambda in [1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3] {
            var perFamily: [String: (hits: Int, count: Int)] = [:]
            for (fitting, validation) in [(parts[0], parts[1]), (parts[1], parts[0])] {
                let model = fit(fitting.filter { $0.target != nil }, lambda: lambda, iterations: iterations)
                for file in validation {
                    guard let pick = pick(file, model.logit) else { continue }
                    let family = TrainKey.family(file.piece)
                    let hit = TempoEvaluation.acc1(estimated: file.bpms[pick], reference: file.label) ? 1 : 0
                    perFamily[family, default: (0, 0)].hits += hit
                    perFamily[family, default: (0, 0)].count += 1
                }
            }
            let accuracy =
                perFamily.values.map { Double($0.hits) / Double($0.count) }.reduce(0, +)
                / Double(max(1, perFamily.count))
            let detail = perFamily.sorted { $0.key < $1.key }.map {
                String(format: "%@ %.3f", $0.key, Double($0.value.hits) / Double($0.value.count))
            }.joined(separator: ", ")
            print(String(format: "  λ %g: validation Acc1 %.3f (%@)", lambda, accuracy, detail))
            if accuracy >= best.accuracy { best = (lambda, accuracy) }
        }
        print(String(format: "λ = %g", best.lambda))
        return best.lambda
    }

    /// The candidate `score` ranks highest (nil for a file without candidates).
    static func pick(_ file: File, _ score: ([Double]) -> Double) -> Int? {
        file.features.indices.max { score(file.features[$0]) < score(file.features[$1]) }
    }

    static func report(_ name: String, _ files: [File], _ score: ([Double]) -> Double) {
        guard !files.isEmpty else { return }
        var acc1 = 0, acc2 = 0
        for file in files {
            guard let best = pick(file, score) else { continue }
            if TempoEvaluation.acc1(estimated: file.bpms[best], reference: file.label) { acc1 += 1 }
            if TempoEvaluation.acc2(estimated: file.bpms[best], reference: file.label) { acc2 += 1 }
        }
        let reachable = files.filter { $0.target != nil }.count
        print(
            String(
                format: "%@ (%d, %d reachable): Acc1 %.3f, Acc2 %.3f", name, files.count, reachable,
                Double(acc1) / Double(files.count), Double(acc2) / Double(files.count)))
    }
}
