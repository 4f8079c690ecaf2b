import AIDJIngest
import AIDJStore
import ArgumentParser
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Analyse music folders into the library (incremental, parallel, resumable).",
        discussion: """
            Unchanged files (same size and modification time) are skipped; moved or renamed files are recognized by \
            their content and relinked; files that disappeared are marked missing. A file that cannot be decoded is \
            listed at the end and the run goes on; the exit status is 0 when the scan itself worked.
            """)

    @Argument(help: "Folders (or files) to ingest.", completion: .directory)
    var folders: [String]

    @Option(name: .shortAndLong, help: "Parallel workers (default: one per core).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Re-analyse every file, changed or not.")
    var force = false

    @Flag(help: "Print a JSON summary.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let summary = try Self.ingest(folders, store: try store.open(), jobs: jobs, force: force)
        if json {
            try Output.printJSON(IngestReport(summary))
        } else {
            print(Self.describe(summary))
        }
    }

    static func ingest(_ folders: [String], store: LibraryStore, jobs: Int, force: Bool) throws
        -> Ingestor.Summary
    {
        var options = Ingestor.Options()
        options.jobs = jobs
        options.force = force
        let bar = ProgressBar(label: "ingest")
        defer { bar.finish() }
        return try Ingestor(store: store, options: options).ingest(folders) { progress in
            bar.update(
                done: progress.done, total: progress.total, elapsed: progress.elapsedSeconds,
                detail: (progress.path as NSString).lastPathComponent)
        }
    }

    static func describe(_ summary: Ingestor.Summary) -> String {
        let c = summary.counts
        var lines = [
            String(
                format: "%d files: %d analyzed, %d unchanged, %d moved, %d missing, %d failed in %.1f s",
                c.scanned, c.analyzed, c.unchanged, c.moved, c.missing, c.failed, summary.seconds)
        ]
        for failure in summary.failures {
            lines.append("  failed: \(failure.path): \(failure.reason)")
        }
        return lines.joined(separator: "\n")
    }
}

/// `aidj ingest --json`.
struct IngestReport: Encodable {
    var scanned, analyzed, unchanged, moved, missing, failed: Int
    var failures: [Ingestor.Failure]
    var seconds: Double

    init(_ summary: Ingestor.Summary) {
        let c = summary.counts
        scanned = c.scanned
        analyzed = c.analyzed
        unchanged = c.unchanged
        moved = c.moved
        missing = c.missing
        failed = c.failed
        failures = summary.failures
        seconds = (summary.seconds * 1000).rounded() / 1000
    }
}
