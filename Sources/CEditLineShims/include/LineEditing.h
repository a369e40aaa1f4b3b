// libedit's variadic calls (el_set, el_get, history), which Swift cannot import, behind a few plain C
// functions for the REPL. Nothing here touches Lua: a running chunk's Ctrl-C is CLuaShims' RunningChunks.h.
#ifndef ENGAGE_LINE_EDITING_H
#define ENGAGE_LINE_EDITING_H

#include <stddef.h>

typedef struct engage_editor engage_editor;

/// What TAB asks of the REPL: `before` is the line up to the cursor, `length` bytes (UTF-8 unless the user
/// typed other bytes), `repeated` is 1 when TAB was pressed twice in a row. The callback edits through
/// engage_editor_replace / engage_editor_list and returns 1 when it changed the line, 0 when there was
/// nothing to do (the editor beeps).
typedef int (*engage_complete_function)(engage_editor *editor, const char *before, size_t length, int repeated, void *context);

/// An editor on the terminal (stdin/stdout/stderr): emacs keys, the user's ~/.editrc, history of at most
/// `history_size` entries loaded from `history_path` (may be NULL), TAB bound to `complete`. Until it is
/// closed, SIGTERM and SIGHUP put the terminal back first: during a read they end it (see
/// engage_editor_read), at any other time the process then dies of the signal as it would have.
engage_editor *engage_editor_open(const char *program, const char *history_path, int history_size,
                                  engage_complete_function complete, void *context);

/// Reads one line with `prompt`. Returns the line's bytes, `*length` of them, as typed (without its newline;
/// owned by the editor until the next call), or NULL: *ended_by is SIGINT when Ctrl-C discarded the line,
/// SIGTERM or SIGHUP when that signal ended the session (the terminal is back as it was), 0 at end of
/// input (Ctrl-D). Input typed before the call is read as keys; a resize redraws the line.
const unsigned char *engage_editor_read(engage_editor *editor, const char *prompt, size_t *length, int *ended_by);

/// Sets the terminal up for keys (no line editing by the terminal, no echo) until the next read ends: called
/// as soon as a chunk has run, so keys typed while its result prints reach libedit as keys.
void engage_editor_take_keys(engage_editor *editor);

/// Replaces the `delete_characters` characters before the cursor with `text` (UTF-8).
void engage_editor_replace(engage_editor *editor, int delete_characters, const char *text);

/// Prints `text` below the line being edited (the list of candidates), however many rows the line takes;
/// the line is drawn again after it.
void engage_editor_list(engage_editor *editor, const char *text);

/// Adds `entry` to the session's history unless it repeats the last one, and appends it to the history
/// file (mode 0600) under a lock, keeping the newest entries other sessions appended too.
void engage_editor_remember(engage_editor *editor, const char *entry);

/// The terminal's width in columns (80 when unknown).
int engage_editor_columns(engage_editor *editor);
/// The terminal's height in rows (24 when unknown).
int engage_editor_rows(engage_editor *editor);

void engage_editor_close(engage_editor *editor);

#endif
