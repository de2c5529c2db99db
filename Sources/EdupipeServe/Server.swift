import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import EdupipeAggregate
import EdupipeRun
import EdupipeSupport

/// `edupipe serve`: the options, and the server's life: temporary files of
/// killed uploads removed, the inbox listed, the ledger opened for durable
/// commits, then HTTP (or HTTPS) until SIGTERM or SIGINT, after which the
/// uploads in flight finish before the process ends.
public enum Server {
    public struct Options: Sendable {
        public var inbox: String
        public var stateDirectory: String
        public var host = "127.0.0.1"
        public var port = 8080
        public var tlsCertificate: String?
        public var tlsKey: String?
        /// Seconds a connection may stay silent, mid-upload included, before
        /// it is closed (and the upload's temporary file removed).
        public var idleTimeout = 30
        /// Seconds after which the inbox is listed again, to see files put
        /// there by other means.
        public var rescanSeconds: Int64 = 60
        /// Work metered per account (`Meter`).
        public var meter = Meter.Limits()
        /// Bytes per second an upload must keep up after `idleTimeout`
        /// seconds, so that a trickle ends (408).
        public var minimumRate = 1024
        /// What the server writes in the inbox gets `0o666 & ~umask` (files)
        /// and `0o777 & ~umask` (folders); its state files are 0600.
        public var umask = 0o027
        public var environment: [String: String] = [:]
        public var logger = RunLogging.silent
        /// The log file's lines, for the line per request (`RunLogging.logs`);
        /// without it those lines go through `logger`.
        public var requestLines: JSONLines?

        public init(inbox: String, stateDirectory: String) {
            self.inbox = inbox
            self.stateDirectory = stateDirectory
        }
    }

    /// Runs the server until it is told to stop. `onStarted` gets the
    /// port it listens on (useful with port 0).
    public static func run(setup: Setup, options: Options, onStarted: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let log = options.logger
        var st = stat()
        guard stat(options.inbox, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw EdupipeError(.invalidArgument, "the inbox \(options.inbox) is not a folder")
        }
        // Children's data: uploads readable by the owner and its group only
        // (the night's run), state files by the owner alone.
        umask(mode_t(options.umask))
        let removed = try IncomingFile.prepareFolder(inbox: options.inbox)
        if removed > 0 { log.notice("removed \(removed) unfinished upload(s) left by a stopped server") }
        let ledger = try Ledger(directory: options.stateDirectory, durable: true)
        StateFiles.restrict(options.stateDirectory)
        let environment = options.environment
        let clock: @Sendable () -> Int64 = { LedgerTime.now(environment: environment) }
        let intake = try Intake(setup: setup, inbox: options.inbox, ledger: ledger, rescanSeconds: options.rescanSeconds,
                            dryRunLimit: options.meter.dryRunLimit)
        try intake.index.rescan(now: clock())

        let router = Router(context: ServeContext.self)
        router.add(middleware: AuditMiddleware(ledger: ledger, logger: log, lines: options.requestLines, clock: clock))
        router.add(middleware: SecurityHeaders(tls: options.tlsCertificate != nil))
        let meter = Meter(limits: options.meter, clock: { MonotonicClock.seconds() })
        ServeRoutes(intake: intake, clock: clock, meter: meter, idleTimeout: options.idleTimeout,
                    minimumRate: options.minimumRate).add(to: router)

        let http = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [ContinueHandler()],
                                                                idleTimeout: .seconds(Int64(options.idleTimeout))))
        let server: HTTPServerBuilder
        if let cert = options.tlsCertificate, let key = options.tlsKey {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
                let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain,
                                                                   privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
                server = try .tls(http, tlsConfiguration: tls)
            } catch {
                throw EdupipeError(.invalidArgument, "cannot use the TLS certificate \(cert) and key \(key): \(error)")
            }
        } else {
            server = http
        }
        let app = Application(router: router, server: server,
                              configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil, backlog: 512),
                              onServerRunning: { channel in onStarted(channel.localAddress?.port ?? options.port) },
                              logger: Self.quiet(log))
        log.notice("serving", metadata: ["inbox": "\(options.inbox)", "state": "\(options.stateDirectory)",
                                         "scope": "\(setup.registry.scope ?? Registry.nationalCode)", "tls": "\(options.tlsCertificate != nil)"])
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// Hummingbird's own logger: warnings and errors only, through the
    /// same handlers (and the same resident-ID mask) as edupipe's.
    static func quiet(_ logger: Logger) -> Logger {
        var l = logger
        l.logLevel = .warning
        return l
    }
}
