import Foundation

/// A piano roll of an assessment as SVG: the reference notes as outlines where the student's tempo put them, the
/// played notes filled (green right, red wrong pitch, orange extra), missed notes dashed, cents deviation as a tick
/// above or below the middle of each played note, and onset deviations over 30 ms as arrows from where the note was
/// due to where it came.
public enum AssessmentPlot {
    static let rowHeight = 10.0
    static let margin = (left: 56.0, top: 40.0, right: 20.0, bottom: 56.0)

    /// The SVG document.
    public static func svg(_ a: Assessment) -> String {
        let due = dueTimes(a)
        var spans: [(start: Double, end: Double)] = []
        for (g, t) in zip(a.notes, due) {
            spans.append((t, t + referenceLength(g, a)))
            if let s = g.takeTime, let d = g.takeDuration { spans.append((s, s + d)) }
        }
        spans += a.extra.map { ($0.time, $0.time + $0.duration) }
        let start = max(0, (spans.map(\.start).min() ?? 0) - 0.5)
        let end = (spans.map(\.end).max() ?? 1) + 0.5
        let pitches = a.notes.map(\.referencePitch) + a.notes.compactMap(\.playedPitch) + a.extra.map(\.pitch)
        let low = (pitches.min() ?? 60) - 2
        let high = (pitches.max() ?? 72) + 2
        let scale = min(120, max(20, 6000 / (end - start)))  // pixels per second
        let width = margin.left + (end - start) * scale + margin.right
        let height = margin.top + Double(high - low + 1) * rowHeight + margin.bottom
        func x(_ t: Double) -> Double { margin.left + (t - start) * scale }
        func y(_ pitch: Double) -> Double { margin.top + (Double(high) - pitch) * rowHeight }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
            viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="10">
            <title>\(escape(a.take)) against \(escape(a.reference))</title>
            <rect width="100%" height="100%" fill="white"/>

            """
        // Pitch rows: C rows shaded and named.
        for pitch in low...high where pitch % 12 == 0 {
            out += "<rect x=\"\(f(margin.left))\" y=\"\(f(y(Double(pitch)) - rowHeight / 2))\" "
            out += "width=\"\(f(width - margin.left - margin.right))\" height=\"\(f(rowHeight))\" fill=\"#f2f2f2\"/>\n"
            out += "<text x=\"\(f(margin.left - 6))\" y=\"\(f(y(Double(pitch)) + 3))\" text-anchor=\"end\">"
            out += "\(noteName(pitch))</text>\n"
        }
        // Bar numbers at each bar's first reference note, and a time axis in seconds.
        var lastBar = Int.min
        for (g, t) in zip(a.notes, due) where g.bar != lastBar {
            lastBar = g.bar
            out += "<line x1=\"\(f(x(t)))\" y1=\"\(f(margin.top - 12))\" x2=\"\(f(x(t)))\" "
            out += "y2=\"\(f(height - margin.bottom))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(x(t)))\" y=\"\(f(margin.top - 16))\" text-anchor=\"middle\">\(g.bar)</text>\n"
        }
        let step = end - start > 60 ? 10.0 : end - start > 20 ? 5.0 : 1.0
        for second in stride(from: (start / step).rounded(.up) * step, through: end, by: step) {
            out += "<text x=\"\(f(x(second)))\" y=\"\(f(height - margin.bottom + 14))\" text-anchor=\"middle\">"
            out += "\(Int(second)) s</text>\n"
        }
        // Reference notes: outlines where they were due; dashed red when missed.
        for (g, t) in zip(a.notes, due) {
            let missed = g.status == .missed
            out += "<rect x=\"\(f(x(t)))\" y=\"\(f(y(Double(g.referencePitch)) - rowHeight / 2))\" "
            out += "width=\"\(f(max(2, referenceLength(g, a) * scale)))\" height=\"\(f(rowHeight))\" fill=\"none\" "
            out += missed ? "stroke=\"#c62828\" stroke-dasharray=\"3 2\"" : "stroke=\"#777\""
            out += "><title>\(noteName(g.referencePitch)), bar \(g.bar) beat \(formatBeat(g.beat))"
            out += missed ? ": missed" : ""
            out += "</title></rect>\n"
        }
        // Played notes, cents ticks and timing arrows.
        for g in a.notes {
            // Polyphonic grading hears a chord's attack, not its pitches: a heard note is drawn at its written pitch.
            guard let s = g.takeTime, let d = g.takeDuration,
                let p = g.playedPitch ?? (a.mode == .polyphonic ? g.referencePitch : nil)
            else { continue }
            let colour = g.status == .ok ? "#2e7d32" : "#c62828"
            let top = y(Double(p)) - rowHeight / 2 + 2
            out += "<rect x=\"\(f(x(s)))\" y=\"\(f(top))\" width=\"\(f(max(2, d * scale)))\" "
            out += "height=\"\(f(rowHeight - 4))\" fill=\"\(colour)\" fill-opacity=\"0.75\"><title>"
            out +=
                a.mode == .polyphonic
                ? "heard \(noteName(p))" : "played \(noteName(p)) for \(noteName(g.referencePitch))"
            if let c = g.cents { out += String(format: ", %+.0f cents", c) }
            if let o = g.onsetMilliseconds { out += String(format: ", %+.0f ms", o) }
            out += "</title></rect>\n"
            if let c = g.cents {
                let mid = x(s + d / 2)
                let level = y(Double(p)) - c / 100 * rowHeight
                out += "<line x1=\"\(f(mid - 4))\" y1=\"\(f(level))\" x2=\"\(f(mid + 4))\" y2=\"\(f(level))\" "
                out += "stroke=\"black\" stroke-width=\"1.5\"/>\n"
            }
            if let o = g.onsetMilliseconds, abs(o) > Assessor.onTimeMilliseconds {
                let from = x(s - o / 1000)
                let to = x(s)
                let level = y(Double(p)) - rowHeight
                let head = o > 0 ? -4.0 : 4.0
                out += "<path d=\"M\(f(from)),\(f(level)) L\(f(to)),\(f(level)) M\(f(to + head)),\(f(level - 3)) "
                out += "L\(f(to)),\(f(level)) L\(f(to + head)),\(f(level + 3))\" fill=\"none\" "
                out += "stroke=\"\(o > 0 ? "#6a1b9a" : "#1565c0")\" stroke-width=\"1.2\"/>\n"
            }
        }
        for e in a.extra {
            out += "<rect x=\"\(f(x(e.time)))\" y=\"\(f(y(Double(e.pitch)) - rowHeight / 2 + 2))\" "
            out += "width=\"\(f(max(2, e.duration * scale)))\" height=\"\(f(rowHeight - 4))\" fill=\"#ef6c00\" "
            out += "fill-opacity=\"0.75\"><title>extra \(noteName(e.pitch))</title></rect>\n"
        }
        // Legend.
        let legendY = height - 18
        let items = [
            ("#2e7d32", "right pitch"), ("#c62828", "wrong pitch / missed (dashed)"), ("#ef6c00", "extra"),
            ("#1565c0", "early"), ("#6a1b9a", "late"),
        ]
        var legendX = margin.left
        for (colour, label) in items {
            out += "<rect x=\"\(f(legendX))\" y=\"\(f(legendY - 8))\" width=\"10\" height=\"8\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(f(legendX + 14))\" y=\"\(f(legendY))\">\(label)</text>\n"
            legendX += 24 + Double(label.count) * 5.5
        }
        out += String(
            format: "<text x=\"%@\" y=\"16\" font-size=\"12\">score %.0f · notes %.0f %% · tuning %+.0f cents · "
                + "tempo ×%.2f</text>\n",
            f(margin.left), a.summary.score, 100 * a.summary.noteAccuracy, a.tuningCents, a.tempoRatio)
        out += "</svg>\n"
        return out
    }

    /// Where each reference note was due in the take: its played onset less its deviation when played; otherwise
    /// interpolated between the nearest played notes (the take's tempo ratio past either end).
    static func dueTimes(_ a: Assessment) -> [Double] {
        let anchors = a.notes.compactMap { g -> (Double, Double)? in
            guard let t = g.takeTime, let o = g.onsetMilliseconds else { return nil }
            return (g.referenceTime, t - o / 1000)
        }
        let slope = 1 / max(0.01, a.tempoRatio)
        return a.notes.map { g in
            guard !anchors.isEmpty else { return g.referenceTime }
            if let before = anchors.last(where: { $0.0 <= g.referenceTime }),
                let after = anchors.first(where: { $0.0 > g.referenceTime }), after.0 > before.0
            {
                return before.1 + (g.referenceTime - before.0) * (after.1 - before.1) / (after.0 - before.0)
            }
            let nearest = anchors.min { abs($0.0 - g.referenceTime) < abs($1.0 - g.referenceTime) }!
            return nearest.1 + (g.referenceTime - nearest.0) * slope
        }
    }

    /// A reference note's length in take seconds.
    static func referenceLength(_ g: Assessment.NoteGrade, _ a: Assessment) -> Double {
        guard g.index + 1 < a.notes.count else { return 0.25 }
        return max(0.05, (a.notes[g.index + 1].referenceTime - g.referenceTime) / max(0.01, a.tempoRatio) * 0.9)
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
