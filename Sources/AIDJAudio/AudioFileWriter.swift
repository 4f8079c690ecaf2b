import AIDJCore
import CSndFile
import Foundation

/// Writes audio through libsndfile in bounded chunks, to any ``AudioFormat``.
///
/// Writes go to a hidden temporary file beside the target and are renamed into place by ``finish()``, so an
/// interrupted or failed write never leaves a half-written file under the requested name.
public final class AudioFileWriter {
    /// libvorbis overflows its stack when one `sf_writef_float` call carries a long buffer (seen with libsndfile
    /// 1.2.0 on Debian 12; see docs/ARCHITECTURE.md): never hand it more than this many frames at once.
    static let chunkFrames = 16_384

    public let path: String
    public let channels: Int
    public let sampleRate: Int
    private let temporaryPath: String
    private var handle: SndFileHandle?

    /// Creates the file for writing.
    ///
    /// - Parameters:
    ///   - path: the final file name.
    ///   - format: container and encoding.
    ///   - sampleRate: Hz; Opus requires 48 000.
    ///   - channels: interleaved channel count of the frames given to ``write(interleaved:frames:)``.
    ///   - tags: title/artist/album/genre/year stored in the file's own metadata, where the format has it.
    /// - Throws: `AudioError` when the format rejects the rate/channels or the folder is not writable.
    public init(path: String, format: AudioFormat, sampleRate: Int, channels: Int, tags: AudioTags = AudioTags())
        throws(AudioError)
    {
        if let required = format.requiredSampleRate, required != sampleRate {
            throw AudioError(.encode, path: path, reason: "\(format) needs \(required) Hz, got \(sampleRate) Hz")
        }
        self.path = path
        self.channels = channels
        self.sampleRate = sampleRate
        let url = URL(fileURLWithPath: path)
        temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard sf_format_check(&info) != 0 else {
            throw AudioError(
                .encode, path: path, reason: "libsndfile cannot write \(format) at \(sampleRate) Hz × \(channels)")
        }
        do {
            handle = try SndFileHandle(path: temporaryPath, mode: Int32(SFM_WRITE), info: info, operation: .encode)
        } catch {
            throw AudioError(.encode, path: path, reason: error.reason)
        }
        for (field, value) in tags.sndfileStrings {
            sf_set_string(handle!.pointer, field, value)
        }
    }

    deinit {
        if handle != nil {
            handle = nil
            unlink(temporaryPath)
        }
    }

    /// Appends `frames` interleaved frames.
    public func write(interleaved samples: UnsafePointer<Float>, frames: Int) throws(AudioError) {
        guard let handle else { throw AudioError(.encode, path: path, reason: "writer already finished") }
        var offset = 0
        while offset < frames {
            let count = min(Self.chunkFrames, frames - offset)
            let written = Int(sf_writef_float(handle.pointer, samples + offset * channels, sf_count_t(count)))
            if written != count {
                throw AudioError(.encode, path: path, reason: handle.errorReason ?? "libsndfile: short write")
            }
            offset += count
        }
    }

    /// Appends a deinterleaved buffer (its channel count must match).
    public func write(_ buffer: AudioBuffer) throws(AudioError) {
        precondition(buffer.channelCount == channels, "channel count mismatch")
        var interleaved = [Float](repeating: 0, count: Self.chunkFrames * channels)
        var start = 0
        while start < buffer.frameCount {
            let count = min(Self.chunkFrames, buffer.frameCount - start)
            Interleaving.interleave(buffer.channels, from: start, count: count, into: &interleaved)
            try interleaved.withUnsafeBufferPointer { (pointer) throws(AudioError) in
                try write(interleaved: pointer.baseAddress!, frames: count)
            }
            start += count
        }
    }

    /// Closes the file and moves it into place under ``path``.
    ///
    /// - Throws: `AudioError` when the encoder's final flush fails (a full disk, say): the temporary file is
    ///   removed and nothing appears under ``path``.
    public func finish() throws(AudioError) {
        guard let handle else { return }
        self.handle = nil
        if let reason = handle.close() {
            unlink(temporaryPath)
            throw AudioError(.encode, path: path, reason: reason)
        }
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw AudioError(.encode, path: path, reason: reason)
        }
    }

    /// Writes a whole buffer to `path` in one call.
    public static func write(
        _ buffer: AudioBuffer, to path: String, format: AudioFormat, tags: AudioTags = AudioTags()
    ) throws(AudioError) {
        let writer = try AudioFileWriter(
            path: path, format: format, sampleRate: buffer.sampleRate, channels: buffer.channelCount, tags: tags)
        try writer.write(buffer)
        try writer.finish()
    }
}
