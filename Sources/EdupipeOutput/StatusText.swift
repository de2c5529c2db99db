import EdupipeAggregate

/// The words people read for a status, in Chinese and English.
public enum StatusText {
    public static func file(_ status: SubmissionStatus) -> String {
        switch status {
        case .accepted: "采用 accepted"
        case .superseded: "已被替代 superseded"
        case .rejected: "退回 rejected"
        case .duplicate: "重复 duplicate"
        }
    }

    public static func indicator(_ status: IndicatorRow.Status) -> String {
        switch status {
        case .met: "达标 met"
        case .notMet: "未达标 not met"
        case .noData: "无数据 no data"
        case .noTarget: "无目标 no target"
        }
    }
}
