/* cli.h - what the commands share: the schema of this program (every
 * registered strategy and the groups they use), scenario loading with
 * --set/--seed, exit statuses and error reporting; and the experiment
 * commands (experiment-cli.c).
 *
 * This is the one place that assembles the program from its parts: the
 * loader (scenario.h) is handed the strategies' groups here and never
 * looks for them itself.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include <glib.h>
#include "scenario.h"

/* The directory of the scenarios rollsim ships: PREFIX/share/rollsim/
 * scenarios of the installed binary, or the source tree's scenarios/
 * beside build/; NULL when neither is there.  Newly allocated. */
char *sim_cli_scenarios_dir (void);

/* The schema of this program: the core groups, every registered
 * strategy with its settings group, and the groups strategies share.
 * Built once, thread-safe; static. */
const SimSchema *sim_cli_schema (void);

/* Manifests as input (import-cli.c): the options of `rollsim import`
 * that run, check, compare and sweep take too, and the import of the
 * manifests last loaded, kept so that loading them again (a variant of
 * an experiment, standard input) does not read them again. */
typedef struct SimCliInput {
    char *overlay;  /* --overlay FILE.ini */
    char *workload; /* --workload KIND/NAME */
    char *to;       /* --to IMAGE_OR_VERSION */
    gboolean strict;
    /* The last import, and the path it was read from; owned. */
    char *path;
    char *overlay_text;
    struct SimImport *import;
} SimCliInput;

/* Add --overlay, --workload, --to and --strict to @ctx's options. */
void sim_cli_input_entries (GOptionContext *ctx, SimCliInput *in);
void sim_cli_input_clear (SimCliInput *in);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SimCliInput, sim_cli_input_clear)
/* After a load of manifests: "rollsim: imported Rollout/web from
 * web.yaml: 20 fields mapped, ...".  NULL when no manifest was read.
 * Newly allocated. */
char *sim_cli_input_summary (const SimCliInput *in);
/* The report of the last import, or NULL.  Newly allocated. */
char *sim_cli_input_report (const SimCliInput *in);

/* Load @path (NULL: the built-in seed scenario) with the --set overrides
 * @sets (NULL-terminated, may be NULL) and, if @seed is not NULL, the
 * seed.  A @path of manifests (sim_import_is_manifest_path) is imported
 * with @in's options (NULL: none), in memory. */
SimScenario *sim_cli_load (const char *path, SimCliInput *in,
                           const char *const *sets, const char *seed,
                           GError **error);
/* sim_cli_load of manifests (import-cli.c); @path may also be a
 * scenario file when @in has an overlay (an error that says so). */
SimScenario *sim_cli_load_manifests (const char *path, SimCliInput *in,
                                     const char *const *overrides,
                                     GError **error);
/* The loader of experiments (SimExperiment.load), @data a SimCliInput. */
SimScenario *sim_cli_load_variant (gpointer data, const char *path,
                                   const char *const *sets, GError **error);

/* --set overrides with each `--at "TIME ACTION"` appended as
 * timeline.actions+=TIME ACTION, in order.  Newly allocated. */
char **sim_cli_sets_with_at (const char *const *sets, const char *const *ats);

/* Exit statuses (docs/design.md, command line). */
enum { SIM_EXIT_OK = 0, SIM_EXIT_RUNTIME = 1, SIM_EXIT_USAGE = 2 };

/* The exit status an error calls for: a usage error (2) for anything the
 * user gave - a scenario, a value, an option, a file they named, an
 * experiment's arguments - and a run-time failure (1) for anything else
 * (writing outputs, running gnuplot). */
int sim_cli_exit_status (const GError *error);

/* Print "rollsim: " and the message to stderr; return @code. */
int sim_cli_fail (int code, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Print "rollsim: MESSAGE" and return the exit status for @error. */
int sim_cli_error (GError *error);

/* Print each warning of @sc (SimScenario.warnings) on stderr as
 * "rollsim: warning: ...". */
void sim_cli_warn (const SimScenario *sc);
/* Of several scenarios (an experiment's variants), the warnings every
 * one of them has, once each: a setting one variant reads is not
 * reported for the others. */
void sim_cli_warn_common (const SimScenario *const *scenarios, guint n);

int sim_cli_compare (int argc, char **argv);
int sim_cli_sweep (int argc, char **argv);
int sim_cli_merge (int argc, char **argv);
int sim_cli_import (int argc, char **argv);

#endif /* SIM_CLI_H */
