public import AIDJCore
public import Foundation
public import GRDB

/// A row of `features`: what queries filter and sort on, plus the full feature vector.
public struct FeatureRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "features"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var trackId: Int64
    public var bpm: Double
    public var bpmConfidence: Double
    /// The key's tonic (0 = C) and mode, both nil where the track has no key.
    public var keyTonic: Int?
    public var keyMode: MusicalKey.Mode?
    /// 0 without a key.
    public var keyConfidence: Double
    public var loudnessLufs: Double?
    public var loudnessRangeLu: Double
    public var truePeakDbtp: Double?
    public var replayGainDb: Double?
    public var energy: Double
    public var valence: Double
    public var danceability: Double
    public var firstSoundS: Double
    public var introEndS: Double
    public var outroStartS: Double
    public var lastSoundS: Double
    public var vectorVersion: Int
    /// Little-endian Float32 values.
    public var vector: Data

    public init(
        trackId: Int64, bpm: Double, bpmConfidence: Double, key: MusicalKey?, keyConfidence: Double,
        loudnessLufs: Double?, loudnessRangeLu: Double, truePeakDbtp: Double?,
        replayGainDb: Double?, energy: Double, valence: Double, danceability: Double, firstSoundS: Double,
        introEndS: Double, outroStartS: Double, lastSoundS: Double, vectorVersion: Int, vector: [Float]
    ) {
        self.trackId = trackId
        self.bpm = bpm
        self.bpmConfidence = bpmConfidence
        self.keyTonic = key?.tonic
        self.keyMode = key?.mode
        self.keyConfidence = keyConfidence
        self.loudnessLufs = loudnessLufs
        self.loudnessRangeLu = loudnessRangeLu
        self.truePeakDbtp = truePeakDbtp
        self.replayGainDb = replayGainDb
        self.energy = energy
        self.valence = valence
        self.danceability = danceability
        self.firstSoundS = firstSoundS
        self.introEndS = introEndS
        self.outroStartS = outroStartS
        self.lastSoundS = lastSoundS
        self.vectorVersion = vectorVersion
        self.vector = FeatureRecord.encode(vector)
    }

    /// Decoded by column name, not through Codable (see ``TrackRecord/init(row:)``).
    public init(row: Row) throws {
        trackId = row["track_id"]
        bpm = row["bpm"]
        bpmConfidence = row["bpm_confidence"]
        keyTonic = row["key_tonic"]
        let mode: String? = row["key_mode"]
        switch (keyTonic, mode) {
        case (nil, nil):
            keyMode = nil
        case (let tonic?, let mode?):
            guard let keyMode = MusicalKey.Mode(rawValue: mode), (0..<12).contains(tonic) else {
                throw StoreError.Corrupt(table: "features", row: trackId, reason: "key \(tonic) '\(mode)'")
            }
            self.keyMode = keyMode
        default:
            throw StoreError.Corrupt(
                table: "features", row: trackId,
                reason: "key \(keyTonic.map(String.init) ?? "NULL") '\(mode ?? "NULL")'")
        }
        keyConfidence = row["key_confidence"]
        loudnessLufs = row["loudness_lufs"]
        loudnessRangeLu = row["loudness_range_lu"]
        truePeakDbtp = row["true_peak_dbtp"]
        replayGainDb = row["replay_gain_db"]
        energy = row["energy"]
        valence = row["valence"]
        danceability = row["danceability"]
        firstSoundS = row["first_sound_s"]
        introEndS = row["intro_end_s"]
        outroStartS = row["outro_start_s"]
        lastSoundS = row["last_sound_s"]
        vectorVersion = row["vector_version"]
        vector = row["vector"]
    }

    /// The key the analysis found, nil where the track has none.
    public var key: MusicalKey? {
        guard let keyTonic, let keyMode else { return nil }
        return MusicalKey(tonic: keyTonic, mode: keyMode)
    }

    /// The feature vector as Float values.
    public var values: [Float] { Self.decode(vector) }

    /// A feature vector as stored: little-endian Float32 values, end to end.
    public static func encode(_ values: [Float]) -> Data {
        var data = Data(count: values.count * 4)
        data.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        return data
    }

    /// The Float values of a stored vector (see ``encode(_:)``); a trailing partial value is ignored.
    public static func decode(_ data: Data) -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }
}

/// A row of `beats`.
public struct BeatRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "beats"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var trackId: Int64
    public var beatIndex: Int
    public var timeS: Double
    /// 1 (downbeat) … 4.
    public var barPosition: Int
    public var phraseStart: Bool

    public init(trackId: Int64, beatIndex: Int, timeS: Double, barPosition: Int, phraseStart: Bool) {
        self.trackId = trackId
        self.beatIndex = beatIndex
        self.timeS = timeS
        self.barPosition = barPosition
        self.phraseStart = phraseStart
    }
}
