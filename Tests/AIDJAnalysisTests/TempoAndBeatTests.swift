import AIDJAnalysis
import AIDJCore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

/// Known-answer rhythm tests on synthesized multi-instrument grooves (drums, bass, chords) across styles and
/// 60–190 BPM.
@Suite("Tempo, beats and downbeats on synthesized grooves")
struct TempoAndBeatTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var style: GrooveStyle
        var bpm: Double
        var testDescription: String { "\(style.rawValue) at \(bpm) BPM" }
    }

    static let cases: [Case] = [
        (GrooveStyle.fourOnTheFloor, 120.0), (.fourOnTheFloor, 124), (.fourOnTheFloor, 128), (.fourOnTheFloor, 150),
        (.fourOnTheFloor, 190),
        (.breakbeat, 90), (.breakbeat, 100), (.breakbeat, 165), (.breakbeat, 174),
        (.halfTime, 140), (.halfTime, 150), (.halfTime, 170),
        (.oneDrop, 72), (.oneDrop, 80), (.oneDrop, 95),
        (.ballad, 60), (.ballad, 66), (.ballad, 76),
    ].map { Case(style: $0.0, bpm: $0.1) }

    static func analyze(_ c: Case, seed: UInt64? = nil) throws -> (Song, TrackAnalysis) {
        let seed = seed ?? UInt64(c.bpm) &* 31 &+ UInt64(GrooveStyle.allCases.firstIndex(of: c.style)!)
        let spec = SongSpec(style: c.style, bpm: c.bpm, keyTonic: 2, keyIsMinor: false, bodyBars: 12, seed: seed)
        let song = SongGenerator.render(spec)
        return (song, try TrackAnalyzer().analyze(song.audio))
    }

    @Test("tempo within 2 %", arguments: cases)
    func tempo(_ c: Case) throws {
        let (_, a) = try Self.analyze(c)
        #expect(abs(a.bpm - c.bpm) / c.bpm <= 0.02, "estimated \(a.bpm) BPM; alternates \(a.bpmAlternates)")
    }

    @Test("beat F-measure ≥ 0.9 (±70 ms) and no systematic beat offset", arguments: cases)
    func beats(_ c: Case) throws {
        let (song, a) = try Self.analyze(c)
        let f = BeatEvaluation.fMeasure(estimated: a.beats.times, reference: song.beatTimes)
        #expect(f >= 0.9, "F = \(f)")
        // Mean signed offset of matched beats: the grid sits on the onsets, not a frame or two early or late.
        let offsets = a.beats.times.compactMap { t in
            song.beatTimes.min { abs($0 - t) < abs($1 - t) }.map { t - $0 }
        }.filter { abs($0) < 0.07 }
        let mean = offsets.reduce(0, +) / Double(max(offsets.count, 1))
        #expect(abs(mean) < 0.02, "mean beat offset \(mean * 1000) ms")
    }

    @Test("downbeats: ≥ 90 % of estimated bar starts are true bar starts", arguments: cases)
    func downbeats(_ c: Case) throws {
        let (song, a) = try Self.analyze(c)
        let estimated = a.beats.downbeats
        let hits = estimated.filter { t in song.downbeatTimes.contains { abs($0 - t) <= 0.07 } }.count
        #expect(!estimated.isEmpty)
        #expect(Double(hits) >= 0.9 * Double(estimated.count), "\(hits) of \(estimated.count) downbeats on bar starts")
    }

    @Test("steady grooves are snapped to a constant grid and the BPM comes from it")
    func steadyGrid() throws {
        let (_, a) = try Self.analyze(Case(style: .fourOnTheFloor, bpm: 126.5))
        #expect(a.beats.isSteady)
        #expect(abs(a.bpm - 126.5) < 0.1, "\(a.bpm)")
    }

    @Test("every estimate lists its metrical alternates with scores in [0, 1]")
    func alternates() throws {
        let (_, a) = try Self.analyze(Case(style: .fourOnTheFloor, bpm: 124))
        #expect(Set(a.bpmAlternates.map(\.relation)) == Set(TempoRelation.allCases))
        #expect(a.bpmAlternates.allSatisfy { $0.score >= 0 && $0.score <= 1 })
        #expect(a.bpmConfidence >= 0 && a.bpmConfidence <= 1)
    }

    @Test("phrase starts fall on downbeats every 8 bars when sections change")
    func phrases() throws {
        var spec = SongSpec(
            style: .fourOnTheFloor, bpm: 124, keyTonic: 0, keyIsMinor: false, introBars: 8, bodyBars: 16,
            outroBars: 8, seed: 5)
        spec.gain = 0.5
        let song = SongGenerator.render(spec)
        let a = try TrackAnalyzer().analyze(song.audio)
        let starts = a.beats.phraseStarts.map { a.beats.times[$0] }
        #expect(starts.allSatisfy { s in a.beats.downbeats.contains { abs($0 - s) < 1e-9 } })
        // The body starts after 8 bars and the outro after 24: both are phrase starts.
        for boundary in [song.introEnd, song.outroStart] {
            #expect(starts.contains { abs($0 - boundary) < 0.07 }, "no phrase start at \(boundary) s; starts \(starts)")
        }
    }
}
