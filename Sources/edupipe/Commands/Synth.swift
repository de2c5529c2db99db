import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeInput
import EdupipeSynth
import EdupipeSupport

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a realistic synthetic inbox from the registry, deterministic for a seed."
    )

    @Option(help: "Folder to write the inbox into (one subfolder per province).")
    var out: String

    @Option(help: "Seed of the generator: the same seed gives the same files.")
    var seed: UInt64

    @Option(help: "all, or the first K counties of the registry.")
    var counties: String = "all"

    @Option(help: "Only these provinces, by code prefix (11,42,...).")
    var provinces: String?

    @Option(help: "Scale of schools and classes per county (1 is about 90 schools and 1,500 classes).")
    var scale: Double = 1

    @Option(help: "File forms to draw from: csv, csv.gz, xml, xml.gz, comma separated.")
    var forms: String = "csv.gz"

    @Option(help: "Period of the files (YYYY-spring or YYYY-autumn).")
    var period: String = "2022-autumn"

    @Option(help: "0 to 1: the share of records given text no compressor can predict (1 makes gzip about half as effective, as real uploads are).")
    var noise: Double = 0

    @Option(help: "Periods to write, ending with --period (counts drift a few percent from one to the next).")
    var periods: Int = 1

    @Option(help: "0 to 1: the share of counties whose last period is broken on purpose, in one of the ways the plan's synth: section declares (part of the schools sent, pupils per grade), for the quality checks to find.")
    var breakShare: Double = 0

    @OptionGroup var plan: PlanOptions

    func validate() throws {
        if counties != "all" && (Int(counties) ?? 0) < 1 { throw ValidationError("--counties is all or a positive number") }
        if !SubmissionName.isPeriod(period) { throw ValidationError("--period must be YYYY-spring or YYYY-autumn") }
        if scale <= 0 || scale > 100 { throw ValidationError("--scale must be above 0 and at most 100") }
        if !(0...1).contains(noise) { throw ValidationError("--noise must be between 0 and 1") }
        if !(1...12).contains(periods) { throw ValidationError("--periods must be 1 to 12") }
        if !(0...1).contains(breakShare) { throw ValidationError("--break-share must be between 0 and 1") }
        for f in forms.split(separator: ",") where SyntheticInbox.Form(rawValue: String(f)) == nil {
            throw ValidationError("unknown form \(f): use csv, csv.gz, xml or xml.gz")
        }
    }

    func run() throws {
        let setup = plan.loadOrExit(status: 2)
        var options = SyntheticInbox.Options(
            out: out, seed: seed, counties: counties == "all" ? nil : Int(counties),
            provinces: provinces.map { $0.split(separator: ",").map(String.init) } ?? [],
            scale: scale, forms: forms.split(separator: ",").compactMap { SyntheticInbox.Form(rawValue: String($0)) },
            period: period)
        options.noise = noise
        options.periods = periods
        options.breakShare = breakShare
        do {
            let s = try SyntheticInbox.write(options, registry: setup.registry, config: setup.config)
            StandardStream.output.write("wrote \(s.files) files, \(s.records) records, \(s.bytes) bytes into \(out)\n")
        } catch {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(1)
        }
    }
}
