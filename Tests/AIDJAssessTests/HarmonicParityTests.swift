import AIDJSynth
import Foundation
import Testing

@testable import AIDJAssess

@Suite("HarmonicParity: a note read an octave low")
struct HarmonicParityTests {
    static let rate = 16_000.0

    static func tone(
        _ out: inout [Float], _ start: Double, _ seconds: Double, _ midi: Double, gain: Float, attack: Double = 0.01,
        release: Double = 0.02
    ) {
        Voice.tone(
            into: &out, at: Int(start * rate), sampleRate: rate, midi: midi, duration: seconds, gain: gain,
            attack: attack, release: release)
    }

    @Test("odd harmonics' share: a full tone at its pitch, a tone an octave up read at f, too short to tell")
    func oddShare() throws {
        let parity = HarmonicParity(sampleRate: Self.rate)
        var full = [Float](repeating: 0, count: Int(Self.rate))
        Self.tone(&full, 0, 0.8, 67, gain: 0.3)
        let own = try #require(parity.oddShare(pitch: 67, in: full, from: 0.1, to: 0.6))
        #expect(own > 0.3, "a six-harmonic tone at its own pitch: \(own)")

        // G5 sounding, with G4 ringing on 12 dB under it: read at G4, nearly all power is on G4's even harmonics.
        var mixed = [Float](repeating: 0, count: Int(Self.rate))
        Self.tone(&mixed, 0, 0.8, 79, gain: 0.3)
        Self.tone(&mixed, 0, 0.8, 67, gain: 0.3 / 4)
        let low = try #require(parity.oddShare(pitch: 67, in: mixed, from: 0.1, to: 0.6))
        #expect(low < 0.1, "G5 over a ringing G4, read at G4: \(low)")
        let high = try #require(parity.oddShare(pitch: 79, in: mixed, from: 0.1, to: 0.6))
        #expect(high > 0.3, "the same, read at G5: \(high)")

        // Four periods of A1 (55 Hz) take 73 ms; 40 ms after a 30 ms attack is too short.
        #expect(parity.oddShare(pitch: 33, in: full, from: 0.1, to: 0.17) == nil)
    }

    @Test("a note an octave above one still ringing is transcribed at its own pitch")
    func octaveAboveARing() {
        var out = [Float](repeating: 0, count: Int(2 * Self.rate))
        Self.tone(&out, 0.2, 0.45, 67, gain: 0.3)
        // G4's release rings on under the next note, 12 dB down, as a sampled "ooh" does.
        Self.tone(&out, 0.65, 0.25, 67, gain: 0.3 / 4, attack: 0.001, release: 0.1)
        Self.tone(&out, 0.65, 0.3, 79, gain: 0.3, attack: 0.03)
        Self.tone(&out, 1.3, 0.4, 72, gain: 0.3)
        let notes = NoteTranscriber().transcribe(out).notes
        #expect(notes.map { Int($0.pitch.rounded()) } == [67, 79, 72], "\(notes)")

        // Without the parity check the same signal reads G5 at G4: what the test guards.
        var unchecked = NoteTranscriber.Configuration()
        unchecked.octaveOddShare = 0
        let read = NoteTranscriber(configuration: unchecked).transcribe(out).notes
        #expect(read.map { Int($0.pitch.rounded()) } != [67, 79, 72], "\(read)")
    }
}
