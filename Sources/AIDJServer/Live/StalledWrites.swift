import NIOCore

extension Channel {
    /// Runs `write`, and closes the connection if it has not finished within `limit`: a peer that stopped taking
    /// data would otherwise hold the write, and anything waiting for it (a graceful shutdown), for ever. Closing
    /// fails the write, so the caller's stream ends.
    func closing(ifStalledFor limit: TimeAmount, _ write: () async throws -> Void) async throws {
        let hangUp = eventLoop.scheduleTask(in: limit) { self.close(promise: nil) }
        defer { hangUp.cancel() }
        try await write()
    }
}
