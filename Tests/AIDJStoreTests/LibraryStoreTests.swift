import AIDJCore
import AIDJTestSupport
import Foundation
import GRDB
import Testing

@testable import AIDJStore

@Suite("Library store")
struct LibraryStoreTests {
    let folder = TemporaryDirectory()

    func makeStore() throws -> LibraryStore { try LibraryStore(path: folder.file("library.sqlite")) }

    static func records(path: String, hash: String = "00000000000000aa", beats: Int = 8, barOf5: Bool = false)
        -> AnalysisRecords
    {
        var track = TrackRecord(
            file: FileFacts(path: path, sizeBytes: 1000, modificationNanoseconds: 42, contentHash: hash),
            status: .analyzed)
        track.durationS = 10
        track.title = "Title"
        track.analysisVersion = 1
        let features = FeatureRecord(
            trackId: 0, bpm: 124, bpmConfidence: 0.8, key: MusicalKey(tonic: 9, mode: .minor),
            keyConfidence: 0.9, loudnessLufs: -9.5, loudnessRangeLu: 4, truePeakDbtp: -0.5, replayGainDb: -8.5,
            energy: 0.7, valence: 0.4, danceability: 0.8, firstSoundS: 0, introEndS: 2, outroStartS: 8, lastSoundS: 10,
            vectorVersion: 1, vector: [1.5, -2.25, .pi])
        let beatRecords = (0..<beats).map { i in
            BeatRecord(
                trackId: 0, beatIndex: i, timeS: Double(i) * 0.5, barPosition: barOf5 && i == beats - 1 ? 5 : i % 4 + 1,
                phraseStart: i == 0)
        }
        return AnalysisRecords(track: track, features: features, beats: beatRecords)
    }

    @Test("song marks: star, latest rating, plays; the rating is looked up by track, not by walking the history")
    func songMarks() throws {
        let store = try makeStore()
        let a = try store.save(Self.records(path: "/m/a.flac", hash: "a"))
        let b = try store.save(Self.records(path: "/m/b.flac", hash: "b"))
        let alice = try store.addListener("alice")
        for day in 1...3 {
            try store.recordEvent(listenerID: alice, trackID: a, kind: .play, occurredAt: "2026-01-0\(day)T10:00:00Z")
        }
        try store.rateSong(listenerID: alice, trackID: a, rating: 2, at: "2026-01-01T11:00:00Z", source: "test")
        try store.rateSong(listenerID: alice, trackID: a, rating: 5, at: "2026-01-02T11:00:00Z", source: "test")
        try store.starSongs(listenerID: alice, trackIDs: [b], at: "2026-01-03T12:00:00Z", source: "test")
        let marks = try store.songMarks(listenerID: alice)
        #expect(
            marks[a]
                == SongMarks(starredAt: nil, rating: 5, playCount: 3, lastPlayedAt: "2026-01-03T10:00:00Z"))
        #expect(marks[b] == SongMarks(starredAt: "2026-01-03T12:00:00Z", rating: nil, playCount: 0, lastPlayedAt: nil))
        #expect(try store.songMarks(listenerID: alice, trackIDs: [b]).keys.sorted() == [b])
        #expect(try store.songMarks(listenerID: alice, trackIDs: []).isEmpty)

        // With the by-time index chosen, every song's rating walked the whole history (264 s for 100,000 events).
        for count in [nil, 3] as [Int?] {
            let plan = try store.pool.read { db in
                try Row.fetchAll(
                    db, sql: "EXPLAIN QUERY PLAN " + LibraryStore.songMarksSQL(trackCount: count),
                    arguments: StatementArguments([alice] + (count.map { Array(repeating: a, count: $0) } ?? []))
                )
                .map { $0["detail"] as String }
            }
            #expect(!plan.contains { $0.contains("listener_events_by_listener") }, "\(plan)")
            #expect(plan.contains { $0.contains("listener_events_by_track (listener_id=? AND track_id=? AND kind=?)") })
        }
    }

    @Test("an analysis round-trips: track, named features, the Float32 vector, beats")
    func roundTrip() throws {
        let store = try makeStore()
        let id = try store.save(Self.records(path: "/music/a.flac"))
        let detail = try #require(try store.trackDetail(id: id))
        #expect(detail.track.title == "Title")
        #expect(detail.features?.bpm == 124)
        #expect(detail.features?.values == [1.5, -2.25, Float.pi])
        #expect(detail.beats.count == 8)
        #expect(detail.beats.filter { $0.barPosition == 1 }.count == 2)
    }

    @Test(
        "tempo sections round-trip, are replaced with the analysis, and give a changing track its opening and closing tempo"
    )
    func tempoSections() throws {
        let store = try makeStore()
        var changing = Self.records(path: "/music/changing.flac")
        changing.tempoSections = [
            TempoSectionRecord(trackId: 0, sectionIndex: 0, startS: 0.5, bpm: 124, steady: true),
            TempoSectionRecord(trackId: 0, sectionIndex: 1, startS: 96, bpm: 131.5, steady: false),
        ]
        var steady = Self.records(path: "/music/steady.flac", hash: "bb")
        steady.tempoSections = [TempoSectionRecord(trackId: 0, sectionIndex: 0, startS: 0, bpm: 124, steady: true)]
        let id = try store.save(changing)
        _ = try store.save(steady)
        #expect(try store.trackDetail(id: id)?.tempoSections.map(\.bpm) == [124, 131.5])
        let tracks = try store.analysedTracks(vectorVersion: 1)
        #expect(tracks.map { [$0.openingBPM, $0.closingBPM] } == [[124, 131.5], [124, 124]])
        // Saved again without the change: one section, and the old rows are gone.
        let again = try store.save(Self.records(path: "/music/changing.flac"))
        #expect(again == id)
        #expect(try store.trackDetail(id: id)?.tempoSections.isEmpty == true)
        #expect(try store.analysedTracks(vectorVersion: 1).map(\.closingBPM) == [124, 124])
    }

    @Test(
        "structure sections round-trip in order, are read per track for the mixer, and are replaced with the analysis")
    func structureSections() throws {
        let store = try makeStore()
        var records = Self.records(path: "/music/sections.flac")
        records.sections = [
            TrackSectionRecord(
                trackId: 0, sectionIndex: 0, startS: 0, endS: 31, label: "intro", levelDb: -6.5, hasBeat: false),
            TrackSectionRecord(
                trackId: 0, sectionIndex: 1, startS: 31, endS: 93, label: "main", levelDb: 0.2, hasBeat: true),
            TrackSectionRecord(
                trackId: 0, sectionIndex: 2, startS: 93, endS: 120, label: "outro", levelDb: -4, hasBeat: true),
        ]
        let id = try store.save(records)
        #expect(try store.trackDetail(id: id)?.sections.map(\.label) == ["intro", "main", "outro"])
        let byTrack = try store.sections(trackIDs: [id, 999])
        #expect(byTrack[id]?.map(\.startS) == [0, 31, 93])
        #expect(byTrack[id]?.map(\.hasBeat) == [false, true, true])
        #expect(byTrack[999] == [])
        _ = try store.save(Self.records(path: "/music/sections.flac"))
        #expect(try store.sections(trackIDs: [id])[id] == [])
    }

    @Test("saving again replaces the old analysis instead of adding to it")
    func replace() throws {
        let store = try makeStore()
        let first = try store.save(Self.records(path: "/music/a.flac", beats: 8))
        let second = try store.save(Self.records(path: "/music/a.flac", beats: 4))
        #expect(first == second)
        #expect(try store.trackDetail(id: first)?.beats.count == 4)
        #expect(try store.trackSummaries().count == 1)
    }

    @Test("a failing write leaves nothing half-written (one transaction per file)")
    func atomic() throws {
        let store = try makeStore()
        #expect(throws: StoreError.self) { try store.save(Self.records(path: "/music/bad.flac", barOf5: true)) }
        #expect(try store.trackSummaries().isEmpty)
        let beats = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM beats") }
        #expect(beats == 0)
    }

    @Test("genre predictions: replaced as a whole, dropped when the model is retrained, gone with the track")
    func predictions() throws {
        let store = try makeStore()
        let a = try store.save(Self.records(path: "/music/a.flac"))
        let b = try store.save(Self.records(path: "/music/b.flac", hash: "bb"))
        let models = ModelRepository(store)
        let modelID = try models.save(
            .genre, name: "genre", header: ["labels": ["house", "dub"]], metrics: IgnoredMetrics(), weights: [1])
        try store.replaceGenrePredictions(
            modelID: modelID, labels: ["house", "dub"], predictions: [(a, [0.75, 0.25]), (b, [0.5, 0.5])])
        #expect(try store.genrePredictions(modelID: modelID)[a] == ["house": 0.75, "dub": 0.25])
        try store.replaceGenrePredictions(
            modelID: modelID, labels: ["house", "dub"], predictions: [(b, [0.125, 0.875])])
        let replaced = try store.genrePredictions(modelID: modelID)
        #expect(replaced[a] == nil && replaced[b] == ["house": 0.125, "dub": 0.875])
        // A failing replacement (an unknown track breaks the foreign key) keeps the earlier predictions.
        #expect(throws: StoreError.self) {
            try store.replaceGenrePredictions(modelID: modelID, labels: ["house"], predictions: [(a, [1]), (999, [1])])
        }
        #expect(try store.genrePredictions(modelID: modelID)[b] == ["house": 0.125, "dub": 0.875])
        // Retrained: the same row, and the old predictions no longer describe it.
        #expect(
            try models.save(
                .genre, name: "genre", header: ["labels": ["house", "dub"]], metrics: IgnoredMetrics(), weights: [2])
                == modelID)
        #expect(try store.genrePredictions(modelID: modelID).isEmpty)
    }

    @Test("knownFiles(under:) takes the folder, not its siblings with the same prefix")
    func prefix() throws {
        let store = try makeStore()
        try store.save(Self.records(path: "/music/a.flac"))
        try store.save(Self.records(path: "/music/sub/b.flac"))
        try store.save(Self.records(path: "/music2/c.flac"))
        #expect(Set(try store.knownFiles(under: "/music").keys) == ["/music/a.flac", "/music/sub/b.flac"])
        #expect(Set(try store.knownFiles(under: "/music/").keys) == ["/music/a.flac", "/music/sub/b.flac"])
    }

    @Test("failures, relinking and missing marks")
    func lifecycle() throws {
        let store = try makeStore()
        let id = try store.save(Self.records(path: "/music/a.flac", hash: "abc"))
        try store.markMissing(trackIDs: [id])
        #expect(try store.missingFiles().map(\.id) == [id])
        try store.relink(
            trackID: id,
            to: FileFacts(path: "/music/moved/a.flac", sizeBytes: 1000, modificationNanoseconds: 7, contentHash: "abc"))
        let moved = try #require(try store.trackDetail(id: id))
        #expect(moved.track.path == "/music/moved/a.flac")
        #expect(moved.track.status == .analyzed)
        #expect(moved.features != nil)
        let run = try store.beginRun(roots: ["/music"])
        try store.saveFailure(
            FileFacts(path: "/music/x.wav", sizeBytes: 3, modificationNanoseconds: 1, contentHash: "f"),
            reason: "libsndfile: Format not recognised.", runID: run)
        #expect(try store.lastRunFailures().map(\.path) == ["/music/x.wav"])
        #expect(try store.trackSummaries(status: .failed).first?.track.error == "libsndfile: Format not recognised.")
    }

    @Test("listings sort by features; find by id, path, path end or file-name piece")
    func queries() throws {
        let store = try makeStore()
        var slow = Self.records(path: "/music/slow.flac")
        slow.features.bpm = 70
        try store.save(slow)
        try store.save(Self.records(path: "/music/fast.flac"))
        #expect(try store.trackSummaries(order: .bpm).map(\.track.path) == ["/music/slow.flac", "/music/fast.flac"])
        #expect(
            try store.trackSummaries(order: .bpm, descending: true).map(\.track.path) == [
                "/music/fast.flac", "/music/slow.flac",
            ])
        #expect(try store.findTracks(matching: "fast.flac", absolutePath: nil).count == 1)
        #expect(try store.findTracks(matching: ".flac", absolutePath: nil).count == 2, "ambiguous: the caller says so")
        #expect(
            try store.findTracks(matching: "FAST", absolutePath: nil).count == 1, "a piece of the file name, any case")
        #expect(try store.findTracks(matching: "music/slow", absolutePath: nil).isEmpty, "with a slash: path ends only")
        #expect(try store.findTracks(matching: "/music/slow.flac", absolutePath: nil).count == 1)
    }

    @Test("a reader sees committed data while a writer holds a transaction (WAL)")
    func concurrentReader() throws {
        let store = try makeStore()
        try store.save(Self.records(path: "/music/a.flac"))
        try store.pool.write { db in
            try db.execute(sql: "UPDATE tracks SET title = 'changing' WHERE path = '/music/a.flac'")
            let reader = try LibraryStore(path: store.path)
            #expect(try reader.trackSummaries().first?.track.title == "Title")
        }
    }
}
