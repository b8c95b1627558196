import Testing
@testable import Decoder

/// SplitMix64: a small, seeded generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A `TextOutputStream` that throws the text away.
struct Discard: TextOutputStream {
    var count = 0
    mutating func write(_ string: String) { count += string.utf8.count }
}

@Suite("Random damage")
struct FuzzTests {
    /// A few functions that together use every kind (to keep 2000 rounds quick).
    static func everyKindOnce() -> [FunctionSchema] {
        var covered = Set<ArgumentKind>()
        var chosen: [FunctionSchema] = []
        for function in FunctionSchema.table.sorted(by: { $0.arguments.count > $1.arguments.count }) {
            let kinds = Set(function.arguments.map(\.kind))
            if !kinds.isSubset(of: covered) {
                chosen.append(function)
                covered.formUnion(kinds)
            }
        }
        return chosen.sorted { $0.id < $1.id }
    }

    @Test("2000 random mutations of a valid log never crash and always end")
    func mutations() throws {
        var generator = SplitMix64(state: 0x5eed_0011)
        let valid = RenderingTests.everyFunctionLog(functions: Self.everyKindOnce())
        for iteration in 0..<2_000 {
            var bytes = valid
            switch iteration % 10 {
            case 0:
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            case 1:
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...9, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
            default:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    // Mostly the records, sometimes the headers.
                    let region = Bool.random(using: &generator) ? 0..<bytes.count : 4096..<min(bytes.count, 4096 + 2_048)
                    let at = Int.random(in: region, using: &generator)
                    bytes[at] = Bool.random(using: &generator) ? UInt8.random(in: 0...255, using: &generator)
                        : bytes[at] ^ (1 << UInt8.random(in: 0..<8, using: &generator))
                }
            }
            guard let reader = try TemporaryLog.with(bytes, { try? LogReader(path: $0) }) else { continue }
            var text = TextRenderer(header: reader.header)
            var json = JSONLinesRenderer(header: reader.header)
            var output = Discard()
            text.writePreamble(for: reader, to: &output)
            var calls = reader.calls()
            var count = 0
            let bound = bytes.count / 6 + 1
            do {
                while let call = try calls.next() {
                    text.write(call, to: &output)
                    json.write(call, to: &output)
                    count += 1
                    if count > bound { break }
                }
            } catch {
                _ = error.description
            }
            #expect(count <= bound, "iteration \(iteration) yielded more calls than records fit")
            // The summaries of the same bytes: they end too, and go at least as far.
            var summaries = reader.summaries()
            var summaryCount = 0
            do {
                while try summaries.next() != nil {
                    summaryCount += 1
                    if summaryCount > bound { break }
                }
            } catch {
                _ = error.description
            }
            #expect(summaryCount <= bound, "iteration \(iteration) yielded more summaries than records fit")
            #expect(summaryCount >= min(count, bound), "iteration \(iteration): summaries stopped before the calls")
        }
    }
}
