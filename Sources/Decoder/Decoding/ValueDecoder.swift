/// Decodes one argument encoding per kind (docs/log-format.md, "Argument encodings").
enum ValueDecoder {
    /// Decodes the value of one parameter group.
    static func decode(_ schema: ArgumentSchema, from cursor: inout ByteCursor) throws(DecodeFailure) -> DecodedValue {
        switch schema.kind {
        case .ulong:
            return .number(try cursor.uvarint(), .plain)
        case .slot:
            return .number(try cursor.uvarint(), .slot)
        case .session, .object:
            return .number(try cursor.uvarint(), .handle)
        case .mechanismType:
            return .number(try cursor.uvarint(), .mechanism)
        case .userType:
            return .number(try cursor.uvarint(), .userType)
        case .flags:
            return .flags(try cursor.uvarint(), schema.option.flatMap(FlagSet.init(rawValue:)))
        case .bool:
            return .bool(try cursor.u8())
        case .pointer:
            let byte = try cursor.u8()
            guard byte <= 1 else { throw cursor.invalid(byte) }
            return .pointer(isNull: byte == 0)
        case .inBytes, .outBytes, .outBytesFixed, .label32, .utf8z:
            return .buffer(try buffer(from: &cursor).value)
        case .messageParam:
            return try messageParameter(from: &cursor)
        case .outUlong, .outHandle:
            let domain = schema.kind == .outUlong ? NameDomain.plain : NameDomain(option: schema.option)
            return try outState(&cursor, absent: .noValue) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .number(try cursor.uvarint(), domain)
            }
        case .outStruct:
            return try outState(&cursor, absent: .noValue) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .structure(try structure(schema.option ?? "", from: &cursor))
            }
        case .outArray, .outArrayMax:
            let domain = NameDomain(option: schema.option)
            return .array(try array(from: &cursor, minimumElementSize: 1) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .number(try cursor.uvarint(), domain)
            })
        case .interfaceList:
            return .array(try array(from: &cursor, minimumElementSize: 4) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .interface(try interface(from: &cursor))
            })
        case .inTemplate, .outTemplate:
            return .template(try template(from: &cursor, allowNested: true))
        case .mechanism:
            return try outState(&cursor, absent: .unreadable) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .mechanism(try mechanism(from: &cursor))
            }
        case .initArgs:
            return try outState(&cursor, absent: .unreadable) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                let flags = try cursor.uvarint()
                let callbacks = try cursor.u8()
                let reserved = try cursor.u8()
                return .initArgs(InitArgsValue(
                    flags: flags, hasCreateMutex: callbacks & 1 != 0, hasDestroyMutex: callbacks & 2 != 0,
                    hasLockMutex: callbacks & 4 != 0, hasUnlockMutex: callbacks & 8 != 0, hasReserved: reserved != 0))
            }
        case .versionIn:
            return try outState(&cursor, absent: .unreadable) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .version(try version(from: &cursor))
            }
        case .functionListOut:
            return try outState(&cursor, absent: .noValue) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .functionList(version: try version(from: &cursor))
            }
        case .interfaceOut:
            return try outState(&cursor, absent: .noValue) { (cursor: inout ByteCursor) throws(DecodeFailure) in
                .interface(try interface(from: &cursor))
            }
        }
    }

    /// Reads a state byte (0 NULL, 1 `absent`, 2 present) and, when present, the value.
    private static func outState(
        _ cursor: inout ByteCursor, absent: DecodedValue,
        present: (inout ByteCursor) throws(DecodeFailure) -> DecodedValue
    ) throws(DecodeFailure) -> DecodedValue {
        let state = try cursor.u8()
        switch state {
        case 0: return .null
        case 1: return absent
        case 2: return try present(&cursor)
        default: throw cursor.invalid(state)
        }
    }

    /// Reads a buffer, returning the file offset of its content too (for nested templates).
    static func buffer(from cursor: inout ByteCursor) throws(DecodeFailure) -> (value: BufferValue, contentOffset: Int) {
        typealias Bit = BufferValue.Bit
        let flags = try cursor.u8()
        var value = BufferValue(
            hasData: flags & Bit.data != 0, hasLengthPointer: flags & Bit.lengthPointer != 0,
            isTruncated: flags & Bit.truncated != 0, isSecret: flags & Bit.secret != 0,
            isUnreadable: flags & Bit.unreadable != 0)
        if flags & Bit.capacity != 0 { value.capacity = try cursor.uvarint() }
        if flags & Bit.length != 0 { value.length = try cursor.uvarint() }
        var contentOffset = cursor.fileOffset
        if flags & Bit.content != 0 {
            let count = try cursor.uvarint()
            contentOffset = cursor.fileOffset
            guard count <= UInt64(cursor.remaining) else {
                throw DecodeFailure(offset: contentOffset, reason: .countTooLarge(count))
            }
            value.content = try cursor.bytes(Int(count))
        }
        return (value, contentOffset)
    }

    private static func array(
        from cursor: inout ByteCursor, minimumElementSize: Int,
        element: (inout ByteCursor) throws(DecodeFailure) -> DecodedValue
    ) throws(DecodeFailure) -> ArrayValue {
        let flags = try cursor.u8()
        var value = ArrayValue(
            hasArray: flags & 1 != 0, hasCountPointer: flags & 2 != 0,
            isTruncated: flags & 0x20 != 0, isUnreadable: flags & 0x80 != 0)
        if flags & 0x04 != 0 { value.capacity = try cursor.uvarint() }
        if flags & 0x08 != 0 { value.count = try cursor.uvarint() }
        if flags & 0x10 != 0 {
            let count = try cursor.count(minimumElementSize: minimumElementSize)
            var elements: [DecodedValue] = []
            elements.reserveCapacity(count)
            for _ in 0..<count {
                elements.append(try element(&cursor))
            }
            value.elements = elements
        }
        return value
    }

    private static func mechanism(from cursor: inout ByteCursor) throws(DecodeFailure) -> MechanismValue {
        let type = try cursor.uvarint()
        let length = try cursor.uvarint()
        let parameter = try self.parameter(from: &cursor)
        return MechanismValue(type: type, parameterLength: length, form: parameter.form, parameter: parameter.bytes,
                              structure: parameter.structure)
    }

    /// A mechanism parameter: `u8` form, then form 1: `bytes` raw; form 2: `bytes` holding
    /// `uvarint` structure id and the fields (docs/log-format.md, "Mechanism").
    private static func parameter(from cursor: inout ByteCursor) throws(DecodeFailure)
        -> (form: MechanismValue.ParameterForm, bytes: [UInt8]?, structure: StructureValue?)
    {
        let form = try cursor.u8()
        switch form {
        case 0:
            return (.notRecorded, nil, nil)
        case 1:
            return (.raw, try cursor.lengthPrefixedBytes(), nil)
        case 2:
            let count = try cursor.uvarint()
            let offset = cursor.fileOffset
            guard count <= UInt64(cursor.remaining) else { throw DecodeFailure(offset: offset, reason: .countTooLarge(count)) }
            let bytes = try cursor.bytes(Int(count))
            // The fields sit in their own length-prefixed range: whatever is wrong inside it
            // leaves the rest of the record readable.
            guard let structure = parameterStructure(bytes, fileBase: offset) else { return (.unreadable, bytes, nil) }
            return (.structured, nil, structure)
        default:
            throw cursor.invalid(form)
        }
    }

    /// The fields of a form-2 parameter, or nil when the structure id is unknown or the
    /// fields do not fill the range exactly.
    static func parameterStructure(_ bytes: [UInt8], fileBase: Int) -> StructureValue? {
        var cursor = ByteCursor(bytes, fileBase: fileBase)
        do throws(DecodeFailure) {
            guard let schema = ParameterSchema.byID(try cursor.uvarint()) else { return nil }
            var fields: [StructureValue.Field] = []
            for field in schema.fields {
                let value: DecodedValue
                switch field.kind {
                case .ulong(let domain): value = .number(try cursor.uvarint(), domain)
                case .bool: value = .bool(try cursor.u8())
                case .handle: value = .number(try cursor.uvarint(), .handle)
                case .bytes: value = .buffer(try buffer(from: &cursor).value)
                }
                fields.append(StructureValue.Field(name: field.name, value: value))
            }
            return cursor.isAtEnd ? StructureValue(typeName: schema.name, fields: fields) : nil
        } catch {
            return nil
        }
    }

    /// A 3.0 message parameter: `u8` pointer non-NULL, `uvarint` ulParameterLen, then the
    /// parameter as in a mechanism. Shown as a buffer unless it was recorded field by field.
    private static func messageParameter(from cursor: inout ByteCursor) throws(DecodeFailure) -> DecodedValue {
        let pointer = try cursor.u8()
        guard pointer <= 1 else { throw cursor.invalid(pointer) }
        let length = try cursor.uvarint()
        let parameter = try self.parameter(from: &cursor)
        switch parameter.form {
        case .structured:
            return .structure(parameter.structure!)
        case .unreadable:
            return .unreadable
        case .raw:
            return .buffer(BufferValue(hasData: pointer != 0, length: length, content: parameter.bytes))
        case .notRecorded:
            return .buffer(BufferValue(hasData: pointer != 0, length: length))
        }
    }

    private static func version(from cursor: inout ByteCursor) throws(DecodeFailure) -> Version {
        let major = try cursor.u8()
        return Version(major: major, minor: try cursor.u8())
    }

    private static func interface(from cursor: inout ByteCursor) throws(DecodeFailure) -> InterfaceValue {
        let name = String(decoding: try cursor.lengthPrefixedBytes(), as: UTF8.self)
        let version = try version(from: &cursor)
        return InterfaceValue(name: name, version: version, flags: try cursor.uvarint())
    }

    private static func structure(_ name: String, from cursor: inout ByteCursor) throws(DecodeFailure) -> StructureValue {
        guard let layout = StructureLayout.fields(of: name) else {
            throw DecodeFailure(offset: cursor.fileOffset, reason: .unknownStructure(name))
        }
        var fields: [StructureValue.Field] = []
        fields.reserveCapacity(layout.count)
        for (fieldName, type) in layout {
            let value: DecodedValue
            switch type {
            case .ulong(let domain): value = .number(try cursor.uvarint(), domain)
            case .flags(let set): value = .flags(try cursor.uvarint(), set)
            case .version: value = .version(try version(from: &cursor))
            case .characters(let count): value = .characters(try cursor.bytes(count))
            }
            fields.append(StructureValue.Field(name: fieldName, value: value))
        }
        return StructureValue(typeName: name, fields: fields)
    }
}
