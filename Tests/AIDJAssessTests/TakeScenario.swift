import AIDJAssess
import AIDJComposer
import AIDJSynth
import Foundation

/// A reference melody and a take of it with known mistakes, rendered by AIDJSynth at 16 kHz: the known answers the
/// assessor must find.
struct TakeScenario {
    /// The reference: (beat, length in beats, MIDI pitch), 120 BPM, 4/4.
    static let melody: [(beat: Double, length: Double, pitch: Int)] = {
        let pitches = [
            67, 69, 71, 72, 74, 72, 71, 69, 67, 67, 64, 65, 67, 72, 71, 69,
            67, 65, 64, 62, 64, 65, 67, 69, 71, 72, 74, 76, 74, 72, 71, 72,
        ]
        let lengths: [Double] = [
            1, 0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 1,
            1, 0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 2,
        ]
        var beat = 0.0
        return zip(lengths, pitches).map { length, pitch in
            defer { beat += length }
            return (beat, length, pitch)
        }
    }()

    static func referenceMIDI() -> MIDIFile {
        let notes = melody.map {
            MIDIFile.Note(
                startTick: Int($0.beat * 480), endTick: Int(($0.beat + $0.length) * 480), pitch: $0.pitch)
        }
        return MIDIFile(
            ticksPerQuarter: 480, format: 1, notes: notes, tempos: [(0, 500_000)], timeSignatures: [(0, 4, 4)])
    }

    /// What was done to each reference note.
    struct Mistake {
        var semitones = 0
        var missed = false
        var shiftSeconds = 0.0
        var detuneCents = 0.0
    }

    var tempoRatio = 0.9  // take tempo / reference tempo
    var tuningCents = 20.0
    var mistakes: [Int: Mistake] = [
        5: Mistake(semitones: 1), 12: Mistake(semitones: -2), 20: Mistake(missed: true),
        8: Mistake(shiftSeconds: 0.07), 17: Mistake(shiftSeconds: -0.06), 25: Mistake(shiftSeconds: 0.09),
        10: Mistake(detuneCents: 40), 28: Mistake(detuneCents: -35),
    ]
    /// Extra notes: after reference note `after`, at `pitch`.
    var extras: [(after: Int, pitch: Int)] = [(15, 73)]
    /// Notes not played: the note before them is held on through their slot instead, with no new attack (a wrong
    /// note at the pitch before it, played legato).
    var heldOver: Set<Int> = []
    /// A room's ring after each note: a tail at the note's pitch from its end, starting 10 dB down and falling 60 dB
    /// over this many seconds (0: a dry take).
    var reverbSeconds = 0.0

    /// Reference seconds → take seconds: the take's tempo with a gentle rubato (±4 % over 6 s).
    func warp(_ t: Double) -> Double {
        0.4 + (t - 0.04 * 6 / (2 * Double.pi) * (cos(2 * Double.pi * t / 6) - 1)) / tempoRatio
    }

    /// The take at 16 kHz: each note held for 85 % of its length, as a player articulates.
    func render() -> [Float] {
        let beat = 0.5
        let end = warp(Self.melody.last!.beat * beat + 2) + 0.5
        var out = [Float](repeating: 0, count: Int(end * 16_000))
        func play(_ start: Double, _ length: Double, _ pitch: Double) {
            Voice.tone(
                into: &out, at: Int(start * 16_000), sampleRate: 16_000, midi: pitch, duration: length, gain: 0.3,
                release: 0.03)
        }
        func ring(from start: Double, _ pitch: Double) {
            let omega = 2 * Double.pi * 440 * pow(2, (pitch - 69) / 12) / 16_000
            let first = Int(start * 16_000)
            for k in 0..<Int(reverbSeconds * 16_000) where first + k < out.count {
                let level = -10 - 60 * Double(k) / (reverbSeconds * 16_000)
                out[first + k] += 0.3 * Float(pow(10, level / 20) * 0.6 * sin(omega * Double(k)))
            }
        }
        for (i, note) in Self.melody.enumerated() {
            let m = mistakes[i] ?? Mistake()
            guard !m.missed, !heldOver.contains(i) else { continue }
            let start = warp(note.beat * beat) + m.shiftSeconds
            var last = i
            while heldOver.contains(last + 1) { last += 1 }
            let slotEnd = Self.melody[last].beat + Self.melody[last].length
            // Cut short to make room for an extra note, or for its own lateness: one note sounds at a time.
            let held = extras.contains { $0.after == last } ? 0.55 : 0.85
            let from = warp(Self.melody[last].beat * beat)
            let length = from - start + held * (warp(slotEnd * beat) - from) - max(0, m.shiftSeconds)
            let pitch = Double(note.pitch + m.semitones) + (tuningCents + m.detuneCents) / 100
            play(start, length, pitch)
            if reverbSeconds > 0 { ring(from: start + length, pitch) }
        }
        for extra in extras {
            let note = Self.melody[extra.after]
            let start = warp((note.beat + note.length * 0.6) * beat)
            play(start, 0.12, Double(extra.pitch) + tuningCents / 100)
        }
        return out
    }
}
