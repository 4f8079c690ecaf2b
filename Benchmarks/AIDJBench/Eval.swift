import AIDJAnalysis
import AIDJCore
import AIDJLearning
import AIDJTaste
import Foundation

/// `aidj-bench eval LABELS.csv [--estimates PEER.csv] [--save-estimates OUT.csv] [--confirm PEER.csv] [--group G]
/// [--held-out] [--jobs N] [--trim S] [--json]`: scores aidj (or a peer's answers) against labelled files.
/// `--held-out` keeps the pieces the key and tempo models were not fitted on (the split of `train-key`).
///
/// LABELS.csv has the columns `file,key,bpm,beats` (paths relative to the CSV; `beats` names a file of
/// `time<TAB>beat-in-bar` lines, 1 marking a downbeat) and optionally `group` (reported apart) and `key_confidence`
/// (for estimates). An empty key, a bpm of 0 or no beats file leaves that measure out for the file; `beats` = `none`
/// says the file has no beat at all (ambient pads, sound effects), and the summary counts those given a beat grid
/// anyway. Measures: key MIREX weighted score with the relation counts and the ROC AUC of the key confidence (exact key
/// = positive); tempo Acc1/Acc2 (Gouyon et al. 2006); beat F-measure (±70 ms), CMLt and AMLt (Davies et al. 2009), with
/// beats in the first `--trim` seconds (default 5, as MIREX) left out; downbeat F-measure (±70 ms) with the kind of
/// each bar reading (``BeatEvaluation/BarReading``: on the bar, a beat early or late, half a bar off, another meter);
/// and the median distance of the first and last 16 reference beats to the nearest estimate (grid drift). With
/// `--confirm`, that distance counts only the reference beats that a second source's beats confirm (one within
/// ``confirmSeconds``): where unlabelled records fade out or end in a beatless tail, madmom and Essentia part ways (on
/// two Debian game-music tracks, madmom's last beats speed up from 375 to 310 ms apart while Essentia's slow down to
/// 440–480 ms), and a phase measured there measures the reference. It also gives the beat F-measure over the files
/// whose two sources agree on the tempo (Acc1), the set the issue's bar for real records is stated on, and over the
/// files where they also agree on the beats (``beatsAgreeF``), with the phase p95 at both ends there.
enum Eval {
    struct Answer: Sendable {
        var key: MusicalKey?
        var keyConfidence: Double
        var bpm: Double
        var beats: [Double]
        /// 1 for a downbeat; nil when the source gives no bar positions.
        var barPositions: [Int]?
        /// The tempo sections reported (aidj only); nil when the source reports none.
        var sections: [TempoSection]? = nil
        /// The file's length (s; aidj only).
        var duration: Double? = nil
        /// The tracked grid's ``BeatPhase`` score (aidj only): below −margin it was moved half a beat.
        var beatPhaseScore: Double? = nil
    }

    struct Row: Sendable {
        var file: String
        var path: String
        var group: String
        var reference: Answer
        /// The labels say the file has no beat at all (`beats` is `none`): ambient pads, sound effects, noise.
        var beatless = false
    }

    struct FileResult: Codable {
        var file: String
        var group: String
        var referenceKey: String?
        var estimatedKey: String?
        var keyRelation: KeyEvaluation.Relation?
        var keyScore: Double?
        var keyConfidence: Double
        var referenceBPM: Double?
        var estimatedBPM: Double
        var acc1: Bool?
        var acc2: Bool?
        var beatF: Double?
        var cmlt: Double?
        var amlt: Double?
        var downbeatF: Double?
        /// The kind of bar reading (``BeatEvaluation/BarReading``): on the bar, shifted, another meter, beats off.
        var barReading: String?
        var startPhaseMS: Double?
        var endPhaseMS: Double?
        var strayBeatShare: Double?
        /// With `--confirm`: whether the confirming source's tempo is within 4 % of the reference's (Acc1). Where
        /// two independent trackers agree on an unlabelled record's tempo, their beats are the better reference.
        var sourcesAgree: Bool?
        /// With `--confirm`: the confirming source's beat F-measure against the reference's beats. Low where the two
        /// trackers agree on the tempo but put their beats on different phases (one on the off-beat), or part ways
        /// through the record.
        var sourcesBeatF: Double?
        /// Whether the reference's closing tempo differs from its opening one (by more than 4 %).
        var referenceChangesTempo: Bool?
        /// Whether the estimate reports more than one tempo section (nil: the source reports no sections).
        var changeReported: Bool?
        /// The closing tempo: of the reference's last 16 beats, and the estimate's last section (else its beats).
        var referenceEndBPM: Double?
        var estimatedEndBPM: Double?
        var endAcc1: Bool?
        /// For a file labelled beatless: the seconds its estimated beats span (0 without beats).
        var beatlessGridSeconds: Double?
        var durationSeconds: Double?
        var error: String?
    }

    struct Summary: Codable {
        var group: String
        var files: Int
        var keyFiles: Int
        var keyWeighted: Double?
        var keyRelations: [String: Int]
        var keyConfidenceAUC: Double?
        var tempoFiles: Int
        var acc1: Double?
        var acc2: Double?
        var beatFiles: Int
        var beatF: Double?
        var cmlt: Double?
        var amlt: Double?
        var downbeatFiles: Int
        var downbeatF: Double?
        /// Files per kind of bar reading.
        var barReadings: [String: Int]
        var startPhaseP95MS: Double?
        var endPhaseP95MS: Double?
        /// The same over the files whose tempo agrees with the reference's (Acc1): there a phase error is drift or
        /// an offset, not a beat at another metrical level (a grid at half tempo sits half a period from every
        /// other reference beat, and one such file sets the p95 of a few dozen).
        var startPhaseP95AgreeingMS: Double?
        var endPhaseP95AgreeingMS: Double?
        var strayBeatShare: Double?
        /// With `--confirm`: the files whose two sources agree on the tempo, and the beat F-measure over them.
        var agreedFiles: Int
        var agreedBeatF: Double?
        /// With `--confirm`: the files whose two sources agree on the beats as well (``sourcesBeatF`` at least
        /// ``beatsAgreeF``), the beat F-measure over them, and the phase p95 at both ends over those whose tempo
        /// agrees with the estimate's.
        var beatsAgreedFiles: Int
        var beatsAgreedBeatF: Double?
        var startPhaseP95BeatsAgreedMS: Double?
        var endPhaseP95BeatsAgreedMS: Double?
        /// Files whose reference changes tempo, and of them those where a change was reported.
        var tempoChangeFiles: Int
        var tempoChangesReported: Int
        /// Files whose reference keeps its tempo but where a change was reported.
        var falseTempoChanges: Int
        /// Acc1 of the closing tempo.
        var endAcc1: Double?
        /// Files labelled beatless, those given a beat grid anyway (two beats or more), and the share of their
        /// length the grids span on average.
        var beatlessFiles: Int
        var beatlessGridded: Int
        var beatlessGridShare: Double?
    }

    static func run(arguments: [String]) throws {
        var positional: [String] = []
        var estimatesPath: String?, savePath: String?, onlyGroup: String?, confirmPath: String?
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        var trim = 5.0, json = false, heldOutOnly = false
        var i = 1
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw BenchError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--estimates": estimatesPath = try value()
            case "--save-estimates": savePath = try value()
            case "--confirm": confirmPath = try value()
            case "--group": onlyGroup = try value()
            case "--jobs": jobs = max(1, Int(try value()) ?? 1)
            case "--trim": trim = Double(try value()) ?? 5
            case "--json": json = true
            case "--held-out": heldOutOnly = true
            case let option where option.hasPrefix("--"): throw BenchError("eval: unknown option \(option)")
            default: positional.append(arguments[i])
            }
            i += 1
        }
        guard let labelsPath = positional.first else {
            throw BenchError(
                "usage: aidj-bench eval LABELS.csv [--estimates PEER.csv] [--save-estimates OUT.csv] [--confirm PEER.csv] [--group G] [--held-out] [--jobs N] [--trim S] [--json]"
            )
        }
        var rows = try readRows(labelsPath)
        if let onlyGroup { rows = rows.filter { $0.group == onlyGroup } }
        if heldOutOnly {
            rows = rows.filter { TrainKey.isHeldOut(piece: TrainKey.piece(ofPath: $0.path)) }
        }
        let estimates: [Answer?]
        if let estimatesPath {
            let byPath = Dictionary(try readRows(estimatesPath).map { ($0.path, $0.reference) }) { a, _ in a }
            estimates = rows.map { byPath[$0.path] }
        } else {
            estimates = analyze(rows, jobs: jobs, progress: !json)
        }
        if let savePath { try save(estimates, rows: rows, to: savePath) }
        let confirming = try confirmPath.map { path in
            Dictionary(try readRows(path).map { ($0.path, $0.reference) }) { a, _ in a }
        }
        let results = zip(rows, estimates).map { row, estimate in
            score(
                row, estimate, trim: trim,
                confirming: confirming.map { $0[row.path] ?? Answer(keyConfidence: 0, bpm: 0, beats: []) })
        }
        let groups = Array(Set(rows.map(\.group))).sorted()
        var summaries =
            groups.count > 1 ? groups.map { g in summarize(results.filter { $0.group == g }, group: g) } : []
        summaries.append(summarize(results, group: "all"))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            struct Report: Codable {
                var labels: String
                var estimates: String
                var files: [FileResult]
                var summary: [Summary]
            }
            let report = Report(
                labels: labelsPath, estimates: estimatesPath ?? "aidj", files: results, summary: summaries)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            printTable(results, summaries: summaries)
            let moved = zip(rows, estimates).compactMap { row, estimate in
                estimate?.beatPhaseScore.flatMap { BeatPhase.isOffBeat(score: $0) ? (row.file, $0) : nil }
            }
            if estimatesPath == nil {
                print(
                    "beat phase: \(moved.count) grids moved half a beat"
                        + moved.map { String(format: " %@ (%.2f)", $0.0, $0.1) }.joined(separator: ","))
            }
        }
    }

    // MARK: Reading labels

    static func readRows(_ csvPath: String) throws -> [Row] {
        guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else {
            throw BenchError("cannot read labels '\(csvPath)'")
        }
        let base = URL(fileURLWithPath: csvPath).deletingLastPathComponent()
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first.map(ListeningHistory.csvFields) else {
            throw BenchError("'\(csvPath)' is empty")
        }
        guard let fileColumn = header.firstIndex(of: "file") else {
            throw BenchError("'\(csvPath)': no 'file' column")
        }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        var rows: [Row] = []
        for (n, line) in lines.dropFirst().enumerated() {
            let fields = ListeningHistory.csvFields(line)
            func field(_ name: String) -> String? {
                column(name).flatMap { $0 < fields.count ? fields[$0] : nil }.flatMap { $0.isEmpty ? nil : $0 }
            }
            guard fileColumn < fields.count else { throw BenchError("'\(csvPath)' line \(n + 2): no file") }
            var key: MusicalKey?
            if let text = field("key") {
                guard let parsed = MusicalKey(parsing: text) else {
                    throw BenchError("'\(csvPath)' line \(n + 2): cannot read key '\(text)'")
                }
                key = parsed
            }
            var beats: [Double] = [], positions: [Int]? = nil
            let beatless = field("beats") == "none"
            if let beatsFile = field("beats"), !beatless {
                (beats, positions) = try readBeats(resolve(beatsFile))
            }
            rows.append(
                Row(
                    file: fields[fileColumn], path: resolve(fields[fileColumn]), group: field("group") ?? "all",
                    reference: Answer(
                        key: key, keyConfidence: Double(field("key_confidence") ?? "") ?? 0,
                        bpm: Double(field("bpm") ?? "") ?? 0, beats: beats, barPositions: positions),
                    beatless: beatless))
        }
        return rows
    }

    static func readBeats(_ path: String) throws -> ([Double], [Int]?) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError("cannot read beats '\(path)'")
        }
        var times: [Double] = [], positions: [Int] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard let t = parts.first.flatMap({ Double($0) }) else { continue }
            times.append(t)
            positions.append(parts.count > 1 ? Int(Double(parts[1]) ?? 0) : 0)
        }
        return (times, positions.contains(1) ? positions : nil)
    }

    // MARK: Running aidj

    static func analyze(_ rows: [Row], jobs: Int, progress: Bool) -> [Answer?] {
        analyses(rows, jobs: jobs, progress: progress).map { analysis in
            analysis.map { a in
                Answer(
                    key: a.key, keyConfidence: a.keyConfidence, bpm: a.bpm,
                    beats: a.beats.times, barPositions: a.beats.barPositions, sections: a.beats.sections,
                    duration: a.durationSeconds, beatPhaseScore: a.beatPhaseScore)
            }
        }
    }

    /// Analyses every row's file, `jobs` files at a time, one analyzer per worker.
    static func analyses(_ rows: [Row], jobs: Int, progress: Bool) -> [TrackAnalysis?] {
        perFile(rows, jobs: jobs, progress: progress ? "analysed" : nil) { try $0.analyze(path: $1.path) }
    }

    /// `body` on every row, `jobs` rows at a time, with one analyzer per worker; a row whose body throws prints the
    /// error and gives nil. With a `progress` label, a count on a terminal.
    static func perFile<T>(
        _ rows: [Row], jobs: Int, progress: String?, _ body: @Sendable (TrackAnalyzer, Row) throws -> T?
    ) -> [T?] {
        let results = Locked([T?](repeating: nil, count: rows.count))
        let done = Locked(0)
        let started = Date()
        let shown = progress != nil && isatty(2) != 0
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(rows.count, 1))) { worker in
            let analyzer = TrackAnalyzer()
            for index in stride(from: worker, to: rows.count, by: jobs) {
                var answer: T?
                do {
                    answer = try body(analyzer, rows[index])
                } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                }
                results.withLock { $0[index] = answer }
                let count = done.withLock { (n: inout Int) -> Int in
                    n += 1
                    return n
                }
                if shown {
                    FileHandle.standardError.write(
                        Data(
                            String(
                                format: "\r%@ %d/%d (%.0f s)", progress!, count, rows.count,
                                -started.timeIntervalSinceNow
                            ).utf8))
                }
            }
        }
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        return results.withLock { $0 }
    }

    /// `aidj-bench key-features LABELS.csv… --out FEATURES.csv`: the key profiles of every labelled file, one row
    /// each (file, key, group, tonal weight, then treble and bass, 12 values each), for
    /// fitting and checking the key model.
    static func keyFeatures(arguments: [String]) throws {
        let usage = "aidj-bench key-features LABELS.csv… --out FEATURES.csv"
        let (labels, out) = try TrainTempo.filesAndOut(arguments, usage: usage)
        guard let out else { throw BenchError("usage: \(usage)") }
        let rows = try labels.flatMap { try readRows($0) }.filter { $0.reference.key != nil }
        let analyses = analyses(rows, jobs: ProcessInfo.processInfo.activeProcessorCount, progress: true)
        var csv =
            "file,key,group,tonal" + ["t", "b"].flatMap { p in (0..<12).map { ",\(p)\($0)" } }.joined() + ",ends"
            + ["et", "eb"].flatMap { p in (0..<12).map { ",\(p)\($0)" } }.joined()
        csv += "\n"
        for (row, analysis) in zip(rows, analyses) {
            guard let p = analysis?.keyProfiles else { continue }
            let values =
                [p.tonalFrames] + p.treble + p.bass + [p.hasEnding ? 1 : 0] + p.endingTreble + p.endingBass
            csv +=
                "\(row.path),\(row.reference.key!),\(row.group),"
                + values.map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
        }
        try csv.write(toFile: out, atomically: true, encoding: .utf8)
        print("\(rows.count) files → \(out)")
    }

    static func save(_ answers: [Answer?], rows: [Row], to path: String) throws {
        let folder = path + "-beats"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var csv = "file,key,bpm,beats,key_confidence\n"
        for (row, answer) in zip(rows, answers) {
            guard let answer else { continue }
            let stem = row.file.replacingOccurrences(of: "/", with: "_")
            let beatsPath = "\(folder)/\(stem).beats"
            let lines = answer.beats.indices.map { i in
                String(format: "%.4f\t%d", answer.beats[i], answer.barPositions?[i] ?? 0)
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: beatsPath, atomically: true, encoding: .utf8)
            csv += "\(row.path),\(answer.key?.description ?? ""),\(String(format: "%.3f", answer.bpm)),\(beatsPath),"
            csv += String(format: "%.4f\n", answer.keyConfidence)
        }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Scoring

    /// Largest distance (s) between a reference beat and a confirming one: half the F-measure's window.
    static let confirmSeconds = BeatEvaluation.window / 2

    /// The confirming source's beat F-measure against the reference from which the two count as agreeing on the
    /// beats (``FileResult/sourcesBeatF``): they put the same beats on at least two of every three. Where two
    /// trackers agree on the tempo but not on the phase, one of them is on the off-beat through that stretch, so
    /// their F-measure reads about the share of the record on which they agree: on the Debian game-music records,
    /// near 0 where one keeps the other phase throughout (FreedroidRPG's `AmbientBattle` and `TechBattle`, Tux
    /// Racer's `spunkyrace`, hyperrogue's `caves`), 0.45 where madmom changes phase half-way (`credits1-cp`) and
    /// 0.44 where both leave a steady grid for a minute (hyperrogue's `hell`), and 0.63 and more on the rest.
    /// Against a reference that an equally strong tracker disputes, a figure says which of them the estimate sided
    /// with, not whether it is right (Holzapfel et al. 2012, "Selective sampling for beat tracking
    /// evaluation", IEEE TASLP 20(9): how far a committee of beat trackers agrees with each other predicts how far
    /// they agree with human annotations, so where they part ways none of them is a reliable reference).
    static let beatsAgreeF = 2.0 / 3

    /// - Parameter confirming: a second source's answer; when given, only the reference beats its beats confirm
    ///   count for the phase at both ends, and the file is marked as one where the two sources' tempi agree (Acc1).
    static func score(_ row: Row, _ estimate: Answer?, trim: Double, confirming: Answer? = nil) -> FileResult {
        var result = FileResult(
            file: row.file, group: row.group, referenceKey: row.reference.key?.description, keyConfidence: 0,
            referenceBPM: row.reference.bpm > 0 ? row.reference.bpm : nil, estimatedBPM: 0)
        guard let estimate else {
            result.error = "no estimate"
            return result
        }
        result.estimatedKey = estimate.key?.description
        result.keyConfidence = estimate.keyConfidence
        result.estimatedBPM = estimate.bpm
        if let reference = row.reference.key {
            let relation = estimate.key.map { KeyEvaluation.relation(of: $0, to: reference) } ?? .other
            result.keyRelation = relation
            result.keyScore = relation.weight
        }
        if row.reference.bpm > 0 {
            result.acc1 = TempoEvaluation.acc1(estimated: estimate.bpm, reference: row.reference.bpm)
            result.acc2 = TempoEvaluation.acc2(estimated: estimate.bpm, reference: row.reference.bpm)
        }
        if row.beatless {
            result.beatlessGridSeconds = estimate.beats.count >= 2 ? estimate.beats.last! - estimate.beats.first! : 0
            result.durationSeconds = estimate.duration
        }
        let reference = row.reference.beats.filter { $0 >= trim }
        if reference.count >= 2 {
            let estimated = estimate.beats.filter { $0 >= trim }
            result.beatF = BeatEvaluation.fMeasure(estimated: estimated, reference: reference)
            let continuity = BeatEvaluation.continuity(estimated: estimated, reference: reference)
            result.cmlt = continuity.cmlt
            result.amlt = continuity.amlt
            let phaseReference =
                confirming.map { peer in
                    row.reference.beats.filter {
                        BeatEvaluation.nearestDistance($0, in: peer.beats) <= confirmSeconds
                    }
                } ?? row.reference.beats
            if let confirming, row.reference.bpm > 0 {
                result.sourcesAgree =
                    confirming.bpm > 0 && TempoEvaluation.acc1(estimated: confirming.bpm, reference: row.reference.bpm)
                result.sourcesBeatF = BeatEvaluation.fMeasure(
                    estimated: confirming.beats.filter { $0 >= trim }, reference: reference)
            }
            result.startPhaseMS = BeatEvaluation.phaseError(
                estimated: estimate.beats, reference: phaseReference, atEnd: false
            ).map { $0 * 1000 }
            result.endPhaseMS = BeatEvaluation.phaseError(
                estimated: estimate.beats, reference: phaseReference, atEnd: true
            ).map { $0 * 1000 }
            result.strayBeatShare = BeatEvaluation.strayShare(estimated: estimate.beats, reference: row.reference.beats)
            result.referenceChangesTempo = TempoEvaluation.changesTempo(beats: row.reference.beats)
            result.changeReported = estimate.sections.map { $0.count > 1 }
            result.referenceEndBPM = TempoEvaluation.endTempo(beats: row.reference.beats, atEnd: true)
            result.estimatedEndBPM =
                estimate.sections?.last?.bpm ?? TempoEvaluation.endTempo(beats: estimate.beats, atEnd: true)
            if let reference = result.referenceEndBPM, let estimated = result.estimatedEndBPM {
                result.endAcc1 = TempoEvaluation.acc1(estimated: estimated, reference: reference)
            }
            if let referenceBars = row.reference.barPositions, let estimatedBars = estimate.barPositions {
                let referenceDownbeats = zip(row.reference.beats, referenceBars).filter { $0.1 == 1 && $0.0 >= trim }
                    .map(\.0)
                let estimatedDownbeats = zip(estimate.beats, estimatedBars).filter { $0.1 == 1 && $0.0 >= trim }
                    .map(\.0)
                if !referenceDownbeats.isEmpty {
                    result.downbeatF = BeatEvaluation.fMeasure(
                        estimated: estimatedDownbeats, reference: referenceDownbeats)
                    let kept = row.reference.beats.indices.filter { row.reference.beats[$0] >= trim }
                    result.barReading =
                        BeatEvaluation.barReading(
                            estimated: estimate.beats, estimatedPositions: estimatedBars,
                            reference: kept.map { row.reference.beats[$0] },
                            referencePositions: kept.map { referenceBars[$0] }
                        ).description
                }
            }
        }
        return result
    }

    static func summarize(_ results: [FileResult], group: String) -> Summary {
        func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        func p95(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((0.95 * Double(sorted.count - 1)).rounded()))]
        }
        let keyed = results.filter { $0.keyRelation != nil }
        var relations: [String: Int] = [:]
        for r in KeyEvaluation.Relation.allCases { relations[r.rawValue] = 0 }
        for r in keyed { relations[r.keyRelation!.rawValue, default: 0] += 1 }
        let tempo = results.filter { $0.acc1 != nil }
        let beats = results.filter { $0.beatF != nil }
        let agreeing = beats.filter { $0.acc1 == true }
        let agreed = beats.filter { $0.sourcesAgree == true }
        let beatsAgreed = agreed.filter { ($0.sourcesBeatF ?? 0) >= beatsAgreeF }
        let beatsAgreedInTempo = beatsAgreed.filter { $0.acc1 == true }
        let downbeats = results.compactMap(\.downbeatF)
        var readings: [String: Int] = [:]
        for r in results { if let reading = r.barReading { readings[reading, default: 0] += 1 } }
        let beatless = results.filter { $0.beatlessGridSeconds != nil }
        let gridded = beatless.filter { $0.beatlessGridSeconds! > 0 }
        return Summary(
            group: group, files: results.count, keyFiles: keyed.count, keyWeighted: mean(keyed.compactMap(\.keyScore)),
            keyRelations: relations,
            keyConfidenceAUC: ClassificationMetrics.auc(
                scores: keyed.map(\.keyConfidence), positives: keyed.map { $0.keyRelation == .exact }),
            tempoFiles: tempo.count, acc1: mean(tempo.map { $0.acc1! ? 1 : 0 }),
            acc2: mean(tempo.map { $0.acc2! ? 1 : 0 }), beatFiles: beats.count, beatF: mean(beats.compactMap(\.beatF)),
            cmlt: mean(beats.compactMap(\.cmlt)), amlt: mean(beats.compactMap(\.amlt)), downbeatFiles: downbeats.count,
            downbeatF: mean(downbeats), barReadings: readings, startPhaseP95MS: p95(beats.compactMap(\.startPhaseMS)),
            endPhaseP95MS: p95(beats.compactMap(\.endPhaseMS)),
            startPhaseP95AgreeingMS: p95(agreeing.compactMap(\.startPhaseMS)),
            endPhaseP95AgreeingMS: p95(agreeing.compactMap(\.endPhaseMS)),
            strayBeatShare: mean(beats.compactMap(\.strayBeatShare)), agreedFiles: agreed.count,
            agreedBeatF: mean(agreed.compactMap(\.beatF)), beatsAgreedFiles: beatsAgreed.count,
            beatsAgreedBeatF: mean(beatsAgreed.compactMap(\.beatF)),
            startPhaseP95BeatsAgreedMS: p95(beatsAgreedInTempo.compactMap(\.startPhaseMS)),
            endPhaseP95BeatsAgreedMS: p95(beatsAgreedInTempo.compactMap(\.endPhaseMS)),
            tempoChangeFiles: beats.filter { $0.referenceChangesTempo == true }.count,
            tempoChangesReported: beats.filter { $0.referenceChangesTempo == true && $0.changeReported == true }.count,
            falseTempoChanges: beats.filter { $0.referenceChangesTempo == false && $0.changeReported == true }.count,
            endAcc1: mean(beats.compactMap(\.endAcc1).map { $0 ? 1 : 0 }), beatlessFiles: beatless.count,
            beatlessGridded: gridded.count,
            beatlessGridShare: mean(
                gridded.compactMap { r in r.durationSeconds.map { min(1, r.beatlessGridSeconds! / max($0, 1e-9)) } }))
    }

    static func printTable(_ results: [FileResult], summaries: [Summary]) {
        func f(_ x: Double?, _ format: String = "%.3f") -> String { x.map { String(format: format, $0) } ?? "–" }
        print(
            "file | key ref → est (relation, conf) | bpm ref → est (acc1/acc2) | beat F, CMLt, AMLt | downbeat F | phase start/end ms"
        )
        for r in results {
            if let error = r.error {
                print("\(r.file) | \(error)")
                continue
            }
            let key =
                r.referenceKey.map {
                    "\($0) → \(r.estimatedKey ?? "none") (\(r.keyRelation!.rawValue), \(f(r.keyConfidence, "%.2f")))"
                } ?? "–"
            let tempo =
                r.referenceBPM.map {
                    String(
                        format: "%.1f → %.2f (%@/%@)", $0, r.estimatedBPM, r.acc1! ? "ok" : "no", r.acc2! ? "ok" : "no")
                } ?? String(format: "%.2f", r.estimatedBPM)
            print(
                "\(r.file) | \(key) | \(tempo) | \(f(r.beatF)), \(f(r.cmlt)), \(f(r.amlt)) | \(f(r.downbeatF))\(r.barReading.map { $0 == "on the bar" ? "" : " (\($0))" } ?? "") | \(f(r.startPhaseMS, "%.0f"))/\(f(r.endPhaseMS, "%.0f"))"
            )
        }
        for s in summaries {
            print("\n== \(s.group): \(s.files) files")
            if s.keyFiles > 0 {
                let counts = KeyEvaluation.Relation.allCases.map {
                    "\($0.rawValue) \(s.keyRelations[$0.rawValue] ?? 0)"
                }
                print(
                    "key (\(s.keyFiles)): MIREX weighted \(f(s.keyWeighted)); \(counts.joined(separator: ", ")); confidence AUC \(f(s.keyConfidenceAUC))"
                )
            }
            if s.tempoFiles > 0 {
                print("tempo (\(s.tempoFiles)): Acc1 \(f(s.acc1)), Acc2 \(f(s.acc2))")
            }
            if s.beatFiles > 0 {
                print(
                    "beats (\(s.beatFiles)): F \(f(s.beatF)), CMLt \(f(s.cmlt)), AMLt \(f(s.amlt)); phase p95 start \(f(s.startPhaseP95MS, "%.1f")) ms, end \(f(s.endPhaseP95MS, "%.1f")) ms (where the tempo agrees: \(f(s.startPhaseP95AgreeingMS, "%.1f")) / \(f(s.endPhaseP95AgreeingMS, "%.1f")) ms); stray beats \(f(s.strayBeatShare.map { $0 * 100 }, "%.1f")) %"
                )
            }
            if s.beatFiles > 0, s.agreedFiles > 0 {
                print("beats where the two sources agree on the tempo (\(s.agreedFiles)): F \(f(s.agreedBeatF))")
                print(
                    "beats where they agree on the beats too (their F ≥ \(f(beatsAgreeF, "%.2f")); \(s.beatsAgreedFiles)): F \(f(s.beatsAgreedBeatF)); phase p95 where the tempo agrees \(f(s.startPhaseP95BeatsAgreedMS, "%.1f")) / \(f(s.endPhaseP95BeatsAgreedMS, "%.1f")) ms"
                )
            }
            if s.downbeatFiles > 0 {
                // Kinds in a fixed order, then any other shift (meters of 5 and more).
                let order = ["on the bar", "a beat early", "half a bar off", "a beat late", "beats off"]
                let kinds =
                    order.filter { s.barReadings[$0] != nil }
                    + s.barReadings.keys.filter { !order.contains($0) }.sorted()
                print(
                    "downbeats (\(s.downbeatFiles)): F \(f(s.downbeatF)); bars \(kinds.map { "\($0) \(s.barReadings[$0]!)" }.joined(separator: ", "))"
                )
            }
            if s.beatlessFiles > 0 {
                print(
                    "beatless (\(s.beatlessFiles)): a beat grid on \(s.beatlessGridded), spanning \(f(s.beatlessGridShare.map { $0 * 100 }, "%.0f")) % of their length on average"
                )
            }
            if s.beatFiles > 0 {
                print(
                    "tempo changes: reported in \(s.tempoChangesReported) of \(s.tempoChangeFiles) files that change, in \(s.falseTempoChanges) of \(s.beatFiles - s.tempoChangeFiles) that do not; closing tempo Acc1 \(f(s.endAcc1))"
                )
            }
        }
    }
}

/// A value behind a lock, for results gathered from worker threads.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
