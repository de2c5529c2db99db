/// The version recorded with every run in the ledger and `run.json`, so a
/// table can be traced to the program that computed it.
public enum EdupipeVersion {
    public static let current = "0.5.0"
}
