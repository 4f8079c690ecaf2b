import AIDJCore

extension AudioFileReader {
    /// Reads the rest of the file as one mono signal (the channels' mean) at `sampleRate`, resampled with libsoxr
    /// as it streams, so the original rate's samples are never held whole.
    ///
    /// - Throws: `AudioError` naming the file when it cannot be decoded or resampled.
    public func readMono(sampleRate outputRate: Double, quality: Resampler.Quality = .medium) throws(AudioError)
        -> [Float]
    {
        let chunk = Self.defaultChunkFrames
        let resampler = try Resampler(
            inputRate: Double(sampleRate), outputRate: outputRate, quality: quality, source: path)
        var interleaved = [Float](repeating: 0, count: chunk * channels)
        var mono = [Float](repeating: 0, count: chunk)
        var output: [Float] = []
        output.reserveCapacity(Int(Double(max(0, declaredFrames)) * outputRate / Double(sampleRate)) + chunk)
        while true {
            let count = try interleaved.withUnsafeMutableBufferPointer { (buffer) throws(AudioError) -> Int in
                try read(into: buffer.baseAddress!, frames: chunk)
            }
            if count == 0 { break }
            Interleaving.mixDown(interleaved, channels: channels, frames: count, into: &mono)
            try mono.withUnsafeBufferPointer { (m) throws(AudioError) in
                try resampler.process(m.baseAddress!, count: count, output: &output)
            }
        }
        try resampler.flush(output: &output)
        return output
    }
}
