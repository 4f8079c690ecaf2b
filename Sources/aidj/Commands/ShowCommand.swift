import AIDJAnalysis
import AIDJCore
import AIDJIngest
import AIDJStore
import ArgumentParser
import Foundation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one track in full: tags, tempo, beat grid, key, loudness, mood, cues, sections.")

    @Argument(help: "Track id, path, or the end of a path (\"Artist/Song.flac\").")
    var track: String

    @Flag(help: "Print JSON (adds beats and downbeats in seconds).")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let library = try store.open()
        let id = try library.resolveTrack(track)
        guard let detail = try library.trackDetail(id: id) else { throw CLIError("no track with id \(id)") }
        var report = TrackReport(
            track: detail.track, features: detail.features, tempoAlternates: detail.tempoAlternates,
            tempoSections: detail.tempoSections, sections: detail.sections, beats: detail.beats)
        let predictions = try library.genrePredictions(trackID: id)
        report.predictedGenres = predictions.isEmpty ? nil : predictions
        if json {
            try Output.printJSON(report)
        } else {
            print(Self.describe(report))
        }
    }

    static func describe(_ r: TrackReport) -> String {
        var lines: [String] = []
        func add(_ label: String, _ value: String?) {
            if let value { lines.append(label.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        }
        func f(_ value: Double?, _ format: String) -> String? { value.map { String(format: format, $0) } }
        add("Path", r.path)
        add("Status", r.status + (r.error.map { ": \($0)" } ?? ""))
        add("Title", r.title)
        add("Artist", r.artist)
        add("Album", r.album)
        add("Genre", r.genre)
        for (model, probabilities) in (r.predictedGenres ?? [:]).sorted(by: { $0.key < $1.key }) {
            let top = probabilities.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
            add(
                "Predicted",
                top.map { String(format: "%@ %.2f", $0.key, $0.value) }.joined(separator: ", ") + " (model \(model))")
        }
        add("Year", r.year.map(String.init))
        add("Format", r.format.map { "\($0), \(r.sampleRate ?? 0) Hz, \(r.channels ?? 0) ch" })
        add("Duration", f(r.durationS, "%.2f s"))
        if let bpm = r.bpm, bpm <= 0 {
            add("Tempo", "none (no beat to hear)")
        } else if let bpm = r.bpm {
            add("Tempo", String(format: "%.2f BPM (confidence %.2f)", bpm, r.bpmConfidence ?? 0))
            let alternates = (r.bpmAlternates ?? []).map {
                String(format: "%@ %.2f (%.2f)", $0.relation.rawValue, $0.bpm, $0.score)
            }
            add("Alternates", alternates.joined(separator: ", "))
        }
        if let sections = r.tempoSections, sections.count > 1 {
            add(
                "Tempo changes",
                sections.map { String(format: "%@ %.2f BPM", Self.clock($0.startS), $0.bpm) }.joined(separator: " → "))
        }
        if let beats = r.beats, let first = beats.first, let last = beats.last {
            let downbeats = r.downbeats ?? []
            add(
                "Beat grid",
                String(
                    format: "%d beats, %d bars, %@–%@%@, first beat %.3f s, first downbeat %.3f s", beats.count,
                    downbeats.count, Self.clock(first), Self.clock(last),
                    Self.unheard(first: first, last: last, sound: r.firstSoundS, r.lastSoundS), first,
                    downbeats.first ?? first))
            add("Phrases", (r.phraseStarts ?? []).map { String(format: "%.1f", $0) }.joined(separator: " "))
        }
        if let key = r.key {
            add("Key", String(format: "%@ (%@), confidence %.2f", key, r.camelot ?? "", r.keyConfidence ?? 0))
        } else if r.keyConfidence != nil {
            add("Key", "none (too little pitch content)")
        }
        if r.loudnessRangeLu != nil {
            add(
                "Loudness",
                (f(r.loudnessLufs, "%.2f LUFS") ?? "silent") + String(format: ", range %.1f LU", r.loudnessRangeLu ?? 0)
                    + (f(r.truePeakDbtp, ", true peak %.2f dBTP") ?? "")
                    + (f(r.replayGainDb, ", ReplayGain %+.2f dB") ?? ""))
        }
        if let energy = r.energy {
            add(
                "Mood",
                String(
                    format: "energy %.2f, valence %.2f, danceability %.2f", energy, r.valence ?? 0, r.danceability ?? 0)
            )
        }
        if let first = r.firstSoundS {
            add(
                "Cues",
                String(
                    format: "sound %.2f s, intro ends %.2f s, outro starts %.2f s, sound ends %.2f s",
                    first, r.introEndS ?? 0, r.outroStartS ?? 0, r.lastSoundS ?? 0))
        }
        if let sections = r.sections, !sections.isEmpty {
            lines.append("Sections")
            for s in sections {
                lines.append(
                    "  "
                        + String(
                            format: "%@–%@  %@ %+.1f dB%@", Self.clock(s.startS), Self.clock(s.endS),
                            s.label.padding(toLength: 9, withPad: " ", startingAt: 0), s.levelDb,
                            s.hasBeat ? "" : ", no beat"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Where a track sounds but its grid does not reach, when that is a beatless stretch of its own
    /// (``PulseSpan/minimumGapSeconds`` or longer: an ambient intro, a free coda), as " (no beat before 0:48.6)".
    static func unheard(first: Double, last: Double, sound: Double?, _ soundEnd: Double?) -> String {
        var parts: [String] = []
        if let sound, first - sound >= PulseSpan.minimumGapSeconds { parts.append("before \(clock(first))") }
        if let soundEnd, soundEnd - last >= PulseSpan.minimumGapSeconds { parts.append("after \(clock(last))") }
        return parts.isEmpty ? "" : " (no beat " + parts.joined(separator: " or ") + ")"
    }

    /// Minutes and seconds, "1:32.5".
    static func clock(_ seconds: Double) -> String {
        let minutes = Int(seconds / 60)
        return String(format: "%d:%04.1f", minutes, seconds - Double(minutes) * 60)
    }
}
