import AIDJCore
import Testing

@Suite("Track titles")
struct TrackTitleTests {
    @Test(
        "Artist – Title; the title alone; the file name without a title",
        arguments: [
            ("Nina", "Song", "/m/a.flac", "Nina – Song"),
            (nil, "Song", "/m/a.flac", "Song"),
            ("", "Song", "/m/a.flac", "Song"),
            ("Nina", nil, "/m/dir/track 01.flac", "track 01.flac"),
            ("Nina", "", "/m/b.wav", "b.wav"),
        ] as [(String?, String?, String, String)])
    func display(artist: String?, title: String?, path: String, expected: String) {
        #expect(TrackTitle.display(artist: artist, title: title, path: path) == expected)
    }

    @Test("artists compare without case; no artist is nobody's")
    func artistKey() {
        #expect(TrackTitle.artistKey("Nina Simone") == TrackTitle.artistKey("nina simone"))
        #expect(TrackTitle.artistKey("") == nil && TrackTitle.artistKey(nil) == nil)
    }
}
