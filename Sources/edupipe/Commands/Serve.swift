import ArgumentParser
import Dispatch
import EdupipeServe
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import EdupipeRun
import EdupipeSupport

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive county uploads over HTTP(S): an immediate verdict, a receipt, status, and a page for clerks.",
        discussion: """
        Accounts are made with `edupipe accounts add`. Uploads are stored in the inbox as the nightly run reads \\
        them (<inbox>/<province>/<county>/<name>), never overwritten. SIGTERM or SIGINT stops the server after the \\
        uploads in flight. Exit status: 0 stopped; 1 it could not start (inbox, state, port, TLS files); 2 usage error.
        """
    )

    @Option(help: "The inbox folder uploads are stored in (the nightly run's --inbox).")
    var inbox: String

    @Option(help: "State folder: the ledger (accounts, receipts, requests) and the logs.")
    var state: String = ".edupipe"

    @Option(help: "HOST:PORT to listen on (port 0: any free port, printed at start).")
    var listen: String = "127.0.0.1:8080"

    @Option(help: "TLS certificate chain (PEM); with --tls-key, serve HTTPS.")
    var tlsCert: String?

    @Option(help: "TLS private key (PEM).")
    var tlsKey: String?

    @Option(help: "Seconds a connection may stay silent, mid-upload included, before it is closed.")
    var timeout: Int = 30

    @Option(help: "Requests of one account that may run at once (more get 429).")
    var maxConcurrent: Int = 64

    @Option(help: "Decompressed megabytes an account may have checked in a burst, and refilled per minute (more get 429 with Retry-After).")
    var meterBurstMb: Int = 4096

    @Option(help: "Decompressed megabytes per minute added back to each account's allowance.")
    var meterMbPerMinute: Int = 60

    @Option(help: "Decompressed megabytes a dry run reads before it stops (E_TOO_LARGE).")
    var dryRunLimitMb: Int = 64

    @Option(help: "Slowest upload accepted, in bytes per second after the first --timeout seconds (a trickle is cut with 408).")
    var minRate: Int = 1024

    @Option(help: "File mode mask for what the server writes in the inbox (octal): 027 gives files 0640 and folders 0750.")
    var umask: String = "027"

    @OptionGroup var plan: PlanOptions
    @OptionGroup var scope: ScopeOption

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        guard parsedListen != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 0.0.0.0:8443") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
        if maxConcurrent < 1 || meterBurstMb < 1 || meterMbPerMinute < 1 || dryRunLimitMb < 1 || minRate < 0 {
            throw ValidationError("--max-concurrent, --meter-burst-mb, --meter-mb-per-minute and --dry-run-limit-mb must be at least 1")
        }
        guard let mask = Int(umask, radix: 8), (0...0o777).contains(mask), mask & 0o700 == 0 else {
            throw ValidationError("--umask must be octal, such as 027, and leave the owner's bits (0o700) clear")
        }
    }

    var parsedListen: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    func run() throws {
        let setup = plan.loadOrExit(status: 1, scope: scope.scope)
        guard let (host, port) = parsedListen else { Glibc.exit(2) }
        var options = Server.Options(inbox: inbox, stateDirectory: state)
        options.host = host
        options.port = port
        options.tlsCertificate = tlsCert
        options.tlsKey = tlsKey
        options.idleTimeout = timeout
        options.meter = .init(concurrent: maxConcurrent, burstBytes: meterBurstMb << 20,
                              bytesPerSecond: max(1, (meterMbPerMinute << 20) / 60), dryRunLimit: dryRunLimitMb << 20)
        options.minimumRate = minRate
        options.umask = Int(umask, radix: 8) ?? 0o027
        if let now = getenv("EDUPIPE_NOW") { options.environment["EDUPIPE_NOW"] = String(cString: now) }
        let logs = RunLogging.logs(stderrLevel: .notice, stateDirectory: state, fileLevel: .info)
        options.logger = logs.logger
        options.requestLines = logs.lines
        let scheme = tlsCert == nil ? "http" : "https"
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        let opts = options
        Task {
            do {
                try await Server.run(setup: setup, options: opts) { bound in
                    StandardStream.output.write("edupipe serve: listening on \(scheme)://\(host):\(bound)/\n")
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            done.signal()
        }
        done.wait()
        if let message = failure.withLock({ $0 }) {
            StandardStream.error.write("edupipe: \(message)\n")
            Glibc.exit(1)
        }
    }
}
