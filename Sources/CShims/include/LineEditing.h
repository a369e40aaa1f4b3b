// libedit's variadic calls (el_set, el_get, history), which Swift cannot import, behind a few plain C
// functions for the REPL; and the Ctrl-C handling lua.c does: a signal handler that stops a running chunk
// through a Lua hook.
#ifndef ENGAGE_LINE_EDITING_H
#define ENGAGE_LINE_EDITING_H

#include <stddef.h>
#include <lua.h>

typedef struct engage_editor engage_editor;

/// What TAB asks of the REPL: `before` is the line up to the cursor (UTF-8), `repeated` is 1 when TAB was
/// pressed twice in a row. The callback edits through engage_editor_replace / engage_editor_list and
/// returns 1 when it changed the line, 0 when there was nothing to do (the editor beeps).
typedef int (*engage_complete_function)(engage_editor *editor, const char *before, int repeated, void *context);

/// An editor on the terminal (stdin/stdout/stderr): emacs keys, the user's ~/.editrc, history of at most
/// `history_size` entries loaded from `history_path` (may be NULL), TAB bound to `complete`.
engage_editor *engage_editor_open(const char *program, const char *history_path, int history_size,
                                  engage_complete_function complete, void *context);

/// Reads one line with `prompt`. Returns the line (without its newline; owned by the editor until the next
/// call), or NULL: *interrupted is 1 when Ctrl-C discarded the line, 0 at end of input (Ctrl-D).
const char *engage_editor_read(engage_editor *editor, const char *prompt, int *interrupted);

/// Replaces the `delete_characters` characters before the cursor with `text` (UTF-8).
void engage_editor_replace(engage_editor *editor, int delete_characters, const char *text);

/// Prints `text` below the line being edited (the list of candidates); the line is drawn again after it.
void engage_editor_list(engage_editor *editor, const char *text);

/// Adds `entry` to the history unless it repeats the last one, and saves the history file (mode 0600).
void engage_editor_remember(engage_editor *editor, const char *entry);

/// The terminal's width in columns (80 when unknown).
int engage_editor_columns(engage_editor *editor);

void engage_editor_close(engage_editor *editor);

/// While armed, SIGINT stops the chunk running in `L` with the error "interrupted!" (lua.c's laction:
/// the handler only sets a hook, which raises at the next Lua instruction). Disarming restores the
/// previous SIGINT handling.
void engage_interrupt_arm(lua_State *L);
void engage_interrupt_disarm(void);

/// While the editor reads a line, SIGINT makes the read return with *interrupted set instead of killing
/// the process.
#endif
