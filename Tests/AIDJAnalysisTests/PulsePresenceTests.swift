import AIDJAudio
import AIDJCore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

/// Whether a track has a beat at all (``PulsePresence``): the beat contrast on hand-built envelopes with known
/// answers, and the whole analysis on white noise and on a render of held chords.
@Suite("Beat or no beat")
struct PulsePresenceTests {
    static let frameRate = 22_050.0 / 512

    /// `count` frames of seeded uniform values in [0, 1).
    static func noise(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in 0.5 + 0.5 * random.noise() }
    }

    /// A constant grid of `period` frames from frame 10 to the end, in seconds.
    static func grid(period: Double, frames: Int) -> [Double] {
        Array(stride(from: 10.0, to: Double(frames), by: period)).map { $0 / frameRate }
    }

    static func contrast(_ envelope: [Float], period: Double) -> Double? {
        PulsePresence.contrast(
            envelope: envelope, frameRate: frameRate, beats: grid(period: period, frames: envelope.count),
            sections: [TempoSection(start: 10 / frameRate, bpm: 60 * frameRate / period, isSteady: true)])
    }

    @Test("an onset on every beat over weak noise: contrast near 1")
    func clicks() throws {
        let period = 21.0
        let background = Self.noise(4_000, seed: 1)
        let envelope = background.indices.map { ($0 - 10) % 21 == 0 ? 10 : 0.2 * background[$0] }
        let value = try #require(Self.contrast(envelope, period: period))
        #expect(value > 0.8, "\(value)")
    }

    @Test("a swelling note on every beat (a hump 8 frames wide, no sharp attack): still a pulse")
    func swells() throws {
        let background = Self.noise(4_000, seed: 2)
        let envelope = background.indices.map { t -> Float in
            let since = Double((t - 10) % 21)
            return Float(exp(-pow((since - 6) / 4, 2))) + 0.5 * background[t]
        }
        let value = try #require(Self.contrast(envelope, period: 21))
        #expect(value >= 3 * PulsePresence.minimumContrast, "\(value)")
    }

    @Test("noise, 3 and 10 minutes: no pulse at any period a grid could take")
    func noise() throws {
        for (count, seed) in [(7_750, UInt64(3)), (25_840, 4)] {
            let envelope = Self.noise(count, seed: seed)
            for period in [15.0, 21.5, 28.7, 40] {
                let value = try #require(Self.contrast(envelope, period: period))
                #expect(value < PulsePresence.minimumContrast, "\(count) frames, period \(period): \(value)")
            }
        }
    }

    @Test("chord changes at irregular times, 3–9 s apart, though each one lands on a beat of the grid: no pulse")
    func irregularChanges() throws {
        var random = SplitMix64(seed: 5)
        let period = 21.0
        let count = 3_230  // 75 s
        var envelope = Self.noise(count, seed: 6).map { 0.3 * $0 }
        var beat = 3
        while 10 + beat * Int(period) + 20 < count {
            let frame = 10 + beat * Int(period)
            for i in 0..<20 { envelope[frame + i] += 8 * Float(exp(-Double(i) / 5)) }
            beat += 6 + Int(6 * (1 + random.noise()))  // 6–18 beats at 123 BPM: 2.9–8.8 s
        }
        let value = try #require(Self.contrast(envelope, period: period))
        #expect(value < PulsePresence.minimumContrast, "\(value)")
    }

    @Test("a tempo change halfway: each section read at its own period, as one period would not")
    func sections() throws {
        let count = 6_000
        let change = 3_000
        let background = Self.noise(count, seed: 7)
        let beats =
            Array(stride(from: 10, to: change, by: 20)) + Array(stride(from: change, to: count, by: 26))
        let envelope = background.indices.map { beats.contains($0) ? 10 : 0.2 * background[$0] }
        let times = beats.map { Double($0) / Self.frameRate }
        let both = try #require(
            PulsePresence.contrast(
                envelope: envelope, frameRate: Self.frameRate, beats: times,
                sections: [
                    TempoSection(start: times[0], bpm: 60 * Self.frameRate / 20, isSteady: true),
                    TempoSection(start: Double(change) / Self.frameRate, bpm: 60 * Self.frameRate / 26, isSteady: true),
                ]))
        let one = try #require(
            PulsePresence.contrast(
                envelope: envelope, frameRate: Self.frameRate, beats: times,
                sections: [TempoSection(start: times[0], bpm: 60 * Self.frameRate / 20, isSteady: true)]))
        #expect(both > 0.8, "\(both)")
        #expect(one < 0.6, "\(one)")
    }

    @Test("too short to judge (under 16 beats), or no beats: no answer, and a short grid keeps its beats")
    func degenerate() throws {
        let clicks = (0..<380).map { ($0 - 10) % 21 == 0 ? Float(10) : 0 }
        #expect(Self.contrast(Array(clicks.prefix(330)), period: 21) == nil, "15 beats of grid")
        #expect(try #require(Self.contrast(clicks, period: 21)) > 0.8, "17 beats of grid")
        #expect(
            PulsePresence.contrast(
                envelope: Self.noise(1_000, seed: 9), frameRate: Self.frameRate, beats: [],
                sections: [TempoSection(start: 0, bpm: 120, isSteady: true)]) == nil)
    }

    @Test("white noise, 20 s: no beat grid, no tempo")
    func whiteNoise() throws {
        let analysis = try TrackAnalyzer().analyze(Signals.noise(seconds: 20, seed: 11))
        #expect(analysis.beats.times.isEmpty, "\(analysis.beats.times.count) beats")
        #expect(analysis.bpm == 0 && analysis.bpmAlternates.isEmpty)
        #expect(analysis.mood.danceability == 0)
    }

    @Test("held chords on a GM pad, rendered through FluidR3 (fixtures/renders/ambient_fixture.ogg): no beat grid")
    func heldChords() throws {
        let path = RenderedFixtures.folder + "/ambient_fixture.ogg"
        let analysis = try TrackAnalyzer().analyze(path: path)
        #expect(analysis.beats.times.isEmpty, "\(analysis.beats.times.count) beats at \(analysis.bpm) BPM")
        #expect(analysis.bpm == 0)
        #expect(analysis.structure.allSatisfy { !$0.hasBeat })
    }
}
