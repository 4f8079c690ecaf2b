import AIDJCore
import AIDJLearning
import Foundation
import Testing

@testable import AIDJComposer

@Suite("Melody model: training, scoring, sampling")
struct MelodyModelTests {
    /// Simple scale-wise melodies in C major and A minor: learnable in a few epochs.
    static func corpus(_ count: Int) -> [Melody] {
        (0..<count).map { i in
            let scale = i % 2 == 0 ? [60, 62, 64, 65, 67, 69, 71, 72] : [57, 59, 60, 62, 64, 65, 68, 69]
            var notes: [Melody.Note] = []
            for bar in 0..<4 {
                for beat in 0..<4 {
                    let degree = (bar + beat + i) % scale.count
                    notes.append(.init(start: bar * 16 + beat * 4, length: beat == 3 ? 4 : 2, pitch: scale[degree]))
                }
            }
            return Melody(notes: notes, source: "m\(i).mid")
        }
    }

    static func trained() throws -> MelodyModel {
        var options = MelodyTrainingOptions()
        options.units = 32
        options.embedding = 8
        options.batchSize = 4
        options.sequenceLength = 32
        options.epochs = 15
        options.learningRate = 0.01
        options.seed = 3
        let model = MelodyModel(options: options)
        try model.train(corpus(24), valid: corpus(4))
        return model
    }

    @Test("training lowers the validation NLL well below a uniform guess, and scoring matches the convention")
    func trainAndScore() throws {
        let model = try Self.trained()
        let valid = Self.corpus(4)
        let score = model.score(valid)
        #expect(score.melodies == 4)
        #expect(score.events == valid.reduce(0) { $0 + $1.tokens.count - 1 })
        #expect(score.nllNatsPerEvent < 0.6 * log(38.0), "NLL \(score.nllNatsPerEvent)")
        #expect(score.accuracy > 0.6)
        #expect(model.surprise(valid[0]).count == valid[0].tokens.count - 1)
    }

    @Test("too little data for the lanes is a clear error")
    func tooLittle() {
        let model = MelodyModel(options: MelodyTrainingOptions())
        #expect(throws: LearningError.self) { try model.train(Self.corpus(1), valid: []) }
    }

    @Test(
        "a key keeps every generated note in its scale; the same seed gives the same melody",
        arguments: ["D minor", "Eb major"])
    func keyAndSeed(keyName: String) throws {
        let model = try Self.trained()
        var generator = MelodyGenerator()
        generator.key = MusicalKey(parsing: keyName)
        generator.seed = 11
        generator.temperature = 1.5
        let tokens = generator.generate(model: model, steps: 256)
        let scale = MelodyGenerator.scale(of: generator.key!)
        let pitches = tokens.compactMap(Melody.pitch(token:))
        #expect(!pitches.isEmpty)
        #expect(
            pitches.allSatisfy { scale.contains($0 % 12) }, "out of key: \(pitches.filter { !scale.contains($0 % 12) })"
        )
        #expect(generator.generate(model: model, steps: 256) == tokens)
        generator.seed = 12
        #expect(generator.generate(model: model, steps: 256) != tokens)
    }

    @Test("minor keys allow the raised 6th and 7th")
    func minorScale() {
        #expect(MelodyGenerator.scale(of: MusicalKey(tonic: 9, mode: .minor)) == [9, 11, 0, 2, 4, 5, 6, 7, 8])
        #expect(MelodyGenerator.scale(of: MusicalKey(tonic: 0, mode: .major)) == [0, 2, 4, 5, 7, 9, 11])
    }

    @Test("generated events are valid melody tokens that decode and end silent; top-k 1 is greedy")
    func validity() throws {
        let model = try Self.trained()
        var generator = MelodyGenerator()
        generator.topK = 1
        let a = generator.generate(model: model, steps: 64)
        generator.seed = 99
        #expect(generator.generate(model: model, steps: 64) == a, "greedy sampling ignores the seed")
        let melody = Melody(tokens: a)
        #expect(melody.tokens.count >= 64)
        let last = melody.tokens.last(where: { $0 != Melody.hold })
        #expect(last == nil || last == Melody.noteOff)
    }
}
