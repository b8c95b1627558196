import Testing
@testable import Decoder

@Suite struct AnalysisTests {
    /// Random durations over nine decades: every reported percentile is within 1/256 of the exact one.
    @Test func histogramAccuracyBound() {
        var generator = SplitMix(seed: 42)
        var histogram = LatencyHistogram()
        var values: [UInt64] = []
        for _ in 0..<20_000 {
            let exponent = Double(generator.next() % 9_000) / 1_000
            let value = UInt64(Double(10).squareRoot() * pow10(exponent))
            values.append(value)
            histogram.add(value)
        }
        values.sort()
        for q in [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0] {
            let rank = max(1, Int((q * Double(values.count)).rounded(.up)))
            let exact = values[rank - 1]
            let reported = histogram.value(atQuantile: q)
            let error = reported > exact ? reported - exact : exact - reported
            #expect(error * 256 <= exact, "q \(q): \(reported) vs \(exact)")
        }
        #expect(histogram.count == 20_000)
        #expect(histogram.maximum == values.last && histogram.minimum == values.first)
    }

    @Test func histogramIsExactBelow128() {
        var histogram = LatencyHistogram()
        for value in 1...100 { histogram.add(UInt64(value)) }
        #expect(histogram.value(atQuantile: 0.5) == 50)
        #expect(histogram.value(atQuantile: 0.9) == 90)
    }

    @Test func spansFollowTheSpec() throws {
        let calls = try decodeLog(AnalysisSamples.log().bytes()).calls
        let spans = OperationSpanGrouper.spans(of: calls)
        let summary = spans.map { "\($0.kind.rawValue) \($0.sequences) \($0.ending)" }
        #expect(summary == AnalysisSamples.expectedSpans)
    }

    @Test func timelineGolden() throws {
        let calls = try decodeLog(AnalysisSamples.log().bytes()).calls
        for grouping in [Timeline.LaneGrouping.thread, .session] {
            var options = Timeline.Options()
            options.width = 80
            options.grouping = grouping
            var timeline = Timeline(options: options)
            calls.forEach { timeline.scan($0) }
            timeline.layOut()
            calls.forEach { timeline.draw($0) }
            timeline.finish()
            var output = CapturedText()
            timeline.write(to: &output)
            #expect(output.text == AnalysisSamples.timeline[grouping.rawValue], "\n\(output.text)")
        }
    }

    @Test func statsGolden() throws {
        let calls = try decodeLog(AnalysisSamples.log().bytes()).calls
        var statistics = Statistics()
        calls.forEach { statistics.add($0) }
        statistics.finish()
        for format in [StatisticsRenderer.Format.text, .json] {
            var output = CapturedText()
            StatisticsRenderer(statistics).write(format, to: &output)
            #expect(output.text == AnalysisSamples.stats[format.rawValue], "\n\(output.text)")
        }
    }

    private func pow10(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 10 }
        let fraction = exponent - Double(Int(exponent))
        // 10^f by a short series of e^(f ln 10).
        var term = 1.0, sum = 1.0
        for n in 1..<30 { term *= fraction * 2.302585092994046 / Double(n); sum += term }
        return result * sum
    }
}

/// A small deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
