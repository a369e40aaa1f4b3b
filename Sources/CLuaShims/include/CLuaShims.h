// The few lines of C that Swift cannot express: Lua's function-style macros, the trampoline that raises a
// Lua error after the Swift function that asked for it has returned, and the builder that pushes JSON
// values under a protected call, so no Lua error (out of memory, out of stack) unwinds Swift frames.
// RunningChunks.h, included below, has a running chunk's Ctrl-C. Lua and POSIX only: libedit's helpers
// are CEditLineShims, so what links this does not link libedit.
#ifndef ENGAGE_CLUASHIMS_H
#define ENGAGE_CLUASHIMS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "RunningChunks.h"

static inline void engage_lua_pop(lua_State *L, int n) { lua_pop(L, n); }
/// Writes to C's stdout, the stream Lua's print uses, so help text and print output stay in order.
static inline void engage_write_stdout(const char *text) { fputs(text, stdout); fflush(stdout); }
/// LUA_REGISTRYINDEX, which is an expression Swift does not import.
static inline int engage_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline int engage_lua_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }

/// A new Lua state whose allocator counts the bytes it holds and refuses to go past a limit (none at first,
/// see engage_set_memory_limit); NULL when not even the state fits.
lua_State *engage_new_state(void);

/// Makes allocations that would take the state past `limit` bytes fail (Lua then raises "not enough
/// memory"); 0 removes the limit. Returns the bytes the state holds now.
size_t engage_set_memory_limit(lua_State *L, size_t limit);

/// Prepares a new state for engage: the table of bound Swift functions (kept in lua_getextraspace, out of
/// Lua's reach), the weak set that marks tables made from JSON arrays, and json.null's metatable.
/// Returns 0 when memory ran out.
int engage_open_state(lua_State *L);

/// Closes a state opened with engage_open_state and frees its table of bound functions.
void engage_close_state(lua_State *L);

/// A Swift function bound to Lua. It returns the number of results it pushed, or -1 after pushing an error
/// value, which the trampoline then raises with lua_error once the Swift frame is gone.
typedef int (*engage_swift_function)(lua_State *L, void *context);

/// Pushes a Lua C closure that calls `function` with `context` (a pointer the Swift side owns and keeps
/// alive for the life of the state). The pointers stay in the state's table of bound functions; the
/// closure's only upvalue is the function's number there, checked on every call, so Lua code that
/// replaces it (debug.setupvalue) gets an error, never a call through a pointer it chose. Pushes nil when
/// the table cannot grow (no memory).
void engage_push_swift_function(lua_State *L, engage_swift_function function, void *context);

/// A message handler for lua_pcall: the error as text (through __tostring for error objects) with a traceback.
int engage_traceback_handler(lua_State *L);

/// What one entry of a value tape pushes.
typedef enum engage_value_kind {
    ENGAGE_VALUE_NIL,
    /// json.null: the light userdata NULL.
    ENGAGE_VALUE_NULL,
    ENGAGE_VALUE_FALSE,
    ENGAGE_VALUE_TRUE,
    ENGAGE_VALUE_INTEGER,
    ENGAGE_VALUE_NUMBER,
    /// `count` bytes at `offset` in the tape's byte buffer.
    ENGAGE_VALUE_STRING,
    /// A table of `count` elements, the next `count` values; marked as a list in the registry's weak set.
    ENGAGE_VALUE_LIST,
    /// A table of `count` members: the next `count` pairs of a string key and a value.
    ENGAGE_VALUE_OBJECT,
} engage_value_kind;

/// One entry of a value tape: a value written in prefix order, containers before their contents.
typedef struct engage_value_op {
    engage_value_kind kind;
    int64_t integer;
    double number;
    size_t offset;
    size_t count;
} engage_value_op;

/// engage_push_value's status when the stack has no room even to start the protected call.
#define ENGAGE_NO_STACK (-1)

/// Pushes the value the tape describes, built under lua_pcall. Returns LUA_OK with the value pushed, an
/// error status with the error object pushed ("stack overflow …", "not enough memory"), or ENGAGE_NO_STACK
/// with nothing pushed.
int engage_push_value(lua_State *L, const engage_value_op *ops, size_t count, const char *bytes);

/// Whether the table at `index` was made from a JSON array (so an empty one is written back as `[]`).
/// Uses two stack slots; raises no errors.
int engage_is_list(lua_State *L, int index);

#endif
