import CSndFile
import Foundation

/// Encodes audio to bytes in memory as it comes, for streaming: Ogg/Opus (48 kHz) or MP3, through libsndfile's
/// virtual I/O.
///
/// Both encoders write forward only while they run (checked: libsndfile 1.2.0 never seeks back before closing).
/// Closing an MP3 encoder rewrites its first frame (the LAME tag); that write lands on bytes already handed out
/// and is dropped, which leaves a valid stream. One Ogg/Opus encoder makes one logical stream; a new encoder per
/// track makes a chained Ogg stream whose links carry each track's tags.
public final class StreamEncoder {
    public enum Kind: String, Sendable {
        case opus, mp3

        /// The rate the encoder takes (Opus: 48 kHz only).
        public var sampleRate: Int? { self == .opus ? 48_000 : nil }
        public var contentType: String { self == .opus ? "audio/ogg" : "audio/mpeg" }
    }

    /// What the encoder has written: appended at the end, rewrites of earlier bytes dropped.
    final class Sink {
        var bytes: [UInt8] = []
        var position: Int64 = 0
        var length: Int64 = 0
    }

    public let kind: Kind
    public let channels: Int
    private let sink = Sink()
    private var handle: OpaquePointer?
    private var io: SF_VIRTUAL_IO
    private let name: String

    /// - Parameters:
    ///   - kind: container and codec.
    ///   - sampleRate: Hz (48 000 for Opus).
    ///   - channels: interleaved channels given to ``encode(interleaved:frames:)``.
    ///   - quality: libsndfile's compression level, 0 (best) … 1 (smallest).
    ///   - tags: title, artist … written into the stream's header (Ogg comments; ID3 for MP3).
    /// - Throws: `AudioError` when libsndfile cannot open the encoder.
    public init(kind: Kind, sampleRate: Int, channels: Int, quality: Double = 0.5, tags: AudioTags = AudioTags())
        throws(AudioError)
    {
        self.kind = kind
        self.channels = channels
        name = "<\(kind.rawValue) stream>"
        if let required = kind.sampleRate, required != sampleRate {
            throw AudioError(.encode, path: name, reason: "\(kind.rawValue) needs \(required) Hz, got \(sampleRate) Hz")
        }
        io = SF_VIRTUAL_IO(
            get_filelen: { user in Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue().length },
            seek: { offset, whence, user in
                let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
                switch whence {
                case SEEK_SET: sink.position = offset
                case SEEK_CUR: sink.position += offset
                default: sink.position = sink.length + offset
                }
                return sink.position
            },
            read: { _, _, _ in 0 },
            write: { pointer, count, user in
                let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
                if sink.position == sink.length, let pointer {
                    sink.bytes.append(
                        contentsOf: UnsafeRawBufferPointer(start: pointer, count: Int(count)).bindMemory(to: UInt8.self)
                    )
                    sink.length += count
                }
                sink.position += count
                return count
            },
            tell: { user in Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue().position })
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format =
            kind == .opus ? Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS) : Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        handle = sf_open_virtual(&io, Int32(SFM_WRITE), &info, Unmanaged.passUnretained(sink).toOpaque())
        guard let handle else { throw AudioError(.encode, path: name, reason: sndfileReason(nil)) }
        var mode = Int32(kind == .mp3 ? SF_BITRATE_MODE_CONSTANT : SF_BITRATE_MODE_VARIABLE)
        sf_command(handle, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size))
        var level = quality
        sf_command(handle, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        for (field, value) in tags.sndfileStrings { sf_set_string(handle, field, value) }
    }

    deinit { if let handle { sf_close(handle) } }

    /// Encodes `frames` interleaved frames.
    ///
    /// - Returns: the bytes the encoder has finished since the last call (often none: encoders work in pages).
    public func encode(interleaved samples: UnsafePointer<Float>, frames: Int) throws(AudioError) -> [UInt8] {
        guard let handle else { throw AudioError(.encode, path: name, reason: "encoder already finished") }
        var offset = 0
        while offset < frames {
            let count = min(AudioFileWriter.chunkFrames, frames - offset)
            guard sf_writef_float(handle, samples + offset * channels, sf_count_t(count)) == count else {
                throw AudioError(.encode, path: name, reason: sndfileReason(handle))
            }
            offset += count
        }
        return drain()
    }

    /// Flushes the encoder and ends the stream (an Ogg link's last page).
    ///
    /// - Returns: the remaining bytes.
    public func finish() -> [UInt8] {
        if let handle { sf_close(handle) }
        handle = nil
        return drain()
    }

    private func drain() -> [UInt8] {
        defer { sink.bytes.removeAll(keepingCapacity: true) }
        return sink.bytes
    }
}
