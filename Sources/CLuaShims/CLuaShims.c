#include "CLuaShims.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/// The bound Swift functions of one state. The header never moves once made (coroutines copy the main
/// thread's extra space, so they share this pointer); only `entries` is reallocated.
typedef struct engage_bindings {
    size_t count;
    size_t capacity;
    struct engage_binding {
        engage_swift_function function;
        void *context;
    } *entries;
} engage_bindings;

/// Registry key (by address) of the weak-keyed set of tables made from JSON arrays.
static const char engage_lists_key = 0;

/// What a state's allocator holds and may hold (0: no limit).
typedef struct engage_memory {
    size_t used;
    size_t limit;
} engage_memory;

static void *engage_allocate(void *userdata, void *block, size_t oldSize, size_t newSize) {
    engage_memory *memory = userdata;
    size_t held = block == NULL ? 0 : oldSize;
    if (newSize == 0) {
        free(block);
        memory->used -= held;
        return NULL;
    }
    if (memory->limit != 0 && newSize > held && memory->used - held + newSize > memory->limit) return NULL;
    void *grown = realloc(block, newSize);
    if (grown != NULL) memory->used = memory->used - held + newSize;
    return grown;
}

lua_State *engage_new_state(void) {
    engage_memory *memory = calloc(1, sizeof *memory);
    if (memory == NULL) return NULL;
    // luaL_newstate's state keeps its panic and warning functions; its allocator is then ours, which
    // frees with the same free() and starts from what Lua counts as allocated.
    lua_State *L = luaL_newstate();
    if (L == NULL) {
        free(memory);
        return NULL;
    }
    memory->used = (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
    lua_setallocf(L, engage_allocate, memory);
    return L;
}

size_t engage_set_memory_limit(lua_State *L, size_t limit) {
    void *userdata = NULL;
    lua_getallocf(L, &userdata);
    engage_memory *memory = userdata;
    memory->limit = limit;
    return memory->used;
}

static engage_bindings *engage_state_bindings(lua_State *L) {
    return *(engage_bindings **)lua_getextraspace(L);
}

static int engage_json_null_tostring(lua_State *L) {
    lua_pushliteral(L, "json.null");
    return 1;
}

static int engage_open(lua_State *L) {
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &engage_lists_key);
    // Light userdata share one metatable; the only one Lua code sees is json.null, so it prints as such.
    lua_pushlightuserdata(L, NULL);
    lua_createtable(L, 0, 2);
    lua_pushliteral(L, "json.null");
    lua_setfield(L, -2, "__name");
    lua_pushcfunction(L, engage_json_null_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setmetatable(L, -2);
    lua_pop(L, 1);
    return 0;
}

int engage_open_state(lua_State *L) {
    engage_bindings *bindings = calloc(1, sizeof *bindings);
    if (bindings == NULL) return 0;
    *(engage_bindings **)lua_getextraspace(L) = bindings;
    lua_pushcfunction(L, engage_open);
    return lua_pcall(L, 0, 0, 0) == LUA_OK;
}

void engage_close_state(lua_State *L) {
    engage_bindings *bindings = engage_state_bindings(L);
    void *memory = NULL;
    lua_getallocf(L, &memory);
    // Finalizers that run while closing may still call bound functions.
    lua_close(L);
    if (bindings != NULL) free(bindings->entries);
    free(bindings);
    free(memory);
}

static int engage_call_swift(lua_State *L) {
    engage_bindings *bindings = engage_state_bindings(L);
    int isNumber = 0;
    lua_Integer number = lua_tointegerx(L, lua_upvalueindex(1), &isNumber);
    if (!isNumber || lua_type(L, lua_upvalueindex(1)) != LUA_TNUMBER || bindings == NULL || number < 0 || (lua_Unsigned)number >= bindings->count) {
        return luaL_error(L, "this engage function no longer knows what to call: its upvalue was replaced (debug.setupvalue)");
    }
    struct engage_binding binding = bindings->entries[number];
    int results = binding.function(L, binding.context);
    if (results < 0) {
        return lua_error(L);
    }
    return results;
}

void engage_push_swift_function(lua_State *L, engage_swift_function function, void *context) {
    engage_bindings *bindings = engage_state_bindings(L);
    if (bindings->count == bindings->capacity) {
        size_t capacity = bindings->capacity == 0 ? 64 : bindings->capacity * 2;
        struct engage_binding *entries = realloc(bindings->entries, capacity * sizeof *entries);
        if (entries == NULL) {
            lua_pushnil(L);
            return;
        }
        bindings->entries = entries;
        bindings->capacity = capacity;
    }
    bindings->entries[bindings->count].function = function;
    bindings->entries[bindings->count].context = context;
    lua_pushinteger(L, (lua_Integer)bindings->count);
    bindings->count += 1;
    lua_pushcclosure(L, engage_call_swift, 1);
}

int engage_traceback_handler(lua_State *L) {
    // As lua.c's msghandler: an error object with __tostring is printed through it; the traceback follows.
    const char *message = lua_tostring(L, 1);
    if (message == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) {
            message = lua_tostring(L, -1);
        } else {
            message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        }
    }
    luaL_traceback(L, L, message, 1);
    return 1;
}

typedef struct engage_value_tape {
    const engage_value_op *ops;
    size_t count;
    const char *bytes;
} engage_value_tape;

/// Pushes the value at `at` and returns the index of the entry after it. Runs under lua_pcall, so its
/// errors (no stack, no memory) end there.
static size_t engage_build(lua_State *L, const engage_value_tape *tape, size_t at, int depth) {
    // A container holds its table, a key and a value, and marking a list takes three more slots.
    if (!lua_checkstack(L, 6)) {
        luaL_where(L, 2);
        lua_pushfstring(L, "%sstack overflow (no room on the Lua stack for a value nested %d deep)", lua_tostring(L, -1), depth);
        lua_error(L);
    }
    const engage_value_op *op = &tape->ops[at];
    switch (op->kind) {
    case ENGAGE_VALUE_NIL: lua_pushnil(L); return at + 1;
    case ENGAGE_VALUE_NULL: lua_pushlightuserdata(L, NULL); return at + 1;
    case ENGAGE_VALUE_FALSE: lua_pushboolean(L, 0); return at + 1;
    case ENGAGE_VALUE_TRUE: lua_pushboolean(L, 1); return at + 1;
    case ENGAGE_VALUE_INTEGER: lua_pushinteger(L, (lua_Integer)op->integer); return at + 1;
    case ENGAGE_VALUE_NUMBER: lua_pushnumber(L, (lua_Number)op->number); return at + 1;
    case ENGAGE_VALUE_STRING: lua_pushlstring(L, tape->bytes + op->offset, op->count); return at + 1;
    case ENGAGE_VALUE_LIST: {
        lua_createtable(L, op->count > INT_MAX ? INT_MAX : (int)op->count, 0);
        size_t next = at + 1;
        for (size_t element = 1; element <= op->count; element++) {
            next = engage_build(L, tape, next, depth + 1);
            lua_rawseti(L, -2, (lua_Integer)element);
        }
        lua_rawgetp(L, LUA_REGISTRYINDEX, &engage_lists_key);
        lua_pushvalue(L, -2);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        return next;
    }
    case ENGAGE_VALUE_OBJECT: {
        lua_createtable(L, 0, op->count > INT_MAX ? INT_MAX : (int)op->count);
        size_t next = at + 1;
        for (size_t member = 0; member < op->count; member++) {
            next = engage_build(L, tape, next, depth + 1);
            next = engage_build(L, tape, next, depth + 1);
            lua_rawset(L, -3);
        }
        return next;
    }
    }
    return luaL_error(L, "engage: unknown value kind %d in a value tape", (int)op->kind);
}

static int engage_build_value(lua_State *L) {
    const engage_value_tape *tape = lua_touserdata(L, 1);
    if (tape->count == 0) {
        lua_pushnil(L);
    } else {
        engage_build(L, tape, 0, 1);
    }
    return 1;
}

int engage_push_value(lua_State *L, const engage_value_op *ops, size_t count, const char *bytes) {
    engage_value_tape tape = { ops, count, bytes };
    if (!lua_checkstack(L, 2)) return ENGAGE_NO_STACK;
    lua_pushcfunction(L, engage_build_value);
    lua_pushlightuserdata(L, &tape);
    return lua_pcall(L, 1, 1, 0);
}

int engage_is_list(lua_State *L, int index) {
    index = lua_absindex(L, index);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &engage_lists_key);
    lua_pushvalue(L, index);
    int marked = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return marked;
}
