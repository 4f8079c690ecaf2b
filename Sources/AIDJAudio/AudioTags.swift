import CSndFile

/// The descriptive tags of a track. Empty strings are stored as nil.
public struct AudioTags: Sendable, Equatable, Codable {
    public var title: String?
    public var artist: String?
    public var album: String?
    public var genre: String?
    public var year: Int?
    public var trackNumber: Int?
    /// Whether the file carries a picture (cover art) in its tags; nil when not looked at.
    public var hasEmbeddedPicture: Bool?

    public init(
        title: String? = nil, artist: String? = nil, album: String? = nil, genre: String? = nil,
        year: Int? = nil, trackNumber: Int? = nil, hasEmbeddedPicture: Bool? = nil
    ) {
        self.title = title
        self.artist = artist
        self.album = album
        self.genre = genre
        self.year = year
        self.trackNumber = trackNumber
        self.hasEmbeddedPicture = hasEmbeddedPicture
    }

    /// Fills every field that is nil here from `other`.
    public func filling(from other: AudioTags) -> AudioTags {
        AudioTags(
            title: title ?? other.title, artist: artist ?? other.artist, album: album ?? other.album,
            genre: genre ?? other.genre, year: year ?? other.year, trackNumber: trackNumber ?? other.trackNumber,
            hasEmbeddedPicture: hasEmbeddedPicture ?? other.hasEmbeddedPicture)
    }

    var sndfileStrings: [(Int32, String)] {
        var strings: [(Int32, String)] = []
        if let title { strings.append((Int32(SF_STR_TITLE), title)) }
        if let artist { strings.append((Int32(SF_STR_ARTIST), artist)) }
        if let album { strings.append((Int32(SF_STR_ALBUM), album)) }
        if let genre { strings.append((Int32(SF_STR_GENRE), genre)) }
        if let year { strings.append((Int32(SF_STR_DATE), String(year))) }
        if let trackNumber { strings.append((Int32(SF_STR_TRACKNUMBER), String(trackNumber))) }
        return strings
    }
}
