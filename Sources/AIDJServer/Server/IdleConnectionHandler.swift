import NIOCore
import NIOHTTPTypes

/// Closes connections that hold the server without using it: one whose request head does not arrive within
/// `timeout` (after connecting, or after its last response was sent: a keep-alive connection left idle, or
/// headers trickling in a byte at a time), or whose request body stops arriving for that long.
///
/// A response is over when its last byte has been written to the socket, not when it was handed to the
/// pipeline: a player that pauses reading a long stream keeps its connection, however long the pause.
/// (Hummingbird's own idle timeout counts from the hand-over, and so cut the tail off responses whose reader
/// paused near the end.)
final class IdleConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let timeout: TimeAmount
    /// Requests whose response has not been written out completely.
    private var open = 0
    private var readingBody = false
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            open += 1
            readingBody = true
            arm(context)  // the body must keep coming
        case .body:
            arm(context)
        case .end:
            readingBody = false
            disarm()  // the response is being made: no limit
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in
            self.open -= 1
            if self.open == 0 && !self.readingBody && context.channel.isActive { self.arm(context) }
        }
        written.futureResult.cascade(to: promise)
        context.write(data, promise: written)
    }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
