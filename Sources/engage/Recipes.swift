import ArgumentParser
import Foundation
import Core
import RecipeRunner

/// `engage recipes`: the recipes on the search path, with their descriptions and parameters.
struct Recipes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the recipes on the search path (./Recipes, then $ENGAGE_RECIPES_PATH) with their descriptions.",
        discussion: """
            A recipe found in an earlier folder hides one of the same name in a later folder. Run one with \
            `engage run NAME --param k=v`; `engage run NAME --help` explains its parameters.
            """
    )

    @Option(help: "text, or json: one document listing name, path, description and parameters.")
    var output: OutputFormat = .text

    func run() async throws {
        let library = RecipeLibrary.fromEnvironment()
        let listings = await library.listings()
        if output == .json {
            let document: JSONValue = .array(listings.map { listing in
                ["name": .string(listing.name), "path": .string(listing.path), "description": .string(listing.description),
                 "parameters": .array(listing.parameters.map(JSONValue.string))]
            })
            print(document.serialized(pretty: true))
            return
        }
        guard !listings.isEmpty else {
            print("No recipes on the search path: \(library.folders.joined(separator: ", ")).")
            return
        }
        let width = listings.map(\.name.count).max() ?? 0
        for listing in listings {
            print(listing.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + listing.description)
            let parameters = listing.parameters.isEmpty ? "" : "  params: " + listing.parameters.joined(separator: " ")
            print(String(repeating: " ", count: width + 2) + listing.path + parameters)
        }
    }
}
