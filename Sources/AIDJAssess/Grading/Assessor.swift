import AIDJAnalysis
import AIDJAudio
import AIDJCore
import Foundation

/// Grades a take against a reference, note by note: transcribe the take (``NoteTranscriber``), align its notes to
/// the reference's (``NoteAligner``), then measure each matched note against the student's own local tempo and
/// tuning, so a take that is slower overall, or a few cents flat throughout, is not marked wrong for it.
public struct Assessor: Sendable {
    public var transcriber: NoteTranscriber

    /// Notes within this many ms of their expected onset count as on time.
    public static let onTimeMilliseconds = 30.0
    /// A played note sounding on into the next note's slot within this many dB of its own level is held (or played
    /// again), not ringing out: on the GM takes, notes held on through a wrong note at the same pitch fell by
    /// −1.7 to +1.2 dB, and releases into a missed note's slot by 5.6 dB and more.
    static let heldDecibels = 3.0
    /// A played note whose level dipped and swelled near where a missed note was due is played again there when
    /// it still sounds within this many dB of its level: on the GM takes, repeats the reference asked for read up
    /// to +15 dB down (most within 2), and releases ringing into a missed repeat's slot 20 dB and more.
    static let soundingDecibels = 10.0
    /// How many times ``splitRepeats(_:matches:playedPitches:reference:envelope:track:tuning:pitch:)`` runs, each
    /// after realigning.
    static let maximumSplitRounds = 8
    /// Below this share of reference notes found at their pitch, the take is not taken to be this piece.
    public static let minimumFoundShare = 0.3

    public init(transcriber: NoteTranscriber = NoteTranscriber()) {
        self.transcriber = transcriber
    }

    /// Assesses the audio file at `path`.
    ///
    /// - Throws: `AudioError` when the take cannot be decoded; `AssessError` when it has no pitched notes or does not
    ///   follow the reference.
    ///
    /// - Parameter takeName: how reports name the take (default: `path`).
    public func assess(takePath path: String, reference: ReferenceScore, takeName: String? = nil) throws
        -> Assessment
    {
        let reader = try AudioFileReader(path: path)
        let samples = try reader.readMono(sampleRate: transcriber.configuration.sampleRate)
        return try assess(samples: samples, takeName: takeName ?? path, reference: reference)
    }

    /// Assesses a take in memory (mono, at the transcriber's rate).
    ///
    /// - Throws: `AssessError` when the take has no pitched notes or does not follow the reference.
    public func assess(samples: [Float], takeName: String, reference: ReferenceScore) throws(AssessError)
        -> Assessment
    {
        let transcription = transcriber.transcribe(samples)
        return try grade(transcription, takeName: takeName, reference: reference)
    }

    /// Grades transcribed notes against the reference.
    public func grade(_ transcription: NoteTranscriber.Transcription, takeName: String, reference: ReferenceScore)
        throws(AssessError) -> Assessment
    {
        var played = transcription.notes
        guard played.count >= 2 else {
            throw AssessError(
                path: takeName,
                reason: "found \(played.count) pitched note(s): the take is silent, unpitched or noise")
        }
        let ref = reference.notes
        guard !ref.isEmpty else { throw AssessError(path: reference.source, reason: "the reference has no notes") }
        let tuning = transcription.tuningCents / 100
        func pitches() -> [Int] { played.map { Int(($0.pitch - tuning).rounded()) } }
        var playedPitches = pitches()
        var onsets = played.map(\.onset)
        let aligner = NoteAligner()
        var matches = aligner.align(reference: ref, played: playedPitches, onsets: onsets)
        func realign() {
            playedPitches = pitches()
            onsets = played.map(\.onset)
            matches = aligner.align(reference: ref, played: playedPitches, onsets: onsets)
        }
        if Self.joinReattacks(&played, matches: matches, playedPitches: playedPitches) { realign() }
        // A note split once may hold further notes (a run of repeats): split again after each realignment.
        for _ in 0..<Self.maximumSplitRounds {
            guard
                Self.splitRepeats(
                    &played, matches: matches, playedPitches: playedPitches, reference: ref,
                    envelope: transcription.envelope, track: transcription.pitch, tuning: tuning,
                    pitch: { transcriber.pitch(of: $0, over: $1, track: transcription.pitch) })
            else { break }
            realign()
        }
        // A split the realignment then left extra answered no reference note: the note is one again (a sung
        // note's release swelling where a missed repeat was due, on the seed-23 GM takes).
        if Self.joinReattacks(&played, matches: matches, playedPitches: playedPitches) { realign() }

        let anchors = NoteAligner.anchors(matches, reference: ref, played: playedPitches, onsets: onsets)
        guard let global = Self.overallLine(anchors, outOf: ref.count) else {
            throw AssessError(
                path: takeName,
                reason:
                    "it does not follow \(reference.source): only \(anchors.count) of \(ref.count) reference notes "
                    + "were found at their pitch (another piece, or another transposition?)")
        }
        let local = LocalTimeMap(anchors: anchors)
        /// Where and at what local tempo the take was due to play reference note `i`.
        func expectation(_ i: Int) -> (take: Double, slope: Double) {
            local.expectation(around: i, at: ref[i].onset) ?? (global.takeTime(ref[i].onset), global.slope)
        }

        var grades: [Assessment.NoteGrade] = []
        var localRatios: [Double] = []
        for (i, note) in ref.enumerated() {
            var grade = Assessment.NoteGrade(
                index: i, status: .missed, referencePitch: note.pitch, referenceTime: note.onset, bar: note.bar,
                beat: note.beat)
            if let j = matches[i] {
                let expected = expectation(i)
                grade.answer(with: played[j], tuning: tuning, expected: expected, global: global, note: note)
                localRatios.append(1 / expected.slope)
            }
            grades.append(grade)
        }
        // A note the alignment left missed may still have sounded between the notes that answer its neighbours.
        let claimed = Self.answerMissed(
            &grades, reference: ref, matches: matches, played: played, playedPitches: playedPitches, tuning: tuning,
            track: transcription.pitch, global: global, aligner: aligner, timing: expectation)
        let matched = Set(matches.compactMap { $0 }).union(claimed)
        let extra = played.indices.filter { !matched.contains($0) }.map {
            Assessment.ExtraNote(time: played[$0].onset, pitch: playedPitches[$0], duration: played[$0].duration)
        }
        let loudness = matches.compactMap { $0 }.compactMap { played[$0].loudness }
        let summary = Self.summarize(grades, localRatios: localRatios, loudness: loudness)
        return Assessment(
            reference: reference.source, take: takeName, mode: .monophonic, tuningCents: transcription.tuningCents,
            tempoRatio: 1 / global.slope, notes: grades, extra: extra, summary: summary,
            worst: Self.worstBars(grades, extra: extra, reference: ref, global: global))
    }

    /// Splits played notes where the alignment found a reference note missed right after the note they answer,
    /// when the played note may hold two: the student played the same pitch again (the reference repeats it, or
    /// the student played the wrong note at the pitch before it). A note played again without a sharp attack (a new
    /// bow stroke, a new breath) is one long note to the transcriber, and a swell inside a long note is no new note:
    /// the reference tells the two apart.
    ///
    /// The played note must sound on through at least the first half of the missed note's slot; a note played once
    /// ends near where the next is due, and what rings on after it (a release, a room) falls away. Where the next
    /// played note starts as this one stops (within 20 ms), it did not stop of itself: the next note came in early
    /// and cut the slot short, so its level is read up to there, over at least a quarter of the slot (on the seed-59
    /// GM takes, a clarinet's repeat 66 ms long, cut by the next note 17 ms before half its slot). So is a repeat
    /// of the reference's own pitch, which may be played short and stop of itself (on the seed-59 GM takes, a
    /// clarinet's repeat that sounded 50 ms of its 123 ms slot, its attack speaking 20 ms late): such a split needs
    /// a dip and swell, which a note played once and ringing out does not have. Its level there, against its level
    /// before, decides. The slot starts at the due time, or for a repeat of the reference's own
    /// pitch at its dip and swell: a repeat played early (which cuts the note before it short) may be over by the
    /// time it was due (on the seed-7 GM takes, a clarinet's repeat 54 ms early, its slot 20 dB down where due).
    /// A split into another pitch claims a wrong note and keeps to the due time:
    /// - at a repeat candidate (a dip and swell of the level) near the due time (within half the gap between the two
    ///   notes when the reference repeats the pitch, a quarter otherwise), a fall of less than ``soundingDecibels``
    ///   splits there where the reference repeats the pitch, and of less than ``heldDecibels`` where it asks for
    ///   another: a release dips too, and the next note's attack swells under it when it comes early or a room
    ///   rings the release on into it. (With 10 dB there too, missed notes called wrong numbered 6 on the seed-23 GM
    ///   takes and 10 on the seed-7 takes through a room; with 3 dB, 2 and 8.)
    /// - with no candidate, where the reference asks for another pitch, a fall of less than ``heldDecibels`` (the
    ///   note held on at its level) splits at the due time.
    ///
    /// A played note read at the missed note's pitch, answering the note before it as a wrong note, may be both
    /// notes played legato, the first gliding into the second too gradually for the transcriber to cut (on the GM
    /// takes: FluidR3's violin rising a semitone over 100 ms; a flute and a sung "ooh" sliding into the next). Where
    /// its pitch `track` (after `tuning`, semitones) holds the note before's pitch for three frames and then turns to
    /// the missed note's, before half the gap after the missed note was due, it is split at the turn
    /// (``pitchTurn(_:from:to:before:track:tuning:pitch:)``), whatever its level does. On the four sets of GM takes
    /// this found 4 wrong or missed notes fewer that were not, and missed 2 more that were.
    ///
    /// Each piece of a split note is pitched again from its own frames by `pitch` (the note, the piece's span in
    /// s; nil keeps the note's pitch): a repeat played a quarter tone off is graded as it sounds, not as the
    /// note it was heard within (on the seed-7 GM takes, a clarinet's repeat 46 cents flat was graded at the 5 cents
    /// sharp of the note before it).
    ///
    /// Returns whether any note was split.
    static func splitRepeats(
        _ played: inout [PerformedNote], matches: [Int?], playedPitches: [Int], reference: [ScoreNote],
        envelope: LevelEnvelope, track: PitchTrack? = nil, tuning: Double = 0,
        pitch: (PerformedNote, ClosedRange<Double>) -> Double? = { _, _ in nil }
    ) -> Bool {
        let pairs = matches.enumerated().compactMap { i, j in
            j.map { (reference: reference[i].onset, take: played[$0].onset) }
        }
        guard let global = TimeLine(Assessor.spread(pairs)), global.slope > 0 else { return false }
        var splits: [(note: Int, time: Double)] = []
        for i in reference.indices.dropFirst() where matches[i] == nil {
            guard let j = matches[i - 1], !splits.contains(where: { $0.note == j }) else { continue }
            let gap = (reference[i].onset - reference[i - 1].onset) * global.slope
            let due = played[j].onset + gap
            let slot =
                (i + 1 < reference.count ? reference[i + 1].onset - reference[i].onset : reference[i].duration)
                * global.slope
            let repeated = playedPitches[j] == reference[i].pitch
            if repeated, playedPitches[j] != reference[i - 1].pitch, let track,
                let turn = Self.pitchTurn(
                    played[j], from: reference[i - 1].pitch, to: reference[i].pitch, before: due + 0.5 * gap,
                    track: track, tuning: tuning, pitch: pitch)
            {
                // Read as the missed note's pitch, but it began at its own: the two notes, one gliding into the
                // other.
                splits.append((j, turn))
                continue
            }
            let window = (repeated ? 0.5 : 0.25) * gap
            let candidate = played[j].repeatCandidates.min(by: { abs($0 - due) < abs($1 - due) })
                .flatMap { abs($0 - due) <= window ? $0 : nil }
            // The note sounds on through the first half of the missed note's slot (from its dip and swell for a
            // repeat): its level there against its own before, for telling a note held or played again from one
            // ringing out.
            let start = (repeated ? candidate : nil) ?? due
            let cutShort = j + 1 < played.count && played[j + 1].onset - played[j].offset < 0.02
            let end = cutShort || repeated ? min(start + 0.5 * slot, played[j].offset) : start + 0.5 * slot
            guard played[j].offset >= end, end - start >= 0.25 * slot,
                let body = envelope.medianLevel(from: played[j].onset + 0.03, to: start - 0.1 * gap),
                let after = envelope.medianLevel(from: start + 0.1 * slot, to: end)
            else { continue }
            if candidate != nil {
                // Played again where the level dipped and swelled: the note must still sound there, and where the
                // split claims a wrong note, at its level (the next note's attack swells under a release too).
                if body - after < (repeated ? soundingDecibels : heldDecibels), let time = candidate {
                    splits.append((j, time))
                }
            } else if !repeated, body - after < heldDecibels,
                due > played[j].onset + 0.05, due < played[j].offset - 0.05
            {
                // No re-articulation heard: held on at its level through a slot that asked for another pitch.
                splits.append((j, due))
            }
        }
        for split in splits.sorted(by: { $0.note > $1.note }) {
            let whole = played[split.note]
            var later = whole
            later.onset = split.time
            later.reattacked = true
            later.repeatCandidates.removeAll { $0 <= split.time }
            later.pitch = pitch(whole, split.time...whole.offset) ?? whole.pitch
            played[split.note].offset = split.time
            played[split.note].repeatCandidates.removeAll { $0 >= split.time }
            played[split.note].pitch = pitch(whole, whole.onset...split.time) ?? whole.pitch
            played.insert(later, at: split.note + 1)
        }
        return !splits.isEmpty
    }

    /// Where a played note moves from `first` to `second` (MIDI pitches; the track's frames after `tuning`, in
    /// semitones): the first frame of the first three in a row nearer `second`, after at least three nearer
    /// `first`, and before `limit` (s). The pieces either side, pitched by `pitch`, must hold the two pitches. Nil
    /// where the note does not.
    static func pitchTurn(
        _ note: PerformedNote, from first: Int, to second: Int, before limit: Double, track: PitchTrack,
        tuning: Double, pitch: (PerformedNote, ClosedRange<Double>) -> Double?
    ) -> Double? {
        let frames = track.frames(from: note.onset, to: min(note.offset, limit))
        let middle = Double(first + second) / 2
        let towardSecond = second > first
        func nearSecond(_ k: Int) -> Bool? {
            track.midiPitch(ofFrame: k).map { ($0 - tuning > middle) == towardSecond }
        }
        var nearFirst = 0
        var k = frames.lowerBound
        while k + 2 < frames.upperBound {
            if nearSecond(k) == false { nearFirst += 1 }
            if nearFirst >= 3, nearSecond(k) == true, nearSecond(k + 1) == true, nearSecond(k + 2) == true {
                let turn = track.time(ofFrame: k)
                guard let a = pitch(note, note.onset...turn), Int((a - tuning).rounded()) == first,
                    let b = pitch(note, turn...note.offset), Int((b - tuning).rounded()) == second
                else { return nil }
                return turn
            }
            k += 1
        }
        return nil
    }

    /// How many 10 ms frames a brief sounding of a missed note must hold (``answerMissed``).
    static let briefFrames = 3
    /// How near (semitones, after tuning) a brief sounding's frames lie to the missed note's pitch.
    static let briefSemitones = 0.6
    /// How much later (s) than the alignment allows a played note left extra may answer a missed note
    /// (``answerMissed``).
    static let lateAttackSeconds = 0.03

    /// Reference notes the alignment left missed that sounded all the same, between the played notes that answer
    /// the nearest found reference notes on either side:
    /// - a played note at its pitch that the alignment left extra, just beyond where its last passes look (0.6 of
    ///   the gap to the nearer neighbouring reference note from its due time): up to ``lateAttackSeconds`` further,
    ///   an onset read late under a soft attack (on the seed-59 GM takes, a clarinet note read 88 ms after it was
    ///   due, where its slot allowed 69). Further off, it is another note: against a reference recording, whose
    ///   transcription can lose several notes in a row, a note at that pitch 250–700 ms away answered a note the
    ///   student had missed;
    /// - or, with no such note, a brief sounding at its pitch, ``briefFrames`` or more frames within
    ///   ``briefSemitones`` of it, in the silence between those played notes and near its due time: a short note
    ///   whose sample speaks slowly, voiced for 30–40 ms, is no note to the transcriber (50 ms at least), but the
    ///   reference says it is due there. Its pitch is the median of those frames, graded by the ±50-cent rule.
    ///
    /// Neither is sought where the played note before has the missed note's pitch (its release rings on there, as a
    /// FluidR3 clarinet's does for 110 ms), nor the brief sounding where its pitch lies between the pitches of the
    /// played notes either side (a glide between them passes through it). The brief sounding is searched within
    /// 0.6 of that gap of its due time.
    ///
    /// Returns the played notes that now answer a reference note (no longer extra).
    static func answerMissed(
        _ grades: inout [Assessment.NoteGrade], reference: [ScoreNote], matches: [Int?], played: [PerformedNote],
        playedPitches: [Int], tuning: Double, track: PitchTrack, global: TimeLine, aligner: NoteAligner = NoteAligner(),
        timing: (Int) -> (take: Double, slope: Double)
    ) -> Set<Int> {
        let matched = Set(matches.compactMap { $0 })
        var claimed = Set<Int>()
        for i in reference.indices where grades[i].status == .missed {
            guard let before = matches[..<i].last(where: { $0 != nil }) ?? nil,
                let after = matches[(i + 1)...].first(where: { $0 != nil }) ?? nil,
                playedPitches[before] != reference[i].pitch
            else { continue }
            let expected = timing(i)
            // As far from its due time as the alignment's last passes allow.
            let reach = aligner.lastPassTolerance(.init(around: i, in: reference), slope: expected.slope)
            if let j = ((before + 1)..<after).first(where: {
                !matched.contains($0) && !claimed.contains($0) && playedPitches[$0] == reference[i].pitch
                    && played[$0].onset >= expected.take - reach.early - lateAttackSeconds
                    && played[$0].onset <= expected.take + reach.late + lateAttackSeconds
            }) {
                grades[i].answer(
                    with: played[j], tuning: tuning, expected: expected, global: global, note: reference[i])
                claimed.insert(j)
                continue
            }
            let target = reference[i].pitch
            let sides = [playedPitches[before], playedPitches[after]]
            guard target <= sides.min()! || target >= sides.max()! else { continue }
            let from = max(played[before].offset, expected.take - reach.early)
            let to = min(played[after].onset, expected.take + reach.late)
            let first = max(0, Int((from / track.hopSeconds).rounded(.up)))
            let last = min(track.frameCount, Int((to / track.hopSeconds).rounded(.down)) + 1)
            guard last - first >= briefFrames else { continue }
            var longest: Range<Int>?
            var runStart: Int?
            for k in first...last {
                let near =
                    k < last
                    && track.midiPitch(ofFrame: k).map { abs($0 - tuning - Double(target)) < briefSemitones } == true
                if near, runStart == nil { runStart = k }
                if !near, let start = runStart {
                    if k - start >= briefFrames, k - start > longest?.count ?? 0 { longest = start..<k }
                    runStart = nil
                }
            }
            guard let run = longest else { continue }
            let pitch = median(run.compactMap { track.midiPitch(ofFrame: $0) })
            let sounding = PerformedNote(
                onset: track.time(ofFrame: run.lowerBound), offset: track.time(ofFrame: run.upperBound), pitch: pitch)
            grades[i].answer(with: sounding, tuning: tuning, expected: expected, global: global, note: reference[i])
        }
        return claimed
    }

    /// Joins back a note cut at a re-attack that the alignment left extra, when it has the pitch of the note it
    /// was cut from: the reference asked for one note there, and some instruments' attacks swell twice (a sampled
    /// "ooh" rises, dips and settles 130 ms in). A repeat the student really played shows as a separate note
    /// before a silence or with a sharp attack, and the reference asking for it keeps it apart. Returns whether any
    /// note was joined.
    static func joinReattacks(_ played: inout [PerformedNote], matches: [Int?], playedPitches: [Int]) -> Bool {
        guard matches.count > 0, played.count > 1 else { return false }
        let matched = Set(matches.compactMap { $0 })
        var joined = false
        for j in stride(from: played.count - 1, through: 1, by: -1)
        where played[j].reattacked && playedPitches[j] == playedPitches[j - 1]
            && (!matched.contains(j) || !matched.contains(j - 1))
        {
            // The longer piece is the settled note; its pitch and loudness stand for both.
            let later = played[j]
            if later.duration > played[j - 1].duration {
                played[j - 1].pitch = later.pitch
                played[j - 1].loudness = later.loudness
            }
            played[j - 1].offset = later.offset
            played[j - 1].repeatCandidates += [later.onset] + later.repeatCandidates
            played.remove(at: j)
            joined = true
        }
        return joined
    }

    /// The take's overall tempo line through the found notes, nil when fewer than ``minimumFoundShare`` of
    /// `count` (and at least 3) were found: then the take is not taken to be this piece.
    static func overallLine(_ anchors: [(index: Int, reference: Double, take: Double)], outOf count: Int) -> TimeLine? {
        let needed = max(3, Int((minimumFoundShare * Double(count)).rounded(.up)))
        guard anchors.count >= needed, let line = TimeLine(spread(anchors).map { ($0.reference, $0.take) }),
            line.slope > 0
        else { return nil }
        return line
    }

    /// At most 200 anchors, evenly spread, so the Theil–Sen fit over all pairs stays cheap on long pieces.
    static func spread<T>(_ items: [T]) -> [T] {
        guard items.count > 200 else { return items }
        return (0..<200).map { items[$0 * items.count / 200] }
    }

    // MARK: - Summary

    static func summarize(_ grades: [Assessment.NoteGrade], localRatios: [Double], loudness: [Double])
        -> Assessment.Summary
    {
        let ok = grades.filter { $0.status == .ok }
        let accuracy = grades.isEmpty ? 0 : Double(ok.count) / Double(grades.count)
        let deviations = grades.compactMap(\.onsetMilliseconds)
        let magnitudes = deviations.map(abs)
        let early = deviations.filter { $0 < -onTimeMilliseconds }.count
        let late = deviations.filter { $0 > onTimeMilliseconds }.count
        let onTime = deviations.count - early - late
        let cents = ok.compactMap(\.cents)
        let evenness = loudnessSpread(loudness)
        let onTimeShare = deviations.isEmpty ? 0 : Double(onTime) / Double(deviations.count)
        let intonation = cents.isEmpty ? 0 : cents.map { max(0, 1 - abs($0) / 50) }.reduce(0, +) / Double(cents.count)
        let dynamics = evenness.map { max(0, 1 - $0 / 6) } ?? 1
        let score = 100 * (0.5 * accuracy + 0.2 * onTimeShare + 0.2 * intonation + 0.1 * dynamics)
        return Assessment.Summary(
            noteAccuracy: accuracy,
            timingMedianMilliseconds: magnitudes.isEmpty ? nil : median(magnitudes),
            timingP90Milliseconds: magnitudes.isEmpty ? nil : percentile(magnitudes, 0.9),
            early: early, onTime: onTime, late: late,
            tempoStability: localRatios.count >= 2 ? coefficientOfVariation(localRatios) : nil,
            intonationMeanCents: cents.isEmpty ? nil : cents.reduce(0, +) / Double(cents.count),
            intonationSpreadCents: cents.count >= 2 ? standardDeviation(cents) : nil,
            loudnessEvenness: evenness, score: score)
    }

    /// The RMS (LU) of note loudness around its centred 7-note running median: uneven notes count, a phrase's
    /// crescendo does not.
    static func loudnessSpread(_ values: [Double]) -> Double? {
        guard values.count >= 3 else { return nil }
        var sum = 0.0
        for k in values.indices {
            let window = Array(values[max(0, k - 3)...min(values.count - 1, k + 3)])
            let residual = values[k] - median(window)
            sum += residual * residual
        }
        return (sum / Double(values.count)).squareRoot()
    }

    // MARK: - Worst bars

    static func worstBars(
        _ grades: [Assessment.NoteGrade], extra: [Assessment.ExtraNote], reference: [ScoreNote], global: TimeLine
    ) -> [Assessment.Spot] {
        var penalty: [Int: Double] = [:]
        var remarks: [Int: [String]] = [:]
        func note(_ bar: Int, _ weight: Double, _ text: String) {
            penalty[bar, default: 0] += weight
            remarks[bar, default: []].append(text)
        }
        for g in grades {
            let beat = "beat \(formatBeat(g.beat))"
            switch g.status {
            case .missed: note(g.bar, 1, "missed \(noteName(g.referencePitch)) (\(beat))")
            case .wrongPitch:
                note(g.bar, 1, "played \(noteName(g.playedPitch!)) for \(noteName(g.referencePitch)) (\(beat))")
            case .ok:
                if let c = g.cents, abs(c) > 25 {
                    note(
                        g.bar, 0.5,
                        "\(noteName(g.referencePitch)) \(Int(abs(c).rounded())) cents \(c > 0 ? "sharp" : "flat") (\(beat))"
                    )
                }
            }
            if let t = g.onsetMilliseconds, abs(t) > onTimeMilliseconds {
                note(g.bar, 0.5, "\(t > 0 ? "late" : "early") by \(Int(abs(t).rounded())) ms (\(beat))")
            }
        }
        // An extra note belongs to the bar of the reference note nearest to it in time.
        for e in extra {
            let referenceTime = (e.time - global.intercept) / global.slope
            guard let nearest = reference.min(by: { abs($0.onset - referenceTime) < abs($1.onset - referenceTime) })
            else { continue }
            note(nearest.bar, 0.5, "extra \(noteName(e.pitch))")
        }
        return penalty.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(5).map {
            Assessment.Spot(bar: $0.key, what: remarks[$0.key]!.joined(separator: "; "))
        }
    }
}

/// A MIDI pitch as a name with octave, spelled as aidj spells pitch classes (``MusicalKey/pitchClassNames``):
/// 60 → "C4", 61 → "C#4", 70 → "Bb4".
public func noteName(_ pitch: Int) -> String {
    MusicalKey.pitchClassNames[((pitch % 12) + 12) % 12] + String(pitch / 12 - 1)
}

func formatBeat(_ beat: Double) -> String {
    abs(beat - beat.rounded()) < 0.01 ? String(Int(beat.rounded())) : String(format: "%.2f", beat)
}

func percentile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(sorted.count - 1, lower + 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}

func standardDeviation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
}

func coefficientOfVariation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return mean > 0 ? standardDeviation(values) / mean : 0
}

extension Assessment.NoteGrade {
    /// Grades the reference `note` as answered by the played `answer`: its pitch after the take's `tuning`
    /// (semitones) by the ±50-cent rule, its onset against the local tempo's `expected` time and against the overall
    /// line, and its duration against the reference's at the local tempo.
    mutating func answer(
        with answer: PerformedNote, tuning: Double, expected: (take: Double, slope: Double), global: TimeLine,
        note: ScoreNote
    ) {
        let pitch = Int((answer.pitch - tuning).rounded())
        status = pitch == note.pitch ? .ok : .wrongPitch
        playedPitch = pitch
        cents = 100 * (answer.pitch - tuning - Double(pitch))
        onsetMilliseconds = 1000 * (answer.onset - expected.take)
        tempoMilliseconds = 1000 * (answer.onset - global.takeTime(note.onset))
        if note.duration > 0 { durationRatio = answer.duration / (note.duration * expected.slope) }
        takeTime = answer.onset
        takeDuration = answer.duration
    }
}
