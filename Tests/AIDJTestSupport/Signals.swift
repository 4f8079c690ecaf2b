public import AIDJAudio
import AIDJCore
import AIDJSynth
import Foundation

/// Known-answer test signals.
public enum Signals {
    /// A sine of `frequency` Hz and peak `amplitude`, `seconds` long, on every channel.
    public static func sine(
        frequency: Double, seconds: Double, amplitude: Double = 0.5, sampleRate: Int = 44_100,
        channels: Int = 1
    ) -> AudioBuffer {
        let count = Int(seconds * Double(sampleRate))
        let samples = (0..<count).map {
            Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate)))
        }
        return AudioBuffer(channels: Array(repeating: samples, count: channels), sampleRate: sampleRate)
    }

    /// Uniform white noise in [−amplitude, amplitude], seeded.
    public static func noise(seconds: Double, amplitude: Float = 0.3, sampleRate: Int = 22_050, seed: UInt64 = 1)
        -> AudioBuffer
    {
        var random = SplitMix64(seed: seed)
        let samples = (0..<Int(seconds * Double(sampleRate))).map { _ in amplitude * random.noise() }
        return AudioBuffer(mono: samples, sampleRate: sampleRate)
    }

    public static func silence(seconds: Double, sampleRate: Int = 44_100, channels: Int = 2) -> AudioBuffer {
        AudioBuffer(
            channels: Array(
                repeating: [Float](repeating: 0, count: Int(seconds * Double(sampleRate))), count: channels),
            sampleRate: sampleRate)
    }
}
