import CTagLibArt
public import Foundation

/// A picture embedded in an audio file's tags (the front cover when there are several), read with TagLib.
public struct EmbeddedPicture: Sendable, Equatable {
    public var data: Data
    /// From the tag, else from the image's first bytes (JPEG, PNG, GIF, WebP, BMP); `application/octet-stream`
    /// when neither says.
    public var mimeType: String

    public init(data: Data, mimeType: String) {
        self.data = data
        self.mimeType = mimeType
    }

    /// TagLib is entered by one thread at a time (as in ``TagReader``).
    private static let lock = NSLock()

    /// The file's embedded cover, nil when it has none.
    ///
    /// - Throws: ``AudioError`` (`readTags`) when TagLib cannot read the file at all.
    public static func read(path: String) throws(AudioError) -> EmbeddedPicture? {
        var picture = aidj_picture()
        let found = lock.withLock { aidj_embedded_picture(path, &picture) }
        defer { aidj_picture_free(&picture) }
        switch found {
        case 1:
            let data = Data(bytes: picture.data, count: picture.size)
            let tagged = withUnsafeBytes(of: picture.mime) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }.trimmingCharacters(in: .whitespaces).lowercased()
            return EmbeddedPicture(data: data, mimeType: mimeType(tagged: tagged, data: data))
        case 0:
            return nil
        default:
            throw AudioError(.readTags, path: path, reason: "TagLib cannot read this file")
        }
    }

    /// Whether the file has an embedded picture (false also when TagLib cannot read it).
    public static func exists(path: String) -> Bool {
        lock.withLock { aidj_embedded_picture(path, nil) } == 1
    }

    /// The tag's type when it is an image type, else the type the bytes show.
    static func mimeType(tagged: String, data: Data) -> String {
        if tagged.hasPrefix("image/") && tagged != "image/jpg" { return tagged }
        if tagged == "image/jpg" || tagged == "jpg" || tagged == "jpeg" { return "image/jpeg" }
        if tagged == "png" { return "image/png" }
        let head = [UInt8](data.prefix(12))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("BM".utf8)) { return "image/bmp" }
        return "application/octet-stream"
    }
}
