/* cli.h - what the command-line modules share: scenario loading with
 * --set/--seed, error reporting with the right exit status, and the
 * experiment commands (experiment-cli.c). */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <glib.h>
#include "scenario.h"

/* Load @path (NULL: the built-in seed scenario) with the --set overrides
 * @sets (NULL-terminated, may be NULL) and, if @seed is not NULL, the
 * seed. */
SimScenario *sim_cli_load (const char *path, char **sets, const char *seed,
                           GError **error);
/* Exit statuses (DESIGN.md section 6). */
enum { SIM_EXIT_OK = 0, SIM_EXIT_RUNTIME = 1, SIM_EXIT_USAGE = 2 };

/* Print "rollsim: " and the message to stderr; return @code. */
int sim_cli_fail (int code, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Print "rollsim: MESSAGE" and return the exit status for @error. */
int sim_cli_error (GError *error);

int sim_cli_compare (int argc, char **argv);
int sim_cli_sweep   (int argc, char **argv);
int sim_cli_merge   (int argc, char **argv);

#endif /* SIM_CLI_H */
