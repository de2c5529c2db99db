#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput

/// Removes the tables of periods the current run no longer produces, so an
/// output folder never shows last week's period beside this run's
/// `submissions.csv` (a file renamed to another period, an inbox emptied).
/// Only the files edupipe writes in a `<period>/` folder are removed, and
/// the folder itself when nothing else is left in it.
package enum StaleTables {
    static let names = ["indicators.csv", "indicators.json", "duplicates.csv", "quality.csv", PeopleFiles.workbookName,
                        PeopleFiles.reportName] + WideCSV.names.map(\.1)

    package static func remove(out: String, keeping periods: Set<String>) {
        for name in AtomicFile.names(in: out) ?? [] where SubmissionName.isPeriod(name) && !periods.contains(name) {
            let dir = out + "/" + name
            for file in names { unlink(dir + "/" + file) }
            AtomicFile.removeLeftovers(in: dir)
            rmdir(dir)
        }
    }
}
