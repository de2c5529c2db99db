@testable import EdupipeSupport

/// The `EdupipeError` that `body` throws; nil when it throws nothing or
/// another error, so `#expect(failure { … }?.code == .busy)` fails then.
func failure(_ body: () throws -> Void) -> EdupipeError? {
    do {
        try body()
        return nil
    } catch let error as EdupipeError {
        return error
    } catch {
        return nil
    }
}
