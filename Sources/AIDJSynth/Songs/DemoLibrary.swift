import AIDJAudio
import Foundation

/// The built-in demo library: short synthesized tracks in several styles, tempos, keys and file formats, with
/// tags, plus one file that is not audio, so a demo ingest shows every part of the pipeline.
public enum DemoLibrary {
    public struct Entry: Sendable {
        public var fileName: String
        public var format: AudioFormat
        public var spec: SongSpec
        public var tags: AudioTags
    }

    /// The tracks, in a fixed order with fixed seeds: every run writes the same files.
    public static let entries: [Entry] = {
        let rows: [(String, GrooveStyle, Double, Int, Bool, AudioFormat, String)] = [
            ("Neon Avenue", .fourOnTheFloor, 124, 9, true, .flac16, "House"),
            ("Warehouse Lights", .fourOnTheFloor, 128, 7, false, .flac16, "Techno"),
            ("Sunday Groove", .fourOnTheFloor, 120, 0, false, .wav16, "House"),
            ("Amen Rush", .breakbeat, 174, 2, true, .oggVorbis, "Drum & Bass"),
            ("Street Corners", .breakbeat, 92, 5, true, .mp3, "Hip Hop"),
            ("Low End Theory", .halfTime, 140, 4, true, .flac24, "Dubstep"),
            ("Island Morning", .oneDrop, 76, 7, false, .flac16, "Reggae"),
            ("Slow Tide", .ballad, 66, 2, false, .aiff16, "Ballad"),
            ("Last Light", .ballad, 72, 11, true, .wav24, "Ballad"),
        ]
        return rows.enumerated().map { index, row in
            let (title, style, bpm, tonic, minor, format, genre) = row
            var spec = SongSpec(
                style: style, bpm: bpm, keyTonic: tonic, keyIsMinor: minor, introBars: 4,
                bodyBars: bpm > 150 ? 16 : 8, outroBars: 4, seed: UInt64(1000 + index))
            if format == .opus { spec.sampleRate = 48_000 }
            let fileName = String(format: "%02d - %@.%@", index + 1, title, format.fileExtension)
            return Entry(
                fileName: fileName, format: format, spec: spec,
                tags: AudioTags(
                    title: title, artist: "aidj demo band", album: "aidj demo", genre: genre,
                    year: 2026, trackNumber: index + 1))
        }
    }()

    /// Writes the library into `folder` (created if needed). Files already there are kept, so re-running the
    /// demo is incremental.
    ///
    /// - Returns: the paths written or found.
    @discardableResult
    public static func write(into folder: String) throws -> [String] {
        let styleFolders = folder
        try FileManager.default.createDirectory(atPath: styleFolders, withIntermediateDirectories: true)
        var paths: [String] = []
        for entry in entries {
            let subfolder = styleFolders + "/" + (entry.tags.genre ?? "Misc")
            try FileManager.default.createDirectory(atPath: subfolder, withIntermediateDirectories: true)
            let path = subfolder + "/" + entry.fileName
            paths.append(path)
            if FileManager.default.fileExists(atPath: path) { continue }
            let song = SongGenerator.render(entry.spec)
            try AudioFileWriter.write(song.audio, to: path, format: entry.format, tags: entry.tags)
        }
        // Not audio, but named like it: the ingest lists it as a failure and carries on.
        let broken = folder + "/Broken/liner notes.wav"
        try FileManager.default.createDirectory(atPath: folder + "/Broken", withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: broken) {
            try "These are liner notes, not audio.\n".write(toFile: broken, atomically: true, encoding: .utf8)
        }
        paths.append(broken)
        return paths
    }
}
