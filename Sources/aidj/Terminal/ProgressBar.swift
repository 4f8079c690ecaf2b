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

    /// Files or items: "12/40".
    func update(done: Int, total: Int, elapsed: Double, detail: String) {
        guard total > 0 else { return }
        draw(
            fraction: Double(done) / Double(total), count: "\(done)/\(total)", complete: done == total,
            elapsed: elapsed,
            detail: detail)
    }

    /// A share of work: "24 %".
    func update(fraction: Double, elapsed: Double, detail: String) {
        draw(
            fraction: fraction, count: "\(Int(fraction * 100)) %", complete: fraction >= 1, elapsed: elapsed,
            detail: detail)
    }

    private func draw(fraction: Double, count: String, complete: Bool, elapsed: Double, detail: String) {
        guard enabled else { return }
        let nowTime = Date().timeIntervalSince1970
        guard complete || nowTime - lastDraw >= 0.1 else { return }
        lastDraw = nowTime
        let width = 28
        let filled = max(0, min(width, Int(fraction * Double(width))))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = fraction > 0 ? elapsed / fraction * (1 - fraction) : 0
        let shown = detail.count > 32 ? String(detail.prefix(31)) + "…" : detail
        let line = String(
            format: "\r\u{1B}[2K%@ %@ %@  %@ elapsed  ETA %@  %@", label, bar, count,
            Self.clock(elapsed), fraction > 0 ? Self.clock(eta) : "--:--", shown)
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
