import Foundation

/// `aidj-bench speed [--tracks N] [--aidj PATH] [--keep DIR]` and `aidj-bench accuracy`: figures for the notes, never pass/fail.
@main
struct Bench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first ?? "speed" {
        case "speed": try Speed.run(arguments: arguments)
        case "accuracy": Accuracy.run()
        case "demo-check": DemoCheck.run()
        case "subdivision": SubdivisionCheck.run()
        case "one": OneCase.run(arguments)
        case "seeds": SeedSweep.run()
        case "composer": try ComposerBench.run(arguments: arguments)
        default: print("usage: aidj-bench speed [--tracks N] [--aidj PATH] [--keep DIR] | accuracy | composer [--epochs N] [--export FILE]")
        }
    }
}
