import AIDJAnalysis
import Testing

@testable import AIDJAssess

@Suite("Cutting the pitch track: a note's start pulled off its pitch by the note before")
struct PulledStartTests {
    /// A pitch track at 10 ms hops: A4 from 0.10 s to 0.40 s, then a piece at `middle` until `pieceEnd`, then G4
    /// from there to 0.80 s.
    static func track(middle: Double, pieceEnd: Double = 0.46) -> PitchTrack {
        let hop = 0.01
        let frequencies = (0..<90).map { frame -> Float in
            let t = Double(frame) * hop + 1e-6
            switch t {
            case 0.10..<0.40: return Float(PitchTrack.hertz(midiPitch: 69))
            case 0.40..<pieceEnd: return Float(PitchTrack.hertz(midiPitch: middle))
            case pieceEnd..<0.80: return Float(PitchTrack.hertz(midiPitch: 67))
            default: return 0
            }
        }
        return PitchTrack(
            hopSeconds: hop, frequencies: frequencies, voicedProbabilities: frequencies.map { $0 > 0 ? 1 : 0 })
    }

    static func cut(_ track: PitchTrack) -> [Range<Int>] {
        let transcriber = NoteTranscriber()
        return transcriber.joiningPulledStarts(transcriber.pitchSegments(track), hopSeconds: track.hopSeconds) {
            transcriber.steadyPitch($0, track: track)
        }
    }

    @Test("60 ms read 0.7 semitone above G4 after an A4: the start of the G4, ringing A4 and all")
    func pulledStartJoins() {
        let segments = Self.cut(Self.track(middle: 67.7))
        #expect(segments == [10..<40, 40..<80], "\(segments)")
    }

    @Test(
        "a played note stays a note: a chromatic passing G#4, a piece above the A4, or one held 100 ms",
        arguments: [(68.0, 0.46), (69.6, 0.46), (67.7, 0.50)])
    func playedNotesStay(middle: Double, pieceEnd: Double) {
        let segments = Self.cut(Self.track(middle: middle, pieceEnd: pieceEnd))
        #expect(segments.count == 3, "\(segments)")
    }
}
