import CLua
import CLuaShims
import Core

/// Puts every row of `LuaGlobals` in the state. A model row costs one C closure whose only state is its
/// row: what the operation or builder needs (the model's schema, validation) is reached at its first call,
/// so start-up grows by a closure per global, not by the work the global does.
extension Bridge {
    func registerGlobals() {
        var enumTables: [String] = []
        for global in LuaGlobals.all {
            switch (global.kind, global.binding) {
            case (.operation, _): registerBound(global, Self.operationFunction)
            case (.builder, _): registerBound(global, Self.builderFunction)
            case (.enumTable, _): enumTables.append(global.name)
            case (.helper, .function(let function)?): register(global.name, function)
            case (.helper, .table(let install, _, _)?): install(self)
            case (.helper, .prelude?), (.helper, nil): break
            }
        }
        registerEnumTables(enumTables)
    }

    /// Makes `function` the global named by `global`, with the row as its context.
    private func registerBound(_ global: LuaGlobal, _ function: engage_swift_function) {
        let bound = BoundGlobal(bridge: self, global: global)
        boundGlobals.append(bound)
        engage_push_swift_function(state.L, function, Unmanaged.passUnretained(bound).toOpaque())
        lua_setglobal(state.L, global.name)
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
