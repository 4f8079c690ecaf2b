import AIDJAnalysis
import AIDJSynth
import AIDJTestSupport
import Testing

@Suite("Key estimation")
struct KeyEstimatorTests {
    @Test("exact key on ≥ 90 % of progressions in all 24 keys (harmonic timbres, drums, intros)")
    func allKeys() {
        let analyzer = TrackAnalyzer()
        var wrong: [String] = []
        for (i, key) in MusicalKey.all.enumerated() {
            let style = GrooveStyle.allCases[i % GrooveStyle.allCases.count]
            let spec = SongSpec(
                style: style, bpm: style.typicalBPM, keyTonic: key.tonic, keyIsMinor: key.mode == .minor,
                introBars: 2, bodyBars: 8, outroBars: 2, seed: UInt64(200 + i))
            let estimate = analyzer.analyze(SongGenerator.render(spec).audio).key
            if estimate != key { wrong.append("\(key) (\(style.rawValue)) → \(estimate)") }
        }
        #expect(wrong.count <= 2, "wrong: \(wrong)")
    }

    @Test("silence and flat profiles give no key")
    func flat() {
        #expect(KeyEstimator().estimate(chroma: [Double](repeating: 0, count: 12), bassChroma: nil) == nil)
        #expect(KeyEstimator().estimate(chroma: [Double](repeating: 1, count: 12), bassChroma: nil) == nil)
    }

    @Test("a profile shaped like a key's gives that key with high confidence")
    func profileShaped() throws {
        let profile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]  // C minor
        let rotated = (0..<12).map { profile[($0 - 9 + 12) % 12] }  // A minor
        let estimate = try #require(KeyEstimator().estimate(chroma: rotated, bassChroma: nil))
        #expect(estimate.key == MusicalKey(tonic: 9, mode: .minor))
        #expect(estimate.confidence > 0.5)
    }
}

@Suite("Musical keys and the Camelot wheel")
struct MusicalKeyTests {
    @Test(
        "Camelot codes",
        arguments: [
            ("A minor", "8A"), ("C major", "8B"), ("E minor", "9A"), ("G major", "9B"), ("B major", "1B"),
            ("Ab minor", "1A"), ("F major", "7B"), ("D minor", "7A"), ("F# major", "2B"), ("C# minor", "12A"),
        ])
    func camelot(name: String, code: String) throws {
        let key = try #require(MusicalKey(parsing: name))
        #expect(key.camelot == code)
        #expect(key.description == name)
        #expect(MusicalKey(parsing: code) == key)
    }

    @Test("parsing accepts common spellings and rejects nonsense")
    func parsing() {
        #expect(MusicalKey(parsing: "Am") == MusicalKey(tonic: 9, mode: .minor))
        #expect(MusicalKey(parsing: "bbm") == MusicalKey(tonic: 10, mode: .minor))
        #expect(MusicalKey(parsing: "C#") == MusicalKey(tonic: 1, mode: .major))
        #expect(MusicalKey(parsing: "H minor") == nil)
        #expect(MusicalKey(parsing: "13A") == nil)
        #expect(MusicalKey(parsing: "") == nil)
    }

    @Test("Camelot distance: same 0; fifth or relative 1; tritone far")
    func distance() throws {
        let am = try #require(MusicalKey(parsing: "8A"))
        #expect(am.camelotDistance(to: am) == 0)
        #expect(am.camelotDistance(to: try #require(MusicalKey(parsing: "8B"))) == 1)
        #expect(am.camelotDistance(to: try #require(MusicalKey(parsing: "9A"))) == 1)
        #expect(am.camelotDistance(to: try #require(MusicalKey(parsing: "7A"))) == 1)
        #expect(am.camelotDistance(to: try #require(MusicalKey(parsing: "2A"))) == 6)
    }
}
