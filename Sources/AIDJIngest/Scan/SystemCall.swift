import Foundation

/// A failed system call: which call and the `errno` it left.
struct SystemCallError: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    /// "read: Input/output error".
    var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// Runs a system call that returns −1 and sets `errno` on failure, again for as long as it was interrupted by a
/// signal (EINTR), the one choke point for raw calls (swift-nio's `syscall(where:)` is the model).
///
/// - Parameter call: the call's name, for the error.
/// - Throws: ``SystemCallError`` naming the call and its `errno`.
func systemCall<Result: BinaryInteger>(_ call: String, _ body: () -> Result) throws(SystemCallError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code != EINTR { throw SystemCallError(call: call, code: code) }
    }
}
