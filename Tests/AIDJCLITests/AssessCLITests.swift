import AIDJAudio
import AIDJComposer
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

/// `aidj assess` and `aidj assess history`, end to end.
@Suite("aidj assess")
struct AssessCLITests {
    let folder = TemporaryDirectory("aidj-assess")

    /// Renders the 16-note melody (a semitone up on note `sharp`) at `beat` seconds per note to a WAV file.
    func render(_ pitches: [Int], beat: Double, sharp: Int?, to path: String) throws {
        let rate = 44_100.0
        var samples = [Float](repeating: 0, count: Int((Double(pitches.count) * beat + 1) * rate))
        for (k, pitch) in pitches.enumerated() {
            Voice.tone(
                into: &samples, at: Int((0.3 + Double(k) * beat) * rate), sampleRate: rate,
                midi: Double(pitch + (k == sharp ? 1 : 0)), duration: 0.85 * beat, gain: 0.3, release: 0.03)
        }
        let writer = try AudioFileWriter(path: path, format: .wav16, sampleRate: Int(rate), channels: 1)
        try writer.write(AudioBuffer(mono: samples, sampleRate: Int(rate)))
        try writer.finish()
    }

    static let pitches = [60, 62, 64, 65, 67, 69, 67, 65, 64, 62, 60, 62, 64, 67, 64, 60]

    /// A 16-note reference at 100 BPM and a take of it at 0.9× tempo with its 6th note a semitone sharp.
    func writeFiles() throws -> (reference: String, take: String) {
        let notes = Self.pitches.enumerated().map {
            MIDIFile.Note(startTick: $0.offset * 480, endTick: $0.offset * 480 + 470, pitch: $0.element)
        }
        let midi = MIDIFile(
            ticksPerQuarter: 480, format: 1, notes: notes, tempos: [(0, 600_000)], timeSignatures: [(0, 4, 4)])
        let reference = folder.file("etude.mid")
        try midi.write(to: reference)
        let take = folder.file("take.wav")
        try render(Self.pitches, beat: 0.6 / 0.9, sharp: 5, to: take)
        return (reference, take)
    }

    @Test("text and JSON reports, an SVG piano roll, storing for a listener and the history")
    func endToEnd() throws {
        let (reference, take) = try writeFiles()
        let db = folder.file("a.sqlite")
        let text = try Executable.aidj(["assess", take, "--reference", reference, "--db", db])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("94 % right (15 of 16)"), "\(text.stdout)")
        #expect(text.stdout.contains("played A4 for G4") == false && text.stdout.contains("for A4"))
        #expect(text.stdout.contains("what the figures mean"))

        let plot = folder.file("take.svg")
        let json = try Executable.aidj(["assess", take, "--reference", reference, "--json", "--plot", plot])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["mode"] as? String == "monophonic")
        #expect(abs((object["tempo_ratio"] as? Double ?? 0) - 0.9) < 0.03)
        let notes = object["notes"] as! [[String: Any]]
        #expect(notes.count == 16)
        #expect(notes[5]["status"] as? String == "wrong_pitch" && notes[5]["played_pitch"] as? Int == 70)
        #expect(notes[0].keys.contains("onset_ms") && notes[0].keys.contains("duration_ratio"))
        let summary = object["summary"] as! [String: Any]
        for key in [
            "note_accuracy", "timing_median_ms", "timing_p90_ms", "early", "on_time", "late", "tempo_stability",
            "intonation_mean_cents", "intonation_spread_cents", "loudness_evenness", "score",
        ] {
            #expect(summary.keys.contains(key), "summary has \(key)")
        }
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("played Bb4 for A4") && svg.hasSuffix("</svg>\n"))

        #expect(try Executable.aidj(["listener", "add", "alice", "--db", db]).status == 0)
        for _ in 0..<2 {
            let stored = try Executable.aidj([
                "assess", take, "--reference", reference, "--listener", "alice", "--db", db,
            ])
            #expect(stored.status == 0 && stored.stdout.contains("stored for alice"), "\(stored.stderr)")
        }
        let history = try Executable.aidj(["assess", "history", "alice", "--piece", "ETUDE", "--json", "--db", db])
        #expect(history.status == 0, "\(history.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as! [[String: Any]]
        #expect(rows.count == 2 && rows[0]["piece"] as? String == "etude")
        let table = try Executable.aidj(["assess", "history", "alice", "--db", db])
        #expect(table.stdout.contains("over 2 takes"), "\(table.stdout)")
    }

    @Test("against a reference recording: its notes and its beats are the score")
    func recordingReference() throws {
        let (_, take) = try writeFiles()
        let teacher = folder.file("teacher.wav")
        try render(Self.pitches, beat: 0.6, sharp: nil, to: teacher)
        let result = try Executable.aidj(["assess", take, "--reference", teacher, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let notes = object["notes"] as! [[String: Any]]
        #expect(notes.count == 16)
        #expect(notes.map { $0["status"] as! String }.filter { $0 != "ok" } == ["wrong_pitch"])
        #expect(notes[5]["status"] as? String == "wrong_pitch")
        #expect(abs((object["tempo_ratio"] as? Double ?? 0) - 0.9) < 0.03)
        #expect((object["reference"] as? String)?.contains("(recording)") == true)
        let refused = try Executable.aidj(["assess", take, "--reference", teacher, "--track", "1"])
        #expect(refused.status == 64, "a line of a recording cannot be chosen")
    }

    @Test("--polyphonic grades the chords of a MIDI file by onset timing")
    func polyphonic() throws {
        let (_, take) = try writeFiles()
        // The melody in thirds: a two-voice reference.
        var notes: [MIDIFile.Note] = []
        for (k, pitch) in Self.pitches.enumerated() {
            notes.append(.init(startTick: k * 480, endTick: k * 480 + 470, pitch: pitch))
            notes.append(.init(startTick: k * 480, endTick: k * 480 + 470, pitch: pitch - 4))
        }
        let duet = folder.file("duet.mid")
        try MIDIFile(ticksPerQuarter: 480, format: 1, notes: notes, tempos: [(0, 600_000)]).write(to: duet)
        let refused = try Executable.aidj(["assess", take, "--reference", duet])
        #expect(refused.status == 1 && refused.stderr.contains("--polyphonic"), "\(refused.stderr)")
        let result = try Executable.aidj(["assess", take, "--reference", duet, "--polyphonic", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(object["mode"] as? String == "polyphonic")
        let notesOut = object["notes"] as! [[String: Any]]
        #expect(notesOut.count == 32 && notesOut.allSatisfy { $0["status"] as? String == "ok" })
        let text = try Executable.aidj(["assess", take, "--reference", duet, "--polyphonic"])
        #expect(text.stdout.contains("onset timing only"), "\(text.stdout)")
    }

    @Test("bad input: missing files, bad MIDI, a bad channel, an unknown listener, a silent take")
    func badInput() throws {
        let (reference, take) = try writeFiles()
        let db = folder.file("b.sqlite")
        let missing = try Executable.aidj(["assess", folder.file("nope.wav"), "--reference", reference])
        #expect(missing.status == 1 && missing.stderr.contains("nope.wav"))
        let badMIDI = folder.file("bad.mid")
        try Data("MThd nonsense".utf8).write(to: URL(fileURLWithPath: badMIDI))
        let corrupt = try Executable.aidj(["assess", take, "--reference", badMIDI])
        #expect(corrupt.status == 1 && corrupt.stderr.contains("bad.mid"), "\(corrupt.stderr)")
        let channel = try Executable.aidj(["assess", take, "--reference", reference, "--channel", "17"])
        #expect(channel.status == 64)
        let emptyChannel = try Executable.aidj(["assess", take, "--reference", reference, "--channel", "3"])
        #expect(emptyChannel.status == 1 && emptyChannel.stderr.contains("no notes in channel 3"))
        let nobody = try Executable.aidj(["assess", take, "--reference", reference, "--listener", "bob", "--db", db])
        #expect(nobody.status == 1 && nobody.stderr.contains("bob"))
        let silent = folder.file("silent.wav")
        let writer = try AudioFileWriter(path: silent, format: .wav16, sampleRate: 44_100, channels: 1)
        try writer.write(AudioBuffer(mono: [Float](repeating: 0, count: 88_200), sampleRate: 44_100))
        try writer.finish()
        let quiet = try Executable.aidj(["assess", silent, "--reference", reference])
        #expect(quiet.status == 1 && quiet.stderr.contains("silent.wav") && quiet.stderr.contains("pitched note"))
        #expect(quiet.stderr.split(separator: "\n").count == 1)
    }
}
