import AIDJComposer
import AIDJLearning
import AIDJStore
import ArgumentParser
import Foundation

struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Train melody models on MIDI files, then generate, continue and score melodies.",
        subcommands: [
            ComposeTrain.self, ComposeScore.self, ComposeGenerate.self, ComposeContinue.self, ComposeModels.self,
        ])
}

/// Reads melodies from MIDI files and folders, reporting the skipped files on standard error.
func loadMelodies(_ paths: [String], quiet: Bool, extractor: MelodyExtractor = MelodyExtractor()) throws -> [Melody] {
    let corpus = MelodyCorpus.load(paths, extractor: extractor)
    if !quiet {
        for skipped in corpus.skipped.prefix(20) { Output.error("skipped \(skipped.path): \(skipped.reason)") }
        if corpus.skipped.count > 20 { Output.error("… and \(corpus.skipped.count - 20) more skipped files") }
    }
    return corpus.melodies
}
