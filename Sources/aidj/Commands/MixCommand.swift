import AIDJAudio
import AIDJCore
import AIDJMixer
import AIDJStore
import AIDJTaste
public import ArgumentParser
import Foundation

extension EnergyArc: ExpressibleByArgument {}

struct MixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mix", abstract: "Plan and render a beat-matched, crossfaded mix for a mood.",
        discussion: """
            Writes OUT (FLAC or WAV, 44.1 kHz stereo) and beside it OUT.cue, OUT.m3u8 and OUT.json (tracklist with \
            time maps, stretches, keys, gains and the reasons for each choice). --dry-run prints the plan only. \
            Moods: aidj moods; or give --energy/--valence/--bpm yourself.
            """)

    @Option(help: "A named mood (aidj moods).") var mood: String?
    @Option(help: "Target energy 0–1 (instead of or narrowing a mood).") var energy: Double?
    @Option(help: "Target valence 0–1.") var valence: Double?
    @Option(help: "Tempo range, e.g. 120-128 (or one tempo).") var bpm: String?
    @Option(help: "Length of the mix in minutes.") var minutes: Double
    @Option(help: "Score candidates with this listener's taste.") var listener: String?
    @Option(help: "How energy moves through the set.") var arc: EnergyArc = .flat
    @Option(help: "Open the mix with this track (id, path or part of the file name).") var start: String?
    @Option(help: "Output audio file (.flac or .wav).") var out: String?
    @Option(help: "Also draw the mix as SVG.") var plot: String?
    @Option(help: "Transition length in bars (shortened where a track cannot give it).") var bars = 16
    @Option(
        help: """
            Transition kinds to use, comma-separated: beatmatch, tempo-ramp, filter-sweep, cut, echo-out, fade \
            (default: all). An echo-out stands in where no allowed blend fits a pair, a fade for a track without a \
            beat.
            """)
    var transitions: String?
    @Option(help: "Target loudness of every track (LUFS).") var lufs = -14.0
    @Option(name: .customLong("artist-gap"), help: "Minutes before the same artist may return.") var artistGap = 60.0
    @Option(help: "Random seed (different seeds, different sets of equal quality).") var seed: UInt64 = 1
    @Flag(help: "Preview quality: Rubber Band's faster engine instead of the finer one.") var draft = false
    @Flag(help: "Best quality: the finer engine with its standard (long) window; about 3× slower.") var hq = false
    @Flag(name: .customLong("dry-run"), help: "Plan only: tracks, order, transitions, reasons.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard mood != nil || energy != nil || valence != nil || bpm != nil else {
            throw ValidationError("give --mood, or --energy/--valence/--bpm")
        }
        if let mood {
            do { _ = try MoodSpace.region(named: mood) } catch { throw ValidationError("\(error)") }
        }
        for (name, value) in [("--energy", energy), ("--valence", valence)] {
            if let value, !(0...1).contains(value) { throw ValidationError("\(name) must be within 0–1, got \(value)") }
        }
        if let bpm, Self.tempoRange(bpm) == nil {
            throw ValidationError("--bpm '\(bpm)' is not a tempo or a range like 120-128")
        }
        guard minutes > 0, minutes <= 24 * 60 else { throw ValidationError("--minutes must be within 0–1440") }
        guard (1...64).contains(bars) else { throw ValidationError("--bars must be within 1–64") }
        if let transitions, Self.transitionKinds(transitions) == nil {
            throw ValidationError(
                "--transitions '\(transitions)': use "
                    + PlannedTransition.Kind.plannable.map(\.rawValue).joined(separator: ", ") + ", comma-separated")
        }
        guard !(draft && hq) else { throw ValidationError("--draft and --hq exclude each other") }
        guard dryRun || out != nil else { throw ValidationError("give --out FILE.flac|.wav, or --dry-run") }
        if let out, Self.format(out) == nil {
            throw ValidationError("--out '\(out)' must end in .flac or .wav")
        }
    }

    /// The kinds named in a comma-separated list; nil when a name is unknown or the list is empty.
    static func transitionKinds(_ text: String) -> Set<PlannedTransition.Kind>? {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let kinds = names.compactMap(PlannedTransition.Kind.init(rawValue:)).filter {
            PlannedTransition.Kind.plannable.contains($0)
        }
        return kinds.isEmpty || kinds.count != names.count ? nil : Set(kinds)
    }

    static func tempoRange(_ text: String) -> ClosedRange<Double>? {
        let parts = text.split(separator: "-").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        if parts.count == 1, let x = parts[0], x > 0 { return (x * 0.98)...(x * 1.02) }
        if parts.count == 2, let a = parts[0], let b = parts[1], a > 0, b >= a { return a...b }
        return nil
    }

    static func format(_ path: String) -> AudioFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "flac": .flac24
        case "wav": .wav24
        default: nil
        }
    }

    func region() throws -> MoodRegion {
        var region =
            try mood.map { try MoodSpace.region(named: $0) }
            ?? MoodRegion.custom(
                energy: energy, valence: valence, bpm: bpm.flatMap(Self.tempoRange))
        if mood != nil {
            // Explicit values narrow a named mood.
            let custom = MoodRegion.custom(energy: energy, valence: valence, bpm: bpm.flatMap(Self.tempoRange))
            if energy != nil { region.energy = custom.energy }
            if valence != nil { region.valence = custom.valence }
            if bpm != nil { region.bpm = custom.bpm }
        }
        return region
    }

    func run() throws {
        let library = try store.open()
        var request = MixRequest(mood: try region(), minutes: minutes)
        request.arc = arc
        request.transitionBars = bars
        request.targetLUFS = lufs
        request.artistGapMinutes = artistGap
        request.seed = seed
        if let transitions { request.transitions = Self.transitionKinds(transitions) ?? request.transitions }
        let started = Date()
        let snapshot = try LibrarySnapshot(store: library)
        if let listener {
            let summary = try library.listener(named: listener)
            request.listener = try ListenerTaste(
                listener: summary.name, id: summary.id, snapshot: snapshot, store: library)
        }
        if let start { request.startTrackID = try library.resolveTrack(start) }
        if let out { try Self.checkWritable(out) }
        var plan = try MixPlanner(request: request).plan(snapshot: snapshot, store: library)
        let planSeconds = Date().timeIntervalSince(started)
        guard let out, !dryRun else {
            if json {
                try Output.printJSON(plan)
            } else {
                print(Self.describe(plan))
                print(String(format: "planned in %.2f s", planSeconds))
            }
            return
        }
        let bar = ProgressBar(label: "mix")
        var renderer = MixRenderer(plan: plan)
        renderer.quality = draft ? .draft : hq ? .best : .standard
        let (rendered, result) = try MixOutput.render(
            renderer, to: out, format: Self.format(out)!, title: "aidj mix: \(plan.mood)", plot: plot,
            listenerID: request.listener?.id, store: library
        ) { done, total in
            bar.update(done: done, total: total, elapsed: Date().timeIntervalSince(started), detail: "tracks")
        }
        bar.finish()
        plan = rendered
        let base = (out as NSString).deletingPathExtension
        if json {
            try Output.printJSON(plan)
            return
        }
        print(Self.describe(plan))
        print(
            String(
                format: "wrote %@ (%@, %.1f LUFS, %.1f dBTP, %d clipped samples) with %@.json, .cue and .m3u8%@",
                out, ProgressBar.clock(plan.durationS), result.loudnessLUFS ?? -70, result.truePeakDBTP ?? -70,
                result.clippedSamples, base, plot.map { " and \($0)" } ?? ""))
        print(
            String(
                format: "rendered %.0f s of mix in %.1f s (%.0f× realtime; planning %.2f s)", plan.durationS,
                result.seconds, plan.durationS / max(result.seconds, 1e-6), planSeconds))
    }

    /// Fails early, with the folder named, when the output cannot be created.
    static func checkWritable(_ path: String) throws {
        let folder =
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let probe = folder + "/.aidj-write-test-\(getpid())"
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw CLIError("cannot write '\(path)': the folder '\(folder)' does not exist or is not writable")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

    static func describe(_ plan: MixPlan) -> String {
        var lines: [String] = []
        for note in plan.notes { lines.append("note: \(note)") }
        var table = Table(
            headers: ["#", "START", "BPM", "STRETCH", "KEY", "CAM", "ENERGY", "GAIN", "TRACK"],
            rightAligned: [0, 2, 3, 6, 7])
        for (n, t) in plan.tracks.enumerated() {
            table.rows.append([
                "\(n + 1)", ProgressBar.clock(t.mixStartS), String(format: "%.1f", t.bpm),
                t.stretchPercent == 0 ? "–" : String(format: "%+.1f %%", t.stretchPercent), t.key ?? "no key",
                t.camelot ?? "–",
                String(format: "%.2f", t.energy), String(format: "%+.1f dB", t.gainDB),
                TrackTitle.display(artist: t.artist, title: t.title, path: t.path),
            ])
        }
        lines.append(table.render())
        for t in plan.transitions {
            lines.append(
                "\(t.from + 1) → \(t.to + 1) at \(ProgressBar.clock(t.overlapStartS)): \(t.type.rawValue), \(t.bars) bar\(t.bars == 1 ? "" : "s"); "
                    + [t.reasons.key, t.reasons.tempo, t.reasons.energy].joined(separator: "; "))
        }
        lines.append(
            String(
                format: "%@ (%@ arc): %d tracks, %@; %.0f %% of transitions within one Camelot step",
                plan.mood, plan.arc, plan.tracks.count, ProgressBar.clock(plan.durationS), plan.harmonicShare * 100))
        return lines.joined(separator: "\n")
    }
}
