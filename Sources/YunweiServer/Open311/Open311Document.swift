import Foundation
import Vapor

/// The two formats of GeoReport v2, chosen by the URL's extension (`services.json`,
/// `services.xml`).
enum Open311Format: String, CaseIterable, Sendable {
    case json
    case xml

    /// `ROAD.json` → (`ROAD`, .json); nil for any other extension.
    static func split(_ component: String) -> (name: String, format: Open311Format)? {
        guard let dot = component.lastIndex(of: ".") else { return nil }
        guard let format = Open311Format(rawValue: String(component[component.index(after: dot)...])) else {
            return nil
        }
        return (String(component[..<dot]), format)
    }

    /// The format a failed request is answered in: its extension's, else XML, the one format
    /// the specification requires.
    static func of(path: String) -> Open311Format {
        path.hasSuffix(".json") ? .json : .xml
    }

    var mediaType: HTTPMediaType {
        switch self {
        case .json: HTTPMediaType(type: "application", subType: "json", parameters: ["charset": "utf-8"])
        case .xml: HTTPMediaType(type: "text", subType: "xml", parameters: ["charset": "utf-8"])
        }
    }
}

/// A value of a GeoReport v2 document, shaped once and written in both formats by the
/// specification's "Spark convention": a record is an XML element with children and a JSON
/// object; a list is an element whose children all share one name (`<services><service>…`) and
/// a JSON array; a missing value is an empty element and JSON `null`.
indirect enum Open311Value: Sendable {
    case text(String?)
    /// A decimal number, already written out (`30.657421`).
    case number(String)
    case bool(Bool)
    case record([(String, Open311Value)])
    /// The items and the element name each has in XML.
    case list(item: String, [Open311Value])
}

/// A whole response: the root element's name (`services`, `service_definition`,
/// `service_requests`, `errors`, `discovery`) and its value.
struct Open311Document: Sendable {
    let root: String
    let value: Open311Value

    func response(_ format: Open311Format, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = format.mediaType
        return Response(status: status, headers: headers, body: .init(string: format == .json ? json : xml))
    }

    var xml: String {
        var writer = XMLWriter()
        Self.write(value, named: root, to: &writer)
        return writer.text + "\n"
    }

    var json: String {
        var out = ""
        Self.write(value, toJSON: &out)
        return out
    }

    private static func write(_ value: Open311Value, named name: String, to writer: inout XMLWriter) {
        switch value {
        case .text(let text): writer.element(name, text)
        case .number(let number): writer.element(name, number)
        case .bool(let flag): writer.element(name, flag ? "true" : "false")
        case .record(let fields):
            writer.open(name)
            for (key, field) in fields { write(field, named: key, to: &writer) }
            writer.close(name)
        case .list(let item, let items):
            guard !items.isEmpty else { return writer.element(name, nil) }
            writer.open(name)
            for element in items { write(element, named: item, to: &writer) }
            writer.close(name)
        }
    }

    private static func write(_ value: Open311Value, toJSON out: inout String) {
        switch value {
        case .text(nil): out += "null"
        case .text(let text?): out += jsonString(text)
        case .number(let number): out += number
        case .bool(let flag): out += flag ? "true" : "false"
        case .record(let fields):
            out += "{"
            for (index, (key, field)) in fields.enumerated() {
                if index > 0 { out += "," }
                out += jsonString(key) + ":"
                write(field, toJSON: &out)
            }
            out += "}"
        case .list(_, let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, toJSON: &out)
            }
            out += "]"
        }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
