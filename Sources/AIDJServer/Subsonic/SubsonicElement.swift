import Foundation

/// One element of a Subsonic response. Endpoints build one tree; ``SubsonicEncoding`` writes it as XML (the
/// protocol's original form: attributes and nested elements) or as JSON (`f=json`: attributes become fields,
/// lists become arrays, text becomes `value`).
struct SubsonicElement: Sendable {
    enum Value: Sendable {
        case string(String), int(Int), double(Double), bool(Bool)
    }

    enum Child: Sendable {
        /// A single nested object (`"song": {…}` / `<song …/>`).
        case element(SubsonicElement)
        /// A list: always a JSON array, even of one or none; repeated elements in XML.
        case list(String, [SubsonicElement])
        /// A list of plain values (OpenSubsonic's `moods`, an extension's `versions`): a JSON array; repeated
        /// text elements in XML.
        case values(String, [Value])
    }

    var name: String
    var attributes: [(String, Value)] = []
    var children: [Child] = []
    /// Text content (`<genre …>Rock</genre>`, JSON `"value": "Rock"`).
    var text: String?
    /// JSON fields already encoded (`"id":"7","title":"…"`, no braces), written before the others: the cached
    /// part of a song (``FragmentCache``). JSON only: an element carrying them is never written as XML.
    var prebuiltJSON: [UInt8]?

    init(_ name: String) { self.name = name }

    // Builders that skip nil, so optional fields are simply absent.
    mutating func set(_ key: String, _ value: String?) { if let value { attributes.append((key, .string(value))) } }
    mutating func set(_ key: String, _ value: Int?) { if let value { attributes.append((key, .int(value))) } }
    mutating func set(_ key: String, _ value: Int64?) { if let value { attributes.append((key, .int(Int(value)))) } }
    mutating func set(_ key: String, _ value: Bool?) { if let value { attributes.append((key, .bool(value))) } }
    mutating func set(_ key: String, _ value: Double?) {
        if let value, value.isFinite { attributes.append((key, .double(value))) }
    }

    mutating func add(_ child: SubsonicElement) { children.append(.element(child)) }
    mutating func add(list name: String, _ items: [SubsonicElement]) { children.append(.list(name, items)) }
    mutating func add(strings name: String, _ items: [String]) {
        children.append(.values(name, items.map { .string($0) }))
    }
    mutating func add(ints name: String, _ items: [Int]) { children.append(.values(name, items.map { .int($0) })) }
}

/// Response formats a client may ask for with `f`.
enum SubsonicFormat: String, Sendable {
    case xml, json

    var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }
}

/// Writes ``SubsonicElement`` trees as UTF-8 bytes. Strings that need no escaping (nearly all of them) are
/// copied whole; numbers are formatted without Foundation.
enum SubsonicEncoding {
    static let apiVersion = "1.16.1"
    static let serverType = "aidj"
    static let xmlNamespace = "http://subsonic.org/restapi"

    /// The whole `subsonic-response` around an endpoint's elements (or an error).
    static func document(
        status ok: Bool, payload: [SubsonicElement.Child], format: SubsonicFormat, serverVersion: String
    ) -> [UInt8] {
        var root = SubsonicElement("subsonic-response")
        if format == .xml { root.set("xmlns", xmlNamespace) }
        root.set("status", ok ? "ok" : "failed")
        root.set("version", apiVersion)
        root.set("type", serverType)
        root.set("serverVersion", serverVersion)
        root.set("openSubsonic", true)
        root.children = payload
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        switch format {
        case .xml:
            out.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
            writeXML(root, into: &out)
        case .json:
            out.append(contentsOf: "{\"subsonic-response\":".utf8)
            writeJSON(root, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    // MARK: XML

    static func writeXML(_ element: SubsonicElement, into out: inout [UInt8]) {
        assert(element.prebuiltJSON == nil, "prebuilt JSON fields in an XML answer")
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: element.name.utf8)
        for (key, value) in element.attributes {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: "=\"".utf8)
            writeXMLValue(value, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        if element.children.isEmpty && element.text == nil {
            out.append(contentsOf: "/>".utf8)
            return
        }
        out.append(UInt8(ascii: ">"))
        if let text = element.text { writeXMLText(text, into: &out) }
        for child in element.children {
            switch child {
            case .element(let e): writeXML(e, into: &out)
            case .list(_, let items): for item in items { writeXML(item, into: &out) }
            case .values(let name, let items):
                for item in items {
                    out.append(contentsOf: "<\(name)>".utf8)
                    writeXMLValue(item, into: &out)
                    out.append(contentsOf: "</\(name)>".utf8)
                }
            }
        }
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: element.name.utf8)
        out.append(UInt8(ascii: ">"))
    }

    static func writeXMLValue(_ value: SubsonicElement.Value, into out: inout [UInt8]) {
        if case .string(let s) = value { writeXMLText(s, into: &out) } else { writeNumber(value, into: &out) }
    }

    /// Escapes `& < > " '`. XML 1.0 forbids the other control characters (and U+FFFE, U+FFFF) even escaped: a tag
    /// holding one gets U+FFFD instead, so the document stays well-formed.
    static func writeXMLText(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            func special(_ b: UInt8) -> Bool {
                b < 0x20 || b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
                    || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == 0xEF
            }
            guard bytes.contains(where: special) else {
                out.append(contentsOf: bytes)
                return
            }
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&apos;".utf8)
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): out.append(b)
                case 0..<0x20: out.append(contentsOf: replacementCharacter)
                case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE:
                    // U+FFFE or U+FFFF.
                    out.append(contentsOf: replacementCharacter)
                    i += 2
                default: out.append(b)
                }
                i += 1
            }
        }
    }

    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// 1 for the bytes a JSON string must escape: control characters, quote and backslash.
    static let jsonSpecial: [UInt8] = (0...255).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C ? 1 : 0 }

    // MARK: JSON

    static func writeJSON(_ element: SubsonicElement, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        if let prebuilt = element.prebuiltJSON, !prebuilt.isEmpty {
            out.append(contentsOf: prebuilt)
            first = false
        }
        func key(_ k: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeJSONString(k, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        for (k, value) in element.attributes {
            key(k)
            writeJSONValue(value, into: &out)
        }
        if let text = element.text {
            key("value")
            writeJSONString(text, into: &out)
        }
        for child in element.children {
            switch child {
            case .element(let e):
                key(e.name)
                writeJSON(e, into: &out)
            case .list(let name, let items):
                key(name)
                out.append(UInt8(ascii: "["))
                for (n, item) in items.enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    writeJSON(item, into: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .values(let name, let items):
                key(name)
                out.append(UInt8(ascii: "["))
                for (n, item) in items.enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    writeJSONValue(item, into: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The element's fields as JSON without the braces around them, for ``SubsonicElement/prebuiltJSON``.
    static func jsonFields(of element: SubsonicElement) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        writeJSON(element, into: &out)
        return Array(out.dropFirst().dropLast())
    }

    static func writeJSONValue(_ value: SubsonicElement.Value, into out: inout [UInt8]) {
        if case .string(let s) = value { writeJSONString(s, into: &out) } else { writeNumber(value, into: &out) }
    }

    /// A JSON string (RFC 8259 §7): quote, backslash and control characters escaped; everything else as is.
    static func writeJSONString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            // Branch-free OR over the bytes (the compiler vectorizes it): most strings need no escape at all.
            var special: UInt8 = 0
            for byte in bytes { special |= jsonSpecial[Int(byte)] }
            guard special != 0 else {
                out.append(contentsOf: bytes)
                return
            }
            let hex = Array("0123456789abcdef".utf8)
            for b in bytes {
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
                case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
                case 0..<0x20: out.append(contentsOf: "\\u00".utf8 + [hex[Int(b >> 4)], hex[Int(b & 15)]])
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Numbers and booleans, the same in both formats.
    static func writeNumber(_ value: SubsonicElement.Value, into out: inout [UInt8]) {
        switch value {
        case .string(let s): out.append(contentsOf: s.utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        }
    }

    /// Six significant digits, as the shortest decimal that reads back (`123.457`, `0.82`, `5.0`, `1e-07`):
    /// gains, similarities and energies need no more. The value is rounded in binary first: the double nearest
    /// to a decimal of at most 15 digits prints as that decimal.
    static func formatDouble(_ d: Double) -> String {
        guard d != 0, d.isFinite else { return d.description }
        let exponent = Int(log10(abs(d)).rounded(.down))
        let digits = 5 - exponent
        let rounded: Double
        if digits >= 0 && digits <= 22 {
            let scale = pow10[digits]
            rounded = (d * scale).rounded() / scale
        } else if digits < 0 && digits >= -22 {
            let scale = pow10[-digits]
            rounded = (d / scale).rounded() * scale
        } else {
            rounded = d
        }
        return rounded.description
    }

    /// 10^0 … 10^22, each exact in a double.
    private static let pow10: [Double] = (0...22).map { n in (0..<n).reduce(1.0) { value, _ in value * 10 } }
}
