public import AIDJAnalysis
import AIDJAudio
import Foundation

extension ReferenceScore {
    /// The reference recording at `path` (a teacher's take): transcribed by `transcriber`, the one that reads the
    /// take, and placed in bars by the recording's own beat grid (``TrackAnalyzer``).
    ///
    /// - Parameter name: the recording as the user named it, for reports (default: `path`).
    /// - Throws: `AudioError` naming the file when it cannot be decoded; ``AssessError`` when it holds fewer than
    ///   two pitched notes.
    public init(recordingAt path: String, name: String? = nil, transcriber: NoteTranscriber) throws {
        let name = name ?? path
        let transcription = transcriber.transcribe(
            try AudioFileReader(path: path).readMono(sampleRate: transcriber.configuration.sampleRate))
        guard transcription.notes.count >= 2 else {
            throw AssessError(path: name, reason: "the reference recording has no pitched notes")
        }
        self.init(recording: transcription, beats: try TrackAnalyzer().analyze(path: path).beats, path: name)
    }

    /// The notes heard in a reference recording (a teacher's take), placed in bars by the recording's own beat
    /// grid (``TrackAnalyzer``): beat positions come from the grid's beats and bar lines.
    ///
    /// - Parameters:
    ///   - transcription: the recording's notes, from the same ``NoteTranscriber`` as the take.
    ///   - beats: the recording's beat grid; without beats, bars of four beats at 120 BPM are assumed.
    ///   - path: the recording, named in reports.
    public init(recording transcription: NoteTranscriber.Transcription, beats: BeatGrid, path: String) {
        let tuning = transcription.tuningCents / 100
        let notes = transcription.notes.map { note in
            let place = Self.place(note.onset, in: beats)
            return ScoreNote(
                onset: note.onset, duration: note.duration, pitch: Int((note.pitch - tuning).rounded()),
                bar: place.bar, beat: place.beat)
        }
        self.init(notes: notes, source: "\(path) (recording)")
    }

    /// Bar (1-based) and beat (1-based, fractional) of `time` in a beat grid.
    static func place(_ time: Double, in grid: BeatGrid) -> (bar: Int, beat: Double) {
        let times = grid.times
        guard times.count >= 2 else {
            let beats = max(0, time) / 0.5
            return (Int(beats / 4) + 1, beats.truncatingRemainder(dividingBy: 4) + 1)
        }
        // The beat at or before `time` (the first beat for earlier times), and the fraction to the next.
        let k = max(0, min(times.count - 2, (times.lastIndex { $0 <= time } ?? 0)))
        let fraction = (time - times[k]) / (times[k + 1] - times[k])
        let bar = max(1, times[0...k].indices.filter { grid.barPositions[$0] == 1 }.count)
        return (bar, Double(max(1, grid.barPositions[k])) + fraction)
    }
}
