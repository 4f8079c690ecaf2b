import AIDJAnalysis
import AIDJAudio
import AIDJSynth
import Foundation

/// Speed and memory of the analysis and the ingest, on generated 3-minute 44.1 kHz stereo tracks.
///
/// Prints seconds of audio analysed per second of one core, per stage; the 2-worker ingest through the release
/// `aidj` binary with its peak RSS; an unchanged re-ingest of 1,000 files; and the peak RSS of analysing a
/// 1-hour file. Figures only: nothing passes or fails on time. `--keep DIR` keeps the generated files there
/// (`DIR/library/{wav,flac}`), for `Benchmarks/compare_librosa.py` to time the same work on the same files.
enum Speed {
    static func run(arguments: [String]) throws {
        let tracks = Int(value(of: "--tracks", in: arguments) ?? "4") ?? 4
        let kept = value(of: "--keep", in: arguments)
        let folder = kept ?? NSTemporaryDirectory() + "aidj-bench-\(getpid())"
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let binary =
            value(of: "--aidj", in: arguments)
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("aidj")
            .path

        print("Generating \(tracks) × 3 min tracks (44.1 kHz stereo) as WAV and FLAC …")
        var paths: [String] = []
        for i in 0..<tracks {
            let style = GrooveStyle.allCases[i % GrooveStyle.allCases.count]
            let spec = SongSpec(
                style: style, bpm: style.typicalBPM, keyTonic: i % 12, keyIsMinor: i % 2 == 0, introBars: 8,
                bodyBars: Int(180 / (4 * 60 / style.typicalBPM)) - 16, outroBars: 8, seed: UInt64(i))
            let song = SongGenerator.render(spec)
            for format in [AudioFormat.wav16, .flac16] {
                let path = folder + "/library/\(format.fileExtension)/track\(i).\(format.fileExtension)"
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try AudioFileWriter.write(song.audio, to: path, format: format)
                paths.append(path)
            }
        }

        print("\nOne core, per stage (audio seconds per wall second; higher is faster):")
        for ext in ["wav", "flac"] {
            let analyzer = TrackAnalyzer()
            let started = Date()
            for path in paths where path.hasSuffix(ext) { _ = try analyzer.analyze(path: path) }
            let wall = Date().timeIntervalSince(started)
            let t = analyzer.timings
            let stages = StageTimings.Stage.allCases.map { stage in
                String(format: "%@ %.0f×", stage.rawValue, t.audioSeconds / max(t.seconds[stage] ?? 0, 1e-9))
            }
            print(
                String(
                    format: "  %@: %.0f× realtime end to end (%.1f s of audio in %.2f s)", ext.uppercased(),
                    t.audioSeconds / wall, t.audioSeconds, wall))
            print("    " + stages.joined(separator: ", "))
        }

        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("\n(no aidj binary at \(binary): skipping the ingest figures; build it with `make release`)")
            return
        }
        print("\nIngest through \(binary):")
        let db = folder + "/bench.sqlite"
        let ingest = try measure(binary, ["ingest", folder + "/library", "--jobs", "2", "--json", "--db", db])
        let audio = Double(paths.count) * 180
        print(
            String(
                format:
                    "  2 workers: %d files, %.0f s of audio in %.2f s = %.0f× realtime (%.0f× per core), peak RSS %.0f MB",
                paths.count, audio, ingest.seconds, audio / ingest.seconds, audio / ingest.seconds / 2, ingest.peakMB))

        // 1,000 small files: ingest once, then time the unchanged re-ingest.
        let many = folder + "/many"
        let clip = Signals.clip()
        for i in 0..<1000 {
            let path = many + String(format: "/%02d/clip%04d.wav", i / 100, i)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AudioFileWriter.write(clip, to: path, format: .wav16)
        }
        let manyDB = folder + "/many.sqlite"
        let first = try measure(binary, ["ingest", many, "--json", "--db", manyDB])
        let second = try measure(binary, ["ingest", many, "--json", "--db", manyDB])
        print(
            String(
                format: "  1,000 files: first ingest %.2f s; unchanged re-ingest %.3f s (process start included)",
                first.seconds, second.seconds))

        // One hour in one file: memory stays bounded.
        let hour = folder + "/hour.wav"
        let song = SongGenerator.render(
            SongSpec(
                style: .fourOnTheFloor, bpm: 124, keyTonic: 0, keyIsMinor: false,
                bodyBars: 93, seed: 1))
        let writer = try AudioFileWriter(path: hour, format: .wav16, sampleRate: 44_100, channels: 2)
        for _ in 0..<20 { try writer.write(song.audio) }
        try writer.finish()
        let analyze = try measure(binary, ["analyze", hour, "--json"])
        print(
            String(
                format: "  1-hour WAV (%.0f MB): analyse %.1f s (%.0f× realtime), peak RSS %.0f MB",
                Double((try? FileManager.default.attributesOfItem(atPath: hour)[.size] as? Int) ?? 0) / 1e6,
                analyze.seconds, 20 * song.audio.durationSeconds / analyze.seconds, analyze.peakMB))
    }

    struct Measurement {
        var seconds: Double
        var peakMB: Double
    }

    /// Runs a command to completion; wall time and the child's peak resident set size (from wait4). Spawned with
    /// posix_spawn, not Foundation's Process, which may reap the child itself and leave wait4 nothing to report.
    static func measure(_ binary: String, _ arguments: [String]) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: binary]) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        return Measurement(seconds: Date().timeIntervalSince(started), peakMB: Double(usage.ru_maxrss) / 1024)
    }

    static func value(of flag: String, in arguments: [String]) -> String? {
        guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
}

enum Signals {
    /// Half a second of a groove: the smallest real track.
    static func clip() -> AudioBuffer {
        var spec = SongSpec(style: .fourOnTheFloor, bpm: 120, keyTonic: 0, keyIsMinor: false, bodyBars: 1, seed: 1)
        spec.sampleRate = 22_050
        let song = SongGenerator.render(spec)
        return AudioBuffer(channels: song.audio.channels.map { Array($0.prefix(11_025)) }, sampleRate: 22_050)
    }
}
