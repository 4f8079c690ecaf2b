import AIDJAnalysis
import AIDJAudio
import AIDJSynth
import AIDJTestSupport
import CEBUR128
import Foundation
import Testing

@Suite("Loudness (EBU R128 via libebur128)")
struct LoudnessMeterTests {
    func measure(_ buffer: AudioBuffer) throws -> LoudnessMeter.Measurement {
        let meter = try LoudnessMeter(sampleRate: buffer.sampleRate, channels: buffer.channelCount)
        var interleaved: [Float] = []
        for i in 0..<buffer.frameCount {
            for c in 0..<buffer.channelCount { interleaved.append(buffer.channels[c][i]) }
        }
        interleaved.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: buffer.frameCount) }
        return meter.measurement()
    }

    @Test("EBU Tech 3341 case 1: a stereo 1 kHz sine at −23 dBFS reads −23.0 LUFS ± 0.1", arguments: [-23.0, -33.0])
    func sineAtKnownLevel(level: Double) throws {
        let sine = Signals.sine(
            frequency: 1000, seconds: 20, amplitude: pow(10, level / 20), sampleRate: 48_000, channels: 2)
        let m = try measure(sine)
        let lufs = try #require(m.integratedLUFS)
        #expect(abs(lufs - level) <= 0.1, "\(lufs) LUFS")
        #expect(abs(try #require(m.truePeakDBTP) - level) < 0.2)
        #expect(m.rangeLU < 0.5, "a steady sine has no loudness range")
        #expect(abs(try #require(m.replayGainDB) - (-18 - lufs)) < 1e-9)
    }

    @Test("mono counts as dual mono: the same as its stereo copy")
    func monoEqualsStereo() throws {
        let mono = try measure(
            Signals.sine(frequency: 1000, seconds: 5, amplitude: 0.1, sampleRate: 44_100, channels: 1))
        let stereo = try measure(
            Signals.sine(frequency: 1000, seconds: 5, amplitude: 0.1, sampleRate: 44_100, channels: 2))
        #expect(abs(try #require(mono.integratedLUFS) - (try #require(stereo.integratedLUFS))) < 0.01)
    }

    @Test("digital silence has no integrated loudness or peak")
    func silence() throws {
        let m = try measure(Signals.silence(seconds: 2))
        #expect(m.integratedLUFS == nil)
        #expect(m.truePeakDBTP == nil)
    }

    @Test(
        "a rate or channel count libebur128 cannot meter is an error naming the file, not a crash",
        arguments: [
            (8, 2), (44_100, 0), (44_100, 65),
        ])
    func unmeterable(sampleRate: Int, channels: Int) {
        #expect {
            _ = try LoudnessMeter(sampleRate: sampleRate, channels: channels, source: "odd.wav")
        } throws: { error in
            (error as? AudioError)?.operation == .measure && "\(error)".contains("odd.wav")
        }
    }
}

@Suite("True peak")
struct TruePeakMeterTests {
    /// libebur128's own true peak, the reference this meter replaces for speed.
    static func reference(_ buffer: AudioBuffer) -> Double { ReferenceMeters.libebur128TruePeak(buffer) }

    /// The linear true peak of `buffer` fed `block` frames at a time.
    static func peak(_ buffer: AudioBuffer, block: Int) -> Float {
        var meter = TruePeakMeter(sampleRate: buffer.sampleRate, channels: buffer.channelCount)
        let interleaved = (0..<buffer.frameCount).flatMap { i in buffer.channels.map { $0[i] } }
        var start = 0
        while start < buffer.frameCount {
            let count = min(block, buffer.frameCount - start)
            interleaved.withUnsafeBufferPointer {
                meter.add(interleaved: $0.baseAddress! + start * buffer.channelCount, frames: count)
            }
            start += count
        }
        return meter.truePeak
    }

    static func measure(_ buffer: AudioBuffer, block: Int = 4096) -> Double {
        20 * log10(Double(peak(buffer, block: block)))
    }

    @Test("a sine at fs/4 sampled 45° off its peaks reads +3 dB over its sample peak, as libebur128 does")
    func interSamplePeak() {
        let rate = 48_000
        let samples = (0..<48_000).map { Float(0.5 * sin(Double.pi / 2 * Double($0) + Double.pi / 4)) }
        let buffer = AudioBuffer(mono: samples, sampleRate: rate)
        let samplePeak = 20 * log10(Double(samples.map(abs).max()!))
        let truePeak = Self.measure(buffer)
        #expect(abs(truePeak - 20 * log10(0.5)) < 0.1, "true peak \(truePeak) dBTP")
        #expect(truePeak - samplePeak > 2.9)
        // libebur128's interpolator has more pass-band ripple at fs/4: it reads 0.16 dB off the true −6.02 dBTP here.
        #expect(abs(truePeak - Self.reference(buffer)) < 0.2)
    }

    /// The peak envelope of a stereo signal fed `block` frames at a time.
    static func envelope(_ buffer: AudioBuffer, block: Int) -> (peaks: [Float], peak: Float) {
        var meter = TruePeakMeter(sampleRate: buffer.sampleRate, channels: buffer.channelCount)
        let interleaved = (0..<buffer.frameCount).flatMap { i in buffer.channels.map { $0[i] } }
        var peaks = [Float](repeating: 0, count: buffer.frameCount)
        var start = 0
        while start < buffer.frameCount {
            let count = min(block, buffer.frameCount - start)
            interleaved.withUnsafeBufferPointer { x in
                peaks.withUnsafeMutableBufferPointer { p in
                    meter.peaks(
                        interleaved: x.baseAddress! + start * buffer.channelCount, frames: count,
                        into: p.baseAddress! + start)
                }
            }
            start += count
        }
        return (peaks, meter.truePeak)
    }

    @Test("four frames at a time give the values of one frame at a time, bit for bit")
    func blockedFilterIsExact() {
        var spec = SongSpec(style: .fourOnTheFloor, bpm: 124, keyTonic: 7, keyIsMinor: false, bodyBars: 1, seed: 9)
        spec.gain = 1.1
        let audio = SongGenerator.render(spec).audio
        // Blocks of 1 and 3 take the one-frame path only; 4096 takes the four-frame path, and 4099 both.
        let single = Self.envelope(audio, block: 1)
        for block in [3, 4096, 4099] {
            let other = Self.envelope(audio, block: block)
            let differing = zip(other.peaks, single.peaks).filter { $0 != $1 }.count
            #expect(differing == 0, "block \(block): \(differing) of \(single.peaks.count) frames differ")
            #expect(other.peak == single.peak, "block \(block)")
        }
        #expect(single.peak > 0)
    }

    @Test("skipping quiet blocks keeps the peak of filtering every frame, bit for bit")
    func skippedBlocksKeepThePeak() {
        // A loud constant first, then an fs/4 sine whose samples stay under it but whose true peak (between the
        // samples) exceeds it: the later blocks must be filtered, the quieter ones in between may be skipped.
        let rate = 44_100
        var samples = [Float](repeating: 0.8, count: 5000)
        samples += (0..<20_000).map { Float(0.05 * sin(Double($0) * 0.37)) }
        samples += (0..<6000).map { Float(0.95 * sin(Double.pi / 2 * Double($0) + Double.pi / 4)) }
        samples += (0..<9000).map { Float(0.3 * sin(Double($0) * 0.11)) }
        var spec = SongSpec(style: .breakbeat, bpm: 174, keyTonic: 3, keyIsMinor: true, bodyBars: 1, seed: 4)
        spec.gain = 1.2
        for audio in [AudioBuffer(mono: samples, sampleRate: rate), SongGenerator.render(spec).audio] {
            let everyFrame = Self.envelope(audio, block: 4096).peak
            for block in [1, 1000, 4096, 65_536] {
                let skipping = Self.peak(audio, block: block)
                #expect(skipping == everyFrame, "block \(block): \(skipping) against \(everyFrame)")
            }
        }
        #expect(Self.envelope(AudioBuffer(mono: samples, sampleRate: rate), block: 4096).peak > 0.9)
    }

    @Test("matches libebur128 within 0.1 dB on music, whatever the block size", arguments: [1, 1000, 65_536])
    func matchesReference(block: Int) {
        var spec = SongSpec(style: .breakbeat, bpm: 174, keyTonic: 3, keyIsMinor: true, bodyBars: 2, seed: 4)
        spec.gain = 1.2
        let song = SongGenerator.render(spec)
        #expect(abs(Self.measure(song.audio, block: block) - Self.reference(song.audio)) < 0.1)
    }
}
