import Foundation

/// A one-line progress bar on standard error (files, elapsed, ETA), redrawn at most 10 times a second.
/// Draws nothing unless standard error is a terminal.
final class ProgressBar {
    private let enabled: Bool
    private let label: String
    private var lastDraw = 0.0
    private var drewSomething = false

    init(label: String, enabled: Bool = Output.stderrIsTerminal) {
        self.label = label
        self.enabled = enabled
    }

    func update(done: Int, total: Int, elapsed: Double, detail: String) {
        guard enabled, total > 0 else { return }
        let nowTime = Date().timeIntervalSince1970
        guard done == total || nowTime - lastDraw >= 0.1 else { return }
        lastDraw = nowTime
        let width = 28
        let fraction = Double(done) / Double(total)
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let name = (detail as NSString).lastPathComponent
        let shown = name.count > 32 ? String(name.prefix(31)) + "…" : name
        let line = String(format: "\r\u{1B}[2K%@ %@ %d/%d  %@ elapsed  ETA %@  %@", label, bar, done, total,
                          Self.clock(elapsed), done > 0 ? Self.clock(eta) : "--:--", shown)
        FileHandle.standardError.write(Data(line.utf8))
        drewSomething = true
    }

    func finish() {
        if enabled && drewSomething { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
