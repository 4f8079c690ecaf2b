import ArgumentParser

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
            ComposeCommand.self, DemoCommand.self,
        ]
    )
}
