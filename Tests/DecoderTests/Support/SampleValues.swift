@testable import Decoder

/// Sample values of every kind, in three variants: 0 fully present, 1 NULL or absent,
/// 2 partly present (size queries, lengths only, unreadable memory).
enum SampleValues {
    static let variants = 0..<3

    static let ckaClass: UInt64 = 0x0
    static let ckaLabel: UInt64 = 0x3
    static let ckaToken: UInt64 = 0x1
    static let ckaKeyType: UInt64 = 0x100
    static let ckaValue: UInt64 = 0x11
    static let ckaWrapTemplate: UInt64 = 0x4000_0211

    static func ulong(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// A template with CKA_CLASS, CKA_LABEL, CKA_TOKEN, a nested CKA_WRAP_TEMPLATE and a
    /// length-only CKA_VALUE.
    static let template: TemplateValue = {
        let nested = TemplateValue(count: 2, attributes: [
            TemplateAttribute(type: ckaKeyType, value: BufferValue(length: 8, content: ulong(0x1f))),
            TemplateAttribute(type: ckaToken, value: BufferValue(length: 1, content: [0])),
        ])
        let nestedBytes = ValueEncoder.bytes(of: nested)
        return TemplateValue(count: 5, attributes: [
            TemplateAttribute(type: ckaClass, value: BufferValue(length: 8, content: ulong(3))),
            TemplateAttribute(type: ckaLabel, value: BufferValue(length: 6, content: Array("my key".utf8))),
            TemplateAttribute(type: ckaToken, value: BufferValue(length: 1, content: [1])),
            TemplateAttribute(type: ckaWrapTemplate,
                              value: BufferValue(length: UInt64(nestedBytes.count), content: nestedBytes), nested: nested),
            TemplateAttribute(type: ckaValue, value: BufferValue(length: 256)),
        ])
    }()

    static func value(for schema: ArgumentSchema, variant: Int) -> DecodedValue {
        switch schema.kind {
        case .ulong: return .number(UInt64(variant) * 1_000, .plain)
        case .slot: return .number(UInt64(variant), .slot)
        case .session, .object: return .number(0x10 + UInt64(variant), .handle)
        case .mechanismType: return .number(variant == 0 ? 0x250 : 0x8000_0001, .mechanism)
        case .userType: return .number(UInt64(variant % 2), .userType)
        case .flags: return .flags(variant == 0 ? 6 : UInt64(variant - 1), schema.option.flatMap(FlagSet.init(rawValue:)))
        case .bool: return .bool(UInt8(variant % 2))
        case .pointer: return .pointer(isNull: variant != 0)
        case .inBytes, .messageParam, .label32, .utf8z:
            switch variant {
            case 0:
                let content: [UInt8] = schema.kind == .label32 ? Array("token".utf8) + [UInt8](repeating: 0x20, count: 27)
                    : Array("hello".utf8)
                return .buffer(BufferValue(length: UInt64(content.count), content: content))
            case 1: return .buffer(BufferValue(hasData: false, length: 0))
            default: return .buffer(BufferValue(length: 64))
            }
        case .outBytes, .outBytesFixed:
            switch variant {
            case 0: return .buffer(BufferValue(hasLengthPointer: true, capacity: 512, length: 40,
                                               content: (0..<40).map { UInt8($0) }, isSecret: schema.option == "secret"))
            case 1: return .buffer(BufferValue(hasData: false, hasLengthPointer: true, length: 256))
            default: return .buffer(BufferValue(hasLengthPointer: true, capacity: 16, length: 256, isUnreadable: true))
            }
        case .outUlong, .outHandle:
            let domain = schema.kind == .outUlong ? NameDomain.plain : NameDomain(option: schema.option)
            return [.number(0x42, domain), .null, .noValue][variant]
        case .outStruct:
            guard variant == 0 else { return variant == 1 ? .null : .noValue }
            return .structure(structure(schema.option!))
        case .outArray, .outArrayMax:
            let domain = NameDomain(option: schema.option)
            switch variant {
            case 0: return .array(ArrayValue(capacity: 4, count: 2, elements: [.number(1, domain), .number(2, domain)]))
            case 1: return .array(ArrayValue(hasArray: false, count: 7))
            default: return .array(ArrayValue(capacity: 1, count: 300, isUnreadable: true))
            }
        case .interfaceList:
            let interface = DecodedValue.interface(InterfaceValue(name: "PKCS 11", version: Version(major: 3, minor: 0), flags: 1))
            return variant == 0 ? .array(ArrayValue(capacity: 3, count: 1, elements: [interface]))
                : .array(ArrayValue(hasArray: false, count: 3))
        case .inTemplate, .outTemplate:
            switch variant {
            case 0: return .template(template)
            case 1: return .template(TemplateValue(hasTemplate: false, count: 0, attributes: []))
            default: return .template(TemplateValue(count: 100, attributes: Array(template.attributes.prefix(1)), isTruncated: true))
            }
        case .mechanism:
            switch variant {
            case 0: return .mechanism(MechanismValue(type: 0x1085, parameterLength: 16, form: .raw, parameter: Array(0..<16)))
            case 1: return .null
            default: return .mechanism(MechanismValue(type: 0x9, parameterLength: 40, form: .notRecorded))
            }
        case .initArgs:
            return [.initArgs(InitArgsValue(flags: 2, hasCreateMutex: true, hasLockMutex: true)), .null, .unreadable][variant]
        case .versionIn:
            return [.version(Version(major: 3, minor: 0)), .null, .unreadable][variant]
        case .functionListOut:
            return [.functionList(version: Version(major: 2, minor: 40)), .null, .noValue][variant]
        case .interfaceOut:
            return [.interface(InterfaceValue(name: "PKCS 11", version: Version(major: 3, minor: 2), flags: 1)), .null, .noValue][variant]
        }
    }

    static func structure(_ name: String) -> StructureValue {
        let fields = StructureLayout.fields(of: name)!.enumerated().map { index, field in
            let value: DecodedValue
            switch field.type {
            case .ulong(let domain): value = .number(UInt64(index), domain)
            case .flags(let set): value = .flags(6, set)
            case .version: value = .version(Version(major: 2, minor: UInt8(index)))
            case .characters(let count): value = .characters(Array("abc".utf8) + [UInt8](repeating: 0x20, count: count - 3))
            }
            return StructureValue.Field(name: field.name, value: value)
        }
        return StructureValue(typeName: name, fields: fields)
    }
}
