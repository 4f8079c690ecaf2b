import AIDJCore
import CSndFile
import Foundation

/// Streams interleaved Float frames out of any file libsndfile can read (WAV, AIFF, FLAC, Ogg, Opus, MP3, CAF…).
///
/// Audio is recognized by its content, not by its extension: a text file named `.wav` fails to open with
/// libsndfile's reason. Read in chunks (``defaultChunkFrames``) so memory stays bounded for any file length.
public final class AudioFileReader {
    /// Frames per `read` call used by the pipeline: large enough to amortize calls, small enough for the cache and
    /// well under the buffer length that makes libvorbis overflow its stack.
    public static let defaultChunkFrames = 32_768

    public let path: String
    /// Sample rate (Hz) of the file.
    public let sampleRate: Int
    public let channels: Int
    /// The frame count the file declares; an estimate for MP3, so readers go on until `read` returns 0.
    public let declaredFrames: Int
    /// "FLAC 16-bit", "WAV float", "MP3", …
    public let formatDescription: String
    private let handle: SndFileHandle
    private let isCompressedStream: Bool
    private var framesRead = 0

    /// Opens `path` for reading.
    ///
    /// - Throws: `AudioError` naming the file and libsndfile's reason (unrecognised format, empty file, …).
    public init(path: String) throws(AudioError) {
        self.path = path
        handle = try SndFileHandle(path: path, mode: Int32(SFM_READ), operation: .open)
        let info = handle.info
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        declaredFrames = Int(info.frames)
        formatDescription = describeSndfileFormat(info.format)
        let major = Int(info.format) & Int(SF_FORMAT_TYPEMASK)
        isCompressedStream = major == Int(SF_FORMAT_MPEG) || major == Int(SF_FORMAT_OGG)
        guard sampleRate > 0, channels > 0 else {
            throw AudioError(
                .open, path: path, reason: "libsndfile: no audio stream (rate \(sampleRate), \(channels) channels)")
        }
        guard declaredFrames > 0 || isCompressedStream else {
            throw AudioError(.open, path: path, reason: "no audio frames (empty stream)")
        }
    }

    /// Reads up to `frames` interleaved frames into `buffer` (room for `frames × channels` floats).
    ///
    /// - Returns: the frames read; 0 at the end of the stream.
    /// - Throws: `AudioError` when the decoder reports an error, or when a PCM file ends before its header says
    ///   (a truncated download or copy).
    public func read(into buffer: UnsafeMutablePointer<Float>, frames: Int) throws(AudioError) -> Int {
        let count = Int(sf_readf_float(handle.pointer, buffer, sf_count_t(frames)))
        if let reason = handle.errorReason {
            throw AudioError(.decode, path: path, reason: reason)
        }
        framesRead += count
        if count == 0 {
            try checkComplete()
        }
        return count
    }

    /// Reads the whole file into one deinterleaved buffer (tests, previews, and a mix's decks, which need whole
    /// tracks).
    public func readAll() throws(AudioError) -> AudioBuffer {
        var channelsData = [[Float]](repeating: [], count: channels)
        // Room for what the file declares (an estimate for MP3): growing by doubling would copy and page in a
        // long track's samples several times over.
        for c in 0..<channels { channelsData[c].reserveCapacity(min(max(declaredFrames, 0), 1 << 28) + 4096) }
        let chunk = Self.defaultChunkFrames
        var interleaved = [Float](repeating: 0, count: chunk * channels)
        while true {
            let count = try interleaved.withUnsafeMutableBufferPointer { (buffer) throws(AudioError) -> Int in
                try read(into: buffer.baseAddress!, frames: chunk)
            }
            if count == 0 { break }
            Interleaving.deinterleave(interleaved, frames: count, appendingTo: &channelsData)
        }
        return AudioBuffer(channels: channelsData, sampleRate: sampleRate)
    }

    /// A text field libsndfile found in the file's own metadata (RIFF INFO, AIFF, Vorbis comments…).
    func metadataString(_ field: Int32) -> String? {
        guard let pointer = sf_get_string(handle.pointer, field) else { return nil }
        let value = String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// libsndfile repairs a PCM file whose data chunk is shorter than its header claims and says so only in its
    /// log ("data : 88200 (should be 44100)"): such a file is truncated, and its analysis would describe a fragment.
    private func checkComplete() throws(AudioError) {
        guard !isCompressedStream else { return }
        if framesRead < declaredFrames {
            throw AudioError(
                .decode, path: path, reason: "truncated: \(framesRead) of \(declaredFrames) frames decoded")
        }
        for line in handle.log.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("data ") || trimmed.hasPrefix("SSND ") else { continue }
            let numbers = trimmed.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if trimmed.contains("should be"), numbers.count >= 2, numbers[0] > numbers[1] {
                throw AudioError(
                    .decode, path: path,
                    reason: "truncated: the header declares \(numbers[0]) bytes of audio, the file holds \(numbers[1])")
            }
        }
    }
}
