/// The globals that are simplest written in Lua itself; loaded into every state after the Swift bindings.
enum Prelude {
    static let source = #"""
    -- log(...): the values as tostring shows them, separated by spaces, on standard error.
    function log(...)
      local parts = {}
      for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
      io.stderr:write(table.concat(parts, " "), "\n")
    end
    """#
}
