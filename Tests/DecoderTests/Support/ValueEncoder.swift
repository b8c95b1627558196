@testable import Decoder

/// Encodes decoded values back into the log format, kind by kind, straight from
/// docs/log-format.md ("Argument encodings"), so tests can round-trip every kind.
enum ValueEncoder {
    static func encode(_ value: DecodedValue, kind: ArgumentKind, into writer: inout ByteWriter) {
        switch (kind, value) {
        case (.ulong, .number(let number, _)), (.slot, .number(let number, _)), (.session, .number(let number, _)),
             (.object, .number(let number, _)), (.mechanismType, .number(let number, _)),
             (.userType, .number(let number, _)), (.flags, .flags(let number, _)):
            writer.uvarint(number)
        case (.bool, .bool(let byte)):
            writer.u8(byte)
        case (.pointer, .pointer(let isNull)):
            writer.u8(isNull ? 0 : 1)
        case (.messageParam, .buffer(let buffer)):
            writer.u8(buffer.hasData ? 1 : 0)
            writer.uvarint(buffer.length ?? 0)
            if let content = buffer.content {
                writer.u8(1)
                writer.prefixed(content)
            } else {
                writer.u8(0)
            }
        case (.messageParam, .structure(let structure)):
            writer.u8(1)
            writer.uvarint(0)
            parameter(structure, into: &writer)
        case (_, .buffer(let buffer)):
            encode(buffer, into: &writer)
        case (.outUlong, .number(let number, _)), (.outHandle, .number(let number, _)):
            writer.u8(2)
            writer.uvarint(number)
        case (.outStruct, .structure(let structure)):
            writer.u8(2)
            for field in structure.fields {
                switch field.value {
                case .number(let number, _), .flags(let number, _): writer.uvarint(number)
                case .version(let version): writer.u8(version.major); writer.u8(version.minor)
                case .characters(let bytes): writer.bytes += bytes
                default: fatalError("unexpected field \(field)")
                }
            }
        case (_, .array(let array)):
            encode(array, into: &writer)
        case (_, .template(let template)):
            encode(template, into: &writer)
        case (.mechanism, .mechanism(let mechanism)):
            writer.u8(2)
            writer.uvarint(mechanism.type)
            writer.uvarint(mechanism.parameterLength)
            if let structure = mechanism.structure {
                parameter(structure, into: &writer)
            } else if let parameter = mechanism.parameter {
                writer.u8(mechanism.form == .unreadable ? 2 : 1)
                writer.prefixed(parameter)
            } else {
                writer.u8(0)
            }
        case (.initArgs, .initArgs(let args)):
            writer.u8(2)
            writer.uvarint(args.flags)
            let callbacks = [args.hasCreateMutex, args.hasDestroyMutex, args.hasLockMutex, args.hasUnlockMutex]
            writer.u8(callbacks.enumerated().reduce(0) { $0 | ($1.element ? 1 << UInt8($1.offset) : 0) })
            writer.u8(args.hasReserved ? 1 : 0)
        case (.versionIn, .version(let version)), (.functionListOut, .functionList(let version)):
            writer.u8(2)
            writer.u8(version.major)
            writer.u8(version.minor)
        case (.interfaceOut, .interface(let interface)):
            writer.u8(2)
            encode(interface, into: &writer)
        case (_, .null):
            writer.u8(0)
        case (_, .noValue), (_, .unreadable):
            writer.u8(1)
        default:
            fatalError("no encoding of \(value) as \(kind)")
        }
    }

    /// Parameter form 2: `u8 2`, then `bytes` holding the structure id and the fields.
    static func parameter(_ structure: StructureValue, into writer: inout ByteWriter) {
        let schema = ParameterSchema.structures.values.first { $0.name == structure.typeName }!
        var body = ByteWriter()
        body.uvarint(schema.id)
        for field in structure.fields {
            switch field.value {
            case .number(let number, _): body.uvarint(number)
            case .bool(let byte): body.u8(byte)
            case .buffer(let buffer): encode(buffer, into: &body)
            default: fatalError("unexpected parameter field \(field)")
            }
        }
        writer.u8(2)
        writer.prefixed(body.bytes)
    }

    static func encode(_ buffer: BufferValue, into writer: inout ByteWriter) {
        var flags: UInt8 = 0
        if buffer.hasData { flags |= 1 }
        if buffer.hasLengthPointer { flags |= 2 }
        if buffer.capacity != nil { flags |= 4 }
        if buffer.length != nil { flags |= 8 }
        if buffer.content != nil { flags |= 16 }
        if buffer.isTruncated { flags |= 32 }
        if buffer.isSecret { flags |= 64 }
        if buffer.isUnreadable { flags |= 128 }
        writer.u8(flags)
        if let capacity = buffer.capacity { writer.uvarint(capacity) }
        if let length = buffer.length { writer.uvarint(length) }
        if let content = buffer.content { writer.prefixed(content) }
    }

    static func encode(_ array: ArrayValue, into writer: inout ByteWriter) {
        var flags: UInt8 = 0
        if array.hasArray { flags |= 1 }
        if array.hasCountPointer { flags |= 2 }
        if array.capacity != nil { flags |= 4 }
        if array.count != nil { flags |= 8 }
        if array.elements != nil { flags |= 16 }
        if array.isTruncated { flags |= 32 }
        if array.isUnreadable { flags |= 128 }
        writer.u8(flags)
        if let capacity = array.capacity { writer.uvarint(capacity) }
        if let count = array.count { writer.uvarint(count) }
        if let elements = array.elements {
            writer.uvarint(UInt64(elements.count))
            for element in elements {
                switch element {
                case .number(let number, _): writer.uvarint(number)
                case .interface(let interface): encode(interface, into: &writer)
                default: fatalError("unexpected element \(element)")
                }
            }
        }
    }

    static func encode(_ interface: InterfaceValue, into writer: inout ByteWriter) {
        writer.prefixed(Array(interface.name.utf8))
        writer.u8(interface.version.major)
        writer.u8(interface.version.minor)
        writer.uvarint(interface.flags)
    }

    static func encode(_ template: TemplateValue, into writer: inout ByteWriter) {
        writer.u8((template.hasTemplate ? 1 : 0) | (template.isTruncated ? 32 : 0) | (template.isUnreadable ? 128 : 0))
        writer.uvarint(template.count)
        writer.uvarint(UInt64(template.attributes.count))
        for attribute in template.attributes {
            writer.uvarint(attribute.type)
            encode(attribute.value, into: &writer)
        }
    }

    /// The bytes of a template, for a template-valued attribute's content.
    static func bytes(of template: TemplateValue) -> [UInt8] {
        var writer = ByteWriter()
        encode(template, into: &writer)
        return writer.bytes
    }

    /// The encoded arguments of a call.
    static func arguments(_ values: [DecodedValue], of function: FunctionSchema) -> [UInt8] {
        var writer = ByteWriter()
        for (schema, value) in zip(function.arguments, values) {
            encode(value, kind: schema.kind, into: &writer)
        }
        return writer.bytes
    }
}
