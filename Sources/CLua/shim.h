// The Lua 5.4 C API as installed by Debian's liblua5.4-dev (headers in /usr/include/lua5.4,
// found through pkg-config lua5.4).
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
