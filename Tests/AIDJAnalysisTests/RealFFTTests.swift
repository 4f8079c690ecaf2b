import AIDJCore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

@Suite("FFT and DSP tables")
struct RealFFTTests {
    @Test("FFTW's real FFT matches an O(n²) Double DFT", arguments: [16, 2048])
    func againstNaiveDFT(size: Int) {
        let fft = RealFFT(size: size)
        var random = SplitMix64(seed: UInt64(size))
        let x = (0..<size).map { _ in random.noise() }
        for i in 0..<size { fft.input[i] = x[i] }
        fft.execute()
        var worst = 0.0
        for k in 0..<fft.binCount {
            var re = 0.0, im = 0.0
            for n in 0..<size {
                let angle = -2 * Double.pi * Double(k * n) / Double(size)
                re += Double(x[n]) * cos(angle)
                im += Double(x[n]) * sin(angle)
            }
            let error = hypot(Double(fft.output[2 * k]) - re, Double(fft.output[2 * k + 1]) - im)
            worst = max(worst, error / max(1, hypot(re, im)))
        }
        #expect(worst < 1e-4, "largest relative bin error \(worst)")
    }

    @Test("Slaney mel scale: linear to 1 kHz (15 mel), logarithmic above, invertible")
    func melScale() {
        #expect(MelFilterbank.mel(fromHertz: 1000) == 15)
        #expect(abs(MelFilterbank.mel(fromHertz: 200) - 3) < 1e-12)
        for f in [0.0, 440, 999, 1000, 4000, 11_025] {
            #expect(abs(MelFilterbank.hertz(fromMel: MelFilterbank.mel(fromHertz: f)) - f) < 1e-9)
        }
    }

    @Test("mel filters are non-negative, ordered, and each has unit area in Hz")
    func melFilters() {
        let bank = MelFilterbank(bandCount: 128, fftSize: 2048, sampleRate: 22_050)
        #expect(zip(bank.centerFrequencies.dropFirst(), bank.centerFrequencies).allSatisfy { $0 > $1 })
        let binHz = 22_050.0 / 2048
        for band in 20..<128 {  // the lowest filters are narrower than a bin and sampled too coarsely for area
            #expect(bank.weights[band].allSatisfy { $0 >= 0 })
            let area = bank.weights[band].reduce(0) { $0 + Double($1) } * binHz
            #expect(abs(area - 1) < 0.05, "band \(band) area \(area)")
        }
    }

    @Test("DCT-II (orthonormal) rows are orthonormal")
    func dctOrthonormal() {
        let dct = DCTMatrix(inputCount: 128, outputCount: 20)
        for a in 0..<20 {
            for b in 0..<20 {
                var dot: Float = 0
                for i in 0..<128 { dot += dct.matrix[a * 128 + i] * dct.matrix[b * 128 + i] }
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-5)
            }
        }
    }

    @Test("DCT apply: four rows at a time give the row-by-row products bit for bit", arguments: [20, 7])
    func dctApplyIsExact(outputs: Int) {
        let dct = DCTMatrix(inputCount: 128, outputCount: outputs)
        var random = SplitMix64(seed: 3)
        let input = (0..<128).map { _ in random.uniform() * 80 - 60 }
        var output = [Float](repeating: .nan, count: outputs)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { dct.apply(x.baseAddress!, into: $0.baseAddress!) }
        }
        for k in 0..<outputs {
            var sum: Float = 0
            for i in 0..<128 { sum += dct.matrix[k * 128 + i] * input[i] }
            #expect(output[k] == sum, "row \(k)")
        }
    }

    @Test("periodic Hann window")
    func hann() {
        let w = Window.hann(length: 8)
        #expect(w[0] == 0)
        #expect(abs(w[4] - 1) < 1e-7)
        #expect(abs(w[2] - 0.5) < 1e-7)
    }
}
