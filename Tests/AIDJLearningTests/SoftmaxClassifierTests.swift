import AIDJCore
import Foundation
import Testing

@testable import AIDJLearning

@Suite("Softmax classifier")
struct SoftmaxClassifierTests {
    /// Gaussian blobs: `classes` centres in `dimensions`, seeded.
    static func blobs(perClass: Int, classes: Int, dimensions: Int, spread: Float, seed: UInt64) -> ([[Float]], [Int]) {
        var random = SplitMix64(scrambling: seed)
        let centres = (0..<classes).map { _ in (0..<dimensions).map { _ in random.uniform(bound: 3) } }
        var rows: [[Float]] = [], labels: [Int] = []
        for k in 0..<classes {
            for _ in 0..<perClass {
                rows.append(centres[k].map { $0 + spread * random.normal() })
                labels.append(k)
            }
        }
        return (rows, labels)
    }

    @Test("gradients match finite differences (with a hidden layer, class weights and L2)", arguments: [0, 5])
    func gradientCheck(hidden: Int) {
        let (rows, labels) = Self.blobs(perClass: 4, classes: 3, dimensions: 4, spread: 1, seed: 2)
        let model = SoftmaxClassifier(configuration: .init(inputs: 4, classes: 3, hidden: hidden), seed: 3)
        let x = rows.flatMap { $0 }
        let weights: [Float] = [1, 2, 0.5]
        model.lossAndGradient(x: x, labels: labels, weights: weights, l2: 0.01)
        let analytic = model.gradients
        var worst = 0.0
        for i in model.parameters.indices {
            let saved = model.parameters[i]
            model.parameters[i] = saved + 1e-2
            let plus = model.lossAndGradient(x: x, labels: labels, weights: weights, l2: 0.01)
            model.parameters[i] = saved - 1e-2
            let minus = model.lossAndGradient(x: x, labels: labels, weights: weights, l2: 0.01)
            model.parameters[i] = saved
            let numeric = (plus - minus) / 2e-2
            worst = max(worst, abs(numeric - Double(analytic[i])) / max(1e-3, abs(numeric) + abs(Double(analytic[i]))))
        }
        #expect(worst < 0.02, "largest relative gradient error \(worst)")
    }

    @Test("separable blobs are learned; probabilities sum to 1; the same seed gives the same weights")
    func blobsLearned() {
        let (rows, labels) = Self.blobs(perClass: 60, classes: 4, dimensions: 6, spread: 0.5, seed: 7)
        let standardizer = Standardizer(fitting: rows)
        let x = rows.map(standardizer.transform)
        func train() -> SoftmaxClassifier {
            let model = SoftmaxClassifier(configuration: .init(inputs: 6, classes: 4), seed: 1)
            var options = SoftmaxClassifier.TrainingOptions()
            options.epochs = 60
            model.train(x, labels: labels, options: options)
            return model
        }
        let model = train()
        let probabilities = model.probabilities(x)
        #expect(probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-4 })
        let metrics = ClassificationMetrics(probabilities: probabilities, labels: labels, classes: 4)
        #expect(metrics.accuracy > 0.97, "\(metrics)")
        #expect(metrics.macroF1 > 0.97)
        #expect(metrics.logLoss < 0.15)
        #expect(train().parameters == model.parameters)
    }

    @Test("metrics: known confusion, macro-F1 and log-loss")
    func metrics() {
        let p: [[Float]] = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]
        let m = ClassificationMetrics(probabilities: p, labels: [0, 1, 1, 1], classes: 2)
        #expect(m.confusion == [[1, 0], [1, 2]])
        #expect(m.accuracy == 0.75)
        // F1(class 0) = 2·1/(1+2) = 0.667, F1(class 1) = 2·2/(3+2) = 0.8.
        #expect(abs(m.macroF1 - (2.0 / 3 + 0.8) / 2) < 1e-9)
        let expected = -(log(0.9) + log(0.8) + log(0.4) + log(0.7)) / 4
        #expect(abs(m.logLoss - expected) < 1e-6)
    }

    @Test("stratified folds hold every class in every fold; standardizer handles constant features")
    func foldsAndScaling() {
        let labels = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 5)
        let folds = ClassificationMetrics.stratifiedFolds(labels: labels, folds: 5, seed: 1)
        for f in 0..<5 {
            #expect(labels.indices.contains { folds[$0] == f && labels[$0] == 0 })
            #expect(labels.indices.contains { folds[$0] == f && labels[$0] == 1 })
        }
        let s = Standardizer(fitting: [[1, 5], [3, 5]])
        #expect(s.transform([2, 5]) == [0, 0])
        #expect(s.transform([3, 5]) == [1, 0])
    }

    @Test("balanced class weights: n / (k · count)")
    func balanced() {
        #expect(SoftmaxClassifier.balancedWeights(labels: [0, 0, 0, 1], classes: 2) == [4.0 / 6, 2])
    }

    @Test("ROC AUC: known answers for perfect, reversed, tied and mixed rankings")
    func auc() {
        #expect(ClassificationMetrics.auc(scores: [0.1, 0.2, 0.8, 0.9], positives: [false, false, true, true]) == 1)
        #expect(ClassificationMetrics.auc(scores: [0.9, 0.8, 0.2, 0.1], positives: [false, false, true, true]) == 0)
        #expect(ClassificationMetrics.auc(scores: [0.5, 0.5, 0.5], positives: [true, false, false]) == 0.5)
        // Pairs (pos, neg): (0.8 > 0.3), (0.8 > 0.6), (0.4 > 0.3), (0.4 < 0.6): 3 of 4.
        #expect(
            ClassificationMetrics.auc(scores: [0.8, 0.4, 0.3, 0.6], positives: [true, true, false, false]) == 0.75)
        #expect(ClassificationMetrics.auc(scores: [0.8], positives: [true]) == nil)
    }

    /// The classifier's forward pass written out with plain loops in Double: weights row-major (input × output)
    /// then biases, per layer; ReLU between layers; softmax at the end.
    static func referenceProbabilities(_ model: SoftmaxClassifier, _ x: [Float]) -> [Double] {
        let c = model.configuration
        let sizes = c.hidden > 0 ? [c.inputs, c.hidden, c.classes] : [c.inputs, c.classes]
        var a = x.map(Double.init)
        var offset = 0
        for layer in 0..<(sizes.count - 1) {
            let input = sizes[layer], output = sizes[layer + 1]
            var z = (0..<output).map { j in Double(model.parameters[offset + input * output + j]) }
            for i in 0..<input {
                for j in 0..<output { z[j] += a[i] * Double(model.parameters[offset + i * output + j]) }
            }
            offset += input * output + output
            a = layer < sizes.count - 2 ? z.map { max(0, $0) } : z
        }
        let top = a.max()!
        let e = a.map { exp($0 - top) }
        return e.map { $0 / e.reduce(0, +) }
    }

    @Test("scoring (per row and batched) matches a plain-loop reference; folding the standardizer in changes nothing")
    func flatScoring() {
        let x: [[Float]] = [[1, 2, 0], [3, 5, 1], [2, 9, 0], [0, 1, 1]]
        let standardizer = Standardizer(fitting: x.map { Array($0.prefix(2)) }).appendingIdentity(1)
        #expect(standardizer.transform([1, 2, 1]).last == 1)
        for hidden in [0, 4] {
            let model = SoftmaxClassifier(configuration: .init(inputs: 3, classes: 3, hidden: hidden), seed: 5)
            let expected = x.flatMap { Self.referenceProbabilities(model, $0) }
            let rows = model.probabilities(x).flatMap { $0 }
            let batched = model.probabilities(flat: x.flatMap { $0 }, rows: x.count)
            #expect(rows.count == expected.count && batched.count == expected.count)
            for (a, b) in zip(rows, expected) { #expect(abs(Double(a) - b) < 1e-6, "hidden \(hidden)") }
            for (a, b) in zip(batched, expected) { #expect(abs(Double(a) - b) < 1e-6, "hidden \(hidden)") }
            // Folding the standardization into the first layer gives the same probabilities on raw rows.
            let raw = model.folding(standardizer).probabilities(flat: x.flatMap { $0 }, rows: x.count)
            let scaled = x.map(standardizer.transform).flatMap { Self.referenceProbabilities(model, $0) }
            for (a, b) in zip(raw, scaled) { #expect(abs(Double(a) - b) < 1e-5, "hidden \(hidden)") }
        }
    }
}
