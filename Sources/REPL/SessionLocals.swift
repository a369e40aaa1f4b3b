/// At the prompt every chunk is compiled on its own, so a `local` declared on one line would be gone on the
/// next. The REPL turns the chunk's top-level local declarations into assignments of session variables,
/// reading the chunk with Lua's tokens (strings, long strings, comments and operators are never mistaken
/// for declarations):
/// `local a, b = 1, 2` → `a, b = 1, 2`; `local x` → `x = nil`; `local function f` → `function f`;
/// `local k <const> = 1` → `k = 1`. A `<close>` variable stays local: closing it when the chunk ends is
/// its point. Declarations inside functions and blocks are the chunk's own business and stay as written.
enum SessionLocals {
    static func rewrite(_ chunk: [UInt8]) -> [UInt8] {
        let lexed = LuaTokens(chunk)
        let tokens = lexed.tokens
        var edits: [(range: Range<Int>, text: [UInt8])] = []
        var depth = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.isKeyword("do", "if", "function", "repeat") {
                depth += 1
            } else if token.isKeyword("end", "until") {
                depth = max(0, depth - 1)
            } else if token.isKeyword("local"), depth == 0, index + 1 < tokens.count {
                if tokens[index + 1].isKeyword("function") {
                    edits.append((token.range.lowerBound..<tokens[index + 1].range.lowerBound, []))
                } else if let declaration = Declaration(tokens, localAt: index) {
                    if !declaration.closes, declaration.assigns || Self.statementEnds(before: tokens, at: declaration.nextToken) {
                        let names = Array(declaration.names.joined(separator: ", ").utf8)
                        let replacement = declaration.assigns ? names : names + Array(" = nil".utf8)
                        edits.append((token.range.lowerBound..<declaration.end, replacement))
                    }
                    index = declaration.nextToken
                    continue
                }
            }
            index += 1
        }
        var result: [UInt8] = []
        var copied = 0
        for edit in edits {
            result += chunk[copied..<edit.range.lowerBound]
            result += edit.text
            copied = edit.range.upperBound
        }
        return result + chunk[copied...]
    }

    /// Whether a declaration without `=` ends before `tokens[index]`: at the end, a `;` or the next
    /// statement. Anything else (`local x == 1`) is left for Lua to refuse as written.
    private static func statementEnds(before tokens: [LuaTokens.Token], at index: Int) -> Bool {
        index == tokens.count || tokens[index].kind == .name || tokens[index].isSymbol(";", "::")
    }

    /// `local attnamelist ['=' …]` as Lua's grammar has it: `Name attrib {',' Name attrib}`, where an
    /// attrib is `<const>` or `<close>`.
    private struct Declaration {
        var names: [String] = []
        var closes = false
        /// Whether `=` follows the names.
        var assigns = false
        /// The byte offset just past the last name or attrib.
        var end = 0
        /// The index of the first token after the names (and after `=` when the lexer joined it to `>`).
        var nextToken = 0

        init?(_ tokens: [LuaTokens.Token], localAt local: Int) {
            var index = local + 1
            while true {
                guard index < tokens.count, tokens[index].isName else { return nil }
                names.append(tokens[index].text)
                end = tokens[index].range.upperBound
                index += 1
                if index < tokens.count, tokens[index].isSymbol("<") {
                    guard index + 2 < tokens.count, tokens[index + 1].isKeyword("const", "close"),
                        tokens[index + 2].isSymbol(">", ">=")
                    else { return nil }
                    closes = closes || tokens[index + 1].text == "close"
                    // `<const>=` lexes as `>=`: the `=` is the assignment's.
                    end = tokens[index + 2].range.lowerBound + 1
                    if tokens[index + 2].text == ">=" {
                        assigns = true
                        nextToken = index + 3
                        return
                    }
                    index += 3
                }
                guard index < tokens.count, tokens[index].isSymbol(",") else { break }
                index += 1
            }
            assigns = index < tokens.count && tokens[index].isSymbol("=")
            nextToken = index
        }
    }
}
