import Testing

// The kinds of test, set on each suite; docs/reliability.md lists them. Each test target defines the ones it
// uses (a test target cannot import another); a tag is its name, so `.unit` here is `.unit` everywhere.
extension Tag {
    /// Runs real child processes (the built `engage`, `sandbox-worker`, `sqlite3`).
    @Tag static var process: Self
}
