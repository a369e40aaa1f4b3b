import Core
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// One per connection, between HTTP/1.1's parser and Hummingbird, for what Hummingbird leaves to the
/// application:
/// - a request the parser refuses outside a body (two Content-Lengths, HTTP/1.2, a head past the limits…) is
///   answered with the service's error document, a request id and an access-log line, after the answers
///   owed before it, and the connection closes (Hummingbird would answer a bare 400);
/// - `Expect: 100-continue` is answered `100 Continue` unless the declared body is past the limit;
/// - a connection with no complete request head `idleTimeout` after it opened or after its last answer (idle,
///   or a head arriving too slowly) is closed; a body being read is the body timeout's to judge;
/// - a body still arriving `bodyTimeout` after its head fails with `BodyTimedOut`, which the responder answers 408;
/// - an answer carrying `Connection: close` closes the connection once written;
/// - once the server is told to stop, a connection still open `shutdownTimeout` later is closed.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Thrown into a request's body when it takes too long to arrive.
    struct BodyTimedOut: Error {
        let limit: Duration
    }

    private let limits: ServerLimits
    private let bodyLimit: Int
    private let log: AccessLog
    /// The server's own log, for connections closed at shutdown.
    private let serverLog: @Sendable (String) -> Void

    /// A request's head has been read and its end has not.
    private var readingBody = false
    /// Requests read whose answers are not written yet.
    private var unanswered = 0
    /// The answer being written carries `Connection: close`.
    private var closeAfterAnswer = false
    /// What the parser refused, answered once the answers before it are written; nothing more is read.
    private var refusal: ServiceError?
    /// The body's time ran out: nothing more is read, the responder answers and the connection closes.
    private var bodyTimedOut = false
    private var idleTimer: Scheduled<Void>?
    private var bodyTimer: Scheduled<Void>?
    private var shutdownTimer: Scheduled<Void>?

    init(limits: ServerLimits, bodyLimit: Int, log: AccessLog, serverLog: @escaping @Sendable (String) -> Void) {
        (self.limits, self.bodyLimit, self.log, self.serverLog) = (limits, bodyLimit, log, serverLog)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard refusal == nil, !bodyTimedOut else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            readingBody = true
            unanswered += 1
            idleTimer?.cancel()
            idleTimer = nil
            startBodyTimer(context)
            // Only when nothing else is being answered: a 100 must not land in the middle of another answer.
            if unanswered == 1, Self.expectsContinue(head), Self.declaredLength(head).map({ $0 <= UInt64(bodyLimit) }) ?? true {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        case .body:
            break
        case .end:
            readingBody = false
            bodyTimer?.cancel()
            bodyTimer = nil
            // The end of a body dropped after its answer (one past the limit): the connection is idle from here.
            if unanswered == 0 { startIdleTimer(context) }
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard refusal == nil, !bodyTimedOut else { return }
        guard error is HTTPParserError || error is HTTP1TypeConversionError else {
            context.fireErrorCaught(error)
            return
        }
        if readingBody {
            // Broken chunk framing or a body cut short: the responder reading the body answers it, or, when
            // the request is answered already (a body past the limit, being dropped), there is nothing to say.
            readingBody = false
            bodyTimer?.cancel()
            if unanswered == 0 { context.close(promise: nil) } else { context.fireErrorCaught(error) }
            return
        }
        // Once the connection is closed (the idle timeout, or the client gone), a head cut short has nobody
        // to answer. (A body cut short, above, must still fail: its request must not run on part of its body.)
        guard context.channel.isActive else { return }
        refusal = .malformedHTTP(MalformedHTTP.words(for: error))
        if unanswered == 0 { answerRefusal(context) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.status.kind != .informational, head.headerFields[.connection]?.lowercased() == "close" { closeAfterAnswer = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            unanswered -= 1
            if closeAfterAnswer {
                writeThenClose(data, promise: promise, context)
            } else {
                context.write(data, promise: promise)
                if refusal != nil, unanswered == 0 {
                    context.flush()
                    answerRefusal(context)
                } else if unanswered == 0 {
                    startIdleTimer(context)
                }
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, shutdownTimer == nil {
            let limit = limits.shutdownTimeout
            shutdownTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
                guard context.channel.isActive else { return }
                let peer = context.channel.remoteAddress.map { " from \($0)" } ?? ""
                serverLog("engage serve: closed the connection\(peer), its request unfinished \(ServerLimits.words(limit)) after the signal to stop")
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startIdleTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startIdleTimer(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
    }

    private func cancelTimers() {
        for timer in [idleTimer, bodyTimer, shutdownTimer] { timer?.cancel() }
        (idleTimer, bodyTimer, shutdownTimer) = (nil, nil, nil)
    }

    /// Closes the connection once `idleTimeout` passes without a request head, unless one arrives first.
    private func startIdleTimer(_ context: ChannelHandlerContext) {
        idleTimer?.cancel()
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.idleTimeout)) { [self] in
            guard unanswered == 0, !readingBody else { return }
            context.close(promise: nil)
        }
    }

    /// Fails the body being read once `bodyTimeout` passes; the responder answers, and the connection closes.
    private func startBodyTimer(_ context: ChannelHandlerContext) {
        bodyTimer?.cancel()
        let limit = limits.bodyTimeout
        bodyTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
            guard readingBody else { return }
            readingBody = false
            bodyTimedOut = true
            // Answered already (a body past the limit, being dropped): the rest need not be waited for.
            if unanswered == 0 { context.close(promise: nil) } else { context.fireErrorCaught(BodyTimedOut(limit: limit)) }
        }
    }

    /// Writes the refusal as the service's error document, logs it, and closes the connection.
    private func answerRefusal(_ context: ChannelHandlerContext) {
        guard let refusal else { return }
        let requestId = UUID().uuidString.lowercased()
        let answer = AWSJSONResponder.answer(.failure(refusal), requestId: requestId, closing: true)
        log.record(arrived: Date(), identity: nil, operation: nil, status: answer.status.code, exception: refusal.code, elapsed: .zero, requestId: requestId)
        var headers = answer.headers
        headers[.contentLength] = String(answer.body.readableBytes)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
        writeThenClose(wrapOutboundOut(.end(nil)), promise: nil, context)
    }

    /// Writes and flushes `data`, then closes the connection once it is written (closing at once could drop it).
    private func writeThenClose(_ data: NIOAny, promise: EventLoopPromise<Void>?, _ context: ChannelHandlerContext) {
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { result in
            promise?.completeWith(result)
            context.close(promise: nil)
        }
        context.writeAndFlush(data, promise: written)
    }

    private static func expectsContinue(_ head: HTTPRequest) -> Bool {
        head.headerFields[.expect]?.lowercased() == "100-continue"
    }

    /// The declared Content-Length: digits only, as the parser has checked, and at most 2^64 − 1.
    static func declaredLength(_ head: HTTPRequest) -> UInt64? {
        head.headerFields[.contentLength].flatMap { UInt64($0) }
    }
}
