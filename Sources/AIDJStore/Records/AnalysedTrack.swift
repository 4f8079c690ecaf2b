public import AIDJCore
import Foundation

/// An analysed track as taste, similarity and mixing read it: identity, tags, the named mood, tempo and key
/// columns, the mix cues and the feature vector.
public struct AnalysedTrack: Sendable {
    public var id: Int64
    public var path: String
    public var title: String?
    public var artist: String?
    public var genre: String?
    public var durationS: Double
    /// Beats per minute; 0 when no steady beat was found. For a track that changes tempo, its longest section's.
    public var bpm: Double
    /// The tempo of its first and last tempo sections (BPM): where it is mixed in and out. Equal to ``bpm`` for a
    /// track that keeps its tempo.
    public var openingBPM: Double
    public var closingBPM: Double
    /// nil where the track has no key (drums, noise, speech): it fits beside any key.
    public var key: MusicalKey?
    public var energy: Double
    public var valence: Double
    public var danceability: Double
    /// Integrated loudness (LUFS); nil for digital silence.
    public var loudnessLUFS: Double?
    /// The feature vector, in AIDJCore's `FeatureLayout`.
    public var vector: [Float]
    /// Mix cues from the analysis (seconds): where sound starts, the intro ends, the outro starts, sound ends.
    public var cues: Cues

    /// Mix cues from the analysis, in seconds, and the track's true peak.
    public struct Cues: Sendable, Equatable {
        public var firstSoundS: Double
        public var introEndS: Double
        public var outroStartS: Double
        public var lastSoundS: Double
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
        key: MusicalKey?, energy: Double, valence: Double, danceability: Double, loudnessLUFS: Double?,
        vector: [Float], cues: Cues = Cues()
    ) {
        self.id = id
        self.path = path
        self.title = title
        self.artist = artist
        self.genre = genre
        self.durationS = durationS
        self.bpm = bpm
        openingBPM = bpm
        closingBPM = bpm
        self.key = key
        self.energy = energy
        self.valence = valence
        self.danceability = danceability
        self.loudnessLUFS = loudnessLUFS
        self.vector = vector
        self.cues = cues
    }

    /// A track row joined with its features row.
    init(
        id: Int64, path: String, title: String?, artist: String?, genre: String?, durationS: Double,
        features f: FeatureRecord
    ) {
        self.init(
            id: id, path: path, title: title, artist: artist, genre: genre, durationS: durationS, bpm: f.bpm,
            key: f.key, energy: f.energy, valence: f.valence, danceability: f.danceability,
            loudnessLUFS: f.loudnessLufs, vector: f.values,
            cues: Cues(
                firstSoundS: f.firstSoundS, introEndS: f.introEndS, outroStartS: f.outroStartS,
                lastSoundS: f.lastSoundS, truePeakDBTP: f.truePeakDbtp))
    }

    /// "Artist – Title", or the file name.
    public var displayName: String { TrackTitle.display(artist: artist, title: title, path: path) }

    /// The artist for diversity rules (see `TrackTitle/artistKey(_:)`).
    public var artistKey: String? { TrackTitle.artistKey(artist) }
}
