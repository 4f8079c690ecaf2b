import Foundation

/// The fundamental frequency of a monophonic signal, frame by frame: what ``PitchTracker`` finds.
public struct PitchTrack: Sendable, Equatable {
    /// Seconds between frames; frame `i` is centred on `i * hopSeconds`.
    public let hopSeconds: Double
    /// The fundamental frequency per frame in Hz; 0 where the frame is unvoiced.
    public var frequencies: [Float]
    /// The probability that the frame is voiced (pYIN's sum of candidate probabilities), in [0, 1].
    public var voicedProbabilities: [Float]

    public init(hopSeconds: Double, frequencies: [Float], voicedProbabilities: [Float]) {
        precondition(frequencies.count == voicedProbabilities.count, "one voicing probability per frame")
        self.hopSeconds = hopSeconds
        self.frequencies = frequencies
        self.voicedProbabilities = voicedProbabilities
    }

    public var frameCount: Int { frequencies.count }

    /// The centre of frame `index` in seconds.
    public func time(ofFrame index: Int) -> Double { Double(index) * hopSeconds }

    /// The frames whose centres lie nearest the times from `start` to `end` (s), within the track; empty where
    /// `end` comes first.
    public func frames(from start: Double, to end: Double) -> Range<Int> {
        let lower = max(0, Int((start / hopSeconds).rounded()))
        return lower..<max(lower, min(frameCount, Int((end / hopSeconds).rounded())))
    }

    /// The fractional MIDI pitch of frame `index` (69 = A4 = 440 Hz); nil where the frame is unvoiced.
    public func midiPitch(ofFrame index: Int) -> Double? {
        let f = frequencies[index]
        return f > 0 ? PitchTrack.midiPitch(hertz: Double(f)) : nil
    }

    /// The fractional MIDI pitch of a frequency (69 = A4 = 440 Hz, 12 per octave).
    public static func midiPitch(hertz: Double) -> Double { 69 + 12 * log2(hertz / 440) }

    /// The frequency of a fractional MIDI pitch.
    public static func hertz(midiPitch: Double) -> Double { 440 * pow(2, (midiPitch - 69) / 12) }
}
