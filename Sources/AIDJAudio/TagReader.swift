import CSndFile
import CTagLib
import Foundation

/// Reads a file's tags with TagLib, falling back to what libsndfile sees (TagLib does not read the RIFF INFO
/// chunk libsndfile writes into WAV files).
public enum TagReader {
    /// TagLib's C API keeps returned strings in one global list unless management is disabled; it is disabled once
    /// here and every string freed with `taglib_free`. TagLib is still entered by one thread at a time.
    private static let lock: NSLock = {
        taglib_set_string_management_enabled(0)
        return NSLock()
    }()

    /// Tags of the file at `path`, and whether it embeds a picture; fields TagLib does not find are taken from
    /// `reader` when given.
    public static func tags(path: String, reader: AudioFileReader? = nil) -> AudioTags {
        var fromTagLib = lock.withLock { tagLibTags(path: path) }
        fromTagLib.hasEmbeddedPicture = EmbeddedPicture.exists(path: path)
        guard let reader else { return fromTagLib }
        return fromTagLib.filling(from: reader.metadataTags)
    }

    private static func tagLibTags(path: String) -> AudioTags {
        guard let file = taglib_file_new(path) else { return AudioTags() }
        defer { taglib_file_free(file) }
        guard taglib_file_is_valid(file) != 0, let tag = taglib_file_tag(file) else { return AudioTags() }
        func string(_ get: (UnsafePointer<TagLib_Tag>?) -> UnsafeMutablePointer<CChar>?) -> String? {
            guard let pointer = get(tag) else { return nil }
            defer { taglib_free(pointer) }
            let value = String(cString: pointer).trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        let year = Int(taglib_tag_year(tag))
        let track = Int(taglib_tag_track(tag))
        return AudioTags(
            title: string(taglib_tag_title), artist: string(taglib_tag_artist), album: string(taglib_tag_album),
            genre: string(taglib_tag_genre), year: year > 0 ? year : nil, trackNumber: track > 0 ? track : nil)
    }
}

extension AudioFileReader {
    /// The tags libsndfile reads from the file's own metadata chunks.
    public var metadataTags: AudioTags {
        AudioTags(
            title: metadataString(Int32(SF_STR_TITLE)),
            artist: metadataString(Int32(SF_STR_ARTIST)),
            album: metadataString(Int32(SF_STR_ALBUM)),
            genre: metadataString(Int32(SF_STR_GENRE)),
            year: metadataString(Int32(SF_STR_DATE)).flatMap { Int($0.prefix(4)) },
            trackNumber: metadataString(Int32(SF_STR_TRACKNUMBER)).flatMap { Int($0.split(separator: "/").first ?? "") }
        )
    }
}
