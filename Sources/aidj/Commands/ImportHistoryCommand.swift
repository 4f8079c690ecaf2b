import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct ImportHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-history",
        abstract: "Import a listening history (ListenBrainz, Spotify extended history, Last.fm CSV) for a listener.",
        discussion: """
            The format is recognized from the content. Listens are matched to library tracks by artist and title \
            (tags, else "Artist - Title" file names), ignoring case, punctuation, "feat." credits and remaster \
            suffixes. A Spotify play under 30 s that ended by a skip counts as a skip. Importing the same history \
            again adds nothing; a malformed file imports nothing.
            """)

    @Argument(help: "Listener name.") var listener: String
    @Argument(help: "History file.", completion: .file()) var file: String
    @Flag(help: "Print a JSON summary.") var json = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        let library = try store.open()
        guard let id = try library.listenerID(named: listener) else { throw CLIError.noListener(listener, library) }
        let summary = try HistoryImporter.importHistory(path: file, listenerID: id, store: library)
        if json {
            try Output.printJSON(summary)
            return
        }
        print(
            "\(summary.format) history: \(summary.records) listens, \(summary.imported) imported (\(summary.plays) plays, \(summary.skips) skips), \(summary.duplicates) already imported"
        )
        print(
            "\(summary.matched) matched library tracks, \(summary.unmatched) did not"
                + (summary.unmatchedReasons.isEmpty
                    ? ""
                    : ": "
                        + summary.unmatchedReasons.sorted { $0.key < $1.key }
                        .map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
    }
}
