/// A `TextOutputStream` appending to a ``TextBuffer``: what a whole log is rendered or
/// exported into, handed to the real output in blocks of ``blockSize`` bytes.
struct TextBufferStream: TextOutputStream {
    /// The size of the blocks rendered text is handed to the output stream in.
    static let blockSize = 1 << 16

    var text: TextBuffer

    mutating func write(_ string: String) { text.append(string) }

    /// Hands the text to `output` once a block is full.
    mutating func flushIfFull(to output: inout some TextOutputStream) {
        if text.count >= Self.blockSize { text.flush(to: &output) }
    }
}
