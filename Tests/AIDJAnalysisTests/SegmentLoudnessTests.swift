import AIDJAnalysis
import AIDJAudio
import AIDJTestSupport
import Foundation
import Testing

@Suite("Segment loudness")
struct SegmentLoudnessTests {
    /// BS.1770: a 1 kHz sine of peak A in one channel reads 10·log10(A²/2) + the K-filter's gain at 1 kHz
    /// (+0.69 dB) − 0.691 ≈ 20·log10(A) − 3.01 LUFS.
    @Test("a 1 kHz sine at −20 and −30 dBFS peak reads −23.0 and −33.0 LUFS, segment by segment")
    func knownLevels() {
        let loud = Signals.sine(frequency: 1000, seconds: 0.3, amplitude: 0.1, sampleRate: 16_000).channels[0]
        let quiet = Signals.sine(frequency: 1000, seconds: 0.2, amplitude: 0.0316228, sampleRate: 16_000).channels[0]
        let gap = [Float](repeating: 0, count: 1600)
        let signal = loud + gap + quiet
        #expect(SegmentLoudness.lufs(of: [0..<1600], in: gap, sampleRate: 16_000) == [nil], "digital silence")
        let segments = [0..<4800, 6400..<9600, 4800..<6400, 0..<0, 0..<9600]
        let lufs = SegmentLoudness.lufs(of: segments, in: signal, sampleRate: 16_000)
        #expect(abs(lufs[0]! - -23.0) < 0.2, "\(lufs[0]!)")
        #expect(abs(lufs[1]! - -33.0) < 0.2, "\(lufs[1]!)")
        #expect((lufs[2] ?? -100) < -50, "the gap holds only the K-filter's decaying tail")
        #expect(lufs[3] == nil, "an empty segment has none")
        // The whole 600 ms, read in windows of at most 400 ms: the length-weighted mean square of its parts.
        let whole =
            -0.691 + 10 * log10((4800 * pow(10, (-23.0 + 0.691) / 10) + 3200 * pow(10, (-33.0 + 0.691) / 10)) / 9600)
        #expect(abs(lufs[4]! - whole) < 0.2, "\(lufs[4]!) against \(whole)")
    }
}
