import AIDJCore
import Testing

@testable import AIDJAnalysis

@Suite("Onset autocorrelation")
struct OnsetAutocorrelationTests {
    @Test(
        "four lags at a time give the sums of one lag at a time, bit for bit",
        arguments: [(1, 0), (5, 4), (9, 8), (300, 7), (7750, 258)])
    func lagSumsAreExact(count: Int, maxLag: Int) {
        var random = SplitMix64(seed: UInt64(count))
        let x = (0..<count).map { _ in random.uniform() }
        let sums = x.withUnsafeBufferPointer {
            OnsetAutocorrelation.lagSums($0.baseAddress!, count: count, maxLag: maxLag, as: Float.self)
        }
        #expect(sums.count == maxLag + 1)
        var differing = 0
        for lag in 0...maxLag {
            var sum: Float = 0
            for i in 0..<(count - lag) { sum += x[i] * x[i + lag] }
            if sums[lag] != sum { differing += 1 }
        }
        #expect(differing == 0, "\(differing) of \(maxLag + 1) lags differ")
    }

    @Test("an empty or one-frame envelope has lag 0 alone")
    func tooShort() {
        #expect(OnsetAutocorrelation(onset: [], frameRate: 43).values == [0])
        #expect(OnsetAutocorrelation(onset: [0.5], frameRate: 43).values.count == 1)
    }

    @Test("an accent every 20 frames peaks at lag 20 and its multiples, not between")
    func periodicAccents() {
        let onset = (0..<2000).map { $0 % 20 == 0 ? Float(1) : 0.05 }
        let r = OnsetAutocorrelation(onset: onset, frameRate: 40)
        #expect(r.values[0] == 1)
        #expect(r.values[20] > 0.9 && r.values[40] > 0.9)
        #expect(r.values[10] < 0.1 && r.values[30] < 0.1)
    }

    @Test("the tempo curve's window sums, four lags at a time and slid a hop on, are one lag at a time's, bit for bit")
    func tempoCurveSumsAreExact() {
        var random = SplitMix64(seed: 11)
        let x = (0..<3000).map { _ in random.uniform() }
        let length = 900, maxLag = 257, hop = 21
        func reference(start: Int) -> [Double] {
            (0...maxLag).map { lag in
                var sum = 0.0
                for i in start..<(start + length - lag) { sum += Double(x[i] * x[i + lag]) }
                return sum
            }
        }
        var sums = x.withUnsafeBufferPointer {
            OnsetAutocorrelation.lagSums($0.baseAddress!, count: length, maxLag: maxLag, as: Double.self)
        }
        #expect(sums == reference(start: 0))
        // Sliding: the same adds and subtractions as one lag at a time, in the same order.
        var expected = reference(start: 0)
        for step in 0..<5 {
            let start = step * hop
            x.withUnsafeBufferPointer {
                TempoCurve.slide($0.baseAddress!, start: start, length: length, hop: hop, maxLag: maxLag, sums: &sums)
            }
            for lag in 0...maxLag {
                var removed = 0.0, added = 0.0
                for i in start..<(start + hop) { removed += Double(x[i] * x[i + lag]) }
                let end = start + length - lag
                for i in end..<(end + hop) { added += Double(x[i] * x[i + lag]) }
                expected[lag] += added - removed
            }
            #expect(sums == expected, "after \(step + 1) hops")
        }
        // And the slid sums are the window sums there, to rounding.
        let direct = reference(start: 5 * hop)
        #expect(zip(sums, direct).allSatisfy { abs($0 - $1) < 1e-9 * max(1, abs($1)) })
    }
}
