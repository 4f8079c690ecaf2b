import AIDJAnalysis
import AIDJAssess
import AIDJAudio
import AIDJComposer
import AIDJSynth
import Foundation

/// `aidj-bench assess LABELS.json [--json] [--limit N]`: `aidj assess` on takes with known mistakes (made by
/// `Benchmarks/datasets/takes.py`, rendered through GM soundfonts), against their answers. Prints per take and in
/// total: precision and recall of wrong and missed notes and of extra notes, onset-deviation and cents errors, tuning
/// error, on-time share of unshifted notes (tempo changes must not read as timing errors), the pitch tracker's raw
/// pitch accuracy (frames within 50 cents of the performed pitch, as mir_eval's RPA), and speed.
///
/// With `--recording`, each take is graded against a recording of its reference (the label's `reference_audio`,
/// written by `Benchmarks/datasets/teacher.py`), as `aidj assess take.wav --reference teacher.wav` does: the
/// recording's transcribed notes are the reference. Each score note is then read through the recorded note that
/// sounds it (same pitch, onset within ``recordedNoteSeconds`` after the recording's lead); score notes the
/// recording's transcription lost, and recorded notes that sound no score note (and whether the take is called
/// wrong on them), are counted apart.
///
/// For looking into one take: AIDJ_BENCH_NOTES=1 prints each reference note found against its truth (and how long
/// it sounded),
/// AIDJ_BENCH_PLAYED=1 the notes transcribed, AIDJ_BENCH_PITCH=FROM,TO the pitch track between two times (s);
/// with `--recording`, AIDJ_BENCH_LOST=1 the score notes the recording's transcription lost.
enum AssessBench {
    struct Take: Decodable {
        struct Note: Decodable {
            var index: Int
            var status: String
            var played_pitch: Int?
            var cents: Double?
            var onset_ms: Double?
            /// False where the render never holds the played pitch inside the note's slot (`sounded.py` measures
            /// it in the take): such a note has no one right answer and is left out of the tallies.
            var sounded: Bool?
        }
        struct Extra: Decodable {
            var time_s: Double
            var pitch: Int
        }
        struct Performed: Decodable {
            var onset: Double
            var end: Double
            var hz: Double
        }
        var name: String
        var instrument: String
        var soundfont: String
        var reference: String
        var take: String
        var tuning_cents: Double
        var tempo_ratio: Double
        var notes: [Note]
        var extra: [Extra]
        var performed: [Performed]
        /// A recording of the reference, for `--recording`.
        var reference_audio: String?
    }

    /// Counts for precision and recall.
    struct Tally: Encodable {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        var precision: Double {
            truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        var recall: Double {
            truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        mutating func add(truth: Bool, found: Bool) {
            if truth && found {
                truePositives += 1
            } else if found {
                falsePositives += 1
            } else if truth {
                falseNegatives += 1
            }
        }
        static func + (a: Tally, b: Tally) -> Tally {
            Tally(
                truePositives: a.truePositives + b.truePositives, falsePositives: a.falsePositives + b.falsePositives,
                falseNegatives: a.falseNegatives + b.falseNegatives)
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(precision, forKey: .precision)
            try c.encode(recall, forKey: .recall)
            try c.encode(truePositives, forKey: .tp)
            try c.encode(falsePositives, forKey: .fp)
            try c.encode(falseNegatives, forKey: .fn)
        }
        enum Keys: String, CodingKey { case precision, recall, tp, fp, fn }
    }

    struct Result: Encodable {
        var name: String
        var instrument: String
        var soundfont: String
        var error: String?
        var wrong = Tally()
        var missed = Tally()
        /// Wrong and missed notes together, leaving out notes whose true deviation is within 5 cents of ±50: there
        /// the ±50-cent rule decides on less than the pitch tracker's error, and either answer is fair.
        var clearErrors = Tally()
        var extra = Tally()
        var onsetErrors: [Double] = []  // ms, |found − true| for notes played by both
        var shiftedOnsetErrors: [Double] = []  // the same, notes with an injected shift
        var centsErrors: [Double] = []
        var tuningError: Double?
        var tempoRatio: Double
        var unshiftedOnTime = 0
        var unshifted = 0
        var rawPitchHits = 0
        var rawPitchFrames = 0
        var audioSeconds = 0.0
        var pitchSeconds = 0.0
        var totalSeconds = 0.0
        /// With `--recording`: score notes, those the recording's transcription lost, recorded notes that sound no
        /// score note, and of those the ones the take was called wrong or missed on.
        var scoreNotes = 0
        var lostNotes = 0
        var phantomNotes = 0
        var phantomFlagged = 0
        /// Notes the labels mark as not sounded at their pitch by the render, left out of the tallies.
        var unsoundedNotes = 0
    }

    /// How far (s) a recorded reference note's onset may lie from the score note it sounds.
    static let recordedNoteSeconds = 0.08

    /// `aidj-bench assess --speed`: a 3-minute take of a corpus melody (AIDJSynth, 44.1 kHz FLAC), decoded and
    /// assessed on one core, best of three; and the pitch tracker alone.
    static func speed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aidj-assess-speed-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A melody of 360 notes: a scale pattern at 120 BPM in eighths and quarters, 3 minutes long.
        var notes: [MIDIFile.Note] = []
        var tick = 0
        for k in 0..<360 {
            let length = k % 3 == 2 ? 960 : 240
            let pitch = 60 + [0, 2, 4, 5, 7, 9, 11, 12, 11, 9, 7, 5, 4, 2][k % 14] + (k / 14 % 2) * 2
            notes.append(MIDIFile.Note(startTick: tick, endTick: tick + length * 9 / 10, pitch: pitch))
            tick += length
        }
        let midi = MIDIFile(ticksPerQuarter: 480, format: 1, notes: notes, tempos: [(0, 500_000)])
        let rate = 44_100.0
        var samples = [Float](repeating: 0, count: Int((midi.seconds(atTick: tick) + 1) * rate))
        for note in notes {
            let start = midi.seconds(atTick: note.startTick)
            Voice.tone(
                into: &samples, at: Int((0.5 + start) * rate), sampleRate: rate, midi: Double(note.pitch),
                duration: midi.seconds(atTick: note.endTick) - start, gain: 0.3, release: 0.03)
        }
        let take = folder.appendingPathComponent("take.flac").path
        try AudioFileWriter.write(AudioBuffer(mono: samples, sampleRate: Int(rate)), to: take, format: .flac16)
        let reference = try ReferenceScore(midi: midi, path: "scale.mid")
        let audioSeconds = Double(samples.count) / rate
        var best = Double.infinity
        var pitchBest = Double.infinity
        for _ in 0..<3 {
            let started = Date()
            let a = try Assessor().assess(takePath: take, reference: reference)
            best = min(best, Date().timeIntervalSince(started))
            precondition(a.summary.noteAccuracy > 0.95, "the speed take should assess cleanly")
            let mono = try AudioFileReader(path: take).readMono(sampleRate: 16_000)
            let pitchStarted = Date()
            _ = PitchTracker().track(mono)
            pitchBest = min(pitchBest, Date().timeIntervalSince(pitchStarted))
        }
        print(
            String(
                format: "assess: %.0f s take (44.1 kHz FLAC, %d notes) in %.2f s on one core: %.0f× realtime",
                audioSeconds, notes.count, best, audioSeconds / best))
        print(
            String(
                format: "pitch tracker (pYIN, 16 kHz, 10 ms hops): %.0f× realtime per core", audioSeconds / pitchBest))
    }

    static func run(arguments: [String]) throws {
        if arguments.contains("--speed") { return try speed() }
        guard arguments.count >= 2, !arguments[1].hasPrefix("--") else {
            throw BenchError("usage: aidj-bench assess LABELS.json [--json] [--limit N] [--recording] | assess --speed")
        }
        let recording = arguments.contains("--recording")
        let json = arguments.contains("--json")
        var limit = Int.max
        if let k = arguments.firstIndex(of: "--limit") {
            guard k + 1 < arguments.count, let n = Int(arguments[k + 1]), n > 0 else {
                throw BenchError("--limit needs a positive count")
            }
            limit = n
        }
        let labels = URL(fileURLWithPath: arguments[1])
        let data = try Data(contentsOf: labels)
        // Paths are relative to the labels' folder unless absolute (the committed fixtures are relative).
        let folder = labels.deletingLastPathComponent()
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
        }
        let takes = try JSONDecoder().decode([Take].self, from: data).prefix(limit).map { take -> Take in
            var resolved = take
            resolved.reference = resolve(take.reference)
            resolved.take = resolve(take.take)
            resolved.reference_audio = take.reference_audio.map(resolve)
            return resolved
        }
        var results: [Result] = []
        for take in takes {
            let result = evaluate(take, recording: recording)
            results.append(result)
            if !json { print(line(result)) }
        }
        let total = summary(results)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            struct Report: Encodable {
                var takes: [Result]
                var total: [String: Double]
            }
            print(String(decoding: try encoder.encode(Report(takes: results, total: total)), as: UTF8.self))
        } else {
            for (key, value) in total.sorted(by: { $0.key < $1.key }) {
                print(String(format: "%-28@ %.3f", key, value))
            }
        }
    }

    static func evaluate(_ take: Take, recording: Bool = false) -> Result {
        var result = Result(
            name: take.name, instrument: take.instrument, soundfont: take.soundfont, tempoRatio: take.tempo_ratio)
        let started = Date()
        do {
            let reference = try ReferenceScore(midi: MIDIFile(contentsOf: take.reference), path: take.reference)
            let assessor = Assessor()
            let samples = try AudioFileReader(path: take.take).readMono(
                sampleRate: assessor.transcriber.configuration.sampleRate)
            result.audioSeconds = Double(samples.count) / assessor.transcriber.configuration.sampleRate
            let pitchStarted = Date()
            let transcription = assessor.transcriber.transcribe(samples)
            result.pitchSeconds = Date().timeIntervalSince(pitchStarted)
            let assessment: Assessment
            if !recording {
                assessment = try assessor.grade(transcription, takeName: take.take, reference: reference)
            } else {
                guard let audio = take.reference_audio else { throw BenchError("\(take.name): no reference_audio") }
                let recorded = try ReferenceScore(recordingAt: audio, transcriber: assessor.transcriber)
                let graded = try assessor.grade(transcription, takeName: take.take, reference: recorded)
                assessment = throughRecording(graded, recorded: recorded, score: reference, into: &result)
            }
            result.totalSeconds = Date().timeIntervalSince(started)
            score(assessment, against: take, into: &result)
            if let range = ProcessInfo.processInfo.environment["AIDJ_BENCH_PITCH"]?.split(separator: ","),
                range.count == 2, let from = Double(range[0]), let to = Double(range[1])
            {
                let track = transcription.pitch
                let frames = Int(from / track.hopSeconds)...Int(to / track.hopSeconds)
                print(
                    frames.map {
                        String(format: "%.2f:%.2f", track.time(ofFrame: $0), track.midiPitch(ofFrame: $0) ?? 0)
                    }.joined(separator: " "))
            }
            if ProcessInfo.processInfo.environment["AIDJ_BENCH_PLAYED"] != nil {
                for n in transcription.notes {
                    print(
                        String(
                            format: "  played %6.3f–%6.3f %6.2f %5.1f LUFS%@", n.onset, n.offset, n.pitch,
                            n.loudness ?? -99,
                            n.repeatCandidates.isEmpty
                                ? ""
                                : " repeats? "
                                    + n.repeatCandidates.map { String(format: "%.3f", $0) }.joined(separator: " ")))
                }
            }
            if ProcessInfo.processInfo.environment["AIDJ_BENCH_NOTES"] != nil {
                for (f, t) in zip(assessment.notes, take.notes) {
                    print(
                        String(
                            format:
                                "  %3d bar %2d ref %6.2f take %@ %@/%@ pitch %d→%@/%@ onset %@ vs %@ cents %@ vs %@"
                                + " dur %@%@",
                            f.index, f.bar, f.referenceTime, f.takeTime.map { String(format: "%6.2f", $0) } ?? "   -  ",
                            f.status.rawValue, t.status, f.referencePitch,
                            f.playedPitch.map(String.init) ?? "-", t.played_pitch.map(String.init) ?? "-",
                            f.onsetMilliseconds.map { String(format: "%6.1f", $0) } ?? "   -  ",
                            t.onset_ms.map { String(format: "%6.1f", $0) } ?? "   -  ",
                            f.cents.map { String(format: "%5.1f", $0) } ?? "  -  ",
                            t.cents.map { String(format: "%5.1f", $0) } ?? "  -  ",
                            f.takeDuration.map { String(format: "%.3f", $0) } ?? "-",
                            t.sounded == false ? " (not sounded: left out)" : ""))
                }
                for e in assessment.extra { print(String(format: "  extra %.2f pitch %d", e.time, e.pitch)) }
                for e in take.extra { print(String(format: "  true extra %.2f pitch %d", e.time_s, e.pitch)) }
            }
            rawPitch(transcription.pitch, performed: take.performed, into: &result)
        } catch {
            result.error = String(describing: error)
        }
        return result
    }

    /// The grades of a take assessed against a recording, read back onto the score's notes: each score note takes
    /// the grade of the recorded note that sounds it (in order; same pitch, onset within ``recordedNoteSeconds``).
    /// A score note the recording lost is graded ok (nothing was flagged on it) and counted in `lostNotes`. Onsets
    /// are compared after the recording's lead (the median offset of score notes to recorded notes of their pitch).
    static func throughRecording(
        _ graded: Assessment, recorded: ReferenceScore, score: ReferenceScore, into r: inout Result
    ) -> Assessment {
        var result = graded
        var used = Set<Int>()
        var next = 0
        guard let template = graded.notes.first else { return graded }
        // The recording's clock against the score's: the median onset difference of each score note to the nearest
        // recorded note of its pitch (a render or a player starts when it starts).
        let offsets = score.notes.compactMap { note in
            recorded.notes.filter { $0.pitch == note.pitch }.map { $0.onset - note.onset }.min { abs($0) < abs($1) }
        }.sorted()
        let lead = offsets.isEmpty ? 0 : offsets[offsets.count / 2]
        result.notes = score.notes.enumerated().map { i, note in
            // A score note nothing recorded sounds: graded ok, with nothing measured.
            var grade = template
            (grade.index, grade.status, grade.referencePitch, grade.playedPitch) = (i, .ok, note.pitch, nil)
            (grade.cents, grade.onsetMilliseconds, grade.tempoMilliseconds, grade.durationRatio) = (nil, nil, nil, nil)
            (grade.takeTime, grade.takeDuration) = (nil, nil)
            (grade.referenceTime, grade.bar, grade.beat) = (note.onset, note.bar, note.beat)
            let j = (next..<recorded.notes.count).first {
                recorded.notes[$0].pitch == note.pitch
                    && abs(recorded.notes[$0].onset - lead - note.onset) <= recordedNoteSeconds
            }
            if let j {
                used.insert(j)
                next = j + 1
                grade = graded.notes[j]
                grade.index = i
            } else {
                r.lostNotes += 1
                if ProcessInfo.processInfo.environment["AIDJ_BENCH_LOST"] != nil {
                    let near = recorded.notes.filter { abs($0.onset - lead - note.onset) < 0.5 }.map {
                        String(format: "%d@%+.3f", $0.pitch, $0.onset - lead - note.onset)
                    }
                    print(
                        String(
                            format: "  lost: score note %d (pitch %d, %.2f s); recorded near it: %@", i, note.pitch,
                            note.onset, near.joined(separator: " ")))
                }
            }
            return grade
        }
        r.scoreNotes += score.notes.count
        for (j, g) in graded.notes.enumerated() where !used.contains(j) {
            r.phantomNotes += 1
            if g.status != .ok { r.phantomFlagged += 1 }
        }
        return result
    }

    static func score(_ a: Assessment, against take: Take, into r: inout Result) {
        for (found, truth) in zip(a.notes, take.notes) {
            if truth.sounded == false {
                r.unsoundedNotes += 1
                continue
            }
            r.wrong.add(truth: truth.status == "wrong_pitch", found: found.status == .wrongPitch)
            r.missed.add(truth: truth.status == "missed", found: found.status == .missed)
            if abs(abs(truth.cents ?? 0) - 50) > 5 {
                let isError = truth.status != "ok"
                let foundError = found.status != .ok
                let same = found.status.rawValue == truth.status
                r.clearErrors.add(truth: isError, found: foundError && (same || !isError))
                if isError && foundError && !same { r.clearErrors.falsePositives += 1 }
            }
            if truth.status != "missed", found.status != .missed {
                if let f = found.onsetMilliseconds, let t = truth.onset_ms {
                    r.onsetErrors.append(abs(f - t))
                    if t != 0 {
                        r.shiftedOnsetErrors.append(abs(f - t))
                    } else {
                        r.unshifted += 1
                        if abs(f) <= Assessor.onTimeMilliseconds { r.unshiftedOnTime += 1 }
                    }
                }
                if found.playedPitch == truth.played_pitch, let f = found.cents, let t = truth.cents {
                    r.centsErrors.append(abs(f - t))
                }
            }
        }
        // Extra notes: the same pitch within 100 ms.
        var unmatched = take.extra
        for e in a.extra {
            if let k = unmatched.firstIndex(where: { $0.pitch == e.pitch && abs($0.time_s - e.time) <= 0.1 }) {
                unmatched.remove(at: k)
                r.extra.add(truth: true, found: true)
            } else {
                r.extra.add(truth: false, found: true)
            }
        }
        for _ in unmatched { r.extra.add(truth: true, found: false) }
        r.tuningError = abs(a.tuningCents - take.tuning_cents)
    }

    /// Frames inside a performed note (30 ms in from either end, no other note sounding) whose pitch is within 50
    /// cents of the performed frequency; an unvoiced frame there is a miss.
    static func rawPitch(_ track: PitchTrack, performed: [Take.Performed], into r: inout Result) {
        let sorted = performed.sorted { $0.onset < $1.onset }
        for (k, note) in sorted.enumerated() {
            let lo = note.onset + 0.03
            var hi = note.end - 0.03
            if k + 1 < sorted.count { hi = min(hi, sorted[k + 1].onset - 0.01) }
            let first = Int((lo / track.hopSeconds).rounded(.up))
            let last = Int((hi / track.hopSeconds).rounded(.down))
            guard first <= last else { continue }
            for frame in first...last where frame < track.frameCount {
                r.rawPitchFrames += 1
                if let p = track.midiPitch(ofFrame: frame),
                    abs(p - PitchTrack.midiPitch(hertz: note.hz)) <= 0.5
                {
                    r.rawPitchHits += 1
                }
            }
        }
    }

    static func line(_ r: Result) -> String {
        if let error = r.error { return "\(r.name) \(r.instrument) \(r.soundfont): ERROR \(error)" }
        func m(_ v: [Double]) -> String { v.isEmpty ? "  -  " : String(format: "%5.1f", medianOf(v)) }
        return String(
            format:
                "%-34@ %-8@ %-9@ wrong %d/%d/%d missed %d/%d/%d extra %d/%d/%d onset %@ shifted %@ cents %@ tuning %4.1f RPA %.3f",
            r.name, r.instrument, r.soundfont, r.wrong.truePositives, r.wrong.falsePositives, r.wrong.falseNegatives,
            r.missed.truePositives, r.missed.falsePositives, r.missed.falseNegatives, r.extra.truePositives,
            r.extra.falsePositives, r.extra.falseNegatives, m(r.onsetErrors), m(r.shiftedOnsetErrors),
            m(r.centsErrors), r.tuningError ?? -1,
            r.rawPitchFrames == 0 ? 0 : Double(r.rawPitchHits) / Double(r.rawPitchFrames))
    }

    static func summary(_ results: [Result]) -> [String: Double] {
        let ok = results.filter { $0.error == nil }
        let wrong = ok.map(\.wrong).reduce(Tally(), +)
        let missed = ok.map(\.missed).reduce(Tally(), +)
        let extra = ok.map(\.extra).reduce(Tally(), +)
        let errors = Tally(
            truePositives: wrong.truePositives + missed.truePositives,
            falsePositives: wrong.falsePositives + missed.falsePositives,
            falseNegatives: wrong.falseNegatives + missed.falseNegatives)
        let clear = ok.map(\.clearErrors).reduce(Tally(), +)
        let tempoTakes = ok.filter { $0.tempoRatio < 0.9 || $0.tempoRatio > 1.1 }
        let audio = ok.map(\.audioSeconds).reduce(0, +)
        var figures: [String: Double] = [
            "takes": Double(results.count), "failed": Double(results.count - ok.count),
            "wrong_precision": wrong.precision, "wrong_recall": wrong.recall,
            "missed_precision": missed.precision, "missed_recall": missed.recall,
            "error_precision": errors.precision, "error_recall": errors.recall,
            "error_precision_off_boundary": clear.precision, "error_recall_off_boundary": clear.recall,
            "extra_precision": extra.precision, "extra_recall": extra.recall,
            "onset_error_median_ms": medianOf(ok.flatMap(\.onsetErrors)),
            "shifted_onset_error_median_ms": medianOf(ok.flatMap(\.shiftedOnsetErrors)),
            "cents_error_median": medianOf(ok.flatMap(\.centsErrors)),
            "tuning_error_median": medianOf(ok.compactMap(\.tuningError)),
            "tuning_error_max": ok.compactMap(\.tuningError).max() ?? 0,
            "unshifted_on_time_share": Double(ok.map(\.unshiftedOnTime).reduce(0, +))
                / Double(max(1, ok.map(\.unshifted).reduce(0, +))),
            "tempo_takes_on_time_share": Double(tempoTakes.map(\.unshiftedOnTime).reduce(0, +))
                / Double(max(1, tempoTakes.map(\.unshifted).reduce(0, +))),
            "raw_pitch_accuracy": Double(ok.map(\.rawPitchHits).reduce(0, +))
                / Double(max(1, ok.map(\.rawPitchFrames).reduce(0, +))),
            "pitch_x_realtime": audio / max(1e-9, ok.map(\.pitchSeconds).reduce(0, +)),
            "assess_x_realtime": audio / max(1e-9, ok.map(\.totalSeconds).reduce(0, +)),
        ]
        let unsounded = ok.map(\.unsoundedNotes).reduce(0, +)
        if unsounded > 0 { figures["unsounded_notes_left_out"] = Double(unsounded) }
        let scoreNotes = ok.map(\.scoreNotes).reduce(0, +)
        if scoreNotes > 0 {
            figures["recording_lost_share"] = Double(ok.map(\.lostNotes).reduce(0, +)) / Double(scoreNotes)
            figures["recording_phantom_notes"] = Double(ok.map(\.phantomNotes).reduce(0, +))
            figures["recording_phantom_flagged"] = Double(ok.map(\.phantomFlagged).reduce(0, +))
        }
        return figures
    }

    static func medianOf(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
