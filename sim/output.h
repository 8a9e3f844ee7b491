/* output.h - an output directory claimed before any work, written
 * beside its target and put in place whole (docs/design.md 7.1); and
 * what a signal leaves behind: nothing.
 *
 * A command (run, compare, sweep, merge) claims its -o before it
 * simulates anything, so that every problem of the output is found
 * first: an empty or too long name, a path under a file, a directory
 * that is not rollsim's, a directory that holds the command's own inputs
 * (a scenario or rate profile kept in an earlier result: replacing it
 * would delete them), another rollsim writing the same directory.  The
 * claim holds a lock (PARENT/.NAME.lock, flock) until the result is in
 * place, so of concurrent runs into one -o one wins and the others fail
 * at once with a clear message; and a temporary directory
 * (PARENT/.NAME.tmp-XXXXXX) the result is written into.  Committing
 * exchanges it with the target in one rename (renameat2
 * RENAME_EXCHANGE), so readers never see the target missing, then
 * removes the old result.  Freeing a claim that was not committed
 * removes the temporary directory, the lock, and the parent directories
 * the claim made.
 *
 * Signals.  sim_output_init_signals(), first thing in main(), routes
 * SIGINT, SIGTERM and SIGHUP to a thread of their own: it kills the
 * children sim_output_spawn() started (gnuplot), removes every claimed
 * temporary directory, lock and made parent, and exits with 128 + the
 * signal (130 for SIGINT, 143 for SIGTERM).  SIGXFSZ is ignored, so a
 * file-size limit makes a write fail (EFBIG), reported as an I/O error.
 */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <glib.h>

typedef struct SimOutput SimOutput;

/* Errors: SIM_REPORT_ERROR (report.h), _IO for what cannot be done
 * (exit 1), _INPUT for a -o the command line got wrong (exit 2). */

/* Claim @dir for a new result, before any work.  @inputs: the files and
 * directories the command reads, NULL-terminated (or NULL): none may lie
 * inside @dir when @dir exists.  NULL with @error when @dir cannot be the
 * output (see above). */
SimOutput *sim_output_claim (const char *dir, const char *const *inputs,
                             GError **error);
/* The directory to write into. */
const char *sim_output_tmp (const SimOutput *o);
/* The target, as given. */
const char *sim_output_dir (const SimOutput *o);
/* The target holds an earlier result, which the commit replaces. */
gboolean sim_output_replaces (const SimOutput *o);
/* Put the written directory in place of the target and release the
 * claim.  FALSE with @error (the target is then as before). */
gboolean sim_output_commit (SimOutput *o, GError **error);
/* Release the claim: if it was not committed, remove what it made. */
void sim_output_free (SimOutput *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimOutput, sim_output_free)

/* An error about a file of the temporary directory, said of the target
 * instead (the temporary directory is gone when the user reads it). */
void sim_output_restate_error (const SimOutput *o, GError *error);

/* Route the signals (above).  Call once, before any thread starts. */
void sim_output_init_signals (void);

/* Run @argv (searched in PATH, no shell) in @dir, stdout discarded,
 * stderr collected in *@err_text, and wait: a signal meanwhile kills
 * it.  FALSE with @error when it cannot be started; *@status is its wait
 * status. */
gboolean sim_output_spawn (const char *dir, const char *const *argv,
                           char **err_text, gint *status, GError **error);

/* A temporary directory made elsewhere (plot's work directory) that a
 * signal must remove too, until it is untracked. */
void sim_output_track_tmp (const char *path);
void sim_output_untrack_tmp (const char *path);

/* Remove @path and everything under it (never following a link). */
void sim_output_remove_tree (const char *path);

#endif /* SIM_OUTPUT_H */
