import AIDJAssess
import Foundation

/// The text `aidj assess` prints: the headline figures, each explained once at the end, then the worst bars.
enum AssessmentReport {
    static func text(_ a: Assessment) -> String {
        let s = a.summary
        let notes = a.notes
        let ok = notes.filter { $0.status == .ok }.count
        let wrong = notes.filter { $0.status == .wrongPitch }.count
        let missed = notes.filter { $0.status == .missed }.count
        var lines = ["\(a.take) against \(a.reference), \(a.mode.rawValue)"]
        if a.mode == .polyphonic {
            lines.append("mode      polyphonic: chords graded by onset timing only; which notes sounded is not judged")
        } else {
            var tuning = String(format: "tuning    %+.0f cents against A4 = 440 Hz", a.tuningCents)
            if abs(a.tuningCents) >= 10 {
                tuning += String(
                    format: " — tuned %.0f cents %@ throughout; notes are graded against that tuning",
                    abs(a.tuningCents), a.tuningCents > 0 ? "sharp" : "flat")
            }
            lines.append(tuning)
        }
        let percent = Int((abs(a.tempoRatio - 1) * 100).rounded())
        lines.append(
            String(format: "tempo     ×%.2f of the reference", a.tempoRatio)
                + (percent >= 3 ? " (\(percent) % \(a.tempoRatio < 1 ? "slower" : "faster"))" : ""))
        lines.append(String(format: "score     %.0f / 100", s.score))
        if a.mode == .polyphonic {
            lines.append(
                String(
                    format: "notes     %.0f %% heard (%d of %d), %d missed", 100 * s.noteAccuracy, ok, notes.count,
                    missed))
        } else {
            lines.append(
                String(format: "notes     %.0f %% right (%d of %d)", 100 * s.noteAccuracy, ok, notes.count)
                    + ", \(wrong) wrong pitch, \(missed) missed, \(a.extra.count) extra")
        }
        if let median = s.timingMedianMilliseconds, let p90 = s.timingP90Milliseconds {
            lines.append(
                String(
                    format: "timing    median %.0f ms, 90 %% within %.0f ms; early %d · on time %d · late %d", median,
                    p90, s.early, s.onTime, s.late))
        }
        if let cv = s.tempoStability { lines.append(String(format: "steady    tempo stability %.3f (0 = steady)", cv)) }
        if let mean = s.intonationMeanCents {
            lines.append(
                String(format: "pitch     intonation %+.0f cents", mean)
                    + (s.intonationSpreadCents.map { String(format: ", spread %.0f cents", $0) } ?? ""))
        }
        if let evenness = s.loudnessEvenness {
            lines.append(String(format: "dynamics  loudness evenness %.1f LU", evenness))
        }
        if !a.worst.isEmpty {
            lines.append("")
            lines.append("practise these bars")
            for spot in a.worst { lines.append("  bar \(spot.bar): \(spot.what)") }
        }
        lines.append("")
        lines.append("what the figures mean")
        for (name, meaning) in Assessment.explanations { lines.append("  \(name): \(meaning)") }
        return lines.joined(separator: "\n")
    }
}
