public import IML

/// A connection type's spec, loaded and checked: what `types import` stores.
public struct ConnectionSpec: Sendable, Hashable {
    /// The type's stable identifier (letters, digits, `-`, `_`).
    public var name: String
    /// What people see.
    public var label: String
    /// One request object or an array of them, as written.
    public var communication: Value
    /// The `parameters` array as written (`[]` when absent or null).
    public var parametersValue: Value
    /// The parameters, checked.
    public var parameters: [ParameterSpec]
    /// The type's common data (stored sealed, apart from the spec).
    public var common: Object
    /// Accepted but ignored directives (`repeat`, `shareCookies`).
    public var warnings: [SpecProblem]

    /// The spec as the vault stores it: communication and parameters, never common data.
    public var storedSpec: Value {
        ["communication": communication, "parameters": parametersValue]
    }

    /// Checks a spec's parts together and reports every problem at once.
    /// - Parameters:
    ///   - source: the file or folder it came from, for the error.
    public static func check(
        name: String, label: String?, communication: Value?, parameters: Value?, common: Value?, source: String,
        extraProblems: [SpecProblem] = []
    ) throws(SpecError) -> ConnectionSpec {
        try check(
            name: name, label: label, communication: communication, parameters: parameters, common: common,
            source: source, extraProblems: extraProblems, checksURLs: true)
    }

    private static func check(
        name: String, label: String?, communication: Value?, parameters: Value?, common: Value?, source: String,
        extraProblems: [SpecProblem], checksURLs: Bool
    ) throws(SpecError) -> ConnectionSpec {
        var checker = SpecChecker()
        checker.checksURLs = checksURLs
        var problems = extraProblems
        if !Vault.isValidTypeName(name) {
            problems.append(SpecProblem(path: "name", message: "a type name uses letters, digits, '-' and '_' only"))
        }
        checker.checkCommunication(communication)
        let parameterSpecs = checker.checkParameters(parameters)
        var commonObject = Object()
        switch common {
        case nil, .undefined?, .null?: break
        case .object(let object)?: commonObject = object
        default: problems.append(SpecProblem(path: "common", message: "common must be an object"))
        }
        problems += checker.problems
        guard problems.isEmpty, let communication else { throw SpecError(source: source, problems: problems) }
        let parametersValue: Value = if case .array? = parameters { parameters! } else { .array([]) }
        return ConnectionSpec(
            name: name, label: label ?? name, communication: communication, parametersValue: parametersValue,
            parameters: parameterSpecs, common: commonObject, warnings: checker.warnings)
    }

    /// Checks a spec in the form the vault stores (communication and parameters, no common data) before it is
    /// stored, URL rules included: ``init(stored:name:label:)`` rebuilds it later without them.
    static func checkBeforeStoring(_ stored: Value, name: String, label: String, source: String) throws(SpecError) {
        _ = try check(
            name: name, label: label, communication: stored["communication"], parameters: stored["parameters"],
            common: nil, source: source, extraProblems: [], checksURLs: true)
    }

    /// Rebuilds a spec from what the vault stored (every way into the vault checks it first: `types import`,
    /// ``Vault/importType(name:label:spec:)``, archive import).
    ///
    /// Everything is checked again but the URL rules: a stored spec's URLs are judged before each request is sent
    /// (a request that breaks them is not sent: the run ends `invalid` and names the rule), so the rebuild needs no
    /// URL parser. A revalidation rebuilds its types while libcurl loads on another thread; judging a URL here made
    /// it wait for that load, and its pages of connections were read only after it.
    public init(stored: Value, name: String, label: String) throws(SpecError) {
        self = try Self.check(
            name: name, label: label, communication: stored["communication"], parameters: stored["parameters"],
            common: nil, source: name, extraProblems: [], checksURLs: false)
    }

    init(
        name: String, label: String, communication: Value, parametersValue: Value, parameters: [ParameterSpec],
        common: Object, warnings: [SpecProblem]
    ) {
        self.name = name
        self.label = label
        self.communication = communication
        self.parametersValue = parametersValue
        self.parameters = parameters
        self.common = common
        self.warnings = warnings
    }

    /// The parameter called `name`, if declared.
    public func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name == name }
    }
}
