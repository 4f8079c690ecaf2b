import AIDJAnalysis
import AIDJIngest
import ArgumentParser
import Foundation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze", abstract: "Analyse one audio file and print its features (nothing is stored).")

    @Argument(help: "An audio file.", completion: .file())
    var file: String

    @Flag(help: "Print JSON (with beats and downbeats).")
    var json = false

    /// Accepted like every command's, so scripts can pass it everywhere; analyze reads and writes no database.
    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CLIError("cannot open '\(file)': no such file")
        }
        guard !isFolder.boolValue else { throw CLIError("cannot analyse '\(file)': it is a folder (use aidj ingest)") }
        let analysis = try TrackAnalyzer().analyze(path: path)
        let report = TrackReport(path: path, analysis: analysis)
        if json {
            try Output.printJSON(report)
        } else {
            print(ShowCommand.describe(report))
        }
    }
}
