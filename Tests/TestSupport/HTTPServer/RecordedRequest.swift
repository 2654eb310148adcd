/// A request the scripted server received, as parsed from the wire.
public struct RecordedRequest: Sendable {
    /// The method, as sent.
    public let method: String
    /// The request target: path and query, as sent.
    public let target: String
    /// Header fields in order, repeats kept.
    public let headers: [(name: String, value: String)]
    /// The body, de-chunked when it was sent chunked.
    public let body: [UInt8]
    /// Which connection (1, 2, …, in accept order) carried the request.
    public let connection: Int

    public init(
        method: String, target: String, headers: [(name: String, value: String)], body: [UInt8], connection: Int
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.connection = connection
    }

    /// The target without its query.
    public var path: String { target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target }

    /// The query without `?`, if any.
    public var query: String? { target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers(named: name).first }

    /// Every value of the header `name` (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}
