import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Holds back the `100 Continue` a client asks for (`Expect: 100-continue`,
/// which curl sends for every `-T` upload) until the route has checked the
/// token, the name and the declared length: only then does the client send
/// its body (`release`). A request refused first (401, 403, 413) gets its
/// refusal without a byte of the body having been invited.
final class ContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private var waiting = false
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            waiting = head.headerFields[.expect]?.lowercased() == "100-continue"
        }
        context.fireChannelRead(data)
    }

    /// Sends the held `100 Continue`, once (on the channel's event loop).
    func release() {
        guard waiting, let context else { return }
        waiting = false
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
    }

    /// Releases the `100 Continue` of the request on `channel`, if one waits.
    static func release(_ channel: any Channel) async {
        let done = channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: ContinueHandler.self).release()
        }
        _ = try? await done.get()
    }
}
