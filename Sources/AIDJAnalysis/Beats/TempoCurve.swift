import Foundation

/// The beat period over the course of a track, near the track's tempo: how a drummer pushes and drags, where a
/// DJ edit or a live band changes tempo.
///
/// Local periodicity is read from the onset autocorrelation in windows of 8 s (at least 12 beats), one per
/// second, at candidate periods within ±22 % of the global one on a 0.5 % log grid, each scored by its
/// autocorrelation at one, two and four periods (the longer lags sharpen the reading — an error of 1 % is 4 % of
/// a period there — and a periodicity at another level, such as a breakbeat's kick every two and a half beats,
/// finds no support at all three) less a Gaussian preference for the global period. A Viterbi path through the
/// windows then picks one period per window, with a cost for moving between neighbouring periods and at most
/// 1.5 % per second, so a noisy window cannot jump while a real change is followed (the tempogram-and-smoothing approach of Grosche & Müller 2011, "Extracting predominant local pulse
/// information from music recordings", IEEE TASLP 19(6), and of Davies & Plumbley 2007).
///
/// The curve feeds the beat tracker (its period at each frame) and the tempo sections a track reports.
public struct TempoCurve: Sendable, Equatable {
    /// Frames per second of the onset envelope the curve was read from.
    public let frameRate: Double
    /// Window centres (frames) and the beat period chosen there (frames).
    public let centres: [Double]
    public let periods: [Double]
    /// How periodic each window is at its period: its autocorrelation at one, two and four periods (0–3). Low
    /// where there is no beat to follow (an ambient passage), where the period is the path's guess.
    public let strengths: [Double]

    /// Window length (s), at least ``minimumWindowBeats`` beats.
    public static let windowSeconds = 8.0
    public static let minimumWindowBeats = 12.0
    /// Distance between window centres (s).
    public static let hopSeconds = 1.0
    /// Candidate periods: ±`candidateSteps` steps of `logStep` (natural log) around the global period.
    static let logStep = 0.005
    static let candidateSteps = 40
    /// Width (natural log) of the Gaussian preference for the global period: the track's tempo was chosen over the
    /// whole track, so a window that reads a neighbouring periodicity must outweigh it to move the curve.
    static let priorWidth = 0.2
    /// Largest move between neighbouring windows, in steps (1.5 % per second), and the cost per squared step.
    static let maximumMoveSteps = 3
    static let moveCost = 0.01

    /// A constant curve (one window).
    public init(frameRate: Double, period: Double) {
        self.frameRate = frameRate
        centres = [0]
        periods = [period]
        strengths = [0]
    }

    init(frameRate: Double, centres: [Double], periods: [Double], strengths: [Double]) {
        self.frameRate = frameRate
        self.centres = centres
        self.periods = periods
        self.strengths = strengths
    }

    /// Moves the window sums (``OnsetAutocorrelation/lagSums(_:count:maxLag:as:)`` in Double) from `start` a hop
    /// on: for each lag, the products that start before the new window go and those that now end inside it come in
    /// (x must reach `start + length + hop`). Four lags at a time, each lane's sums in the order of one lag at a
    /// time.
    static func slide(
        _ x: UnsafePointer<Float>, start: Int, length: Int, hop: Int, maxLag: Int, sums: inout [Double]
    ) {
        var lag = 0
        while lag + 4 <= maxLag + 1 {
            var removed = SIMD4<Double>(repeating: 0), added = removed
            for i in start..<(start + hop) {
                removed += SIMD4<Double>(SIMD4<Float>(repeating: x[i]) * VectorMath.load4(x + i + lag))
            }
            // Lane j's products are x[end − j + t] · x[end + lag + t], end = start + length − lag: the first factor
            // runs backwards over the lanes, the second is the same for all.
            let end = start + length - lag
            for t in 0..<hop {
                let first = VectorMath.load4(x + end - 3 + t)
                let reversed = SIMD4<Float>(first[3], first[2], first[1], first[0])
                added += SIMD4<Double>(reversed * SIMD4<Float>(repeating: x[end + lag + t]))
            }
            for j in 0..<4 { sums[lag + j] += added[j] - removed[j] }
            lag += 4
        }
        while lag <= maxLag {
            var removed = 0.0, added = 0.0
            for i in start..<(start + hop) { removed += Double(x[i] * x[i + lag]) }
            let end = start + length - lag
            for i in end..<(end + hop) { added += Double(x[i] * x[i + lag]) }
            sums[lag] += added - removed
            lag += 1
        }
    }

    /// - Parameters:
    ///   - onset: onset-strength envelope.
    ///   - frameRate: frames per second.
    ///   - bpm: the track's tempo (the metrical level to follow).
    public init(onset: [Float], frameRate: Double, bpm: Double) {
        let period = 60 * frameRate / bpm
        let x = OnsetAutocorrelation.detrend(onset, window: Int(frameRate))
        let n = x.count
        let length = Int(max(Self.windowSeconds * frameRate, Self.minimumWindowBeats * period))
        let hop = max(1, Int(Self.hopSeconds * frameRate))
        let steps = Self.candidateSteps
        let candidates = (-steps...steps).map { period * exp(Double($0) * Self.logStep) }
        let maxLag = Int((4 * candidates.last!).rounded(.up)) + 1
        guard n > length, length > maxLag else {
            self.init(frameRate: frameRate, period: period)
            return
        }
        var centres: [Double] = []
        var scores: [[Double]] = []
        var periodicity: [[Double]] = []
        // Sums of products over the window, slid a hop at a time: each hop removes the products that start before
        // the new window and adds those that now end inside it.
        x.withUnsafeBufferPointer { buffer in
            let x = buffer.baseAddress!
            var sums = OnsetAutocorrelation.lagSums(x, count: length, maxLag: maxLag, as: Double.self)
            var start = 0
            while true {
                let zero = sums[0] / Double(length)
                func value(_ lag: Double) -> Double {
                    let i = Int(lag), f = lag - Double(i)
                    let a = sums[i] / Double(length - i), b = sums[i + 1] / Double(length - i - 1)
                    return zero > 0 ? (a * (1 - f) + b * f) / zero : 0
                }
                let combs = candidates.map { value($0) + value(2 * $0) + value(4 * $0) }
                periodicity.append(combs)
                scores.append(
                    candidates.indices.map { k in
                        let deviation = Double(k - steps) * Self.logStep / Self.priorWidth
                        return combs[k] - 0.5 * deviation * deviation
                    })
                centres.append(Double(start + length / 2))
                guard start + hop + length <= n else { break }
                Self.slide(x, start: start, length: length, hop: hop, maxLag: maxLag, sums: &sums)
                start += hop
            }
        }
        // Viterbi over windows: best total score with the move cost.
        let count = candidates.count
        var total = scores[0]
        var back = [[Int]](repeating: [Int](repeating: 0, count: count), count: scores.count)
        for w in 1..<scores.count {
            var next = [Double](repeating: -.infinity, count: count)
            for k in 0..<count {
                for j in max(0, k - Self.maximumMoveSteps)...min(count - 1, k + Self.maximumMoveSteps) {
                    let move = Double((k - j) * (k - j)) * Self.moveCost
                    let candidate = total[j] - move
                    if candidate > next[k] {
                        next[k] = candidate
                        back[w][k] = j
                    }
                }
                next[k] += scores[w][k]
            }
            total = next
        }
        var k = total.indices.max { total[$0] < total[$1] }!
        var path = [Int](repeating: 0, count: scores.count)
        for w in stride(from: scores.count - 1, through: 0, by: -1) {
            path[w] = k
            k = back[w][k]
        }
        self.init(
            frameRate: frameRate, centres: centres, periods: path.map { candidates[$0] },
            strengths: path.indices.map { periodicity[$0][path[$0]] })
    }

    /// The window whose centre lies nearest the frame `t`. Curves read at other tempi have windows of other lengths
    /// (at least ``minimumWindowBeats`` beats), so their centres lie elsewhere and their counts differ: a window of
    /// one is found in another by time, never by index.
    public func window(nearestFrame t: Double) -> Int {
        guard let first = centres.first, let last = centres.last, centres.count > 1 else { return 0 }
        let spacing = (last - first) / Double(centres.count - 1)
        return min(centres.count - 1, max(0, Int(((t - first) / spacing).rounded())))
    }

    /// The beat period (frames) at a frame, linearly interpolated between window centres and constant beyond.
    public func period(atFrame t: Double) -> Double {
        guard let first = centres.first, let last = centres.last, centres.count > 1 else { return periods[0] }
        if t <= first { return periods[0] }
        if t >= last { return periods[periods.count - 1] }
        let spacing = (last - first) / Double(centres.count - 1)
        let position = (t - first) / spacing
        let i = min(Int(position), centres.count - 2)
        let f = position - Double(i)
        return periods[i] * (1 - f) + periods[i + 1] * f
    }

    /// Tempo (BPM) at a time (s).
    public func bpm(atSeconds seconds: Double) -> Double {
        60 * frameRate / period(atFrame: seconds * frameRate)
    }
}
