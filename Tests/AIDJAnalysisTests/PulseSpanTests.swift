import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

/// Where within a track its beat is heard (``PulseSpan``): the trim on hand-built periodicity curves with known
/// crossings, and the whole analysis on a groove framed by held chords, both rendered through FluidR3.
@Suite("Where the beat is heard")
struct PulseSpanTests {
    /// A curve with one window a second (centres at 4.5, 5.5, … s) and the given strengths.
    static func curve(_ strengths: [Double]) -> TempoCurve {
        let rate = 100.0
        return TempoCurve(
            frameRate: rate, centres: strengths.indices.map { (Double($0) + 4.5) * rate },
            periods: strengths.map { _ in 50 }, strengths: strengths)
    }

    /// Beats every 0.5 s over `range` (s).
    static func beats(_ range: ClosedRange<Double>) -> [Double] {
        Array(stride(from: range.lowerBound, through: range.upperBound, by: 0.5))
    }

    @Test("a 30-s stretch without periodicity before the beat and 20 s after it: cut at the crossings")
    func introAndCoda() throws {
        // Windows at 4.5 … 113.5 s: 0.2 until 34.5 s, 2.0 until 94.5 s, 0.2 after. Typical 2.0, threshold 1.2,
        // crossed 60 % of the way from 34.5 to 35.5 s and 40 % of the way from 94.5 to 95.5 s.
        let strengths = (0..<110).map { $0 <= 30 || $0 > 90 ? 0.2 : 2.0 }
        let grid = Self.beats(1...112)
        let span = try #require(PulseSpan(curve: Self.curve(strengths), span: 1...112))
        let kept = span.trim(grid, tracked: 1...112)
        #expect(kept.first == 35.5 && kept.last == 94.5, "\(kept.first ?? -1)–\(kept.last ?? -1)")
    }

    @Test("a weak stretch shorter than a window at the tracked ends is kept; beyond them it is not")
    func shortGaps() throws {
        // Weak for the first 3 windows (to 6.5 s) and the last 7 (from 107.5 s): the smoothed curve crosses the
        // threshold at 7.06 and 106.94 s, 6.1 and 5.1 s from the grid's ends.
        let strengths = (0..<110).map { $0 < 3 || $0 >= 103 ? 0.2 : 2.0 }
        let span = try #require(PulseSpan(curve: Self.curve(strengths), span: 1...112))
        let tracked = span.trim(Self.beats(1...112), tracked: 1...112)
        #expect(tracked.first == 1 && tracked.last == 112, "\(tracked.first ?? -1)–\(tracked.last ?? -1)")
        // The same stretches, as beats the grid was extended by (tracked 10–105 s): the unheard ones go.
        let extended = span.trim(Self.beats(1...112), tracked: 10...105)
        #expect(extended.first == 7.5 && extended.last == 106.5, "\(extended.first ?? -1)–\(extended.last ?? -1)")
    }

    @Test("a breakdown within the beat keeps its grid")
    func breakdown() throws {
        let strengths = (0..<110).map { (40..<70).contains($0) ? 0.1 : 2.0 }
        let span = try #require(PulseSpan(curve: Self.curve(strengths), span: 1...112))
        let grid = Self.beats(1...112)
        #expect(span.trim(grid, tracked: 1...112) == grid)
        #expect(!span.isHeard(at: 60) && span.isHeard(at: 20))
    }

    @Test("a pulse weak throughout (a choir) is judged against its own level")
    func weakThroughout() throws {
        // A chorale's periodicity: low and uneven, but its own.
        let strengths = (0..<110).map { 0.3 + 0.15 * sin(Double($0) / 3) }
        let span = try #require(PulseSpan(curve: Self.curve(strengths), span: 1...112))
        let grid = Self.beats(1...112)
        #expect(span.trim(grid, tracked: 1...112) == grid)
    }

    @Test("a cut grid keeps the tempo sections it still reaches, the first from its new start")
    func sections() {
        let sections = [
            TempoSection(start: 1, bpm: 120, isSteady: true), TempoSection(start: 100, bpm: 130, isSteady: true),
            TempoSection(start: 200, bpm: 125, isSteady: true),
        ]
        let cut = TempoSection.covering(sections, from: 120, to: 180)
        #expect(cut.map(\.bpm) == [130] && cut.first?.start == 120)
        #expect(TempoSection.covering(sections, from: 50, to: 250).map(\.start) == [50, 100, 200])
        #expect(TempoSection.covering(sections, from: nil, to: nil).isEmpty)
    }

    @Test("a curve of fewer than three windows is not judged")
    func short() {
        #expect(PulseSpan(curve: Self.curve([1, 1]), span: 1...5) == nil)
    }

    @Test("a groove after 45 s of held chords (RenderedFixtures.framedGroove): the grid starts with the groove")
    func framedGroove() throws {
        let framed = try RenderedFixtures.framedGroove()
        let analysis = try TrackAnalyzer().analyze(framed.audio)
        let first = try #require(analysis.beats.times.first), last = try #require(analysis.beats.times.last)
        // Before PulseSpan the grid started at 12.4 s, 33 s early.
        #expect(abs(first - framed.firstBeat) < 2, "first beat \(first) s, labelled \(framed.firstBeat) s")
        #expect(analysis.beats.sections.first?.start == first)
        // The 20-s coda is too short for its beat contrast to tell it from a beat (0.07 on the energy), so the
        // groove's beats are all kept and the grid may run on over it.
        #expect(last > framed.lastBeat - 1, "last beat \(last) s, labelled \(framed.lastBeat) s")
    }
}
