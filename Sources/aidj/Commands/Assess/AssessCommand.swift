import AIDJAssess
import AIDJComposer
import AIDJStore
import ArgumentParser
import Foundation

struct AssessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assess",
        abstract: "Grade a recorded take against its score or a reference recording, note by note.",
        subcommands: [AssessTake.self, AssessHistory.self],
        defaultSubcommand: AssessTake.self)
}

struct AssessTake: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "take",
        abstract: "Grade a monophonic take (voice, violin, flute, trumpet…) against a MIDI line or a recording.",
        discussion: """
            The take is graded against its own tuning and its own local tempo, so a take tuned a little flat \
            throughout, or played slower, is said so once rather than marked wrong note by note. \
            With --listener the assessment is stored; `aidj assess history NAME` shows progress.
            """)

    @Argument(help: "The take: an audio file.", completion: .file())
    var take: String

    @Option(help: "The reference: a MIDI file (.mid) or a recording of it.", completion: .file())
    var reference: String

    @Option(help: "The MIDI track to read (0-based; default: the monophonic line with the most notes).")
    var track: Int?

    @Option(help: "The MIDI channel to read (1–16).")
    var channel: Int?

    @Flag(help: "The take is polyphonic (piano): grade the onsets of the reference's chords, not pitches.")
    var polyphonic = false

    @Flag(help: "Print JSON with every note.")
    var json = false

    @Option(help: "Write a piano roll of reference and take as SVG.", completion: .file(extensions: ["svg"]))
    var plot: String?

    @Option(help: "Store the assessment for this listener.")
    var listener: String?

    @Option(help: "The piece it is filed under (default: the reference's file name).")
    var piece: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let channel, !(1...16).contains(channel) {
            throw ValidationError("--channel must be 1–16, not \(channel)")
        }
        if let track, track < 0 { throw ValidationError("--track must be 0 or more, not \(track)") }
        if piece != nil, listener == nil { throw ValidationError("--piece files a stored take: add --listener") }
    }

    func run() throws {
        let takePath = try existingFile(take)
        let referencePath = try existingFile(reference)
        // A missing listener fails before any work.
        let library = try listener.map { _ in try store.open() }
        let listenerID = try listener.map { try library!.listener(named: $0).id }

        let assessor = Assessor()
        let score: ReferenceScore
        if ["mid", "midi", "smf"].contains(URL(fileURLWithPath: referencePath).pathExtension.lowercased()) {
            let midi = try MIDIFile(contentsOf: referencePath)
            score = try ReferenceScore(
                midi: midi, path: reference, track: track, channel: channel.map { $0 - 1 }, polyphonic: polyphonic)
        } else {
            guard track == nil, channel == nil else {
                throw ValidationError("--track and --channel choose a line of a MIDI reference")
            }
            guard !polyphonic else { throw ValidationError("--polyphonic needs a MIDI reference (.mid)") }
            score = try ReferenceScore(recordingAt: referencePath, name: reference, transcriber: assessor.transcriber)
        }
        let assessment =
            polyphonic
            ? try assessor.assessPolyphonic(takePath: takePath, reference: score, takeName: take)
            : try assessor.assess(takePath: takePath, reference: score, takeName: take)

        if let plot {
            try Data(AssessmentPlot.svg(assessment).utf8).write(to: URL(fileURLWithPath: plot), options: .atomic)
        }
        if let library, let listenerID {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let pieceName = piece ?? URL(fileURLWithPath: reference).deletingPathExtension().lastPathComponent
            try library.saveAssessment(
                listenerID: listenerID, piece: pieceName, reference: score.source, take: take,
                score: assessment.summary.score, noteAccuracy: assessment.summary.noteAccuracy,
                timingMedianMilliseconds: assessment.summary.timingMedianMilliseconds,
                intonationCents: assessment.summary.intonationMeanCents, tempoRatio: assessment.tempoRatio,
                reportJSON: String(decoding: try encoder.encode(assessment), as: UTF8.self))
        }
        if json {
            try Output.printJSON(assessment)
        } else {
            print(AssessmentReport.text(assessment))
            if let plot { print("piano roll: \(plot)") }
            if let listener { print("stored for \(listener)") }
        }
    }

    private func existingFile(_ path: String) throws -> String {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else {
            throw CLIError("cannot open '\(path)': no such file")
        }
        guard !isFolder.boolValue else { throw CLIError("cannot assess '\(path)': it is a folder") }
        return full
    }
}

struct AssessHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A listener's stored assessments, oldest first: progress over takes.")

    @Argument(help: "The listener.")
    var listener: String

    @Option(help: "Only this piece.")
    var piece: String?

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let library = try store.open()
        let who = try library.listener(named: listener)
        let rows = try library.assessments(listenerID: who.id, piece: piece)
        if json {
            try Output.printJSON(rows)
            return
        }
        guard !rows.isEmpty else {
            print(
                "No assessments for \(who.name)\(piece.map { " of \($0)" } ?? "") yet. Store one with: "
                    + "aidj assess TAKE --reference REF --listener \(who.name)")
            return
        }
        var table = Table(
            headers: ["ID", "DATE", "PIECE", "SCORE", "NOTES", "TIMING", "INTONATION", "TEMPO", "TAKE"],
            rightAligned: [0, 3, 4, 5, 6, 7])
        for r in rows {
            table.rows.append([
                "\(r.id)", String(r.createdAt.prefix(16)), r.piece, String(format: "%.0f", r.score),
                String(format: "%.0f %%", 100 * r.noteAccuracy),
                r.timingMedianMilliseconds.map { String(format: "%.0f ms", $0) } ?? "–",
                r.intonationCents.map { String(format: "%+.0f c", $0) } ?? "–", String(format: "×%.2f", r.tempoRatio),
                r.take,
            ])
        }
        print(table.render())
        if rows.count >= 2, let first = rows.first, let last = rows.last {
            print(
                String(
                    format: "score %.0f → %.0f over %d takes; notes %.0f %% → %.0f %%", first.score, last.score,
                    rows.count, 100 * first.noteAccuracy, 100 * last.noteAccuracy))
        }
    }
}
