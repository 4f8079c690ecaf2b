import AIDJAnalysis
import AIDJCore
import Foundation

/// `aidj-bench downbeat-features LABELS.csv… --out FEATURES.csv` and
/// `aidj-bench train-downbeat FEATURES.csv… [--out DownbeatModelWeights.swift] [--lambda L] [--start-lambda L]
/// [--iterations N] [--validate]`: the bar readings of every labelled file with bar positions, and the fit of
/// ``DownbeatModel`` on them.
///
/// Each estimated beat takes the bar position of the reference beat within ±70 ms (the beat F-measure's window),
/// and each reading is scored by its downbeat F-measure over those beats. The target of a file is its best
/// reading; files where fewer than half the estimated beats match a reference beat (wrong tempo or phase) are
/// left out of the fit and counted in the report. Split as `train-key`: by piece, half held out by the hash of
/// its name. Fitting: softmax cross-entropy over each file's seven readings, every set of material weighing the
/// same in total, plus `lambda` (0.001)·‖θ‖²/2, and `start-lambda` (0.01) instead on the weights of where the
/// first beat falls. Every groove render opens on its downbeat and most chorales with a one-beat upbeat, so a
/// weaker penalty lets that habit stand in for the cues; on held-out chorale renders 0.001, 0.01 and 0.1 gave
/// downbeat F 0.855, 0.863 and 0.825. `--validate` chooses both penalties without the held-out half instead, by
/// two-fold cross-validation on the training half (``choosePenalties(_:iterations:)``). Full-batch Adam (step
/// 0.05) from zeros, so the same data give the same weights.
enum TrainDownbeat {
    static func features(arguments: [String]) throws {
        let (labels, out) = try TrainTempo.filesAndOut(
            arguments, usage: "aidj-bench downbeat-features LABELS.csv… --out FEATURES.csv")
        guard let out else { throw BenchError("downbeat-features needs --out FEATURES.csv") }
        let rows = try labels.flatMap { try Eval.readRows($0) }.filter { $0.reference.barPositions != nil }
        let analyses = Eval.analyses(rows, jobs: ProcessInfo.processInfo.activeProcessorCount, progress: true)
        var csv =
            "file,group,meter,phase,matched,downbeat_f," + DownbeatModel.featureNames.joined(separator: ",") + "\n"
        for (row, analysis) in zip(rows, analyses) {
            guard let analysis, let reference = row.reference.barPositions else { continue }
            let positions = referencePositions(
                estimated: analysis.beats.times, reference: row.reference.beats, positions: reference)
            let matched = Double(positions.filter { $0 > 0 }.count) / Double(max(1, positions.count))
            for c in analysis.meterCandidates {
                let f = downbeatF(candidate: c, reference: positions)
                csv += "\(row.path),\(row.group),\(c.meter),\(c.phase),\(String(format: "%.3f", matched)),"
                csv += String(format: "%.4f,", f) + c.features.map { String(format: "%.6g", $0) }.joined(separator: ",")
                csv += "\n"
            }
        }
        try csv.write(toFile: out, atomically: true, encoding: .utf8)
        print("\(rows.count) files → \(out)")
    }

    /// The bar position of the reference beat nearest each estimated beat within ±70 ms, else 0.
    static func referencePositions(estimated: [Double], reference: [Double], positions: [Int]) -> [Int] {
        estimated.map { t in
            var best = 0, distance = 0.07
            for (j, r) in reference.enumerated() where abs(r - t) <= distance {
                distance = abs(r - t)
                best = positions[j]
            }
            return best
        }
    }

    /// Downbeat F-measure of a reading over the estimated beats: its downbeats against the beats matched to a
    /// reference downbeat.
    static func downbeatF(candidate: DownbeatModel.Candidate, reference: [Int]) -> Double {
        var hits = 0, estimated = 0, expected = 0
        for (i, r) in reference.enumerated() {
            let isDownbeat = candidate.position(ofBeat: i) == 1
            if isDownbeat { estimated += 1 }
            if r == 1 { expected += 1 }
            if isDownbeat && r == 1 { hits += 1 }
        }
        guard hits > 0 else { return 0 }
        let precision = Double(hits) / Double(estimated), recall = Double(hits) / Double(expected)
        return 2 * precision * recall / (precision + recall)
    }

    struct File {
        var piece: String
        var group: String
        var matched: Double
        var candidates: [DownbeatModel.Candidate]
        var scores: [Double]
        var target: Int { scores.indices.max { scores[$0] < scores[$1] }! }
        var usable: Bool { matched >= 0.5 && scores.max()! > 0 }
    }

    static func read(_ path: String) throws -> [File] {
        try TrainTempo.featureFiles(path, kind: "downbeat", columns: 6 + DownbeatModel.featureNames.count).map { file in
            let candidates = try file.rows.map { f in
                guard let meter = Int(f[2]), let phase = Int(f[3]) else {
                    throw BenchError(
                        "'\(path)': cannot read the meter and phase of '\(f.prefix(4).joined(separator: ","))'")
                }
                return DownbeatModel.Candidate(meter: meter, phase: phase, features: f[6...].map { Double($0) ?? 0 })
            }
            return File(
                piece: file.piece, group: file.group, matched: Double(file.rows[0][4]) ?? 0, candidates: candidates,
                scores: file.rows.map { Double($0[5]) ?? 0 })
        }
    }

    static func run(arguments: [String]) throws {
        let (options, rest) = TrainTempo.numericOptions(
            arguments, ["lambda": 1e-3, "start-lambda": 0.01, "iterations": 5000])
        let iterations = Int(options["iterations"]!)
        let validate = rest.contains("--validate")
        let (paths, out) = try TrainTempo.filesAndOut(
            rest.filter { $0 != "--validate" },
            usage: "aidj-bench train-downbeat FEATURES.csv… [--out FILE.swift] [--validate]")
        let (train, heldOut) = TrainTempo.split(try paths.flatMap(read), piece: \.piece)
        let (lambda, startLambda) =
            validate
            ? choosePenalties(train, iterations: iterations) : (options["lambda"]!, options["start-lambda"]!)
        let model = fit(train.filter(\.usable), lambda: lambda, startLambda: startLambda, iterations: iterations)
        for (name, files) in [("training", train), ("held out", heldOut)] {
            for group in Array(Set(files.map(\.group))).sorted() {
                report("\(name), \(group)", files.filter { $0.group == group }, model)
            }
            report("\(name), all", files, model)
        }
        if let out {
            let (sets, list) = (TrainTempo.fileNames(paths), TrainTempo.list)
            try TrainTempo.writeWeights(
                """
                // Written by `aidj-bench train-downbeat` (λ = \(lambda), start features \(startLambda), \(iterations) iterations)
                // from \(sets): bar readings that aidj extracted from the development sets (Benchmarks/datasets/),
                // training half of the pieces. Regenerate rather than edit. Entries: DownbeatModel.featureNames.
                enum DownbeatModelWeights {
                    static let triple: [Double] = [\(list(model.tripleWeights))]
                    static let quadruple: [Double] = [\(list(model.quadrupleWeights))]
                    static let tripleBias = \(String(format: "%.6f", model.tripleBias))
                }

                """, to: out)
        }
    }

    /// `--validate`: the two penalties chosen without the held-out half, by two-fold cross-validation as
    /// `train-tempo --validate` chooses its λ: the training half split again by piece, each pair of a grid fitted on
    /// one part and scored on the other, both ways round, by downbeat F-measure averaged over the families of
    /// material (as the fit weighs them). The best pair wins; on a tie, the stronger penalties.
    static func choosePenalties(_ train: [File], iterations: Int) -> (lambda: Double, startLambda: Double) {
        let parts = [
            train.filter { !TrainKey.isHeldOut(piece: $0.piece, bit: 1) },
            train.filter { TrainKey.isHeldOut(piece: $0.piece, bit: 1) },
        ]
        print("validating penalties: two folds of \(parts[0].count) and \(parts[1].count) files")
        var best = (lambda: 0.0, startLambda: 0.0, f: -1.0)
        for lambda in [1e-4, 1e-3, 1e-2] {
            for startLambda in [1e-3, 1e-2, 0.1] {
                var perFamily: [String: (sum: Double, count: Int)] = [:]
                for (fitting, validation) in [(parts[0], parts[1]), (parts[1], parts[0])] {
                    let model = fit(
                        fitting.filter(\.usable), lambda: lambda, startLambda: startLambda, iterations: iterations)
                    for file in validation {
                        let family = TrainKey.family(file.piece)
                        perFamily[family, default: (0, 0)].sum += file.scores[choice(file, model)]
                        perFamily[family, default: (0, 0)].count += 1
                    }
                }
                let f =
                    perFamily.values.map { $0.sum / Double($0.count) }.reduce(0, +) / Double(max(1, perFamily.count))
                let detail = perFamily.sorted { $0.key < $1.key }.map {
                    String(format: "%@ %.3f", $0.key, $0.value.sum / Double($0.value.count))
                }.joined(separator: ", ")
                print(
                    String(
                        format: "  λ %g, start λ %g: validation downbeat F %.3f (%@)", lambda, startLambda, f, detail))
                if f >= best.f { best = (lambda, startLambda, f) }
            }
        }
        print(String(format: "λ = %g, start λ = %g", best.lambda, best.startLambda))
        return (best.lambda, best.startLambda)
    }

    /// The reading `model` chooses for `file`.
    static func choice(_ file: File, _ model: DownbeatModel) -> Int {
        file.candidates.indices.max { model.logit(file.candidates[$0]) < model.logit(file.candidates[$1]) }!
    }

    static func fit(_ files: [File], lambda: Double, startLambda: Double, iterations: Int) -> DownbeatModel {
        let d = DownbeatModel.featureNames.count
        let startFeatures = Set(
            DownbeatModel.featureNames.indices.filter { DownbeatModel.featureNames[$0].hasPrefix("starts_") })
        let penalty = (0..<(2 * d + 1)).map { startFeatures.contains($0 % d) && $0 < 2 * d ? startLambda : lambda }
        // θ: triple weights, quadruple weights, triple bias.
        var theta = [Double](repeating: 0, count: 2 * d + 1)
        var m = theta, v = theta
        let rate = 0.05, beta1 = 0.9, beta2 = 0.999
        let share = TrainKey.setWeights(files.map(\.piece))
        func model() -> DownbeatModel {
            DownbeatModel(
                tripleWeights: Array(theta[0..<d]), quadrupleWeights: Array(theta[d..<(2 * d)]),
                tripleBias: theta[2 * d])
        }
        for step in 1...iterations {
            let current = model()
            var g = [Double](repeating: 0, count: theta.count)
            for (file, weight) in zip(files, share) {
                let logits = file.candidates.map(current.logit)
                let top = logits.max()!
                let e = logits.map { exp($0 - top) }
                let total = e.reduce(0, +)
                for (k, c) in file.candidates.enumerated() {
                    let dLogit = (e[k] / total - (k == file.target ? 1 : 0)) * weight
                    let offset = c.meter == 3 ? 0 : d
                    for j in 0..<d { g[offset + j] += dLogit * c.features[j] }
                    if c.meter == 3 { g[2 * d] += dLogit }
                }
            }
            // The opening's weights are one set for both meters (`DownbeatModel`: 3/4 is a seventh of the chorales
            // and none of the grooves): each copy takes the summed gradient, so from equal starts they stay equal.
            for j in startFeatures {
                g[j] += g[d + j]
                g[d + j] = g[j]
            }
            for j in theta.indices {
                let gj = g[j] + penalty[j] * theta[j]
                m[j] = beta1 * m[j] + (1 - beta1) * gj
                v[j] = beta2 * v[j] + (1 - beta2) * gj * gj
                let mHat = m[j] / (1 - pow(beta1, Double(step))), vHat = v[j] / (1 - pow(beta2, Double(step)))
                theta[j] -= rate * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        return model()
    }

    static func report(_ name: String, _ files: [File], _ model: DownbeatModel) {
        guard !files.isEmpty else { return }
        var chosen = 0.0, best = 0.0
        for file in files {
            chosen += file.scores[choice(file, model)]
            best += file.scores.max()!
        }
        let usable = files.filter(\.usable).count
        print(
            String(
                format: "%@ (%d, %d usable): downbeat F %.3f (best reading %.3f)", name, files.count, usable,
                chosen / Double(files.count), best / Double(files.count)))
    }
}
