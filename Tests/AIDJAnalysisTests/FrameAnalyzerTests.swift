import AIDJAudio
import AIDJCore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

@Suite("Short-time analysis")
struct FrameAnalyzerTests {
    func analyze(_ samples: [Float]) -> FrameFeatures {
        let analyzer = FrameAnalyzer()
        // Feed in uneven blocks: streaming must not depend on block size.
        var start = 0
        var block = 1
        while start < samples.count {
            let count = min(block, samples.count - start)
            samples.withUnsafeBufferPointer {
                analyzer.process(UnsafeBufferPointer(rebasing: $0[start..<start + count]))
            }
            start += count
            block = block * 3 + 1
        }
        return analyzer.finish()
    }

    @Test("frame count is 1 + ⌊N / hop⌋ (centred frames, as librosa)", arguments: [0, 1, 511, 512, 22_050])
    func frameCount(samples: Int) {
        let features = analyze([Float](repeating: 0.1, count: samples))
        #expect(features.frameCount == 1 + samples / 512)
        #expect(features.chroma.count == 12 * features.frameCount)
        #expect(features.onset.count == features.frameCount)
        #expect(features.tonalNovelty.count == features.frameCount)
    }

    @Test("silence: no onsets, no sound frames, no timbre statistics")
    func silence() {
        let features = analyze([Float](repeating: 0, count: 22_050))
        #expect(features.onset.allSatisfy { $0 == 0 })
        #expect(features.soundFrames == 0)
        #expect(features.rms.allSatisfy { $0 == 0 })
    }

    @Test("a 1 kHz sine: centroid ≈ 1 kHz, RMS = amplitude/√2, tonal flatness, chroma on B/C")
    func sine() {
        let sine = Signals.sine(frequency: 1000, seconds: 1, amplitude: 0.5, sampleRate: 22_050).channels[0]
        let features = analyze(sine)
        let mean = features.spectral.mean
        #expect(abs(mean[SpectralStatistic.centroid.rawValue] - 1000) < 30)
        let expectedRMS = Float(0.5 / 2.0.squareRoot())
        #expect(abs(mean[SpectralStatistic.rms.rawValue] - expectedRMS) < 0.02)
        #expect(mean[SpectralStatistic.flatness.rawValue] < 0.05)
        #expect(abs(mean[SpectralStatistic.zeroCrossingRate.rawValue] - 2000.0 / 22_050) < 0.005)
    }

    @Test("an A4 tone with harmonics puts most chroma on A")
    func chromaOfA() {
        let rate = 22_050.0
        var samples = [Float](repeating: 0, count: 22_050)
        for i in samples.indices {
            let t = Double(i) / rate
            var sum = 0.0
            for h in 1...5 { sum += sin(2 * Double.pi * 440 * Double(h) * t) / Double(h) }
            samples[i] = Float(0.2 * sum)
        }
        let features = analyze(samples)
        var sums = [Float](repeating: 0, count: 12)
        for f in 0..<features.frameCount { for p in 0..<12 { sums[p] += features.chroma[f * 12 + p] } }
        #expect(sums.indices.max { sums[$0] < sums[$1] } == 9)
    }

    @Test("the chroma holds a note whole from chromaLatency frames after it starts, not before")
    func chromaLatency() {
        // Silence, then an A (440 Hz with harmonics) from a time between two hops, so rounding cannot help.
        let rate = 22_050.0, start = 1.0 + 0.3 * 512 / rate
        var samples = [Float](repeating: 0, count: 2 * 22_050)
        for i in Int(start * rate)..<samples.count {
            let t = Double(i) / rate
            var sum = 0.0
            for h in 1...5 { sum += sin(2 * Double.pi * 440 * Double(h) * t) / Double(h) }
            samples[i] = Float(0.2 * sum)
        }
        let features = analyze(samples)
        #expect(features.chromaLatency == 6)
        let onset = features.frame(at: start)
        var held: Float = 0
        for frame in onset + 20..<onset + 30 { held += features.chroma[frame * 12 + 9] / 10 }
        func share(_ frame: Int) -> Float { features.chroma[frame * 12 + 9] / held }
        // Measured: 0.13, 0.57, 0.90, 0.998 over the frames 3, 4, 5 and 6 after the one nearest the start.
        #expect(share(onset + features.chromaLatency) > 0.95)
        #expect(share(onset + features.chromaLatency - 1) < 0.95)
        #expect(share(onset + features.chromaLatency - 3) < 0.2)
    }

    @Test("white noise is flat; onsets mark a click train")
    func noiseAndClicks() {
        let noise = Signals.noise(seconds: 1).channels[0]
        #expect(analyze(noise).spectral.mean[SpectralStatistic.flatness.rawValue] > 0.5)
        var clicks = [Float](repeating: 0, count: 44_100)
        for start in stride(from: 2205, to: 44_100, by: 11_025) {
            for i in 0..<200 { clicks[start + i] = Float(0.8 * exp(-Double(i) / 40) * sin(Double(i))) }
        }
        let features = analyze(clicks)
        let threshold = (features.onset.max() ?? 0) * 0.5
        let peaks = features.onset.indices.filter { i in
            features.onset[i] > threshold && (i == 0 || features.onset[i] >= features.onset[i - 1])
                && (i + 1 == features.frameCount || features.onset[i] > features.onset[i + 1])
        }
        #expect(peaks.count == 4, "onset peaks at \(peaks)")
    }

    /// A tone of harmonics 1–5 at `frequency`, `seconds` long at 22 050 Hz, amplitude `gain`.
    func tone(_ frequency: Double, seconds: Double, gain: Double = 0.2) -> [Float] {
        (0..<Int(seconds * 22_050)).map { i in
            let t = Double(i) / 22_050
            return Float(
                gain * (1...5).reduce(0.0) { $0 + sin(2 * Double.pi * frequency * Double($1) * t) / Double($1) })
        }
    }

    /// The frame (and value) where the tonal novelty peaks within `frames`.
    func noveltyPeak(_ features: FrameFeatures, in frames: Range<Int>) -> (frame: Int, value: Float) {
        let frame = frames.max { features.tonalNovelty[$0] < features.tonalNovelty[$1] }!
        return (frame, features.tonalNovelty[frame])
    }

    @Test("tonal novelty peaks where the note changes, on time; a change of loudness alone barely shows")
    func tonalNoveltyMarksNoteChanges() {
        // A3 for 1 s, then C#4 (a major third up) for 1 s, then the same C#4 12 dB louder for 1 s.
        let samples = tone(220, seconds: 1) + tone(277.18, seconds: 1) + tone(277.18, seconds: 1, gain: 0.8)
        let features = analyze(samples)
        let rate = features.frameRate
        let change = noveltyPeak(features, in: Int(0.7 * rate)..<Int(1.3 * rate))
        // The note changes at 1.000 s (frame 43.07). The delay of the sustained spectrum is compensated for notes
        // that enter it; the old note leaves it at once, so an abrupt change reads up to 2 frames (46 ms) early:
        // within the ±70 ms that beat evaluation allows (3 frames).
        #expect(abs(Double(change.frame) - rate) <= 3, "peak at frame \(change.frame)")
        #expect(change.value > 0.3)
        let louder = noveltyPeak(features, in: Int(1.7 * rate)..<Int(2.3 * rate))
        #expect(louder.value < 0.1 * change.value, "note change \(change.value), louder \(louder.value)")
        // Far from both changes the spectrum's shape holds still.
        #expect(noveltyPeak(features, in: Int(0.3 * rate)..<Int(0.7 * rate)).value < 0.05 * change.value)
    }

    @Test("tonal novelty ignores drum hits over a held note (they never reach the sustained spectrum)")
    func tonalNoveltyIgnoresHits() {
        var samples = tone(220, seconds: 2)
        var random = SplitMix64(seed: 7)
        for start in stride(from: 5_000, to: samples.count - 2_000, by: 5_512) {
            // A 40 ms noise burst, full band: a hi-hat or snare over the note.
            for i in 0..<882 { samples[start + i] += Float(0.5 * exp(-Double(i) / 150)) * random.noise() }
        }
        let features = analyze(samples)
        let hits = features.onset[10..<(features.frameCount - 10)].max()!
        #expect(
            hits > 3 * features.onset[10..<(features.frameCount - 10)].reduce(0, +) / Float(features.frameCount - 20))
        let novelty = noveltyPeak(features, in: 10..<(features.frameCount - 10)).value
        let change = noveltyPeak(analyze(tone(220, seconds: 1) + tone(277.18, seconds: 1)), in: 30..<56).value
        #expect(novelty < 0.1 * change, "hits \(novelty), note change \(change)")
    }
}
