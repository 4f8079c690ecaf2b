import Foundation
import Testing

@testable import AIDJAssess

@Suite("Note alignment and the local time map")
struct NoteAlignerTests {
    static func reference(_ pitches: [Int], every seconds: Double = 0.5) -> [ScoreNote] {
        pitches.enumerated().map {
            ScoreNote(onset: Double($0.offset) * seconds, duration: seconds, pitch: $0.element, bar: 1, beat: 1)
        }
    }

    @Test("a missed, a wrong and an extra note in a slower take")
    func mistakes() {
        let ref = Self.reference([60, 62, 64, 65, 67, 69, 71, 72])
        // Played at 0.8× tempo (0.625 s apart): 64 missed, 67 played as 68, an extra 70 after 69.
        let played = [60, 62, 65, 68, 69, 70, 71, 72]
        let onsets = [0.0, 0.625, 1.875, 2.5, 3.125, 3.4, 3.75, 4.375]
        let matches = NoteAligner().align(reference: ref, played: played, onsets: onsets)
        #expect(matches == [0, 1, nil, 2, 3, 4, 6, 7])
    }

    @Test("which of several repeated notes was missed is told by time")
    func repeatedNotes() {
        let ref = Self.reference([60, 60, 60, 60, 62])
        // The third repeat is missing: the played ones are at the first, second and fourth times.
        let matches = NoteAligner().align(reference: ref, played: [60, 60, 60, 62], onsets: [0, 0.5, 1.5, 2])
        #expect(matches == [0, 1, nil, 2, 3])
    }

    @Test("a first note timed by its attack is answered though the legato notes after it read late")
    func firstNoteBeforeLateNeighbours() {
        // The opening of PeggyWhifflesReel through MuseScore's voice, as transcribed: the first note starts out of
        // silence and is timed to its attack (5 ms late), the legato changes after it are read 60–100 ms late, so
        // the local map expects the first note about 75 ms after it came, beyond 0.6 of the 100-ms gap. Before the
        // first note there is no slot to take from.
        let times = [0, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, 1.05, 1.2, 1.35, 1.5, 1.65]
        let pitches = [64, 66, 64, 61, 64, 69, 73, 76, 73, 78, 73, 76, 71]
        let ref = times.indices.map {
            ScoreNote(onset: times[$0], duration: 0.1, pitch: pitches[$0], bar: 1, beat: 1)
        }
        let onsets = [0.505, 0.66, 0.77, 0.897, 1.02, 1.16, 1.295, 1.44, 1.595, 1.735, 1.848, 2.095, 2.2]
        let matches = NoteAligner().align(reference: ref, played: pitches, onsets: onsets)
        #expect(matches == Array(0..<13), "\(matches)")
    }

    @Test("the first of three repeats left out: the next two answer their own slots, by the overall tempo first")
    func firstOfThreeRepeatsMissed() {
        // The demo's melody (seconds at 96 BPM): pitch alone cannot tell which C#5 of three was left out, and a
        // local map built from that choice kept it (C#5 answered 677 ms late, the next one reported extra).
        let times = [
            0.0, 2.812, 3.438, 3.750, 4.688, 6.875, 7.812, 8.125, 9.062, 9.688, 10.625, 11.250, 11.875, 12.5, 12.812,
            13.125, 13.438,
        ]
        let pitches = [62, 67, 67, 62, 62, 64, 69, 69, 69, 73, 73, 73, 69, 83, 81, 81, 76]
        let ref = times.indices.map { k in
            ScoreNote(
                onset: times[k], duration: (k + 1 < times.count ? times[k + 1] : times[k] + 0.5) - times[k],
                pitch: pitches[k], bar: 1, beat: 1)
        }
        // 8 % slower; the first C#5 (9) left out, 64 played as 65, the A4 after the repeats 90 ms late.
        let kept = ref.indices.filter { $0 != 9 }
        let played = kept.map { ref[$0].pitch + ($0 == 5 ? 1 : 0) }
        let onsets = kept.map { 0.5 + ref[$0].onset / 0.92 + ($0 == 12 ? 0.09 : 0) }
        let matches = NoteAligner().align(reference: ref, played: played, onsets: onsets)
        #expect(matches == [0, 1, 2, 3, 4, 5, 6, 7, 8, nil, 9, 10, 11, 12, 13, 14, 15], "\(matches)")
    }

    @Test("Theil–Sen ignores an outlier; the local map follows a curve and leaves the note itself out")
    func timeMap() {
        let points = (0..<9).map { (reference: Double($0), take: 2 + 1.25 * Double($0)) }
        var bent = points
        bent[4].take += 0.3
        let line = TimeLine(bent)!
        #expect(abs(line.slope - 1.25) < 1e-9 && abs(line.intercept - 2) < 1e-9)
        // Take time = r + 0.02 r²: a steady ritardando. The note at index 5 is 80 ms late.
        let anchors = (0..<12).map { i -> (index: Int, reference: Double, take: Double) in
            let r = 0.5 * Double(i)
            return (i, r, r + 0.02 * r * r + (i == 5 ? 0.08 : 0))
        }
        let map = LocalTimeMap(anchors: anchors)
        let expected = map.expectation(around: 5, at: 2.5)!
        #expect(abs(expected.take - (2.5 + 0.02 * 6.25)) < 0.002, "\(expected.take)")
        #expect(abs(expected.slope - (1 + 0.04 * 2.5)) < 0.01, "\(expected.slope)")
    }

    @Test("weighted medians and Theil–Sen: the near points decide; the local map follows a ritardando to the last note")
    func weightedFits() throws {
        // Hand-worked: weights 1, 1, 3 on 1, 2, 10 put half the weight (2.5 of 5) at 10.
        #expect(weightedMedian([(1, 1), (2, 1), (10, 3)]) == 10)
        #expect(weightedMedian([(1, 3), (2, 1), (10, 1)]) == 1)
        // Balanced exactly between two values: their mean, as the plain median of an even count.
        #expect(weightedMedian([(1, 2), (2, 1), (10, 1)]) == 1.5)
        #expect(weightedMedian([(4, 1), (1, 1), (3, 1), (2, 1)]) == 2.5)
        #expect(weightedMedian([(5, 0)]) == nil)
        // Six near points on take = 1.1 r, nine far ones on take = 4 + 0.9 r: unweighted, the far ones bend the
        // line; weighted toward the near ones, it is theirs.
        var points: [(reference: Double, take: Double)] = (0..<6).map { (Double($0), 1.1 * Double($0)) }
        points += (10..<19).map { (Double($0), 4 + 0.9 * Double($0)) }
        let weights = points.map { $0.reference < 6 ? 1.0 : 0.01 }
        let weighted = try #require(TimeLine(points, weights: weights))
        #expect(abs(weighted.slope - 1.1) < 1e-9 && abs(weighted.intercept) < 1e-9)
        #expect(abs(try #require(TimeLine(points)).slope - 1.1) > 0.02)
        // A ritardando into the last bars: the tempo drops by 23 % from 8 s on (each reference second takes 1.3 s
        // of the take there). A line through all 12 neighbours of the last notes keeps the earlier tempo and sits
        // more than the biweight's 80 ms from the nearest notes, which a fit started from it drops; started from
        // the line weighted toward them, the fit follows them to the end.
        let take = { (r: Double) in r <= 8 ? r : 8 + 1.3 * (r - 8) }
        let anchors = (0..<20).map { i in (index: i, reference: 0.5 * Double(i), take: take(0.5 * Double(i))) }
        let map = LocalTimeMap(anchors: anchors)
        let errors = anchors.map { a in abs(map.expectation(around: a.index, at: a.reference)!.take - a.take) }
        // The last two within 5 ms (started from the 12-note line: 300 and 450 ms); around the bend itself a smooth
        // fit cuts the corner.
        let shown = "\(errors.map { Int(($0 * 1000).rounded()) }) ms"
        #expect(errors.suffix(2).allSatisfy { $0 < 0.005 } && errors.max()! < 0.07, "\(shown)")
    }

    @Test("the first note, long before the next, is expected on the line through its neighbours, not a curve")
    func firstNoteBeyondNeighbours() throws {
        // The demo's first note is held 2.8 s; the others follow at 8 % slower with a few ms of onset jitter. A
        // quadratic through the jitter, extrapolated 2.8 s back, put the first note's expected time 44 ms late.
        let times = [0.0, 2.812, 3.438, 3.750, 4.688, 6.875, 7.812, 8.125, 9.062, 10.625, 11.250, 11.875, 12.5]
        let jitter = [0.0, 0.004, -0.003, 0.005, -0.004, 0.002, -0.005, 0.003, 0.004, -0.002, 0.003, -0.004, 0.002]
        let anchors = times.indices.map { (index: $0, reference: times[$0], take: 0.5 + times[$0] / 0.92 + jitter[$0]) }
        let first = try #require(LocalTimeMap(anchors: anchors).expectation(around: 0, at: 0))
        #expect(abs(first.take - 0.5) < 0.01, "expected at \(first.take)")
    }
}
