import AIDJAnalysis
import AIDJAudio
import Foundation

extension Assessor {
    /// The analysis rate of the polyphonic path (the chroma's, as everywhere in aidj's analysis).
    static let polyphonicSampleRate = 22_050.0
    /// Reference notes starting within this many seconds of each other form one chord.
    static let chordSeconds = 0.03

    /// Assesses a polyphonic take (piano) by onset timing only: the chords of the reference are found in the take by
    /// chroma alignment (``ChromaAligner``), and each chord's attack is measured against the student's local tempo.
    /// Notes are "ok" when an attack was heard where their chord was due and "missed" otherwise; pitch, cents and
    /// intonation are not judged (nil), and the report says so.
    ///
    /// - Throws: `AudioError` when the take cannot be decoded; `AssessError` when it is silent or does not follow the
    ///   reference.
    public func assessPolyphonic(takePath path: String, reference: ReferenceScore, takeName: String? = nil) throws
        -> Assessment
    {
        let samples = try AudioFileReader(path: path).readMono(sampleRate: Self.polyphonicSampleRate)
        return try assessPolyphonic(samples: samples, takeName: takeName ?? path, reference: reference)
    }

    /// Assesses a polyphonic take in memory (mono, 22 050 Hz).
    public func assessPolyphonic(samples: [Float], takeName: String, reference: ReferenceScore) throws(AssessError)
        -> Assessment
    {
        let ref = reference.notes
        guard !ref.isEmpty else { throw AssessError(path: reference.source, reason: "the reference has no notes") }
        let analyzer = FrameAnalyzer()
        analyzer.process(samples)
        let features = analyzer.finish()
        guard features.soundFrames > 0, (features.onset.max() ?? 0) > 0 else {
            throw AssessError(path: takeName, reason: "the take is silent")
        }
        // Chords: notes starting together.
        var chords: [(time: Double, notes: [Int])] = []
        for (k, note) in ref.enumerated() {
            if let last = chords.last, note.onset - last.time <= Self.chordSeconds {
                chords[chords.count - 1].notes.append(k)
            } else {
                chords.append((note.onset, [k]))
            }
        }
        let envelope = LevelEnvelope(samples, sampleRate: Self.polyphonicSampleRate)
        let times = ChromaAligner().takeTimes(
            of: chords.map(\.time), notes: ref, take: features, envelope: envelope)
        let anchors = times.enumerated().compactMap { c, t in t.map { (index: c, reference: chords[c].time, take: $0) }
        }
        guard let global = Self.overallLine(anchors, outOf: chords.count) else {
            throw AssessError(
                path: takeName,
                reason:
                    "it does not follow \(reference.source): only \(anchors.count) of \(chords.count) chords were "
                    + "heard where the alignment put them (another piece?)")
        }
        let local = LocalTimeMap(anchors: anchors)
        var grades = ref.enumerated().map { i, note in
            Assessment.NoteGrade(
                index: i, status: .missed, referencePitch: note.pitch, referenceTime: note.onset, bar: note.bar,
                beat: note.beat)
        }
        var localRatios: [Double] = []
        var spans: [Range<Int>] = []
        for (c, chord) in chords.enumerated() {
            guard let t = times[c] else { continue }
            let expected = local.expectation(around: c, at: chord.time) ?? (global.takeTime(chord.time), global.slope)
            localRatios.append(1 / expected.slope)
            let next = times[(c + 1)...].compactMap { $0 }.first ?? t + 0.5
            spans.append(Int(t * Self.polyphonicSampleRate)..<Int(max(t + 0.05, next) * Self.polyphonicSampleRate))
            for i in chord.notes {
                grades[i].status = .ok
                grades[i].onsetMilliseconds = 1000 * (t - expected.take)
                grades[i].tempoMilliseconds = 1000 * (t - global.takeTime(chord.time))
                grades[i].takeTime = t
                grades[i].takeDuration = ref[i].duration * expected.slope
            }
        }
        let loudness = SegmentLoudness.lufs(of: spans, in: samples, sampleRate: Int(Self.polyphonicSampleRate))
            .compactMap { $0 }
        // One grade per chord for the timing figures, so a ten-note chord does not count ten times.
        let chordGrades = chords.map { grades[$0.notes[0]] }
        var summary = Self.summarize(chordGrades, localRatios: localRatios, loudness: loudness)
        summary.noteAccuracy = Double(grades.filter { $0.status == .ok }.count) / Double(grades.count)
        // The score without intonation: 50 × notes heard + 30 × on-time share + 20 × evenness.
        let onTimeShare: Double = Double(summary.onTime) / Double(max(1, anchors.count))
        let evenness: Double = summary.loudnessEvenness.map { max(0, 1 - $0 / 6) } ?? 1
        summary.score = 100 * (0.5 * summary.noteAccuracy + 0.3 * onTimeShare + 0.2 * evenness)
        return Assessment(
            reference: reference.source, take: takeName, mode: .polyphonic, tuningCents: 0,
            tempoRatio: 1 / global.slope, notes: grades, extra: [], summary: summary,
            worst: Self.worstBars(grades, extra: [], reference: ref, global: global))
    }
}
