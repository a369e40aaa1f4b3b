#include "LineEditing.h"

#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <limits.h>
#include <poll.h>
#include <wchar.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lauxlib.h>

struct engage_editor {
    EditLine *el;
    History *history;
    HistEvent event;
    char *history_path;
    const char *prompt;
    engage_complete_function complete;
    void *context;
    /// Where the cursor was and how long the line was at the last TAB: a TAB with both unchanged is the
    /// second in a row, which lists the candidates.
    long last_cursor;
    long last_length;
    char *line;
};

static char *prompt_of(EditLine *el) {
    engage_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    return editor && editor->prompt ? (char *)editor->prompt : "> ";
}

/// TAB: hands the text before the cursor to the REPL's completion.
static unsigned char complete_command(EditLine *el, int ch) {
    (void)ch;
    engage_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    if (!editor || !editor->complete) return CC_ERROR;
    const LineInfo *info = el_line(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    char *before = malloc(length + 1);
    if (!before) return CC_ERROR;
    memcpy(before, info->buffer, length);
    before[length] = '\0';
    int repeated = editor->last_cursor == (long)length && editor->last_length == (long)(info->lastchar - info->buffer);
    int changed = editor->complete(editor, before, repeated, editor->context);
    free(before);
    info = el_line(el);
    editor->last_cursor = (long)(info->cursor - info->buffer);
    editor->last_length = (long)(info->lastchar - info->buffer);
    return changed ? CC_REDISPLAY : CC_REFRESH_BEEP;
}

static volatile sig_atomic_t reading_interrupted = 0;
/// The signal handler writes a byte here: SIGINT may be delivered to any thread, so the reader cannot count
/// on its own read() being interrupted, and waits on this pipe and the terminal together.
static int interrupt_pipe[2] = {-1, -1};

/// libedit's own reader retries a read that a signal interrupted, so Ctrl-C would only take effect at the
/// next key. This one gives up at once, and decodes UTF-8 by the locale as libedit's does.
static int read_character(EditLine *el, wchar_t *character) {
    (void)el;
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (;;) {
        if (reading_interrupted) { *character = L'\0'; return -1; }
        struct pollfd waiting[2] = {{STDIN_FILENO, POLLIN, 0}, {interrupt_pipe[0], POLLIN, 0}};
        if (poll(waiting, interrupt_pipe[0] >= 0 ? 2 : 1, -1) == -1) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (waiting[1].revents & POLLIN) {
            char drained[16];
            while (read(interrupt_pipe[0], drained, sizeof drained) > 0) {}
            continue;
        }
        ssize_t got = read(STDIN_FILENO, bytes + count, 1);
        if (got == -1 && errno == EINTR) continue;
        if (got <= 0) { *character = L'\0'; return got == 0 ? 0 : -1; }
        count += 1;
        // Decode the bytes so far from a fresh state each time: a state that saw an incomplete sequence
        // would take the same bytes twice.
        memset(&state, 0, sizeof state);
        size_t decoded = mbrtowc(character, bytes, count, &state);
        if (decoded == (size_t)-2 && count < sizeof bytes) continue;
        if (decoded == (size_t)-1 || decoded == (size_t)-2) {
            // Not a character in this locale: hand the first byte on as it is, as libedit does.
            *character = (wchar_t)(unsigned char)bytes[0];
            return 1;
        }
        return 1;
    }
}

engage_editor *engage_editor_open(const char *program, const char *history_path, int history_size,
                                  engage_complete_function complete, void *context) {
    engage_editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->el = el_init(program, stdin, stdout, stderr);
    if (!editor->el) { free(editor); return NULL; }
    editor->complete = complete;
    if (interrupt_pipe[0] < 0 && pipe(interrupt_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(interrupt_pipe[i], F_SETFL, fcntl(interrupt_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(interrupt_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    editor->context = context;
    editor->history = history_init();
    history(editor->history, &editor->event, H_SETSIZE, history_size);
    history(editor->history, &editor->event, H_SETUNIQUE, 1);
    if (history_path) {
        editor->history_path = strdup(history_path);
        history(editor->history, &editor->event, H_LOAD, history_path);
    }
    el_set(editor->el, EL_CLIENTDATA, editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_SIGNAL, 0);
    el_set(editor->el, EL_GETCFN, read_character);
    el_set(editor->el, EL_PROMPT, prompt_of);
    el_set(editor->el, EL_HIST, history, editor->history);
    el_set(editor->el, EL_ADDFN, "engage-complete", "Complete Lua, engage's globals and the service model", complete_command);
    el_set(editor->el, EL_BIND, "^I", "engage-complete", NULL);
    // The user's ~/.editrc (or $EDITRC) comes last, so it can change any of the above.
    el_source(editor->el, NULL);
    return editor;
}

static void on_interrupt_while_reading(int signal_number) {
    (void)signal_number;
    int saved = errno;
    reading_interrupted = 1;
    if (interrupt_pipe[1] >= 0) (void)!write(interrupt_pipe[1], "", 1);
    errno = saved;
}

const char *engage_editor_read(engage_editor *editor, const char *prompt, int *interrupted) {
    *interrupted = 0;
    editor->prompt = prompt;
    editor->last_cursor = -1;
    editor->last_length = -1;
    // No SA_RESTART: Ctrl-C makes libedit's read fail with EINTR, which ends el_gets with the line discarded.
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt_while_reading;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous);
    reading_interrupted = 0;
    int count = 0;
    const char *line = el_gets(editor->el, &count);
    int was_interrupted = reading_interrupted || (line == NULL && count == -1 && errno == EINTR);
    sigaction(SIGINT, &previous, NULL);
    if (was_interrupted) {
        el_reset(editor->el);
        fputs("^C\n", stdout);
        fflush(stdout);
        *interrupted = 1;
        return NULL;
    }
    if (line == NULL || count <= 0) return NULL;
    free(editor->line);
    editor->line = strdup(line);
    size_t length = strlen(editor->line);
    while (length > 0 && (editor->line[length - 1] == '\n' || editor->line[length - 1] == '\r')) editor->line[--length] = '\0';
    return editor->line;
}

void engage_editor_replace(engage_editor *editor, int delete_characters, const char *text) {
    if (delete_characters > 0) el_deletestr(editor->el, delete_characters);
    if (text && *text) el_insertstr(editor->el, text);
}

void engage_editor_list(engage_editor *editor, const char *text) {
    (void)editor;
    fputs("\n", stdout);
    fputs(text, stdout);
    fflush(stdout);
}

void engage_editor_remember(engage_editor *editor, const char *entry) {
    history(editor->history, &editor->event, H_ENTER, entry);
    if (!editor->history_path) return;
    // Created private before libedit writes to it: history may hold ids and customer names.
    int descriptor = open(editor->history_path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (descriptor >= 0) close(descriptor);
    history(editor->history, &editor->event, H_SAVE, editor->history_path);
    chmod(editor->history_path, 0600);
}

int engage_editor_columns(engage_editor *editor) {
    (void)editor;
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

void engage_editor_close(engage_editor *editor) {
    if (!editor) return;
    history_end(editor->history);
    el_end(editor->el);
    free(editor->history_path);
    free(editor->line);
    free(editor);
}

static lua_State *volatile running_state = NULL;
static struct sigaction interrupt_previous;

static void stop_with_error(lua_State *L, lua_Debug *debug) {
    (void)debug;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

static void on_interrupt_while_running(int signal_number) {
    (void)signal_number;
    lua_State *L = running_state;
    // lua_sethook is the one Lua call that is safe in a signal handler (lua.c's laction does the same).
    if (L) lua_sethook(L, stop_with_error, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void engage_interrupt_arm(lua_State *L) {
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
