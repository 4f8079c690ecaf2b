import AIDJAnalysis
import Testing

@testable import AIDJAssess

@Suite("A take's tuning: read where the pitch holds still")
struct TuningTests {
    /// Notes on a 10 ms pitch track: two held notes 20 cents sharp (0.5 s each), then eight 100-ms notes that glide
    /// down onto their pitch from 50 cents above, 4 cents a frame, and are left before they reach it (each read
    /// 32 cents sharp, the median of its frames). With `glidesOnly`, just the eight.
    static func take(glidesOnly: Bool = false) -> (notes: [PerformedNote], track: PitchTrack) {
        let hop = 0.01
        var pitches: [Double] = glidesOnly ? [] : Array(repeating: 60.2, count: 50) + Array(repeating: 64.2, count: 50)
        for note in [62.0, 65, 67, 64, 62, 60, 65, 67] {
            pitches += (0..<10).map { note + 0.5 - 0.04 * Double($0) }
        }
        let frequencies = pitches.map { Float(PitchTrack.hertz(midiPitch: $0)) }
        let track = PitchTrack(
            hopSeconds: hop, frequencies: frequencies, voicedProbabilities: frequencies.map { _ in 1 })
        var spans = glidesOnly ? [] : [0..<50, 50..<100]
        let first = spans.last?.upperBound ?? 0
        spans += (0..<8).map { first + 10 * $0..<first + 10 * ($0 + 1) }
        let notes = spans.map { span in
            PerformedNote(
                onset: Double(span.lowerBound) * hop, offset: Double(span.upperBound) * hop,
                pitch: median(Array(pitches[span])))
        }
        return (notes, track)
    }

    @Test(
        "held notes set the tuning, not fast notes read on their way (which, weighed by length, pull it 5 cents sharp)")
    func heldNotesSetIt() {
        let (notes, track) = Self.take()
        let tuning = NoteTranscriber.tuningCents(notes, track: track)
        #expect(abs(tuning - 20) < 1, "\(tuning)")
        let byLength = NoteTranscriber.tuningCents(notes.map { (pitch: $0.pitch, weight: $0.duration) })
        #expect(byLength > 24, "\(byLength)")
    }

    @Test("a take that never holds still is read from its notes, weighed by length")
    func noSteadyFrames() {
        let (notes, track) = Self.take(glidesOnly: true)
        #expect(notes.allSatisfy { NoteTranscriber.steadyFrames(of: $0, track: track) == 0 })
        let tuning = NoteTranscriber.tuningCents(notes, track: track)
        #expect(abs(tuning - 32) < 0.01, "\(tuning)")
    }
}
