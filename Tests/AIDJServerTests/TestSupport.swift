import Crypto
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// md5 hex, as a Subsonic client makes its token.
enum TestMD5 {
    static func hex(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// An XML document read into a tree with Foundation's parser: parsing fails on anything not well-formed.
final class XMLTree {
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }

        func first(_ name: String) -> Node? { children.first { $0.name == name } }
        func all(_ name: String) -> [Node] { children.filter { $0.name == name } }
    }

    let root: Node

    init(data: Data) throws {
        let delegate = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw XMLError(reason: parser.parserError.map { "\($0)" } ?? "no root element")
        }
        self.root = root
    }

    var ok: Bool { root.name == "subsonic-response" && root.attributes["status"] == "ok" }
    var errorCode: Int? { root.first("error")?.attributes["code"].flatMap { Int($0) } }

    struct XMLError: Error { let reason: String }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Node?
        var stack: [Node] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = Node(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// A bare HTTP/1.1 client on a POSIX socket, for what URLSession cannot do: hang up in the middle of a response.
enum RawHTTP {
    /// A socket connected to 127.0.0.1 on `url`'s port (with a receive buffer of `receiveBuffer` bytes when
    /// given); the caller closes it.
    static func connectLoopback(_ url: URL, receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIFailure("socket: errno \(errno)") }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(url.port!).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw CLIFailure("connect to \(url): errno \(errno)")
        }
        return fd
    }

    /// Sends GET `target` to `base` (http://127.0.0.1:PORT), reads `count` bytes of the response, and closes the
    /// connection. Returns the bytes read.
    static func readPartially(base: String, target: String, count: Int) throws -> Int {
        let fd = try connectLoopback(URL(string: base)!)
        defer { close(fd) }
        let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var total = 0
        while total < count {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            total += n
        }
        return total
    }
}

extension RawHTTP {
    /// One request with `Connection: close`, read to the end. For chromedriver, whose headers have no space
    /// after the colon ("Content-Length:252"), which URLSession on Linux refuses ("Failed writing header").
    static func request(_ method: String, _ url: URL, body: Data?) throws -> (status: Int, body: Data) {
        let fd = try connectLoopback(url)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let target = url.path.isEmpty ? "/" : url.path
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(url.port!)\r\nConnection: close\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        var message = Data((head + "\r\n").utf8)
        if let body { message += body }
        var sent = 0
        while sent < message.count {
            let n = message.withUnsafeBytes { send(fd, $0.baseAddress! + sent, message.count - sent, 0) }
            guard n > 0 else { throw CLIFailure("send to \(url): errno \(errno)") }
            sent += n
        }
        // Read the head, then the body by its Content-Length (chromedriver keeps the connection open).
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        var split: Range<Data.Index>?
        while true {
            if split == nil, let found = response.range(of: Data("\r\n\r\n".utf8)) {
                split = found
                let head = String(decoding: response[..<found.lowerBound], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    expected = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                }
            }
            if let split, let expected, response.count - split.upperBound >= expected { break }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        guard let split else { throw CLIFailure("no HTTP response from \(url)") }
        let header = String(decoding: response[..<split.lowerBound], as: UTF8.self)
        let status = Int(header.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, Data(response[split.upperBound...]))
    }
}
