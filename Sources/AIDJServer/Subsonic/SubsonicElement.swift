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

/// Writes ``SubsonicElement`` trees.
enum SubsonicEncoding {
    static let apiVersion = "1.16.1"
    static let serverType = "aidj"
    static let xmlNamespace = "http://subsonic.org/restapi"

    /// The whole `subsonic-response` around an endpoint's elements (or an error).
    static func document(
        status ok: Bool, payload: [SubsonicElement.Child], format: SubsonicFormat, serverVersion: String
    ) -> String {
        var root = SubsonicElement("subsonic-response")
        if format == .xml { root.set("xmlns", xmlNamespace) }
        root.set("status", ok ? "ok" : "failed")
        root.set("version", apiVersion)
        root.set("type", serverType)
        root.set("serverVersion", serverVersion)
        root.set("openSubsonic", true)
        root.children = payload
        switch format {
        case .xml:
            var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            writeXML(root, into: &out)
            return out
        case .json:
            var out = "{\"subsonic-response\":"
            writeJSON(root, into: &out)
            out += "}"
            return out
        }
    }

    // MARK: XML

    static func writeXML(_ element: SubsonicElement, into out: inout String) {
        out += "<" + element.name
        for (key, value) in element.attributes {
            out += " " + key + "=\"" + escapeXML(text(of: value)) + "\""
        }
        if element.children.isEmpty && element.text == nil {
            out += "/>"
            return
        }
        out += ">"
        if let text = element.text { out += escapeXML(text) }
        for child in element.children {
            switch child {
            case .element(let e): writeXML(e, into: &out)
            case .list(_, let items): for item in items { writeXML(item, into: &out) }
            case .values(let name, let items):
                for item in items { out += "<\(name)>" + escapeXML(text(of: item)) + "</\(name)>" }
            }
        }
        out += "</" + element.name + ">"
    }

    static func escapeXML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 forbids the other control characters even escaped: a tag holding one is dropped to
                // U+FFFD so the document stays well-formed.
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    // MARK: JSON

    static func writeJSON(_ element: SubsonicElement, into out: inout String) {
        out += "{"
        var first = true
        func key(_ k: String) {
            if !first { out += "," }
            first = false
            writeJSONString(k, into: &out)
            out += ":"
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
                out += "["
                for (n, item) in items.enumerated() {
                    if n > 0 { out += "," }
                    writeJSON(item, into: &out)
                }
                out += "]"
            case .values(let name, let items):
                key(name)
                out += "["
                for (n, item) in items.enumerated() {
                    if n > 0 { out += "," }
                    writeJSONValue(item, into: &out)
                }
                out += "]"
            }
        }
        out += "}"
    }

    static func writeJSONValue(_ value: SubsonicElement.Value, into out: inout String) {
        switch value {
        case .string(let s): writeJSONString(s, into: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += formatDouble(d)
        case .bool(let b): out += b ? "true" : "false"
        }
    }

    static func writeJSONString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func text(of value: SubsonicElement.Value) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): formatDouble(d)
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// Shortest form that reads back to within 1e-6 relative: gains, similarities and energies need no more.
    static func formatDouble(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e15 { return String(format: "%.1f", d) }
        return String(format: "%.6g", d)
    }
}
