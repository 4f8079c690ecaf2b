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

extension TempoEvaluation {
    /// Beats at each end of a track read for its opening and closing tempo: four bars of 4/4.
    public static let endBeats = 16
    /// A track changes tempo when its closing tempo differs from its opening one by more than this (the Acc1
    /// tolerance: smaller changes do not count as errors of a single reading either).
    public static let changeTolerance = tolerance

    /// The tempo (BPM) of the first or last ``endBeats`` beats: 60 over their median interval; nil with too few.
    public static func endTempo(beats: [Double], atEnd: Bool) -> Double? {
        guard beats.count >= endBeats / 2 else { return nil }
        let part = atEnd ? Array(beats.suffix(endBeats)) : Array(beats.prefix(endBeats))
        let intervals = zip(part.dropFirst(), part).map { $0 - $1 }.sorted()
        let median = intervals[intervals.count / 2]
        return median > 0 ? 60 / median : nil
    }

    /// Whether beat times change tempo between their opening and closing ``endBeats``.
    public static func changesTempo(beats: [Double]) -> Bool {
        guard let start = endTempo(beats: beats, atEnd: false), let end = endTempo(beats: beats, atEnd: true) else {
            return false
        }
        return abs(end / start - 1) > changeTolerance
    }
}
