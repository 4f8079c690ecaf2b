/// Tempo accuracy as defined by Gouyon et al. (2006, "An experimental comparison of audio tempo induction
/// algorithms", IEEE TASLP 14(5)), the measures of the MIREX tempo and ISMIR 2004 contests.
public enum TempoEvaluation {
    /// Relative tolerance of both measures: ±4 %.
    public static let tolerance = 0.04

    /// Accuracy 1: the estimate within ±4 % of the reference.
    public static func acc1(estimated: Double, reference: Double) -> Bool {
        reference > 0 && abs(estimated - reference) <= tolerance * reference
    }

    /// Accuracy 2: the estimate within ±4 % of the reference or of its double, triple, half or third (octave and
    /// triple-meter errors forgiven).
    public static func acc2(estimated: Double, reference: Double) -> Bool {
        [1.0, 2, 3, 0.5, 1.0 / 3].contains { acc1(estimated: estimated, reference: reference * $0) }
    }
}
