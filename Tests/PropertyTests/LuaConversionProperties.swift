import CLua
import CLuaShims
import Core
import OrderedJSON
import PropertyBased
@testable import Scripting
import Testing

/// Lua ⇄ JSON (`Scripting/LuaValues`): JSON reaches Lua and comes back the same; any table a script can
/// make either reads as the JSON it spells or fails naming what and where; and neither direction leaves
/// the Lua stack off by one or the state unusable.
@Suite(.tags(.unit)) struct LuaConversionProperties {
    /// Any JSON value pushed to Lua reads back the same: strings byte for byte (NUL included), integers
    /// apart from floats, `[]` as a list and `{}` as an object, in a state that stays balanced.
    @Test(.replayable) func jsonPushedToLuaReadsBackTheSame() async {
        let lua = SharedLua()
        await propertyCheck(count: Fuzzing.iterations(300), input: generator { JSONGen.value(&$0) }) { value in
            let round = await onLargeStack { lua.pushAndRead(value) }
            #expect(round.pushed, "push refused \(value.serialized())")
            #expect(round.stackBalanced)
            switch round.read {
            case .success(let read): #expect(identical(read, Self.asLuaHoldsIt(value)), "read back as \(read.serialized())")
            case .failure(let error): Issue.record("read refused: \(error.message("cannot read"))")
            case nil: break
            }
        }
    }

    /// A Lua value built by a real chunk — cycles, shared tables, keys of every type, NaN, functions,
    /// coroutines, userdata, metatables, bytes that are not UTF-8 — reads as the JSON an independent
    /// oracle (`LuaOracle`) expects, or fails with one of the problems it holds, at that problem's path;
    /// the stack is where it was, a second read agrees, and the state still runs code.
    @Test(.replayable) func luaValuesReadAsTheirJSONOrSayWhatAndWhere() async {
        let lua = SharedLua()
        let cases = generator { dice -> LuaCase in
            var builder = LuaModelBuilder(dice: dice)
            let model: LuaModel = builder.dice.chance(0.9) ? .table(builder.table(depth: 4)) : builder.value(depth: 0)
            dice = builder.dice
            return LuaCase(model: model, tables: builder.tables, source: builder.source(returning: model))
        }
        await propertyCheck(count: Fuzzing.iterations(300), input: cases) { luaCase in
            var oracle = LuaOracle(tables: luaCase.tables)
            let expected = oracle.expected(luaCase.model)
            let outcome = await onLargeStack { lua.runAndRead(luaCase.source) }
            guard case .ran(let first, let second, let stackBalanced) = outcome else {
                Issue.record("the generated chunk did not run: \(outcome)")
                return
            }
            #expect(stackBalanced, "reading moved the Lua stack")
            switch first {
            case .success(let value):
                #expect(oracle.problems.isEmpty, "read as \(value.serialized()) though it holds \(oracle.problems)")
                if oracle.problems.isEmpty { #expect(identical(value, expected), "read as \(value.serialized()), expected \(expected.serialized())") }
                let again = await onLargeStack { lua.pushAndRead(value) }
                if case .success(let back)? = again.read {
                    #expect(identical(back, Self.asLuaHoldsIt(value)), "not stable through Lua: \(back.serialized())")
                }
            case .failure(let error):
                #expect(oracle.problems.contains { $0.matches(what: error.what, path: error.path) },
                        "\(error.message("cannot read")); expected one of \(oracle.problems)")
            }
            #expect(Self.sameOutcome(first, second), "a second read of the same value differs")
            #expect(lua.stillWorks(), "the state no longer runs code")
        }
    }

    /// Tables nested to 512 levels read; one level more is an error naming the limit, whatever the mix of
    /// lists and named fields, never a crash. Values pushed from Swift at any depth either arrive or are
    /// refused with the stack as it was.
    @Test(.replayable) func nestingIsBoundedBothWays() async {
        let lua = SharedLua()
        let shapes = generator { dice in (0..<dice.int(1...1500)).map { _ in dice.chance(0.5) } }
        await propertyCheck(count: Fuzzing.iterations(40), input: shapes) { levels in
            // Built, read and freed on the large stack (freeing 1500 nested values recurses too); only the
            // verdict comes back.
            let verdict = await onLargeStack { () -> NestingVerdict in
                var value = JSONValue.integer(1)
                for isList in levels.reversed() { value = isList ? .array([value]) : .object(["k": value]) }
                let round = lua.pushAndRead(value)
                switch round.read {
                case .success(let read): return NestingVerdict(round: round, readBack: identical(read, value), refusal: nil)
                case .failure(let error): return NestingVerdict(round: round, readBack: false, refusal: error.what)
                case nil: return NestingVerdict(round: round, readBack: false, refusal: nil)
                }
            }
            #expect(verdict.stackBalanced)
            if verdict.pushed, let refusal = verdict.refusal {
                #expect(levels.count > 512, "\(refusal)")
                #expect(refusal == "tables nested deeper than 512 levels")
            } else if verdict.pushed {
                #expect(levels.count <= 512, "read \(levels.count) levels")
                #expect(verdict.readBack)
            }
            #expect(lua.stillWorks())
        }
    }

    /// A request written as a Lua table literal — members in any order, `{}` for an empty list, since
    /// Lua cannot say which it means — reads back as the request once fitted to its shape.
    @Test(.replayable) func modelValuesWrittenInLuaReadBackOnceFitted() async {
        let lua = SharedLua()
        let shapes = ["CreateEngagementRequest", "ListEngagementsRequest", "CreateEngagementContextRequest", "UpdateEngagementContextRequest", "LeadContext"]
        let requests = generator { dice -> LuaRequest in
            let shape = dice.pick(shapes)
            let value = ModelValues.value(of: shape, &dice)
            return LuaRequest(shape: shape, value: value, source: "return " + Self.luaLiteral(value, &dice))
        }
        await propertyCheck(count: Fuzzing.iterations(200), input: requests) { request in
            let outcome = await onLargeStack { lua.runAndRead(request.source) }
            guard case .ran(.success(let read), _, let stackBalanced) = outcome else {
                Issue.record("\(outcome)")
                return
            }
            #expect(stackBalanced)
            let fitted = read.fitted(to: request.shape)
            #expect(identical(fitted, request.value), "fitted as \(fitted.serialized())")
        }
    }

    /// A string as the REPL prints it (`LuaLiteral.string`) is Lua source for the same bytes, whatever they
    /// are: controls before digits, quotes, backslashes, NUL, bytes that are not UTF-8, whole characters.
    @Test(.replayable) func printedStringsReadBackAsTheSameBytes() async {
        let lua = SharedLua()
        let strings = generator { dice -> [UInt8] in
            var builder = LuaModelBuilder(dice: dice)
            var bytes: [UInt8] = []
            for _ in 0..<builder.dice.int(0...4) { bytes += builder.dice.chance(0.3) ? Array(JSONBytes.digits(&builder.dice, 2).utf8) : builder.string() }
            dice = builder.dice
            return bytes
        }
        await propertyCheck(count: Fuzzing.iterations(300), input: strings) { bytes in
            let literal = LuaLiteral.string(bytes)
            let read = await onLargeStack { lua.runAndReadBytes("return " + literal) }
            #expect(read == bytes, "\(literal) read back as \(read.map { "\($0)" } ?? "an error")")
        }
    }

    /// What a value becomes in Lua and back: members that are null are left out (nil cannot be stored),
    /// and members come back sorted, since a Lua table has no order.
    static func asLuaHoldsIt(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements): return .array(elements.map(asLuaHoldsIt))
        case .object(let members):
            let kept = members.filter { $0.value != .null }.map { ($0.key, asLuaHoldsIt($0.value)) }.sorted { $0.0 < $1.0 }
            return .object(JSONValue.Members(uniqueKeysWithValues: kept))
        default: return value
        }
    }

    /// A Lua table constructor for a value, its members shuffled, every empty list written `{}`.
    static func luaLiteral(_ value: JSONValue, _ dice: inout Dice) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return number == .min ? "math.mininteger" : "(\(number))"
        case .number(let number): return LuaModelBuilder.float(number)
        case .string(let text): return LuaModelBuilder.literal(Array(text.utf8))
        case .array(let elements): return "{" + elements.map { luaLiteral($0, &dice) }.joined(separator: ", ") + "}"
        case .object(let members):
            let written = members.map { "[\(LuaModelBuilder.literal(Array($0.key.utf8)))] = \(luaLiteral($0.value, &dice))" }
            return "{" + written.shuffled(using: &dice).joined(separator: ", ") + "}"
        }
    }

    static func sameOutcome(_ a: Result<JSONValue, LuaConversionError>, _ b: Result<JSONValue, LuaConversionError>) -> Bool {
        switch (a, b) {
        case let (.success(x), .success(y)): identical(x, y)
        case let (.failure(x), .failure(y)): x.message("") == y.message("")
        default: false
        }
    }
}

/// What pushing and reading a nested value came to, without the value.
struct NestingVerdict: Sendable {
    let pushed: Bool
    let stackBalanced: Bool
    let readBack: Bool
    let refusal: String?

    init(round: SharedLua.RoundTrip, readBack: Bool, refusal: String?) {
        pushed = round.pushed
        stackBalanced = round.stackBalanced
        self.readBack = readBack
        self.refusal = refusal
    }
}

struct LuaCase: Sendable, CustomStringConvertible {
    let model: LuaModel
    let tables: [Int: LuaTable]
    let source: String
    var description: String { "\n" + source }
}

struct LuaRequest: Sendable, CustomStringConvertible {
    let shape: String
    let value: JSONValue
    let source: String
    var description: String { "\(shape): \(source)" }
}

/// One Lua state for all the iterations of a property, so damage one case leaves shows in the next; used
/// from one thread at a time. `null` is json.null, as the engage globals define it.
final class SharedLua: @unchecked Sendable {
    let state = LuaState()

    init() {
        lua_pushlightuserdata(state.L, nil)
        lua_setglobal(state.L, "null")
    }

    struct RoundTrip: @unchecked Sendable {
        var pushed = false
        var stackBalanced = false
        var read: Result<JSONValue, LuaConversionError>?
    }

    /// Pushes `value`, reads it back, pops it; the stack must be where it was after each step.
    func pushAndRead(_ value: JSONValue) -> RoundTrip {
        let L = state.L
        let top = lua_gettop(L)
        var round = RoundTrip()
        do {
            try LuaValues.push(L, value)
            round.pushed = true
        } catch .onStack {
            lua_settop(L, top)  // the error object is on the stack
        } catch {
        }
        guard round.pushed else {
            round.stackBalanced = lua_gettop(L) == top
            return round
        }
        let pushedTop = lua_gettop(L)
        round.read = Result { () throws(LuaConversionError) in try LuaValues.read(L, at: -1) }
        round.stackBalanced = pushedTop == top + 1 && lua_gettop(L) == pushedTop
        lua_settop(L, top)
        return round
    }

    enum Outcome: @unchecked Sendable, CustomStringConvertible {
        case failedToRun(String)
        case ran(Result<JSONValue, LuaConversionError>, Result<JSONValue, LuaConversionError>, stackBalanced: Bool)

        var description: String {
            switch self {
            case .failedToRun(let message): "the chunk failed: \(message)"
            case .ran(let first, _, _): "read \((try? first.get())?.serialized() ?? "an error")"
            }
        }
    }

    /// Runs a chunk that returns one value and reads that value twice.
    func runAndRead(_ source: String) -> Outcome {
        let L = state.L
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard run(source) else { return .failedToRun(LuaValues.string(L, at: -1)) }
        let first = Result { () throws(LuaConversionError) in try LuaValues.read(L, at: -1) }
        let second = Result { () throws(LuaConversionError) in try LuaValues.read(L, at: lua_gettop(L)) }
        return .ran(first, second, stackBalanced: lua_gettop(L) == top + 1)
    }

    /// Runs a chunk that returns a string and gives its bytes; nil when it failed or returned something else.
    func runAndReadBytes(_ source: String) -> [UInt8]? {
        let L = state.L
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard run(source), lua_type(L, -1) == LUA_TSTRING else { return nil }
        return LuaValues.withBytes(L, at: -1) { Array($0) }
    }

    /// Loads and runs a chunk, leaving its one result (or its error) on the stack.
    private func run(_ source: String) -> Bool {
        let L = state.L
        let bytes = Array(source.utf8)
        let loaded = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, "=fuzz", "t") }
        }
        return loaded == LUA_OK && engage_lua_pcall(L, 0, 1, 0) == LUA_OK
    }

    /// Whether the state still runs code and its stack is empty between cases.
    func stillWorks() -> Bool {
        lua_gettop(state.L) == 0 && state.run("local t = {} for i = 1, 10 do t[i] = i end return #t", name: "=check") == .returned([10])
    }
}
