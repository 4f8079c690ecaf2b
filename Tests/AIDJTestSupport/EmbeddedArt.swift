public import Foundation

/// Cover pictures written into audio files byte by byte, following the FLAC and ID3v2.3 specifications rather
/// than TagLib, so that reading them back with TagLib is a test of two independent implementations.
public enum EmbeddedArt {
    /// Picture types shared by FLAC and ID3v2 (APIC).
    public static let frontCover: UInt32 = 3
    public static let backCover: UInt32 = 4

    /// Deterministic picture bytes that start like a JPEG (`FF D8 FF E0`) and end like one (`FF D9`).
    public static func jpeg(seed: Int, count: Int = 600) -> Data {
        var state = UInt64(seed + 11) &* 0x9E37_79B9_7F4A_7C15
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        for _ in 0..<max(0, count - 6) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        return Data(bytes + [0xFF, 0xD9])
    }

    /// Bytes that start like a PNG.
    public static func png(seed: Int) -> Data {
        Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + jpeg(seed: seed).dropFirst(4)
    }

    /// Inserts METADATA_BLOCK_PICTURE blocks (FLAC format, type 6) right after STREAMINFO, in the order given.
    public static func embedInFLAC(path: String, pictures: [(data: Data, mime: String, type: UInt32)]) throws {
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard file.count > 8, Array(file[0..<4]) == Array("fLaC".utf8), file[4] & 0x7F == 0 else {
            throw FixtureError("\(path) does not start with a FLAC STREAMINFO block")
        }
        let streamInfoWasLast = file[4] & 0x80 != 0
        file[4] &= 0x7F
        let streamInfoEnd = 8 + (Int(file[5]) << 16 | Int(file[6]) << 8 | Int(file[7]))
        var blocks: [UInt8] = []
        for (n, picture) in pictures.enumerated() {
            var body: [UInt8] = []
            body += bigEndian(picture.type)
            body += bigEndian(UInt32(picture.mime.utf8.count)) + Array(picture.mime.utf8)
            body += bigEndian(0)  // description length
            body += bigEndian(1) + bigEndian(1) + bigEndian(24) + bigEndian(0)  // width, height, depth, colours
            body += bigEndian(UInt32(picture.data.count)) + [UInt8](picture.data)
            let last = streamInfoWasLast && n == pictures.count - 1
            blocks += [
                (last ? 0x80 : 0) | 6, UInt8(body.count >> 16), UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF),
            ]
            blocks += body
        }
        file.insert(contentsOf: blocks, at: streamInfoEnd)
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    /// Prepends an ID3v2.3 tag holding one APIC frame (ISO-8859-1 description, empty).
    public static func embedInMP3(path: String, picture: Data, mime: String, type: UInt32 = frontCover) throws {
        let audio = try Data(contentsOf: URL(fileURLWithPath: path))
        var frame: [UInt8] = [0]  // text encoding: ISO-8859-1
        frame += Array(mime.utf8) + [0]
        frame.append(UInt8(type))
        frame.append(0)  // empty description
        frame += [UInt8](picture)
        var tag: [UInt8] = Array("APIC".utf8) + bigEndian(UInt32(frame.count)) + [0, 0] + frame
        // Header: "ID3", version 2.3.0, no flags, size as four 7-bit bytes.
        let size = tag.count
        let header: [UInt8] =
            Array("ID3".utf8) + [3, 0, 0]
            + [UInt8(size >> 21 & 0x7F), UInt8(size >> 14 & 0x7F), UInt8(size >> 7 & 0x7F), UInt8(size & 0x7F)]
        tag = header + tag
        try (Data(tag) + audio).write(to: URL(fileURLWithPath: path))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// A fixture that cannot be made from its input.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
