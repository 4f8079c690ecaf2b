import Foundation

/// Matches "artist – title" pairs from histories to library tracks by a normalized key: case and diacritics
/// folded, "feat."/"ft." credits and remaster/remix-version suffixes dropped, punctuation removed.
public struct TrackMatcher: Sendable {
    private var byKey: [String: Int64] = [:]

    /// - Parameter tracks: (id, artist, title, path); tags first, else "Artist - Title" from the file name.
    public init(tracks: [(id: Int64, artist: String?, title: String?, path: String)]) {
        for track in tracks {
            var artist = track.artist, title = track.title
            if artist == nil || title == nil {
                let name = ((track.path as NSString).lastPathComponent as NSString).deletingPathExtension
                let parts = name.components(separatedBy: " - ")
                if parts.count >= 2 {
                    artist = artist ?? parts[parts.count - 2]
                    title = title ?? parts[parts.count - 1]
                }
            }
            guard let artist, let title else { continue }
            byKey[Self.key(artist: artist, title: title)] = track.id
        }
    }

    /// The library track with this artist and title, compared without case, accents, credits or edition notes.
    public func match(artist: String, title: String) -> Int64? {
        byKey[Self.key(artist: artist, title: title)]
    }

    static func key(artist: String, title: String) -> String {
        normalize(artist) + "\u{1F}" + normalize(title)
    }

    /// Case- and accent-folded, credits ("feat. X") and edition notes ("Remastered 2011") dropped, punctuation
    /// to single spaces.
    static func normalize(_ text: String) -> String {
        var s = text.folding(
            options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        // "Song (feat. X)", "Song [Remastered 2011]", "Song - 2011 Remaster", "Artist feat. X"
        for pattern in [
            #"\s*[\(\[][^\)\]]*(feat\.?|ft\.?|featuring|remaster(ed)?|version|mono|stereo)[^\)\]]*[\)\]]"#,
            #"\s+-\s+[^-]*(remaster(ed)?|version|mono|stereo)[^-]*$"#,
            #"\s+(feat\.?|ft\.?|featuring)\s+.*$"#,
        ] {
            s = s.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        s = s.replacingOccurrences(of: "&", with: " and ")
        let kept = s.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
        return String(kept).split(separator: " ").joined(separator: " ")
    }
}
