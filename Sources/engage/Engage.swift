import ArgumentParser

@main
struct Engage: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "placeholder")
}
