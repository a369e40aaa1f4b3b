import Core
import Scripting

/// The names engage's Lua state always has, known without asking it: Lua's keywords and standard library,
/// and engage's operations, builders, enum tables and helpers with what their table arguments build.
enum CompletionVocabulary {
    /// Operation globals and the input shape their table argument builds.
    static let operations: [String: String] = Dictionary(uniqueKeysWithValues: EngageGlobals.operations.compactMap { entry in
        EngageGlobals.inputShape(ofLuaFunction: entry.lua).map { (entry.lua, $0) }
    })

    /// Builder globals: each is named after the model shape it builds.
    static let builders = EngageGlobals.builders

    /// Enum table globals and their values, as the Lua state has them.
    static let enumTables: [String: [String]] = Dictionary(uniqueKeysWithValues: EngageGlobals.enumTables.map { ($0.name, $0.values) })

    /// Globals whose first argument is an engagement id: helpers that say so, and get_engagement, which
    /// takes an id in place of its request.
    static let takesEngagementId: Set<String> = Set(EngageGlobals.takingEngagementId)

    /// The shape of the identifier an operation's global takes alone as its first argument
    /// (`get_opportunity` → OpportunityIdentifier; see `OperationCallForms`).
    static func identifierShape(ofCallee callee: String) -> String? {
        // A helper whose first parameter is an opportunity id (modify_opportunity).
        if EngageGlobals.takingOpportunityId.contains(callee) { return "OpportunityIdentifier" }
        guard let global = LuaGlobals.named(callee), global.kind == .operation, let operation = global.model,
            let member = OperationCallForms.identifierMember(of: operation), let input = operations[callee],
            case .structure(let structure)? = ServiceModel.shape(named: input)?.kind
        else { return nil }
        return structure.member(named: member)?.shape
    }

    /// Helper globals as `help()` lists them, the Lua-written ones (`log`) included.
    static let helpers = EngageGlobals.helpers

    /// The shape a call's table argument builds: an operation's input, a builder's own shape, or the
    /// interaction `append_interaction(id, context_id, { … })` appends.
    static func argumentShape(callee: String, argument: Int) -> String? {
        if argument == 0, let input = operations[callee] { return input }
        if argument == 0, builders.contains(callee) { return callee }
        if callee == "append_interaction", argument == 2 { return "LeadInteraction" }
        return nil
    }

    /// Every global name completion offers without being told: keywords, Lua's base functions and
    /// library tables, and engage's globals.
    static let globalNames: [String] = LuaNames.keywords.sorted() + LuaNames.baseFunctions
        + LuaNames.libraries.keys.sorted() + operations.keys.sorted() + builders + enumTables.keys.sorted() + helpers

    /// Members of a library table when the session did not list them (`string` → `format`, `json` → `encode`, …).
    static func knownFields(of path: String) -> [String]? {
        LuaGlobals.fields(of: path) ?? LuaNames.libraries[path]
    }
}

/// Lua 5.4's reserved words and standard library, as `luaL_openlibs` loads it.
enum LuaNames {
    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local",
        "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    static let baseFunctions = [
        "_G", "_VERSION", "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load", "loadfile",
        "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "tonumber", "tostring", "type", "warn", "xpcall",
    ]

    static let libraries: [String: [String]] = [
        "string": [
            "byte", "char", "dump", "find", "format", "gmatch", "gsub", "len", "lower", "match", "pack", "packsize",
            "rep", "reverse", "sub", "unpack", "upper",
        ],
        "table": ["concat", "insert", "move", "pack", "remove", "sort", "unpack"],
        "math": [
            "abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
            "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed", "sin", "sqrt", "tan",
            "tointeger", "type", "ult",
        ],
        "io": [
            "close", "flush", "input", "lines", "open", "output", "popen", "read", "stderr", "stdin", "stdout",
            "tmpfile", "type", "write",
        ],
        "os": [
            "clock", "date", "difftime", "execute", "exit", "getenv", "remove", "rename", "setlocale", "time",
            "tmpname",
        ],
        "utf8": ["char", "charpattern", "codepoint", "codes", "len", "offset"],
        "coroutine": ["close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield"],
        "debug": [
            "debug", "gethook", "getinfo", "getlocal", "getmetatable", "getregistry", "getupvalue", "getuservalue",
            "sethook", "setcstacklimit", "setlocal", "setmetatable", "setupvalue", "setuservalue", "traceback",
            "upvalueid", "upvaluejoin",
        ],
        "package": ["config", "cpath", "loaded", "loadlib", "path", "preload", "searchers", "searchpath"],
    ]
}
