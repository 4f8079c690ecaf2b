import AIDJAudio
import AIDJTestSupport
import Foundation
import Testing

@Suite("Audio file round trips")
struct AudioRoundTripTests {
    @Test(
        "every format libsndfile writes here reads back with its rate, channels and exact length",
        arguments: AudioFormat.allCases)
    func roundTrip(format: AudioFormat) throws {
        let folder = TemporaryDirectory()
        let rate = format.requiredSampleRate ?? 44_100
        let original = Signals.sine(frequency: 440, seconds: 1.5, amplitude: 0.5, sampleRate: rate, channels: 2)
        let path = folder.file("tone.\(format.fileExtension)")
        try AudioFileWriter.write(original, to: path, format: format)
        let reader = try AudioFileReader(path: path)
        #expect(reader.sampleRate == rate)
        #expect(reader.channels == 2)
        let decoded = try reader.readAll()
        #expect(decoded.frameCount == original.frameCount, "\(format): \(decoded.frameCount) frames decoded")
        #expect(abs(decoded.durationSeconds - 1.5) < 0.001)
        if !format.isLossy {
            let tolerance: Float = format == .wavFloat ? 0 : 1.0 / 32_000
            let worst = zip(decoded.channels[0], original.channels[0]).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= tolerance, "\(format): largest sample error \(worst)")
        } else {
            // Lossy codecs keep the signal's power: RMS within 1 dB.
            let rms = { (x: [Float]) in (x.map { Double($0 * $0) }.reduce(0, +) / Double(x.count)).squareRoot() }
            let ratio = 20 * log10(rms(decoded.channels[0]) / rms(original.channels[0]))
            #expect(abs(ratio) < 1, "\(format): level changed by \(ratio) dB")
        }
    }

    @Test("a long Ogg/Vorbis write does not overflow libvorbis' stack (chunked writes)")
    func longVorbisWrite() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("long.ogg")
        try AudioFileWriter.write(Signals.sine(frequency: 220, seconds: 20, channels: 2), to: path, format: .oggVorbis)
        #expect(abs(try AudioFileReader(path: path).readAll().durationSeconds - 20) < 0.001)
    }

    @Test("Opus refuses a rate other than 48 kHz with a clear reason")
    func opusRate() {
        let folder = TemporaryDirectory()
        #expect(throws: AudioError.self) {
            try AudioFileWriter.write(
                Signals.sine(frequency: 440, seconds: 0.1), to: folder.file("x.opus"), format: .opus)
        }
    }

    @Test("a failed write leaves no file under the requested name")
    func failedWriteLeavesNothing() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("partial.wav")
        do {
            let writer = try AudioFileWriter(path: path, format: .wav16, sampleRate: 44_100, channels: 1)
            let samples = [Float](repeating: 0.1, count: 1000)
            try samples.withUnsafeBufferPointer { try writer.write(interleaved: $0.baseAddress!, frames: 1000) }
            // Abandoned without finish(): as if the render failed midway.
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

@Suite("Audio decoding errors")
struct AudioErrorTests {
    @Test("bad files fail with one line naming the file and the reason")
    func badFiles() throws {
        let folder = TemporaryDirectory()
        for path in try Fixtures.writeBrokenFiles(into: folder.path) {
            do {
                let reader = try AudioFileReader(path: path)
                _ = try reader.readAll()
                Issue.record("\(path) decoded without error")
            } catch {
                #expect(error.description.contains(path), "\(error.description)")
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test("a truncated WAV is reported as truncated")
    func truncated() throws {
        let folder = TemporaryDirectory()
        let paths = try Fixtures.writeBrokenFiles(into: folder.path)
        let truncated = try #require(paths.first { $0.hasSuffix("truncated.wav") })
        #expect {
            _ = try AudioFileReader(path: truncated).readAll()
        } throws: { error in
            (error as? AudioError)?.reason.contains("truncated") == true
        }
    }

    @Test("a missing file names the file")
    func missing() {
        #expect {
            _ = try AudioFileReader(path: "/nonexistent/song.flac")
        } throws: { error in
            (error as? AudioError)?.description.hasPrefix("cannot open '/nonexistent/song.flac'") == true
        }
    }

    @Test("a one-sample file decodes")
    func oneSample() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("one.wav")
        try AudioFileWriter.write(AudioBuffer(mono: [0.25], sampleRate: 44_100), to: path, format: .wav16)
        #expect(try AudioFileReader(path: path).readAll().frameCount == 1)
    }
}
