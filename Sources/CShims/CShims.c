#include "CShims.h"

static int engage_call_swift(lua_State *L) {
    engage_swift_function function = (engage_swift_function)lua_touserdata(L, lua_upvalueindex(1));
    void *context = lua_touserdata(L, lua_upvalueindex(2));
    int results = function(L, context);
    if (results < 0) {
        return lua_error(L);
    }
    return results;
}

void engage_push_swift_function(lua_State *L, engage_swift_function function, void *context) {
    lua_pushlightuserdata(L, (void *)function);
    lua_pushlightuserdata(L, context);
    lua_pushcclosure(L, engage_call_swift, 2);
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
