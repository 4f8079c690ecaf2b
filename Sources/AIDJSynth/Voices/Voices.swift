public import AIDJCore
import Foundation

/// The synthesizer's voices. Each renders one event additively into a mono buffer at `start` (samples), so a
/// song is a sum of events. Envelopes start and end at zero, so no event clicks.
public enum Voice {
    /// Kick drum: a sine gliding from 150 Hz to 48 Hz with an exponential decay (≈ 0.3 s).
    public static func kick(into out: inout [Float], at start: Int, sampleRate: Double, gain: Float) {
        let length = Int(0.35 * sampleRate)
        var phase = 0.0
        for i in 0..<length where start + i < out.count && start + i >= 0 {
            let t = Double(i) / sampleRate
            let frequency = 48 + 102 * exp(-t / 0.03)
            phase += 2 * Double.pi * frequency / sampleRate
            let envelope = exp(-t / 0.09) * min(1, Double(i) / 32)
            out[start + i] += gain * Float(sin(phase) * envelope)
        }
    }

    /// Snare: a 185 Hz body and bright noise, both decaying (≈ 0.2 s).
    public static func snare(
        into out: inout [Float], at start: Int, sampleRate: Double, gain: Float, random: inout SplitMix64
    ) {
        let length = Int(0.22 * sampleRate)
        var previous: Float = 0
        for i in 0..<length where start + i < out.count && start + i >= 0 {
            let t = Double(i) / sampleRate
            let noise = random.noise()
            let bright = noise - 0.6 * previous  // first-order high-pass tilt
            previous = noise
            let body = Float(sin(2 * Double.pi * 185 * t) * exp(-t / 0.05))
            let envelope = Float(exp(-t / 0.06)) * min(1, Float(i) / 16)
            out[start + i] += gain * (0.5 * body + 0.6 * bright * envelope)
        }
    }

    /// Closed (or, with `open`, open) hi-hat: high-passed noise, 40 ms (or 200 ms) decay.
    public static func hat(
        into out: inout [Float], at start: Int, sampleRate: Double, gain: Float, open: Bool = false,
        random: inout SplitMix64
    ) {
        let decay = open ? 0.2 : 0.035
        let length = Int(decay * 5 * sampleRate)
        var x1: Float = 0, x2: Float = 0
        for i in 0..<length where start + i < out.count && start + i >= 0 {
            let t = Double(i) / sampleRate
            let noise = random.noise()
            let high = noise - 2 * x1 + x2  // second difference: strong high-pass
            x2 = x1
            x1 = noise
            out[start + i] += gain * 0.25 * high * Float(exp(-t / decay)) * min(1, Float(i) / 8)
        }
    }

    /// A harmonic tone (pitched instruments): partials 1…`harmonics` at amplitudes `rolloff^(h−1)/h`, an
    /// attack/decay/sustain/release envelope. Partials are exact multiples of the fundamental (no detune), so the
    /// pitch content is known exactly.
    public static func tone(
        into out: inout [Float], at start: Int, sampleRate: Double, midi: Double, duration: Double, gain: Float,
        harmonics: Int = 6, rolloff: Double = 0.8, attack: Double = 0.01, decay: Double = 0.2, sustain: Double = 0.6,
        release: Double = 0.08
    ) {
        let frequency = 440 * pow(2, (midi - 69) / 12)
        let held = Int(duration * sampleRate)
        let length = held + Int(release * sampleRate)
        let partials = (1...harmonics).compactMap { h -> (Double, Double)? in
            let f = frequency * Double(h)
            guard f < sampleRate * 0.45 else { return nil }
            return (2 * Double.pi * f / sampleRate, pow(rolloff, Double(h - 1)) / Double(h))
        }
        for i in 0..<length where start + i < out.count && start + i >= 0 {
            let t = Double(i) / sampleRate
            var envelope: Double
            if t < attack {
                envelope = t / attack
            } else if t < attack + decay {
                envelope = 1 - (1 - sustain) * (t - attack) / decay
            } else {
                envelope = sustain
            }
            if i >= held {
                envelope *= max(0, 1 - Double(i - held) / (release * sampleRate))
            }
            var sample = 0.0
            for (omega, amplitude) in partials { sample += amplitude * sin(omega * Double(i)) }
            out[start + i] += gain * Float(sample * envelope)
        }
    }
}
