import AIDJAudio
import AIDJCore
import AIDJSynth
import AIDJTestSupport
import Testing

@testable import AIDJAnalysis

@Suite("Key estimation")
struct KeyEstimatorTests {
    @Test("exact key on ≥ 90 % of progressions in all 24 keys (harmonic timbres, drums, intros)")
    func allKeys() throws {
        let analyzer = TrackAnalyzer()
        var wrong: [String] = []
        for (i, key) in MusicalKey.all.enumerated() {
            let style = GrooveStyle.allCases[i % GrooveStyle.allCases.count]
            let spec = SongSpec(
                style: style, bpm: style.typicalBPM, keyTonic: key.tonic, keyIsMinor: key.mode == .minor,
                introBars: 2, bodyBars: 8, outroBars: 2, seed: UInt64(200 + i))
            let estimate = try analyzer.analyze(SongGenerator.render(spec).audio).key
            if estimate != key { wrong.append("\(key) (\(style.rawValue)) → \(estimate.text)") }
        }
        #expect(wrong.count <= 2, "wrong: \(wrong)")
    }

    static func profiles(_ treble: [Double], bass: [Double]? = nil, tonalFrames: Double = 1000) -> KeyProfiles {
        let bass = bass ?? treble
        return KeyProfiles(
            treble: KeyProfiles.normalized(treble), bass: KeyProfiles.normalized(bass), tonalFrames: tonalFrames)
    }

    @Test("silence, flat profiles and too little tonal sound give no key")
    func flat() {
        let zeros = [Double](repeating: 0, count: 12), ones = [Double](repeating: 1, count: 12)
        #expect(KeyEstimator().estimate(Self.profiles(zeros)) == nil)
        #expect(KeyEstimator().estimate(Self.profiles(ones)) == nil)
        var triad = zeros
        triad[0] = 1
        triad[4] = 0.8
        triad[7] = 0.9
        #expect(KeyEstimator().estimate(Self.profiles(triad, tonalFrames: 5)) == nil, "a fraction of a second")
        #expect(KeyEstimator().estimate(Self.profiles(triad)) != nil)
    }

    @Test("a short piece whose sound is tonal throughout gets a key from less weight; sparse tonal weight does not")
    func shortPieces() {
        var triad = [Double](repeating: 0.05, count: 12)
        triad[0] = 1
        triad[4] = 0.8
        triad[7] = 0.9
        func estimate(weight: Double, seconds: Double) -> KeyEstimator.Estimate? {
            KeyEstimator().estimate(
                KeyProfiles(
                    treble: KeyProfiles.normalized(triad), bass: KeyProfiles.normalized(triad), tonalFrames: weight,
                    soundingSeconds: seconds))
        }
        // A 25 s choir chorale: 20 in all, 0.8 per second.
        #expect(estimate(weight: 20, seconds: 25)?.key == MusicalKey(tonic: 0, mode: .major))
        // The same weight spread over 3 minutes (a drum kit's 0.1 per second), or too little in all: no key.
        #expect(estimate(weight: 20, seconds: 180) == nil)
        #expect(estimate(weight: 10, seconds: 5) == nil)
        #expect(estimate(weight: 20, seconds: 0) == nil, "duration unknown: the whole-track minimum holds")
        #expect(estimate(weight: 40, seconds: 600) != nil)
    }

    @Test("white noise, 30 s and 3 minutes, has no key")
    func noise() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        for seconds in [30, 180] {
            let samples = (0..<(seconds * 22_050)).map { _ in 0.3 * uniform() }
            let analysis = try TrackAnalyzer().analyze(AudioBuffer(channels: [samples], sampleRate: 22_050))
            #expect(
                analysis.key == nil && analysis.keyConfidence == 0,
                "\(seconds) s: \(analysis.key.text) at \(analysis.keyConfidence)")
            // Neither major nor minor in the feature vector.
            #expect(analysis.featureVector[FeatureLayout.names.firstIndex(of: "key_major")!] == 0.5)
        }
    }

    @Test("transposing the profiles by k semitones transposes the key by k, with the same confidence")
    func transpositionEquivariance() throws {
        // An arbitrary, asymmetric profile pair (not a key template).
        let treble = [0.9, 0.1, 0.5, 0.2, 0.7, 0.4, 0.1, 0.8, 0.2, 0.45, 0.15, 0.3]
        let bass = [1.0, 0.0, 0.1, 0.0, 0.2, 0.3, 0.0, 0.6, 0.0, 0.2, 0.0, 0.1]
        let base = try #require(KeyEstimator().estimate(Self.profiles(treble, bass: bass)))
        for k in 1..<12 {
            let shift = { (p: [Double]) in (0..<12).map { p[($0 - k + 12) % 12] } }
            let moved = try #require(KeyEstimator().estimate(Self.profiles(shift(treble), bass: shift(bass))))
            #expect(moved.key == MusicalKey(tonic: (base.key.tonic + k) % 12, mode: base.key.mode), "shift \(k)")
            #expect(abs(moved.confidence - base.confidence) < 1e-9)
        }
        #expect(abs(base.scores.reduce(0, +) - 1) < 1e-9, "probabilities over the 24 keys sum to 1")
    }

    @Test("a tonic triad with its bass root on the tonic reads as that key, not as its dominant or subdominant")
    func tonicOverFifths() throws {
        // Tonic, third and fifth in the treble, the tonic and fifth in the bass: G major.
        var treble = [Double](repeating: 0.02, count: 12), bass = [Double](repeating: 0, count: 12)
        for (p, v) in [(7, 1.0), (11, 0.7), (2, 0.8), (9, 0.3), (0, 0.3), (6, 0.25), (4, 0.3)] { treble[p] = v }
        bass[7] = 1
        bass[2] = 0.4
        let estimate = try #require(KeyEstimator().estimate(Self.profiles(treble, bass: bass)))
        #expect(estimate.key == MusicalKey(tonic: 7, mode: .major), "\(estimate.key)")
    }

    @Test("a track that ends is read with its final chord: the cadence tells a key from its relative")
    func endingDecides() throws {
        // The white keys, with A and C equally strong in treble and bass over the whole track: C major or A minor.
        var whole = [Double](repeating: 0.01, count: 12)
        for p in [0, 2, 4, 5, 7, 9, 11] { whole[p] = 0.6 }
        whole[0] = 1
        whole[9] = 1
        let minorChord = Self.chord([9, 0, 4]), majorChord = Self.chord([0, 4, 7])
        func estimate(ending: [Double]?, bassRoot: Int) throws -> MusicalKey {
            var bass = [Double](repeating: 0.01, count: 12)
            bass[bassRoot] = 1
            let p = KeyProfiles(
                treble: KeyProfiles.normalized(whole), bass: KeyProfiles.normalized(whole), tonalFrames: 1000,
                endingTreble: ending.map(KeyProfiles.normalized),
                endingBass: ending.map { _ in KeyProfiles.normalized(bass) })
            return try #require(KeyEstimator().estimate(p)).key
        }
        #expect(try estimate(ending: minorChord, bassRoot: 9) == MusicalKey(tonic: 9, mode: .minor))
        #expect(try estimate(ending: majorChord, bassRoot: 0) == MusicalKey(tonic: 0, mode: .major))
        let p = KeyProfiles(
            treble: KeyProfiles.normalized(whole), bass: KeyProfiles.normalized(whole), tonalFrames: 1000)
        #expect(!p.hasEnding, "without ending profiles the whole-track model reads it")
    }

    /// A triad's treble profile: its three pitch classes strong, the rest near silent.
    static func chord(_ pitchClasses: [Int]) -> [Double] {
        var p = [Double](repeating: 0.01, count: 12)
        for (i, pc) in pitchClasses.enumerated() { p[pc] = 1 - 0.1 * Double(i) }
        return p
    }
}
