import Foundation

/// A fresh directory under the system's temporary folder, removed with everything in it on deinit.
public final class TemporaryDirectory: Sendable {
    /// The directory's path.
    public let path: String

    public init(_ prefix: String = "connvault-test") {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let created = mkdtemp(&bytes) else { preconditionFailure("mkdtemp failed for \(template)") }
        path = String(cString: created)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }
}
