import CExport

/// Structures, arrays, mechanisms and negotiation arguments (docs/log-format.md).
extension RecordEncoder {
    mutating func version(_ v: CK_VERSION) {
        u8(v.major)
        u8(v.minor)
    }

    mutating func fixedText<T>(_ value: T) {
        withUnsafeBytes(of: value) { raw($0.baseAddress!, count: $0.count) }
    }

    /// An output structure, field by field. `layout` is the index in `STRUCTS` of the generator.
    mutating func outStruct(_ address: UInt64, layout: Int) {
        guard address != 0 else { u8(0); return }
        guard rv == Self.okRV else { u8(1); return }
        switch layout {
        case 0:
            guard let s = load(address, as: CK_INFO.self) else { u8(1); return }
            u8(2); version(s.cryptokiVersion); fixedText(s.manufacturerID); uvarint(UInt64(s.flags))
            fixedText(s.libraryDescription); version(s.libraryVersion)
        case 1:
            guard let s = load(address, as: CK_SLOT_INFO.self) else { u8(1); return }
            u8(2); fixedText(s.slotDescription); fixedText(s.manufacturerID); uvarint(UInt64(s.flags))
            version(s.hardwareVersion); version(s.firmwareVersion)
        case 2:
            guard let s = load(address, as: CK_TOKEN_INFO.self) else { u8(1); return }
            u8(2); fixedText(s.label); fixedText(s.manufacturerID); fixedText(s.model); fixedText(s.serialNumber)
            // One by one: an array literal here would allocate on the record path.
            uvarint(UInt64(s.flags)); uvarint(UInt64(s.ulMaxSessionCount)); uvarint(UInt64(s.ulSessionCount))
            uvarint(UInt64(s.ulMaxRwSessionCount)); uvarint(UInt64(s.ulRwSessionCount))
            uvarint(UInt64(s.ulMaxPinLen)); uvarint(UInt64(s.ulMinPinLen))
            uvarint(UInt64(s.ulTotalPublicMemory)); uvarint(UInt64(s.ulFreePublicMemory))
            uvarint(UInt64(s.ulTotalPrivateMemory)); uvarint(UInt64(s.ulFreePrivateMemory))
            version(s.hardwareVersion); version(s.firmwareVersion); fixedText(s.utcTime)
        case 3:
            // The hottest structure (C_GetSessionInfo): read field by field. A whole-struct
            // 16-byte load right after the module's 8-byte stores stalls on store forwarding.
            if trusted, let p = UnsafeRawPointer(bitPattern: UInt(address)) {
                u8(2)
                uvarint(UInt64(p.loadUnaligned(fromByteOffset: Self.sessionInfoSlot, as: CK_ULONG.self)))
                uvarint(UInt64(p.loadUnaligned(fromByteOffset: Self.sessionInfoState, as: CK_ULONG.self)))
                uvarint(UInt64(p.loadUnaligned(fromByteOffset: Self.sessionInfoFlags, as: CK_ULONG.self)))
                uvarint(UInt64(p.loadUnaligned(fromByteOffset: Self.sessionInfoError, as: CK_ULONG.self)))
                return
            }
            guard let s = load(address, as: CK_SESSION_INFO.self) else { u8(1); return }
            u8(2); uvarint(UInt64(s.slotID)); uvarint(UInt64(s.state)); uvarint(UInt64(s.flags))
            uvarint(UInt64(s.ulDeviceError))
        default:
            guard let s = load(address, as: CK_MECHANISM_INFO.self) else { u8(1); return }
            u8(2); uvarint(UInt64(s.ulMinKeySize)); uvarint(UInt64(s.ulMaxKeySize)); uvarint(UInt64(s.flags))
        }
    }

    // CK_SESSION_INFO is four CK_ULONGs (slotID, state, flags, ulDeviceError): no padding is
    // possible between fields of one type, and the header asserts its size. Plain constants
    // (not MemoryLayout.offset(of:), which would be a lazily initialised global per read).
    static var sessionInfoSlot: Int { 0 }
    static var sessionInfoState: Int { MemoryLayout<CK_ULONG>.stride }
    static var sessionInfoFlags: Int { 2 * MemoryLayout<CK_ULONG>.stride }
    static var sessionInfoError: Int { 3 * MemoryLayout<CK_ULONG>.stride }

    /// Array flag bits share the buffer's.
    mutating func outArray(_ address: UInt64, countPointer: UInt64, pre: Int) {
        var (at, flags) = beginOutput(address, lengthPointer: countPointer, capacity: preValue(pre))
        flags |= arrayTail(address, countPointer: countPointer)
        patch(at, flags)
    }

    mutating func outArrayMax(_ address: UInt64, max: UInt64, countPointer: UInt64) {
        var (at, flags) = beginOutput(address, lengthPointer: countPointer, capacity: max)
        flags |= arrayTail(address, countPointer: countPointer)
        patch(at, flags)
    }

    /// Count after the call and, on CKR_OK, the elements.
    private mutating func arrayTail(_ address: UInt64, countPointer: UInt64) -> UInt8 {
        guard countPointer != 0, rv == Self.okRV || rv == Self.bufferTooSmallRV else { return 0 }
        guard let count = load(countPointer, as: CK_ULONG.self).map({ UInt64($0) }) else { return BufferFlag.unreadable }
        var flags = BufferFlag.length
        uvarint(count)
        if rv == Self.okRV && address != 0 {
            let n = min(count, 256)
            let elementsAt = position
            uvarint(n)
            let stride = UInt64(MemoryLayout<CK_ULONG>.stride)
            for i in 0..<n {
                guard let element = load(address + i * stride, as: CK_ULONG.self) else {
                    position = elementsAt  // no elements rather than a count that lies
                    return flags | BufferFlag.unreadable
                }
                uvarint(UInt64(element))
            }
            flags |= BufferFlag.content
            if n < count { flags |= BufferFlag.truncated }
        }
        return flags
    }

    /// A CK_MECHANISM: type, parameter length, and the parameter (see ``parameter(_:length:layout:)``).
    /// An uninitialised mechanism with a wild pParameter is never followed: the parameter is
    /// read only on CKR_OK and only when ulParameterLen is its exact size.
    ///
    /// - Parameter message: The mechanism of authenticated wrapping, whose parameter is a 3.0
    ///   message parameter (`CK_GCM_MESSAGE_PARAMS` rather than `CK_GCM_PARAMS`).
    mutating func mechanism(_ address: UInt64, message: Bool) {
        guard address != 0 else { u8(0); return }
        guard let m = load(address, as: CK_MECHANISM.self) else { u8(1); return }
        u8(2)
        uvarint(UInt64(m.mechanism))
        uvarint(UInt64(m.ulParameterLen))
        let layout = rv == Self.okRV ? p11t_param_layout_for(m.mechanism, m.ulParameterLen, message ? 1 : 0) : nil
        parameter(UInt64(UInt(bitPattern: m.pParameter)), length: UInt64(m.ulParameterLen), layout: layout)
    }

    /// The pParameter of C_EncryptMessage* and C_DecryptMessage* (`structured`), or of the
    /// message signing functions: `u8` pointer non-NULL, `uvarint` ulParameterLen, then the
    /// parameter as in a mechanism. The structure is told apart by its size.
    mutating func messageParameter(_ address: UInt64, length: UInt64, structured: Bool) {
        u8(address != 0 ? 1 : 0)
        uvarint(length)
        let layout = structured && rv == Self.okRV ? p11t_message_param_layout_for(CK_ULONG(length)) : nil
        parameter(address, length: length, layout: layout)
    }

    /// `u8` form, then form 1: `bytes` raw parameter; form 2: `bytes` holding `uvarint`
    /// structure id and the fields. Form 0 when there is no layout (unknown mechanism, wrong
    /// length, call not CKR_OK) or the parameter cannot be read.
    private mutating func parameter(_ address: UInt64, length: UInt64,
                                    layout: UnsafePointer<p11t_param_layout>?) {
        guard let layout, address != 0 else { u8(0); return }
        let formAt = position
        if layout.pointee.id == 0 {
            u8(1)
            let mark = position
            uvarint(length)
            if !copyFromApplication(address, count: Int(length)) { position = mark; patch(formAt, 0) }
            return
        }
        u8(2)
        // A 3-byte padded uvarint, patched once the fields are written (records are < 64 KiB).
        let lengthAt = position
        u8(0x80); u8(0x80); u8(0)
        let start = position
        uvarint(UInt64(layout.pointee.id))
        for index in 0..<Int(layout.pointee.field_count) {
            field(layout.pointee.fields[index], of: address)
        }
        let size = position - start
        guard !overflow, size < (1 << 21) else { return }
        patch(lengthAt, UInt8(size & 0x7F) | 0x80)
        patch(lengthAt + 1, UInt8((size >> 7) & 0x7F) | 0x80)
        patch(lengthAt + 2, UInt8(size >> 14))
    }

    /// One field of a parameter structure the module accepted (so the structure itself is
    /// readable). Memory the structure points to is copied fault-safe whatever the return
    /// code: the module vouched for the fields it used, not for pointers it ignored (a pSalt
    /// left uninitialised when bExtract is false).
    private mutating func field(_ f: p11t_param_field, of structure: UInt64) {
        let at = structure + UInt64(f.offset)
        switch Int(f.kind) {
        case Int(P11T_PARAM_ULONG), Int(P11T_PARAM_HANDLE):
            uvarint(UInt64(load(at, as: CK_ULONG.self) ?? 0))
        case Int(P11T_PARAM_BOOL):
            u8(load(at, as: UInt8.self) ?? 0)
        case Int(P11T_PARAM_ARRAY):
            parameterBytes(at, length: UInt64(f.length), class: Int(f.buffer_class))
        default:
            let pointer = UInt64(load(at, as: UInt.self) ?? 0)
            var length = UInt64(f.length)
            if Int(f.kind) != Int(P11T_PARAM_BYTES_FIXED) {
                length = UInt64(load(structure + UInt64(f.length), as: CK_ULONG.self) ?? 0)
                if Int(f.kind) == Int(P11T_PARAM_BYTES_BITS) { length = (length + 7) / 8 }
            }
            let wasTrusted = trusted
            trusted = false
            parameterBytes(pointer, length: length, class: Int(f.buffer_class))
            trusted = wasTrusted
        }
    }

    /// A buffer inside a parameter: pointer flag, length, and content as its class allows.
    private mutating func parameterBytes(_ address: UInt64, length: UInt64, class rawClass: Int) {
        inBytes(address, length: length, class: rawClass)
    }

    mutating func initArgs(_ address: UInt64) {
        guard address != 0 else { u8(0); return }
        guard let a = load(address, as: CK_C_INITIALIZE_ARGS.self) else { u8(1); return }
        u8(2)
        uvarint(UInt64(a.flags))
        var callbacks: UInt8 = 0
        if a.CreateMutex != nil { callbacks |= 1 }
        if a.DestroyMutex != nil { callbacks |= 2 }
        if a.LockMutex != nil { callbacks |= 4 }
        if a.UnlockMutex != nil { callbacks |= 8 }
        u8(callbacks)
        u8(a.pReserved != nil ? 1 : 0)
    }

    mutating func versionIn(_ address: UInt64) {
        guard address != 0 else { u8(0); return }
        guard let v = load(address, as: CK_VERSION.self) else { u8(1); return }
        u8(2)
        version(v)
    }

    mutating func functionListOut(_ address: UInt64) {
        guard address != 0 else { u8(0); return }
        guard rv == Self.okRV, let list = load(address, as: UInt.self), list != 0,
              let v = load(UInt64(list), as: CK_VERSION.self) else { u8(1); return }
        u8(2)
        version(v)
    }

    mutating func interfaceOut(_ address: UInt64) {
        guard address != 0 else { u8(0); return }
        guard rv == Self.okRV, let pointer = load(address, as: UInt.self), pointer != 0 else { u8(1); return }
        u8(2)
        interface(UInt64(pointer))
    }

    /// One CK_INTERFACE: `bytes name`, version of its function list, flags.
    mutating func interface(_ address: UInt64) {
        guard let i = load(address, as: CK_INTERFACE.self) else {
            uvarint(0); u8(0); u8(0); uvarint(0)
            return
        }
        let name = UInt64(UInt(bitPattern: i.pInterfaceName))
        var length: UInt64 = 0
        while name != 0, length < 64, let byte = load(name + length, as: UInt8.self), byte != 0 { length += 1 }
        uvarint(length)
        if length > 0 && !copyFromApplication(name, count: Int(length)) {
            for _ in 0..<length { u8(0x3F) }  // "?" for an unreadable name of known length
        }
        let list = UInt64(UInt(bitPattern: i.pFunctionList))
        version(list != 0 ? load(list, as: CK_VERSION.self) ?? CK_VERSION() : CK_VERSION())
        uvarint(UInt64(i.flags))
    }

    mutating func interfaceList(_ address: UInt64, countPointer: UInt64, pre: Int) {
        var (at, flags) = beginOutput(address, lengthPointer: countPointer, capacity: preValue(pre))
        if countPointer != 0, rv == Self.okRV || rv == Self.bufferTooSmallRV,
           let count = load(countPointer, as: CK_ULONG.self).map({ UInt64($0) }) {
            flags |= BufferFlag.length
            uvarint(count)
            if rv == Self.okRV && address != 0 {
                let n = min(count, 16)
                uvarint(n)
                for i in 0..<n { interface(address + i * UInt64(MemoryLayout<CK_INTERFACE>.stride)) }
                flags |= BufferFlag.content
                if n < count { flags |= BufferFlag.truncated }
            }
        }
        patch(at, flags)
    }
}
