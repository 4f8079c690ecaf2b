import AIDJAudio
import AIDJTestSupport
import Testing

@Suite("Tag reading")
struct TagReaderTests {
    let tags = AudioTags(
        title: "Über Café", artist: "Zoë & the Ümlauts", album: "Ñandú", genre: "House", year: 2024, trackNumber: 3)

    @Test("tags written into the file come back", arguments: [AudioFormat.flac16, .oggVorbis, .wav16, .aiff16])
    func roundTrip(format: AudioFormat) throws {
        let folder = TemporaryDirectory()
        let path = folder.file("tagged.\(format.fileExtension)")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.2), to: path, format: format, tags: tags)
        let reader = try AudioFileReader(path: path)
        let read = TagReader.tags(path: path, reader: reader)
        #expect(read.title == tags.title)
        #expect(read.artist == tags.artist)
        if format != .aiff16 {  // libsndfile writes only name and author chunks into AIFF
            #expect(read.album == tags.album)
            #expect(read.genre == tags.genre)
        }
    }

    @Test("a file without tags gives empty tags")
    func untagged() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("plain.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.2), to: path, format: .flac16)
        #expect(
            TagReader.tags(path: path, reader: try AudioFileReader(path: path))
                == AudioTags(hasEmbeddedPicture: false))
    }
}
