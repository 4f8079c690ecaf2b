import AIDJAnalysis
import Foundation

/// `aidj-bench tempo-features LABELS.csv… --out FEATURES.csv` and
/// `aidj-bench train-tempo FEATURES.csv… [--out TempoModelWeights.swift] [--lambda L] [--iterations N]`:
/// the metrical-level candidates of every labelled file, and the fit of ``MetricalLevelModel`` on them.
///
/// Each file's target is the candidate within ±4 % of the labelled tempo (Acc1's tolerance); files with none are
/// left out of the fit but counted as misses in the report. Split as `train-key`: by piece, half held out by the
/// hash of its name. Fitting: softmax cross-entropy over each file's candidates plus `lambda`·‖w‖²/2, full-batch Adam
/// from zero weights, deterministic.
enum TrainTempo {
    static func features(arguments: [String]) throws {
        let (labels, out) = try filesAndOut(arguments, usage: "aidj-bench tempo-features LABELS.csv… --out FEATURES.csv")
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
        var lambda = 1e-3, iterations = 2000
        var rest: [String] = []
        var i = 0
        while i < arguments.count {
            if arguments[i] == "--lambda", i + 1 < arguments.count {
                lambda = Double(arguments[i + 1]) ?? lambda
                i += 2
            } else if arguments[i] == "--iterations", i + 1 < arguments.count {
                iterations = Int(arguments[i + 1]) ?? iterations
                i += 2
            } else {
                rest.append(arguments[i])
                i += 1
            }
        }
        let (paths, out) = try filesAndOut(rest, usage: "aidj-bench train-tempo FEATURES.csv… [--out FILE.swift]")
        let files = try paths.flatMap(read)
        let names = Array(Set(files.map(\.piece))).sorted()
        let training = Set(names.filter { !TrainKey.isHeldOut(piece: $0) })
        let train = files.filter { training.contains($0.piece) }
        let heldOut = files.filter { !training.contains($0.piece) }
        print("\(files.count) files of \(names.count) pieces: \(train.count) for training, \(heldOut.count) held out")
        let model = fit(train.filter { $0.target != nil }, lambda: lambda, iterations: iterations)
        let strongest = MetricalLevelModel(
            weights: MetricalLevelModel.featureNames.map { $0 == "score_ratio" ? 1 : 0 })
        for (name, m) in [("strongest periodicity", strongest), ("fitted", model)] {
            report("\(name), training", train, m)
            for group in Array(Set(heldOut.map(\.group))).sorted() {
                report("\(name), held out, \(group)", heldOut.filter { $0.group == group }, m)
            }
            report("\(name), held out, all", heldOut, m)
        }
        if let out {
            let sets = paths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
            let source = """
                // Written by `aidj-bench train-tempo` (λ = \(lambda), \(iterations) iterations) from \(sets): metrical-level
                // candidates that aidj extracted from renders of Benchmarks/datasets/, training half of the pieces.
                // Regenerate rather than edit. Order: MetricalLevelModel.featureNames.
                enum TempoModelWeights {
                    static let weights: [Double] = [
                        \(model.weights.map { String(format: "%.6f", $0) }.joined(separator: ", ")),
                    ]
                }

                """
            try source.write(toFile: out, atomically: true, encoding: .utf8)
            print("weights → \(out)")
        }
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
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError("cannot read tempo features '\(path)'")
        }
        var files: [String: File] = [:]
        var order: [String] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4 + MetricalLevelModel.featureNames.count else {
                throw BenchError("'\(path)': cannot read line '\(line.prefix(60))…'")
            }
            let url = URL(fileURLWithPath: f[0])
            let set = url.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
            if files[f[0]] == nil {
                order.append(f[0])
                files[f[0]] = File(
                    piece: set + "/" + url.deletingPathExtension().lastPathComponent, group: "\(set)/\(f[1])",
                    label: Double(f[2]) ?? 0, bpms: [], features: [])
            }
            files[f[0]]!.bpms.append(Double(f[3]) ?? 0)
            files[f[0]]!.features.append(f[4...].map { Double($0) ?? 0 })
        }
        return order.map { files[$0]! }
    }

    static func fit(_ files: [File], lambda: Double, iterations: Int) -> MetricalLevelModel {
        let d = MetricalLevelModel.featureNames.count
        var w = [Double](repeating: 0, count: d), m = w, v = w
        let rate = 0.05, beta1 = 0.9, beta2 = 0.999
        let share = TrainKey.setWeights(files.map(\.piece))
        for step in 1...iterations {
            var gradient = [Double](repeating: 0, count: d)
            for (file, weight) in zip(files, share) {
                let logits = file.features.map { x in zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } }
                let top = logits.max()!
                let e = logits.map { exp($0 - top) }
                let total = e.reduce(0, +)
                for (k, x) in file.features.enumerated() {
                    let g = (e[k] / total - (k == file.target! ? 1 : 0)) * weight
                    for j in 0..<d { gradient[j] += g * x[j] }
                }
            }
            for j in 0..<d {
                let g = gradient[j] + lambda * w[j]
                m[j] = beta1 * m[j] + (1 - beta1) * g
                v[j] = beta2 * v[j] + (1 - beta2) * g * g
                let mHat = m[j] / (1 - pow(beta1, Double(step))), vHat = v[j] / (1 - pow(beta2, Double(step)))
                w[j] -= rate * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        return MetricalLevelModel(weights: w)
    }

    static func report(_ name: String, _ files: [File], _ model: MetricalLevelModel) {
        guard !files.isEmpty else { return }
        var acc1 = 0, acc2 = 0
        for file in files {
            guard let best = file.features.indices.max(by: { model.logit(file.features[$0]) < model.logit(file.features[$1]) })
            else { continue }
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
