import CBLAS

/// Matrix products through OpenBLAS (CBLAS), row-major throughout. The only place this module calls C.
public enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, with op(X) = X or Xᵀ.
    ///
    /// - Parameters: row-major `A` is (m × k) after op, `B` (k × n) after op, `C` (m × n); `lda`, `ldb`, `ldc`
    ///   are the row strides of the matrices as stored.
    @inline(__always)
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
        _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0, k > 0 else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// OpenBLAS worker threads for every product that follows (≥ 1). Set once, before heavy work.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
