import Foundation

@main
struct Bench {
    static func main() {
        let mode = CommandLine.arguments.dropFirst().first ?? "speed"
        switch mode {
        case "accuracy": Accuracy.run()
        case "demo-check": DemoCheck.run()
        default: print("usage: aidj-bench [speed|accuracy]")
        }
    }
}
