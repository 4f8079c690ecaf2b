import Foundation

/// Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1) over a flat parameter
/// vector, with bias-corrected moments, as PyTorch's `torch.optim.Adam` (no weight decay).
public struct Adam: Sendable {
    /// Step size. Default 1e-3.
    public var learningRate: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public private(set) var step = 0
    private var m: [Float]
    private var v: [Float]

    public init(parameterCount: Int, learningRate: Float = 1e-3) {
        self.learningRate = learningRate
        m = [Float](repeating: 0, count: parameterCount)
        v = [Float](repeating: 0, count: parameterCount)
    }

    /// θ ← θ − lr · m̂ / (√v̂ + ε).
    public mutating func update(_ parameters: inout [Float], gradients: [Float]) {
        precondition(parameters.count == gradients.count && parameters.count == m.count, "Adam: size mismatch")
        step += 1
        let correction1 = 1 - pow(beta1, Float(step)), correction2 = 1 - pow(beta2, Float(step))
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        for i in 0..<p.count {
                            m[i] = b1 * m[i] + (1 - b1) * g[i]
                            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                            p[i] -= lr * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}

/// Scales `gradients` so their global L2 norm is at most `maxNorm` (Pascanu, Mikolov & Bengio 2013), as
/// `torch.nn.utils.clip_grad_norm_`. Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ gradients: inout [Float], maxNorm: Float) -> Float {
    var sum: Double = 0
    for g in gradients { sum += Double(g) * Double(g) }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm {
        let scale = maxNorm / (norm + 1e-6)
        for i in gradients.indices { gradients[i] *= scale }
    }
    return norm
}
