import AIDJAssess
import AIDJComposer
import Testing

@Suite("Reference score from MIDI")
struct ReferenceScoreTests {
    /// A melody on track 1 and block chords on track 2, in 3/4 at 90 BPM.
    static let midi: MIDIFile = {
        var notes: [MIDIFile.Note] = []
        for (k, pitch) in [72, 74, 76, 77, 79, 77].enumerated() {
            notes.append(.init(startTick: k * 480, endTick: k * 480 + 500, pitch: pitch, channel: 0, track: 1))
        }
        for bar in 0..<2 {
            for pitch in [48, 52, 55] {
                notes.append(
                    .init(startTick: bar * 1440, endTick: bar * 1440 + 1400, pitch: pitch, channel: 1, track: 2))
            }
        }
        return MIDIFile(
            ticksPerQuarter: 480, format: 1, notes: notes, tempos: [(0, 666_667)], timeSignatures: [(0, 3, 4)])
    }()

    @Test("picks the monophonic line; times, bars and beats from the score")
    func melodyLine() throws {
        let score = try ReferenceScore(midi: Self.midi, path: "song.mid")
        #expect(score.notes.map(\.pitch) == [72, 74, 76, 77, 79, 77])
        #expect(score.source.contains("track 1"))
        #expect(abs(score.notes[1].onset - 0.666667) < 1e-4)
        // A note held into the next ends where the next begins.
        #expect(abs(score.notes[0].duration - 0.666667) < 1e-4)
        #expect(score.notes.map(\.bar) == [1, 1, 1, 2, 2, 2])
        #expect(score.notes.map(\.beat) == [1, 2, 3, 1, 2, 3])
    }

    @Test("a chordal line, an empty channel and a file with no notes fail with one line")
    func badLines() {
        #expect {
            try ReferenceScore(midi: Self.midi, path: "song.mid", track: 2)
        } throws: { error in
            (error as? AssessError)?.description.contains("polyphonic") == true
        }
        #expect {
            try ReferenceScore(midi: Self.midi, path: "song.mid", channel: 5)
        } throws: { error in
            (error as? AssessError)?.description.contains("no notes in channel 6") == true
        }
        #expect(throws: AssessError.self) { try ReferenceScore(midi: MIDIFile(), path: "empty.mid") }
    }
}
