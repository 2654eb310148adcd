/// A compile error found inside one template, before the string's location and text are attached.
struct CompileProblem: Error {
    var code: IMLError.Code
    /// 0-based scalar position in the template string.
    var start: Int
    var token: String
    var message: String

    init(_ code: IMLError.Code, at start: Int, token: String, _ message: String) {
        self.code = code
        self.start = start
        self.token = token
        self.message = message
    }

    /// The public error for the template `template` at `location`.
    func error(template: String, location: String) -> IMLError {
        IMLError(
            phase: .compile, code: code, location: location, template: template, column: start + 1, token: token,
            message: message)
    }
}
