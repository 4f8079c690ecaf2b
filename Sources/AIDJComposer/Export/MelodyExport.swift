public import AIDJAudio
public import AIDJCore
import AIDJSynth
public import Foundation

/// Writes melodies as MIDI, ABC notation, JSON events and audio.
public enum MelodyExport {
    /// A format-1 MIDI file: tempo, 4/4, the instrument `program` (General MIDI, 0–127; default 73, flute).
    public static func midi(_ melody: Melody, bpm: Double, program: Int = 73, ticksPerQuarter: Int = 480) -> MIDIFile {
        let stepTicks = ticksPerQuarter / Melody.stepsPerQuarter
        let notes = melody.notes.map {
            MIDIFile.Note(
                startTick: $0.start * stepTicks, endTick: ($0.start + $0.length) * stepTicks, pitch: $0.pitch,
                velocity: 90, channel: 0, track: 1)
        }
        return MIDIFile(
            ticksPerQuarter: ticksPerQuarter, format: 1, notes: notes,
            tempos: [(0, Int((60_000_000 / bpm).rounded()))], timeSignatures: [(0, 4, 4)], programs: [0: program])
    }

    /// ABC notation (abc 2.1): unit length 1/16, 4/4, bar lines every 16 steps, notes tied across bar lines.
    public static func abc(_ melody: Melody, title: String, bpm: Double, key: MusicalKey?) -> String {
        var lines = ["X:1", "T:\(title)", "M:4/4", "L:1/16", "Q:1/4=\(Int(bpm.rounded()))"]
        // Accidentals are written explicitly, so the key line only documents the key.
        let keyName = key.map { MusicalKey.pitchClassNames[$0.tonic] + ($0.mode == .minor ? "m" : "") } ?? "C"
        lines.append("K:\(keyName) exp")
        var body = ""
        var events: [(start: Int, length: Int, pitch: Int?)] = []
        var cursor = 0
        for note in melody.notes {
            if note.start > cursor { events.append((cursor, note.start - cursor, nil)) }
            events.append((note.start, note.length, note.pitch))
            cursor = note.start + note.length
        }
        let total = max(cursor, melody.tokens.count)
        if total > cursor { events.append((cursor, total - cursor, nil)) }
        // An accidental holds for the same pitch letter and octave until the bar line (abc 2.1 §4.2): a natural
        // after a sharp in the same bar needs an explicit "=".
        var sharpened = Set<Int>()  // natural pitches sharpened earlier in this bar
        for event in events {
            var start = event.start, remaining = event.length
            while remaining > 0 {
                let untilBar = Melody.stepsPerBar - start % Melody.stepsPerBar
                let piece = min(remaining, untilBar)
                var name = "z"
                if let pitch = event.pitch {
                    let tiedIn = start != event.start  // continuation after a bar line: no new accidental state
                    name = abcPitch(pitch)
                    if name.hasPrefix("^") {
                        if !tiedIn { sharpened.insert(pitch - 1) }
                    } else if sharpened.contains(pitch) {
                        name = "=" + name
                        sharpened.remove(pitch)
                    }
                }
                body += name + (piece == 1 ? "" : "\(piece)")
                remaining -= piece
                start += piece
                if remaining > 0 && event.pitch != nil { body += "-" }
                if start % Melody.stepsPerBar == 0 {
                    body += " | "
                    sharpened.removeAll()
                } else {
                    body += " "
                }
            }
        }
        lines.append(body.trimmingCharacters(in: .whitespaces) + (body.hasSuffix("| ") ? "]" : " |]"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// ABC pitch: C = middle C (60), c = 72, C, = 48, c' = 84; sharps as ^.
    static func abcPitch(_ midi: Int) -> String {
        let names = ["C", "^C", "D", "^D", "E", "F", "^F", "G", "^G", "A", "^A", "B"]
        var name = names[midi % 12]
        let octave = midi / 12 - 5  // 0 for 60–71
        if octave >= 1 {
            name = name.lowercased() + String(repeating: "'", count: octave - 1)
        } else if octave < 0 {
            name += String(repeating: ",", count: -octave)
        }
        return name
    }

    /// JSON events: {"bpm", "steps", "notes": [{"start_step", "length_steps", "pitch", "start_s", "duration_s"}],
    /// "tokens"}.
    public static func json(_ melody: Melody, bpm: Double) throws -> Data {
        struct Note: Encodable {
            var start_step: Int, length_steps: Int, pitch: Int, start_s: Double, duration_s: Double
        }
        struct Document: Encodable {
            var bpm: Double, steps: Int, notes: [Note], tokens: [Int32]
        }
        let step = 60 / bpm / Double(Melody.stepsPerQuarter)
        let document = Document(
            bpm: bpm, steps: melody.tokens.count,
            notes: melody.notes.map {
                Note(
                    start_step: $0.start, length_steps: $0.length, pitch: $0.pitch,
                    start_s: Double($0.start) * step, duration_s: Double($0.length) * step)
            },
            tokens: melody.tokens)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(document)
    }

    /// Renders the melody with a soft plucked voice (decaying harmonics, short attack, release at the note's end,
    /// so nothing clicks), 44.1 kHz stereo, peak-normalized to −3 dBFS.
    public static func audio(_ melody: Melody, bpm: Double, sampleRate: Int = 44_100) -> AudioBuffer {
        let step = 60 / bpm / Double(Melody.stepsPerQuarter)
        let seconds = Double(melody.tokens.count) * step + 1
        var samples = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
        for note in melody.notes {
            Voice.tone(
                into: &samples, at: Int(Double(note.start) * step * Double(sampleRate)), sampleRate: Double(sampleRate),
                midi: Double(note.pitch), duration: Double(note.length) * step * 0.95, gain: 0.3, harmonics: 6,
                rolloff: 0.55, attack: 0.006, decay: 0.35, sustain: 0.25, release: 0.12)
        }
        let peak = samples.map(abs).max() ?? 0
        if peak > 0 { for i in samples.indices { samples[i] *= 0.708 / peak } }
        return AudioBuffer(channels: [samples, samples], sampleRate: sampleRate)
    }
}
