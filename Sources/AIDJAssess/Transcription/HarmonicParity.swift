import AIDJAnalysis
import Foundation

/// Whether a note read at pitch *f* sounds at *2f*: the share of its harmonics' power on the odd ones.
///
/// A periodic tone at *f* carries its odd harmonics (*f*, *3f*, *5f*…) as well as its even ones; a tone at *2f* has
/// only what are *f*'s even harmonics. A note whose odd harmonics hold almost none of the power is therefore at *2f*,
/// whatever a period detector made of it. Period detectors read *f* there when something weak sounds at *f* too: the
/// previous note an octave below still ringing in its release (a sampled voice's "ooh" rings for 100 ms or more),
/// or a subharmonic the window's mixture of two notes happens to share. A note truly at *f* keeps a share on its odd
/// harmonics: a flute's or a voice's strong fundamental, a clarinet's odd partials. The least on the GM takes was a
/// violin low on its G string, whose fundamental is weak: 0.099 (``NoteTranscriber/Configuration/octaveOddShare``).
struct HarmonicParity {
    /// The analysis rate (Hz) of the samples measured.
    let sampleRate: Double
    /// Harmonics up to this frequency (Hz) are weighed, at most ``maximumHarmonics`` of them.
    var highestFrequency = 6_000.0
    var maximumHarmonics = 8
    /// The part of the note measured starts this long (s) after its onset (the attack's noise stays out) and lasts
    /// at most ``longestSeconds``.
    var skipSeconds = 0.03
    var longestSeconds = 0.25
    /// A harmonic's power is the largest bin within this many cents of it (a note's own cents and vibrato).
    var toleranceCents = 40.0

    private let fft: RealFFT

    init(sampleRate: Double, fftSize: Int = 4_096) {
        self.sampleRate = sampleRate
        fft = RealFFT(size: fftSize)
    }

    /// The share of power (0–1) on the odd harmonics of `pitch` (fractional MIDI) in `samples[start..<end]` (seconds),
    /// or nil when the span holds too few periods to tell its harmonics apart (a Hann window needs about four).
    func oddShare(pitch: Double, in samples: [Float], from start: Double, to end: Double) -> Double? {
        let hertz = 440 * pow(2, (pitch - 69) / 12)
        let first = Int(((start + skipSeconds) * sampleRate).rounded())
        let last = min(samples.count, Int((min(end, start + skipSeconds + longestSeconds) * sampleRate).rounded()))
        let count = min(last - first, fft.size)
        guard first >= 0, Double(count) >= 4 * sampleRate / hertz else { return nil }
        for n in 0..<fft.size {
            if n < count {
                let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(count - 1))
                fft.input[n] = samples[first + n] * Float(window)
            } else {
                fft.input[n] = 0
            }
        }
        fft.execute()
        var power = [Float](repeating: 0, count: fft.binCount)
        power.withUnsafeMutableBufferPointer { fft.powerSpectrum(into: $0.baseAddress!) }
        let binHertz = sampleRate / Double(fft.size)
        let spread = pow(2, toleranceCents / 1200)
        var odd = 0.0
        var even = 0.0
        var k = 1
        while k <= maximumHarmonics, Double(k) * hertz <= min(highestFrequency, sampleRate / 2 - binHertz) {
            let centre = Double(k) * hertz
            let low = max(1, Int((centre / spread / binHertz).rounded(.down)))
            let high = min(power.count - 1, Int((centre * spread / binHertz).rounded(.up)))
            var peak: Float = 0
            for bin in low...high { peak = max(peak, power[bin]) }
            if k % 2 == 1 { odd += Double(peak) } else { even += Double(peak) }
            k += 1
        }
        guard odd + even > 0 else { return nil }
        return odd / (odd + even)
    }
}
