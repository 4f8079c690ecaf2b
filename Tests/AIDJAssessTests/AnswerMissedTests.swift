import AIDJAnalysis
import Testing

@testable import AIDJAssess

@Suite("A missed note that sounded after all, between the notes that answer its neighbours")
struct AnswerMissedTests {
    /// Reference sixteenths 150 ms apart at `pitches`; the take plays the first at 0.50 s and the third at 0.80 s
    /// (120 ms each), the middle one due at 0.65 s.
    static func reference(_ pitches: [Int]) -> [ScoreNote] {
        pitches.enumerated().map {
            ScoreNote(onset: 0.15 * Double($0.offset), duration: 0.15, pitch: $0.element, bar: 1, beat: 1)
        }
    }

    /// A pitch track at 10 ms hops holding `spans` (start s, end s, MIDI pitch), unvoiced elsewhere.
    static func track(_ spans: [(Double, Double, Double)]) -> PitchTrack {
        let frequencies = (0..<120).map { frame -> Float in
            let t = Double(frame) * 0.01 + 1e-6
            guard let span = spans.first(where: { t >= $0.0 && t < $0.1 }) else { return 0 }
            return Float(PitchTrack.hertz(midiPitch: span.2))
        }
        return PitchTrack(
            hopSeconds: 0.01, frequencies: frequencies, voicedProbabilities: frequencies.map { $0 > 0 ? 1 : 0 })
    }

    /// Grades the middle of three reference notes, left missed by the alignment, given the played notes (the first
    /// and last answer the outer reference notes, any between are extra) and the pitch track.
    static func grade(
        _ pitches: [Int], played: [PerformedNote], track: PitchTrack
    ) -> (grade: Assessment.NoteGrade, claimed: Set<Int>) {
        let reference = reference(pitches)
        var grades = reference.enumerated().map {
            Assessment.NoteGrade(
                index: $0.offset, status: .ok, referencePitch: $0.element.pitch, referenceTime: $0.element.onset,
                bar: 1, beat: 1)
        }
        grades[1].status = .missed
        let matches: [Int?] = [0, nil, played.count - 1]
        let claimed = Assessor.answerMissed(
            &grades, reference: reference, matches: matches, played: played,
            playedPitches: played.map { Int($0.pitch.rounded()) }, tuning: 0, track: track,
            global: TimeLine(slope: 1, intercept: 0.5), timing: { (0.5 + 0.15 * Double($0), 1) })
        return (grades[1], claimed)
    }

    static let outer = [
        PerformedNote(onset: 0.50, offset: 0.62, pitch: 72), PerformedNote(onset: 0.80, offset: 0.92, pitch: 74),
    ]

    @Test("30 ms of F4 in the silence where it was due: played, timed from where it sounds")
    func briefSounding() {
        let (grade, claimed) = Self.grade(
            [72, 65, 74], played: Self.outer, track: Self.track([(0.50, 0.62, 72), (0.67, 0.70, 65), (0.80, 0.92, 74)]))
        #expect(grade.status == .ok)
        #expect(grade.playedPitch == 65)
        #expect(abs((grade.onsetMilliseconds ?? .nan) - 20) < 1e-6)
        #expect(claimed.isEmpty)
    }

    @Test("20 ms is no note: still missed")
    func tooBrief() {
        let (grade, _) = Self.grade(
            [72, 65, 74], played: Self.outer, track: Self.track([(0.50, 0.62, 72), (0.67, 0.69, 65), (0.80, 0.92, 74)]))
        #expect(grade.status == .missed)
    }

    @Test("a brief sounding 55 cents sharp is graded by the ±50-cent rule: the wrong pitch")
    func gradedByTheRule() {
        let (grade, _) = Self.grade(
            [72, 65, 74], played: Self.outer,
            track: Self.track([(0.50, 0.62, 72), (0.66, 0.70, 65.55), (0.80, 0.92, 74)]))
        #expect(grade.status == .wrongPitch)
        #expect(grade.playedPitch == 66)
        #expect(abs((grade.cents ?? .nan) + 45) < 0.01)
    }

    @Test("the played note before at the missed pitch: what follows it is its release, and the note stays missed")
    func releaseOfTheNoteBefore() {
        let played = [PerformedNote(onset: 0.50, offset: 0.62, pitch: 65), Self.outer[1]]
        let (grade, _) = Self.grade(
            [65, 65, 74], played: played, track: Self.track([(0.50, 0.62, 65), (0.65, 0.75, 65), (0.80, 0.92, 74)]))
        #expect(grade.status == .missed)
    }

    @Test("a pitch between its neighbours' is a glide passing through it: still missed")
    func glideBetweenNeighbours() {
        let (grade, _) = Self.grade(
            [72, 73, 74], played: Self.outer, track: Self.track([(0.50, 0.62, 72), (0.66, 0.70, 73), (0.80, 0.92, 74)]))
        #expect(grade.status == .missed)
    }

    @Test(
        "a note at its pitch left extra answers it 90 ms late, no longer extra; 130 ms late it is another note",
        arguments: [(0.74, true), (0.78, false)])
    func noteLeftExtra(onset: Double, answers: Bool) {
        let late = PerformedNote(onset: onset, offset: 0.79, pitch: 65)
        let (grade, claimed) = Self.grade(
            [72, 65, 74], played: [Self.outer[0], late, Self.outer[1]], track: Self.track([]))
        #expect(grade.status == (answers ? .ok : .missed))
        #expect(claimed == (answers ? [1] : []))
        if answers { #expect(abs((grade.onsetMilliseconds ?? .nan) - 90) < 1e-6) }
    }
}
