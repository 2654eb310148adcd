import Foundation

/// The shared corpus of real Make connection specs, read where it lies (never copied into the project).
public enum Corpus {
    /// `../shared/corpus/make-connections` beside the project checkout, else under `/work/shared`.
    public static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // …/main/Tests/TestSupport/Corpus.swift → …/
        let beside = url.appendingPathComponent("shared/corpus/make-connections").path
        return FileManager.default.fileExists(atPath: beside) ? beside : "/work/shared/corpus/make-connections"
    }()

    /// The single-file specs.
    public static var jsonFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The upstream connection folders.
    public static var rawFolders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/raw")) ?? []).sorted()
    }
}
