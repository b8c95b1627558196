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
            guard let s = load(address, as: CK_SESSION_INFO.self) else { u8(1); return }
            u8(2); uvarint(UInt64(s.slotID)); uvarint(UInt64(s.state)); uvarint(UInt64(s.flags))
            uvarint(UInt64(s.ulDeviceError))
        default:
            guard let s = load(address, as: CK_MECHANISM_INFO.self) else { u8(1); return }
            u8(2); uvarint(UInt64(s.ulMinKeySize)); uvarint(UInt64(s.ulMaxKeySize)); uvarint(UInt64(s.flags))
        }
    }

    /// Array flag bits share the buffer's.
    mutating func outArray(_ address: UInt64, countPointer: UInt64, pre: Int) {
        let at = position
        u8(0)
        var flags = (address != 0 ? BufferFlag.pointer : 0) | (countPointer != 0 ? BufferFlag.lengthPointer : 0)
        if let before = preValue(pre) {
            flags |= BufferFlag.capacity
            uvarint(before)
        }
        flags |= arrayTail(address, countPointer: countPointer)
        patch(at, flags)
    }

    mutating func outArrayMax(_ address: UInt64, max: UInt64, countPointer: UInt64) {
        let at = position
        u8(0)
        var flags = (address != 0 ? BufferFlag.pointer : 0) | (countPointer != 0 ? BufferFlag.lengthPointer : 0)
        flags |= BufferFlag.capacity
        uvarint(max)
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

    /// A CK_MECHANISM: type, parameter length, and the parameter bytes when they hold no
    /// pointers, the length matches the mechanism's parameter type and the module accepted
    /// them (CKR_OK). An uninitialised mechanism with a wild pParameter is never followed.
    mutating func mechanism(_ address: UInt64) {
        guard address != 0 else { u8(0); return }
        guard let m = load(address, as: CK_MECHANISM.self) else { u8(1); return }
        u8(2)
        uvarint(UInt64(m.mechanism))
        uvarint(UInt64(m.ulParameterLen))
        let parameter = UInt64(UInt(bitPattern: m.pParameter))
        if rv == Self.okRV, parameter != 0,
           let expected = MechanismParameters.flatLength(of: UInt64(m.mechanism)),
           expected == Int(m.ulParameterLen) {
            u8(1)
            let mark = position
            uvarint(UInt64(expected))
            if !copyFromApplication(parameter, count: expected) { position = mark; patchLastForm(mark) }
        } else {
            u8(0)
        }
    }

    /// Turns the form byte just before `mark` into 0 (not recorded) after a failed copy.
    private mutating func patchLastForm(_ mark: Int) {
        patch(mark - 1, 0)
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
        let at = position
        u8(0)
        var flags = (address != 0 ? BufferFlag.pointer : 0) | (countPointer != 0 ? BufferFlag.lengthPointer : 0)
        if let before = preValue(pre) {
            flags |= BufferFlag.capacity
            uvarint(before)
        }
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
