import AIDJCore
import AIDJStore
import Foundation

/// The analysed tracks of the library as the taste and mix code reads them: identity, tags, the named mood and
/// tempo columns and the feature vector. Loaded once per command; only tracks analysed with the feature layout
/// this code reads are included.
public struct LibrarySnapshot: Sendable {
    public struct Track: Sendable {
        public var id: Int64
        public var path: String
        public var title: String?
        public var artist: String?
        public var genre: String?
        public var durationS: Double
        public var bpm: Double
        public var keyTonic: Int
        public var keyMode: String
        public var energy: Double
        public var valence: Double
        public var danceability: Double
        public var loudnessLUFS: Double?
        public var vector: [Float]
        /// Mix cues from the analysis (seconds): where sound starts, the intro ends, the outro starts, sound ends.
        public var cues = Cues()

        public struct Cues: Sendable, Equatable {
            public var firstSoundS = 0.0
            public var introEndS = 0.0
            public var outroStartS = 0.0
            public var lastSoundS = 0.0
            /// Maximum true peak (dBTP), nil for digital silence.
            public var truePeakDBTP: Double?
            public init(
                firstSoundS: Double = 0, introEndS: Double = 0, outroStartS: Double = 0, lastSoundS: Double = 0,
                truePeakDBTP: Double? = nil
            ) {
                self.firstSoundS = firstSoundS
                self.introEndS = introEndS
                self.outroStartS = outroStartS
                self.lastSoundS = lastSoundS
                self.truePeakDBTP = truePeakDBTP
            }
        }

        public init(
            id: Int64, path: String, title: String?, artist: String?, genre: String?, durationS: Double, bpm: Double,
            keyTonic: Int, keyMode: String, energy: Double, valence: Double, danceability: Double,
            loudnessLUFS: Double?, vector: [Float]
        ) {
            self.id = id
            self.path = path
            self.title = title
            self.artist = artist
            self.genre = genre
            self.durationS = durationS
            self.bpm = bpm
            self.keyTonic = keyTonic
            self.keyMode = keyMode
            self.energy = energy
            self.valence = valence
            self.danceability = danceability
            self.loudnessLUFS = loudnessLUFS
            self.vector = vector
        }

        /// "Artist – Title", or the file name.
        public var displayName: String { TrackTitle.display(artist: artist, title: title, path: path) }

        /// The artist for diversity rules: the tag, lower-cased; tracks without one count as distinct artists.
        public var artistKey: String? { TrackTitle.artistKey(artist) }
    }

    public var tracks: [Track]
    /// Track id → index in ``tracks``.
    public var index: [Int64: Int]

    public init(tracks: [Track]) {
        self.tracks = tracks
        index = Dictionary(uniqueKeysWithValues: tracks.enumerated().map { ($1.id, $0) })
    }

    public init(store: LibraryStore) throws {
        let tracks = try store.analysedTracks(vectorVersion: FeatureLayout.version).map { t in
            let f = t.features
            var track = Track(
                id: t.id, path: t.path, title: t.title, artist: t.artist, genre: t.genre, durationS: t.durationS,
                bpm: f.bpm, keyTonic: f.keyTonic, keyMode: f.keyMode, energy: f.energy, valence: f.valence,
                danceability: f.danceability, loudnessLUFS: f.loudnessLufs, vector: f.values)
            track.cues = Track.Cues(
                firstSoundS: f.firstSoundS, introEndS: f.introEndS, outroStartS: f.outroStartS,
                lastSoundS: f.lastSoundS,
                truePeakDBTP: f.truePeakDbtp)
            return track
        }
        self.init(tracks: tracks)
    }

    public subscript(id: Int64) -> Track? { index[id].map { tracks[$0] } }
}
