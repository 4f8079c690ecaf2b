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

    public var barCount: Int { max(0, boundaries.count - 1) }

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

    /// The first bar starting at or after `time` (within 0.1 s), or `barCount` if none.
    public func bar(atOrAfter time: Double) -> Int {
        boundaries.firstIndex { $0 >= time - 0.1 }.map { min($0, barCount) } ?? barCount
    }
}
