import AIDJComposer
import Testing

@Suite("MIDI time: seconds and bars")
struct MIDIFileTimeTests {
    @Test("seconds through tempo changes")
    func seconds() {
        // 480 ticks per quarter; 120 BPM, then 60 BPM from tick 960.
        let midi = MIDIFile(ticksPerQuarter: 480, tempos: [(0, 500_000), (960, 1_000_000)])
        #expect(midi.seconds(atTick: 0) == 0)
        #expect(abs(midi.seconds(atTick: 480) - 0.5) < 1e-12)
        #expect(abs(midi.seconds(atTick: 960) - 1.0) < 1e-12)
        #expect(abs(midi.seconds(atTick: 1440) - 2.0) < 1e-12)
        #expect(abs(MIDIFile(ticksPerQuarter: 96).seconds(atTick: 192) - 1.0) < 1e-12, "120 BPM without tempo events")
    }

    @Test("bars and beats through a change from 3/4 to 6/8")
    func barsAndBeats() {
        let midi = MIDIFile(ticksPerQuarter: 480, timeSignatures: [(0, 3, 4), (2880, 6, 8)])
        #expect(midi.barAndBeat(atTick: 0) == (1, 1))
        #expect(midi.barAndBeat(atTick: 480 * 2) == (1, 3))
        #expect(midi.barAndBeat(atTick: 1440) == (2, 1))
        #expect(midi.barAndBeat(atTick: 1440 + 240) == (2, 1.5))
        // Two bars of 3/4 end at tick 2880; 6/8 counts eighths (240 ticks), six to a bar.
        #expect(midi.barAndBeat(atTick: 2880) == (3, 1))
        #expect(midi.barAndBeat(atTick: 2880 + 240 * 5) == (3, 6))
        #expect(midi.barAndBeat(atTick: 2880 + 240 * 6) == (4, 1))
        #expect(MIDIFile().barAndBeat(atTick: 480 * 5) == (2, 2), "4/4 without a time signature")
    }
}
