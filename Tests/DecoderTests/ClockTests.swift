import Testing
@testable import Decoder

@Suite("Record clock conversion")
struct ClockTests {
    @Test("the decoder's rounding of times equals Double.rounded() (halves away from zero)")
    func roundingMatchesTheLibrary() {
        var generator = SplitMix64(state: 0xC10C_0001)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                4_503_599_627_370_495.5, -4_503_599_627_370_495.5, 0x1p52, 0x1p52 + 1, -0x1p52,
                                0x1p62, 1e18 + 0.5, .nan, .infinity, -.infinity]
        for _ in 0..<100_000 {
            let magnitude = Double(generator.next() % 1_000_000_000_000) / Double(1 + generator.next() % 1_000)
            values.append(generator.next() % 2 == 0 ? magnitude : -magnitude)
            values.append(Double(generator.next() % 4_000_000) / 2 - 1_000_000)  // many exact halves
        }
        for value in values {
            let ours = LogHeader.rounded(value), library = value.rounded()
            #expect(ours == library || (ours.isNaN && library.isNaN), "\(value): \(ours) vs \(library)")
        }
    }
}
