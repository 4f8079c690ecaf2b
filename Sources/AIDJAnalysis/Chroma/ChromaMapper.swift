import Foundation

/// Maps one magnitude spectrum to a 12-bin pitch-class profile from its spectral peaks, in the manner of the
/// Harmonic Pitch Class Profile (Gómez 2006, "Tonal description of music audio signals", §3.3): local maxima are
/// located with parabolic interpolation (so low notes are placed to a fraction of a bin, not smeared over the
/// 10.8 Hz bin spacing), and each adds its magnitude to the nearest pitch class with a cos² window of 4/3 semitone.
///
/// Two profiles come out, as in Mauch & Dixon's bass and treble chromagrams (2010): the treble profile from
/// peaks between 130 Hz and 5 kHz (the harmony: thirds and sevenths that tell the mode), and the bass profile
/// from peaks between 55 and 260 Hz (the roots). Keeping the bass out of the treble profile matters: bass notes
/// are loud, and summed with the chords they drown the thirds. Peak amplitudes are compressed (square root) so
/// quiet chord tones still count. Tuning is A4 = 440 Hz.
struct ChromaMapper: Sendable {
    /// Lowest frequency considered (Hz): A1.
    static let minFrequency = 55.0
    /// Lowest frequency of the treble profile (Hz): about C3.
    static let trebleMinFrequency = 130.0
    /// Highest frequency considered (Hz): above it harmonics dominate fundamentals.
    static let maxFrequency = 5000.0
    /// Upper limit of the bass profile (Hz): about C4.
    static let bassMaxFrequency = 260.0
    /// Peaks more than this far below the frame's strongest (linear ratio, −40 dB) are noise.
    static let relativeThreshold: Float = 0.01

    let binHz: Double
    let minBin: Int
    let maxBin: Int

    init(fftSize: Int, sampleRate: Double) {
        binHz = sampleRate / Double(fftSize)
        minBin = max(2, Int(Self.minFrequency / binHz))
        maxBin = min(fftSize / 2 - 2, Int(Self.maxFrequency / binHz))
    }

    func map(
        magnitude m: UnsafePointer<Float>, chroma: UnsafeMutablePointer<Float>, bassChroma: UnsafeMutablePointer<Float>
    ) {
        chroma.initialize(repeating: 0, count: 12)
        bassChroma.initialize(repeating: 0, count: 12)
        var strongest: Float = 0
        for k in minBin...maxBin where m[k] > strongest { strongest = m[k] }
        guard strongest > 1e-6 else { return }
        let threshold = strongest * Self.relativeThreshold
        for k in minBin...maxBin {
            let center = m[k]
            guard center > threshold, center > m[k - 1], center >= m[k + 1] else { continue }
            let a = log(max(m[k - 1], 1e-12)), b = log(center), c = log(max(m[k + 1], 1e-12))
            let denominator = a - 2 * b + c
            let offset = denominator < 0 ? 0.5 * (a - c) / denominator : 0
            let amplitude = exp(0.5 * (b - 0.25 * (a - c) * offset))
            let frequency = (Double(k) + Double(offset)) * binHz
            let midi = 69 + 12 * log2(frequency / 440)
            let nearest = midi.rounded()
            let distance = midi - nearest  // in [-0.5, 0.5]
            let pitchClass = ((Int(nearest) % 12) + 12) % 12
            let neighbor = (pitchClass + (distance >= 0 ? 1 : 11)) % 12
            let nearWeight = Float(Self.weight(semitones: abs(distance)))
            let farWeight = Float(Self.weight(semitones: 1 - abs(distance)))
            if frequency >= Self.trebleMinFrequency {
                chroma[pitchClass] += nearWeight * amplitude
                chroma[neighbor] += farWeight * amplitude
            }
            if frequency < Self.bassMaxFrequency {
                bassChroma[pitchClass] += nearWeight * amplitude
                bassChroma[neighbor] += farWeight * amplitude
            }
        }
    }

    /// cos² window of total width 4/3 semitone (Gómez 2006).
    static func weight(semitones d: Double) -> Double {
        let halfWidth = 2.0 / 3.0
        guard d < halfWidth else { return 0 }
        let x = cos(Double.pi / 2 * d / halfWidth)
        return x * x
    }
}
