import Foundation
import Testing

@testable import AIDJAnalysis

/// The bar reading on cue sequences with a known answer: accents that recur every three or four beats, and a
/// chorale-like sequence whose chords change on every beat and whose half bars are accented alike.
@Suite("Downbeats: meter and bar phase")
struct DownbeatModelTests {
    /// `count` beats of the ten cues, each beat's row `level` times an accent pattern plus a little seeded noise.
    static func cues(count: Int, accent: (Int) -> Double) -> [[Double]] {
        var state: UInt64 = 12345
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        return (0..<count).map { i in MeterAnalyzer.cueNames.map { _ in accent(i) + 0.2 * noise() } }
    }

    /// The opening is not read here (`opensOnFirstBeat: false`): a piece that opens out of silence on the second beat
    /// of its bar (offset 3) is rare, and since analysis 19 the model's prior against it (`starts_elsewhere`)
    /// outweighs a half bar accented half as strongly as the bar, so such a piece is read as opening on a downbeat
    /// with its accent on the half bar. ``upbeat()`` reads the opening.
    @Test(
        "accents every 4 beats, half as strong at the half bar: 4/4 with its downbeats on them",
        arguments: [0, 1, 2, 3])
    func quadruple(offset: Int) throws {
        let cues = Self.cues(count: 64) { ($0 - offset) % 4 == 0 ? 1 : ($0 - offset) % 4 == 2 ? 0.5 : 0 }
        let best = try #require(
            DownbeatModel.trained.choose(DownbeatModel.candidates(cues: cues, opensOnFirstBeat: false)))
        #expect(best.meter == 4)
        #expect(best.position(ofBeat: offset) == 1)
    }

    @Test("opening out of silence on the downbeat or a beat before it, with accents every 4 beats", arguments: [0, 3])
    func quadrupleOpening(first: Int) throws {
        // The first beat is beat 1 of its bar (first 0) or beat 4, a one-beat upbeat (first 3): the bar starts at
        // beat (4 − first) % 4 of the track.
        let downbeat = (4 - first) % 4
        let cues = Self.cues(count: 64) { ($0 - downbeat + 4) % 4 == 0 ? 1 : ($0 - downbeat + 4) % 4 == 2 ? 0.5 : 0 }
        let best = try #require(
            DownbeatModel.trained.choose(DownbeatModel.candidates(cues: cues, opensOnFirstBeat: true)))
        #expect(best.meter == 4)
        #expect(best.position(ofBeat: 0) == first + 1)
    }

    @Test("accents every 3 beats: 3/4 with its downbeats on them", arguments: [0, 1, 2])
    func triple(offset: Int) throws {
        let cues = Self.cues(count: 60) { ($0 - offset + 3) % 3 == 0 ? 1 : 0 }
        let best = try #require(
            DownbeatModel.trained.choose(DownbeatModel.candidates(cues: cues, opensOnFirstBeat: true)))
        #expect(best.meter == 3)
        #expect(best.position(ofBeat: offset) == 1)
    }

    @Test("half bars accented alike: a piece that opens on the weak half opens with a one-beat upbeat")
    func upbeat() throws {
        // Strong beats on 1, 3, 5, …: the track's first beat (0) is weak, so it is beat 4 of a bar, not beat 2.
        let cues = Self.cues(count: 64) { $0 % 2 == 1 ? 1 : 0 }
        let best = try #require(
            DownbeatModel.trained.choose(DownbeatModel.candidates(cues: cues, opensOnFirstBeat: true)))
        #expect(best.meter == 4)
        #expect(best.position(ofBeat: 0) == 4)
    }

    @Test("seven readings, each with one value per feature name; constant cues weigh nothing")
    func candidates() {
        let flat = [[Double]](repeating: [Double](repeating: 0.3, count: MeterAnalyzer.cueNames.count), count: 20)
        let readings = DownbeatModel.candidates(cues: flat, opensOnFirstBeat: true)
        #expect(readings.map(\.meter) == [3, 3, 3, 4, 4, 4, 4])
        #expect(readings.allSatisfy { $0.features.count == DownbeatModel.featureNames.count })
        let cueFeatures = DownbeatModel.featureNames.indices.filter {
            !DownbeatModel.featureNames[$0].hasPrefix("starts_")
        }
        #expect(readings.allSatisfy { r in cueFeatures.allSatisfy { r.features[$0] == 0 } })
        // Opening out of silence marks where the first beat falls; otherwise the opening says nothing.
        let opening = DownbeatModel.featureNames.indices.filter { DownbeatModel.featureNames[$0].hasPrefix("starts_") }
        #expect(readings.allSatisfy { r in opening.map { r.features[$0] }.reduce(0, +) == 1 })
        let loop = DownbeatModel.candidates(cues: flat, opensOnFirstBeat: false)
        #expect(loop.allSatisfy { r in opening.allSatisfy { r.features[$0] == 0 } })
    }

    @Test("the shipped model weighs the opening alike in 3/4 and 4/4; the cues per meter")
    func sharedOpening() {
        let model = DownbeatModel.trained
        let opening = DownbeatModel.featureNames.indices.filter { DownbeatModel.featureNames[$0].hasPrefix("starts_") }
        #expect(opening.count == 3)
        #expect(opening.allSatisfy { model.tripleWeights[$0] == model.quadrupleWeights[$0] })
        let bar = DownbeatModel.featureNames.indices.filter { DownbeatModel.featureNames[$0].hasPrefix("downbeat_") }
        #expect(bar.contains { model.tripleWeights[$0] != model.quadrupleWeights[$0] })
    }

    @Test("fewer than eight beats: counted in 4/4 from the first")
    func short() {
        let frames = FrameFeatures(frameRate: 100, hopSize: 441)
        let result = MeterAnalyzer().analyze(beats: [0.5, 1, 1.5], frames: frames)
        #expect(result.barPositions == [1, 2, 3])
        #expect(result.meter == 4)
    }

    @Test("a piece ends with the bar its upbeat completes: beats over the final chord's ring-out are not the piece's")
    func pieceEnd() {
        // Beats every 0.5 s in 4/4, opening on the fourth beat (a one-beat upbeat); attacks up to the final chord.
        var frames = FrameFeatures(frameRate: 100, hopSize: 441)
        frames.rms = [Float](repeating: 0.1, count: 1_100)
        let beats = (0..<20).map { 0.5 + 0.5 * Double($0) }
        let positions = beats.indices.map { ($0 + 3) % 4 + 1 }
        let analyzer = MeterAnalyzer()
        func end(finalChord: Int) -> Int? {
            frames.onset = [Float](repeating: 0, count: 1_100)
            for t in beats.prefix(finalChord + 1) { frames.onset[frames.frame(at: t)] = 1 }
            return analyzer.pieceEnd(beats: beats, positions: positions, frames: frames)
        }
        // The final chord on the downbeat of the bar from index 13: the piece ends on that bar's third beat (index
        // 15), which completes the upbeat's bar; index 16 and on ring out.
        #expect(end(finalChord: 13) == 16)
        #expect(positions[13] == 1 && positions[15] == 3)
        // On its third beat: nothing rings on in a new bar yet.
        #expect(end(finalChord: 15) == 16)
        // On the upbeat of a next bar: that bar is the piece's too, and it runs to the last beat.
        #expect(end(finalChord: 16) == nil)
        // The same onset at index 16 where the sound then dies away (20 dB down over the half beat after it) is
        // the final chord's release, not an attack: the piece still ends at index 16.
        for f in frames.frame(at: 8.5 + 0.05)..<1_100 { frames.rms[f] = 0.01 }
        #expect(end(finalChord: 16) == 16)
        // A fade-out: played to the last beat, each beat's onsets and level 3 dB under the last's from index 12.
        // Against the level they rise from, they are attacks still: nothing rings out, and the piece runs on.
        frames.onset = [Float](repeating: 0, count: 1_100)
        for (i, t) in beats.enumerated() {
            let scale = Float(pow(0.7, Double(max(0, i - 11))))
            frames.onset[frames.frame(at: t)] = scale
            for f in frames.frame(at: t - 0.25)..<frames.frame(at: t + 0.25) { frames.rms[f] = 0.1 * scale }
        }
        #expect(analyzer.pieceEnd(beats: beats, positions: positions, frames: frames) == nil)
    }

    @Test("the music opens on the first beat out of silence; a loop starting in mid-sound does not")
    func opening() {
        var frames = FrameFeatures(frameRate: 100, hopSize: 441)
        frames.rms = [Float](repeating: 0, count: 50) + [Float](repeating: 0.3, count: 500)
        let analyzer = MeterAnalyzer()
        #expect(analyzer.opensOnFirstBeat(beats: [0.5, 1, 1.5], frames: frames))
        #expect(analyzer.opensOnFirstBeat(beats: [0.45, 1, 1.5], frames: frames))
        #expect(!analyzer.opensOnFirstBeat(beats: [1.5, 2, 2.5], frames: frames), "sound a second before the beats")
        frames.rms = [Float](repeating: 0.3, count: 550)
        #expect(!analyzer.opensOnFirstBeat(beats: [0, 0.5, 1], frames: frames), "in mid-sound from the first frame")
        frames.rms = [Float](repeating: 0.1, count: 50) + [Float](repeating: 0.3, count: 500)
        #expect(!analyzer.opensOnFirstBeat(beats: [0.5, 1, 1.5], frames: frames), "a quiet intro, 10 dB down")
    }
}
