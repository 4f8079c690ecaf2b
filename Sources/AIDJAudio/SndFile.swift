import CSndFile
import Foundation

/// The one choke point for libsndfile errors: turns a handle's (or the global) error state into an `AudioError`.
func sndfileReason(_ handle: OpaquePointer?) -> String {
    "libsndfile: " + String(cString: sf_strerror(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Owns an open `SNDFILE*` and closes it exactly once: by ``close()``, which reports what the final flush of an
/// encoder said, or else in `deinit` (a reader, or a writer being abandoned).
final class SndFileHandle {
    let pointer: OpaquePointer
    var info: SF_INFO
    private var isOpen = true

    /// Opens `path` with libsndfile in `mode` (`SFM_READ`/`SFM_WRITE`); for writing, `info` gives the format.
    init(path: String, mode: Int32, info: SF_INFO = SF_INFO(), operation: AudioError.Operation) throws(AudioError) {
        var info = info
        guard let pointer = sf_open(path, mode, &info) else {
            throw AudioError(operation, path: path, reason: sndfileReason(nil))
        }
        self.pointer = pointer
        self.info = info
    }

    deinit { if isOpen { sf_close(pointer) } }

    /// Closes the file; for a writer this flushes the encoder, so its result says whether the file is whole.
    ///
    /// - Returns: nil when libsndfile closed cleanly, else its reason.
    func close() -> String? {
        guard isOpen else { return nil }
        isOpen = false
        let status = sf_close(pointer)
        return status == 0 ? nil : "libsndfile: " + String(cString: sf_error_number(status))
    }

    /// The error the handle is in, if any.
    var errorReason: String? {
        sf_error(pointer) == 0 ? nil : sndfileReason(pointer)
    }

    /// libsndfile's log for this handle: where it says what it had to repair or assume.
    var log: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = sf_command(pointer, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count))
        return count > 0 ? String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }
}
