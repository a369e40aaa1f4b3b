// wcwidth is X/Open, flock BSD: glibc declares them with _GNU_SOURCE.
#define _GNU_SOURCE
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
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

struct engage_editor {
    EditLine *el;
    /// The session's history, wide as libedit edits lines, so a recalled entry keeps its escaped bytes.
    HistoryW *history;
    HistEventW event;
    int history_size;
    char *history_path;
    const char *prompt;
    engage_complete_function complete;
    void *context;
    /// Where the cursor was and how long the line was at the last TAB: a TAB with both unchanged is the
    /// second in a row, which lists the candidates.
    long last_cursor;
    long last_length;
    /// The line read last, as bytes (see line_bytes).
    unsigned char *line;
    /// Bytes typed before the editor took the terminal (see take_typeahead), handed out first.
    unsigned char typeahead[4096];
    size_t typeahead_length;
    size_t typeahead_next;
};

static char *prompt_of(EditLine *el) {
    engage_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    return editor && editor->prompt ? (char *)editor->prompt : "> ";
}

// MARK: Bytes and characters

/// libedit edits wide characters. A byte that is not part of a UTF-8 character travels through it as
/// U+DC80…U+DCFF (the "surrogate escape" Python uses), a code point no UTF-8 input can produce, and
/// turns back into the same byte when the line is handed on: the REPL's input is bytes, as a file's is.
enum { ESCAPED_BYTE_BASE = 0xDC00 };

static int is_escaped_byte(wchar_t c) { return c >= ESCAPED_BYTE_BASE + 0x80 && c <= ESCAPED_BYTE_BASE + 0xFF; }

/// `count` wide characters as bytes: UTF-8, and escaped bytes as themselves. Returns a NUL-terminated
/// buffer the caller frees, with its length (without the NUL) in *length.
static unsigned char *line_bytes(const wchar_t *characters, size_t count, size_t *length) {
    unsigned char *bytes = malloc(count * 4 + 1);
    if (!bytes) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        unsigned long c = (unsigned long)characters[i];
        if (is_escaped_byte((wchar_t)c)) {
            bytes[n++] = (unsigned char)(c - ESCAPED_BYTE_BASE);
        } else if (c < 0x80) {
            bytes[n++] = (unsigned char)c;
        } else if (c < 0x800) {
            bytes[n++] = (unsigned char)(0xC0 | (c >> 6));
            bytes[n++] = (unsigned char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            bytes[n++] = (unsigned char)(0xE0 | (c >> 12));
            bytes[n++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            bytes[n++] = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            bytes[n++] = (unsigned char)(0xF0 | (c >> 18));
            bytes[n++] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            bytes[n++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            bytes[n++] = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    bytes[n] = '\0';
    *length = n;
    return bytes;
}

/// `length` bytes as the wide characters libedit edits: UTF-8 decoded, any other byte escaped. The caller
/// frees the NUL-terminated result.
static wchar_t *wide_line(const unsigned char *bytes, size_t length) {
    wchar_t *characters = malloc((length + 1) * sizeof *characters);
    if (!characters) return NULL;
    size_t count = 0;
    for (size_t i = 0; i < length; count++) {
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t used = mbrtowc(&characters[count], (const char *)bytes + i, length - i, &state);
        if (used == (size_t)-1 || used == (size_t)-2 || used == 0) {
            characters[count] = (wchar_t)(ESCAPED_BYTE_BASE + bytes[i]);
            used = 1;
        }
        i += used;
    }
    characters[count] = L'\0';
    return characters;
}

/// Adds an entry (bytes) to the session's history.
static void enter_in_history(engage_editor *editor, const char *entry) {
    wchar_t *characters = wide_line((const unsigned char *)entry, strlen(entry));
    if (!characters) return;
    history_w(editor->history, &editor->event, H_ENTER, characters);
    free(characters);
}

// MARK: Signals while reading

static volatile sig_atomic_t reading_interrupted = 0;
static volatile sig_atomic_t reading_ended_by = 0;
static volatile sig_atomic_t window_changed = 0;
/// Signal handlers write a byte here: a signal may be delivered to any thread, so the reader cannot count
/// on its own system call being interrupted; it waits on this pipe too.
static int wake_pipe[2] = {-1, -1};

static void open_wake_pipe(void) {
    if (wake_pipe[0] >= 0 || pipe(wake_pipe) != 0) return;
    for (int i = 0; i < 2; i++) {
        fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
}

static void wake(void) {
    int saved = errno;
    if (wake_pipe[1] >= 0) (void)!write(wake_pipe[1], "", 1);
    errno = saved;
}

static void drain_wake_pipe(void) {
    char drained[16];
    if (wake_pipe[0] >= 0) while (read(wake_pipe[0], drained, sizeof drained) > 0) {}
}

static void on_signal_while_reading(int signal_number) {
    if (signal_number == SIGINT) reading_interrupted = 1;
    else window_changed = 1;
    wake();
}

/// The terminal's own settings, saved before the editor first changed them, and whether they are.
static struct termios cooked_terminal;
static volatile sig_atomic_t have_cooked_terminal = 0;
static volatile sig_atomic_t reading = 0;

/// SIGTERM and SIGHUP, for the whole session. While a line is read, the read ends (libedit puts the
/// terminal back) and the REPL ends. Otherwise the terminal is put back here and the signal does what it
/// would have done. Every entered chunk is in the history file already.
static void on_end_signal(int signal_number) {
    if (reading) {
        reading_ended_by = signal_number;
        wake();
        return;
    }
    if (have_cooked_terminal) tcsetattr(STDIN_FILENO, TCSANOW, &cooked_terminal);
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static const int end_signals[] = {SIGTERM, SIGHUP};
static struct sigaction end_signals_previous[2];

// MARK: The screen

/// The columns a character takes as libedit draws it: control characters as ^X, others that have no
/// width of their own as \U+XXXX.
static int drawn_width(wchar_t c) {
    if (c < 0x20 || c == 0x7F) return 2;
    int width = wcwidth(c);
    if (width >= 0) return width;
    return c > 0xFFFF ? 8 : 7;
}

/// The screen rows, counted from the prompt's, of the cursor and of the end of the line for a terminal
/// `columns` wide, wrapping as libedit does (a character that does not fit starts the next row).
static void line_rows(engage_editor *editor, int columns, int *cursor_row, int *last_row) {
    int row = 0, column = 0;
    wchar_t prompt[256];
    size_t prompt_length = mbstowcs(prompt, editor->prompt ? editor->prompt : "", 255);
    if (prompt_length == (size_t)-1) prompt_length = 0;
    const LineInfoW *info = el_wline(editor->el);
    size_t line_length = (size_t)(info->lastchar - info->buffer);
    size_t cursor = (size_t)(info->cursor - info->buffer);
    *cursor_row = 0;
    for (size_t i = 0; i < prompt_length + line_length + 1; i++) {
        if (i == prompt_length + cursor) *cursor_row = row + (column >= columns);
        if (i == prompt_length + line_length) break;
        wchar_t c = i < prompt_length ? prompt[i] : info->buffer[i - prompt_length];
        int width = c == L'\t' ? 8 - column % 8 : drawn_width(c);
        if (column + width > columns) { row += 1; column = 0; }
        column += width;
        if (column >= columns && i + 1 < prompt_length + line_length) { row += 1; column = 0; }
    }
    *last_row = row + (column >= columns);
}

/// The terminal changed size: tell libedit, and draw the line again from its first row. Terminals that
/// reflow wrapped text (tmux, VTE, kitty, iTerm2) keep the cursor on its character, so the line's first
/// row is as many rows up as the cursor's row in the new width.
static void redraw_after_resize(engage_editor *editor) {
    el_resize(editor->el);
    int cursor_row, last_row;
    line_rows(editor, engage_editor_columns(editor), &cursor_row, &last_row);
    fputs("\r", stdout);
    if (cursor_row > 0) fprintf(stdout, "\033[%dA", cursor_row);
    fputs("\033[J", stdout);
    fflush(stdout);
    el_set(editor->el, EL_REFRESH);
}

// MARK: Reading keys

/// Keys typed while a chunk ran, or between the end of one read and the start of the next, are already
/// waiting when a read starts. libedit leaves the terminal in cooked mode when input is pending at that
/// moment (it checks FIONREAD), so that typeahead would be edited by the terminal, not by libedit: a
/// Ctrl-D would arrive as a byte in the line. The pending bytes are taken first and handed to libedit as
/// keys by read_character, so it always sets the terminal up for editing. The terminal keeps a Ctrl-D
/// typed in cooked mode (while a chunk ran) as a NUL byte, which reaches us once the mode changes: it is
/// handed on as the Ctrl-D it was.
static void take_typeahead(engage_editor *editor) {
    editor->typeahead_length = 0;
    editor->typeahead_next = 0;
    int pending = 0;
    while (ioctl(STDIN_FILENO, FIONREAD, &pending) == 0 && pending > 0
           && editor->typeahead_length < sizeof editor->typeahead) {
        size_t room = sizeof editor->typeahead - editor->typeahead_length;
        ssize_t got = read(STDIN_FILENO, editor->typeahead + editor->typeahead_length, (size_t)pending < room ? (size_t)pending : room);
        if (got <= 0) break;
        for (size_t i = editor->typeahead_length; i < editor->typeahead_length + (size_t)got; i++) {
            if (editor->typeahead[i] == '\0' && have_cooked_terminal) editor->typeahead[i] = cooked_terminal.c_cc[VEOF];
        }
        editor->typeahead_length += (size_t)got;
    }
}

/// The next byte: typeahead first, then the terminal. Returns 1, 0 at end of input, or -1 when a signal
/// ended the read. A resize redraws the line and goes on waiting.
static int read_byte(engage_editor *editor, unsigned char *byte) {
    if (editor->typeahead_next < editor->typeahead_length) {
        *byte = editor->typeahead[editor->typeahead_next++];
        return 1;
    }
    for (;;) {
        if (reading_interrupted || reading_ended_by) return -1;
        if (window_changed) {
            window_changed = 0;
            redraw_after_resize(editor);
        }
        struct pollfd waiting[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
        if (poll(waiting, wake_pipe[0] >= 0 ? 2 : 1, -1) == -1) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (waiting[1].revents & POLLIN) {
            drain_wake_pipe();
            continue;
        }
        ssize_t got = read(STDIN_FILENO, byte, 1);
        if (got == -1 && errno == EINTR) continue;
        return got == 1 ? 1 : got == 0 ? 0 : -1;
    }
}

/// libedit's own reader retries a read that a signal interrupted, so Ctrl-C would only take effect at the
/// next key. This one gives up at once, and decodes UTF-8 itself: a byte that starts no character is
/// handed on escaped (see ESCAPED_BYTE_BASE), and the bytes after it are read again as a fresh start.
static int read_character(EditLine *el, wchar_t *character) {
    engage_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    static unsigned char held[MB_LEN_MAX];
    static size_t held_count = 0;
    unsigned char bytes[MB_LEN_MAX];
    size_t count = 0;
    for (;;) {
        if (held_count > 0) {
            bytes[count++] = held[0];
            memmove(held, held + 1, --held_count);
        } else {
            int got = read_byte(editor, &bytes[count]);
            if (got <= 0) { *character = L'\0'; held_count = 0; return got; }
            count += 1;
        }
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t decoded = mbrtowc(character, (const char *)bytes, count, &state);
        if (decoded == (size_t)-2 && count < sizeof bytes) continue;
        if (decoded == (size_t)-1 || decoded == (size_t)-2) {
            *character = (wchar_t)(ESCAPED_BYTE_BASE + bytes[0]);
            memmove(held + count - 1, held, held_count);
            memcpy(held, bytes + 1, count - 1);
            held_count += count - 1;
        }
        return 1;
    }
}

// MARK: The editor

/// TAB: hands the text before the cursor to the REPL's completion.
static unsigned char complete_command(EditLine *el, int ch) {
    (void)ch;
    engage_editor *editor = NULL;
    el_get(el, EL_CLIENTDATA, &editor);
    if (!editor || !editor->complete) return CC_ERROR;
    const LineInfoW *info = el_wline(el);
    size_t length = (size_t)(info->cursor - info->buffer);
    size_t byte_count = 0;
    unsigned char *before = line_bytes(info->buffer, length, &byte_count);
    if (!before) return CC_ERROR;
    int repeated = editor->last_cursor == (long)length && editor->last_length == (long)(info->lastchar - info->buffer);
    int changed = editor->complete(editor, (const char *)before, byte_count, repeated, editor->context);
    free(before);
    info = el_wline(el);
    editor->last_cursor = (long)(info->cursor - info->buffer);
    editor->last_length = (long)(info->lastchar - info->buffer);
    return changed ? CC_REDISPLAY : CC_REFRESH_BEEP;
}

engage_editor *engage_editor_open(const char *program, const char *history_path, int history_size,
                                  engage_complete_function complete, void *context) {
    engage_editor *editor = calloc(1, sizeof *editor);
    if (!editor) return NULL;
    editor->el = el_init(program, stdin, stdout, stderr);
    if (!editor->el) { free(editor); return NULL; }
    editor->complete = complete;
    editor->context = context;
    editor->history_size = history_size;
    open_wake_pipe();
    editor->history = history_winit();
    history_w(editor->history, &editor->event, H_SETSIZE, history_size);
    history_w(editor->history, &editor->event, H_SETUNIQUE, 1);
    if (history_path) {
        editor->history_path = strdup(history_path);
        // The file holds bytes: read as they are, then entered oldest first (H_LAST, then H_PREV to newer).
        History *file = history_init();
        HistEvent event;
        history(file, &event, H_SETSIZE, history_size);
        if (history(file, &event, H_LOAD, history_path) > 0 && history(file, &event, H_LAST) == 0) {
            do enter_in_history(editor, event.str);
            while (history(file, &event, H_PREV) == 0);
        }
        history_end(file);
    }
    el_set(editor->el, EL_CLIENTDATA, editor);
    el_set(editor->el, EL_EDITOR, "emacs");
    el_set(editor->el, EL_SIGNAL, 0);
    el_set(editor->el, EL_GETCFN, read_character);
    el_set(editor->el, EL_PROMPT, prompt_of);
    el_wset(editor->el, EL_HIST, history_w, editor->history);
    el_set(editor->el, EL_ADDFN, "engage-complete", "Complete Lua, engage's globals and the service model", complete_command);
    el_set(editor->el, EL_BIND, "^I", "engage-complete", NULL);
    // The user's ~/.editrc (or $EDITRC) comes last, so it can change any of the above.
    el_source(editor->el, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_end_signal;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < 2; i++) sigaction(end_signals[i], &action, &end_signals_previous[i]);
    return editor;
}

void engage_editor_take_keys(engage_editor *editor) {
    (void)editor;
    struct termios now;
    if (tcgetattr(STDIN_FILENO, &now) != 0) return;
    if (now.c_lflag & ICANON) {
        cooked_terminal = now;
        have_cooked_terminal = 1;
    }
    now.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    now.c_cc[VMIN] = 1;
    now.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSADRAIN, &now);
}

static const int signals_while_reading[] = {SIGINT, SIGWINCH};
enum { SIGNALS_WHILE_READING = sizeof signals_while_reading / sizeof signals_while_reading[0] };

const unsigned char *engage_editor_read(engage_editor *editor, const char *prompt, size_t *length, int *ended_by) {
    *ended_by = 0;
    *length = 0;
    editor->prompt = prompt;
    editor->last_cursor = -1;
    editor->last_length = -1;
    // No SA_RESTART: the reader gives up on Ctrl-C (and SIGTERM, SIGHUP, see on_end_signal), which ends
    // el_gets with the terminal back in the mode it was in.
    struct sigaction action, previous[SIGNALS_WHILE_READING];
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal_while_reading;
    sigemptyset(&action.sa_mask);
    reading_interrupted = 0;
    window_changed = 0;
    drain_wake_pipe();
    for (int i = 0; i < SIGNALS_WHILE_READING; i++) sigaction(signals_while_reading[i], &action, &previous[i]);
    // The terminal may have changed size while a chunk ran.
    el_resize(editor->el);
    engage_editor_take_keys(editor);
    take_typeahead(editor);
    reading = 1;
    int count = 0;
    const wchar_t *line = reading_ended_by ? NULL : el_wgets(editor->el, &count);
    reading = 0;
    // libedit leaves the terminal as it found it, which take_keys changed: put back the terminal's own.
    if (have_cooked_terminal) tcsetattr(STDIN_FILENO, TCSADRAIN, &cooked_terminal);
    for (int i = 0; i < SIGNALS_WHILE_READING; i++) sigaction(signals_while_reading[i], &previous[i], NULL);
    if (reading_ended_by) {
        fputs("\n", stdout);
        fflush(stdout);
        *ended_by = reading_ended_by;
        return NULL;
    }
    if (reading_interrupted) {
        el_reset(editor->el);
        fputs("^C\n", stdout);
        fflush(stdout);
        *ended_by = SIGINT;
        return NULL;
    }
    if (line == NULL || count <= 0) return NULL;
    while (count > 0 && (line[count - 1] == L'\n' || line[count - 1] == L'\r')) count -= 1;
    free(editor->line);
    editor->line = line_bytes(line, (size_t)count, length);
    return editor->line;
}

void engage_editor_replace(engage_editor *editor, int delete_characters, const char *text) {
    if (delete_characters > 0) el_deletestr(editor->el, delete_characters);
    if (text && *text) el_insertstr(editor->el, text);
}

void engage_editor_list(engage_editor *editor, const char *text) {
    // Below the whole line, not just the cursor's row, so the list overwrites none of it.
    int cursor_row, last_row;
    line_rows(editor, engage_editor_columns(editor), &cursor_row, &last_row);
    for (int row = cursor_row; row <= last_row; row++) fputs("\r\n", stdout);
    for (const char *c = text; *c; c++) {
        if (*c == '\n') fputc('\r', stdout);
        fputc(*c, stdout);
    }
    // libedit redraws the line from where it believes the line's first row is: as many rows up as the
    // cursor's row. Rows for that, below the list, keep the redraw from overwriting the list.
    for (int row = 0; row < cursor_row; row++) fputs("\r\n", stdout);
    fflush(stdout);
}

/// Appends `entry` to the history file the way bash's histappend does: under an exclusive lock, the file
/// as it is now (with what other sessions added) is read, the entry added, the oldest entries past the
/// size dropped, and the file written back in place. Two sessions never lose each other's lines.
static void append_to_history_file(engage_editor *editor, const char *entry) {
    // Created private before anything is written to it: history may hold ids and customer names.
    int descriptor = open(editor->history_path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (descriptor < 0) return;
    while (flock(descriptor, LOCK_EX) == -1 && errno == EINTR) {}
    History *merged = history_init();
    HistEvent event;
    history(merged, &event, H_SETSIZE, editor->history_size);
    history(merged, &event, H_SETUNIQUE, 1);
    history(merged, &event, H_LOAD, editor->history_path);
    history(merged, &event, H_ENTER, entry);
    // H_SAVE opens the path for writing without replacing the file, so the lock held on it stays good.
    history(merged, &event, H_SAVE, editor->history_path);
    history_end(merged);
    fchmod(descriptor, 0600);
    flock(descriptor, LOCK_UN);
    close(descriptor);
}

void engage_editor_remember(engage_editor *editor, const char *entry) {
    enter_in_history(editor, entry);
    if (editor->history_path) append_to_history_file(editor, entry);
}

int engage_editor_columns(engage_editor *editor) {
    (void)editor;
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

int engage_editor_rows(engage_editor *editor) {
    (void)editor;
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0) return size.ws_row;
    return 24;
}

void engage_editor_close(engage_editor *editor) {
    if (!editor) return;
    for (int i = 0; i < 2; i++) sigaction(end_signals[i], &end_signals_previous[i], NULL);
    history_wend(editor->history);
    el_end(editor->el);
    free(editor->history_path);
    free(editor->line);
    free(editor);
}
