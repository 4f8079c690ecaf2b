import AIDJCore
import Testing

@testable import AIDJAnalysis

@Suite("Onset autocorrelation")
struct OnsetAutocorrelationTests {
    @Test(
        "four lags at a time give the sums of one lag at a time, bit for bit",
        arguments: [(1, 0), (5, 4), (9, 8), (300, 7), (7750, 258)])
    func lagProductsAreExact(count: Int, maxLag: Int) {
        var random = SplitMix64(seed: UInt64(count))
        let x = (0..<count).map { _ in random.uniform() }
        let sums = x.withUnsafeBufferPointer {
            OnsetAutocorrelation.lagProducts($0.baseAddress!, count: count, maxLag: maxLag)
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

    @Test("an accent every 20 frames peaks at lag 20 and its multiples, not between")
    func periodicAccents() {
        let onset = (0..<2000).map { $0 % 20 == 0 ? Float(1) : 0.05 }
        let r = OnsetAutocorrelation(onset: onset, frameRate: 40)
        #expect(r.values[0] == 1)
        #expect(r.values[20] > 0.9 && r.values[40] > 0.9)
        #expect(r.values[10] < 0.1 && r.values[30] < 0.1)
    }
}
