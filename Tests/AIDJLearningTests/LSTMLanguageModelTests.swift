import AIDJCore
import Foundation
import Testing

@testable import AIDJLearning

@Suite("LSTM language model")
struct LSTMLanguageModelTests {
    static func batch(_ config: LSTMConfiguration, batch: Int, steps: Int, seed: UInt64) -> ([Int32], [Int32]) {
        var random = SplitMix64(scrambling: seed)
        let tokens = (0..<(batch * (steps + 1))).map { _ in Int32(random.next() % UInt64(config.vocabularySize)) }
        // Lane b reads tokens[b*(steps+1) ..< (b+1)*(steps+1)], laid out time-major.
        var inputs = [Int32](repeating: 0, count: batch * steps), targets = inputs
        for t in 0..<steps {
            for b in 0..<batch {
                inputs[t * batch + b] = tokens[b * (steps + 1) + t]
                targets[t * batch + b] = tokens[b * (steps + 1) + t + 1]
            }
        }
        return (inputs, targets)
    }

    func loss(
        _ model: LSTMLanguageModel, _ inputs: [Int32], _ targets: [Int32], batch: Int, steps: Int,
        state: LSTMLanguageModel.State
    ) -> Double {
        var s = state
        var random = SplitMix64(scrambling: 1)
        return model.trainStep(inputs: inputs, targets: targets, batch: batch, steps: steps, state: &s, random: &random)
            .loss
    }

    @Test("gradients match central finite differences (2 layers, nonzero initial state)")
    func gradientCheck() {
        let config = LSTMConfiguration(vocabularySize: 7, embeddingSize: 3, units: 4, layers: 2)
        let model = LSTMLanguageModel(configuration: config, seed: 42)
        let (inputs, targets) = Self.batch(config, batch: 2, steps: 5, seed: 3)
        var start = LSTMLanguageModel.State(configuration: config, batch: 2)
        var random = SplitMix64(scrambling: 9)
        for l in 0..<2 {
            for i in 0..<8 { start.h[l][i] = random.uniform(bound: 0.5); start.c[l][i] = random.uniform(bound: 0.5) }
        }
        _ = loss(model, inputs, targets, batch: 2, steps: 5, state: start)
        let analytic = model.gradients
        var worst = 0.0
        let epsilon: Float = 1e-2
        for i in model.parameters.indices {
            let saved = model.parameters[i]
            model.parameters[i] = saved + epsilon
            let plus = loss(model, inputs, targets, batch: 2, steps: 5, state: start)
            model.parameters[i] = saved - epsilon
            let minus = loss(model, inputs, targets, batch: 2, steps: 5, state: start)
            model.parameters[i] = saved
            let numeric = (plus - minus) / Double(2 * epsilon)
            let error = abs(numeric - Double(analytic[i])) / max(1e-3, abs(numeric) + abs(Double(analytic[i])))
            worst = max(worst, error)
        }
        #expect(worst < 0.02, "largest relative gradient error \(worst) over \(model.parameters.count) parameters")
    }

    @Test("a tiny corpus is learned to near-zero loss")
    func overfit() {
        let config = LSTMConfiguration(vocabularySize: 5, embeddingSize: 8, units: 32)
        let model = LSTMLanguageModel(configuration: config, seed: 7)
        let pattern: [Int32] = [2, 0, 3, 1, 4, 0, 2, 3]  // a repeating melody-like pattern
        let stream = (0..<65).map { pattern[$0 % pattern.count] }
        var adam = Adam(parameterCount: config.parameterCount, learningRate: 0.01)
        var random = SplitMix64(scrambling: 1)
        var last = 10.0
        for _ in 0..<300 {
            var state = LSTMLanguageModel.State(configuration: config, batch: 1)
            last =
                model.trainStep(
                    inputs: Array(stream.dropLast()), targets: Array(stream.dropFirst()), batch: 1, steps: 64,
                    state: &state, random: &random
                ).loss
            var g = model.gradients
            clipGradientNorm(&g, maxNorm: 5)
            adam.update(&model.parameters, gradients: g)
        }
        #expect(last < 0.05, "final loss \(last)")
        // After the first event the pattern is fully predictable from context; scoring agrees.
        let logProbabilities = model.logProbabilities(of: Array(stream.prefix(33)))
        #expect(logProbabilities.count == 32)
        #expect(-logProbabilities.dropFirst(8).reduce(0, +) / 24 < 0.05)
    }

    @Test("the same seed gives bit-identical weights after training")
    func determinism() {
        func train() -> [Float] {
            let config = LSTMConfiguration(vocabularySize: 9, embeddingSize: 4, units: 16, dropout: 0.2)
            let model = LSTMLanguageModel(configuration: config, seed: 5)
            let (inputs, targets) = Self.batch(config, batch: 4, steps: 10, seed: 2)
            var adam = Adam(parameterCount: config.parameterCount)
            var random = SplitMix64(scrambling: 3)
            var state = LSTMLanguageModel.State(configuration: config, batch: 4)
            for _ in 0..<5 {
                model.trainStep(inputs: inputs, targets: targets, batch: 4, steps: 10, state: &state, random: &random)
                adam.update(&model.parameters, gradients: model.gradients)
            }
            return model.parameters
        }
        #expect(train() == train())
    }

    @Test("step-by-step inference equals the sequence forward pass")
    func stepMatchesSequence() {
        let config = LSTMConfiguration(vocabularySize: 6, embeddingSize: 3, units: 8, layers: 2)
        let model = LSTMLanguageModel(configuration: config, seed: 11)
        let sequence: [Int32] = [1, 4, 2, 2, 5, 0, 3]
        let whole = model.logProbabilities(of: sequence)
        var state = LSTMLanguageModel.State(configuration: config, batch: 1)
        for t in 0..<(sequence.count - 1) {
            let logits = model.step([sequence[t]], state: &state).map(Double.init)
            let maximum = logits.max()!
            let logSum = log(logits.reduce(0) { $0 + exp($1 - maximum) }) + maximum
            #expect(abs((logits[Int(sequence[t + 1])] - logSum) - whole[t]) < 1e-5)
        }
    }

    @Test("Adam and clipping: known first step, norm capped")
    func optimizer() {
        var adam = Adam(parameterCount: 2, learningRate: 0.1)
        var p: [Float] = [1, -1]
        adam.update(&p, gradients: [0.5, -2])
        // First bias-corrected step moves each parameter by lr · sign(g).
        #expect(abs(p[0] - 0.9) < 1e-5 && abs(p[1] + 0.9) < 1e-5)
        var g: [Float] = [3, 4]
        #expect(clipGradientNorm(&g, maxNorm: 1) == 5)
        #expect(abs((g[0] * g[0] + g[1] * g[1]).squareRoot() - 1) < 1e-4)
    }
}

@Suite("Fast vector math")
struct FastMathTests {
    @Test("exp, sigmoid and tanh match libm over their useful range")
    func accuracy() {
        var worstExp: Float = 0, worstSigmoid: Float = 0, worstTanh: Float = 0
        var x: Float = -20
        while x <= 20 {
            let v = SIMD8<Float>(repeating: x)
            worstExp = max(worstExp, abs(FastMath.exp(v)[0] - exp(x)) / exp(x))
            worstSigmoid = max(worstSigmoid, abs(FastMath.sigmoid(v)[0] - 1 / (1 + exp(-x))))
            worstTanh = max(worstTanh, abs(FastMath.tanh(v)[0] - tanh(x)))
            x += 0.0137
        }
        #expect(worstExp < 1e-6, "exp relative error \(worstExp)")
        #expect(worstSigmoid < 1e-6, "sigmoid error \(worstSigmoid)")
        #expect(worstTanh < 1e-6, "tanh error \(worstTanh)")
        #expect(FastMath.exp(SIMD8(repeating: -200))[0] >= 0)
        #expect(FastMath.exp(SIMD8(repeating: 200))[0].isFinite)
    }
}

@Suite("Data-parallel training")
struct DataParallelTrainerTests {
    @Test("two workers give the single model's loss and gradients (to rounding), deterministically")
    func matchesSingleModel() {
        let config = LSTMConfiguration(vocabularySize: 11, embeddingSize: 6, units: 16)
        let (inputs, targets) = LSTMLanguageModelTests.batch(config, batch: 6, steps: 7, seed: 4)
        let single = LSTMLanguageModel(configuration: config, seed: 2)
        var state = LSTMLanguageModel.State(configuration: config, batch: 6)
        var random = SplitMix64(scrambling: 1)
        let reference = single.trainStep(
            inputs: inputs, targets: targets, batch: 6, steps: 7, state: &state, random: &random)
        func parallelRun() -> (Double, [Float]) {
            let model = LSTMLanguageModel(configuration: config, seed: 2)
            let trainer = DataParallelTrainer(model: model, workers: 2, batch: 6, seed: 1)
            let result = trainer.trainStep(inputs: inputs, targets: targets, batch: 6, steps: 7)
            return (result.loss, model.gradients)
        }
        let (loss, gradients) = parallelRun()
        #expect(abs(loss - reference.loss) < 1e-5)
        let worst = zip(gradients, single.gradients).map { abs($0 - $1) / max(1e-4, abs($1)) }.max() ?? 0
        #expect(worst < 1e-3, "largest relative gradient difference \(worst)")
        #expect(parallelRun().1 == gradients, "same workers, same bits")
    }
}
