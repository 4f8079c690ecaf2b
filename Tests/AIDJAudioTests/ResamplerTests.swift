import AIDJAudio
import AIDJTestSupport
import Foundation
import Testing

@Suite("Resampler (libsoxr)")
struct ResamplerTests {
    func resample(
        _ input: [Float], from: Double, to: Double, block: Int, quality: Resampler.Quality = .medium
    ) throws -> [Float] {
        let resampler = try Resampler(inputRate: from, outputRate: to, quality: quality)
        var output: [Float] = []
        var start = 0
        while start < input.count {
            let count = min(block, input.count - start)
            try input.withUnsafeBufferPointer { (x) throws(AudioError) in
                try resampler.process(x.baseAddress! + start, count: count, output: &output)
            }
            start += count
        }
        try resampler.flush(output: &output)
        return output
    }

    @Test("44.1 → 22.05 kHz keeps length (½) and frequency", arguments: [1000, 4096, 65_536])
    func halfRate(block: Int) throws {
        let input = Signals.sine(frequency: 1000, seconds: 2, amplitude: 0.5).channels[0]
        let output = try resample(input, from: 44_100, to: 22_050, block: block)
        #expect(abs(output.count - input.count / 2) <= 2, "\(output.count) samples")
        // Zero crossings of a 1 kHz sine over 2 s: 4000.
        let crossings = zip(output.dropFirst(), output).filter { ($0 >= 0) != ($1 >= 0) }.count
        #expect(abs(crossings - 4000) <= 2)
        // Amplitude kept (passband): peak of the settled middle part.
        let peak = output[2000..<(output.count - 2000)].map(abs).max() ?? 0
        #expect(abs(peak - 0.5) < 0.01)
    }

    @Test(
        "streaming in blocks gives the same samples as one block (analysis: MQ to 22.05 kHz; decks: HQ to 44.1 kHz in 64k blocks)",
        arguments: [(Resampler.Quality.medium, 22_050.0, 777), (.high, 44_100, 65_536)])
    func streamingMatches(quality: Resampler.Quality, rate: Double, block: Int) throws {
        let input = Signals.noise(seconds: 4, sampleRate: 48_000).channels[0]
        let whole = try resample(input, from: 48_000, to: rate, block: input.count, quality: quality)
        let pieces = try resample(input, from: 48_000, to: rate, block: block, quality: quality)
        #expect(whole.count == pieces.count)
        let worst = zip(whole, pieces).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5)
    }

    @Test("equal rates pass samples through")
    func passThrough() throws {
        let input: [Float] = [0.1, -0.2, 0.3]
        #expect(try resample(input, from: 22_050, to: 22_050, block: 2) == input)
    }
}
