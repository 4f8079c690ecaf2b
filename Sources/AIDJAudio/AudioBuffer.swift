/// Deinterleaved audio in memory: one Float array per channel, samples in [-1, 1] nominal.
public struct AudioBuffer: Sendable, Equatable {
    public var channels: [[Float]]
    /// Sample rate in Hz.
    public var sampleRate: Int

    public init(channels: [[Float]], sampleRate: Int) {
        precondition(!channels.isEmpty, "an audio buffer has at least one channel")
        precondition(channels.allSatisfy { $0.count == channels[0].count }, "channels differ in length")
        self.channels = channels
        self.sampleRate = sampleRate
    }

    /// A mono buffer.
    public init(mono: [Float], sampleRate: Int) {
        self.init(channels: [mono], sampleRate: sampleRate)
    }

    public var frameCount: Int { channels[0].count }
    public var channelCount: Int { channels.count }
    /// Duration in seconds.
    public var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }

    /// The average of the channels.
    public var mono: [Float] {
        if channels.count == 1 { return channels[0] }
        var sum = [Float](repeating: 0, count: frameCount)
        let scale = 1 / Float(channels.count)
        for channel in channels {
            for i in 0..<frameCount { sum[i] += channel[i] * scale }
        }
        return sum
    }
}
