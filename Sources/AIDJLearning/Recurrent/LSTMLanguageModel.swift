public import AIDJCore
import Foundation

/// Shape of a token-sequence model: embedding → stacked LSTM layers → dense softmax over the vocabulary.
public struct LSTMConfiguration: Codable, Sendable, Equatable {
    public var vocabularySize: Int
    /// Embedding width. Default 64.
    public var embeddingSize: Int = 64
    /// LSTM units per layer. Default 256.
    public var units: Int = 256
    /// Stacked LSTM layers. Default 1.
    public var layers: Int = 1
    /// Dropout probability on each LSTM layer's output while training, in [0, 1). Default 0.
    public var dropout: Float = 0

    public init(vocabularySize: Int, embeddingSize: Int = 64, units: Int = 256, layers: Int = 1, dropout: Float = 0) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.units = units
        self.layers = layers
        self.dropout = dropout
    }

    /// Number of Float parameters.
    public var parameterCount: Int { ParameterLayout(self).count }
}

/// Where each tensor lives in the flat parameter vector (row-major tensors, one after another).
struct ParameterLayout {
    struct Layer {
        var inputSize: Int
        /// W: inputSize × 4H, U: H × 4H, b: 4H. Gate order i, f, g, o (as PyTorch).
        var w: Int, u: Int, b: Int
    }

    var embedding = 0
    var layers: [Layer] = []
    /// Dense weights H × V and bias V.
    var dense = 0, denseBias = 0
    var count = 0

    init(_ c: LSTMConfiguration) {
        var offset = c.vocabularySize * c.embeddingSize
        let h = c.units
        for l in 0..<c.layers {
            let input = l == 0 ? c.embeddingSize : h
            layers.append(
                Layer(inputSize: input, w: offset, u: offset + input * 4 * h, b: offset + input * 4 * h + h * 4 * h))
            offset += input * 4 * h + h * 4 * h + 4 * h
        }
        dense = offset
        denseBias = offset + h * c.vocabularySize
        count = denseBias + c.vocabularySize
    }
}

/// An LSTM language model over tokens (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000,
/// as `torch.nn.LSTM`), trained by truncated backpropagation through time.
///
/// All matrix work goes through CBLAS: the input projection of every timestep of a layer is one GEMM, the
/// recurrent product one GEMM per step, the gate nonlinearities one fused pass; the backward pass mirrors it
/// (one GEMM per step for the recurrent gradient, then one each for the weight gradients over all steps).
/// Sequences are time-major: row `t · batch + b` is timestep t of lane b.
public final class LSTMLanguageModel {
    public let configuration: LSTMConfiguration
    /// All weights, flat (see `ParameterLayout`).
    public var parameters: [Float]
    /// Gradients of the last `trainStep`, same layout.
    public internal(set) var gradients: [Float]
    let layout: ParameterLayout

    /// Hidden and cell state per layer, each `batch × units`.
    public struct State: Sendable {
        public var h: [[Float]]
        public var c: [[Float]]
        public let batch: Int

        public init(configuration: LSTMConfiguration, batch: Int) {
            self.batch = batch
            h = [[Float]](
                repeating: [Float](repeating: 0, count: batch * configuration.units), count: configuration.layers)
            c = h
        }
    }

    /// A new model with PyTorch's default initialization: embeddings N(0, 1); LSTM and dense weights and biases
    /// U(−1/√H, 1/√H).
    public init(configuration: LSTMConfiguration, seed: UInt64) {
        self.configuration = configuration
        layout = ParameterLayout(configuration)
        var random = SplitMix64(scrambling: seed)
        parameters = [Float](repeating: 0, count: layout.count)
        let bound = 1 / Float(configuration.units).squareRoot()
        let embeddingEnd = layout.layers.first?.w ?? layout.dense
        for i in 0..<embeddingEnd { parameters[i] = random.normal() }
        for i in embeddingEnd..<layout.count { parameters[i] = random.uniform(bound: bound) }
        gradients = [Float](repeating: 0, count: layout.count)
    }

    /// A model with given weights (from storage).
    public init(configuration: LSTMConfiguration, parameters: [Float]) throws(LearningError) {
        self.configuration = configuration
        layout = ParameterLayout(configuration)
        guard parameters.count == layout.count else {
            throw LearningError(
                .weightCount,
                "model weights have \(parameters.count) values, the configuration needs \(layout.count)")
        }
        self.parameters = parameters
        gradients = [Float](repeating: 0, count: layout.count)
    }

    // MARK: - Forward

    /// What the forward pass keeps for the backward pass, per layer.
    struct LayerTrace {
        var input: [Float]  // rows × D
        var gates: [Float]  // rows × 4H, after the nonlinearities
        var cells: [Float]  // rows × H
        var tanhCells: [Float]  // rows × H
        var outputs: [Float]  // rows × H (before dropout)
        var dropoutMask: [Float]?  // rows × H, already scaled by 1/(1−p)
        var h0: [Float], c0: [Float]
    }

    struct Trace {
        var layers: [LayerTrace] = []
        var top: [Float] = []  // rows × H, after dropout
        var logits: [Float] = []  // rows × V
    }

    /// Runs `steps` timesteps of `batch` lanes from `state`; returns the trace, updates `state` to the last step.
    func forward(_ tokens: [Int32], batch: Int, steps: Int, state: inout State, dropout random: inout SplitMix64?)
        -> Trace
    {
        let h = configuration.units, rows = batch * steps, e = configuration.embeddingSize
        var trace = Trace()
        var x = [Float](repeating: 0, count: rows * e)
        parameters.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                let token = Int(tokens[r])
                for k in 0..<e { x[r * e + k] = p[layout.embedding + token * e + k] }
            }
        }
        for (l, shape) in layout.layers.enumerated() {
            var gates = [Float](repeating: 0, count: rows * 4 * h)
            var cells = [Float](repeating: 0, count: rows * h)
            var tanhCells = cells, outputs = cells
            let d = shape.inputSize
            parameters.withUnsafeBufferPointer { p in
                let w = p.baseAddress! + shape.w, u = p.baseAddress! + shape.u, bias = p.baseAddress! + shape.b
                let h0 = state.h[l], c0 = state.c[l]
                gates.withUnsafeMutableBufferPointer { z in
                    // Input projection of every timestep at once, then the bias.
                    x.withUnsafeBufferPointer {
                        BLAS.gemm(
                            m: rows, n: 4 * h, k: d, $0.baseAddress!, lda: d, w, ldb: 4 * h, z.baseAddress!, ldc: 4 * h)
                    }
                    for r in 0..<rows { for j in 0..<(4 * h) { z[r * 4 * h + j] += bias[j] } }
                    cells.withUnsafeMutableBufferPointer { cOut in
                        tanhCells.withUnsafeMutableBufferPointer { tcOut in
                            outputs.withUnsafeMutableBufferPointer { hOut in
                                h0.withUnsafeBufferPointer { h0 in
                                    c0.withUnsafeBufferPointer { c0 in
                                        for t in 0..<steps {
                                            let zt = z.baseAddress! + t * batch * 4 * h
                                            let hPrev =
                                                t == 0
                                                ? h0.baseAddress!
                                                : UnsafePointer(hOut.baseAddress! + (t - 1) * batch * h)
                                            let cPrev =
                                                t == 0
                                                ? c0.baseAddress!
                                                : UnsafePointer(cOut.baseAddress! + (t - 1) * batch * h)
                                            BLAS.gemm(
                                                m: batch, n: 4 * h, k: h, hPrev, lda: h, u, ldb: 4 * h, beta: 1, zt,
                                                ldc: 4 * h)
                                            Self.cell(
                                                zt, cPrev, cOut.baseAddress! + t * batch * h,
                                                tcOut.baseAddress! + t * batch * h,
                                                hOut.baseAddress! + t * batch * h, batch: batch, units: h)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            var mask: [Float]?
            var layerOutput = outputs
            if configuration.dropout > 0, var generator = random {
                let keep = 1 - configuration.dropout
                let m = (0..<(rows * h)).map { _ in generator.uniform() < keep ? 1 / keep : 0 }
                for i in 0..<(rows * h) { layerOutput[i] *= m[i] }
                mask = m
                random = generator
            }
            trace.layers.append(
                LayerTrace(
                    input: x, gates: gates, cells: cells, tanhCells: tanhCells, outputs: outputs,
                    dropoutMask: mask, h0: state.h[l], c0: state.c[l]))
            state.h[l] = Array(outputs[((steps - 1) * batch * h)...])
            state.c[l] = Array(cells[((steps - 1) * batch * h)...])
            x = layerOutput
        }
        trace.top = x
        trace.logits = logits(of: x, rows: rows)
        return trace
    }

    /// The fused LSTM cell for one timestep: gates in place (i, f, g, o after σ/tanh), then c and h; eight units at
    /// a time with ``FastMath``, the remainder one by one.
    @inline(__always)
    static func cell(
        _ z: UnsafeMutablePointer<Float>, _ cPrev: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        _ tc: UnsafeMutablePointer<Float>, _ hOut: UnsafeMutablePointer<Float>, batch: Int, units h: Int
    ) {
        let vectorEnd = h - h % 8
        for b in 0..<batch {
            let row = z + b * 4 * h
            var j = 0
            while j < vectorEnd {
                let i = FastMath.sigmoid(load(row + j))
                let f = FastMath.sigmoid(load(row + h + j))
                let g = FastMath.tanh(load(row + 2 * h + j))
                let o = FastMath.sigmoid(load(row + 3 * h + j))
                store(i, row + j)
                store(f, row + h + j)
                store(g, row + 2 * h + j)
                store(o, row + 3 * h + j)
                let cell = f * load(cPrev + b * h + j) + i * g
                let t = FastMath.tanh(cell)
                store(cell, c + b * h + j)
                store(t, tc + b * h + j)
                store(o * t, hOut + b * h + j)
                j += 8
            }
            while j < h {
                let i = 1 / (1 + Foundation.exp(-row[j]))
                let f = 1 / (1 + Foundation.exp(-row[h + j]))
                let g = Foundation.tanh(row[2 * h + j])
                let o = 1 / (1 + Foundation.exp(-row[3 * h + j]))
                row[j] = i
                row[h + j] = f
                row[2 * h + j] = g
                row[3 * h + j] = o
                let cell = f * cPrev[b * h + j] + i * g
                let t = Foundation.tanh(cell)
                c[b * h + j] = cell
                tc[b * h + j] = t
                hOut[b * h + j] = o * t
                j += 1
            }
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    func logits(of top: [Float], rows: Int) -> [Float] {
        let h = configuration.units, v = configuration.vocabularySize
        var out = [Float](repeating: 0, count: rows * v)
        parameters.withUnsafeBufferPointer { p in
            top.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { o in
                    BLAS.gemm(
                        m: rows, n: v, k: h, x.baseAddress!, lda: h, p.baseAddress! + layout.dense, ldb: v,
                        o.baseAddress!, ldc: v)
                    for r in 0..<rows { for k in 0..<v { o[r * v + k] += p[layout.denseBias + k] } }
                }
            }
        }
        return out
    }

    // MARK: - Training

    /// Forward and backward over `batch` lanes of `steps` tokens: `inputs[t·batch + b]` predicts
    /// `targets[t·batch + b]`. Fills ``gradients`` with d(mean cross-entropy)/dθ and carries `state` forward
    /// (truncated BPTT: no gradient flows into the state it started from).
    ///
    /// - Returns: the mean cross-entropy (nats per token) and the number of correct argmax predictions.
    @discardableResult
    public func trainStep(
        inputs: [Int32], targets: [Int32], batch: Int, steps: Int, state: inout State,
        random: inout SplitMix64
    ) -> (loss: Double, correct: Int) {
        var dropout: SplitMix64? = configuration.dropout > 0 ? random : nil
        let trace = forward(inputs, batch: batch, steps: steps, state: &state, dropout: &dropout)
        if let dropout { random = dropout }
        let rows = batch * steps, v = configuration.vocabularySize, h = configuration.units
        var (loss, correct, dLogits) = Self.softmaxCrossEntropy(trace.logits, targets: targets, rows: rows, classes: v)
        loss /= Double(rows)
        for i in gradients.indices { gradients[i] = 0 }
        // Dense layer.
        var dTop = [Float](repeating: 0, count: rows * h)
        parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                trace.top.withUnsafeBufferPointer { x in
                    dLogits.withUnsafeMutableBufferPointer { d in
                        BLAS.gemm(
                            transposeA: true, m: h, n: v, k: rows, x.baseAddress!, lda: h, d.baseAddress!, ldb: v,
                            g.baseAddress! + layout.dense, ldc: v)
                        for r in 0..<rows { for k in 0..<v { g[layout.denseBias + k] += d[r * v + k] } }
                        dTop.withUnsafeMutableBufferPointer { dx in
                            BLAS.gemm(
                                transposeB: true, m: rows, n: h, k: v, d.baseAddress!, lda: v,
                                p.baseAddress! + layout.dense,
                                ldb: v, dx.baseAddress!, ldc: h)
                        }
                    }
                }
            }
        }
        // LSTM layers, top down.
        var dOutput = dTop
        for l in stride(from: layout.layers.count - 1, through: 0, by: -1) {
            if let mask = trace.layers[l].dropoutMask { for i in dOutput.indices { dOutput[i] *= mask[i] } }
            dOutput = backwardLayer(l, trace.layers[l], dOutput: dOutput, batch: batch, steps: steps)
        }
        // Embedding rows.
        let e = configuration.embeddingSize
        gradients.withUnsafeMutableBufferPointer { g in
            for r in 0..<rows {
                let token = Int(inputs[r])
                for k in 0..<e { g[layout.embedding + token * e + k] += dOutput[r * e + k] }
            }
        }
        return (loss, correct)
    }

    /// Backpropagation through one layer; returns the gradient with respect to the layer's input.
    func backwardLayer(_ l: Int, _ trace: LayerTrace, dOutput: [Float], batch: Int, steps: Int) -> [Float] {
        let h = configuration.units, rows = batch * steps, shape = layout.layers[l], d = shape.inputSize
        var dZ = [Float](repeating: 0, count: rows * 4 * h)
        var dhNext = [Float](repeating: 0, count: batch * h)
        var dcNext = [Float](repeating: 0, count: batch * h)
        parameters.withUnsafeBufferPointer { p in
            let u = p.baseAddress! + shape.u
            dZ.withUnsafeMutableBufferPointer { dz in
                trace.gates.withUnsafeBufferPointer { z in
                    trace.cells.withUnsafeBufferPointer { cells in
                        trace.tanhCells.withUnsafeBufferPointer { tcs in
                            for t in stride(from: steps - 1, through: 0, by: -1) {
                                let base = t * batch
                                for b in 0..<batch {
                                    let row = (base + b) * 4 * h
                                    for j in 0..<h {
                                        let idx = (base + b) * h + j
                                        let i = z[row + j], f = z[row + h + j], g = z[row + 2 * h + j],
                                            o = z[row + 3 * h + j]
                                        let tc = tcs[idx]
                                        let cPrev = t > 0 ? cells[idx - batch * h] : trace.c0[b * h + j]
                                        let dh = dOutput[idx] + dhNext[b * h + j]
                                        let dO = dh * tc
                                        let dc = dh * o * (1 - tc * tc) + dcNext[b * h + j]
                                        dcNext[b * h + j] = dc * f
                                        dz[row + j] = dc * g * i * (1 - i)
                                        dz[row + h + j] = dc * cPrev * f * (1 - f)
                                        dz[row + 2 * h + j] = dc * i * (1 - g * g)
                                        dz[row + 3 * h + j] = dO * o * (1 - o)
                                    }
                                }
                                // dh for the previous step: dZ[t] · Uᵀ.
                                dhNext.withUnsafeMutableBufferPointer { dn in
                                    BLAS.gemm(
                                        transposeB: true, m: batch, n: h, k: 4 * h, dz.baseAddress! + base * 4 * h,
                                        lda: 4 * h,
                                        u, ldb: 4 * h, dn.baseAddress!, ldc: h)
                                }
                            }
                        }
                    }
                }
            }
        }
        // Weight gradients over all steps at once.
        var hPrev = [Float](repeating: 0, count: rows * h)
        for i in 0..<(batch * h) { hPrev[i] = trace.h0[i] }
        if steps > 1 { for i in 0..<((steps - 1) * batch * h) { hPrev[batch * h + i] = trace.outputs[i] } }
        var dInput = [Float](repeating: 0, count: rows * d)
        parameters.withUnsafeBufferPointer { p in
            gradients.withUnsafeMutableBufferPointer { g in
                dZ.withUnsafeBufferPointer { dz in
                    hPrev.withUnsafeBufferPointer { hp in
                        BLAS.gemm(
                            transposeA: true, m: h, n: 4 * h, k: rows, hp.baseAddress!, lda: h, dz.baseAddress!,
                            ldb: 4 * h,
                            g.baseAddress! + shape.u, ldc: 4 * h)
                    }
                    trace.input.withUnsafeBufferPointer { x in
                        BLAS.gemm(
                            transposeA: true, m: d, n: 4 * h, k: rows, x.baseAddress!, lda: d, dz.baseAddress!,
                            ldb: 4 * h,
                            g.baseAddress! + shape.w, ldc: 4 * h)
                    }
                    for r in 0..<rows { for j in 0..<(4 * h) { g[shape.b + j] += dz[r * 4 * h + j] } }
                    dInput.withUnsafeMutableBufferPointer { dx in
                        BLAS.gemm(
                            transposeB: true, m: rows, n: d, k: 4 * h, dz.baseAddress!, lda: 4 * h,
                            p.baseAddress! + shape.w,
                            ldb: 4 * h, dx.baseAddress!, ldc: d)
                    }
                }
            }
        }
        return dInput
    }

    /// Softmax cross-entropy per row: summed loss, argmax hits, and d(mean loss)/d(logits).
    static func softmaxCrossEntropy(_ logits: [Float], targets: [Int32], rows: Int, classes v: Int)
        -> (loss: Double, correct: Int, gradient: [Float])
    {
        var gradient = [Float](repeating: 0, count: rows * v)
        var loss = 0.0
        var correct = 0
        let scale = 1 / Float(rows)
        for r in 0..<rows {
            var maximum = -Float.infinity, argmax = 0
            for k in 0..<v where logits[r * v + k] > maximum {
                maximum = logits[r * v + k]
                argmax = k
            }
            var sum: Float = 0
            for k in 0..<v {
                let e = exp(logits[r * v + k] - maximum)
                gradient[r * v + k] = e
                sum += e
            }
            let target = Int(targets[r])
            loss -= Double(logits[r * v + target] - maximum - log(sum))
            if argmax == target { correct += 1 }
            for k in 0..<v { gradient[r * v + k] = gradient[r * v + k] / sum * scale }
            gradient[r * v + target] -= scale
        }
        return (loss, correct, gradient)
    }

    // MARK: - Inference

    /// Advances `state` by one token per lane and returns the next-token logits (`batch × V`).
    public func step(_ tokens: [Int32], state: inout State) -> [Float] {
        var noDropout: SplitMix64? = nil
        return forward(tokens, batch: tokens.count, steps: 1, state: &state, dropout: &noDropout).logits
    }

    /// Log-probability (nats) of every token after the first, each predicted from all earlier ones, from a fresh
    /// state: the scoring convention of `aidj compose score`.
    public func logProbabilities(of sequence: [Int32]) -> [Double] {
        evaluate(sequence).map(\.logProbability)
    }

    /// For every token after the first: its log-probability (nats) and the most likely token, each predicted
    /// from all earlier tokens, from a fresh state.
    public func evaluate(_ sequence: [Int32]) -> [(logProbability: Double, predicted: Int32)] {
        guard sequence.count >= 2 else { return [] }
        var state = State(configuration: configuration, batch: 1)
        var noDropout: SplitMix64? = nil
        let inputs = Array(sequence.dropLast())
        let logits = forward(inputs, batch: 1, steps: inputs.count, state: &state, dropout: &noDropout).logits
        let v = configuration.vocabularySize
        return (0..<inputs.count).map { t in
            let row = logits[(t * v)..<((t + 1) * v)]
            var maximum = -Float.infinity, argmax = 0
            for (k, value) in row.enumerated() where value > maximum {
                maximum = value
                argmax = k
            }
            let logSum = log(row.reduce(0) { $0 + exp(Double($1 - maximum)) }) + Double(maximum)
            return (Double(row[row.startIndex + Int(sequence[t + 1])]) - logSum, Int32(argmax))
        }
    }
}
