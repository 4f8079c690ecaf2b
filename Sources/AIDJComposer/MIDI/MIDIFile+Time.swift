extension MIDIFile {
    /// The time of `tick` in seconds, through the tempo map (120 BPM before the first tempo event).
    public func seconds(atTick tick: Int) -> Double {
        var seconds = 0.0
        var lastTick = 0
        var microsecondsPerQuarter = 500_000.0
        for change in tempos where change.tick < tick {
            seconds += Double(change.tick - lastTick) * microsecondsPerQuarter / 1e6 / Double(ticksPerQuarter)
            lastTick = change.tick
            microsecondsPerQuarter = Double(change.microsecondsPerQuarter)
        }
        return seconds + Double(tick - lastTick) * microsecondsPerQuarter / 1e6 / Double(ticksPerQuarter)
    }

    /// Where `tick` falls in the meter: the bar (1-based) and the beat within it (1-based, fractional), counting
    /// beats in the time signature's unit (a quarter in 4/4, an eighth in 6/8); 4/4 before the first signature.
    public func barAndBeat(atTick tick: Int) -> (bar: Int, beat: Double) {
        var bar = 1
        var segmentStart = 0
        var numerator = 4
        var denominator = 4
        func advance(to end: Int) {
            let beatTicks = Double(ticksPerQuarter) * 4 / Double(denominator)
            let barTicks = beatTicks * Double(numerator)
            bar += Int((Double(end - segmentStart) / barTicks).rounded(.up))
            segmentStart = end
        }
        for change in timeSignatures.sorted(by: { $0.tick < $1.tick }) where change.tick <= tick {
            if change.tick > segmentStart { advance(to: change.tick) }
            numerator = max(1, change.numerator)
            denominator = max(1, change.denominator)
        }
        let beatTicks = Double(ticksPerQuarter) * 4 / Double(denominator)
        let beats = Double(tick - segmentStart) / beatTicks
        let bars = (beats / Double(numerator)).rounded(.down)
        return (bar + Int(bars), 1 + beats - bars * Double(numerator))
    }
}
