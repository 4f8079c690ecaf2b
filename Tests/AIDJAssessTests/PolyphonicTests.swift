import AIDJAssess
import AIDJComposer
import AIDJSynth
import Foundation
import Testing

@Suite("Assessor: polyphonic takes, by onset timing")
struct PolyphonicTests {
    /// Sixteen three-note chords, one per beat at 100 BPM (a I–vi–IV–V progression in C, inversions moving).
    static let chords: [[Int]] = {
        let shapes = [
            [60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62], [64, 67, 72], [60, 64, 69],
            [60, 65, 69], [59, 62, 67],
        ]
        return shapes + shapes.reversed()
    }()

    static func reference() throws -> ReferenceScore {
        var notes: [MIDIFile.Note] = []
        for (k, chord) in chords.enumerated() {
            for pitch in chord { notes.append(.init(startTick: k * 480, endTick: k * 480 + 460, pitch: pitch)) }
        }
        let midi = MIDIFile(
            ticksPerQuarter: 480, format: 1, notes: notes, tempos: [(0, 600_000)], timeSignatures: [(0, 4, 4)])
        return try ReferenceScore(midi: midi, path: "chords.mid", polyphonic: true)
    }

    @Test("a slower take with a late chord and a left-out chord")
    func lateAndMissing() throws {
        let rate = 22_050.0
        let beat = 0.6 / 0.9
        var samples = [Float](repeating: 0, count: Int((Double(Self.chords.count) * beat + 1.5) * rate))
        for (k, chord) in Self.chords.enumerated() where k != 10 {
            let start = 0.4 + Double(k) * beat + (k == 6 ? 0.08 : 0)
            for pitch in chord {
                Voice.tone(
                    into: &samples, at: Int(start * rate), sampleRate: rate, midi: Double(pitch),
                    duration: 0.8 * beat, gain: 0.15, release: 0.05)
            }
        }
        let a = try Assessor().assessPolyphonic(samples: samples, takeName: "piano", reference: Self.reference())
        #expect(a.mode == .polyphonic)
        #expect(abs(a.tempoRatio - 0.9) < 0.03, "tempo ratio \(a.tempoRatio)")
        for (i, grade) in a.notes.enumerated() {
            let chord = i / 3
            #expect(grade.playedPitch == nil && grade.cents == nil, "pitch is not judged")
            if chord == 10 {
                #expect(grade.status == .missed, "chord 10 was left out")
            } else {
                #expect(grade.status == .ok, "chord \(chord)")
                let expected = chord == 6 ? 80.0 : 0
                #expect(
                    abs((grade.onsetMilliseconds ?? 999) - expected) <= 20,
                    "chord \(chord): \(grade.onsetMilliseconds ?? .nan) ms")
            }
        }
        #expect(a.summary.late == 1 && a.summary.early == 0)
        #expect(a.summary.intonationMeanCents == nil)
    }

    @Test("a monophonic read of a chordal line is refused, pointing at --polyphonic")
    func monophonicRefusal() throws {
        var notes: [MIDIFile.Note] = []
        for (k, chord) in Self.chords.enumerated() {
            for pitch in chord { notes.append(.init(startTick: k * 480, endTick: k * 480 + 460, pitch: pitch)) }
        }
        #expect {
            try ReferenceScore(midi: MIDIFile(notes: notes), path: "chords.mid")
        } throws: { error in
            (error as? AssessError)?.description.contains("--polyphonic") == true
        }
    }
}
