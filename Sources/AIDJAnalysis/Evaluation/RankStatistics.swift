/// Rank statistics for evaluation reports.
public enum RankStatistics {
    /// Area under the ROC curve of a score that should be higher for positives: the probability that a random
    /// positive outscores a random negative, ties counting half (the Mann–Whitney U statistic over n₊·n₋;
    /// Hanley & McNeil 1982).
    ///
    /// - Returns: nil when either class is empty.
    /// - Complexity: O(n log n).
    public static func auc(scores: [Double], positive: [Bool]) -> Double? {
        precondition(scores.count == positive.count, "one label per score")
        let positives = positive.filter { $0 }.count, negatives = positive.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        // Mid-ranks (1-based) over runs of equal scores.
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = midRank }
            i = j + 1
        }
        let positiveRankSum = positive.indices.filter { positive[$0] }.map { ranks[$0] }.reduce(0, +)
        let u = positiveRankSum - Double(positives * (positives + 1)) / 2
        return u / Double(positives * negatives)
    }
}
