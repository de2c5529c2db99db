#if canImport(Glibc)
import Glibc
#endif

/// Finds the shipped plan and registry when no path is given, so that a
/// clerk's shell or a cron job works from any working directory.
///
/// Looked for, in order: `$EDUPIPE_HOME`; `<exe>/../share/edupipe` (an
/// installed layout); then each folder above the executable's real path
/// (the package checkout, where `.build/release/edupipe` lives).
public enum Installation {
    public static let defaultPipeline = "pipelines/basic-education-2022.yaml"
    public static let defaultRegistry = "samples/registry/divisions.csv"

    public static func locate(_ relative: String) -> String? {
        for root in candidateRoots() {
            let path = root + "/" + relative
            if access(path, R_OK) == 0 { return path }
        }
        return nil
    }

    static func candidateRoots() -> [String] {
        var roots: [String] = []
        if let home = getenv("EDUPIPE_HOME") { roots.append(String(cString: home)) }
        if let exe = executablePath() {
            var dir = parent(exe)
            roots.append(dir + "/../share/edupipe")
            while !dir.isEmpty && dir != "/" {
                roots.append(dir)
                dir = parent(dir)
            }
        }
        return roots
    }

    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}
