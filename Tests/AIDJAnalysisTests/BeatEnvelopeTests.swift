import Foundation
import Testing

@testable import AIDJAnalysis

/// The choice of envelope in ``BeatTracker/beats(_:curve:)``, on hand-built envelopes: 20 s at 43.07 frames/s,
/// a beat every 21 frames (123 BPM), beats at frames 10, 31, 52, ….
@Suite("Beats from energy and tonal novelty")
struct BeatEnvelopeTests {
    static let period = 21
    static let frames = 861
    static var beatFrames: [Int] { Array(stride(from: 10, to: frames - 5, by: period)) }

    func features(onset: (Int) -> Float, novelty: (Int) -> Float) -> FrameFeatures {
        var features = FrameFeatures(frameRate: 22_050 / 512, hopSize: 512)
        features.onset = (0..<Self.frames).map(onset)
        features.tonalNovelty = (0..<Self.frames).map(novelty)
        // The attack-start search reads the 200 Hz–2 kHz range: silent there, so no beat moves.
        features.bandOnsets = [Float](repeating: 0, count: 3 * Self.frames)
        features.rms = [Float](repeating: 0.1, count: Self.frames)
        return features
    }

    /// Share of the beats at `targets` (within 1 frame) among the tracked beats.
    func share(_ beats: [Double], on targets: [Int]) -> Double {
        let hits = beats.filter { b in targets.contains { abs(Double($0) - b) <= 1 } }.count
        return Double(hits) / Double(max(beats.count, 1))
    }

    @Test("drum-led: a clear pulse in the energy keeps its beats, though the chords change between them")
    func drumsKeepTheirBeats() {
        let f = features(
            onset: { Self.beatFrames.contains($0) ? 8 : 0.3 },
            novelty: { ($0 - 10 - Self.period / 2) % Self.period == 0 ? 1 : 0.01 })
        let beats = BeatTracker().beats(f, curve: TempoCurve(frameRate: f.frameRate, period: Double(Self.period)))
        #expect(BeatTracker.salience(of: beats, in: f.onset) >= BeatTracker.pulseSalienceFloor)
        #expect(share(beats, on: Self.beatFrames) >= 0.95, "\(beats.prefix(8))")
    }

    @Test("swelling notes: energy humps 8 frames (190 ms) late, the note changes on the beat: beats on the changes")
    func swellsFollowTheNoteChanges() {
        // The energy rises slowly from each change and peaks 8 frames after it: a bowed or sung note.
        let onset: (Int) -> Float = { t in
            let since = ((t - 10) % Self.period + Self.period) % Self.period
            return 0.5 + Float(exp(-pow(Double(since - 8) / 4, 2)))
        }
        let f = features(onset: onset, novelty: { Self.beatFrames.contains($0) ? 1 : 0.02 })
        let curve = TempoCurve(frameRate: f.frameRate, period: Double(Self.period))
        let energyOnly = BeatTracker().track(onset: f.onset, curve: curve)
        #expect(BeatTracker.salience(of: energyOnly, in: f.onset) < BeatTracker.pulseSalienceFloor)
        #expect(share(energyOnly, on: Self.beatFrames) < 0.1, "the energy alone puts the beats on the humps")
        let beats = BeatTracker().beats(f, curve: curve)
        #expect(share(beats, on: Self.beatFrames) >= 0.95, "\(beats.prefix(8))")
    }

    @Test("swelling notes with a strong pulse: attacks that rise over 8 frames put the beats on the note changes")
    func strongSwellsFollowTheNoteChanges() {
        // Tall energy humps 8 frames after each change: salience above the floor, as organ through FluidR3 reaches.
        let since: (Int) -> Int = { t in ((t - 10) % Self.period + Self.period) % Self.period }
        var f = features(
            onset: { 0.2 + 6 * Float(exp(-pow(Double(since($0) - 8) / 2, 2))) },
            novelty: { Self.beatFrames.contains($0) ? 1 : 0.02 })
        // The 200 Hz–2 kHz flux rises from the change to the hump, as a swelling note's does.
        for t in 0..<Self.frames where since(t) <= 8 { f.bandOnsets[t * 3 + 1] = 0.3 + 0.7 * Float(since(t)) / 8 }
        let curve = TempoCurve(frameRate: f.frameRate, period: Double(Self.period))
        let energyOnly = BeatTracker().track(onset: f.onset, curve: curve)
        #expect(BeatTracker.salience(of: energyOnly, in: f.onset) >= BeatTracker.pulseSalienceFloor)
        let lag = BeatTracker().attackLag(
            beats: energyOnly, onset: f.bandOnsets.enumerated().filter { $0.offset % 3 == 1 }.map(\.element),
            frameRate: f.frameRate)
        #expect(lag / f.frameRate >= BeatTracker.swellingAttackSeconds, "lag \(lag) frames")
        let beats = BeatTracker().beats(f, curve: curve)
        #expect(share(beats, on: Self.beatFrames) >= 0.95, "\(beats.prefix(8))")
        // The same humps over attacks that strike (flux in one frame at the hump) keep the energy's beats.
        f.bandOnsets = (0..<3 * Self.frames).map { $0 % 3 == 1 && since($0 / 3) == 8 ? 1 : 0 }
        let struck = BeatTracker().beats(f, curve: curve)
        #expect(share(struck, on: Self.beatFrames.map { $0 + 8 }) >= 0.95, "\(struck.prefix(8))")
    }
}
