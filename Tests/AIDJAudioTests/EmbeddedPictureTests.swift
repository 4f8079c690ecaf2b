import AIDJAudio
import AIDJTestSupport
import Foundation
import Testing

@Suite("Embedded cover art")
struct EmbeddedPictureTests {
    @Test("a front cover written into a FLAC picture block comes back byte for byte, after a back cover")
    func flac() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("covered.flac")
        try AudioFileWriter.write(
            Signals.sine(frequency: 440, seconds: 0.2), to: path, format: .flac16, tags: AudioTags(title: "Covered"))
        let back = EmbeddedArt.jpeg(seed: 1), front = EmbeddedArt.jpeg(seed: 2, count: 900)
        try EmbeddedArt.embedInFLAC(
            path: path,
            pictures: [(back, "image/jpeg", EmbeddedArt.backCover), (front, "image/jpeg", EmbeddedArt.frontCover)])
        #expect(try EmbeddedPicture.read(path: path) == EmbeddedPicture(data: front, mimeType: "image/jpeg"))
        // The file is still a FLAC that decodes and keeps its tags.
        let reader = try AudioFileReader(path: path)
        let tags = TagReader.tags(path: path, reader: reader)
        #expect(tags.title == "Covered" && tags.hasEmbeddedPicture == true)
    }

    @Test("an ID3v2 APIC frame in an MP3 comes back; a picture without a MIME type is typed by its bytes")
    func mp3AndSniffing() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("covered.mp3")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.5), to: path, format: .mp3)
        let picture = EmbeddedArt.jpeg(seed: 3)
        try EmbeddedArt.embedInMP3(path: path, picture: picture, mime: "image/jpeg")
        #expect(try EmbeddedPicture.read(path: path) == EmbeddedPicture(data: picture, mimeType: "image/jpeg"))
        #expect(try AudioFileReader(path: path).declaredFrames > 0)

        let untyped = folder.file("untyped.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.2), to: untyped, format: .flac16)
        let png = EmbeddedArt.png(seed: 4)
        try EmbeddedArt.embedInFLAC(path: untyped, pictures: [(png, "", EmbeddedArt.frontCover)])
        #expect(try EmbeddedPicture.read(path: untyped)?.mimeType == "image/png")
    }

    @Test("no picture gives nil; a file TagLib cannot read is an error naming it")
    func noneAndUnreadable() throws {
        let folder = TemporaryDirectory()
        let plain = folder.file("plain.flac")
        try AudioFileWriter.write(Signals.sine(frequency: 440, seconds: 0.2), to: plain, format: .flac16)
        #expect(try EmbeddedPicture.read(path: plain) == nil)
        #expect(EmbeddedPicture.exists(path: plain) == false)
        let text = folder.file("notes.flac")
        try "not audio".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(EmbeddedPicture.exists(path: text) == false)
        let error = #expect(throws: AudioError.self) { try EmbeddedPicture.read(path: text) }
        #expect(error?.description.contains("notes.flac") == true)
    }
}
