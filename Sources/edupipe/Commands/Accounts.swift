import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeAggregate
import EdupipeOutput
import EdupipeRun
import EdupipeSupport

struct Accounts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Accounts of `edupipe serve`: add (prints the token once), list, revoke.",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Make an account for a unit of the registry and print its token, which is shown this once.",
            discussion: "A county's account uploads and reads its own files; a prefecture's or province's, those of its counties; 000000, every county's. Exit status: 0 made; 1 the ledger cannot be written; 2 usage error."
        )
        @Option(help: "The unit: a county, prefecture or province code of the registry, or 000000 for the nation.")
        var unit: String
        @Option(help: "Who holds it (shown in lists and the audit).")
        var name: String?
        @Option(help: "State folder holding the ledger.")
        var state: String = ".edupipe"
        @OptionGroup var plan: PlanOptions

        func run() throws {
            let setup = plan.loadOrExit(status: 1)
            guard unit == Registry.nationalCode || setup.registry.units[unit] != nil else {
                throw ValidationError("--unit \(unit) is not a unit of the registry (a 6-digit county, prefecture or province code, or 000000)")
            }
            do {
                let ledger = try Ledger(directory: state, durable: true)
                let (account, token) = try ledger.addAccount(unit: unit, name: name, at: LedgerTime.now())
                let unitName = unit == Registry.nationalCode ? "全国" : setup.registry.units[unit]?.name ?? ""
                StandardStream.error.write("account \(account.id) for \(unitName) \(unit): the token is shown this once; the ledger keeps only its hash\n")
                StandardStream.output.write(token + "\n")
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(1)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every account: id, unit, name, when made, when revoked.")
        @Option(help: "State folder holding the ledger.")
        var state: String = ".edupipe"
        @OptionGroup var plan: PlanOptions

        func run() throws {
            let setup = plan.loadOrExit(status: 1)
            do {
                guard let ledger = try Ledger.existing(directory: state) else {
                    StandardStream.output.write("no accounts (no ledger in \(state))\n")
                    return
                }
                var rows = [["id", "unit", "unit name", "holder", "made", "revoked"]]
                for a in try ledger.accounts() {
                    let unitName = a.unit == Registry.nationalCode ? "全国" : setup.registry.units[a.unit]?.name ?? "(not in the registry)"
                    rows.append([String(a.id), a.unit, unitName, a.name ?? "", LedgerTime.text(a.createdAt), a.revokedAt.map(LedgerTime.text) ?? ""])
                }
                StandardStream.output.write(DisplayWidth.table(rows))
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(1)
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an account: its token stops working at once.",
                                                        discussion: "Exit status: 0 revoked; 1 no such live account, or the ledger cannot be written.")
        @Argument(help: "The account's id (see `accounts list`).")
        var id: Int64
        @Option(help: "State folder holding the ledger.")
        var state: String = ".edupipe"

        func run() throws {
            do {
                guard let ledger = try Ledger.existing(directory: state), try ledger.revokeAccount(id: id, at: LedgerTime.now()) else {
                    StandardStream.error.write("edupipe: no live account \(id) in \(state)\n")
                    Glibc.exit(1)
                }
                StandardStream.output.write("account \(id) revoked\n")
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(1)
            }
        }
    }
}
