/// How much the writer kept: the `P11TRACE_CAPTURE` level recorded in the file header.
public enum CaptureLevel: Hashable, Sendable {
    /// Lengths of data buffers only; public values kept.
    case `default`
    /// Data buffers kept too.
    case data
    /// Secrets kept too (marked as such).
    case secrets
    /// A level this decoder does not know.
    case unknown(UInt32)

    /// The level stored in the header as `raw`.
    init(raw: UInt32) {
        switch raw {
        case 0: self = .default
        case 1: self = .data
        case 2: self = .secrets
        default: self = .unknown(raw)
        }
    }

    /// The level's name as `P11TRACE_CAPTURE` spells it.
    public var name: String {
        switch self {
        case .default: "default"
        case .data: "data"
        case .secrets: "secrets"
        case .unknown(let raw): "unknown (\(raw))"
        }
    }
}
