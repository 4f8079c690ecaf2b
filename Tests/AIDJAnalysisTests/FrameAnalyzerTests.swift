import AIDJAudio
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
}
