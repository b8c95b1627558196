import ArgumentParser

/// How much of the buffers `record` keeps (`P11TRACE_CAPTURE`).
enum CaptureOption: String, ExpressibleByArgument, CaseIterable {
    /// Lengths of data buffers; public values such as labels.
    case `default`
    /// Data buffers too: plaintext, ciphertext, signatures, digests.
    case data
    /// Secrets too: PINs, seeds, secret attribute values (marked as such).
    case secrets
}
