public import AIDJStore
import Foundation

/// A track's bars as the mixer uses them: bar boundaries (downbeats, plus the end of the last whole bar) and
/// which bars start phrases.
public struct BarGrid: Sendable, Equatable {
    /// Beat times (s).
    public var beats: [Double]
    /// Bar boundaries (s): `boundaries[k]` starts bar k; the last entry ends the last whole bar.
    public var boundaries: [Double]
    /// Bars that start a phrase.
    public var phraseBars: Set<Int>
    /// The track's sections on its bars, in order (empty for a track analysed before sections were stored).
    public var sections: [Section] = []

    /// A section of the arrangement, in bars of the grid.
    public struct Section: Sendable, Equatable {
        public var label: String
        /// Its bars: from the first bar starting at or after its start to the first at or after its end.
        public var bars: Range<Int>
        public var hasBeat: Bool

        public init(label: String, bars: Range<Int>, hasBeat: Bool) {
            self.label = label
            self.bars = bars
            self.hasBeat = hasBeat
        }

        public var isMain: Bool { label == "main" }
    }

    public var barCount: Int { max(0, boundaries.count - 1) }

    /// Beats in a bar: the most common count of beats between two boundaries (3 for a track in 3/4), nil without
    /// whole bars. Beat-matched transitions lay bars over bars, so they need the same count on both sides.
    public var beatsPerBar: Int? {
        guard barCount > 0 else { return nil }
        var counts: [Int: Int] = [:]
        var b = beats.firstIndex { $0 >= boundaries[0] - 0.05 } ?? beats.count
        for k in 0..<barCount {
            var n = 0
            while b < beats.count, beats[b] < boundaries[k + 1] - 0.05 {
                n += 1
                b += 1
            }
            counts[n, default: 0] += 1
        }
        let most = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
        return most > 0 ? most : nil
    }

    /// From stored beats: downbeats are the beats at bar position 1; bars that end after the last sound (plus
    /// half a bar) are not used.
    public init(beats records: [BeatRecord], lastSoundS: Double) {
        beats = records.map(\.timeS)
        var starts: [Double] = []
        var phrases: Set<Int> = []
        for record in records where record.barPosition == 1 {
            if record.phraseStart { phrases.insert(starts.count) }
            starts.append(record.timeS)
        }
        var boundaries = starts
        if starts.count >= 2 {
            let lastLength = starts[starts.count - 1] - starts[starts.count - 2]
            boundaries.append(starts[starts.count - 1] + lastLength)
            while boundaries.count >= 2 {
                let length = boundaries[boundaries.count - 1] - boundaries[boundaries.count - 2]
                if boundaries[boundaries.count - 1] <= lastSoundS + length / 2 { break }
                boundaries.removeLast()
            }
        }
        let kept = boundaries.count >= 2 ? boundaries : []
        self.boundaries = kept
        phraseBars = phrases.filter { $0 < max(0, kept.count - 1) }
    }

    public init(beats: [Double], boundaries: [Double], phraseBars: Set<Int>) {
        self.beats = beats
        self.boundaries = boundaries
        self.phraseBars = phraseBars
    }

    /// Places stored sections on the bars.
    public mutating func place(_ records: [TrackSectionRecord]) {
        sections = records.compactMap { r in
            let from = bar(atOrAfter: r.startS), to = bar(atOrAfter: r.endS)
            return to > from ? Section(label: r.label, bars: from..<to, hasBeat: r.hasBeat) : nil
        }
        if var last = sections.popLast() {
            // The last section runs to the last whole bar.
            last.bars = last.bars.lowerBound..<barCount
            sections.append(last)
        }
    }

    /// The first bar of the first main section, nil without sections.
    public var firstMainBar: Int? { sections.first(where: \.isMain)?.bars.lowerBound }
    /// The bar after the last main section (where the outro starts), nil without sections.
    public var lastMainEnd: Int? { sections.last(where: \.isMain)?.bars.upperBound }

    /// Whether a beat is heard through every bar of `bars` (true without sections: the grid is all there is).
    public func hasBeat(through bars: Range<Int>) -> Bool {
        sections.allSatisfy { $0.hasBeat || !$0.bars.overlaps(bars) }
    }

    /// How many bars of `bars` lie in main sections.
    public func mainBars(in bars: Range<Int>) -> Int {
        sections.filter(\.isMain).map { $0.bars.clamped(to: bars).count }.reduce(0, +)
    }

    /// The first bar starting at or after `time` (within 0.1 s), or `barCount` if none.
    public func bar(atOrAfter time: Double) -> Int {
        boundaries.firstIndex { $0 >= time - 0.1 }.map { min($0, barCount) } ?? barCount
    }
}
