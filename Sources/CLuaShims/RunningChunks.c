#include "RunningChunks.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <lauxlib.h>

// A chunk running at the REPL: Ctrl-C stops it as lua.c does (a hook set from the signal handler) and
// wakes a sleep() in it; and lua.c's message handler for its errors.

static lua_State *volatile running_state = NULL;
static volatile sig_atomic_t running_interrupted = 0;
static struct sigaction interrupt_previous;
/// The handler writes a byte here, which a sleeping chunk waits on: the signal may go to any thread.
static int wake_pipe[2] = {-1, -1};

static void stop_with_error(lua_State *L, lua_Debug *debug) {
    (void)debug;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

static void on_interrupt_while_running(int signal_number) {
    (void)signal_number;
    lua_State *L = running_state;
    running_interrupted = 1;
    // lua_sethook is the one Lua call that is safe in a signal handler (lua.c's laction does the same).
    if (L) lua_sethook(L, stop_with_error, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    int saved = errno;
    if (wake_pipe[1] >= 0) (void)!write(wake_pipe[1], "", 1);
    errno = saved;
}

void engage_interrupt_arm(lua_State *L) {
    if (wake_pipe[0] < 0 && pipe(wake_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    char drained[16];
    if (wake_pipe[0] >= 0) while (read(wake_pipe[0], drained, sizeof drained) > 0) {}
    running_interrupted = 0;
    running_state = L;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt_while_running;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &interrupt_previous);
}

void engage_interrupt_disarm(void) {
    sigaction(SIGINT, &interrupt_previous, NULL);
    running_state = NULL;
}

int engage_sleep(double milliseconds) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long long wanted = (long long)(milliseconds * 1e6);
    for (;;) {
        if (running_state && running_interrupted) return 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long left = wanted - ((long long)(now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec));
        if (left <= 0) return 0;
        // Whole milliseconds, rounded up: never shorter than asked. Only a REPL's chunk has the pipe
        // armed; elsewhere this is a plain timed wait.
        long long timeout = left / 1000000 + (left % 1000000 != 0);
        struct pollfd waiting = {running_state ? wake_pipe[0] : -1, POLLIN, 0};
        poll(&waiting, 1, timeout > INT_MAX ? INT_MAX : (int)timeout);
    }
}

int engage_error_message(lua_State *L) {
    // lua.c's msghandler, less the traceback: a string (or a number, which lua_tostring turns into one)
    // is the message; another value says what it is through __tostring, or by its type.
    if (lua_tostring(L, 1) != NULL) return 1;
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}
