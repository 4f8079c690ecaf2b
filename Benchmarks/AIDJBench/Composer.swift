import AIDJAnalysis
import AIDJComposer
import AIDJCore
import AIDJLearning
import Foundation

/// Composer figures: validation NLL over epochs, training throughput at 1 and 2 threads for 256 and 1024 units,
/// generation speed, and statistics of 100 generated melodies. `--export FILE` writes the exact train/validation
/// token streams for `Benchmarks/compare_torch.py`.
enum ComposerBench {
    static func run(arguments: [String]) throws {
        let corpusPath = Speed.value(of: "--corpus", in: arguments) ?? "fixtures/melodies"
        let epochs = Int(Speed.value(of: "--epochs", in: arguments) ?? "5") ?? 5
        let corpus = MelodyCorpus.load([corpusPath])
        let (train, valid) = corpus.split()
        print(
            "corpus \(corpusPath): \(train.count) training and \(valid.count) validation melodies, \(corpus.skipped.count) files skipped"
        )
        if let export = Speed.value(of: "--export", in: arguments) {
            let document: [String: [[Int32]]] = [
                "train": train.map(\.tokens), "valid": valid.map(\.tokens),
                "separator": [MelodyModel.separator],
            ]
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: export))
            print("wrote \(export)")
        }

        // Throughput: training steps of 64 lanes × 64 steps.
        print("\nTraining throughput (batch 64 × 64 steps, embedding 64):")
        for units in [256, 1024] {
            for (label, blasThreads, workers) in [
                ("1 thread", 1, 1), ("2 OpenBLAS threads", 2, 1), ("2 data-parallel workers", 1, 2),
            ] {
                BLAS.setThreads(blasThreads)
                let tokensPerSecond = throughput(
                    units: units, train: train, steps: units == 256 ? 40 : 8, workers: workers)
                print(String(format: "  1 × %4d units, %@: %8.0f tokens/s", units, label, tokensPerSecond))
            }
        }
        BLAS.setThreads(1)

        print("\nValidation NLL, 1 × 256 units, \(epochs) epochs, 1 thread:")
        var options = MelodyTrainingOptions()
        options.epochs = epochs
        options.patience = epochs
        let model = MelodyModel(options: options)
        try model.train(
            train, valid: valid,
            progress: { report in
                print(
                    String(
                        format: "  epoch %d: train %.4f, valid %.4f nats/event, accuracy %.4f, %.0f tokens/s",
                        report.epoch,
                        report.trainNLL, report.validNLL, report.validAccuracy, report.tokensPerSecond))
            })

        // Generation speed.
        var generator = MelodyGenerator()
        let started = Date()
        let steps = 5000
        _ = generator.generate(model: model, steps: steps)
        print(
            String(
                format: "\nGeneration: %.0f events/s (1 × 256, one thread)",
                Double(steps) / Date().timeIntervalSince(started)))

        // 100 melodies at temperature 1.
        var generated: [[Int32]] = []
        for seed in 1...100 {
            generator.seed = UInt64(seed)
            generated.append(generator.generate(model: model, steps: 8 * Melody.stepsPerBar))
        }
        let stats = MelodyStatistics(training: train.map(\.tokens), generated: generated)
        print(
            String(
                format:
                    "100 melodies of 8 bars at temperature 1: pitch-class histogram overlap %.3f, notes in best-fitting key %.3f, longest run copied from a training melody %d steps (%d notes)",
                stats.pitchClassOverlap, stats.inKeyShare, stats.longestCopiedRun, stats.longestCopiedNotes))
    }

    static func throughput(units: Int, train: [Melody], steps: Int, workers: Int) -> Double {
        var options = MelodyTrainingOptions()
        options.units = units
        let network = LSTMLanguageModel(configuration: options.configuration, seed: 1)
        let stream = train.flatMap { MelodyModel.separator + $0.tokens }
        let b = 64, t = 64
        var state = LSTMLanguageModel.State(configuration: network.configuration, batch: b)
        var random = SplitMix64(scrambling: 1)
        var adam = Adam(parameterCount: network.parameters.count)
        let parallel = workers > 1 ? DataParallelTrainer(model: network, workers: workers, batch: 64, seed: 1) : nil
        let lane = stream.count / b
        var started = Date()
        for step in 0...steps {
            if step == 1 { started = Date() }  // the first step warms caches and threads
            var inputs = [Int32](repeating: 0, count: b * t), targets = inputs
            for s in 0..<t {
                for l in 0..<b {
                    inputs[s * b + l] = stream[l * lane + (step * t + s) % (lane - 1)]
                    targets[s * b + l] = stream[l * lane + (step * t + s) % (lane - 1) + 1]
                }
            }
            if let parallel {
                _ = parallel.trainStep(inputs: inputs, targets: targets, batch: b, steps: t)
            } else {
                network.trainStep(inputs: inputs, targets: targets, batch: b, steps: t, state: &state, random: &random)
            }
            var g = network.gradients
            clipGradientNorm(&g, maxNorm: 5)
            adam.update(&network.parameters, gradients: g)
        }
        return Double(steps * b * t) / Date().timeIntervalSince(started)
    }
}

/// How generated melodies relate to the training set.
struct MelodyStatistics {
    var pitchClassOverlap: Double
    var inKeyShare: Double
    var longestCopiedRun: Int
    /// The same in notes: consecutive (pitch, onset gap, length) triples shared with one training melody.
    var longestCopiedNotes: Int

    init(training: [[Int32]], generated: [[Int32]]) {
        func histogram(_ sequences: [[Int32]]) -> [Double] {
            var h = [Double](repeating: 0, count: 12)
            for s in sequences { for t in s { if let p = Melody.pitch(token: t) { h[p % 12] += 1 } } }
            let total = h.reduce(0, +)
            return h.map { total > 0 ? $0 / total : 0 }
        }
        let a = histogram(training), b = histogram(generated)
        pitchClassOverlap = zip(a, b).map { min($0, $1) }.reduce(0, +)  // histogram intersection
        var inKey = 0, notes = 0
        for melody in generated {
            let pitches = melody.compactMap(Melody.pitch(token:))
            guard !pitches.isEmpty else { continue }
            let best =
                MusicalKey.all.map { key in
                    let scale = MelodyGenerator.scale(
                        of: key.mode == .minor ? MusicalKey(tonic: (key.tonic + 3) % 12, mode: .major) : key)
                    return pitches.filter { scale.contains($0 % 12) }.count
                }.max() ?? 0
            inKey += best
            notes += pitches.count
        }
        inKeyShare = notes > 0 ? Double(inKey) / Double(notes) : 0
        longestCopiedRun = Self.longestCommonRun(training, generated)
        func noteEvents(_ tokens: [Int32]) -> [Int32] {
            let list = Melody(tokens: tokens).notes
            return list.indices.map { i -> Int32 in
                let gap = i > 0 ? list[i].start - list[i - 1].start : 0
                return Int32(list[i].pitch) << 20 | Int32(min(gap, 1023)) << 10 | Int32(min(list[i].length, 1023))
            }
        }
        longestCopiedNotes = Self.longestCommonRun(training.map(noteEvents), generated.map(noteEvents))
    }

    /// Longest run shared by any generated and any training sequence (binary search on the length, hashing every
    /// training run of that length).
    static func longestCommonRun(_ training: [[Int32]], _ generated: [[Int32]]) -> Int {
        func hasCommonRun(_ length: Int) -> Bool {
            var seen = Set<[Int32]>()
            for s in training where s.count >= length {
                for i in 0...(s.count - length) { seen.insert(Array(s[i..<(i + length)])) }
            }
            for g in generated where g.count >= length {
                for i in 0...(g.count - length) where seen.contains(Array(g[i..<(i + length)])) { return true }
            }
            return false
        }
        var lo = 0, hi = generated.map(\.count).max() ?? 0
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if hasCommonRun(mid) { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
