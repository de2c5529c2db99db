import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput
import EdupipeRun

/// Who sent a request: an account that is live, whose unit is in the
/// registry. Its unit decides which counties it may upload for and read: a
/// county itself, a prefecture's or province's counties, or, for `000000`,
/// every county.
struct Caller: Sendable {
    let account: Account
    /// The unit's name and level ("national" for `000000`).
    let unitName: String
    let level: String

    var unit: String { account.unit }

    func covers(_ county: String, in registry: Registry) -> Bool {
        registry.covers(unit, county: county)
    }
}

/// A request refused before any work: the HTTP status, a stable code and
/// the reason in both languages.
struct Refusal: Error, Sendable {
    let status: Int
    let code: String
    let zh: String
    let en: String

    func json(_ language: Language) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("error", code)
        w.string("message", language == .zh ? zh : en)
        w.endObject()
        return ResidentIDMask.scrub(w.text) + "\n"
    }

    static let noToken = Refusal(status: 401, code: "E_AUTH", zh: "请先登录：请求需带上 Authorization: Bearer <令牌>",
                                 en: "sign in first: send Authorization: Bearer <token>")
    static let badToken = Refusal(status: 401, code: "E_AUTH", zh: "令牌无效或已被吊销：请向省级数据管理员索取新令牌",
                                  en: "the token is unknown or was revoked: ask your data office for a new one")
}
