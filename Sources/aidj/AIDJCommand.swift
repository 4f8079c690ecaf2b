import ArgumentParser
import Foundation

@main
struct AIDJCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aidj",
        abstract:
            "An AI DJ: analyses a music library, learns listeners' taste, renders beat-matched mood mixes, composes melodies.",
        discussion: """
            The database is $AIDJ_DB if set, else $XDG_DATA_HOME/aidj/library.sqlite \
            (~/.local/share/aidj/library.sqlite); every command takes --db PATH.
            """,
        version: "0.2.0",
        subcommands: [
            IngestCommand.self, TracksCommand.self, ShowCommand.self, AnalyzeCommand.self, ListenerCommand.self,
            FeedbackCommand.self, ImportHistoryCommand.self, TrainCommand.self, ClassifyCommand.self,
            RecommendCommand.self,
            SimilarCommand.self, MoodsCommand.self, MixCommand.self, MixesCommand.self,
            ComposeCommand.self, AssessCommand.self, ServeCommand.self, DemoCommand.self,
        ]
    )

    /// Parses, runs, and turns a failure into its exit status in one place (``Failure``). Parsing errors, help
    /// and validation keep ArgumentParser's own messages and usage text.
    static func main() {
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            exit(withError: error)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch  where Failure.isArgumentParserRequest(error) {
            // `aidj --help` and `aidj help mix` parse into ArgumentParser's help command, whose `run()` throws
            // its own (internal) request type: ArgumentParser prints the help and exits 0.
            exit(withError: error)
        } catch {
            Output.error("Error: " + Failure.line(for: error))
            exit(withError: ExitCode(Failure.exitCode(for: error)))
        }
    }
}
