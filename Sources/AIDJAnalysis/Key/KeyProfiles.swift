import Foundation

/// The pitch-class evidence a key estimate reads: treble and bass profiles over the sounding part of a track, and
/// over its ending when the track ends rather than stops.
///
/// Tonal music goes home at its close: the final cadence is on the tonic (the labels of the score renders follow
/// the same convention, the key signature's major or relative minor chosen by the final bass note). But a record
/// that loops or is cut off ends anywhere. The ending profiles were first used on every track and took agreement
/// with Essentia on 47 real game-music recordings, which loop and fade rather than cadence, from 0.54 to 0.35
/// (MIREX weighted, `aidj-bench eval`). So they count only when the track *ends* (``hasEnding``): its sound stops
/// before the file does — a loop point or a cut does not — and it is at full level in the seconds before the
/// release — a fade-out is not. On the game-music records a fade is mostly 10–25 dB under the track's median
/// level 2–4 s before its last sound; a score render's final chord is within a few dB of it. Six of 50 such
/// records end by this rule (warzone2100 tracks that stop on a chord, one frozen-bubble intro).
///
/// Each profile is the sum over frames of the per-frame chroma weighted by how tonal the frame is
/// (``tonalWeight(_:frame:)``), normalized to sum 1 (all zeros when nothing tonal sounds).
public struct KeyProfiles: Sendable, Equatable {
    /// Seconds before and after the last sound that make the ending profiles: the final chord and the one before
    /// it at chorale tempi, and the release. The release counts because the chroma of a decaying chord is as clean
    /// as its attack (tonal weight does not depend on level). Held-out MIREX of the chorale renders (153, three
    /// soundfonts; models fitted on the renders without the AIDJSynth family): 0.974 at 2 s with the release (the
    /// same with 1 or 4 s of it), 0.987 at 1.5 s, 0.959 at 3 s, and 0.945 at 4 s without the release. The grooves
    /// held out are all exact at 2 s and lose three keys at 1 s.
    public static let endingSeconds = 2.0
    /// Silence after the last sound (s) from which a track is taken to end rather than stop: a release is longer
    /// than this, a loop point or a cut is shorter.
    public static let minimumRelease = 0.5
    /// The seconds before the last sound in which the loudest frame is compared with the track's median frame
    /// level, and how far under that median (dB) it may be for the track to end rather than fade out.
    public static let finalLevelWindow = 1.0...3.0
    public static let fadeDepthDB = 6.0

    /// Treble chroma (130 Hz–5 kHz peaks) over the whole track.
    public var treble: [Double]
    /// Bass chroma (55–260 Hz peaks) over the whole track.
    public var bass: [Double]
    /// Total tonal weight behind `treble` (frames × weight): 0 for silence or unpitched material.
    public var tonalFrames: Double
    /// Seconds of sound the profiles were gathered over (first to last sounding frame); 0 when not known.
    public var soundingSeconds: Double
    /// Treble and bass chroma over the last ``endingSeconds`` of sound and as long of its release (zeros unless
    /// ``hasEnding``).
    public var endingTreble: [Double]
    public var endingBass: [Double]
    /// Whether the track ends — its sound stops at least ``minimumRelease`` before the file does, it is within
    /// ``fadeDepthDB`` of its median level in ``finalLevelWindow`` before that (no fade-out), and something tonal
    /// sounds in its last seconds — so that the ending profiles say where the music goes home.
    public var hasEnding: Bool

    public init(
        treble: [Double], bass: [Double], tonalFrames: Double, endingTreble: [Double]? = nil,
        endingBass: [Double]? = nil, soundingSeconds: Double = 0
    ) {
        self.treble = treble
        self.bass = bass
        self.tonalFrames = tonalFrames
        self.soundingSeconds = soundingSeconds
        self.endingTreble = endingTreble ?? [Double](repeating: 0, count: 12)
        self.endingBass = endingBass ?? [Double](repeating: 0, count: 12)
        self.hasEnding = endingTreble != nil && endingBass != nil
    }

    /// - Parameters:
    ///   - features: the track's frame features.
    ///   - sound: first and last sounding time (s), or nil to use every frame (and read no ending).
    ///   - duration: the file's length (s).
    public init(features: FrameFeatures, sound: (first: Double, last: Double)?, duration: Double) {
        let first = sound.map { features.frame(at: $0.first) } ?? 0
        let last = sound.map { features.frame(at: $0.last) } ?? max(0, features.frameCount - 1)
        let endingFirst = sound.map { features.frame(at: max($0.first, $0.last - Self.endingSeconds)) } ?? 0
        // The ending runs on into the release, as long again (room tone or hum further on is not the music).
        let endingLast = sound.map { features.frame(at: $0.last + Self.endingSeconds) } ?? last
        var treble = [Double](repeating: 0, count: 12), bass = treble
        var endingTreble = treble, endingBass = treble
        var tonal = 0.0, endingTonal = 0.0
        if features.frameCount > 0 {
            for f in first...endingLast {
                let weight = Self.tonalWeight(features.chroma, frame: f)
                if f <= last {
                    tonal += weight
                    for p in 0..<12 {
                        treble[p] += weight * Double(features.chroma[f * 12 + p])
                        bass[p] += weight * Double(features.bassChroma[f * 12 + p])
                    }
                }
                guard f >= endingFirst else { continue }
                endingTonal += weight
                for p in 0..<12 {
                    endingTreble[p] += weight * Double(features.chroma[f * 12 + p])
                    endingBass[p] += weight * Double(features.bassChroma[f * 12 + p])
                }
            }
        }
        let ending =
            sound.map { duration - $0.last >= Self.minimumRelease } == true
            && Self.endsAtFullLevel(features.rms, first: first, last: last, frameRate: features.frameRate)
            && endingTonal > 0 && !Self.isFlat(endingTreble)
        self.init(
            treble: Self.normalized(treble), bass: Self.normalized(bass), tonalFrames: tonal,
            endingTreble: ending ? Self.normalized(endingTreble) : nil,
            endingBass: ending ? Self.normalized(endingBass) : nil,
            soundingSeconds: features.frameCount > 0 ? Double(last - first + 1) / features.frameRate : 0)
    }

    /// Whether the loudest frame in ``finalLevelWindow`` before frame `last` is within ``fadeDepthDB`` of the median
    /// frame level over `first...last`: the music plays on at its level up to its last notes rather than fading.
    static func endsAtFullLevel(_ rms: [Float], first: Int, last: Int, frameRate: Double) -> Bool {
        guard last > first, last < rms.count else { return false }
        let window =
            max(
                first, last - Int(finalLevelWindow.upperBound * frameRate))...max(
                first, last - Int(finalLevelWindow.lowerBound * frameRate))
        let levels = rms[first...last].sorted()
        let median = levels[levels.count / 2]
        let final = rms[window].max() ?? 0
        return final > 0 && 20 * log10(Double(final) / Double(max(median, .leastNonzeroMagnitude))) >= -fadeDepthDB
    }

    /// How tonal a frame's pitch-class profile is: (1 − flatness)², flatness being the geometric over the
    /// arithmetic mean of the 12 bins. Chords give peaked profiles (weight near 1); cymbals and noise spread over
    /// all bins (weight near 0), so drum-only passages do not blur the key profile.
    static func tonalWeight(_ chroma: [Float], frame f: Int) -> Double {
        var logSum = 0.0, sum = 0.0
        for p in 0..<12 {
            let x = Double(chroma[f * 12 + p]) + 1e-9
            logSum += log(x)
            sum += x
        }
        let flatness = exp(logSum / 12) / (sum / 12)
        return (1 - flatness) * (1 - flatness)
    }

    static func normalized(_ x: [Double]) -> [Double] {
        let total = x.reduce(0, +)
        return total > 1e-12 ? x.map { $0 / total } : x.map { _ in 0 }
    }

    /// A profile with no pitch class standing out (all equal within 1 %, or all zero).
    static func isFlat(_ profile: [Double]) -> Bool {
        guard let top = profile.max(), let bottom = profile.min(), top > 0 else { return true }
        return (top - bottom) <= 0.01 * top
    }
}
