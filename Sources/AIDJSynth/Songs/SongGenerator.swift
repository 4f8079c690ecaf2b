public import AIDJAudio
import AIDJCore
import Foundation

/// What to synthesize: style, tempo, key and form. Everything is deterministic given the seed.
public struct SongSpec: Sendable, Codable {
    public var style: GrooveStyle
    /// Beats per minute.
    public var bpm: Double
    public var keyTonic: Int
    public var keyIsMinor: Bool
    /// Bars of drums alone at the start (the intro) and at the end (the outro).
    public var introBars: Int
    public var bodyBars: Int
    public var outroBars: Int
    public var seed: UInt64
    /// Output sample rate (Hz) and channels.
    public var sampleRate: Int = 44_100
    public var stereo = true
    /// Overall gain (linear) before the soft limiter.
    public var gain: Float = 0.5
    /// Silence before the first beat (s).
    public var leadInSeconds = 0.0

    public init(
        style: GrooveStyle, bpm: Double, keyTonic: Int, keyIsMinor: Bool, introBars: Int = 0, bodyBars: Int,
        outroBars: Int = 0, seed: UInt64
    ) {
        self.style = style
        self.bpm = bpm
        self.keyTonic = keyTonic
        self.keyIsMinor = keyIsMinor
        self.introBars = introBars
        self.bodyBars = bodyBars
        self.outroBars = outroBars
        self.seed = seed
    }

    public var totalBars: Int { introBars + bodyBars + outroBars }
    public var beatSeconds: Double { 60 / bpm }
    /// Seconds.
    public var durationSeconds: Double { leadInSeconds + Double(totalBars * 4) * beatSeconds + 1.0 }
}

/// A synthesized song and its ground truth.
public struct Song: Sendable {
    public var spec: SongSpec
    public var audio: AudioBuffer
    /// Every beat time (s).
    public var beatTimes: [Double]
    /// Bar start times (s).
    public var downbeatTimes: [Double]
    /// Start of the full arrangement and of the outro (s).
    public var introEnd: Double
    public var outroStart: Double
}

/// Renders multi-instrument grooves with a chord progression in a known key, for the demo library and for
/// known-answer tests of tempo, beats, downbeats, key and cues.
///
/// Harmony: one chord per bar, cycling I–IV–V–I in major and i–iv–V–i in minor (harmonic minor: the V chord has
/// the raised 7th, which is what tells a minor key from its relative major). Bass plays chord roots; chords are
/// harmonic tones (6 partials), so chroma sees realistic overtones, not pure sines.
public enum SongGenerator {
    /// Renders `spec` to audio, with the ground truth of what was rendered: beat and downbeat times, where the full
    /// arrangement starts and where the outro starts.
    public static func render(_ spec: SongSpec) -> Song {
        let sampleRate = Double(spec.sampleRate)
        let frameCount = Int(spec.durationSeconds * sampleRate)
        var drums = [Float](repeating: 0, count: frameCount)
        var tonal = [Float](repeating: 0, count: frameCount)
        var random = SplitMix64(seed: spec.seed)
        let pattern = spec.style.pattern
        let step = spec.beatSeconds / 4
        let progression =
            spec.keyIsMinor
            ? [(0, true), (5, true), (7, false), (0, true)] : [(0, false), (5, false), (7, false), (0, false)]
        var beats: [Double] = []
        var downbeats: [Double] = []
        for bar in 0..<spec.totalBars {
            let barStart = spec.leadInSeconds + Double(bar * 4) * spec.beatSeconds
            downbeats.append(barStart)
            for beat in 0..<4 { beats.append(barStart + Double(beat) * spec.beatSeconds) }
            let inBody = bar >= spec.introBars && bar < spec.introBars + spec.bodyBars
            func at(_ s: Int) -> Int { Int(((barStart + Double(s) * step) * sampleRate).rounded()) }
            // Drums play throughout; a crash-like open hat marks each 8-bar phrase.
            let velocity: Float = inBody ? 1 : 0.8
            for s in pattern.kick { Voice.kick(into: &drums, at: at(s), sampleRate: sampleRate, gain: 0.9 * velocity) }
            for s in pattern.snare {
                Voice.snare(into: &drums, at: at(s), sampleRate: sampleRate, gain: 0.5 * velocity, random: &random)
            }
            for s in pattern.ghostSnare {
                Voice.snare(into: &drums, at: at(s), sampleRate: sampleRate, gain: 0.15, random: &random)
            }
            for s in pattern.hats {
                let accent: Float = s % 4 == 0 ? 1 : 0.7
                Voice.hat(
                    into: &drums, at: at(s), sampleRate: sampleRate, gain: 0.35 * accent * velocity * pattern.hatGain,
                    random: &random)
            }
            for s in pattern.openHats {
                Voice.hat(
                    into: &drums, at: at(s), sampleRate: sampleRate, gain: 0.3 * velocity, open: true, random: &random)
            }
            if (bar - spec.introBars) % 8 == 0 {
                Voice.hat(into: &drums, at: at(0), sampleRate: sampleRate, gain: 0.5, open: true, random: &random)
            }
            guard inBody else { continue }
            // Harmony.
            let (degree, minorChord) = progression[(bar - spec.introBars) % progression.count]
            let root = spec.keyTonic + degree
            let third = minorChord ? 3 : 4
            let chord = [root, root + third, root + 7].map { Double(60 + (($0 % 12) + 12) % 12) }
            let bassNote = Double(36 + ((root % 12) + 12) % 12)
            for s in pattern.bass {
                Voice.tone(
                    into: &tonal, at: at(s), sampleRate: sampleRate, midi: bassNote, duration: step * 1.8,
                    gain: 0.45, harmonics: 5, rolloff: 0.6, attack: 0.005, decay: 0.1, sustain: 0.7, release: 0.05)
            }
            if let stabs = pattern.chordStabs {
                for s in stabs {
                    for note in chord {
                        Voice.tone(
                            into: &tonal, at: at(s), sampleRate: sampleRate, midi: note, duration: step * 1.5,
                            gain: 0.16, attack: 0.004, decay: 0.08, sustain: 0.5, release: 0.06)
                    }
                }
            } else {
                for note in chord {
                    Voice.tone(
                        into: &tonal, at: at(0), sampleRate: sampleRate, midi: note,
                        duration: 4 * spec.beatSeconds * 0.97,
                        gain: 0.12, attack: 0.08, decay: 0.4, sustain: 0.7, release: 0.1)
                }
            }
            for (i, s) in pattern.arpeggio.enumerated() {
                let note = chord[i % 3] + 12
                Voice.tone(
                    into: &tonal, at: at(s), sampleRate: sampleRate, midi: note, duration: step * 1.6,
                    gain: 0.08, harmonics: 4, rolloff: 0.5, attack: 0.003, decay: 0.15, sustain: 0.3, release: 0.1)
            }
        }
        // Mix: tonal slightly left, drums centred; a gentle tanh limiter keeps peaks below full scale.
        var left = [Float](repeating: 0, count: frameCount)
        var right = left
        for i in 0..<frameCount {
            let l = spec.gain * (drums[i] + 1.1 * tonal[i])
            let r = spec.gain * (drums[i] + 0.9 * tonal[i])
            left[i] = tanh(l)
            right[i] = tanh(r)
        }
        let channels = spec.stereo ? [left, right] : [zip(left, right).map { ($0 + $1) / 2 }]
        let introEnd = spec.leadInSeconds + Double(spec.introBars * 4) * spec.beatSeconds
        let outroStart = spec.leadInSeconds + Double((spec.introBars + spec.bodyBars) * 4) * spec.beatSeconds
        return Song(
            spec: spec, audio: AudioBuffer(channels: channels, sampleRate: spec.sampleRate), beatTimes: beats,
            downbeatTimes: downbeats, introEnd: introEnd, outroStart: outroStart)
    }
}
