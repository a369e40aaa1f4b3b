import CLua
import CLuaShims
import Core

/// Puts the rows of `LuaGlobals` in the state. The helpers are set at once (a dozen closures). The model's
/// rows (operations, builders, enum tables) are made when a script first reads one: the globals table gets a
/// metatable whose `__index` makes the global, stores it there with a raw set and returns it, so a state
/// starts with one metatable however many operations and shapes the model has, and a global read again is a
/// plain table read. Its `__newindex` notes an assignment to a model global not read yet, so that
/// `create_context = nil` hides it as it would hide a global set at start.
extension Bridge {
    func registerGlobals() {
        for global in LuaGlobals.of(.helper) {
            switch global.binding {
            case .function(let function)?: register(global.name, function)
            case .table(let install, _, _)?: install(self)
            case .prelude?, nil: break
            }
        }
        let L = state.L
        lua_rawgeti(L, engage_registry_index(), lua_Integer(LUA_RIDX_GLOBALS))
        lua_createtable(L, 0, 1)
        engage_push_swift_function(L, { L, c in Bridge.call(L, c) { bridge, L throws(LuaRaise) in bridge.makeModelGlobal(L) } }, context)
        lua_setfield(L, -2, "__index")
        engage_push_swift_function(L, { L, c in Bridge.call(L, c) { bridge, L throws(LuaRaise) in try bridge.assignGlobal(L) } }, context)
        lua_setfield(L, -2, "__newindex")
        lua_setmetatable(L, -2)
        engage_lua_pop(L, 1)
    }

    /// `__index(globals, name)`: the model's global called `name`, made and stored on its first read; nil for
    /// any other name, and for one the script has since set to nil (it is made once). [-0, +1, –]
    private func makeModelGlobal(_ L: OpaquePointer) -> Int32 {
        guard lua_type(L, 2) == LUA_TSTRING, case .success(let name) = LuaValues.text(L, at: 2),
            let global = LuaGlobals.modelRow(named: name), madeGlobals.insert(name).inserted
        else {
            lua_pushnil(L)
            return 1
        }
        switch global.kind {
        case .operation: pushBound(global, Self.operationFunction)
        case .builder: pushBound(global, Self.builderFunction)
        case .enumTable, .helper: pushEnumTable(global.name)
        }
        lua_pushvalue(L, 2)
        lua_pushvalue(L, -2)
        lua_rawset(L, 1)
        return 1
    }

    /// `__newindex(globals, name, value)`: a global the table lacks is set; a model global's name is noted as
    /// made, so a later read does not make it again. [-0, +0, –]
    private func assignGlobal(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        // What a raw set refuses is refused here with Lua's own words, before the set could raise through Swift.
        if lua_type(L, 2) == LUA_TNIL { throw .message("\(callerPosition(L))index is nil") }
        if lua_type(L, 2) == LUA_TNUMBER, lua_isinteger(L, 2) == 0, lua_tonumberx(L, 2, nil).isNaN { throw .message("\(callerPosition(L))index is NaN") }
        if lua_type(L, 2) == LUA_TSTRING, case .success(let name) = LuaValues.text(L, at: 2), LuaGlobals.modelRow(named: name) != nil {
            madeGlobals.insert(name)
        }
        lua_settop(L, 3)
        lua_rawset(L, 1)
        return 0
    }

    /// Pushes a C closure for `function` with the row as its context. [-0, +1, –]
    private func pushBound(_ global: LuaGlobal, _ function: engage_swift_function) {
        let bound = BoundGlobal(bridge: self, global: global)
        boundGlobals.append(bound)
        engage_push_swift_function(state.L, function, Unmanaged.passUnretained(bound).toOpaque())
    }
}

/// The context of a model row's function: the bridge and the row, so one Swift function serves every
/// operation (or every builder). The bridge keeps these as long as the state.
final class BoundGlobal {
    unowned let bridge: Bridge
    let global: LuaGlobal

    init(bridge: Bridge, global: LuaGlobal) {
        self.bridge = bridge
        self.global = global
    }

    /// `Bridge.call` for a function whose context is a `BoundGlobal`.
    static func call(_ L: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ body: (Bridge, LuaGlobal, OpaquePointer) throws(LuaRaise) -> Int32) -> Int32 {
        guard let context else { return 0 }
        let bound = Unmanaged<BoundGlobal>.fromOpaque(context).takeUnretainedValue()
        return Bridge.call(L, bound.bridge.context) { bridge, L throws(LuaRaise) in try body(bridge, bound.global, L) }
    }
}
