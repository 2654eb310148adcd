import Foundation
import IML

/// Reads connection specs from disk (connection-spec §1): a single spec file, one connection folder, or a Make
/// app checkout (`makecomapp.json`, connections under `connections/<id>/` or `src/connections/<id>/`).
/// All files are JSON with comments and trailing commas allowed.
public enum SpecLoader {
    /// What a path held.
    public struct Loaded: Sendable {
        /// The basic connections found, checked.
        public var specs: [ConnectionSpec]
        /// OAuth connections, reported by name and not imported.
        public var skipped: [String]
    }

    /// Loads every basic connection at `path`; throws a ``SpecError`` listing all problems of the first bad one.
    public static func load(path: String) throws(SpecError) -> Loaded {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SpecError(source: path, problems: [SpecProblem(path: "", message: "no such file or folder")])
        }
        if !isDirectory.boolValue { return Loaded(specs: [try loadFile(path)], skipped: []) }
        let manifest = path + "/makecomapp.json"
        if FileManager.default.fileExists(atPath: manifest) { return try loadApp(root: path, manifest: manifest) }
        for folder in ["connections", "src/connections"] where isFolder(path + "/" + folder) {
            return try loadConnections(in: path + "/" + folder)
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if isOAuth(folder: path, files: try files(in: path)) { return Loaded(specs: [], skipped: [name]) }
        return Loaded(specs: [try loadFolder(path, name: name, label: nil)], skipped: [])
    }

    // MARK: One file

    /// A single spec file: `{name, label, communication, parameters, common}`; keys starting with `_` are ignored.
    static func loadFile(_ path: String) throws(SpecError) -> ConnectionSpec {
        try check(document: try parse(path), source: path)
    }

    /// Checks the text of a single spec file (JSONC) exactly as ``loadFile(_:)`` would, without a file: the
    /// fuzzer's entry point. `source` names it in errors and, up to its first dot, gives the default type name.
    static func check(text: [UInt8], source: String) throws(SpecError) -> ConnectionSpec {
        try check(document: try parse(text, source: source), source: source)
    }

    /// Checks a parsed spec file document; `path` names it in errors and gives the default type name.
    private static func check(document: Value, source path: String) throws(SpecError) -> ConnectionSpec {
        guard case .object(let object) = document else {
            throw SpecError(source: path, problems: [SpecProblem(path: "", message: "a spec file holds a JSON object")])
        }
        var problems: [SpecProblem] = []
        for key in object.keys where !key.hasPrefix("_") {
            if !["name", "label", "communication", "parameters", "common"].contains(key) {
                problems.append(SpecProblem(path: key, message: "unknown key '\(key)' in a spec file"))
            }
        }
        var name = URL(fileURLWithPath: path).lastPathComponent
        if let dot = name.firstIndex(of: ".") { name = String(name[..<dot]) }
        if let given = object["name"] {
            if case .string(let text) = given { name = text } else {
                problems.append(SpecProblem(path: "name", message: "name must be text"))
            }
        }
        var label: String?
        if let given = object["label"] {
            if case .string(let text) = given { label = text } else {
                problems.append(SpecProblem(path: "label", message: "label must be text"))
            }
        }
        return try ConnectionSpec.check(
            name: name, label: label, communication: object["communication"], parameters: object["parameters"],
            common: object["common"], source: path, extraProblems: problems)
    }

    // MARK: Folders

    /// File name suffixes (after `<id>`) and whole names that hold each part of a connection.
    static let communicationNames = ["api.imljson", "api.iml.json", "api.json", "communication.json"]
    static let communicationSuffixes = [".communication.iml.json"]
    static let parameterNames = ["parameters.imljson", "parameters.iml.json", "parameters.json"]
    static let parameterSuffixes = [".params.iml.json", ".parameters.iml.json"]
    static let commonNames = ["common.imljson", "common.json"]
    static let commonSuffixes = [".common.json", ".common.iml.json"]

    /// One connection folder: its parts recognised by file name.
    static func loadFolder(_ folder: String, name: String, label: String?, files explicit: [String: String] = [:])
        throws(SpecError) -> ConnectionSpec
    {
        let names = try files(in: folder)
        func find(_ part: String, _ wholeNames: [String], _ suffixes: [String]) -> String? {
            if let path = explicit[part] { return path }
            let match = names.first { wholeNames.contains($0) } ?? names.first { file in suffixes.contains { file.hasSuffix($0) } }
            return match.map { folder + "/" + $0 }
        }
        guard let communicationFile = find("communication", communicationNames, communicationSuffixes) else {
            throw SpecError(source: folder, problems: [SpecProblem(
                path: "communication",
                message: "no communication file (expected <id>.communication.iml.json, api.imljson or communication.json)")])
        }
        let communication = try parse(communicationFile)
        let parameters = try find("parameters", parameterNames, parameterSuffixes).map { (path) throws(SpecError) in try parse(path) }
        let common = try find("common", commonNames, commonSuffixes).map { (path) throws(SpecError) in try parse(path) }
        return try ConnectionSpec.check(
            name: name, label: label, communication: communication, parameters: parameters, common: common,
            source: folder)
    }

    /// Every connection folder under `folder`.
    static func loadConnections(in folder: String) throws(SpecError) -> Loaded {
        var loaded = Loaded(specs: [], skipped: [])
        for id in try files(in: folder) where isFolder(folder + "/" + id) {
            let path = folder + "/" + id
            if try isOAuth(folder: path, files: files(in: path)) {
                loaded.skipped.append(id)
                continue
            }
            loaded.specs.append(try loadFolder(path, name: id, label: nil))
        }
        return loaded
    }

    /// A Make app checkout: the connections `makecomapp.json` lists, with their labels.
    static func loadApp(root: String, manifest: String) throws(SpecError) -> Loaded {
        let document = try parse(manifest)
        guard case .object(let connections)? = document["components"]?["connection"] else {
            throw SpecError(source: manifest, problems: [SpecProblem(
                path: "components.connection", message: "makecomapp.json lists no connections")])
        }
        var loaded = Loaded(specs: [], skipped: [])
        for id in connections.keys {
            let entry = connections[id] ?? .undefined
            if case .string("oauth")? = entry["connectionType"] {
                loaded.skipped.append(id)
                continue
            }
            var codeFiles: [String: String] = [:]
            if case .object(let listed)? = entry["codeFiles"] {
                for (part, key) in [("communication", "communication"), ("parameters", "params"), ("common", "common")] {
                    if case .string(let relative)? = listed[key] { codeFiles[part] = root + "/" + relative }
                }
            }
            let folder = ["connections/\(id)", "src/connections/\(id)"].map { root + "/" + $0 }.first(where: isFolder)
            if codeFiles["communication"] == nil, folder == nil {
                throw SpecError(source: manifest, problems: [SpecProblem(
                    path: JSONPath.appending(key: id, to: "components.connection"),
                    message: "no folder connections/\(id) or src/connections/\(id)")])
            }
            let label: String? = if case .string(let text)? = entry["label"] { text } else { nil }
            if let folder, isOAuth(folder: folder, files: try files(in: folder)) {
                loaded.skipped.append(id)
                continue
            }
            loaded.specs.append(try loadFolder(folder ?? root, name: id, label: label, files: codeFiles))
        }
        return loaded
    }

    // MARK: Helpers

    static func isOAuth(folder: String, files: [String]) -> Bool {
        files.contains { $0.hasSuffix(".oauth-communication.iml.json") || $0 == "oauth.imljson" }
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func files(in folder: String) throws(SpecError) -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
            throw SpecError(source: folder, problems: [SpecProblem(path: "", message: "cannot list the folder")])
        }
    }

    /// Parses a JSONC file.
    static func parse(_ path: String) throws(SpecError) -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(source: path, problems: [SpecProblem(path: "", message: "cannot read the file")])
        }
        return try parse(Array(data), source: path)
    }

    /// Parses JSONC text; a syntax error becomes a ``SpecError`` naming `source`.
    static func parse(_ text: [UInt8], source: String) throws(SpecError) -> Value {
        do { return try Value(parsingJSONC: text) } catch {
            throw SpecError(source: source, problems: [SpecProblem(path: "", message: error.description)])
        }
    }
}
