/// The version engage reports in the REPL's banner.
public enum EngageVersion {
    public static let text = "0.3.0"
}
