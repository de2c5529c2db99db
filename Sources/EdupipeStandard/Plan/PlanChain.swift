import Yams
#if canImport(Glibc)
import Glibc
#endif
import EdupipeInput

/// A plan and the plans it extends (`extends:`), oldest first, each read
/// and composed into YAML nodes: what the compiler reads, in that order (a
/// later plan adds to an earlier one, or replaces a dataset it declared).
enum PlanChain {
    /// The plan at `path` and those it extends.
    static func load(path: String) throws(PlanError) -> [PlanFile] {
        var chain: [PlanFile] = []
        try documents(path: path, into: &chain, seen: [])
        return chain
    }

    /// A plan given as text (tests, the fuzz harness) and those it extends.
    static func parse(_ text: String, source: String) throws(PlanError) -> [PlanFile] {
        var chain: [PlanFile] = []
        let doc = try PlanFile(text: text, source: source)
        if let parent = doc.extends { try documents(path: parent, into: &chain, seen: [source]) }
        chain.append(doc)
        return chain
    }

    /// The plan at `path` after the plans it extends, oldest first.
    private static func documents(path: String, into chain: inout [PlanFile], seen: [String]) throws(PlanError) {
        guard !seen.contains(path) else {
            throw PlanError(source: path, line: nil, column: nil, "the plans extend each other in a cycle: \((seen + [path]).joined(separator: " → "))")
        }
        // A plan is a regular file: a FIFO or a device would block the
        // load or never end.
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw PlanError(source: path, line: nil, column: nil, "cannot read the plan: not a regular file")
        }
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: 4 << 20)
        } catch {
            throw PlanError(source: path, line: nil, column: nil, "cannot read the plan: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PlanError(source: path, line: nil, column: nil, "the plan is not UTF-8 text")
        }
        let doc = try PlanFile(text: text, source: path)
        if let parent = doc.extends { try documents(path: parent, into: &chain, seen: seen + [path]) }
        chain.append(doc)
    }
}

/// One plan file, composed: its top-level keys checked, the path of the
/// plan it extends resolved against its folder.
struct PlanFile {
    let r: YAMLWalker
    let top: Keyed
    /// The path of the plan this one extends, relative to the file's folder.
    let extends: String?

    init(text: String, source: String) throws(PlanError) {
        r = YAMLWalker(source: source)
        let root: Node
        do {
            // The basic resolver: every scalar is text, read as the plan
            // expects it; Yams's default resolves each scalar's type
            // through regular expressions (half of a small `validate`).
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw PlanError(source: source, line: nil, column: nil, "the plan is empty")
            }
            root = node
        } catch let error as PlanError {
            throw error
        } catch let error as YamlError {
            throw YAMLWalker.yamlError(error, source: source)
        } catch {
            throw PlanError(source: source, line: nil, column: nil, "not valid YAML: \(error)")
        }
        top = try r.mapping(root, "the top level")
        try r.onlyKeys(top, ["plan", "extends", "limits", "periods", "messages", "datasets", "indicators", "targets", "quality", "synth"],
                       in: "the top level")
        if let e = top["extends"] {
            let name = try r.string(e, "extends")
            let folder = source.lastIndex(of: "/").map { String(source[...$0]) } ?? ""
            extends = name.hasPrefix("/") ? name : folder + name
        } else {
            extends = nil
        }
    }
}
