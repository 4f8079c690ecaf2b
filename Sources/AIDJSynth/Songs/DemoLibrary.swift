public import AIDJAudio
import Foundation

/// The built-in demo library: short synthesized tracks in several styles, tempos, keys and file formats, with
/// tags, plus one file that is not audio, so a demo ingest shows every part of the pipeline.
public enum DemoLibrary {
    /// One track of the demo library: its file name and format, its tags, and the song to render.
    public struct Entry: Sendable {
        public var fileName: String
        public var format: AudioFormat
        public var spec: SongSpec
        public var tags: AudioTags
    }

    /// The tracks, in a fixed order with fixed seeds: every run writes the same files. Five styles with three
    /// tracks each (the style is the folder and the genre tag, so a genre model can be cross-validated on them),
    /// keys close on the Camelot wheel within a style, and levels from quiet ballads to loud dance tracks so the
    /// energy axis of the mood space is spread out.
    public static let entries: [Entry] = {
        typealias Row = (String, String, GrooveStyle, Double, Int, Bool, Float, AudioFormat, String)
        let rows: [Row] = [
            ("Neon Avenue", "Vela Lights", .fourOnTheFloor, 124, 9, true, 0.70, .flac16, "House"),
            ("Warehouse Lights", "Konrad Stahl", .fourOnTheFloor, 126, 4, true, 0.80, .flac16, "House"),
            ("Sunday Groove", "Marisol", .fourOnTheFloor, 122, 0, false, 0.60, .wav16, "House"),
            ("Amen Rush", "Breakline", .breakbeat, 174, 2, true, 0.80, .oggVorbis, "Breakbeat"),
            ("Night Bus", "Sodium Street", .breakbeat, 170, 9, true, 0.75, .flac16, "Breakbeat"),
            ("Street Corners", "MC Halden", .breakbeat, 92, 5, true, 0.50, .mp3, "Breakbeat"),
            ("Low End Theory", "Sub Atlas", .halfTime, 140, 4, true, 0.80, .flac24, "Dubstep"),
            ("Concrete Bloom", "Grey Parade", .halfTime, 140, 9, true, 0.75, .flac16, "Dubstep"),
            ("Glacier", "Northvane", .halfTime, 150, 2, true, 0.70, .wav16, "Dubstep"),
            ("Island Morning", "Roots Harbour", .oneDrop, 76, 7, false, 0.45, .flac16, "Reggae"),
            ("Harbour Breeze", "Lennox Dale", .oneDrop, 80, 2, false, 0.40, .oggVorbis, "Reggae"),
            ("Sunset Yard", "Kaya Blue", .oneDrop, 84, 9, false, 0.45, .flac16, "Reggae"),
            ("Slow Tide", "Ana Moreno", .ballad, 66, 2, false, 0.30, .aiff16, "Ballad"),
            ("Last Light", "The Quiet Hours", .ballad, 72, 11, true, 0.30, .wav24, "Ballad"),
            ("Paper Boats", "Ida Lind", .ballad, 70, 7, false, 0.25, .flac16, "Ballad"),
        ]
        return rows.enumerated().map { index, row in
            let (title, artist, style, bpm, tonic, minor, gain, format, genre) = row
            var spec = SongSpec(
                style: style, bpm: bpm, keyTonic: tonic, keyIsMinor: minor, introBars: 8,
                bodyBars: bpm > 150 ? 32 : 16, outroBars: 8, seed: UInt64(1000 + index))
            spec.gain = gain
            if format == .opus { spec.sampleRate = 48_000 }
            let fileName = String(format: "%02d - %@.%@", index + 1, title, format.fileExtension)
            return Entry(
                fileName: fileName, format: format, spec: spec,
                tags: AudioTags(
                    title: title, artist: artist, album: "aidj demo", genre: genre, year: 2026,
                    trackNumber: index + 1))
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
