import AIDJAnalysis
import AIDJSynth
import Foundation
import Testing

@testable import AIDJAssess

@Suite("Splitting a played note where the reference asks for a repeat")
struct SplitRepeatsTests {
    static let rate = 16_000.0

    /// Sixteenths 150 ms apart: B4 D5 B4 B4 A4 B4 C#5. The second B4 of the pair is played 65 ms early, 30 ms after
    /// the first (too soon after its attack for the transcriber to cut it: ``NoteTranscriber/Configuration/minimumRepeatSeconds``),
    /// and ends with its own slot still silent before the A4. The transcriber heard one B4 with a dip and swell at
    /// 0.235 s, and its pitch sounding on faintly to 0.40 s.
    static func scene() -> (reference: [ScoreNote], played: [PerformedNote], envelope: LevelEnvelope) {
        let reference = sixteenths([71, 74, 71, 71, 69, 71, 73])
        let envelope = levels(
            of: [
                (0.0, 0.12, 71.0), (0.15, 0.12, 74), (0.30, 0.055, 71), (0.385, 0.065, 71), (0.60, 0.12, 69),
                (0.75, 0.12, 71), (0.90, 0.12, 73),
            ], seconds: 1.2)
        var merged = PerformedNote(onset: 0.30, offset: 0.55, pitch: 71)
        merged.repeatCandidates = [0.385]
        let played = [
            PerformedNote(onset: 0.0, offset: 0.12, pitch: 71), PerformedNote(onset: 0.15, offset: 0.27, pitch: 74),
            merged, PerformedNote(onset: 0.60, offset: 0.72, pitch: 69),
            PerformedNote(onset: 0.75, offset: 0.87, pitch: 71), PerformedNote(onset: 0.90, offset: 1.02, pitch: 73),
        ]
        return (reference, played, envelope)
    }

    /// Reference notes 150 ms apart at `pitches`.
    static func sixteenths(_ pitches: [Int]) -> [ScoreNote] {
        pitches.enumerated().map {
            ScoreNote(onset: 0.15 * Double($0.offset), duration: 0.15, pitch: $0.element, bar: 1, beat: 1)
        }
    }

    /// The level of `seconds` of tones (start s, duration s, MIDI pitch), each released over 10 ms.
    static func levels(of tones: [(start: Double, seconds: Double, midi: Double)], seconds: Double) -> LevelEnvelope {
        var samples = [Float](repeating: 0, count: Int(seconds * rate))
        for tone in tones {
            Voice.tone(
                into: &samples, at: Int(tone.start * rate), sampleRate: rate, midi: tone.midi, duration: tone.seconds,
                gain: 0.3, release: 0.01)
        }
        return LevelEnvelope(samples, sampleRate: rate)
    }

    @Test("a repeat played early is split at its dip and swell, though its slot is silent by the time it was due")
    func earlyRepeat() {
        let (reference, original, envelope) = Self.scene()
        var played = original
        let split = Assessor.splitRepeats(
            &played, matches: [0, 1, 2, nil, 3, 4, 5], playedPitches: original.map { Int($0.pitch) },
            reference: reference, envelope: envelope)
        #expect(split)
        #expect(played.count == original.count + 1)
        #expect(played[2].offset == 0.385 && played[3].onset == 0.385 && played[3].pitch == 71, "\(played)")
    }

    @Test("a repeat played short, stopping of itself before half its slot, is split at its dip and swell")
    func shortRepeat() {
        // B4 D5 B4 B4 A4: the second B4 of the pair sounds 50 ms of its 150 ms slot, then silence until the A4.
        let reference = Self.sixteenths([71, 74, 71, 71, 69])
        let envelope = Self.levels(
            of: [(0.0, 0.12, 71), (0.15, 0.12, 74), (0.30, 0.12, 71), (0.45, 0.05, 71), (0.60, 0.12, 69)], seconds: 0.9)
        var merged = PerformedNote(onset: 0.30, offset: 0.50, pitch: 71)
        merged.repeatCandidates = [0.45]
        let original = [
            PerformedNote(onset: 0.0, offset: 0.12, pitch: 71), PerformedNote(onset: 0.15, offset: 0.27, pitch: 74),
            merged, PerformedNote(onset: 0.60, offset: 0.72, pitch: 69),
        ]
        var played = original
        #expect(
            Assessor.splitRepeats(
                &played, matches: [0, 1, 2, nil, 3], playedPitches: original.map { Int($0.pitch) },
                reference: reference, envelope: envelope))
        #expect(played.count == 5 && played[3].onset == 0.45 && played[3].offset == 0.50, "\(played)")
    }

    @Test("each piece of a split note is pitched from its own frames: a repeat played 40 cents flat is heard so")
    func piecesArePitchedAgain() {
        let (reference, original, envelope) = Self.scene()
        // The merged B4 (0.30–0.55 s) sounds at pitch 71 up to its repeat at 0.385 s and 40 cents flat after it;
        // the transcriber had read the whole note at its first part's pitch.
        let hop = 0.01
        let frequencies = (0..<120).map { frame -> Float in
            let t = Double(frame) * hop
            guard t >= 0.30 && t < 0.55 else { return 0 }
            return Float(PitchTrack.hertz(midiPitch: t < 0.385 ? 71 : 70.6))
        }
        let track = PitchTrack(
            hopSeconds: hop, frequencies: frequencies, voicedProbabilities: frequencies.map { $0 > 0 ? 1 : 0 })
        let transcriber = NoteTranscriber()
        var played = original
        #expect(
            Assessor.splitRepeats(
                &played, matches: [0, 1, 2, nil, 3, 4, 5], playedPitches: original.map { Int($0.pitch) },
                reference: reference, envelope: envelope,
                pitch: { transcriber.pitch(of: $0, over: $1, track: track) }))
        #expect(played.count == original.count + 1)
        #expect(abs(played[2].pitch - 71) < 0.01 && abs(played[3].pitch - 70.6) < 0.01, "\(played)")
        // A note the parity check moved up an octave keeps the octave in its pieces.
        var octave = original
        octave[2].pitch = 83
        #expect(
            Assessor.splitRepeats(
                &octave, matches: [0, 1, 2, nil, 3, 4, 5], playedPitches: original.map { Int($0.pitch) },
                reference: reference, envelope: envelope,
                pitch: { transcriber.pitch(of: $0, over: $1, track: track) }))
        #expect(abs(octave[2].pitch - 83) < 0.01 && abs(octave[3].pitch - 82.6) < 0.01, "\(octave)")
    }

    /// Sixteenths 150 ms apart: A4 B4 B4 D5 C5. The repeated B4 is played on time but short, and the D5 comes in
    /// early, right where the B4 stops (0.36 s): the transcriber heard one B4 from 0.15 s with a dip and swell at
    /// 0.30 s, ending where the D5 begins, before half of the repeat's slot had passed. With `nextOnset` later than
    /// 0.36 s the B4 ends on its own instead; `repeatSeconds` is how long the repeat sounds.
    static func cutShortScene(nextOnset: Double, repeatSeconds: Double = 0.06) -> (
        reference: [ScoreNote], played: [PerformedNote], envelope: LevelEnvelope
    ) {
        let reference = sixteenths([69, 71, 71, 74, 72])
        let envelope = levels(
            of: [
                (0.0, 0.12, 69.0), (0.15, 0.14, 71), (0.30, repeatSeconds, 71), (nextOnset, 0.12, 74), (0.60, 0.12, 72),
            ], seconds: 1.0)
        var merged = PerformedNote(onset: 0.15, offset: 0.30 + repeatSeconds, pitch: 71)
        merged.repeatCandidates = [0.30]
        let played = [
            PerformedNote(onset: 0.0, offset: 0.12, pitch: 69), merged,
            PerformedNote(onset: nextOnset, offset: nextOnset + 0.12, pitch: 74),
            PerformedNote(onset: 0.60, offset: 0.72, pitch: 72),
        ]
        return (reference, played, envelope)
    }

    @Test(
        "a repeat cut short by the next note is split; one that sounds under a quarter of its slot, then stops, is not"
    )
    func repeatCutShortByTheNextNote() {
        let (reference, original, envelope) = Self.cutShortScene(nextOnset: 0.36)
        var played = original
        let split = Assessor.splitRepeats(
            &played, matches: [0, 1, nil, 2, 3], playedPitches: original.map { Int($0.pitch) }, reference: reference,
            envelope: envelope)
        #expect(split)
        #expect(played.count == original.count + 1)
        #expect(played[1].offset == 0.30 && played[2].onset == 0.30 && played[2].offset == 0.36, "\(played)")

        let (_, alone, quiet) = Self.cutShortScene(nextOnset: 0.42, repeatSeconds: 0.03)
        played = alone
        #expect(
            !Assessor.splitRepeats(
                &played, matches: [0, 1, nil, 2, 3], playedPitches: alone.map { Int($0.pitch) }, reference: reference,
                envelope: quiet))
        #expect(played == alone)
    }

    @Test("a split into another pitch still needs the note sounding where the missed one was due")
    func otherPitchKeepsToTheDueTime() {
        let (reference, original, envelope) = Self.scene()
        var changed = reference
        changed[3].pitch = 72  // the reference asks for C5 there: splitting the B4 would claim a wrong note
        var played = original
        let split = Assessor.splitRepeats(
            &played, matches: [0, 1, 2, nil, 3, 4, 5], playedPitches: original.map { Int($0.pitch) },
            reference: changed, envelope: envelope)
        #expect(!split && played == original)
    }

    /// Sixteenths 150 ms apart: A4 B4 C5 D5. The C5 is missed; the B4 before it (0.15–0.29 s) dips and swells at
    /// 0.30 s, where the C5 was due, into more B4 at `laterGain` of its level (dB) until 0.42 s.
    static func otherPitchScene(laterGain decibels: Double) -> (
        reference: [ScoreNote], played: [PerformedNote], envelope: LevelEnvelope
    ) {
        var samples = [Float](repeating: 0, count: Int(0.8 * rate))
        for (start, seconds, midi, gain) in [
            (0.0, 0.12, 69.0, 0.3), (0.15, 0.14, 71, 0.3), (0.30, 0.12, 71, 0.3 * pow(10, decibels / 20)),
            (0.45, 0.12, 74, 0.3),
        ] {
            Voice.tone(
                into: &samples, at: Int(start * rate), sampleRate: rate, midi: midi, duration: seconds,
                gain: Float(gain),
                release: 0.01)
        }
        var merged = PerformedNote(onset: 0.15, offset: 0.42, pitch: 71)
        merged.repeatCandidates = [0.30]
        let played = [
            PerformedNote(onset: 0.0, offset: 0.12, pitch: 69), merged,
            PerformedNote(onset: 0.45, offset: 0.57, pitch: 74),
        ]
        return (sixteenths([69, 71, 72, 74]), played, LevelEnvelope(samples, sampleRate: rate))
    }

    @Test(
        "a dip and swell where another pitch was due claims a wrong note only at the note's level, not 6 dB down",
        arguments: [(0.0, true), (-6.0, false)])
    func otherPitchNeedsTheNoteHeld(laterGain: Double, splits: Bool) {
        let (reference, original, envelope) = Self.otherPitchScene(laterGain: laterGain)
        var played = original
        let split = Assessor.splitRepeats(
            &played, matches: [0, 1, nil, 2], playedPitches: original.map { Int($0.pitch) }, reference: reference,
            envelope: envelope)
        #expect(split == splits)
        if splits { #expect(played.count == 4 && played[1].offset == 0.30 && played[2].onset == 0.30, "\(played)") }
    }

    /// Sixteenths 150 ms apart: C5 D5 E5 D5, the D5 played legato into the E5 (the transcriber heard one note from
    /// 0.15 to 0.40 s and read it as the E5, its longer part). The pitch track holds D5 for `held` frames from
    /// 0.15 s, glides up over three frames and holds E5 to 0.40 s.
    static func legatoScene(held: Int) -> (reference: [ScoreNote], played: [PerformedNote], track: PitchTrack) {
        let hop = 0.01
        let glide: [Double] = [74.7, 75.3, 75.8]
        let frequencies = (0..<60).map { frame -> Float in
            let pitch: Double? =
                switch frame {
                case 0..<12: 72
                case 15..<(15 + held): 74
                case (15 + held)..<(18 + held): glide[frame - 15 - held]
                case (18 + held)..<40: 76
                case 45..<57: 74
                default: nil
                }
            return pitch.map { Float(PitchTrack.hertz(midiPitch: $0)) } ?? 0
        }
        let track = PitchTrack(
            hopSeconds: hop, frequencies: frequencies, voicedProbabilities: frequencies.map { $0 > 0 ? 1 : 0 })
        let played = [
            PerformedNote(onset: 0.0, offset: 0.12, pitch: 72), PerformedNote(onset: 0.15, offset: 0.40, pitch: 76),
            PerformedNote(onset: 0.45, offset: 0.57, pitch: 74),
        ]
        return (sixteenths([72, 74, 76, 74]), played, track)
    }

    @Test(
        "a note read as the missed note after it, that began at its own pitch, is split where it turns (not a scoop)",
        arguments: [(7, true), (2, false)])
    func legatoIntoTheNext(held: Int, splits: Bool) {
        let (reference, original, track) = Self.legatoScene(held: held)
        let envelope = Self.levels(of: [(0.0, 0.12, 72), (0.15, 0.25, 75), (0.45, 0.12, 74)], seconds: 0.6)
        let transcriber = NoteTranscriber()
        var played = original
        let split = Assessor.splitRepeats(
            &played, matches: [0, 1, nil, 2], playedPitches: [72, 76, 74], reference: reference, envelope: envelope,
            track: track, pitch: { transcriber.pitch(of: $0, over: $1, track: track) })
        #expect(split == splits, "\(played)")
        if splits {
            #expect(played.count == 4 && abs(played[2].onset - 0.23) < 1e-9, "\(played)")
            #expect(abs(played[1].pitch - 74) < 0.01 && abs(played[2].pitch - 76) < 0.01, "\(played)")
        }
    }
}

@Suite("Joining back a re-attack the alignment left extra")
struct JoinReattacksTests {
    @Test("a piece cut at a re-attack and answering no reference note joins the note before it; a matched one stays")
    func joinsUnmatchedPiece() {
        var later = PerformedNote(onset: 0.3, offset: 0.5, pitch: 69.1)
        later.reattacked = true
        let original = [
            PerformedNote(onset: 0, offset: 0.3, pitch: 69), later, PerformedNote(onset: 0.6, offset: 0.9, pitch: 71),
        ]
        var played = original
        #expect(Assessor.joinReattacks(&played, matches: [0, 2], playedPitches: [69, 69, 71]))
        #expect(played.count == 2 && played[0].offset == 0.5 && played[0].repeatCandidates == [0.3], "\(played)")
        // The longer piece is the settled note: its pitch stands for both.
        #expect(played[0].pitch == 69)

        played = original
        #expect(!Assessor.joinReattacks(&played, matches: [0, 1, 2], playedPitches: [69, 69, 71]))
        #expect(played == original)
    }
}
