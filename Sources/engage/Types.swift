import ArgumentParser
import Scripting

/// `engage types`: Lua Language Server annotations of engage's Lua surface, generated from the service model.
struct Types: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print Lua Language Server (LuaLS) annotations for engage's globals, generated from the service model.",
        discussion: """
            The output declares every operation, builder, enum table and helper, with a class for each \
            structure the operations reach (required members without `?`) and an alias for each enum, so an \
            editor running lua-language-server completes and checks scripts and recipes. It is generated from \
            the model compiled into this engage: run it again after upgrading.

            Example:
              engage types > engage.d.lua
            Keep the file in the folder of your scripts, or list its folder in LuaLS's workspace.library \
            (.luarc.json: {"workspace.library": ["/path/to/folder"]}).
            """
    )

    func run() {
        print(LanguageServerAnnotations.file(), terminator: "")
    }
}
