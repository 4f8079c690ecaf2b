import AIDJLibrary
import AIDJStore
import AIDJSynth
import ArgumentParser
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the built-in demo library, ingest it into a demo database and show it.",
        discussion: "Re-running is incremental: existing demo files are kept and unchanged files are not re-analysed.")

    @Option(help: "Folder for the generated demo library.")
    var folder = "demo/library"

    @Option(help: "Demo database file.")
    var db = "demo/library.sqlite"

    @Option(name: .shortAndLong, help: "Parallel workers (default: one per core).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        print("Writing the demo library to \(folder) …")
        let paths = try DemoLibrary.write(into: folder)
        print("\(paths.count) files (\(DemoLibrary.entries.count) synthesized tracks and one file that is not audio).\n")
        let store = try LibraryStore(path: db)
        let summary = try IngestCommand.ingest([folder], store: store, jobs: jobs, force: false, quiet: false)
        print(IngestCommand.describe(summary))
        print("")
        print(TracksCommand.table(try store.trackSummaries(order: .bpm)))
        let tool = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "aidj"
        print("\nDatabase: \(db)")
        print("Try:  \(tool) show --db \(db) \"Neon Avenue.flac\"")
        print("      \(tool) tracks --db \(db) --sort energy --json")
    }
}
