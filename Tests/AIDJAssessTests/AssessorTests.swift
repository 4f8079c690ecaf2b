import AIDJAssess
import AIDJAudio
import AIDJComposer
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@Suite("Assessor: known mistakes in an AIDJSynth take")
struct AssessorTests {
    static let reference = try! ReferenceScore(midi: TakeScenario.referenceMIDI(), path: "melody.mid")

    @Test("wrong, missed and extra notes, tuning, tempo, cents and onset deviations are found")
    func knownMistakes() throws {
        let scenario = TakeScenario()
        let a = try Assessor().assess(samples: scenario.render(), takeName: "take", reference: Self.reference)
        #expect(a.notes.count == TakeScenario.melody.count)
        #expect(abs(a.tuningCents - 20) <= 3, "tuning \(a.tuningCents)")
        #expect(abs(a.tempoRatio - 0.9) <= 0.03, "tempo ratio \(a.tempoRatio)")
        for (i, grade) in a.notes.enumerated() {
            let m = scenario.mistakes[i] ?? TakeScenario.Mistake()
            let pitch = TakeScenario.melody[i].pitch
            if m.missed {
                #expect(grade.status == .missed, "note \(i) was not played")
                continue
            }
            let played = pitch + m.semitones
            #expect(grade.playedPitch == played, "note \(i): played \(played), found \(grade.playedPitch ?? -1)")
            #expect(grade.status == (m.semitones == 0 ? .ok : .wrongPitch), "note \(i) status \(grade.status)")
            if let cents = grade.cents { #expect(abs(cents - m.detuneCents) <= 5, "note \(i): \(cents) cents") }
            if let onset = grade.onsetMilliseconds {
                #expect(abs(onset - 1000 * m.shiftSeconds) <= 15, "note \(i): onset \(onset) ms")
            }
        }
        #expect(a.extra.count == 1 && a.extra.first?.pitch == 73, "\(a.extra)")
        #expect(a.summary.late >= 2 && a.summary.early >= 1)
        #expect(a.summary.noteAccuracy == Double(TakeScenario.melody.count - 3) / Double(TakeScenario.melody.count))
        #expect(a.worst.contains { $0.what.contains("missed") }, "the missed note's bar is among the worst")
    }

    @Test("a take at 0.8× and 1.2× with rubato but no mistakes has no timing errors", arguments: [0.8, 1.2])
    func tempoIsNotTiming(ratio: Double) throws {
        var scenario = TakeScenario()
        scenario.tempoRatio = ratio
        scenario.mistakes = [:]
        scenario.extras = []
        scenario.tuningCents = 0
        let a = try Assessor().assess(samples: scenario.render(), takeName: "take", reference: Self.reference)
        #expect(a.summary.noteAccuracy == 1)
        #expect(a.summary.early == 0 && a.summary.late == 0, "early \(a.summary.early), late \(a.summary.late)")
        #expect(abs(a.tempoRatio - ratio) <= 0.03 * ratio)
        #expect(a.summary.score > 95)
    }

    @Test("a wrong note at the pitch before it, held on without a new attack, is a wrong note, not a missed one")
    func heldOverIsWrong() throws {
        var scenario = TakeScenario()
        scenario.mistakes = [:]
        scenario.extras = []
        scenario.heldOver = [6, 11]  // 72 held for 71; 64 held for 65
        let a = try Assessor().assess(samples: scenario.render(), takeName: "take", reference: Self.reference)
        for grade in a.notes {
            switch grade.index {
            case 6: #expect(grade.status == .wrongPitch && grade.playedPitch == 72, "note 6: \(grade)")
            case 11: #expect(grade.status == .wrongPitch && grade.playedPitch == 64, "note 11: \(grade)")
            default: #expect(grade.status == .ok, "note \(grade.index): \(grade.status)")
            }
        }
        #expect(a.extra.isEmpty, "\(a.extra)")
    }

    @Test("a room ringing into a missed note's slot leaves it missed, a repeat and a step alike")
    func ringIsNotPlayed() throws {
        var scenario = TakeScenario()
        scenario.mistakes = [9: TakeScenario.Mistake(missed: true), 20: TakeScenario.Mistake(missed: true)]
        scenario.extras = []
        scenario.reverbSeconds = 0.8
        let a = try Assessor().assess(samples: scenario.render(), takeName: "take", reference: Self.reference)
        for grade in a.notes {
            let expected: Assessment.Status = [9, 20].contains(grade.index) ? .missed : .ok
            #expect(grade.status == expected, "note \(grade.index): \(grade.status), played \(grade.playedPitch ?? -1)")
        }
        #expect(a.extra.isEmpty, "\(a.extra)")
    }

    @Test("a note's release heard again after a short gap, 15 dB down at its pitch, is not a note")
    func releaseAfterGapIsNoNote() {
        var out = [Float](repeating: 0, count: 16_000 * 2)
        func tone(_ start: Double, _ seconds: Double, _ midi: Double, gain: Float) {
            Voice.tone(
                into: &out, at: Int(start * 16_000), sampleRate: 16_000, midi: midi, duration: seconds, gain: gain,
                release: 0.01)
        }
        tone(0.2, 0.4, 67, gain: 0.3)
        tone(0.63, 0.3, 67, gain: 0.3 * pow(10, -15 / 20))  // the ring, after 30 ms of silence
        tone(1.2, 0.4, 72, gain: 0.3)
        let notes = NoteTranscriber().transcribe(out).notes
        #expect(notes.map { Int($0.pitch.rounded()) } == [67, 72], "\(notes)")
    }

    @Test("a short note played again out of its own release is two notes, though the release set in 100 ms before")
    func repeatOutOfRelease() {
        var out = [Float](repeating: 0, count: 16_000)
        func tone(_ start: Double, _ seconds: Double, gain: Float) {
            Voice.tone(
                into: &out, at: Int(start * 16_000), sampleRate: 16_000, midi: 66, duration: seconds, gain: gain,
                release: 0.01)
        }
        // A clarinet's sixteenth held 70 ms, its release ringing 20 dB down until the repeat 160 ms after the first
        // attack (a GM render: the level a new note is searched from, 100 ms after the attack, is the ring's).
        tone(0.2, 0.07, gain: 0.3)
        tone(0.27, 0.09, gain: 0.03)
        tone(0.36, 0.2, gain: 0.3)
        let notes = NoteTranscriber().transcribe(out).notes
        #expect(notes.map { Int($0.pitch.rounded()) } == [66, 66], "\(notes)")
        #expect(notes.count == 2 && abs(notes[1].onset - 0.36) <= 0.02, "\(notes)")
    }

    @Test("silence, noise and another piece fail with one line each")
    func badTakes() {
        let assessor = Assessor()
        let silence = [Float](repeating: 0, count: 16_000 * 3)
        #expect(throws: AssessError.self) {
            try assessor.assess(samples: silence, takeName: "silent.wav", reference: Self.reference)
        }
        let noise = Signals.noise(seconds: 3, amplitude: 0.3, sampleRate: 16_000, seed: 9).channels[0]
        do {
            _ = try assessor.assess(samples: noise, takeName: "noise.wav", reference: Self.reference)
            Issue.record("noise was assessed")
        } catch {
            #expect(error.description.contains("noise.wav") && !error.description.contains("\n"), "\(error)")
        }
        // Another piece: the melody upside down (each interval mirrored around G4).
        var other = TakeScenario()
        other.mistakes = Dictionary(
            uniqueKeysWithValues: TakeScenario.melody.indices.map { i in
                (i, TakeScenario.Mistake(semitones: 2 * (67 - TakeScenario.melody[i].pitch) + (i % 3) * 5 - 4))
            })
        other.extras = []
        do {
            _ = try assessor.assess(samples: other.render(), takeName: "other.wav", reference: Self.reference)
            Issue.record("another piece was assessed")
        } catch {
            #expect(error.description.contains("does not follow"), "\(error)")
        }
    }
}
