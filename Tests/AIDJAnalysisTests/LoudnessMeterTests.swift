import AIDJAnalysis
import AIDJAudio
import AIDJTestSupport
import Foundation
import Testing

@Suite("Loudness (EBU R128 via libebur128)")
struct LoudnessMeterTests {
    func measure(_ buffer: AudioBuffer) -> LoudnessMeter.Measurement {
        let meter = LoudnessMeter(sampleRate: buffer.sampleRate, channels: buffer.channelCount)
        var interleaved: [Float] = []
        for i in 0..<buffer.frameCount { for c in 0..<buffer.channelCount { interleaved.append(buffer.channels[c][i]) } }
        interleaved.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: buffer.frameCount) }
        return meter.measurement()
    }

    @Test("EBU Tech 3341 case 1: a stereo 1 kHz sine at −23 dBFS reads −23.0 LUFS ± 0.1", arguments: [-23.0, -33.0])
    func sineAtKnownLevel(level: Double) throws {
        let sine = Signals.sine(frequency: 1000, seconds: 20, amplitude: pow(10, level / 20), sampleRate: 48_000, channels: 2)
        let m = measure(sine)
        let lufs = try #require(m.integratedLUFS)
        #expect(abs(lufs - level) <= 0.1, "\(lufs) LUFS")
        #expect(abs(try #require(m.truePeakDBTP) - level) < 0.2)
        #expect(m.rangeLU < 0.5, "a steady sine has no loudness range")
        #expect(abs(try #require(m.replayGainDB) - (-18 - lufs)) < 1e-9)
    }

    @Test("mono counts as dual mono: the same as its stereo copy")
    func monoEqualsStereo() throws {
        let mono = measure(Signals.sine(frequency: 1000, seconds: 5, amplitude: 0.1, sampleRate: 44_100, channels: 1))
        let stereo = measure(Signals.sine(frequency: 1000, seconds: 5, amplitude: 0.1, sampleRate: 44_100, channels: 2))
        #expect(abs(try #require(mono.integratedLUFS) - (try #require(stereo.integratedLUFS))) < 0.01)
    }

    @Test("digital silence has no integrated loudness or peak")
    func silence() {
        let m = measure(Signals.silence(seconds: 2))
        #expect(m.integratedLUFS == nil)
        #expect(m.truePeakDBTP == nil)
    }
}
