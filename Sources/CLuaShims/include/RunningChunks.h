// The Ctrl-C handling lua.c does for a running chunk (a signal handler that stops it through a Lua hook,
// and wakes a sleeping one) and lua.c's message handler: Lua and POSIX only, so Scripting has them
// without linking libedit.
#ifndef ENGAGE_RUNNING_CHUNKS_H
#define ENGAGE_RUNNING_CHUNKS_H

#include <lua.h>

/// While armed, SIGINT stops the chunk running in `L` with the error "interrupted!" (lua.c's laction:
/// the handler only sets a hook, which raises at the next Lua instruction). Disarming restores the
/// previous SIGINT handling.
void engage_interrupt_arm(lua_State *L);
void engage_interrupt_disarm(void);

/// Waits `milliseconds`; returns 1 early when SIGINT stopped the chunk that sleeps (the armed REPL), else
/// 0. `sleep(ms)` in Lua.
int engage_sleep(double milliseconds);

/// lua.c's message handler without the traceback, for lua_pcall: a string or number error is its text; a
/// value with __tostring is what that returns; anything else "(error object is a T value)". [-0, +1, e]
int engage_error_message(lua_State *L);

#endif
