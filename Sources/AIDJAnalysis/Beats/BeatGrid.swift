import Foundation

/// Beats of a track with their place in the bar and the phrase starts, and the tempo measured from them.
public struct BeatGrid: Sendable, Equatable {
    /// Beat times in seconds, increasing.
    public var times: [Double]
    /// Position of each beat in its 4/4 bar: 1 (downbeat) … 4.
    public var barPositions: [Int]
    /// Indices into `times` of the downbeats that start a phrase (8, 16 or 32 bars).
    public var phraseStarts: [Int]
    /// Tempo from the beat times (BPM): the slope of a least-squares line through them.
    public var bpm: Double
    /// True when the beats lie on a constant-tempo grid (residual RMS under 15 ms) and were snapped to it.
    public var isSteady: Bool

    public init(times: [Double], barPositions: [Int], phraseStarts: [Int], bpm: Double, isSteady: Bool) {
        self.times = times
        self.barPositions = barPositions
        self.phraseStarts = phraseStarts
        self.bpm = bpm
        self.isSteady = isSteady
    }

    public static let empty = BeatGrid(times: [], barPositions: [], phraseStarts: [], bpm: 0, isSteady: false)

    /// Times of the downbeats (bar starts).
    public var downbeats: [Double] { zip(times, barPositions).filter { $0.1 == 1 }.map(\.0) }

    /// Extends a constant-tempo grid over the whole sounding part of a track: the tracker drops weak beats at the
    /// ends (and cannot see a beat on the very first sample), but a DJ needs the grid from the first sound to the
    /// last. Beats are added a period at a time while they stay within [`start` − period/2, `end`].
    static func extend(_ times: [Double], period: Double, from start: Double, to end: Double) -> [Double] {
        guard var first = times.first, var last = times.last, period > 0 else { return times }
        var before: [Double] = []
        while first - period >= start - period / 2 && first - period > -period / 2 {
            first -= period
            before.append(max(0, first))
        }
        var after: [Double] = []
        while last + period <= end {
            last += period
            after.append(last)
        }
        return before.reversed() + times + after
    }

    /// Fits a constant-tempo line through tracked beats: each beat gets its index on the grid (intervals are
    /// rounded to whole periods, so a skipped or doubled beat does not bend the line), then least squares.
    /// Steady material (residual RMS < 15 ms) is snapped to the line; anything else keeps the tracked times.
    ///
    /// - Returns: beat times and tempo.
    static func fit(_ tracked: [Double]) -> (times: [Double], bpm: Double, isSteady: Bool) {
        guard tracked.count >= 4 else {
            let bpm = tracked.count >= 2 ? 60 * Double(tracked.count - 1) / (tracked.last! - tracked.first!) : 0
            return (tracked, bpm, false)
        }
        let intervals = zip(tracked.dropFirst(), tracked).map { $0 - $1 }.sorted()
        let median = intervals[intervals.count / 2]
        var indices = [0.0]
        for i in 1..<tracked.count {
            indices.append(indices[i - 1] + max(1, ((tracked[i] - tracked[i - 1]) / median).rounded()))
        }
        let n = Double(tracked.count)
        let mx = indices.reduce(0, +) / n, my = tracked.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for i in tracked.indices {
            sxy += (indices[i] - mx) * (tracked[i] - my)
            sxx += (indices[i] - mx) * (indices[i] - mx)
        }
        let period = sxy / sxx
        let offset = my - period * mx
        let residual = (tracked.indices.map { pow(tracked[$0] - (offset + period * indices[$0]), 2) }.reduce(0, +) / n)
            .squareRoot()
        guard residual < 0.015, period > 0 else {
            return (tracked, 60 * Double(tracked.count - 1) / (tracked.last! - tracked.first!), false)
        }
        let count = Int(indices.last!) + 1
        return ((0..<count).map { offset + period * Double($0) }, 60 / period, true)
    }
}
