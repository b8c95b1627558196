/// One violation or piece of advice found in a trace: the rule, the calls that prove it (their
/// sequence numbers, as `decode` prints them) and one line of explanation.
public struct CheckFinding: Hashable, Sendable {
    public var rule: CheckRule
    public var sequences: [Int]
    public var message: String
    /// Time the pattern cost in this trace (advice rules), in nanoseconds.
    public var costNanoseconds: UInt64?

    public init(rule: CheckRule, sequences: [Int], message: String, costNanoseconds: UInt64? = nil) {
        self.rule = rule
        self.sequences = sequences
        self.message = message
        self.costNanoseconds = costNanoseconds
    }
}
