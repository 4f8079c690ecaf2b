import AIDJAnalysis
import AIDJAudio
import AIDJComposer
import AIDJCore
import AIDJStore
import ArgumentParser
import Foundation

/// Sampling and export options shared by `generate` and `continue`.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Model name.") var model: String
    @Option(help: "Bars to write (16 steps each).") var bars = 8
    @Option(help: "Random seed (the same seed gives the same melody).") var seed: UInt64 = 1
    @Option(help: "Sampling temperature (> 0; lower is safer).") var temperature: Float = 1
    @Option(name: .customLong("top-k"), help: "Sample only among the k most likely events (0: all).") var topK = 0
    @Option(help: "Keep notes in this key's scale, e.g. \"D minor\", \"F#\", \"8A\".") var key: String?
    @Option(help: "Tempo of the exported files (BPM).") var tempo: Double = 100
    @Option(help: "General MIDI program of the exported MIDI file (0–127).") var program = 73
    @Option(help: "Output MIDI file.") var out: String
    @Option(help: "Also render audio to this WAV/FLAC file.") var wav: String?
    @Option(help: "Also write ABC notation to this file.") var abc: String?
    @Option(name: .customLong("events-json"), help: "Also write the events as JSON to this file.") var eventsJSON:
        String?

    var parsedKey: MusicalKey? { key.flatMap(MusicalKey.init(parsing:)) }

    func validate() throws {
        guard bars >= 1 && bars <= 1000 else { throw ValidationError("--bars must be between 1 and 1000, got \(bars)") }
        guard temperature > 0 else { throw ValidationError("--temperature must be positive, got \(temperature)") }
        guard topK >= 0 else { throw ValidationError("--top-k must be 0 or more, got \(topK)") }
        guard tempo >= 20 && tempo <= 400 else {
            throw ValidationError("--tempo must be between 20 and 400 BPM, got \(tempo)")
        }
        guard (0...127).contains(program) else { throw ValidationError("--program must be 0–127, got \(program)") }
        if let key, MusicalKey(parsing: key) == nil {
            throw ValidationError("--key '\(key)' is not a key (try \"D minor\", \"F# major\", \"Am\" or \"8A\")")
        }
    }

    var generator: MelodyGenerator {
        var g = MelodyGenerator()
        g.temperature = temperature
        g.topK = topK
        g.key = parsedKey
        g.seed = seed
        return g
    }

    /// Writes the melody to every requested output.
    func export(_ melody: Melody, title: String) throws {
        try MelodyExport.midi(melody, bpm: tempo, program: program).write(to: out)
        if let wav {
            let format = AudioFormat(pathExtension: (wav as NSString).pathExtension) ?? .wav16
            try AudioFileWriter.write(MelodyExport.audio(melody, bpm: tempo), to: wav, format: format)
        }
        if let abc {
            try MelodyExport.abc(melody, title: title, bpm: tempo, key: parsedKey)
                .write(to: URL(fileURLWithPath: abc), atomically: true, encoding: .utf8)
        }
        if let eventsJSON {
            try MelodyExport.json(melody, bpm: tempo).write(to: URL(fileURLWithPath: eventsJSON), options: .atomic)
        }
    }
}

struct ComposeGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Compose a new melody.")
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let network = try ModelRepository(try store.open()).melodyModel(sampling.model)
        let tokens = sampling.generator.generate(model: network, steps: sampling.bars * Melody.stepsPerBar)
        let melody = Melody(tokens: tokens, source: "generated")
        try sampling.export(melody, title: "\(sampling.model) #\(sampling.seed)")
        print("wrote \(sampling.out): \(sampling.bars) bars, \(melody.noteCount) notes")
    }
}

struct ComposeContinue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "continue", abstract: "Continue a melody from a MIDI file.")
    @Argument(help: "The melody to continue (MIDI).") var primer: String
    @Flag(help: "Write the primer before the continuation.") var includePrimer = false
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var store: StoreOptions

    func run() throws {
        let network = try ModelRepository(try store.open()).melodyModel(sampling.model)
        let file = try MIDIFile(contentsOf: primer)
        let start: Melody
        do {
            var extractor = MelodyExtractor()
            extractor.minimumNotes = 1
            start = try extractor.melody(of: file, source: primer)
        } catch {
            throw CLIError("cannot continue '\(primer)': \(error)")
        }
        // The primer ends where its last note ends.
        var primerTokens = start.tokens
        while primerTokens.last == Melody.hold { primerTokens.removeLast() }
        let continuation = sampling.generator.generate(
            model: network, steps: sampling.bars * Melody.stepsPerBar, primer: primerTokens)
        let melody = Melody(tokens: (includePrimer ? primerTokens : []) + continuation, source: "continued")
        try sampling.export(melody, title: "\((primer as NSString).lastPathComponent) continued")
        print(
            "wrote \(sampling.out): \(sampling.bars) bars after \(start.noteCount) primer notes, \(melody.noteCount) notes"
        )
    }
}
