import AIDJCore
import Testing

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
