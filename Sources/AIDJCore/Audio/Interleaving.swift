/// Conversions between interleaved frames (what libsndfile, libebur128 and the limiter take: L R L R …) and
/// deinterleaved channels (one array per channel, what the DSP takes), and the mono mix-down.
public enum Interleaving {
    /// Writes frames `start ..< start + count` of `channels` into the first `count` frames of `output`, interleaved.
    public static func interleave(_ channels: [[Float]], from start: Int, count: Int, into output: inout [Float]) {
        let stride = channels.count
        precondition(output.count >= count * stride, "interleaved buffer too small")
        output.withUnsafeMutableBufferPointer { out in
            for (c, channel) in channels.enumerated() {
                channel.withUnsafeBufferPointer { x in
                    for i in 0..<count { out[i * stride + c] = x[start + i] }
                }
            }
        }
    }

    /// All frames of `channels`, interleaved.
    public static func interleave(_ channels: [[Float]]) -> [Float] {
        let frames = channels.first?.count ?? 0
        var output = [Float](repeating: 0, count: frames * channels.count)
        interleave(channels, from: 0, count: frames, into: &output)
        return output
    }

    /// Appends the first `frames` interleaved frames of `interleaved` to `channels`, one array per channel.
    public static func deinterleave(_ interleaved: [Float], frames: Int, appendingTo channels: inout [[Float]]) {
        let stride = channels.count
        precondition(interleaved.count >= frames * stride, "interleaved buffer too small")
        interleaved.withUnsafeBufferPointer { x in
            // No reserveCapacity here: reserving the exact size on every call would defeat the arrays' geometric
            // growth and copy everything read so far on each chunk.
            for c in 0..<stride {
                for i in 0..<frames { channels[c].append(x[i * stride + c]) }
            }
        }
    }

    /// The average of the channels of the first `frames` interleaved frames, into `mono[0 ..< frames]`.
    public static func mixDown(_ interleaved: [Float], channels: Int, frames: Int, into mono: inout [Float]) {
        precondition(mono.count >= frames && interleaved.count >= frames * channels, "buffers too small")
        if channels == 1 {
            for i in 0..<frames { mono[i] = interleaved[i] }
            return
        }
        let scale = 1 / Float(channels)
        interleaved.withUnsafeBufferPointer { x in
            mono.withUnsafeMutableBufferPointer { m in
                // Stereo, with the sum written out (0 + left + right, as the loop over channels forms it) so that
                // the compiler vectorizes it: a loop over a variable channel count runs one frame at a time.
                if channels == 2 {
                    for i in 0..<frames { m[i] = ((0 + x[2 * i]) + x[2 * i + 1]) * scale }
                    return
                }
                for i in 0..<frames {
                    var sum: Float = 0
                    for c in 0..<channels { sum += x[i * channels + c] }
                    m[i] = sum * scale
                }
            }
        }
    }
}
