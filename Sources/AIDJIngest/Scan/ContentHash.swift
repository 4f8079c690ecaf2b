import AIDJCore
import Foundation

/// A 64-bit hash of a file's bytes, to recognize a file that was moved or renamed.
///
/// Reads the whole file in 1 MiB blocks and mixes it 8 bytes at a time (multiply–rotate–multiply, the round of
/// xxHash64, with its published primes; Collet 2012), then finalizes with the SplitMix64 avalanche. Not
/// cryptographic: it only has to tell different audio files apart, at memory speed.
public enum ContentHash {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// Hex digest (16 characters) of the file at `path`.
    ///
    /// - Throws: the `open`/`read` error as a one-line reason (reads interrupted by a signal are retried).
    public static func ofFile(at path: String) throws(IngestError) -> String {
        do {
            return try digest(path)
        } catch {
            throw IngestError(.unreadable, path: path, reason: error.description)
        }
    }

    private static func digest(_ path: String) throws(SystemCallError) -> String {
        let fd = try systemCall("open") { open(path, O_RDONLY) }
        defer { close(fd) }
        var state: UInt64 = 0x27D4_EB2F_1656_67C5
        var total: UInt64 = 0
        let blockSize = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = try systemCall("read") { read(fd, buffer, blockSize) }
            if count == 0 { break }
            total += UInt64(count)
            let words = count / 8
            let pointer = buffer.bindMemory(to: UInt64.self, capacity: words)
            for i in 0..<words { state = round(state, UInt64(littleEndian: pointer[i])) }
            var tail: UInt64 = 0
            for i in (words * 8)..<count {
                tail |= UInt64(buffer.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(i - words * 8))
            }
            if count % 8 != 0 { state = round(state, tail) }
        }
        state = round(state, total)
        return String(format: "%016llx", SplitMix64.mix(state))
    }

    @inline(__always) static func round(_ state: UInt64, _ word: UInt64) -> UInt64 {
        var x = state ^ (word &* prime2)
        x = (x << 31) | (x >> 33)
        return x &* prime1
    }
}
