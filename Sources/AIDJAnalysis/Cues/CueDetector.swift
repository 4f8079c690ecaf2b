import Foundation

/// Mix cue points: where sound starts and ends, and where the full arrangement starts (intro end) and stops
/// (outro start), on downbeats and, where one is within two bars, on a phrase start.
///
/// "Full arrangement" is read from bar loudness: the main level is the 75th percentile of the bars' loudness;
/// a bar belongs to the body when it is within 3 dB of it and so are most of the next four bars (a single loud
/// fill in an intro does not end it). Without beats, the same rule runs on one-second blocks.
public struct CueDetector: Sendable {
    /// A bar this far below the main level (dB) is intro/outro material. Default 3.
    public var bodyToleranceDB = 3.0
    /// Sound starts where frame RMS first exceeds both −60 dBFS and the track's peak RMS − 40 dB.
    public var soundFloorDBFS = -60.0
    public var soundRelativeDB = -40.0

    public init() {}

    /// Where sound starts, the full arrangement starts (intro end), the outro starts, and sound ends; seconds.
    public struct Cues: Sendable, Equatable, Codable {
        /// Seconds.
        public var firstSound: Double
        public var introEnd: Double
        public var outroStart: Double
        public var lastSound: Double
    }

    /// Where sound starts and ends (s), or nil for silence.
    public func soundBounds(frames: FrameFeatures, duration: Double) -> (first: Double, last: Double)? {
        let peak = frames.rms.max() ?? 0
        let threshold = max(Float(pow(10, soundFloorDBFS / 20)), peak * Float(pow(10, soundRelativeDB / 20)))
        guard peak > 0, let first = frames.rms.firstIndex(where: { $0 > threshold }),
            let last = frames.rms.lastIndex(where: { $0 > threshold })
        else { return nil }
        return (max(0, frames.time(ofFrame: first)), min(duration, frames.time(ofFrame: last)))
    }

    /// The mix cues of a track: sound bounds from the RMS envelope, intro end and outro start where the energy
    /// reaches and leaves its body level, moved onto beats (phrase starts where near).
    public func detect(frames: FrameFeatures, grid: BeatGrid, duration: Double) -> Cues {
        guard let (firstSound, lastSound) = soundBounds(frames: frames, duration: duration) else {
            return Cues(firstSound: 0, introEnd: 0, outroStart: duration, lastSound: duration)
        }

        // Blocks: bars when there is a beat grid with downbeats, else one-second windows.
        var starts = grid.downbeats
        if starts.count < 4 {
            starts = Array(stride(from: firstSound, to: lastSound, by: 1.0))
        }
        guard starts.count >= 2 else {
            return Cues(firstSound: firstSound, introEnd: firstSound, outroStart: lastSound, lastSound: lastSound)
        }
        let ends = Array(starts.dropFirst()) + [min(duration, starts.last! + (starts.last! - starts[starts.count - 2]))]
        let loudness = zip(starts, ends).map { start, end -> Double in
            let a = frames.frame(at: start), b = max(a + 1, frames.frame(at: end))
            var energy = 0.0
            for f in a..<min(b, frames.frameCount) { energy += Double(frames.rms[f] * frames.rms[f]) }
            return 10 * log10(energy / Double(b - a) + 1e-12)
        }
        let sorted = loudness.sorted()
        let main = sorted[min(sorted.count - 1, Int(0.75 * Double(sorted.count)))]
        let inBody = loudness.map { $0 >= main - bodyToleranceDB }
        func sustained(_ i: Int, forward: Bool) -> Bool {
            guard inBody[i] else { return false }
            let range = forward ? Array(i..<min(inBody.count, i + 4)) : Array(max(0, i - 3)...i)
            return range.filter { inBody[$0] }.count * 4 >= range.count * 3
        }
        let bodyStart = (0..<inBody.count).first { sustained($0, forward: true) } ?? 0
        let bodyEnd = (0..<inBody.count).last { sustained($0, forward: false) } ?? (inBody.count - 1)
        var introEnd = starts[bodyStart]
        var outroStart = ends[bodyEnd]
        // Prefer a phrase start within two bars.
        let phraseTimes = grid.phraseStarts.map { grid.times[$0] }
        let barLength = 240 / max(grid.bpm, 1)
        if let phrase = phraseTimes.min(by: { abs($0 - introEnd) < abs($1 - introEnd) }),
            abs(phrase - introEnd) <= 2 * barLength + 0.01
        {
            introEnd = phrase
        }
        if let phrase = phraseTimes.min(by: { abs($0 - outroStart) < abs($1 - outroStart) }),
            abs(phrase - outroStart) <= 2 * barLength + 0.01
        {
            outroStart = phrase
        }
        introEnd = max(firstSound, min(introEnd, lastSound))
        outroStart = max(introEnd, min(outroStart, lastSound))
        return Cues(firstSound: firstSound, introEnd: introEnd, outroStart: outroStart, lastSound: lastSound)
    }
}
