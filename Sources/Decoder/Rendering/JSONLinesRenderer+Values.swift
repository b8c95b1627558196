extension JSONLinesRenderer {
    /// The JSON of one argument.
    func json(_ argument: DecodedArgument) -> JSONValue {
        if case .buffer(let buffer) = argument.value, argument.kind == .label32 || argument.kind == .utf8z {
            var object = bufferMembers(buffer)
            if let content = buffer.content {
                object.append(("text", .string(String(decoding: content, as: UTF8.self))))
            }
            return .object(object)
        }
        if case .structure(let structure) = argument.value, argument.kind == .messageParam {
            return parameterStructure(structure)
        }
        return json(argument.value)
    }

    /// A mechanism or message parameter recorded field by field: its C type and its fields.
    private func parameterStructure(_ structure: StructureValue) -> JSONValue {
        .object([("structure", .string(structure.typeName)),
                 ("fields", .object(structure.fields.map { ($0.name, json($0.value)) }))])
    }

    /// The JSON of a value.
    func json(_ value: DecodedValue) -> JSONValue {
        switch value {
        case .number(let number, let domain):
            return self.number(number, domain)
        case .flags(let flags, let set):
            return .object([("value", .number(flags)), ("names", .array((set?.names(flags) ?? []).map(JSONValue.string)))])
        case .bool(let bool):
            return .bool(bool != 0)
        case .pointer(let isNull):
            return .object([("null", .bool(isNull))])
        case .null:
            return .null
        case .noValue:
            return .object([("state", .string("no_value"))])
        case .unreadable:
            return .object([("state", .string("unreadable"))])
        case .notRecorded:
            return .object([("state", .string("not_recorded"))])
        case .buffer(let buffer):
            return .object(bufferMembers(buffer))
        case .characters(let bytes):
            var slice = bytes[...]
            while let last = slice.last, last == 0x20 || last == 0 { slice.removeLast() }
            return .string(String(decoding: slice, as: UTF8.self))
        case .version(let version):
            return self.version(version)
        case .functionList(let version):
            return .object([("version", self.version(version))])
        case .interface(let interface):
            return .object([
                ("name", .string(interface.name)), ("version", self.version(interface.version)),
                ("flags", json(.flags(interface.flags, .interface))),
            ])
        case .initArgs(let args):
            return .object([
                ("flags", json(.flags(args.flags, .initialize))), ("CreateMutex", .bool(args.hasCreateMutex)),
                ("DestroyMutex", .bool(args.hasDestroyMutex)), ("LockMutex", .bool(args.hasLockMutex)),
                ("UnlockMutex", .bool(args.hasUnlockMutex)), ("pReserved", .bool(args.hasReserved)),
            ])
        case .mechanism(let mechanism):
            var members: [(String, JSONValue)] = [
                ("type", number(mechanism.type, .mechanism)), ("parameter_length", .number(mechanism.parameterLength)),
            ]
            if let structure = mechanism.structure {
                members.append(("parameter", parameterStructure(structure)))
            } else if mechanism.form == .unreadable {
                members.append(("parameter", .object([("unreadable", .bool(true)),
                                                      ("hex", .string(Hex.string(mechanism.parameter ?? [])))])))
            } else if let parameter = mechanism.parameter {
                members.append(("parameter_hex", .string(Hex.string(parameter))))
            }
            return .object(members)
        case .structure(let structure):
            return .object(structure.fields.map { ($0.name, json($0.value)) })
        case .array(let array):
            return self.array(array)
        case .template(let template):
            return self.template(template)
        }
    }

    private func number(_ value: UInt64, _ domain: NameDomain) -> JSONValue {
        switch domain {
        case .plain, .handle, .slot: .number(value)
        case .sessionLimit: domain.name(for: value).map { .named(value, $0) } ?? .number(value)
        default: .named(value, domain.display(value))
        }
    }

    private func version(_ version: Version) -> JSONValue {
        .object([("major", .number(UInt64(version.major))), ("minor", .number(UInt64(version.minor)))])
    }

    private func bufferMembers(_ buffer: BufferValue) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("pointer", .bool(buffer.hasData))]
        if buffer.hasLengthPointer { members.append(("length_pointer", .bool(true))) }
        if let capacity = buffer.capacity { members.append(("capacity", .number(capacity))) }
        if let length = buffer.length { members.append(("length", .number(length))) }
        if let content = buffer.content { members.append(("hex", .string(Hex.string(content)))) }
        if buffer.isTruncated { members.append(("truncated", .bool(true))) }
        if buffer.isSecret { members.append(("secret", .bool(true))) }
        if buffer.isUnreadable { members.append(("unreadable", .bool(true))) }
        return members
    }

    private func array(_ array: ArrayValue) -> JSONValue {
        var members: [(String, JSONValue)] = [("pointer", .bool(array.hasArray)),
                                              ("count_pointer", .bool(array.hasCountPointer))]
        if let capacity = array.capacity { members.append(("capacity", .number(capacity))) }
        if let count = array.count { members.append(("count", .number(count))) }
        if let elements = array.elements { members.append(("elements", .array(elements.map(json)))) }
        if array.isTruncated { members.append(("truncated", .bool(true))) }
        if array.isUnreadable { members.append(("unreadable", .bool(true))) }
        return .object(members)
    }

    private func template(_ template: TemplateValue) -> JSONValue {
        var members: [(String, JSONValue)] = [("pointer", .bool(template.hasTemplate)), ("count", .number(template.count))]
        members.append(("attributes", .array(template.attributes.map(attribute))))
        if template.isTruncated { members.append(("truncated", .bool(true))) }
        if template.isUnreadable { members.append(("unreadable", .bool(true))) }
        return .object(members)
    }

    private func attribute(_ attribute: TemplateAttribute) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", number(attribute.type, .attribute))]
        members += bufferMembers(attribute.value).filter { $0.0 != "hex" || attribute.nested == nil }
        switch attribute.interpretation(ulongSize: ulongSize) {
        case .bool(let value): members.append(("value", .bool(value)))
        case .number(let value, let domain): members.append(("value", number(value, domain)))
        case .text(let text): members.append(("value", .string(text)))
        case .date(let date): members.append(("value", .string(date)))
        case .mechanisms(let types): members.append(("value", .array(types.map { number($0, .mechanism) })))
        case .template(let nested): members.append(("value", template(nested)))
        case .bytes, nil: break
        }
        return .object(members)
    }
}
