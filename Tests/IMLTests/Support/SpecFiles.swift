import Foundation

/// Shared paths of the project's spec and corpus, read in place (never copied into the repository).
enum SpecFiles {
    /// `../shared` beside the checkout, else `/work/shared` (where CI checks the project out).
    static let shared: URL = {
        var checkout = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { checkout.deleteLastPathComponent() }  // Tests/IMLTests/Support/SpecFiles.swift
        let beside = checkout.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: beside.path) ? beside : URL(fileURLWithPath: "/work/shared")
    }()
    static let imlSpec = shared.appendingPathComponent("spec/iml.md")
    static let corpus = shared.appendingPathComponent("corpus/make-connections")
    static let seed = shared.appendingPathComponent("seed/basic-connection.md")

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}
