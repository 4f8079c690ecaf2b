public import AIDJAnalysis
import AIDJAudio
import AIDJCore
public import AIDJStore
import Foundation

extension AnalysisRecords {
    /// The rows that store `analysis` of `file`.
    public init(analysis a: TrackAnalysis, file: FileFacts) {
        var track = TrackRecord(file: file, status: .analyzed)
        track.durationS = a.durationSeconds
        track.sampleRate = a.sampleRate
        track.channels = a.channels
        track.format = a.formatDescription
        track.title = a.tags.title
        track.artist = a.tags.artist
        track.album = a.tags.album
        track.genre = a.tags.genre
        track.year = a.tags.year
        track.trackNumber = a.tags.trackNumber
        track.hasEmbeddedArt = a.tags.hasEmbeddedPicture
        track.analysisVersion = TrackAnalysis.version
        track.analyzedAt = Timestamp.now()
        let features = FeatureRecord(
            trackId: 0, bpm: a.bpm, bpmConfidence: a.bpmConfidence, key: a.key,
            keyConfidence: a.keyConfidence, loudnessLufs: a.loudness.integratedLUFS,
            loudnessRangeLu: a.loudness.rangeLU, truePeakDbtp: a.loudness.truePeakDBTP,
            replayGainDb: a.loudness.replayGainDB, energy: a.mood.energy, valence: a.mood.valence,
            danceability: a.mood.danceability, firstSoundS: a.cues.firstSound, introEndS: a.cues.introEnd,
            outroStartS: a.cues.outroStart, lastSoundS: a.cues.lastSound, vectorVersion: FeatureLayout.version,
            vector: a.featureVector)
        let phraseStarts = Set(a.beats.phraseStarts)
        let beats = a.beats.times.indices.map { i in
            BeatRecord(
                trackId: 0, beatIndex: i, timeS: a.beats.times[i], barPosition: a.beats.barPositions[i],
                phraseStart: phraseStarts.contains(i))
        }
        let alternates = a.bpmAlternates.enumerated().map { rank, alternate in
            TempoAlternateRecord(
                trackId: 0, rank: rank, bpm: alternate.bpm, relation: alternate.relation, score: alternate.score)
        }
        let sections = a.beats.sections.enumerated().map { index, section in
            TempoSectionRecord(
                trackId: 0, sectionIndex: index, startS: max(0, section.start), bpm: section.bpm,
                steady: section.isSteady)
        }
        let structure = a.structure.enumerated().map { index, section in
            TrackSectionRecord(
                trackId: 0, sectionIndex: index, startS: max(0, section.start), endS: section.end,
                label: section.label.rawValue, levelDb: section.levelDB, hasBeat: section.hasBeat)
        }
        self.init(
            track: track, features: features, tempoAlternates: alternates, tempoSections: sections,
            sections: structure, beats: beats)
    }
}
