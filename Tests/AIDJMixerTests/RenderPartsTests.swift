import AIDJAnalysis
import Foundation
import Testing

@testable import AIDJMixer

@Suite("Limiter, crossover and stretcher")
struct RenderPartsTests {
    func sine(frequency: Double, amplitude: Float, seconds: Double, sampleRate: Int = 44_100) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map {
            amplitude * Float(sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate)))
        }
    }

    func interleave(_ x: [Float]) -> [Float] { x.flatMap { [$0, $0] } }

    func truePeak(_ interleaved: [Float]) -> Double {
        var meter = TruePeakMeter(sampleRate: 44_100, channels: 2)
        interleaved.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: $0.count / 2) }
        return 20 * log10(Double(meter.truePeak))
    }

    @Test("limiter: quiet input passes unchanged and aligned; +6 dBFS comes out at the ceiling, in blocks of any size")
    func limiter() {
        let quiet = interleave(sine(frequency: 440, amplitude: 0.3, seconds: 1))
        let pass = PeakLimiter(sampleRate: 44_100, channels: 2, ceilingDBTP: -1)
        let out = pass.process(Array(quiet[0..<30_000])) + pass.process(Array(quiet[30_000...])) + pass.flush()
        #expect(out == quiet)
        let loud = interleave(sine(frequency: 997, amplitude: 2, seconds: 2))
        let limiter = PeakLimiter(sampleRate: 44_100, channels: 2, ceilingDBTP: -1)
        var limited: [Float] = []
        var start = 0
        for block in [1, 517, 4096, 65_536, 100_000] where start < loud.count {
            let end = min(loud.count, start + block * 2)
            limited += limiter.process(Array(loud[start..<end]))
            start = end
        }
        limited += limiter.process(Array(loud[start...])) + limiter.flush()
        #expect(limited.count == loud.count)
        #expect(truePeak(limited) <= -1 + 0.05, "\(truePeak(limited)) dBTP")
        // Past the attack, the steady sine sits just under the ceiling: a gain of about 1/2.24, not crushed.
        let steady = limited[(44_100 * 2)..<(44_100 * 3)].map { abs($0) }.max()!
        #expect(steady > 0.8 && steady < 0.9, "\(steady)")
    }

    @Test(
        "crossover (LR4 at 150 Hz): each band 24 dB/octave past 150 Hz and −6 dB at it; the bands sum to an all-pass",
        arguments: [30.0, 50, 80, 100, 150, 300, 1_000, 5_000])
    func crossover(frequency: Double) {
        var crossover = Crossover(sampleRate: 44_100)
        let x = sine(frequency: frequency, amplitude: 1, seconds: 1)
        var low = [Float](), high = [Float](), sum = [Float]()
        for v in x {
            let (l, h) = crossover.process(v)
            low.append(l)
            high.append(h)
            sum.append(l + h)
        }
        let tail = 22_050..<44_100
        func decibels(_ v: [Float]) -> Double {
            10
                * log10(
                    tail.reduce(0.0) { $0 + Double(v[$1] * v[$1]) } / tail.reduce(0.0) { $0 + Double(x[$1] * x[$1]) })
        }
        // LR4: |low|² = 1 / (1 + r⁴)², |high|² = r⁸ / (1 + r⁴)² with r = f / 150 Hz.
        let r4 = pow(frequency / 150, 4)
        let expectedLow = 20 * log10(1 / (1 + r4)), expectedHigh = 20 * log10(r4 / (1 + r4))
        // Down to −60 dB the digital filters follow the analogue response; below that, only "at least 60 dB down".
        for (band, measured, expected) in [("low", decibels(low), expectedLow), ("high", decibels(high), expectedHigh)]
        {
            if expected > -60 {
                #expect(abs(measured - expected) < 0.2, "\(band) band at \(frequency) Hz: \(measured) dB")
            } else {
                #expect(measured < -60, "\(band) band at \(frequency) Hz: \(measured) dB")
            }
        }
        #expect(abs(decibels(sum)) < 0.01, "low + high at \(frequency) Hz: \(decibels(sum)) dB")
        if frequency <= 80 { #expect(decibels(high) < -20, "the high band keeps no bass at \(frequency) Hz") }
    }

    @Test("stretcher: exact output length, and clicks land where the key frames put them (within 5 ms)")
    func stretcher() {
        let sr = 44_100
        // A click every half second for 8 s.
        var x = [Float](repeating: 0, count: 8 * sr)
        for k in 0..<16 {
            for n in 0..<64 { x[k * sr / 2 + n] = Float(1 - Double(n) / 64) * (n % 2 == 0 ? 0.8 : -0.8) }
        }
        // First 4 s stretched to 4.2 s, the rest at rate 1: 8.2 s in all.
        let keyFrames = [(input: 4 * sr, output: Int(4.2 * Double(sr)))]
        for quality in StretchQuality.allCases {
            let y = TimeStretcher.stretch(
                [x, x], sampleRate: sr, outputLength: Int(8.2 * Double(sr)), keyFrames: keyFrames, quality: quality)
            #expect(y[0].count == Int(8.2 * Double(sr)))
            for k in [2, 6, 10, 14] {
                let source = Double(k) / 2
                let expected = source <= 4 ? source * 1.05 : source + 0.2
                let centre = Int(expected * Double(sr))
                let window = max(0, centre - sr / 10)..<min(y[0].count, centre + sr / 10)
                let peak = window.max { abs(y[0][$0]) < abs(y[0][$1]) }!
                #expect(
                    abs(Double(peak - centre) / Double(sr)) < 0.005,
                    "\(quality) click \(k): \(Double(peak - centre) / Double(sr) * 1000) ms")
            }
        }
    }
}
