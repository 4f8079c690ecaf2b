import AIDJCore
import AIDJLearning
import Foundation

/// The softmax classifier against scikit-learn's multinomial LogisticRegression on identical standardized data
/// (overlapping Gaussian blobs, a fixed train/test split), and its training speed on 10k rows.
/// `--export FILE` writes the data for `Benchmarks/compare_sklearn.py`.
enum ClassifierBench {
    static func run(arguments: [String]) throws {
        var random = SplitMix64(scrambling: 42)
        let classes = 6, dimensions = 82, perClass = 500
        let centres = (0..<classes).map { _ in (0..<dimensions).map { _ in random.uniform(bound: 0.35) } }
        var rows: [[Float]] = [], labels: [Int] = []
        for k in 0..<classes {
            for _ in 0..<perClass {
                rows.append(centres[k].map { $0 + random.normal() })
                labels.append(k)
            }
        }
        let test = Set(rows.indices.filter { $0 % 5 == 0 })
        let trainRows = rows.indices.filter { !test.contains($0) }, testRows = rows.indices.filter { test.contains($0) }
        let standardizer = Standardizer(fitting: trainRows.map { rows[$0] })
        let x = rows.map(standardizer.transform)
        var options = SoftmaxClassifier.TrainingOptions()
        options.epochs = 300
        options.l2 = 1e-2
        options.learningRate = 3e-3
        let model = SoftmaxClassifier(configuration: .init(inputs: dimensions, classes: classes), seed: 1)
        let started = Date()
        model.train(trainRows.map { x[$0] }, labels: trainRows.map { labels[$0] }, options: options)
        let seconds = Date().timeIntervalSince(started)
        let metrics = ClassificationMetrics(
            probabilities: model.probabilities(testRows.map { x[$0] }),
            labels: testRows.map { labels[$0] }, classes: classes)
        print(
            String(
                format:
                    "aidj softmax (L2 %.0e, %d epochs): test accuracy %.4f, log-loss %.4f, macro-F1 %.4f; trained in %.2f s",
                Double(options.l2), options.epochs, metrics.accuracy, metrics.logLoss, metrics.macroF1, seconds))
        if let export = Speed.value(of: "--export", in: arguments) {
            let document: [String: Any] = [
                "train_x": trainRows.map { x[$0].map(Double.init) }, "train_y": trainRows.map { labels[$0] },
                "test_x": testRows.map { x[$0].map(Double.init) }, "test_y": testRows.map { labels[$0] },
                "l2": Double(options.l2),
            ]
            try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: export))
            print("wrote \(export)")
        }
        // Speed: 10k rows × 82 features, 8 classes, 20 epochs, one thread.
        BLAS.setThreads(1)
        let big = (0..<10_000).map { _ in (0..<dimensions).map { _ in random.normal() } }
        let bigLabels = (0..<10_000).map { $0 % 8 }
        var quick = SoftmaxClassifier.TrainingOptions()
        quick.epochs = 20
        let fast = SoftmaxClassifier(configuration: .init(inputs: dimensions, classes: 8), seed: 2)
        let t0 = Date()
        fast.train(big, labels: bigLabels, options: quick)
        print(
            String(
                format: "training on 10,000 × %d features, 8 classes, 20 epochs: %.2f s (one thread)", dimensions,
                Date().timeIntervalSince(t0)))
    }
}
