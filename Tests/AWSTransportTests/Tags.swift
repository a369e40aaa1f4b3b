import Testing

// The kinds of test, set on each suite; docs/reliability.md lists them. Each test target defines the ones it
// uses (a test target cannot import another); a tag is its name, so `.unit` here is `.unit` everywhere.
extension Tag {
    /// In process only: no child process, no terminal, no other implementation. `Scripts/test --fast` runs these.
    @Tag static var unit: Self
    /// Starts child processes (a credential_process script, a stand-in server).
    @Tag static var process: Self
    /// Checks engage against another implementation (botocore).
    @Tag static var interop: Self
}
