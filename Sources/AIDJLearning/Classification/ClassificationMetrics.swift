import AIDJCore
import Foundation

/// How well predicted class probabilities match true labels.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public var accuracy: Double
    /// Unweighted mean of per-class F1 (classes that never occur, in truth or prediction, are left out).
    public var macroF1: Double
    /// Mean negative log-probability of the true class (nats), probabilities clipped at 1e-15 as scikit-learn.
    public var logLoss: Double
    /// confusion[true][predicted] counts.
    public var confusion: [[Int]]

    public init(probabilities: [[Float]], labels: [Int], classes: Int) {
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var logLoss = 0.0
        for (p, label) in zip(probabilities, labels) {
            let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
            confusion[label][predicted] += 1
            logLoss -= log(max(Double(p[label]), 1e-15))
        }
        let n = max(labels.count, 1)
        accuracy = Double((0..<classes).reduce(0) { $0 + confusion[$1][$1] }) / Double(n)
        var f1s: [Double] = []
        for k in 0..<classes {
            let truePositive = Double(confusion[k][k])
            let actual = Double(confusion[k].reduce(0, +))
            let predicted = Double((0..<classes).reduce(0) { $0 + confusion[$1][k] })
            guard actual + predicted > 0 else { continue }
            f1s.append(2 * truePositive / (actual + predicted))
        }
        macroF1 = f1s.isEmpty ? 0 : f1s.reduce(0, +) / Double(f1s.count)
        self.logLoss = logLoss / Double(n)
        self.confusion = confusion
    }

    /// Stratified k-fold assignment: within each class, items are dealt to folds in a seeded random order, so
    /// every fold holds about 1/k of every class.
    public static func stratifiedFolds(labels: [Int], folds: Int, seed: UInt64) -> [Int] {
        var random = SplitMix64(scrambling: seed)
        var assignment = [Int](repeating: 0, count: labels.count)
        var next = 0
        for label in Set(labels).sorted() {
            var members = labels.indices.filter { labels[$0] == label }
            for i in stride(from: members.count - 1, to: 0, by: -1) {
                members.swapAt(i, Int(random.next() % UInt64(i + 1)))
            }
            for index in members {
                assignment[index] = next % folds
                next += 1
            }
        }
        return assignment
    }

    /// Area under the ROC curve: the probability that a random positive scores above a random negative (ties
    /// count half), by the Mann–Whitney rank sum. Nil without both positives and negatives.
    public static func auc(scores: [Double], positives: [Bool]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for m in i...j { ranks[order[m]] = rank }
            i = j + 1
        }
        let p = positives.count { $0 }, n = positives.count - p
        guard p > 0, n > 0 else { return nil }
        let sum = zip(ranks, positives).reduce(0.0) { $0 + ($1.1 ? $1.0 : 0) }
        return (sum - Double(p * (p + 1)) / 2) / Double(p * n)
    }
}
