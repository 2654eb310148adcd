import Foundation

/// The example connection types in the repository's `examples/specs`, as the demo uses them.
public enum Examples {
    /// `examples/specs` in this checkout.
    public static let specsFolder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // …/Tests/TestSupport/Examples.swift → the checkout
        return url.appendingPathComponent("examples/specs").path
    }()

    /// A copy of example `name` (e.g. `acme-apikey`) in `directory`, its demo address replaced by `base`.
    public static func spec(_ name: String, pointedAt base: String, in directory: String) throws -> String {
        let text = try String(contentsOfFile: "\(specsFolder)/\(name).json", encoding: .utf8)
            .replacingOccurrences(of: "http://127.0.0.1:18080", with: base)
        let path = "\(directory)/\(name).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
