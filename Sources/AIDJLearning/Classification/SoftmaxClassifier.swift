import AIDJCore
import Foundation

/// Multinomial logistic regression (softmax over classes, cross-entropy loss), optionally with one hidden ReLU
/// layer: the model `aidj` uses for genre and taste. Inputs should be standardized (``Standardizer``).
///
/// Training: mini-batch Adam on the mean class-weighted cross-entropy plus L2 on the weights (not the biases),
/// deterministic for a seed. Matrix work through CBLAS.
public final class SoftmaxClassifier {
    /// The shape of the network: input width, classes, and the hidden layer's width (0: none).
    public struct Configuration: Codable, Sendable, Equatable {
        public var inputs: Int
        public var classes: Int
        /// Hidden ReLU units; 0 for plain softmax regression. Default 0.
        public var hidden: Int = 0
        public init(inputs: Int, classes: Int, hidden: Int = 0) {
            self.inputs = inputs
            self.classes = classes
            self.hidden = hidden
        }

        var layerSizes: [Int] { hidden > 0 ? [inputs, hidden, classes] : [inputs, classes] }

        public var parameterCount: Int {
            zip(layerSizes, layerSizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
        }
    }

    /// How the classifier is trained: epochs, batch size, learning rate, L2 penalty, class weighting, seed.
    public struct TrainingOptions: Sendable {
        public var epochs = 200
        public var batchSize = 64
        public var learningRate: Float = 0.01
        /// L2 penalty λ on weights: loss + λ/2 · ‖W‖². Default 1e-3.
        public var l2: Float = 1e-3
        /// Per-class loss weights (nil: all 1). "Balanced" weights are n / (k · count(class)).
        public var classWeights: [Float]?
        public var seed: UInt64 = 1
        public init() {}
    }

    public let configuration: Configuration
    /// Weights and biases of each layer, flat: W (in × out, row-major) then b (out).
    public var parameters: [Float]
    public private(set) var gradients: [Float]

    /// A new classifier, its weights drawn from `seed` (Glorot-uniform), biases zero.
    public init(configuration: Configuration, seed: UInt64) {
        self.configuration = configuration
        var random = SplitMix64(scrambling: seed)
        parameters = []
        for (input, output) in zip(configuration.layerSizes, configuration.layerSizes.dropFirst()) {
            // Glorot/Xavier uniform (Glorot & Bengio 2010) for weights, zero biases.
            let bound = (6 / Float(input + output)).squareRoot()
            parameters += (0..<(input * output)).map { _ in random.uniform(bound: bound) }
            parameters += [Float](repeating: 0, count: output)
        }
        gradients = [Float](repeating: 0, count: parameters.count)
    }

    /// A classifier with stored weights.
    ///
    /// - Throws: ``LearningError`` (`.weightCount`) when `parameters` do not fit `configuration`.
    public init(configuration: Configuration, parameters: [Float]) throws(LearningError) {
        guard parameters.count == configuration.parameterCount else {
            throw LearningError(
                .weightCount,
                "classifier weights have \(parameters.count) values, the configuration needs \(configuration.parameterCount)"
            )
        }
        self.configuration = configuration
        self.parameters = parameters
        gradients = [Float](repeating: 0, count: parameters.count)
    }

    /// Balanced class weights n / (k · count), as scikit-learn's `class_weight="balanced"`.
    public static func balancedWeights(labels: [Int], classes: Int) -> [Float] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        return counts.map { $0 > 0 ? Float(labels.count) / Float(classes * $0) : 0 }
    }

    // MARK: Forward and backward

    /// Activations of every layer for a batch (rows × width each); the last holds class probabilities.
    func forward(_ x: [Float], rows: Int, softmax: Bool = true) -> [[Float]] {
        var activations = [x]
        var offset = 0
        let sizes = configuration.layerSizes
        for layer in 0..<(sizes.count - 1) {
            let input = sizes[layer], output = sizes[layer + 1]
            var z = [Float](repeating: 0, count: rows * output)
            parameters.withUnsafeBufferPointer { p in
                activations[layer].withUnsafeBufferPointer { a in
                    z.withUnsafeMutableBufferPointer { out in
                        BLAS.gemm(
                            m: rows, n: output, k: input, a.baseAddress!, lda: input, p.baseAddress! + offset,
                            ldb: output, out.baseAddress!, ldc: output)
                        for r in 0..<rows {
                            for j in 0..<output { out[r * output + j] += p[offset + input * output + j] }
                        }
                    }
                }
            }
            if layer < sizes.count - 2 {
                for i in z.indices where z[i] < 0 { z[i] = 0 }  // ReLU
            } else {
                if softmax { Self.softmaxRows(&z, rows: rows, classes: output) }
            }
            activations.append(z)
            offset += input * output + output
        }
        return activations
    }

    static func softmaxRows(_ z: inout [Float], rows: Int, classes: Int) {
        for r in 0..<rows {
            var maximum = -Float.infinity
            for k in 0..<classes { maximum = max(maximum, z[r * classes + k]) }
            var sum: Float = 0
            for k in 0..<classes {
                let e = exp(z[r * classes + k] - maximum)
                z[r * classes + k] = e
                sum += e
            }
            for k in 0..<classes { z[r * classes + k] /= sum }
        }
    }

    /// Loss (mean weighted cross-entropy + L2) and its gradient into ``gradients``.
    @discardableResult
    public func lossAndGradient(x: [Float], labels: [Int], weights: [Float]?, l2: Float) -> Double {
        let rows = labels.count
        let sizes = configuration.layerSizes
        let activations = forward(x, rows: rows)
        let classes = configuration.classes
        let probabilities = activations.last!
        var totalWeight: Float = 0
        for label in labels { totalWeight += weights?[label] ?? 1 }
        var loss = 0.0
        var delta = probabilities  // dL/dz of the output layer
        for r in 0..<rows {
            let w = (weights?[labels[r]] ?? 1) / totalWeight
            loss -= Double(w) * log(Double(max(probabilities[r * classes + labels[r]], 1e-12)))
            for k in 0..<classes { delta[r * classes + k] *= w }
            delta[r * classes + labels[r]] -= w
        }
        for i in gradients.indices { gradients[i] = 0 }
        // Layer offsets.
        var offsets: [Int] = []
        var offset = 0
        for layer in 0..<(sizes.count - 1) {
            offsets.append(offset)
            offset += sizes[layer] * sizes[layer + 1] + sizes[layer + 1]
        }
        for layer in stride(from: sizes.count - 2, through: 0, by: -1) {
            let input = sizes[layer], output = sizes[layer + 1], o = offsets[layer]
            gradients.withUnsafeMutableBufferPointer { g in
                activations[layer].withUnsafeBufferPointer { a in
                    delta.withUnsafeBufferPointer { d in
                        BLAS.gemm(
                            transposeA: true, m: input, n: output, k: rows, a.baseAddress!, lda: input,
                            d.baseAddress!, ldb: output, g.baseAddress! + o, ldc: output)
                        for r in 0..<rows { for j in 0..<output { g[o + input * output + j] += d[r * output + j] } }
                    }
                }
                for i in 0..<(input * output) {
                    g[o + i] += l2 * parameters[o + i]
                    loss += Double(0.5 * l2 * parameters[o + i] * parameters[o + i])
                }
            }
            if layer > 0 {
                var previous = [Float](repeating: 0, count: rows * input)
                parameters.withUnsafeBufferPointer { p in
                    delta.withUnsafeBufferPointer { d in
                        previous.withUnsafeMutableBufferPointer { out in
                            BLAS.gemm(
                                transposeB: true, m: rows, n: input, k: output, d.baseAddress!, lda: output,
                                p.baseAddress! + o, ldb: output, out.baseAddress!, ldc: input)
                        }
                    }
                }
                let a = activations[layer]
                for i in previous.indices where a[i] <= 0 { previous[i] = 0 }  // ReLU'
                delta = previous
            }
        }
        return loss
    }

    // MARK: Training and prediction

    /// Trains on standardized rows with labels in 0..<classes.
    ///
    /// - Returns: the training loss after each epoch.
    @discardableResult
    public func train(_ rows: [[Float]], labels: [Int], options: TrainingOptions) -> [Double] {
        precondition(rows.count == labels.count, "rows and labels differ in count")
        var adam = Adam(parameterCount: parameters.count, learningRate: options.learningRate)
        var random = SplitMix64(scrambling: options.seed)
        var order = Array(rows.indices)
        var losses: [Double] = []
        let d = configuration.inputs
        for _ in 0..<options.epochs {
            // Fisher–Yates with the seeded generator: the same seed, the same batches.
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(random.next() % UInt64(i + 1)))
            }
            var epochLoss = 0.0
            var start = 0
            while start < order.count {
                let batch = order[start..<min(start + options.batchSize, order.count)]
                var x = [Float]()
                x.reserveCapacity(batch.count * d)
                for i in batch { x += rows[i] }
                let loss = lossAndGradient(
                    x: x, labels: batch.map { labels[$0] }, weights: options.classWeights, l2: options.l2)
                adam.update(&parameters, gradients: gradients)
                epochLoss += loss * Double(batch.count)
                start += options.batchSize
            }
            losses.append(epochLoss / Double(max(order.count, 1)))
        }
        return losses
    }

    /// Class probabilities for each row (each sums to 1).
    public func probabilities(_ rows: [[Float]]) -> [[Float]] {
        guard !rows.isEmpty else { return [] }
        let k = configuration.classes
        let p = probabilities(flat: rows.flatMap { $0 }, rows: rows.count)
        return (0..<rows.count).map { Array(p[($0 * k)..<(($0 + 1) * k)]) }
    }

    /// Class probabilities for `rows` standardized rows laid end to end: `rows × classes` values, row-major.
    /// Works through the rows in blocks, so memory stays bounded for any count.
    public func probabilities(flat x: [Float], rows: Int) -> [Float] { outputs(flat: x, rows: rows, softmax: true) }

    /// The scores before the softmax (logits), `rows × classes` values: the learned, class-discriminating
    /// projection of the inputs.
    public func logits(flat x: [Float], rows: Int) -> [Float] { outputs(flat: x, rows: rows, softmax: false) }

    func outputs(flat x: [Float], rows: Int, softmax: Bool) -> [Float] {
        let d = configuration.inputs, k = configuration.classes
        precondition(x.count == rows * d, "expected \(rows) × \(d) values, got \(x.count)")
        var result = [Float]()
        result.reserveCapacity(rows * k)
        let block = 8192
        var start = 0
        while start < rows {
            let count = min(block, rows - start)
            result += forward(Array(x[(start * d)..<((start + count) * d)]), rows: count, softmax: softmax).last!
            start += count
        }
        return result
    }

    /// Standardizes `rows` with their own statistics and trains a classifier on them, with balanced class weights
    /// unless `options` brings its own. The last `unscaledColumns` columns (already on a unit scale: one-hot
    /// codes, sines) are passed through unstandardized.
    ///
    /// - Returns: the classifier and the standardizer to apply before it.
    public static func fitStandardized(
        _ rows: [[Float]], labels: [Int], classes: Int, hidden: Int, options: TrainingOptions, unscaledColumns: Int = 0
    ) -> (SoftmaxClassifier, Standardizer) {
        let scaled = (rows.first?.count ?? 0) - unscaledColumns
        let standardizer = Standardizer(fitting: rows.map { Array($0.prefix(scaled)) }).appendingIdentity(
            unscaledColumns)
        let model = SoftmaxClassifier(
            configuration: .init(inputs: rows.first?.count ?? 0, classes: classes, hidden: hidden), seed: options.seed)
        var training = options
        if training.classWeights == nil { training.classWeights = balancedWeights(labels: labels, classes: classes) }
        model.train(rows.map(standardizer.transform), labels: labels, options: training)
        return (model, standardizer)
    }

    /// The same classifier taking raw inputs: the standardization folded into the first layer
    /// (W′ = W / s row-wise, b′ = b − Σᵢ (mᵢ / sᵢ) Wᵢ), so scoring needs no separate pass over the inputs.
    public func folding(_ standardizer: Standardizer) -> SoftmaxClassifier {
        let input = configuration.inputs, output = configuration.layerSizes[1]
        precondition(standardizer.mean.count == input, "standardizer width differs from the classifier's inputs")
        var folded = parameters
        for i in 0..<input {
            let s = standardizer.scale[i], m = standardizer.mean[i]
            for j in 0..<output {
                let w = parameters[i * output + j]
                folded[i * output + j] = w / s
                folded[input * output + j] -= m / s * w
            }
        }
        return try! SoftmaxClassifier(configuration: configuration, parameters: folded)
    }
}
