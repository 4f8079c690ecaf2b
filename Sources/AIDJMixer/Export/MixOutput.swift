public import AIDJAudio
public import AIDJStore
import Foundation

/// A rendered mix and everything that goes with it.
public enum MixOutput {
    /// Renders the renderer's plan to `out`, fills in the measured loudness and true peak, writes `OUT.json`,
    /// `OUT.cue` and `OUT.m3u8` beside it (and the SVG plot to `plot`), and records the mix in `store`. The audio
    /// comes first: when it fails, nothing else is written.
    ///
    /// - Returns: the plan with its measurements, and the render's figures.
    public static func render(
        _ renderer: MixRenderer, to out: String, format: AudioFormat, title: String, plot: String?,
        listenerID: Int64?, store: LibraryStore, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> (plan: MixPlan, result: MixRenderer.Result) {
        let result = try renderer.render(to: out, format: format, progress: progress)
        var plan = renderer.plan.placed(by: result)
        plan.loudnessLUFS = result.loudnessLUFS.map { ($0 * 100).rounded() / 100 }
        plan.truePeakDBTP = result.truePeakDBTP.map { ($0 * 100).rounded() / 100 }
        let base = (out as NSString).deletingPathExtension
        let json = try MixExports.json(plan)
        try MixExports.write(json, to: base + ".json")
        try MixExports.write(MixExports.cueSheet(plan, audioFile: out, title: title), to: base + ".cue")
        try MixExports.write(MixExports.playlist(plan), to: base + ".m3u8")
        if let plot { try MixExports.write(MixExports.plot(plan, loudness: result), to: plot) }
        try store.saveMix(
            path: URL(fileURLWithPath: out).standardizedFileURL.path, mood: plan.mood, arc: plan.arc,
            listenerID: listenerID, durationS: plan.durationS, loudnessLUFS: plan.loudnessLUFS,
            truePeakDBTP: plan.truePeakDBTP, planJSON: json, tracks: plan.tracks.map { ($0.id, $0.mixStartS) })
        return (plan, result)
    }
}

extension MixPlan {
    /// The plan as a render placed it: each track moved by the render's phase corrections (its time map, start
    /// and end; the last track keeps the planned end), each checked transition's measurement in its reasons, and
    /// the transitions whose phase could not be measured turned into the cuts the render made of them.
    public func placed(by result: MixRenderer.Result) -> MixPlan {
        var plan = self
        let sampleRate = Double(MixRenderer.sampleRate)
        for (i, shift) in result.trackShifts.enumerated() where shift != 0 && i < plan.tracks.count {
            let d = Double(shift) / sampleRate
            plan.tracks[i].mixStartS += d
            if i < plan.tracks.count - 1 { plan.tracks[i].mixEndS += d }
            plan.tracks[i].timeMap = TimeMap(
                points: plan.tracks[i].timeMap.points.map { (mix: $0[0] + d, source: $0[1]) })
        }
        for (k, check) in result.phaseChecks.enumerated() where k < plan.transitions.count {
            plan.transitions[k].reasons.phase = check?.reason
            if check?.action == .unmeasurable {
                plan.transitions[k].reasons.type =
                    "planned as \(plan.transitions[k].type.rawValue); its phase could not be checked on the audio: cut"
                plan.transitions[k].type = .cut
            }
        }
        return plan
    }
}
