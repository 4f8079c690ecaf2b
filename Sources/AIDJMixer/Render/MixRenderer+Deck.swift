import AIDJAudio
import Foundation

/// A deck: one source decoded at the mix rate, time-stretched along its time map, and gained.
extension MixRenderer {
    /// Decodes a source as 44.1 kHz stereo.
    static func decode(_ path: String) throws -> [[Float]] {
        let buffer = try AudioFileReader(path: path).readAll()
        var channels: [[Float]]
        switch buffer.channelCount {
        case 1: channels = [buffer.channels[0], buffer.channels[0]]
        case 2: channels = buffer.channels
        default:
            // More than two: fold odd channels left and even ones right.
            channels = [
                [Float](repeating: 0, count: buffer.frameCount), [Float](repeating: 0, count: buffer.frameCount),
            ]
            for (c, data) in buffer.channels.enumerated() {
                for n in data.indices { channels[c % 2][n] += data[n] * 2 / Float(buffer.channelCount) }
            }
        }
        if buffer.sampleRate != sampleRate {
            channels = try channels.map { channel in
                let resampler = try Resampler(
                    inputRate: Double(buffer.sampleRate), outputRate: Double(sampleRate), quality: .high, source: path)
                // In blocks, into room reserved once: a whole track in one call needs an output buffer as long as
                // the track, paged in and copied again (it took 2.3 times as long on an 8-minute record).
                var out: [Float] = []
                out.reserveCapacity(Int(Double(channel.count) * Double(sampleRate) / Double(buffer.sampleRate)) + 4096)
                try channel.withUnsafeBufferPointer { (c) throws(AudioError) in
                    var from = 0
                    while from < c.count {
                        let n = min(1 << 16, c.count - from)
                        try resampler.process(c.baseAddress! + from, count: n, output: &out)
                        from += n
                    }
                }
                try resampler.flush(output: &out)
                return out
            }
        }
        return channels
    }

    /// One track's deck before shaping: its first mix sample as planned, and its samples (per channel, stretched
    /// and gained) from there to its planned end.
    func deck(track i: Int) throws -> (Int, [[Float]]) {
        let t = plan.tracks[i]
        let source = try sources?.source(t.path) { try Self.decode(t.path) } ?? Self.decode(t.path)
        let sr = Double(Self.sampleRate)
        let start = sample(t.mixStartS), end = sample(t.mixEndS)
        let length = max(0, end - start)
        var out = [[Float]](repeating: [Float](repeating: 0, count: length), count: 2)
        let map = t.timeMap
        let playedEnd = sample(map.mixTime(source: t.sourceEndS))  // dry signal stops here

        // Native-rate part: mix sample m plays source sample m − offset.
        let nativeFrom: Int
        let offset = sample(map.mixTime(source: t.stretchEndS) - t.stretchEndS)
        if t.stretchPercent != 0 {
            // Stretched part, with half a second of rate 1 after the glide to join the native part smoothly.
            let sourceFrom = t.sourceStartS
            let sourceTo = min(t.stretchEndS + 0.5, Double(source[0].count) / sr, t.sourceEndS)
            let inFrom = sample(sourceFrom), inTo = max(inFrom + 1, sample(sourceTo))
            let outFrom = sample(map.mixTime(source: sourceFrom)), outTo = sample(map.mixTime(source: sourceTo))
            let keyFrames = map.points.filter { $0[1] > sourceFrom && $0[1] < sourceTo }.map {
                (input: sample($0[1]) - inFrom, output: sample($0[0]) - outFrom)
            }
            let region = source.map { Array($0[min(inFrom, $0.count)..<min(inTo, $0.count)]) }
            let stretched = TimeStretcher.stretch(
                region, sampleRate: Self.sampleRate, outputLength: max(1, outTo - outFrom), keyFrames: keyFrames,
                quality: quality)
            // Join: 256-sample crossfade to the native signal, a quarter second after the glide.
            let join = min(outTo - 256, sample(map.mixTime(source: t.stretchEndS)) + Int(0.25 * sr))
            for c in 0..<2 {
                for m in outFrom..<outTo {
                    let k = m - start
                    guard k >= 0 && k < length && m < playedEnd else { continue }
                    var y = stretched[c][m - outFrom]
                    if m >= join {
                        let w = Float(min(1, Double(m - join) / 256))
                        let s = m - offset
                        let native = s >= 0 && s < source[c].count ? source[c][s] : 0
                        y = y * (1 - w) + native * w
                    }
                    out[c][k] = y
                }
            }
            nativeFrom = max(start, join + 256)
        } else {
            nativeFrom = start
        }
        for c in 0..<2 {
            source[c].withUnsafeBufferPointer { x in
                out[c].withUnsafeMutableBufferPointer { y in
                    for m in nativeFrom..<min(end, playedEnd) {
                        let s = m - offset
                        if s >= 0 && s < x.count { y[m - start] = x[s] }
                    }
                }
            }
        }

        let gain = Float(pow(10, t.gainDB / 20))
        for c in 0..<2 { for k in 0..<length { out[c][k] *= gain } }
        return (start, out)
    }
}
