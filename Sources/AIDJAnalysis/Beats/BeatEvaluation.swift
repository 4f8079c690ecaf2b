/// Scores estimated beats against reference beats.
public enum BeatEvaluation {
    /// Beat F-measure with a ±`window` s tolerance (Dixon 2007; the MIREX convention is ±70 ms): each reference
    /// beat can match one estimate.
    public static func fMeasure(estimated: [Double], reference: [Double], window: Double = 0.07) -> Double {
        guard !estimated.isEmpty, !reference.isEmpty else { return 0 }
        var used = Set<Int>()
        var hits = 0
        for e in estimated {
            if let j = reference.indices.first(where: { !used.contains($0) && abs(reference[$0] - e) <= window }) {
                used.insert(j)
                hits += 1
            }
        }
        let precision = Double(hits) / Double(estimated.count), recall = Double(hits) / Double(reference.count)
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}
