import AIDJCore
import Foundation
import Testing

@testable import AIDJComposer

@Suite("Melody encoding and extraction")
struct MelodyTests {
    @Test("notes → tokens → notes, with rests and repeated pitches")
    func encodingRoundTrip() {
        let notes = [
            Melody.Note(start: 0, length: 4, pitch: 60), Melody.Note(start: 4, length: 2, pitch: 60),
            Melody.Note(start: 8, length: 4, pitch: 67), Melody.Note(start: 12, length: 1, pitch: 83),
        ]
        let melody = Melody(notes: notes, steps: 16)
        #expect(melody.tokens.prefix(8) == [14, 0, 0, 0, 14, 0, 1, 0])
        #expect(melody.tokens[12] == Melody.token(pitch: 83) && melody.tokens[13] == Melody.noteOff)
        #expect(melody.notes == notes)
        #expect(Melody.token(pitch: 48) == 2 && Melody.token(pitch: 83) == 37)
    }

    @Test("top voice of a chordal, multi-track file; drums ignored; quantized to 16ths; moved into 48–83")
    func extraction() throws {
        var notes: [MIDIFile.Note] = []
        // A chord progression with the melody on top (two octaves too high: only −24 fits every note), slightly
        // off the grid.
        let tops = [88, 91, 89, 86, 84, 88, 91, 96]
        for (i, top) in tops.enumerated() {
            let start = i * 96 + (i % 2 == 0 ? 3 : -2)
            notes.append(.init(startTick: max(0, start), endTick: start + 90, pitch: top, channel: 0, track: 1))
            notes.append(.init(startTick: max(0, start), endTick: start + 90, pitch: top - 12, channel: 1, track: 2))
            // Drums, higher than the melody: the extractor must skip channel 10.
            notes.append(.init(startTick: max(0, start), endTick: start + 20, pitch: 100, channel: 9, track: 3))
        }
        let file = MIDIFile(ticksPerQuarter: 96, notes: notes)
        let melody = try MelodyExtractor().melody(of: file)
        #expect(melody.notes.map(\.pitch) == tops.map { $0 - 24 })
        #expect(melody.notes.map(\.start) == Array(stride(from: 0, to: 32, by: 4)))
        #expect(melody.notes.allSatisfy { $0.length == 4 })
    }

    @Test("files without a usable melody are skipped with a reason")
    func skips() {
        let drums = MIDIFile(
            ticksPerQuarter: 96,
            notes: (0..<20).map { .init(startTick: $0 * 24, endTick: $0 * 24 + 10, pitch: 36, channel: 9) })
        #expect(throws: MelodyExtractor.Skip.self) { try MelodyExtractor().melody(of: drums) }
        let short = MIDIFile(ticksPerQuarter: 96, notes: [.init(startTick: 0, endTick: 96, pitch: 60)])
        #expect(throws: MelodyExtractor.Skip.self) { try MelodyExtractor().melody(of: short) }
    }

    @Test("ABC: pitches, lengths, rests, bar lines and ties")
    func abc() {
        let melody = Melody(
            notes: [
                .init(start: 0, length: 4, pitch: 60), .init(start: 6, length: 12, pitch: 73),
                .init(start: 18, length: 2, pitch: 48),
            ], steps: 32)
        let text = MelodyExport.abc(melody, title: "Test", bpm: 100, key: MusicalKey(tonic: 2, mode: .minor))
        #expect(text.contains("L:1/16") && text.contains("Q:1/4=100") && text.contains("K:Dm"))
        #expect(text.contains("C4 z2 ^c10- | ^c2 C,2 z12 |]"), "\(text)")
    }

    @Test("MIDI export of a melody reads back as the same melody")
    func midiExport() throws {
        let melody = Melody(notes: [
            .init(start: 0, length: 3, pitch: 62), .init(start: 4, length: 4, pitch: 65),
            .init(start: 8, length: 2, pitch: 69), .init(start: 10, length: 6, pitch: 67),
            .init(start: 16, length: 4, pitch: 62), .init(start: 20, length: 4, pitch: 64),
            .init(start: 24, length: 4, pitch: 65), .init(start: 28, length: 4, pitch: 62),
        ])
        let file = try MIDIFile(data: MelodyExport.midi(melody, bpm: 96, program: 0).data())
        #expect(abs(file.initialBPM - 96) < 0.01)
        #expect(try MelodyExtractor().melody(of: file).notes == melody.notes)
    }
}

@Suite("ABC accidentals")
struct ABCAccidentalTests {
    @Test("a natural after a sharp of the same note in the bar gets an explicit natural; the bar line resets")
    func naturals() {
        let melody = Melody(
            notes: [
                .init(start: 0, length: 4, pitch: 61), .init(start: 4, length: 4, pitch: 60),
                .init(start: 16, length: 4, pitch: 60),
            ], steps: 32)
        let text = MelodyExport.abc(melody, title: "t", bpm: 100, key: nil)
        #expect(text.contains("^C4 =C4 z8 | C4 z12 |]"), "\(text)")
    }
}

@Suite("Long rests")
struct LongRestTests {
    @Test("rests longer than a bar keep one bar, and the notes keep their place in the bar")
    func compressed() throws {
        // 8 notes, then 5 bars of silence, then 8 notes starting on beat 2.
        var notes: [MIDIFile.Note] = (0..<8).map { .init(startTick: $0 * 24, endTick: $0 * 24 + 24, pitch: 60 + $0) }
        notes += (0..<8).map {
            .init(startTick: (7 * 16 + 4 + $0 * 4) * 6, endTick: (7 * 16 + 4 + $0 * 4) * 6 + 24, pitch: 70)
        }
        let melody = try MelodyExtractor().melody(of: MIDIFile(ticksPerQuarter: 24, notes: notes))
        let starts = melody.notes.map(\.start)
        #expect(starts[8] == 3 * 16 + 4, "second phrase at \(starts[8])")
        #expect(starts[8] % 16 == 4)
    }
}
