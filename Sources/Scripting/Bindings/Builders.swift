import CLua
import CLuaShims
import Core

/// Builders, one per request structure, named as in the model: `LeadCustomer{...}` checks field names,
/// types, enum values and formats where it is called and returns the same table, marked with the shape's
/// name so it prints readably. Required members are checked when the request is sent, since a built
/// value may be completed later.
extension Bridge {
    /// The shapes that have builders, as `LuaGlobals` lists them.
    static var builderShapes: [String] { LuaGlobals.of(.builder).map(\.name) }

    /// The function every builder global is: it builds the shape its row names.
    static let builderFunction: engage_swift_function = { L, c in
        BoundGlobal.call(L, c) { bridge, global, L throws(LuaRaise) in try bridge.build(L, global.model ?? global.name) }
    }

    func build(_ L: OpaquePointer, _ shape: String) throws(LuaRaise) -> Int32 {
        try Arguments.table(L, 1, shape)
        // A builder marks the table with its own metatable; a table that has another one (a class, a proxy,
        // a locked one) is refused rather than stripped of its behaviour.
        if lua_getmetatable(L, 1) != 0 {
            LuaValues.pushString(L, "engage_shape")
            let ours = lua_rawget(L, -2) == LUA_TSTRING
            lua_settop(L, 1)
            guard ours else {
                throw Arguments.error(L, 1, shape, "the table already has a metatable; pass a plain table, such as a copy of its fields")
            }
        }
        let value = try Arguments.json(L, 1, shape).fitted(to: shape)
        let issues = ModelValidator.validate(value, as: shape).filter { $0.code != .requiredFieldMissing }
        guard issues.isEmpty else {
            let error = ServiceError(code: "ValidationException", message: issues.map(\.description).joined(separator: "; "), reason: .requestValidationFailed, errorList: issues)
            throw .builder(error, shape: shape, where: callerPosition(L))
        }
        lua_settop(L, 1)
        Self.pushBuiltMetatable(L, shape)
        lua_setmetatable(L, 1)
        return 1
    }

    /// `engage.built.LeadCustomer`: `__name` says what built the table, `__tostring` prints it as a call.
    private static func pushBuiltMetatable(_ L: OpaquePointer, _ shape: String) {
        if luaL_newmetatable(L, "engage.built.\(shape)") != 0 {
            LuaValues.pushString(L, shape)
            lua_setfield(L, -2, "engage_shape")
            engage_push_swift_function(L, { L, _ in
                guard let L else { return 0 }
                var shape = "table"
                if lua_getmetatable(L, 1) != 0 {
                    LuaValues.pushString(L, "engage_shape")
                    lua_rawget(L, -2)
                    shape = LuaValues.string(L, at: -1)
                    lua_settop(L, 1)
                }
                do throws(LuaConversionError) {
                    let value = try LuaValues.read(L, at: 1).fitted(to: shape)
                    LuaValues.pushString(L, shape + LuaLiteral.text(of: value))
                } catch {
                    // Changed since it was built into something no request can carry: say so, not "nil".
                    LuaValues.pushString(L, "\(shape){…} (\(error.message("holds")); it cannot be sent)")
                }
                return 1
            }, nil)
            lua_setfield(L, -2, "__tostring")
        }
    }
}
