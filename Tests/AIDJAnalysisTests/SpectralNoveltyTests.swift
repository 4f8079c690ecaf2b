import Foundation
import Testing

@testable import AIDJAnalysis

@Suite("Spectral novelty and the semitone filterbank")
struct SpectralNoveltyTests {
    /// Runs frames through a stream of width 3 and returns every value, in frame order.
    func novelty(_ frames: [[Float]]) -> [Float] {
        var stream = SpectralNovelty(bandCount: frames[0].count, width: 3)
        var values: [Float] = []
        for frame in frames {
            if let value = frame.withUnsafeBufferPointer({ stream.push($0.baseAddress!) }) { values.append(value) }
        }
        return values + stream.finish()
    }

    @Test("one value per frame; a steady spectrum reads 0, whatever its level")
    func steady() {
        let values = novelty(Array(repeating: [1, 2, 3], count: 10))
        #expect(values.count == 10)
        // The first frame has no frames before it: 0 by definition.
        #expect(values.allSatisfy { abs($0) < 1e-6 })
        // A fade (the same shape, scaled) is not a change of shape.
        let fade = novelty((0..<10).map { i in [1, 2, 3].map { $0 * Float(10 - i) } })
        #expect(fade.allSatisfy { abs($0) < 1e-5 }, "\(fade)")
    }

    @Test("a switch between orthogonal spectra at frame 10: 1 there, falling linearly over 3 frames each side")
    func step() {
        let frames = (0..<20).map { $0 < 10 ? [Float(1), 0] : [Float(0), 1] }
        let values = novelty(frames)
        #expect(values.count == 20)
        // At frame 10 the windows [7, 10) and [10, 13) hold only the old and only the new spectrum.
        #expect(abs(values[10] - 1) < 1e-6)
        // At frame 9 the future window [9, 12) is (1, 2)/3 of the way over: cos = 1/√5.
        #expect(abs(values[9] - (1 - 1 / Float(5).squareRoot())) < 1e-5)
        #expect(abs(values[11] - (1 - 1 / Float(5).squareRoot())) < 1e-5)
        #expect(values[0...6].allSatisfy { $0 == 0 })
        #expect(values[14...].allSatisfy { $0 == 0 })
    }

    @Test("fewer frames than the window: still one value per frame")
    func short() {
        #expect(novelty([[1, 0]]).count == 1)
        #expect(novelty([[1, 0], [0, 1]]) == [0, 1])
    }

    @Test("semitone bank: centres a semitone apart above the bin spacing, one bin apart below; weights sum to 1")
    func bank() {
        let bank = LogFrequencyFilterbank(fftSize: 2048, sampleRate: 22_050, minFrequency: 55, maxFrequency: 5_000)
        let bin = 22_050.0 / 2048
        let semitone = pow(2, 1.0 / 12)
        for (low, high) in zip(bank.centerFrequencies, bank.centerFrequencies.dropFirst()) {
            #expect(abs((high - low) - max(bin, low * (semitone - 1))) < 1e-6)
        }
        #expect(bank.centerFrequencies.first == 55)
        #expect(bank.centerFrequencies.last! <= 5_000)
        for row in bank.weights { #expect(abs(row.reduce(0, +) - 1) < 1e-5) }
        // A 440 Hz peak lands in the band centred nearest to it.
        var magnitude = [Float](repeating: 0, count: 1025)
        magnitude[Int((440 / bin).rounded())] = 1
        var bands = [Float](repeating: 0, count: bank.bandCount)
        bank.apply(magnitude: magnitude, into: &bands)
        let strongest = bands.indices.max { bands[$0] < bands[$1] }!
        #expect(abs(12 * log2(bank.centerFrequencies[strongest] / 440)) < 0.6)
    }
}
