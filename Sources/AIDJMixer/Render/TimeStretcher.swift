import CRubberBand
import Foundation

/// How Rubber Band stretches: its faster R2 engine for previews, its finer R3 engine for renders — by default
/// with R3's short analysis window (3× faster on this machine, `aidj-bench mix`), or its standard window for the
/// best quality.
public enum StretchQuality: String, CaseIterable, Sendable, Codable {
    case draft, standard, best

    var options: UInt32 {
        switch self {
        case .draft: RubberBandOptionEngineFaster.rawValue
        case .standard: RubberBandOptionEngineFiner.rawValue | RubberBandOptionWindowShort.rawValue
        case .best: RubberBandOptionEngineFiner.rawValue
        }
    }
}

/// Offline time-stretching with Rubber Band, following a piecewise-linear time map (Rubber Band's key-frame map):
/// the output has exactly the requested length and each key frame's input sample lands on its output sample.
enum TimeStretcher {
    /// Stretches `input` (one array per channel) so that it lasts `outputLength` samples, with input sample
    /// `keyFrames[n].input` placed at output sample `keyFrames[n].output`.
    ///
    /// - Parameter quality: engine and window.
    static func stretch(
        _ input: [[Float]], sampleRate: Int, outputLength: Int, keyFrames: [(input: Int, output: Int)],
        quality: StretchQuality
    ) -> [[Float]] {
        let channels = input.count
        let inputLength = input.first?.count ?? 0
        guard inputLength > 0, outputLength > 0 else {
            return [[Float]](repeating: [Float](repeating: 0, count: max(0, outputLength)), count: channels)
        }
        var options =
            RubberBandOptionProcessOffline.rawValue | RubberBandOptionThreadingNever.rawValue
            | RubberBandOptionChannelsTogether.rawValue
        options |= quality.options
        let state = rubberband_new(
            UInt32(sampleRate), UInt32(channels), Int32(bitPattern: UInt32(options)),
            Double(outputLength) / Double(inputLength), 1.0)!
        defer { rubberband_delete(state) }
        let block = 16_384
        rubberband_set_expected_input_duration(state, UInt32(inputLength))
        rubberband_set_max_process_size(state, UInt32(block))

        func feed(_ body: (UnsafePointer<UnsafePointer<Float>?>, Int, Bool) -> Void) {
            var start = 0
            while start < inputLength {
                let count = min(block, inputLength - start)
                let pointers: [UnsafePointer<Float>?] = input.map { channel in
                    channel.withUnsafeBufferPointer { $0.baseAddress! + start }
                }
                pointers.withUnsafeBufferPointer { body($0.baseAddress!, count, start + count >= inputLength) }
                start += count
            }
        }
        // The arrays are not mutated while these pointers live, so their storage stays put.
        feed { pointers, count, final in rubberband_study(state, pointers, UInt32(count), final ? 1 : 0) }
        let interior = keyFrames.filter { $0.input > 0 && $0.input < inputLength && $0.output > 0 }
        if !interior.isEmpty {
            var from = interior.map { UInt32($0.input) }, to = interior.map { UInt32($0.output) }
            rubberband_set_key_frame_map(state, UInt32(interior.count), &from, &to)
        }
        var output = [[Float]](repeating: [], count: channels)
        for c in 0..<channels { output[c].reserveCapacity(outputLength + block) }
        var scratch = [[Float]](repeating: [Float](repeating: 0, count: block), count: channels)
        func drain() {
            while true {
                let available = Int(rubberband_available(state))
                if available <= 0 { return }
                let count = min(available, block)
                var pointers: [UnsafeMutablePointer<Float>?] = []
                for c in 0..<channels {
                    pointers.append(scratch[c].withUnsafeMutableBufferPointer { $0.baseAddress! })
                }
                let got = Int(
                    pointers.withUnsafeBufferPointer { rubberband_retrieve(state, $0.baseAddress!, UInt32(count)) })
                for c in 0..<channels { output[c] += scratch[c][0..<got] }
                if got == 0 { return }
            }
        }
        feed { pointers, count, final in
            rubberband_process(state, pointers, UInt32(count), final ? 1 : 0)
            drain()
        }
        drain()
        for c in 0..<channels {
            if output[c].count > outputLength {
                output[c].removeLast(output[c].count - outputLength)
            } else if output[c].count < outputLength {
                output[c] += [Float](repeating: 0, count: outputLength - output[c].count)
            }
        }
        return output
    }
}
