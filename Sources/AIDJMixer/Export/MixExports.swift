import AIDJCore
import Foundation

/// The files that go with a rendered mix: a CUE sheet, an M3U8 playlist of the sources, the JSON tracklist and an
/// SVG plot. Each is written to a temporary file and renamed into place.
public enum MixExports {
    /// Writes `text` atomically.
    public static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw MixError(
                .cannotWrite(path: path), "cannot write '\(path)': \((error as NSError).localizedDescription)")
        }
    }

    /// CUE sheet: one TRACK per source with INDEX 01 at the moment it becomes audible in the mix, in
    /// minutes:seconds:frames at 75 frames per second.
    public static func cueSheet(_ plan: MixPlan, audioFile: String, title: String) -> String {
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "'") + "\"" }
        let type = audioFile.lowercased().hasSuffix(".wav") ? "WAVE" : "FLAC"
        var lines = [
            "REM GENERATOR \"aidj\"", "REM COMMENT \(quoted("mood \(plan.mood), arc \(plan.arc)"))",
            "PERFORMER \"aidj\"", "TITLE \(quoted(title))",
            "FILE \(quoted((audioFile as NSString).lastPathComponent)) \(type)",
        ]
        for (n, t) in plan.tracks.enumerated() {
            lines.append(String(format: "  TRACK %02d AUDIO", n + 1))
            lines.append("    TITLE \(quoted(t.title ?? (t.path as NSString).lastPathComponent))")
            if let artist = t.artist { lines.append("    PERFORMER \(quoted(artist))") }
            lines.append("    INDEX 01 \(cueTime(t.mixStartS))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// mm:ss:ff at 75 frames per second (minutes may exceed 99 for very long mixes).
    public static func cueTime(_ seconds: Double) -> String {
        let frames = Int((max(0, seconds) * 75).rounded())
        return String(format: "%02d:%02d:%02d", frames / (75 * 60), (frames / 75) % 60, frames % 75)
    }

    /// Extended M3U (UTF-8) of the source files in mix order.
    public static func playlist(_ plan: MixPlan) -> String {
        var lines = ["#EXTM3U"]
        for t in plan.tracks {
            let name = TrackTitle.display(artist: t.artist, title: t.title, path: t.path, separator: " - ")
            lines.append("#EXTINF:\(Int((t.sourceEndS - t.sourceStartS).rounded())),\(name)")
            lines.append(t.path)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plan as the JSON tracklist (`OUT.json`): pretty-printed, keys sorted.
    public static func json(_ plan: MixPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
    }

    /// An SVG of the mix over time: the tempo heard (with the stretches); a lane per track with its name, key and
    /// tempo, so each blend shows which tracks meet; each track's energy and valence against the energy the arc
    /// asked for; with a render's measurements, the short-term loudness of the mix and of each track through it
    /// (overlaps included); the transitions shaded by kind; each track's sections along its lane.
    public static func plot(_ plan: MixPlan, loudness: MixRenderer.Result? = nil) -> String {
        let width = 1200.0, left = 60.0, right = 20.0, plotWidth = width - left - right
        let duration = max(plan.durationS, 1)
        func x(_ t: Double) -> Double { left + t / duration * plotWidth }
        let bpms = plan.tracks.map(\.bpm).filter { $0 > 0 }
        let low = (bpms.min() ?? 60) * 0.94, high = (bpms.max() ?? 180) * 1.06
        let tempoTop = 40.0, tempoHeight = 170.0, laneTop = 222.0, laneHeight = 20.0, moodTop = 280.0
        let moodHeight = 160.0, loudTop = 462.0, loudHeight = 110.0
        let height = loudness == nil ? 490.0 : loudTop + loudHeight + 30
        func yTempo(_ bpm: Double) -> Double { tempoTop + (1 - (bpm - low) / max(high - low, 1)) * tempoHeight }
        func yMood(_ v: Double) -> Double { moodTop + (1 - v) * moodHeight }
        var svg: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(left)\" y=\"20\" font-size=\"14\">aidj mix — \(plan.mood), \(plan.arc), \(Int(duration / 60)) min \(Int(duration) % 60) s</text>",
        ]
        for t in plan.transitions {
            let color = Self.transitionColors[t.type] ?? "#eeeeee"
            svg.append(
                String(
                    format:
                        "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"%@\"><title>%@, %d bars</title></rect>",
                    x(t.overlapStartS), tempoTop, max(1, x(t.overlapEndS) - x(t.overlapStartS)),
                    moodTop + moodHeight - tempoTop, color, t.type.rawValue, t.bars))
        }
        // Tempo heard: native tempo divided by the local time-map slope.
        var path: [String] = []
        for t in plan.tracks {
            let points = t.timeMap.points
            var segments: [(Double, Double, Double)] = []
            for (a, b) in zip(points, points.dropFirst()) {
                segments.append((a[0], b[0], t.bpm * (b[1] - a[1]) / max(b[0] - a[0], 1e-9)))
            }
            segments.append((points.last![0], t.mixEndS, t.bpm))
            for (n, s) in segments.enumerated() where s.1 > s.0 {
                path.append(
                    String(
                        format: "%@%.1f,%.1f L%.1f,%.1f", n == 0 ? "M" : "L", x(s.0), yTempo(s.2), x(s.1), yTempo(s.2)))
            }
        }
        svg.append("<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.5\"/>")
        for (n, t) in plan.tracks.enumerated() {
            let x0 = x(t.mixStartS), x1 = x(t.mixEndS)
            svg.append(
                String(
                    format:
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d9480f\" stroke-width=\"3\"/>",
                    x0, yMood(t.energy), x1, yMood(t.energy)))
            svg.append(
                String(
                    format:
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#2b8a3e\" stroke-width=\"3\" stroke-dasharray=\"6 3\"/>",
                    x0, yMood(t.valence), x1, yMood(t.valence)))
            // The track's lane: two rows, alternating, so neighbours that overlap stay apart; the name is clipped to
            // the lane.
            let laneY = laneTop + Double(n % 2) * (laneHeight + 2)
            let name = TrackTitle.display(artist: t.artist, title: t.title, path: t.path)
            svg.append(
                String(
                    format:
                        "<clipPath id=\"lane%d\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"/></clipPath>"
                        + "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%@\" stroke=\"#999\"><title>%@</title></rect>"
                        + "<text x=\"%.1f\" y=\"%.1f\" clip-path=\"url(#lane%d)\">%@ %.0f · %@</text>",
                    n, x0, laneY, max(1, x1 - x0 - 2), laneHeight, x0, laneY, max(1, x1 - x0), laneHeight,
                    n % 2 == 0 ? "#f1f3f5" : "#e9ecef", Self.escaped(name), x0 + 3, laneY + 14, n, t.camelot ?? "–",
                    t.bpm,
                    Self.escaped(name)))
            // Its sections: a strip along the bottom of the lane, paler where no beat is heard.
            for section in t.sections {
                svg.append(
                    String(
                        format:
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"5\" fill=\"%@\" fill-opacity=\"%@\"><title>%@%@</title></rect>",
                        x(section.mixStartS), laneY + laneHeight - 5,
                        max(0.5, x(section.mixEndS) - x(section.mixStartS)),
                        Self.sectionColors[section.label] ?? "#999", section.hasBeat ? "1" : "0.35", section.label,
                        section.hasBeat ? "" : ", no beat"))
            }
            if let traces = loudness?.trackLoudness, n < traces.count, let trace = traces[n] {
                svg.append(
                    Self.loudnessLine(trace, color: n % 2 == 0 ? "#1971c2" : "#e8590c", width: 1.2, x: x) {
                        loudTop + (1 - (max(-30, min(-6, $0)) + 30) / 24) * loudHeight
                    })
            }
        }
        if !plan.energyArc.isEmpty {
            let points = plan.energyArc.map { String(format: "%.1f,%.1f", x($0[0]), yMood($0[1])) }
            svg.append(
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#888\" stroke-width=\"1\" stroke-dasharray=\"2 3\"><title>energy the arc asked for</title></polyline>"
            )
        }
        // Tempo axis: the unit above it, the range at its ends, right-aligned in the margin.
        svg.append(String(format: "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">BPM</text>", left - 6, tempoTop - 4))
        svg.append(
            String(
                format:
                    "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.0f</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.0f</text>",
                left - 6, tempoTop + 10, high, left - 6, tempoTop + tempoHeight, low))
        svg.append(
            String(
                format:
                    "<text x=\"4\" y=\"%.0f\" fill=\"#d9480f\">energy</text><text x=\"4\" y=\"%.0f\" fill=\"#2b8a3e\">valence</text><text x=\"4\" y=\"%.0f\" fill=\"#888\">arc</text>",
                moodTop + 12, moodTop + 26, moodTop + 40))
        svg.append(
            String(
                format: "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>",
                left, moodTop, plotWidth, moodHeight))
        if let loudness {
            svg.append(
                Self.loudnessLine(loudness.mixLoudness, color: "#212529", width: 2, x: x) {
                    loudTop + (1 - (max(-30, min(-6, $0)) + 30) / 24) * loudHeight
                })
            svg.append(
                String(
                    format:
                        "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>"
                        + "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">LUFS</text>"
                        + "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">−6</text>"
                        + "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">−30</text>"
                        + "<text x=\"4\" y=\"%.0f\" fill=\"#212529\">mix</text>"
                        + "<text x=\"4\" y=\"%.0f\" fill=\"#1971c2\">tracks</text>",
                    left, loudTop, plotWidth, loudHeight, left - 6, loudTop - 4, left - 6, loudTop + 10, left - 6,
                    loudTop + loudHeight, loudTop + 26, loudTop + 40))
        }
        // Legends: the transition kinds in the mix, the section roles.
        var legendX = left + 420
        for kind in PlannedTransition.Kind.allCases where plan.transitions.contains(where: { $0.type == kind }) {
            svg.append(
                String(
                    format:
                        "<rect x=\"%.0f\" y=\"10\" width=\"10\" height=\"10\" fill=\"%@\"/><text x=\"%.0f\" y=\"19\">%@</text>",
                    legendX, Self.transitionColors[kind] ?? "#eee", legendX + 13, kind.rawValue))
            legendX += 18 + Double(kind.rawValue.count) * 6.5
        }
        if plan.tracks.contains(where: { !$0.sections.isEmpty }) {
            legendX += 10
            for label in ["intro", "build", "main", "breakdown", "outro"] {
                svg.append(
                    String(
                        format:
                            "<rect x=\"%.0f\" y=\"14\" width=\"10\" height=\"5\" fill=\"%@\"/><text x=\"%.0f\" y=\"19\">%@</text>",
                        legendX, Self.sectionColors[label]!, legendX + 13, label))
                legendX += 18 + Double(label.count) * 6.5
            }
        }
        for minute in stride(from: 0.0, through: duration / 60, by: max(1, (duration / 60 / 10).rounded())) {
            svg.append(String(format: "<text x=\"%.1f\" y=\"%.0f\">%.0f′</text>", x(minute * 60), height - 10, minute))
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// Shading of each transition kind, and the colour of each section role.
    static let transitionColors: [PlannedTransition.Kind: String] = [
        .beatmatch: "#cfe3ff", .tempoRamp: "#d3f9d8", .filterSweep: "#e5dbff", .cut: "#fff3bf", .echoOut: "#ffd9c7",
        .fade: "#ffe3e3",
    ]
    static let sectionColors = [
        "intro": "#adb5bd", "build": "#f59f00", "main": "#c92a2a", "breakdown": "#339af0", "outro": "#868e96",
    ]

    /// `text` safe inside SVG/XML text.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A short-term loudness trace as an SVG polyline (broken where the trace is silent).
    static func loudnessLine(
        _ trace: MixRenderer.LoudnessTrace, color: String, width: Double, x: (Double) -> Double,
        y: (Double) -> Double
    ) -> String {
        var runs: [[String]] = [[]]
        for (k, value) in trace.lufs.enumerated() {
            guard let value, value > -60 else {
                if !(runs.last?.isEmpty ?? true) { runs.append([]) }
                continue
            }
            runs[runs.count - 1].append(String(format: "%.1f,%.1f", x(trace.startS + Double(k + 1)), y(value)))
        }
        return runs.filter { $0.count > 1 }.map {
            "<polyline points=\"\($0.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(width)\"/>"
        }.joined(separator: "\n")
    }
}
