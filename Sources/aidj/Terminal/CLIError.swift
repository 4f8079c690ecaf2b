/// A command failure with a one-line message (exit status 1). Errors of the modules below print their own one
/// line; this is for what only the command knows (a missing argument's consequence, an empty library).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
