/// Vector maths: element-wise maths over float buffers in SIMD, for the per-bin loops of the frame analysis, and the
/// cosine of two profiles (chroma) for the track-level stages.
///
/// On Linux a scalar `Float.squareRoot()` compiles to one `sqrtss` per element and a branch to glibc's `sqrtf` for
/// negative inputs (which sets `errno`), so a loop of them is not vectorized; `SIMD4<Float>.squareRoot()` is one
/// `sqrtps` per four. Both are the correctly rounded IEEE square root, so the values are the same bit for bit.
enum VectorMath {
    /// The four floats at `p`, which need not be aligned to 16 bytes.
    @inline(__always) static func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }

    /// y[i] = √x[i] for i < `count`; `x` and `y` may be the same buffer.
    static func squareRoots(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 4 <= count {
            let v = load4(x + i)
            UnsafeMutableRawPointer(y + i).storeBytes(of: v.squareRoot(), as: SIMD4<Float>.self)
            i += 4
        }
        while i < count {
            y[i] = x[i].squareRoot()
            i += 1
        }
    }

    /// The cosine of the angle between `a` and `b` (of equal length), or nil when either is all zeros.
    static func cosine(_ a: [Double], _ b: [Double]) -> Double? {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            ab += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : nil
    }
}
