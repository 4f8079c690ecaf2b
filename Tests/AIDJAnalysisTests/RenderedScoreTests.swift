import AIDJAudio
import AIDJCore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

/// Known answers on material AIDJSynth did not make: five Bach chorales rendered through the MuseScore General
/// soundfont and three grooves from another generator rendered through FluidR3 (`fixtures/renders/`), labelled
/// from the score. The chorales are from the half of the pieces the key and tempo models were not fitted on.
///
/// The bounds are those of the development sets (`aidj-bench eval`, see the README's evaluation section), a little
/// below them where one piece more or less moves the figure: they catch a regression, not a rounding change.
@Suite("Analysis on rendered scores and grooves")
struct RenderedScoreTests {
    struct Outcome {
        var item: RenderedFixtures.Item
        var analysis: TrackAnalysis
        var keyScore: Double {
            analysis.key.map { KeyEvaluation.weightedScore($0, reference: MusicalKey(parsing: item.key)!) } ?? 0
        }
        var beatF: Double {
            BeatEvaluation.fMeasure(
                estimated: analysis.beats.times.filter { $0 >= 5 }, reference: item.beats.map(\.time).filter { $0 >= 5 }
            )
        }
    }

    static let outcomes: [Outcome] = {
        let analyzer = TrackAnalyzer()
        return ((try? RenderedFixtures.all()) ?? []).compactMap { item in
            (try? analyzer.analyze(path: item.path)).map { Outcome(item: item, analysis: $0) }
        }
    }()

    /// The five chorale fixtures.
    static var chorales: [Outcome] { outcomes.filter { $0.item.group == "chorale" } }

    @Test("every fixture decodes and is analysed")
    func analysed() throws {
        #expect(try RenderedFixtures.all().count == 8)
        #expect(Self.outcomes.count == 8)
    }

    @Test("key: MIREX weighted score ≥ 0.9 over the eight, at least seven exact, no parallel-mode errors")
    func keys() {
        let scores = Self.outcomes.map(\.keyScore)
        let report = Self.outcomes.map { "\($0.item.name): \($0.item.key) → \($0.analysis.key?.description ?? "none")" }
        #expect(scores.reduce(0, +) / Double(max(scores.count, 1)) >= 0.9, "\(report)")
        #expect(scores.filter { $0 == 1 }.count >= 7, "\(report)")
        let parallel = Self.outcomes.filter { outcome in
            outcome.analysis.key.map {
                KeyEvaluation.relation(of: $0, to: MusicalKey(parsing: outcome.item.key)!)
            } == .parallel
        }
        #expect(parallel.isEmpty, "\(report)")
    }

    @Test("every render ends: a release into silence after music at full level, so its final chord is read")
    func renderEnds() {
        for o in Self.outcomes { #expect(o.analysis.keyProfiles.hasEnding, "\(o.item.name)") }
    }

    @Test("an excerpt cut off, or faded out, does not end; cut off and followed by silence, it does")
    func excerptEnding() throws {
        let item = try #require(try RenderedFixtures.all().first { $0.name == "bwv248_53-5.ogg" })
        let source = try AudioFileReader(path: item.path).readAll()
        let rate = source.sampleRate
        let cut = source.channels.map { Array($0[..<(min($0.count, 20 * rate))]) }
        let silence = [Float](repeating: 0, count: 2 * rate)
        let fadeLength = 10 * rate
        let faded = cut.map { channel in
            channel.enumerated().map { i, x in
                let left = channel.count - i
                return left < fadeLength ? x * Float(left) / Float(fadeLength) : x
            } + silence
        }
        let analyzer = TrackAnalyzer()
        func ends(_ channels: [[Float]]) throws -> Bool {
            try analyzer.analyze(AudioBuffer(channels: channels, sampleRate: rate)).keyProfiles.hasEnding
        }
        #expect(try !ends(cut), "cut at 20 s, mid-phrase: no release")
        #expect(try !ends(faded), "faded out over 10 s, then silence")
        #expect(try ends(cut.map { $0 + silence }), "stopped at 20 s, then silence")
    }

    @Test("tempo: within 4 % of the written tempo (Acc1) on at least seven of the eight, Acc2 likewise")
    func tempo() {
        let report = Self.outcomes.map { "\($0.item.name): \($0.item.bpm) → \($0.analysis.bpm)" }
        let acc1 = Self.outcomes.filter { TempoEvaluation.acc1(estimated: $0.analysis.bpm, reference: $0.item.bpm) }
        let acc2 = Self.outcomes.filter { TempoEvaluation.acc2(estimated: $0.analysis.bpm, reference: $0.item.bpm) }
        #expect(acc1.count >= 7, "\(report)")
        #expect(acc2.count >= 7, "\(report)")
    }

    @Test("grooves: beat F ≥ 0.95 and downbeat F ≥ 0.9 against the written beats; steady grids")
    func grooveBeats() {
        for o in Self.outcomes where o.item.group != "chorale" {
            #expect(o.beatF >= 0.95, "\(o.item.name): beat F \(o.beatF)")
            let downbeats = o.item.beats.filter { $0.position == 1 && $0.time >= 5 }.map(\.time)
            let f = BeatEvaluation.fMeasure(estimated: o.analysis.beats.downbeats, reference: downbeats)
            #expect(f >= 0.9, "\(o.item.name): downbeat F \(f)")
            #expect(o.analysis.beats.isSteady, "\(o.item.name)")
        }
    }

    @Test("chorales: beats on the written beats (F ≥ 0.75 on four of the five) though legato attacks blur them")
    func choraleBeatF() {
        let chorales = Self.chorales
        let report = chorales.map { "\($0.item.name): \($0.beatF)" }
        #expect(chorales.count == 5)
        #expect(chorales.filter { $0.beatF >= 0.75 }.count >= 4, "\(report)")
    }

    @Test("a sung chorale whose notes swell (bwv197_10): its beats sit within 25 ms of where the written ones begin")
    func swellingChoraleOnTime() throws {
        // The tracker puts the beats of swelling notes on their note changes, 25–42 ms after the notes begin, and
        // moves them back one frame (23 ms). Moved by the attack lag measured on them instead, this render's beats
        // sat 39 ms late (median); analysis 25 puts them 16 ms late.
        let o = try #require(Self.chorales.first { $0.item.name.hasPrefix("bwv197_10") })
        let beats = o.analysis.beats.times
        let offsets = o.item.beats.map(\.time).compactMap { r -> Double? in
            guard let nearest = beats.min(by: { abs($0 - r) < abs($1 - r) }), abs(nearest - r) < 0.2 else { return nil }
            return nearest - r
        }.sorted()
        try #require(offsets.count >= o.item.beats.count * 9 / 10, "\(offsets.count) of \(o.item.beats.count) beats")
        let median = offsets[offsets.count / 2]
        #expect(abs(median) <= 0.025, "median offset \(median * 1000) ms")
    }

    @Test("chorales: downbeats on the bar lines (F ≥ 0.85 on three of the five) though chords change on every beat")
    func choraleDownbeats() {
        let chorales = Self.chorales
        let f = chorales.map { o in
            BeatEvaluation.fMeasure(
                estimated: o.analysis.beats.downbeats.filter { $0 >= 5 },
                reference: o.item.beats.filter { $0.position == 1 && $0.time >= 5 }.map(\.time))
        }
        #expect(
            f.filter { $0 >= 0.85 }.count >= 3, "downbeat F \(zip(chorales.map(\.item.name), f).map { "\($0): \($1)" })"
        )
    }

    @Test("the grid ends with the piece's last bar, not over its ring-out, and keeps that bar's beats (7 of the 8)")
    func gridEndsWithThePiece() {
        let ends = Self.outcomes.map { o in
            let last = o.item.beats.last!.time
            let past = o.analysis.beats.times.filter { $0 > last + 0.07 }.count
            let kept = o.analysis.beats.times.contains { abs($0 - last) <= 0.07 }
            return (name: o.item.name, past: past, kept: kept)
        }
        let report = ends.map {
            "\($0.name): \($0.past) beats past the last written one, \($0.kept ? "which is kept" : "which is lost")"
        }
        let clean = ends.filter { $0.past == 0 && $0.kept }
        #expect(clean.count >= 7, "\(report)")
    }

    @Test("chorales: beats continuous at the written level (CMLt ≥ 0.6 on average) though legato attacks blur them")
    func choraleBeats() {
        let chorales = Self.chorales
        let cmlt = chorales.map { o in
            BeatEvaluation.continuity(
                estimated: o.analysis.beats.times.filter { $0 >= 5 },
                reference: o.item.beats.map(\.time).filter { $0 >= 5 }
            ).cmlt
        }
        #expect(cmlt.reduce(0, +) / Double(max(cmlt.count, 1)) >= 0.6, "CMLt \(cmlt)")
    }
}
