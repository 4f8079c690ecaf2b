import AIDJAnalysis
import AIDJCore
import AIDJStore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJTaste

@Suite("Listening history import")
struct HistoryImportTests {
    let folder = TemporaryDirectory("aidj-history")

    func write(_ name: String, _ text: String) -> String {
        let path = folder.file(name)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("matching ignores case, diacritics, punctuation, feat. credits and remaster suffixes")
    func matching() {
        let matcher = TrackMatcher(tracks: [
            (1, "Beyoncé", "Halo", "/m/a.flac"), (2, nil, nil, "/m/Daft Punk - One More Time.mp3"),
            (3, "The Beatles", "Let It Be", "/m/c.flac"),
        ])
        #expect(matcher.match(artist: "BEYONCE", title: "Halo (feat. Someone)") == 1)
        #expect(matcher.match(artist: "Daft Punk", title: "One More Time!") == 2)
        #expect(matcher.match(artist: "The Beatles", title: "Let It Be - Remastered 2009") == 3)
        #expect(matcher.match(artist: "The Beatles", title: "Let It Be [2009 Remaster]") == 3)
        #expect(matcher.match(artist: "The Beatles", title: "Yesterday") == nil)
    }

    @Test("the three formats are recognized from their content")
    func formats() throws {
        let spotify = write(
            "Streaming_History_Audio_2023.json",
            """
            [{"ts": "2023-01-01T10:00:00Z", "ms_played": 200000, "master_metadata_track_name": "Halo",
              "master_metadata_album_artist_name": "Beyoncé", "skipped": false, "reason_end": "trackdone"},
             {"ts": "2023-01-01T10:04:00Z", "ms_played": 12000, "master_metadata_track_name": "Halo",
              "master_metadata_album_artist_name": "Beyoncé", "skipped": true, "reason_end": "fwdbtn"},
             {"ts": "2023-01-01T10:05:00Z", "ms_played": 40000, "master_metadata_track_name": "Halo",
              "master_metadata_album_artist_name": "Beyoncé", "skipped": true, "reason_end": "fwdbtn"},
             {"ts": "2023-01-01T11:00:00Z", "ms_played": 900000, "master_metadata_track_name": null,
              "master_metadata_album_artist_name": null, "skipped": null, "reason_end": "endplay"}]
            """)
        let (format, records) = try ListeningHistory.read(spotify)
        #expect(format == .spotify)
        #expect(records.map(\.isSkip) == [false, true, false, false], "only a skip under 30 s counts as a skip")
        let brainz = write(
            "listens.jsonl",
            """
            {"listened_at": 1672567200, "track_metadata": {"artist_name": "Daft Punk", "track_name": "One More Time"}}
            {"listened_at": 1672567500, "track_metadata": {"artist_name": "Daft Punk", "track_name": "Aerodynamic"}}
            """)
        let read = try ListeningHistory.read(brainz)
        #expect(read.format == .listenBrainz && read.records.count == 2)
        #expect(read.records[0].occurredAt == "2023-01-01T10:00:00Z")
        let lastfm = write(
            "scrobbles.csv",
            """
            The Beatles,Let It Be,"Let It Be - Remastered 2009",01 Jan 2023 10:00
            "Crosby, Stills & Nash",CSN,Helplessly Hoping,01 Jan 2023 10:05
            """)
        let csv = try ListeningHistory.read(lastfm)
        #expect(csv.format == .lastFM && csv.records.count == 2)
        #expect(csv.records[1].artist == "Crosby, Stills & Nash")
    }

    @Test("malformed files fail with the record or line, and import nothing")
    func malformed() throws {
        #expect {
            try ListeningHistory.read(write("bad.csv", "a,b,c,01 Jan 2023 10:00\nonly,three,fields\n"))
        } throws: {
            "\($0)".contains("line 2")
        }
        #expect { try ListeningHistory.read(write("bad.json", "[{\"ts\": \"yesterday\"}]")) } throws: {
            "\($0)".contains("record 1")
        }
        #expect { try ListeningHistory.read(write("empty.json", "")) } throws: { "\($0)".contains("empty") }
        #expect { try ListeningHistory.read(write("broken.json", "[{\"ts\": ")) } throws: {
            "\($0)".contains("malformed")
        }
    }

    @Test("import stores matched and unmatched listens once; importing again adds nothing")
    func importTwice() throws {
        let store = try LibraryStore(path: folder.file("db.sqlite"))
        let records = AnalysisRecordsFixture.track(path: "/m/Daft Punk - One More Time.flac")
        let trackID = try store.save(records)
        let listener = try store.addListener("alice")
        let path = write(
            "listens.json",
            """
            [{"listened_at": 1672567200, "track_metadata": {"artist_name": "Daft Punk", "track_name": "One More Time"}},
             {"listened_at": 1672567500, "track_metadata": {"artist_name": "Daft Punk", "track_name": "Aerodynamic"}}]
            """)
        let first = try HistoryImporter.importHistory(path: path, listenerID: listener, store: store)
        #expect(first.imported == 2 && first.matched == 1 && first.unmatched == 1)
        #expect(first.unmatchedReasons == ["not in the library": 1])
        let second = try HistoryImporter.importHistory(path: path, listenerID: listener, store: store)
        #expect(second.imported == 0 && second.duplicates == 2)
        let events = try store.events(listenerID: listener)
        #expect(events.count == 2)
        #expect(events.filter { $0.trackID == trackID }.count == 1)
    }
}

/// A minimal analysed track for store-level tests.
enum AnalysisRecordsFixture {
    static func track(path: String) -> AnalysisRecords {
        var track = TrackRecord(
            file: FileFacts(path: path, sizeBytes: 1, modificationNanoseconds: 1, contentHash: "h"),
            status: .analyzed)
        track.analysisVersion = 1
        let features = FeatureRecord(
            trackId: 0, bpm: 120, bpmConfidence: 1, key: MusicalKey(tonic: 0, mode: .major),
            keyConfidence: 1,
            loudnessLufs: -10, loudnessRangeLu: 3, truePeakDbtp: -1, replayGainDb: -8, energy: 0.5, valence: 0.5,
            danceability: 0.5, firstSoundS: 0, introEndS: 1, outroStartS: 2, lastSoundS: 3, vectorVersion: 1,
            vector: [0])
        return AnalysisRecords(track: track, features: features, beats: [])
    }
}
