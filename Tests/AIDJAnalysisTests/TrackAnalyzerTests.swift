import AIDJAnalysis
import AIDJAudio
import AIDJCore
import AIDJSynth
import AIDJTestSupport
import Testing

@Suite("Whole-track analysis")
struct TrackAnalyzerTests {
    @Test("silence, one sample and a short blip analyse without crashing", arguments: [0.0, 1.0 / 44_100, 0.05, 3])
    func degenerate(seconds: Double) throws {
        let frames = max(1, Int(seconds * 44_100))
        let a = try TrackAnalyzer().analyze(
            AudioBuffer(channels: [[Float](repeating: 0, count: frames)], sampleRate: 44_100))
        #expect(a.bpm == 0)
        #expect(a.beats.times.isEmpty)
        #expect(a.loudness.integratedLUFS == nil)
        #expect(a.key == nil && a.keyConfidence == 0)
        #expect(a.featureVector.count == FeatureLayout.names.count)
        #expect(a.featureVector.allSatisfy { $0.isFinite })
    }

    @Test("intro and outro cues land within one bar of the arrangement's changes")
    func cues() throws {
        let spec = SongSpec(
            style: .fourOnTheFloor, bpm: 126, keyTonic: 5, keyIsMinor: true, introBars: 8, bodyBars: 16,
            outroBars: 8, seed: 11)
        let song = SongGenerator.render(spec)
        let a = try TrackAnalyzer().analyze(song.audio)
        let bar = 240 / spec.bpm
        #expect(
            abs(a.cues.introEnd - song.introEnd) <= bar + 0.01, "intro ends \(a.cues.introEnd), truth \(song.introEnd)")
        #expect(
            abs(a.cues.outroStart - song.outroStart) <= bar + 0.01,
            "outro starts \(a.cues.outroStart), truth \(song.outroStart)")
        #expect(a.cues.firstSound < 0.1)
        #expect(
            a.cues.firstSound <= a.cues.introEnd && a.cues.introEnd <= a.cues.outroStart
                && a.cues.outroStart <= a.cues.lastSound)
        // Cues sit on beats.
        for cue in [a.cues.introEnd, a.cues.outroStart] {
            #expect(a.beats.times.contains { abs($0 - cue) < 1e-6 })
        }
    }

    @Test("mood: a loud, fast, major groove has more energy and valence than a soft, slow, minor ballad")
    func moodOrdering() throws {
        var party = SongSpec(style: .fourOnTheFloor, bpm: 128, keyTonic: 7, keyIsMinor: false, bodyBars: 8, seed: 1)
        party.gain = 0.9
        var sad = SongSpec(style: .ballad, bpm: 62, keyTonic: 9, keyIsMinor: true, bodyBars: 4, seed: 2)
        sad.gain = 0.15
        let analyzer = TrackAnalyzer()
        let a = try analyzer.analyze(SongGenerator.render(party).audio).mood
        let b = try analyzer.analyze(SongGenerator.render(sad).audio).mood
        #expect(a.energy > b.energy + 0.2, "\(a) vs \(b)")
        #expect(a.valence > b.valence + 0.2, "\(a) vs \(b)")
        #expect(a.danceability > b.danceability, "\(a) vs \(b)")
    }

    @Test("analysis of a file equals analysis of the same samples in memory")
    func fileMatchesMemory() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("groove.flac")
        let song = try Fixtures.writeSong(to: path, style: .breakbeat, bpm: 100, bars: 4, format: .flac24)
        let fromFile = try TrackAnalyzer().analyze(path: path)
        let fromMemory = try TrackAnalyzer().analyze(song.audio)
        #expect(abs(fromFile.bpm - fromMemory.bpm) < 0.05)
        #expect(fromFile.key == fromMemory.key)
        #expect(abs((fromFile.loudness.integratedLUFS ?? 0) - (fromMemory.loudness.integratedLUFS ?? 0)) < 0.05)
        #expect(fromFile.formatDescription == "FLAC 24-bit")
    }
}
