public import AIDJAudio
public import AIDJCore

/// Everything the analysis learns about one audio file. A plain value: stored by the library, shown by the CLI.
public struct TrackAnalysis: Sendable {
    /// Bumped whenever an extractor changes its output, so stored tracks analysed by an older version are redone.
    /// 2: learned key model over treble/bass/ending profiles, learned metrical-level choice for the tempo, robust
    /// constant-tempo grid fit, grids extended by at most two bars beyond the tracked beats. 3: beats follow a
    /// tempo curve, tempo sections, beats moved to the start of slow attacks. 4: structure sections. 5: tracks
    /// without a pulse in their energy are tracked on energy plus tonal novelty (beats of strings, voices, organ);
    /// steady grids found on long constant-tempo records whose median beat interval was a frame off. 6: the key of
    /// a track that ends (a release into silence after music at full level) also reads its final chord. 7: meter
    /// (3 or 4 beats to the bar) and bar phase from a fitted model over per-beat cues (``DownbeatModel``); energy
    /// pulses up to a salience of 3.5 (was 3) count as weak, so organ is tracked on tonal novelty too. 8: the
    /// tempo's metrical level also weighs the periodicity of the tonal novelty, refitted on 228 more chorales and
    /// on real records labelled by madmom's tempo. 9: beats that scatter about a constant tempo without drifting
    /// (soft attacks) get its line. 10: beats on attacks that rise for 40 ms or more are tracked on tonal novelty
    /// too, whatever the salience of their pulse. 11: a short piece whose sound is tonal throughout gets a key from
    /// less tonal weight in all (choir renders of 20–28 s had none). 12: a track whose onsets do not recur at its
    /// beat period (``PulsePresence``: rain, held chords, noise) has no beat grid and no tempo. 13: the grid stops
    /// where an intro or a coda without a beat begins (``PulseSpan``). 14: beats that keep near a constant tempo's
    /// line without keeping to it are placed on the line plus their local median deviation (``BeatGrid``), so a
    /// slip to the off-beat or a dropped beat no longer stays in the grid. 15: a piece that opens out of silence on
    /// its first beat ends with the bar its opening completes; the grid no longer runs on over the final chord's
    /// ring-out (``MeterAnalyzer``). 16: the meter model also reads how cues recur at two bars' lag, refitted
    /// (``DownbeatModel``). 17: a grid whose percussive onsets fall half a beat after its beats rather than on them
    /// moves to the off-beat (``BeatPhase``): house on its kick, not its off-beat bass and hats. 18: a grid over a
    /// short span must also beat the contrast that chance gives so few frames (``PulsePresence``), so 20 s of
    /// white noise gets none. 19: the meter model reads chords and bass notes where the chroma holds them, 139 ms
    /// after they start (``FrameFeatures/chromaLatency``), refitted (``DownbeatModel``). 20: the meter model's
    /// weights for where the music opens are one set for 3/4 and 4/4, refitted (``DownbeatModel``). 21: a short
    /// grid under that chance level keeps its beats where they keep a steady tempo and the tonal novelty has
    /// events (``PulsePresence``): short sung chorales get their grid back, noise and pads still none. 22: the
    /// metrical level reads the tonal novelty only where the track sounds (`TrackAnalyzer.soundingTonalNovelty`),
    /// so a lossy codec's noise in a ring-out no longer doubles slow chorales (the level model keeps its weights).
    /// 23: beats tracked half a beat off the grid's line count towards a steady tempo (``BeatGrid``), so a track
    /// followed on the off-beat in long stretches gets one steady grid. 24: a steady grid whose contrast falls short
    /// keeps its beats where the tonal novelty's events fall on its beats and half-beats beyond chance
    /// (``PulsePresence``): soft sung and organ chorales get their grid back. 25: beats move back to where their
    /// notes begin by one frame at most (``BeatTracker/onsetShift(lag:swells:)``): swelling attacks were moved by up
    /// to four and came out early. 26: the beat-phase check also reads where the chords change (``BeatPhase``),
    /// refitted: off-beat synth bass no longer moves a record's grid off the beat. 27: the beat-phase check reads
    /// each onset envelope at the bar's strongest position on and off the beat rather than its mean (``BeatPhase``),
    /// refitted: a kick on the one and a snare on two and four hold the beat against off-beat bass.
    public static let version = 27

    // Source
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channels: Int
    public var formatDescription: String
    public var tags: AudioTags

    // Rhythm
    /// Beats per minute (from the beat grid when there is one).
    public var bpm: Double
    public var bpmConfidence: Double
    public var bpmAlternates: [TempoEstimator.Alternate]
    public var pulseClarity: Double
    /// The metrical-level candidates the tempo was chosen from (not stored; for evaluation and fitting).
    public var tempoCandidates: [TempoEstimator.Candidate]
    public var beats: BeatGrid
    /// The bar readings the meter and downbeats were chosen from (not stored; for evaluation and fitting).
    public var meterCandidates: [DownbeatModel.Candidate] = []
    /// The ``BeatPhase`` score of the tracked grid, before any move to the off-beat; nil without a grid of
    /// ``BeatPhase/minimumBeats`` (not stored; for evaluation and fitting).
    public var beatPhaseScore: Double?
    public var onsetsPerSecond: Double

    // Tonality
    /// The key, nil where the sound has too little pitch content to have one (drums, noise, speech).
    public var key: MusicalKey?
    /// The key's probability among the 24 (``KeyEstimator``); 0 without a key.
    public var keyConfidence: Double

    // Loudness
    public var loudness: LoudnessMeter.Measurement

    // Mood and cues
    public var mood: MoodEstimator.Mood
    public var cues: CueDetector.Cues
    /// The arrangement's sections (intro, build, main, breakdown, outro), tiling the track.
    public var structure: [StructureSection]

    // Timbre summaries
    public var mfccMean: [Float]
    public var mfccStd: [Float]
    public var chromaMean: [Float]
    /// The pitch-class profiles the key was read from.
    public var keyProfiles: KeyProfiles
    public var spectralMean: [Float]
    public var spectralStd: [Float]

}

extension TrackAnalysis {
    /// The feature vector in the layout of AIDJCore's `FeatureLayout` (version 1: 82 Float32 values).
    public var featureVector: [Float] {
        var v: [Float] = []
        v.reserveCapacity(FeatureLayout.names.count)
        v += mfccMean
        v += mfccStd
        v += chromaMean
        for i in SpectralStatistic.allCases.indices { v += [spectralMean[i], spectralStd[i]] }
        v += [
            bpm, bpmConfidence, pulseClarity, onsetsPerSecond, key.map { $0.mode == .major ? 1 : 0 } ?? 0.5,
            keyConfidence,
            loudness.integratedLUFS ?? -70, loudness.rangeLU, mood.energy, mood.valence, mood.danceability,
            durationSeconds, cues.introEnd - cues.firstSound, cues.lastSound - cues.outroStart,
            beats.isSteady ? 1 : 0, loudness.truePeakDBTP ?? -70,
        ].map { Float($0) }
        precondition(v.count == FeatureLayout.names.count, "feature vector layout mismatch")
        return v
    }
}
