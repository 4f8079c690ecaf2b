import AIDJAudio
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

@Suite("pYIN pitch tracker")
struct PitchTrackerTests {
    let tracker = PitchTracker()

    /// A harmonic tone (AIDJSynth's six partials) at 16 kHz.
    func tone(midi: Double, seconds: Double) -> [Float] {
        var out = [Float](repeating: 0, count: Int(seconds * 16_000))
        Voice.tone(into: &out, at: 0, sampleRate: 16_000, midi: midi, duration: seconds - 0.1, gain: 0.4)
        return out
    }

    @Test(
        "steady tones from A1 to C7 read within 2 cents, voiced throughout", arguments: [33.0, 45.3, 60, 69, 81.6, 96])
    func steadyTones(midi: Double) {
        let track = tracker.track(tone(midi: midi, seconds: 1))
        let middle = 10..<80  // 0.1–0.8 s: past the attack, before the release
        let pitches = middle.compactMap { track.midiPitch(ofFrame: $0) }
        #expect(pitches.count == middle.count, "every frame of the held tone is voiced")
        let errors = pitches.map { abs($0 - midi) * 100 }.sorted()
        #expect(errors[errors.count / 2] < 2, "median error \(errors[errors.count / 2]) cents at MIDI \(midi)")
        #expect(errors.last! < 10, "worst error \(errors.last!) cents at MIDI \(midi)")
    }

    @Test(
        "a note ringing on under the next, a fifth or a fourth away, does not hold the track on their subharmonic",
        arguments: [(69.0, 76.0), (64, 71), (76, 69)])
    func ringingNoteAndSubharmonic(first: Double, second: Double) {
        // Two partials each, the first note released over 1.2 s under the second: 440 + 659 Hz share 220 Hz.
        var out = [Float](repeating: 0, count: 16_000 * 2)
        Voice.tone(
            into: &out, at: 0, sampleRate: 16_000, midi: first, duration: 0.4, gain: 0.4, harmonics: 2, rolloff: 0.1,
            release: 1.2)
        Voice.tone(
            into: &out, at: 6_400, sampleRate: 16_000, midi: second, duration: 0.8, gain: 0.4, harmonics: 2,
            rolloff: 0.1)
        let track = tracker.track(out)
        let frames = 45..<115  // 0.45–1.15 s: the second note, over the first one's release
        let right = frames.filter { track.midiPitch(ofFrame: $0).map { abs($0 - second) < 0.5 } ?? false }.count
        #expect(right >= 63, "\(right) of 70 frames at MIDI \(second) after \(first)")
    }

    @Test("a melody's notes change where the notes change (within 2 frames)")
    func noteChanges() {
        var out = [Float](repeating: 0, count: 16_000 * 2)
        let notes: [(Double, Double)] = [(0.1, 62), (0.5, 67), (0.9, 64), (1.3, 72)]
        for (start, midi) in notes {
            Voice.tone(into: &out, at: Int(start * 16_000), sampleRate: 16_000, midi: midi, duration: 0.38, gain: 0.4)
        }
        let track = tracker.track(out)
        for (k, (start, midi)) in notes.enumerated() {
            // The first frame within 30 cents of the note, searched from the previous note's middle.
            let from = Int((start - 0.2) / track.hopSeconds)
            let first = (max(0, from)..<track.frameCount).first {
                (track.midiPitch(ofFrame: $0).map { abs($0 - midi) < 0.3 }) ?? false
            }
            #expect(first != nil, "note \(k) found")
            if let first { #expect(abs(track.time(ofFrame: first) - start) <= 0.021, "note \(k) starts on time") }
        }
    }

    @Test("silence is unvoiced and white noise mostly so")
    func silenceAndNoise() {
        let silent = tracker.track([Float](repeating: 0, count: 16_000))
        #expect(silent.frequencies.allSatisfy { $0 == 0 })
        #expect(silent.voicedProbabilities.allSatisfy { $0 == 0 })
        let noise = Signals.noise(seconds: 2, amplitude: 0.3, sampleRate: 16_000, seed: 3).channels[0]
        let track = tracker.track(noise)
        let voiced = track.frequencies.filter { $0 > 0 }.count
        #expect(Double(voiced) < 0.1 * Double(track.frameCount), "\(voiced) of \(track.frameCount) noise frames voiced")
        #expect(tracker.track([]).frameCount == 0)
    }

    @Test("the threshold prior: Beta(2, 18) CDF against its closed form")
    func betaPrior() {
        // I_x(2, 18) = 1 − (1 − x)^19 − 19 x (1 − x)^18
        for x in [0.02, 0.1, 0.25, 0.6] {
            let closed = 1 - pow(1 - x, 19) - 19 * x * pow(1 - x, 18)
            #expect(abs(PitchTracker.betaCDF(x, a: 2, b: 18) - closed) < 1e-12)
        }
        #expect(PitchTracker.betaCDF(0, a: 2, b: 18) == 0 && PitchTracker.betaCDF(1, a: 2, b: 18) == 1)
    }
}
