import CLua
import Core
import Foundation

/// What the recipe runner needs of the engine: a recipe file's declaration, read by running its chunk
/// (which only declares), then its `run(params)` inside a session.
extension ScriptEngine {
    /// Runs the chunk of a recipe file (BOM and shebang skipped as for scripts) and returns what its
    /// `recipe{...}` declared; the text of the error when the chunk fails or declares nothing.
    public func declareRecipe(script: [UInt8], chunkName: String, scriptName: String) async -> Result<RecipeDeclaration, RecipeLoadError> {
        let source = Self.skippingBOMAndShebang(script)
        return await onLuaThread { engine in
            engine.bridge.declaredRecipe = nil
            engine.state.setScriptArguments(script: scriptName, arguments: [])
            if case .failed(let message) = engine.state.run(source, name: chunkName) { return .failure(RecipeLoadError(description: message)) }
            guard let declaration = engine.bridge.declaredRecipe else {
                return .failure(RecipeLoadError(description: "\(scriptName): declares no recipe (the chunk should return recipe{ description = …, run = function(params) … end })"))
            }
            return .success(declaration)
        }
    }

    /// Calls the declared recipe's `run` with `parameters` (an object) as a Lua table, with `session` making
    /// its writes safe to repeat; the values `run` returned, or its error with a traceback (a returned value
    /// JSON cannot hold is an error naming where it is).
    public func runDeclaredRecipe(parameters: JSONValue, session: RecipeSession?) async -> Outcome {
        await onLuaThread { engine in
            engine.bridge.recipeSession = session
            defer { engine.bridge.recipeSession = nil }
            let driver = """
                local declared = debug.getregistry()["\(Bridge.declaredRecipeField)"]
                return declared.run(json.decode((...)))
                """
            switch engine.state.run(driver, name: "=recipe", arguments: [parameters.serialized()], resultsAsJSON: true) {
            case .returned(let values): return .returned(values)
            case .failed(let message): return .failed(message)
            }
        }
    }

    /// Where a run's own output goes: `print`, `io.write` and `io.stdout` to standard error (so standard
    /// output can carry one JSON document, and what they write stays in order), `log` silenced for
    /// `--quiet`, or each `log` line handed to `logLine` (which a progress line uses to write the line above
    /// itself).
    public func routeOutput(printToStandardError: Bool, quiet: Bool, logLine: (@Sendable (String) -> Void)? = nil) async {
        var source = ""
        if printToStandardError {
            source += """
                io.output(io.stderr)
                io.stdout = io.stderr
                function print(...)
                  local parts = {}
                  for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
                  io.stderr:write(table.concat(parts, "\\t"), "\\n")
                end

                """
        }
        if quiet {
            source += "function log() end\n"
        } else if let logLine {
            await onLuaThread { engine in
                engine.bridge.register("engage_log_line") { L, c in
                    Bridge.call(L, c) { bridge, L throws(LuaRaise) in
                        bridge.logLine?(LuaValues.string(L, at: 1))
                        return 0
                    }
                }
                engine.bridge.logLine = logLine
            }
            // The function is kept in log's upvalue, not as a global a script would see.
            source += """
                local write_line = engage_log_line
                engage_log_line = nil
                function log(...)
                  local parts = {}
                  for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
                  write_line(table.concat(parts, " "))
                end

                """
        }
        guard !source.isEmpty else { return }
        let chunk = source
        _ = await onLuaThread { engine in engine.state.run(chunk, name: "=output") }
    }
}

/// A recipe file that could not be read as a declaration.
public struct RecipeLoadError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension ScriptEngine {
    /// Sets the global `dry_run`, so a recipe that writes files (export) can leave them alone in a dry run.
    public func setDryRun(_ dryRun: Bool) async {
        _ = await onLuaThread { engine in engine.state.run("dry_run = \(dryRun)", name: "=dry_run") }
    }

    /// Makes `os.exit([code])` call `handler` with the exit status it asks for (true or none: 0, false: 1)
    /// instead of ending the process at once; the process then exits with the status `handler` returns.
    /// So a runner can still write its summary and remove what it made.
    public func handleExit(_ handler: @escaping @Sendable (Int32) -> Int32) async {
        _ = await onLuaThread { engine in
            engine.bridge.exitHandler = handler
            engine.bridge.register("engage_exit") { L, c in
                Bridge.call(L, c) { bridge, L throws(LuaRaise) in
                    var isWhole: Int32 = 0
                    let code = lua_tointegerx(L, 1, &isWhole)
                    guard lua_type(L, 1) == LUA_TNUMBER, isWhole != 0 else {
                        throw Arguments.error(L, 1, "os.exit", "an exit status (a whole number, true or false) expected, got \(Arguments.typeName(L, 1))")
                    }
                    exit(bridge.exitHandler?(Int32(truncatingIfNeeded: code)) ?? Int32(truncatingIfNeeded: code))
                }
            }
            // The function is kept in os.exit's upvalue, not as a global a script would see.
            return engine.state.run("""
                local exit_with = engage_exit
                engage_exit = nil
                function os.exit(code)
                  if code == nil or code == true then code = 0 elseif code == false then code = 1 end
                  exit_with(code)
                end
                """, name: "=exit")
        }
    }

    /// Tells `observer` of every operation call the script makes from now on, on the Lua thread.
    public func observeCalls(_ observer: @escaping @Sendable (OperationCall) -> Void) async {
        await onLuaThread { engine in engine.bridge.callObserver = observer }
    }
}
