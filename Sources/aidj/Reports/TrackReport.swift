import AIDJAnalysis
import AIDJCore
import AIDJIngest
import AIDJStore
import Foundation

/// One track as the CLI shows it and as `--json` promises it (other tools build on these key names).
struct TrackReport: Encodable, Sendable {
    var id: Int64?
    var path: String
    var status: String
    var error: String?
    var format: String?
    var sampleRate: Int?
    var channels: Int?
    var durationS: Double?
    var title: String?
    var artist: String?
    var album: String?
    var genre: String?
    var year: Int?
    var trackNumber: Int?
    var bpm: Double?
    var bpmConfidence: Double?
    var bpmAlternates: [TempoAlternate]?
    var key: String?
    var keyTonic: Int?
    var keyMode: String?
    var keyConfidence: Double?
    var camelot: String?
    var loudnessLufs: Double?
    var loudnessRangeLu: Double?
    var truePeakDbtp: Double?
    var replayGainDb: Double?
    var energy: Double?
    var valence: Double?
    var danceability: Double?
    var firstSoundS: Double?
    var introEndS: Double?
    var outroStartS: Double?
    var lastSoundS: Double?
    /// Only in full reports (`show`, `analyze`): the stretches at one tempo (one when the tempo holds).
    var tempoSections: [TempoSection]?
    /// Only in full reports: the arrangement's sections (intro, build, main, breakdown, outro).
    var sections: [Section]?
    /// Only in full reports (`show`, `analyze`).
    var beats: [Double]?
    var downbeats: [Double]?
    var phraseStarts: [Double]?
    /// Genre probabilities stored by `aidj classify` (model name → label → probability); only in `show`.
    var predictedGenres: [String: [String: Double]]?

    enum CodingKeys: String, CodingKey {
        case id, path, status, error, format, sampleRate = "sample_rate", channels, durationS = "duration_s", title,
            artist, album, genre, year, trackNumber = "track_number", bpm, bpmConfidence = "bpm_confidence",
            bpmAlternates = "bpm_alternates", key, keyTonic = "key_tonic", keyMode = "key_mode",
            keyConfidence = "key_confidence", camelot, loudnessLufs = "loudness_lufs",
            loudnessRangeLu = "loudness_range_lu", truePeakDbtp = "true_peak_dbtp", replayGainDb = "replay_gain_db",
            energy, valence, danceability, firstSoundS = "first_sound_s", introEndS = "intro_end_s",
            outroStartS = "outro_start_s", lastSoundS = "last_sound_s", tempoSections = "tempo_sections", sections,
            beats,
            downbeats,
            phraseStarts = "phrase_starts", predictedGenres = "predicted_genres"
    }

    /// Every promised key is present; absent values are `null` (beats only in full reports).
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let id { try c.encode(id, forKey: .id) }
        try c.encode(path, forKey: .path)
        try c.encode(status, forKey: .status)
        try c.encode(error, forKey: .error)
        try c.encode(format, forKey: .format)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(channels, forKey: .channels)
        try c.encode(durationS, forKey: .durationS)
        try c.encode(title, forKey: .title)
        try c.encode(artist, forKey: .artist)
        try c.encode(album, forKey: .album)
        try c.encode(genre, forKey: .genre)
        try c.encode(year, forKey: .year)
        try c.encode(trackNumber, forKey: .trackNumber)
        try c.encode(bpm, forKey: .bpm)
        try c.encode(bpmConfidence, forKey: .bpmConfidence)
        try c.encode(bpmAlternates, forKey: .bpmAlternates)
        try c.encode(key, forKey: .key)
        try c.encode(keyTonic, forKey: .keyTonic)
        try c.encode(keyMode, forKey: .keyMode)
        try c.encode(keyConfidence, forKey: .keyConfidence)
        try c.encode(camelot, forKey: .camelot)
        try c.encode(loudnessLufs, forKey: .loudnessLufs)
        try c.encode(loudnessRangeLu, forKey: .loudnessRangeLu)
        try c.encode(truePeakDbtp, forKey: .truePeakDbtp)
        try c.encode(replayGainDb, forKey: .replayGainDb)
        try c.encode(energy, forKey: .energy)
        try c.encode(valence, forKey: .valence)
        try c.encode(danceability, forKey: .danceability)
        try c.encode(firstSoundS, forKey: .firstSoundS)
        try c.encode(introEndS, forKey: .introEndS)
        try c.encode(outroStartS, forKey: .outroStartS)
        try c.encode(lastSoundS, forKey: .lastSoundS)
        if let tempoSections { try c.encode(tempoSections, forKey: .tempoSections) }
        if let sections { try c.encode(sections, forKey: .sections) }
        if let beats { try c.encode(beats, forKey: .beats) }
        if let downbeats { try c.encode(downbeats, forKey: .downbeats) }
        if let phraseStarts { try c.encode(phraseStarts, forKey: .phraseStarts) }
        if let predictedGenres { try c.encode(predictedGenres, forKey: .predictedGenres) }
    }
}

extension TrackReport {
    /// Another tempo reading, as the JSON shows it.
    struct TempoAlternate: Encodable, Sendable {
        var bpm: Double
        var relation: TempoRelation
        var score: Double
    }

    /// A stretch of the track at one tempo, as the JSON shows it.
    struct TempoSection: Encodable, Sendable {
        var startS: Double
        var bpm: Double
        var steady: Bool
        enum CodingKeys: String, CodingKey { case startS = "start_s", bpm, steady }
    }

    /// A section of the arrangement, as the JSON shows it.
    struct Section: Encodable, Sendable {
        var startS: Double
        var endS: Double
        var label: String
        var levelDb: Double
        var hasBeat: Bool
        enum CodingKeys: String, CodingKey {
            case startS = "start_s", endS = "end_s", label, levelDb = "level_db", hasBeat = "has_beat"
        }
    }

    /// From stored rows; `beats` (and `tempoSections`, `sections`) given for a full report.
    init(
        track: TrackRecord, features: FeatureRecord?, tempoAlternates: [TempoAlternateRecord] = [],
        tempoSections: [TempoSectionRecord]? = nil, sections: [TrackSectionRecord]? = nil,
        beats: [BeatRecord]? = nil
    ) {
        id = track.id
        path = track.path
        status = track.status.rawValue
        error = track.error
        format = track.format
        sampleRate = track.sampleRate
        channels = track.channels
        durationS = track.durationS.map(Self.round3)
        title = track.title
        artist = track.artist
        album = track.album
        genre = track.genre
        year = track.year
        trackNumber = track.trackNumber
        if let f = features {
            bpm = f.bpm
            bpmConfidence = Self.round3(f.bpmConfidence)
            bpmAlternates = tempoAlternates.map { TempoAlternate(bpm: $0.bpm, relation: $0.relation, score: $0.score) }
            let musicalKey = f.key
            key = musicalKey?.description
            keyTonic = f.keyTonic
            keyMode = f.keyMode?.rawValue
            keyConfidence = Self.round3(f.keyConfidence)
            camelot = musicalKey?.camelot
            loudnessLufs = f.loudnessLufs.map(Self.round2)
            loudnessRangeLu = Self.round2(f.loudnessRangeLu)
            truePeakDbtp = f.truePeakDbtp.map(Self.round2)
            replayGainDb = f.replayGainDb.map(Self.round2)
            energy = Self.round3(f.energy)
            valence = Self.round3(f.valence)
            danceability = Self.round3(f.danceability)
            firstSoundS = Self.round3(f.firstSoundS)
            introEndS = Self.round3(f.introEndS)
            outroStartS = Self.round3(f.outroStartS)
            lastSoundS = Self.round3(f.lastSoundS)
        }
        self.tempoSections = tempoSections?.map {
            TempoSection(startS: Self.round3($0.startS), bpm: Self.round2($0.bpm), steady: $0.steady)
        }
        self.sections = sections?.map {
            Section(
                startS: Self.round3($0.startS), endS: Self.round3($0.endS), label: $0.label,
                levelDb: Self.round2($0.levelDb), hasBeat: $0.hasBeat)
        }
        if let beats {
            self.beats = beats.map { Self.round3($0.timeS) }
            downbeats = beats.filter { $0.barPosition == 1 }.map { Self.round3($0.timeS) }
            phraseStarts = beats.filter(\.phraseStart).map { Self.round3($0.timeS) }
        }
    }

    /// From a fresh analysis of a file (nothing stored).
    init(path: String, analysis a: TrackAnalysis) {
        let records = AnalysisRecords(
            analysis: a, file: FileFacts(path: path, sizeBytes: 0, modificationNanoseconds: 0, contentHash: ""))
        self.init(
            track: records.track, features: records.features, tempoAlternates: records.tempoAlternates,
            tempoSections: records.tempoSections, sections: records.sections, beats: records.beats)
    }

    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
