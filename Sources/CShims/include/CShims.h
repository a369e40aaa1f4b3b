// The few lines of C that Swift cannot express: Lua's function-style macros, and the trampoline that
// raises a Lua error after the Swift function that asked for it has returned.
#ifndef ENGAGE_CSHIMS_H
#define ENGAGE_CSHIMS_H

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

static inline void engage_lua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline int engage_lua_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }

/// A Swift function bound to Lua. It returns the number of results it pushed, or -1 after pushing an error
/// value, which the trampoline then raises with lua_error once the Swift frame is gone.
typedef int (*engage_swift_function)(lua_State *L, void *context);

/// Pushes a Lua C closure that calls `function` with `context` (a pointer the Swift side owns and keeps
/// alive for the life of the state).
void engage_push_swift_function(lua_State *L, engage_swift_function function, void *context);

/// A message handler for lua_pcall: the error as text (through __tostring for error objects) with a traceback.
int engage_traceback_handler(lua_State *L);

#endif
