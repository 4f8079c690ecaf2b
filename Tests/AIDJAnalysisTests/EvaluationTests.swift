import AIDJCore
import Testing

@testable import AIDJAnalysis

/// The evaluation measures of `aidj-bench eval`, on hand-worked examples.
@Suite("Evaluation measures")
struct EvaluationTests {
    static let cMajor = MusicalKey(tonic: 0, mode: .major)
    static let aMinor = MusicalKey(tonic: 9, mode: .minor)

    @Test(
        "MIREX key relations and weights",
        arguments: [
            (cMajor, MusicalKey(tonic: 0, mode: .major), KeyEvaluation.Relation.exact, 1.0),
            (cMajor, MusicalKey(tonic: 7, mode: .major), .fifthUp, 0.5),
            (cMajor, MusicalKey(tonic: 5, mode: .major), .fifthDown, 0),
            (cMajor, MusicalKey(tonic: 9, mode: .minor), .relative, 0.3),
            (cMajor, MusicalKey(tonic: 0, mode: .minor), .parallel, 0.2),
            (cMajor, MusicalKey(tonic: 4, mode: .minor), .other, 0),
            (cMajor, MusicalKey(tonic: 2, mode: .major), .other, 0),
            (aMinor, MusicalKey(tonic: 0, mode: .major), .relative, 0.3),
            (aMinor, MusicalKey(tonic: 4, mode: .minor), .fifthUp, 0.5),
            (aMinor, MusicalKey(tonic: 2, mode: .minor), .fifthDown, 0),
            (aMinor, MusicalKey(tonic: 9, mode: .major), .parallel, 0.2),
            (aMinor, MusicalKey(tonic: 6, mode: .major), .other, 0),
        ])
    func keyRelations(reference: MusicalKey, estimate: MusicalKey, relation: KeyEvaluation.Relation, weight: Double) {
        #expect(KeyEvaluation.relation(of: estimate, to: reference) == relation, "\(estimate) against \(reference)")
        #expect(KeyEvaluation.weightedScore(estimate, reference: reference) == weight)
    }

    @Test("tempo Acc1 allows ±4 %, Acc2 also the double, triple, half and third, not 3/2")
    func tempoAccuracy() {
        #expect(TempoEvaluation.acc1(estimated: 124.8, reference: 120))
        #expect(TempoEvaluation.acc1(estimated: 115.2, reference: 120))
        #expect(!TempoEvaluation.acc1(estimated: 125, reference: 120))
        #expect(!TempoEvaluation.acc1(estimated: 240, reference: 120))
        #expect(TempoEvaluation.acc2(estimated: 240, reference: 120))
        #expect(TempoEvaluation.acc2(estimated: 61, reference: 120))
        #expect(TempoEvaluation.acc2(estimated: 40, reference: 120))
        #expect(TempoEvaluation.acc2(estimated: 355, reference: 120))
        #expect(!TempoEvaluation.acc2(estimated: 180, reference: 120), "3/2 is a metrical error Acc2 does not forgive")
        #expect(!TempoEvaluation.acc2(estimated: 125, reference: 120))
    }

    @Test("beat F-measure: two of four within ±70 ms gives P = R = F = 0.5")
    func beatFMeasure() {
        let f = BeatEvaluation.fMeasure(estimated: [1.05, 2.1, 3, 5], reference: [1, 2, 3, 4])
        #expect(abs(f - 0.5) < 1e-12)
        #expect(BeatEvaluation.fMeasure(estimated: [], reference: [1]) == 0)
        // One estimate cannot claim two reference beats.
        let one = BeatEvaluation.fMeasure(estimated: [1.0], reference: [0.97, 1.03])
        #expect(abs(one - 2 * 1 * 0.5 / 1.5) < 1e-12)
    }

    static let reference = (0..<20).map { Double($0) * 0.5 }

    @Test("continuity: exact beats score 1; off-beat and double-tempo beats score 0 at CML and 1 at AML")
    func continuityLevels() {
        let exact = BeatEvaluation.continuity(estimated: Self.reference, reference: Self.reference)
        #expect(exact == .init(cmlc: 1, cmlt: 1, amlc: 1, amlt: 1))
        let offBeat = BeatEvaluation.continuity(
            estimated: Self.reference.dropLast().map { $0 + 0.25 }, reference: Self.reference)
        #expect(offBeat.cmlt == 0)
        #expect(offBeat.amlt == 1)
        let double = BeatEvaluation.continuity(
            estimated: (0..<39).map { Double($0) * 0.25 }, reference: Self.reference)
        #expect(double.cmlt == 0)
        #expect(double.amlt == 1)
    }

    @Test("continuity: half the beats right, then a jump off the beat, gives CMLc = CMLt = 0.5")
    func continuityBreak() {
        let estimated = Self.reference.indices.map { Self.reference[$0] + ($0 >= 10 ? 0.2 : 0) }
        let c = BeatEvaluation.continuity(estimated: estimated, reference: Self.reference)
        #expect(abs(c.cmlt - 0.5) < 1e-12)
        #expect(abs(c.cmlc - 0.5) < 1e-12)
        #expect(c.amlt >= c.cmlt)
    }

    @Test("phase error at both ends of a drifting grid: medians 80 ms and 120 ms")
    func phaseAtEnds() {
        let drifting = Self.reference.indices.map { Self.reference[$0] + 0.01 * Double($0) }
        let start = BeatEvaluation.phaseError(estimated: drifting, reference: Self.reference, atEnd: false)!
        let end = BeatEvaluation.phaseError(estimated: drifting, reference: Self.reference, atEnd: true)!
        #expect(abs(start - 0.08) < 1e-9)
        #expect(abs(end - 0.12) < 1e-9)
        #expect(BeatEvaluation.phaseError(estimated: [], reference: Self.reference, atEnd: true) == nil)
    }

    @Test("stray beats: a grid running 5 s past the music has 8 of 21 beats over silence")
    func strayBeats() {
        let music = (0...10).map { Double($0) * 0.5 }
        let grid = (0...20).map { Double($0) * 0.5 }
        #expect(abs(BeatEvaluation.strayShare(estimated: grid, reference: music) - 8.0 / 21) < 1e-12)
    }
    @Test("bar reading: on the bar, a beat early, half a bar off, a beat late, another meter, beats off")
    func barReadings() {
        let beats = (0..<32).map { 0.5 + 0.5 * Double($0) }
        let reference = beats.indices.map { $0 % 4 + 1 }
        func reading(_ positions: [Int], _ times: [Double] = beats) -> BeatEvaluation.BarReading {
            BeatEvaluation.barReading(
                estimated: times, estimatedPositions: positions, reference: beats, referencePositions: reference)
        }
        #expect(reading(reference) == .onTheBar)
        // The estimate's bar starts one beat before the reference's: its beat 1 is the reference's beat 4.
        let early = beats.indices.map { ($0 + 1) % 4 + 1 }
        #expect(reading(early) == .shifted(beats: 1, meter: 4))
        #expect(reading(early).description == "a beat early")
        #expect(reading(beats.indices.map { ($0 + 2) % 4 + 1 }).description == "half a bar off")
        #expect(reading(beats.indices.map { ($0 + 3) % 4 + 1 }).description == "a beat late")
        #expect(reading(beats.indices.map { $0 % 3 + 1 }) == .meter(reference: 4, estimated: 3))
        // Beats 30 ms off still count; off-beats (250 ms off) do not.
        #expect(reading(reference, beats.map { $0 + 0.03 }) == .onTheBar)
        #expect(reading(reference, beats.map { $0 + 0.25 }) == .beatsOff)
        // Three quarters of the bars on the reference's downbeats, the last quarter a beat late: on the bar.
        let mostly = beats.indices.map { $0 < 24 ? $0 % 4 + 1 : ($0 + 3) % 4 + 1 }
        #expect(reading(mostly) == .onTheBar)
    }
}
