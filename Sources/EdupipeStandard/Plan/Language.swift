/// The language of what people read: messages, summaries, tables.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// Chinese when `LC_ALL`, else `LC_MESSAGES`, else `LANG` starts with
    /// `zh` (as a clerk's Chinese desktop sets it); English otherwise.
    public static func from(environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .zh : .en
            }
        }
        return .en
    }
}

/// A text in Chinese and in English.
public struct DisplayName: Sendable, Equatable {
    public let zh: String
    public let en: String
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// Both on one line: `课后服务 After-school service`.
    public var both: String { zh + " " + en }

    public func text(_ language: Language) -> String { language == .zh ? zh : en }
}
