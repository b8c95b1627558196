import CExport

/// Writes one record into memory the caller owns (a chunk of the mapped log).
///
/// Every store is bounds-checked against `capacity`; running out of room sets `overflow`
/// and turns further stores into no-ops, so the caller can retry in a fresh chunk. All raw
/// pointer arithmetic of the writer happens here. No allocation, no locking, no strings.
struct RecordEncoder {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    let capture: CaptureLevel
    var position = 0
    var overflow = false
    /// True when the call returned CKR_OK: the module has read (or written) the memory the
    /// arguments point to, so it may be read directly. Otherwise reads go through a
    /// fault-safe copy.
    var trusted = false
    /// The call being encoded: return value and pre-call peeks.
    var rv: UInt64 = 0
    var pre: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    var preMask: UInt32 = 0

    init(base: UnsafeMutableRawPointer, capacity: Int, capture: CaptureLevel) {
        self.base = base
        self.capacity = capacity
        self.capture = capture
    }

    @inline(__always)  // hot: one byte per store; measured in the record-path benchmark
    mutating func u8(_ value: UInt8) {
        guard position < capacity else { overflow = true; return }
        base.storeBytes(of: value, toByteOffset: position, as: UInt8.self)
        position += 1
    }

    mutating func u16(_ value: UInt16) {
        guard position + 2 <= capacity else { overflow = true; return }
        base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt16.self)
        position += 2
    }

    @inline(__always)  // hot: every record has several
    mutating func uvarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            u8(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        u8(UInt8(truncatingIfNeeded: v))
    }

    mutating func zigzag(_ value: Int64) {
        uvarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Copies `count` bytes from memory known to be readable.
    mutating func raw(_ source: UnsafeRawPointer, count: Int) {
        guard count > 0 else { return }
        guard position + count <= capacity else { overflow = true; return }
        (base + position).copyMemory(from: source, byteCount: count)
        position += count
    }

    /// Copies `count` bytes from application memory: directly when trusted, else fault-safe.
    /// Returns false (and writes nothing) when the memory is unreadable.
    mutating func copyFromApplication(_ address: UInt64, count: Int) -> Bool {
        guard count > 0 else { return true }
        guard position + count <= capacity else { overflow = true; return true }
        guard let source = UnsafeRawPointer(bitPattern: UInt(address)) else { return false }
        if trusted {
            (base + position).copyMemory(from: source, byteCount: count)
        } else if p11t_safe_copy(base + position, source, count) == 0 {
            return false
        }
        position += count
        return true
    }

    /// Reads one value of type T from application memory into `value`.
    func load<T>(_ address: UInt64, as type: T.Type) -> T? {
        guard let source = UnsafeRawPointer(bitPattern: UInt(address)) else { return nil }
        if trusted { return source.loadUnaligned(as: T.self) }
        return withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { buffer -> T? in
            guard p11t_safe_copy(buffer.baseAddress!, source, MemoryLayout<T>.size) != 0 else { return nil }
            return buffer[0]
        }
    }

    /// The value peeked before the call for pre slot `index`, if any.
    func preValue(_ index: Int) -> UInt64? {
        guard preMask & (1 << UInt32(index)) != 0 else { return nil }
        switch index {
        case 0: return pre.0
        case 1: return pre.1
        case 2: return pre.2
        default: return pre.3
        }
    }
}
