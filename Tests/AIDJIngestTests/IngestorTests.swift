import AIDJAnalysis
import AIDJAudio
import AIDJStore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJIngest

@Suite("Ingest")
struct IngestorTests {
    let music = TemporaryDirectory("aidj-music")
    let data = TemporaryDirectory("aidj-db")

    func writeLibrary() throws {
        try Fixtures.writeSong(to: music.file("House/one.flac"), bpm: 124, bars: 2, format: .flac16, seed: 1)
        try EmbeddedArt.embedInFLAC(
            path: music.file("House/one.flac"),
            pictures: [(EmbeddedArt.jpeg(seed: 1), "image/jpeg", EmbeddedArt.frontCover)])
        try Fixtures.writeSong(to: music.file("House/two.wav"), style: .ballad, bpm: 70, bars: 2, seed: 2)
        try Fixtures.writeSong(
            to: music.file("Breaks/three.ogg"), style: .breakbeat, bpm: 100, bars: 2, format: .oggVorbis, seed: 3)
        _ = FileManager.default.createFile(atPath: music.file("House/cover.jpg"), contents: Data([0xFF, 0xD8]))
        _ = FileManager.default.createFile(atPath: music.file("readme"), contents: Data("not audio".utf8))
        _ = try Fixtures.writeBrokenFiles(into: music.file("Broken"))
    }

    func ingest(_ store: LibraryStore, force: Bool = false) throws -> Ingestor.Summary {
        var options = Ingestor.Options()
        options.jobs = 2
        options.force = force
        return try Ingestor(store: store, options: options).ingest([music.path])
    }

    @Test("first run analyses audio, lists bad files with reasons, and ignores non-audio files")
    func firstRun() throws {
        try writeLibrary()
        let store = try LibraryStore(path: data.file("library.sqlite"))
        let summary = try ingest(store)
        #expect(summary.counts.analyzed == 3)
        #expect(summary.counts.failed == 4)
        #expect(summary.counts.scanned == 7, "the extension-less text file is not audio and not a failure")
        #expect(
            Set(summary.failures.map { ($0.path as NSString).lastPathComponent })
                == ["text named.wav", "empty.flac", "garbage.mp3", "truncated.wav"])
        #expect(summary.failures.allSatisfy { !$0.reason.isEmpty && !$0.reason.contains("\n") })
        let tracks = try store.trackSummaries(status: .analyzed)
        #expect(tracks.count == 3)
        #expect(
            tracks.allSatisfy { ($0.features?.bpm ?? 0) > 0 && $0.track.analysisVersion == TrackAnalysis.version },
            "\(tracks.map { ($0.track.path, $0.features?.bpm ?? -1) })")
        // Whether each file embeds a cover is stored for the server: only one.flac does.
        #expect(
            Dictionary(
                uniqueKeysWithValues: tracks.map {
                    (($0.track.path as NSString).lastPathComponent, $0.track.hasEmbeddedArt)
                })
                == ["one.flac": true, "two.wav": false, "three.ogg": false])
    }

    @Test("second run: nothing changed, nothing decoded; a touched file is analysed again")
    func incremental() throws {
        try writeLibrary()
        let store = try LibraryStore(path: data.file("library.sqlite"))
        _ = try ingest(store)
        let again = try ingest(store)
        #expect(again.counts.analyzed == 0)
        #expect(again.counts.failed == 0)
        #expect(again.counts.unchanged == 7)
        #expect(again.timings.audioSeconds == 0, "no audio was decoded")
        // Rewrite one file with different content: it is analysed again, the others are not.
        try Fixtures.writeSong(to: music.file("House/one.flac"), bpm: 128, bars: 2, format: .flac16, seed: 9)
        let third = try ingest(store)
        #expect(third.counts.analyzed == 1)
        #expect(third.counts.unchanged == 6)
        let forced = try ingest(store, force: true)
        #expect(forced.counts.analyzed == 3)
    }

    @Test("a moved file is relinked without analysis; a deleted one is marked missing, not dropped")
    func movedAndMissing() throws {
        try writeLibrary()
        let store = try LibraryStore(path: data.file("library.sqlite"))
        _ = try ingest(store)
        let before = try store.trackSummaries().first { $0.track.path.hasSuffix("/two.wav") }!
        try FileManager.default.moveItem(
            atPath: music.file("House/two.wav"), toPath: music.file("Renamed/two (remaster).wav"))
        let parked = data.file("parked.ogg")  // outside the library: to the ingest, the file is gone
        try FileManager.default.moveItem(atPath: music.file("Breaks/three.ogg"), toPath: parked)
        let summary = try ingest(store)
        #expect(summary.counts.moved == 1)
        #expect(summary.counts.missing == 1)
        #expect(summary.counts.analyzed == 0)
        let after = try #require(try store.trackDetail(id: before.track.id!))
        #expect(after.track.path.hasSuffix("Renamed/two (remaster).wav"))
        #expect(after.features?.bpm == before.features?.bpm)
        let missing = try store.trackSummaries(status: .missing)
        #expect(missing.map { ($0.track.path as NSString).lastPathComponent } == ["three.ogg"])
        #expect(missing.first?.features != nil, "a missing track keeps its analysis")
        // It comes back under another folder: relinked from missing.
        try FileManager.default.moveItem(atPath: parked, toPath: music.file("Back/three.ogg"))
        let back = try ingest(store)
        #expect(back.counts.moved == 1)
        #expect(try store.trackSummaries(status: .missing).isEmpty)
    }
}

extension IngestorTests {
    @Test("a missing file back at its own path is relinked, not analysed again")
    func backInPlace() throws {
        try writeLibrary()
        let store = try LibraryStore(path: data.file("library.sqlite"))
        _ = try ingest(store)
        let parked = data.file("away.flac")
        try FileManager.default.moveItem(atPath: music.file("House/one.flac"), toPath: parked)
        #expect(try ingest(store).counts.missing == 1)
        try FileManager.default.moveItem(atPath: parked, toPath: music.file("House/one.flac"))
        let back = try ingest(store)
        #expect(back.counts.moved == 1)
        #expect(back.counts.analyzed == 0)
        #expect(try store.trackSummaries(status: .missing).isEmpty)
    }
}
