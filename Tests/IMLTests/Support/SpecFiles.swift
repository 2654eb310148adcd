import Foundation

/// Shared paths of the project's spec and corpus, read in place (never copied into the repository).
enum SpecFiles {
    static let shared = URL(fileURLWithPath: "/work/shared")
    static let imlSpec = shared.appendingPathComponent("spec/iml.md")
    static let corpus = shared.appendingPathComponent("corpus/make-connections")
    static let seed = shared.appendingPathComponent("seed/basic-connection.md")

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}
