public import AIDJAudio
import CEBUR128
import Foundation

/// Programme loudness per EBU R128 / ITU-R BS.1770-4, measured on the original signal (all channels, original
/// rate) as it streams by: integrated loudness and loudness range with libebur128, true peak with
/// ``TruePeakMeter``.
public final class LoudnessMeter {
    /// Integrated loudness, loudness range and true peak of everything measured.
    public struct Measurement: Sendable, Equatable, Codable {
        /// Gated integrated loudness (LUFS); nil for signals entirely below the −70 LUFS absolute gate.
        public let integratedLUFS: Double?
        /// Loudness range (LU), EBU Tech 3342.
        public let rangeLU: Double
        /// Maximum true peak over channels (dBTP, 4× oversampled as BS.1770 Annex 2, ``TruePeakMeter``); nil for
        /// digital silence.
        public let truePeakDBTP: Double?

        /// ReplayGain 2.0 gain (dB): the change that brings the track to the −18 LUFS reference.
        public var replayGainDB: Double? { integratedLUFS.map { -18 - $0 } }
    }

    private var state: UnsafeMutablePointer<ebur128_state>?
    private let channels: Int
    private var peakMeter: TruePeakMeter

    /// - Parameters:
    ///   - sampleRate: Hz of the frames to come.
    ///   - channels: channel count of the interleaved frames; a mono signal counts as dual mono (played on two
    ///     speakers, as ReplayGain 2 and streaming services measure it), so mono and its stereo copy read alike.
    ///   - source: the file measured, named by errors.
    /// - Throws: `AudioError` when libebur128 cannot meter that rate and channel count (it takes 16 Hz to
    ///   2.8224 MHz and up to 64 channels): a strange file fails alone instead of stopping an ingest.
    public init(sampleRate: Int, channels: Int, source: String = "memory") throws(AudioError) {
        self.channels = channels
        peakMeter = TruePeakMeter(sampleRate: sampleRate, channels: channels)
        let mode = EBUR128_MODE_I.rawValue | EBUR128_MODE_LRA.rawValue | EBUR128_MODE_HISTOGRAM.rawValue
        guard channels > 0, sampleRate > 0,
            let created = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(mode))
        else {
            throw AudioError(
                .measure, path: source,
                reason: "libebur128 cannot meter \(channels) channel(s) at \(sampleRate) Hz")
        }
        state = created
        if channels == 1 {
            ebur128_set_channel(state, 0, Int32(EBUR128_DUAL_MONO.rawValue))
        }
    }

    // A failed init leaves no state; libebur128 1.2.6 dereferences the state it is asked to destroy.
    deinit { if state != nil { ebur128_destroy(&state) } }

    /// Adds `frames` interleaved frames.
    public func add(interleaved samples: UnsafePointer<Float>, frames: Int) {
        ebur128_add_frames_float(state, samples, frames)
        peakMeter.add(interleaved: samples, frames: frames)
    }

    /// The short-term loudness (3-second window, LUFS) of the last frames added; nil in digital silence.
    public var shortTermLUFS: Double? { ShortTermLoudness.shortTerm(state) }

    /// The measurement over everything added so far.
    public func measurement() -> Measurement {
        var integrated = 0.0
        ebur128_loudness_global(state, &integrated)
        var range = 0.0
        if ebur128_loudness_range(state, &range) != EBUR128_SUCCESS.rawValue || !range.isFinite { range = 0 }
        let peak = Double(peakMeter.truePeak)
        return Measurement(
            integratedLUFS: integrated.isFinite ? integrated : nil,
            rangeLU: range,
            truePeakDBTP: peak > 0 ? 20 * log10(peak) : nil)
    }
}

extension LoudnessMeter {
    /// Short-term loudness (EBU R128: 3-second window, LUFS) every `hop` seconds over interleaved frames, with
    /// libebur128; entry k is the loudness of the 3 s ending at (k + 1) · hop. Silence reads −∞ (as -200).
    public static func shortTermProfile(
        interleaved samples: [Float], sampleRate: Int, channels: Int, hop: Double = 0.1
    ) -> [Double] {
        guard let meter = try? ShortTermLoudness(sampleRate: sampleRate, channels: channels) else { return [] }
        let step = max(1, Int(hop * Double(sampleRate)))
        let frames = samples.count / channels
        var profile: [Double] = []
        samples.withUnsafeBufferPointer { p in
            var start = 0
            while start + step <= frames {
                meter.add(interleaved: p.baseAddress! + start * channels, frames: step)
                profile.append(meter.lufs ?? -200)
                start += step
            }
        }
        return profile
    }
}
