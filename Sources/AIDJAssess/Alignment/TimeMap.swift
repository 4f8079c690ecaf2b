import Foundation

/// A line through (reference time, take time) points fitted by Theil–Sen (the median of pairwise slopes, then the
/// median intercept; Sen 1968): robust to the odd note played early or late, which is exactly what is measured
/// against it.
struct TimeLine: Equatable {
    /// Take seconds per reference second (1.25 = the take is slower: 0.8× tempo).
    var slope: Double
    var intercept: Double

    func takeTime(_ referenceTime: Double) -> Double { intercept + slope * referenceTime }

    /// The fit through `points` (reference, take), nil for fewer than two distinct reference times.
    init?(_ points: [(reference: Double, take: Double)]) {
        self.init(points, weights: [Double](repeating: 1, count: points.count))
    }

    /// The weighted form: the weighted median of the pairwise slopes, each weighing the product of its two points'
    /// weights, then the weighted median intercept (with equal weights, the plain medians); nil as above, or when no
    /// point has weight.
    init?(_ points: [(reference: Double, take: Double)], weights: [Double]) {
        var slopes: [(value: Double, weight: Double)] = []
        for a in points.indices {
            for b in points.indices where b > a {
                let dr = points[b].reference - points[a].reference
                if abs(dr) > 1e-6 {
                    slopes.append(((points[b].take - points[a].take) / dr, weights[a] * weights[b]))
                }
            }
        }
        guard let slope = weightedMedian(slopes),
            let intercept = weightedMedian(zip(points, weights).map { ($0.take - slope * $0.reference, $1) })
        else { return nil }
        self.slope = slope
        self.intercept = intercept
    }

    init(slope: Double, intercept: Double) {
        self.slope = slope
        self.intercept = intercept
    }
}

/// Where each reference note is expected in the take, from the matched notes around it: the student's own tempo
/// at that point, rubato included.
///
/// Around each note, a quadratic in reference time is fitted to the matched notes on either side, weighted by
/// a Gaussian of their distance (σ = 1 s) (the note itself
/// left out, so its own deviation does not bend what it is measured against): a straight line cannot follow rubato
/// (a tempo swinging ±6 % over 8 s bends the onsets by ±75 ms over the ±2.5 s a line would span). The fit is
/// robust: it starts from a Theil–Sen line weighted by the same Gaussian and reweights twice with Tukey's biweight
/// (80 ms), so a neighbour that was itself early or late hardly counts. (Started from the unweighted line through
/// all 12 neighbours, which rubato bends, the biweight dropped the nearest notes where the tempo swung, and the fit
/// followed the far ones: on the three sets of 72 GM takes, unshifted notes on time went 0.891 / 0.868 / 0.872 →
/// 0.906 / 0.897 / 0.885.)
struct LocalTimeMap {
    /// Matched notes (reference time, take time) in reference order, with the reference note's index.
    let anchors: [(index: Int, reference: Double, take: Double)]
    /// Matched notes on each side used for a local fit.
    let neighbours: Int
    /// Tukey's biweight cut-off (s): neighbours further than this from the fit get no weight.
    static let biweightSeconds = 0.08

    /// The width (s of reference time) of the Gaussian that weights neighbours by distance: the fit follows the
    /// pulse of the second or two around a note, however long its notes are. On the 72 GM takes of takes.py the
    /// median onset error is 8.8 ms at 1 s, 8.9 ms at 0.7 s and 9.6 ms at 1.5 s (unshifted notes on time 0.889,
    /// 0.878, 0.874).
    static let reachSeconds = 1.0

    init(anchors: [(index: Int, reference: Double, take: Double)], neighbours: Int = 6) {
        self.anchors = anchors.sorted { $0.index < $1.index }
        self.neighbours = neighbours
    }

    /// The expected take time of reference note `index` (at reference time `time`) and the local slope (take
    /// seconds per reference second); nil with fewer than two neighbours.
    ///
    /// With `includingSelf`, the note's own anchor (when it has one) joins the fit: right for deciding which played
    /// note answers it, wrong for measuring how early or late it was.
    func expectation(around index: Int, at time: Double, includingSelf: Bool = false) -> (take: Double, slope: Double)?
    {
        var points = neighbourhood(of: index)
        if includingSelf, let own = anchors.first(where: { $0.index == index }) {
            points.append((own.reference, own.take))
        }
        guard let line = TimeLine(points), line.slope > 0 else { return nil }
        guard points.count >= 5 else { return (line.takeTime(time), line.slope) }
        // Neighbours weigh by a Gaussian of their distance, over the reach, or over as far as the note lies beyond
        // its nearest neighbour when that is further (a first note held long before the next).
        let lo = points.map(\.reference).min()!
        let hi = points.map(\.reference).max()!
        let beyond = max(lo - time, time - hi)
        let width = max(Self.reachSeconds, beyond)
        let nearness = points.map { p in
            let u = (p.reference - time) / width
            return exp(-0.5 * u * u)
        }
        // The robust start: a Theil–Sen line weighted by nearness, which rubato has not bent away from here.
        let start = TimeLine(points, weights: nearness) ?? line
        // Further beyond the neighbours than the reach, the line is the answer, not the quadratic: a curvature
        // fitted to a few milliseconds of onset jitter, extrapolated, bends far (the demo's first note, 2.8 s before
        // the next, read 44 ms early). (The GM takes' notes follow each other within a second: there, precision,
        // recall and on-time shares move by 0.002 at most.)
        if beyond > Self.reachSeconds { return (start.takeTime(time), start.slope) }
        // Quadratic about `time`: take ≈ a + b (r − time) + c (r − time)², weighted least squares.
        var weights = zip(points, nearness).map { p, w in w * Self.biweight(p.take - start.takeTime(p.reference)) }
        var fit: (a: Double, b: Double, c: Double)?
        for _ in 0..<2 {
            guard let next = Self.weightedQuadratic(points, about: time, weights: weights) else { break }
            fit = next
            weights = zip(points, nearness).map { p, w in
                let x = p.reference - time
                return w * Self.biweight(p.take - (next.a + next.b * x + next.c * x * x))
            }
        }
        guard let fit, fit.b > 0 else { return (line.takeTime(time), line.slope) }
        return (fit.a, fit.b)
    }

    /// The `neighbours` matched notes before and after reference note `index`, the note itself left out; near
    /// either end, more from the other side so the fit keeps its size.
    func neighbourhood(of index: Int) -> [(reference: Double, take: Double)] {
        let split = anchors.firstIndex { $0.index >= index } ?? anchors.count
        let afterStart = split < anchors.count && anchors[split].index == index ? split + 1 : split
        let beforeCount = min(split, max(neighbours, 2 * neighbours - (anchors.count - afterStart)))
        let afterCount = min(anchors.count - afterStart, 2 * neighbours - beforeCount)
        return (anchors[(split - beforeCount)..<split] + anchors[afterStart..<(afterStart + afterCount)]).map {
            ($0.reference, $0.take)
        }
    }

    static func biweight(_ residual: Double) -> Double {
        let u = residual / biweightSeconds
        return abs(u) < 1 ? (1 - u * u) * (1 - u * u) : 0
    }

    /// Weighted least squares of take on (1, x, x²) with x = reference − centre; nil when singular.
    static func weightedQuadratic(
        _ points: [(reference: Double, take: Double)], about centre: Double, weights: [Double]
    )
        -> (a: Double, b: Double, c: Double)?
    {
        var m = [[Double]](repeating: [0, 0, 0, 0], count: 3)  // normal equations, augmented
        for (p, w) in zip(points, weights) where w > 0 {
            let x = p.reference - centre
            let basis = [1, x, x * x]
            for r in 0..<3 {
                for c in 0..<3 { m[r][c] += w * basis[r] * basis[c] }
                m[r][3] += w * basis[r] * p.take
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<3 {
            let pivot = (col..<3).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            guard abs(m[pivot][col]) > 1e-12 else { return nil }
            m.swapAt(col, pivot)
            for r in 0..<3 where r != col {
                let f = m[r][col] / m[col][col]
                for c in col..<4 { m[r][c] -= f * m[col][c] }
            }
        }
        return (m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2])
    }
}

/// The value at which the weights on either side balance; where they balance exactly between two values, their
/// mean (so equal weights give the plain median). Nil without positive weight.
func weightedMedian(_ items: [(value: Double, weight: Double)]) -> Double? {
    let sorted = items.filter { $0.weight > 0 }.sorted { $0.value < $1.value }
    let total = sorted.reduce(0) { $0 + $1.weight }
    guard total > 0 else { return nil }
    var sum = 0.0
    for (k, item) in sorted.enumerated() {
        sum += item.weight
        if sum == total / 2, k + 1 < sorted.count { return (item.value + sorted[k + 1].value) / 2 }
        if sum >= total / 2 { return item.value }
    }
    return sorted.last?.value
}
