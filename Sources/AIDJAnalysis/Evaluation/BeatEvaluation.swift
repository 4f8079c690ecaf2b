/// Scores estimated beats against reference beats with the measures of the MIREX beat tracking task
/// (Davies, Degara & Plumbley 2009, "Evaluation methods for musical audio beat tracking algorithms", Queen Mary
/// technical report C4DM-TR-09-06). All times are in seconds, increasing.
public enum BeatEvaluation {
    /// The MIREX beat tolerance (s), ±70 ms: a beat further from the music is not on it for a listener.
    public static let window = 0.07

    /// Beat F-measure with a ±`window` s tolerance (Dixon 2007; the MIREX convention is ±70 ms): each reference
    /// beat can match one estimate.
    public static func fMeasure(estimated: [Double], reference: [Double], window: Double = Self.window) -> Double {
        guard !estimated.isEmpty, !reference.isEmpty else { return 0 }
        var hits = 0
        var j = 0
        // Both lists increase and the window is far below a beat period, so a two-pointer sweep matches each
        // estimate with the earliest unused reference beat in its window.
        for e in estimated {
            while j < reference.count && reference[j] < e - window { j += 1 }
            if j < reference.count && abs(reference[j] - e) <= window {
                hits += 1
                j += 1
            }
        }
        let precision = Double(hits) / Double(estimated.count), recall = Double(hits) / Double(reference.count)
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// The continuity-based measures (Hainsworth 2004; Klapuri, Eronen & Astola 2006).
    public struct Continuity: Sendable, Equatable, Codable {
        /// Longest run of correct beats over the number of beats, at the reference's metrical level.
        public var cmlc: Double
        /// All correct beats over the number of beats, at the reference's metrical level.
        public var cmlt: Double
        /// As `cmlc`, the best over the allowed metrical levels (double, half, off-beat).
        public var amlc: Double
        /// As `cmlt`, the best over the allowed metrical levels.
        public var amlt: Double
    }

    /// CMLc, CMLt, AMLc and AMLt. An estimated beat is correct when it lies within `phaseTolerance` of the local
    /// reference inter-beat interval of its nearest reference beat (not yet claimed), and its own interval to the
    /// previous estimate is within `periodTolerance` of that reference interval. The denominator is the larger
    /// of the two beat counts. AML takes the best of five readings of the reference: as annotated, off-beat,
    /// double tempo, and half tempo on the odd and on the even beats.
    public static func continuity(
        estimated: [Double], reference: [Double], phaseTolerance: Double = 0.175, periodTolerance: Double = 0.175
    ) -> Continuity {
        guard estimated.count >= 2, reference.count >= 2 else { return Continuity(cmlc: 0, cmlt: 0, amlc: 0, amlt: 0) }
        // The reference at twice its rate: each beat and the midpoint to the next.
        var doubled: [Double] = []
        for i in reference.indices {
            doubled.append(reference[i])
            if i + 1 < reference.count { doubled.append((reference[i] + reference[i + 1]) / 2) }
        }
        let offBeat = stride(from: 1, to: doubled.count, by: 2).map { doubled[$0] }
        let halfOdd = stride(from: 0, to: reference.count, by: 2).map { reference[$0] }
        let halfEven = stride(from: 1, to: reference.count, by: 2).map { reference[$0] }
        let readings = [reference, offBeat, doubled, halfOdd, halfEven]
        let scores = readings.map { r -> (longest: Double, total: Double) in
            guard r.count >= 2 else { return (0, 0) }
            return score(estimated, r, phaseTolerance, periodTolerance)
        }
        return Continuity(
            cmlc: scores[0].longest, cmlt: scores[0].total, amlc: scores.map(\.longest).max()!,
            amlt: scores.map(\.total).max()!)
    }

    private static func score(
        _ estimated: [Double], _ reference: [Double], _ phaseTolerance: Double,
        _ periodTolerance: Double
    ) -> (longest: Double, total: Double) {
        let n = max(estimated.count, reference.count)
        var claimed = [Bool](repeating: false, count: reference.count)
        var correct = [Bool](repeating: false, count: estimated.count)
        var j = 0
        for m in estimated.indices {
            let e = estimated[m]
            while j + 1 < reference.count && abs(reference[j + 1] - e) < abs(reference[j] - e) { j += 1 }
            guard !claimed[j] else { continue }
            // The local reference interval: forward from the first beat, backward elsewhere.
            let referenceInterval = j == 0 ? reference[1] - reference[0] : reference[j] - reference[j - 1]
            let estimatedInterval = m == 0 ? estimated[1] - estimated[0] : estimated[m] - estimated[m - 1]
            guard referenceInterval > 0 else { continue }
            let phase = abs(e - reference[j]) / referenceInterval
            let period = abs(1 - estimatedInterval / referenceInterval)
            if phase < phaseTolerance && period < periodTolerance {
                claimed[j] = true
                correct[m] = true
            }
        }
        var longest = 0, run = 0
        for c in correct {
            run = c ? run + 1 : 0
            longest = max(longest, run)
        }
        return (Double(longest) / Double(n), Double(correct.filter { $0 }.count) / Double(n))
    }

    /// Median distance (s) from each of the first (or last) `count` reference beats that the estimate covers to
    /// the nearest estimated beat: how far a grid sits from the music at each end of the grid, where drift shows.
    /// Reference beats outside the estimated beats' span (an intro the estimate leaves without a grid) are left
    /// out; ``strayShare(estimated:reference:gap:)`` and the F-measure see those.
    ///
    /// - Returns: nil when either list is empty or no reference beat lies within the estimate's span.
    public static func phaseError(estimated: [Double], reference: [Double], count: Int = 16, atEnd: Bool) -> Double? {
        guard let first = estimated.first, let last = estimated.last, reference.count >= 2 else { return nil }
        let margin = (reference.last! - reference.first!) / Double(reference.count - 1) / 2
        let covered = reference.filter { $0 >= first - margin && $0 <= last + margin }
        guard !covered.isEmpty else { return nil }
        let chosen = atEnd ? covered.suffix(count) : covered.prefix(count)
        let distances = chosen.map { r in nearestDistance(r, in: estimated) }.sorted()
        return distances[distances.count / 2]
    }

    /// Share of estimated beats more than `gap` s from every reference beat: beats placed where the reference
    /// hears none (before the music, over beatless passages).
    public static func strayShare(estimated: [Double], reference: [Double], gap: Double = 1) -> Double {
        guard !estimated.isEmpty else { return 0 }
        guard !reference.isEmpty else { return 1 }
        let stray = estimated.filter { nearestDistance($0, in: reference) > gap }.count
        return Double(stray) / Double(estimated.count)
    }

    /// How an estimated bar reading relates to the reference's: the kind of a downbeat error, which the downbeat
    /// F-measure alone does not tell (a 3/4 piece read in 4/4 and a bar one beat early both score near 0).
    public enum BarReading: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
        /// The reference's downbeats sit on the estimate's.
        case onTheBar
        /// Same meter, the estimate's downbeats `beats` beats before the reference's (1 ..< meter; in 4/4, 1 is a
        /// beat early, 2 half a bar off, 3 a beat late).
        case shifted(beats: Int, meter: Int)
        /// The meters differ (beats to the bar).
        case meter(reference: Int, estimated: Int)
        /// Too few reference downbeats have an estimated beat within ``window`` to say.
        case beatsOff

        public var description: String {
            switch self {
            case .onTheBar: "on the bar"
            case .shifted(let beats, let meter):
                2 * beats == meter
                    ? "half a bar off"
                    : beats == 1 ? "a beat early" : beats == meter - 1 ? "a beat late" : "\(beats) beats early"
            case .meter(let reference, let estimated): "meter \(reference)→\(estimated)"
            case .beatsOff: "beats off"
            }
        }
    }

    /// Classifies an estimated bar reading against the reference's. The meter of each is its largest bar position.
    /// With the same meter, each reference downbeat is looked up among the estimated beats (within ``window``), and
    /// the bar position most of them land on gives the shift: position p means the estimate's downbeat comes p − 1
    /// beats earlier. Half of the reference downbeats must have an estimated beat; otherwise ``BarReading/beatsOff``.
    public static func barReading(
        estimated: [Double], estimatedPositions: [Int], reference: [Double], referencePositions: [Int]
    ) -> BarReading {
        let referenceMeter = referencePositions.max() ?? 0, estimatedMeter = estimatedPositions.max() ?? 0
        guard referenceMeter > 0, estimatedMeter > 0, !estimated.isEmpty else { return .beatsOff }
        guard referenceMeter == estimatedMeter else {
            return .meter(reference: referenceMeter, estimated: estimatedMeter)
        }
        let downbeats = zip(reference, referencePositions).filter { $0.1 == 1 }.map(\.0)
        var counts = [Int](repeating: 0, count: estimatedMeter + 1)
        for t in downbeats {
            if let i = nearestIndex(t, in: estimated), abs(estimated[i] - t) <= window,
                (1...estimatedMeter).contains(estimatedPositions[i])
            {
                counts[estimatedPositions[i]] += 1
            }
        }
        let matched = counts.reduce(0, +)
        guard !downbeats.isEmpty, 2 * matched >= downbeats.count else { return .beatsOff }
        let position = (1...estimatedMeter).max { counts[$0] < counts[$1] }!
        return position == 1 ? .onTheBar : .shifted(beats: position - 1, meter: estimatedMeter)
    }

    /// Distance from `t` to the nearest element of an increasing list; infinity when it is empty.
    public static func nearestDistance(_ t: Double, in sorted: [Double]) -> Double {
        nearestIndex(t, in: sorted).map { abs(sorted[$0] - t) } ?? .infinity
    }

    /// Index of the element of an increasing list nearest to `t` (binary search); nil when it is empty.
    public static func nearestIndex(_ t: Double, in sorted: [Double]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        if lo == sorted.count { return lo - 1 }
        return lo > 0 && t - sorted[lo - 1] <= sorted[lo] - t ? lo - 1 : lo
    }
}
