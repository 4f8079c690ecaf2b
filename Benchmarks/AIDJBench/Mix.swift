import AIDJAudio
import AIDJCore
import AIDJIngest
import AIDJMixer
import AIDJStore
import AIDJSynth
import AIDJTaste
import Foundation

/// `aidj-bench mix [--keep DIR]`: render speed of a 30-minute mix on one core (Rubber Band finer and faster
/// engines), and planning time on a generated 10,000-track library.
enum MixBench {
    static func run(arguments: [String]) throws {
        let kept = Speed.value(of: "--keep", in: arguments)
        let folder = kept ?? NSTemporaryDirectory() + "aidj-mix-bench-\(getpid())"
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: folder) } }
        try FileManager.default.createDirectory(atPath: folder + "/music", withIntermediateDirectories: true)

        // 12 house tracks of about 3½ minutes, 118–130 BPM, keys around the Camelot wheel.
        print("Generating 12 × 3.5 min tracks …")
        for i in 0..<12 {
            let path = folder + "/music/track\(i).flac"
            if FileManager.default.fileExists(atPath: path) { continue }
            let bpm = 118 + Double(i % 7) * 2
            var spec = SongSpec(
                style: .fourOnTheFloor, bpm: bpm, keyTonic: (i * 7) % 12, keyIsMinor: i % 2 == 0, introBars: 16,
                bodyBars: Int(210 / (240 / bpm)) - 32, outroBars: 16, seed: UInt64(500 + i))
            spec.gain = 0.5
            try AudioFileWriter.write(
                SongGenerator.render(spec).audio, to: path, format: .flac16,
                tags: AudioTags(title: "Track \(i)", artist: "Artist \(i)"))
        }
        let store = try LibraryStore(path: folder + "/library.sqlite")
        var options = Ingestor.Options()
        options.jobs = 2
        _ = try Ingestor(store: store, options: options).ingest([folder + "/music"])

        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: 110...140), minutes: 30)
        request.artistGapMinutes = 0
        let plan = try MixPlanner(request: request).plan(store: store)
        let stretched = plan.tracks.filter { $0.stretchPercent != 0 }.count
        print(
            String(
                format: "30-minute request: %d tracks, %.1f min, %d transitions (%d stretched)", plan.tracks.count,
                plan.durationS / 60, plan.transitions.count, stretched))
        for quality in [StretchQuality.standard, .draft, .best] {
            var renderer = MixRenderer(plan: plan)
            renderer.quality = quality
            let result = try renderer.render(to: folder + "/mix.flac", format: .flac24)
            print(
                String(
                    format: "  render, %@, one core: %.1f s for %.0f s of mix = %.0f× realtime "
                        + "(%.2f LUFS, %.2f dBTP, limiter active on %.1f %% of frames)",
                    [
                        "standard": "finer engine, short window (default)", "draft": "faster engine (--draft)",
                        "best": "finer engine, standard window (--hq)",
                    ][quality.rawValue]!, result.seconds, plan.durationS,
                    plan.durationS / result.seconds, result.loudnessLUFS ?? 0, result.truePeakDBTP ?? 0,
                    result.limitedShare * 100))
        }

        // Planning on 10,000 tracks with beat grids.
        let big = folder + "/big.sqlite"
        if !FileManager.default.fileExists(atPath: big) {
            print("Writing a 10,000-track library (features and beat grids) …")
            let bigStore = try LibraryStore(path: big)
            let template = try store.trackSummaries(status: .analyzed)
            let beats = try store.beats(trackIDs: template.compactMap(\.track.id))
            var random = SplitMix64(seed: 99)
            func uniform() -> Double { Double(random.next() >> 11) * 0x1.0p-53 }
            for n in 0..<10_000 {
                let source = template[n % template.count]
                var track = source.track
                track.id = nil
                track.path = "/bench/\(n).flac"
                track.contentHash = String(format: "%016x", n)
                track.artist = "Artist \(n % 2_000)"
                var features = source.features!
                // Tempo, key and mood drawn independently, so the library is varied.
                features.bpm = (80 + 100 * uniform()).rounded()
                features.keyTonic = Int(random.next() % 12)
                features.keyMode = random.next() % 2 == 0 ? .major : .minor
                features.energy = uniform()
                features.valence = uniform()
                _ = try bigStore.save(
                    AnalysisRecords(track: track, features: features, beats: beats[source.track.id!] ?? []))
            }
        }
        let bigStore = try LibraryStore(path: big)
        var timings: [Double] = []
        for mood in ["party", "chill", "focus"] {
            var r = MixRequest(mood: try MoodSpace.region(named: mood), minutes: 60)
            r.arc = .warmupPeakCooldown
            let started = Date()
            // The files do not exist; the planner would leave them out, so plan without that check.
            var planner = MixPlanner(request: r)
            planner.requireFiles = false
            let p = try planner.plan(store: bigStore)
            timings.append(Date().timeIntervalSince(started))
            print(
                String(
                    format: "  plan 60 min of %@ from 10,000 tracks: %.2f s (%d tracks, %.0f %% harmonic)", mood,
                    timings.last!, p.tracks.count, p.harmonicShare * 100))
        }
    }
}
