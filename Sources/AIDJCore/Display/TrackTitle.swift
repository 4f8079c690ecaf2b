import Foundation

/// How a track is named wherever a person reads it (listings, reasons, tracklists, cue sheets).
public enum TrackTitle {
    /// "Artist – Title"; the title alone without an artist; the file name without a title.
    ///
    /// - Parameters:
    ///   - artist: the artist tag, if any.
    ///   - title: the title tag, if any.
    ///   - path: the file, whose name stands in for a missing title.
    ///   - separator: between artist and title; extended M3U playlists use " - ".
    public static func display(artist: String?, title: String?, path: String, separator: String = " – ") -> String {
        if let title, !title.isEmpty {
            if let artist, !artist.isEmpty { return artist + separator + title }
            return title
        }
        return (path as NSString).lastPathComponent
    }

    /// The artist as diversity rules compare it: the tag, lower-cased; nil (a distinct artist) without one.
    public static func artistKey(_ artist: String?) -> String? {
        guard let artist, !artist.isEmpty else { return nil }
        return artist.lowercased()
    }
}
