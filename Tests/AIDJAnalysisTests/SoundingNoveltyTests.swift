import Foundation
import Testing

@testable import AIDJAnalysis

@Suite("Tonal novelty where the track sounds")
struct SoundingNoveltyTests {
    /// 100 frames: 90 at the loud level 0.1 (−20 dBFS), 5 at 59 dB under it, 5 at 61 dB under it; novelty k at
    /// frame k.
    static func features() -> FrameFeatures {
        var features = FrameFeatures(frameRate: 22_050 / 512, hopSize: 512)
        let loud: Float = 0.1
        features.rms = (0..<100).map { k in
            k < 90 ? loud : loud * Float(pow(10.0, (k < 95 ? -59.0 : -61.0) / 20))
        }
        features.tonalNovelty = (0..<100).map { Float($0) }
        return features
    }

    @Test("frames more than 60 dB under the loud level read 0; the rest keep their novelty")
    func gate() {
        let gated = TrackAnalyzer.soundingTonalNovelty(Self.features(), frames: 0..<100)
        #expect(Array(gated[0..<95]) == (0..<95).map { Float($0) })
        #expect(gated[95...].allSatisfy { $0 == 0 })
    }

    @Test("the loud level is the whole track's, also when a stretch of it is read")
    func stretch() {
        let gated = TrackAnalyzer.soundingTonalNovelty(Self.features(), frames: 92..<98)
        #expect(gated == [92, 93, 94, 0, 0, 0])
    }

    @Test("a track all at one level, however quiet, keeps all its novelty")
    func quietTrack() {
        var features = Self.features()
        features.rms = [Float](repeating: 1e-5, count: 100)
        #expect(TrackAnalyzer.soundingTonalNovelty(features, frames: 0..<100) == (0..<100).map { Float($0) })
    }
}
