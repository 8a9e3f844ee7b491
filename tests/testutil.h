/* testutil.h - helpers shared by the test programs: build a scenario from
 * text, run it in-process, read CSV files, find source files, run the
 * rollsim binary. */
#ifndef SIM_TESTUTIL_H
#define SIM_TESTUTIL_H

#include <glib.h>
#include "scenario.h"
#include "cli.h"
#include "world.h"
#include "csv-table.h"

/* A scenario from key-file text with overrides (NULL-terminated, may be
 * NULL); the test fails if it does not load. */
SimScenario *sim_test_scenario (const char *ini, const char *const *sets);
/* A world for @sc, run to the end; the test fails if it cannot start. */
SimWorld *sim_test_run (const SimScenario *sc);

/* The conservation laws (sim_metrics_conserved) hold for @w, whose run
 * is over; the test fails naming @label and the law broken. */
void sim_test_assert_conserved (SimWorld *w, const char *label);

/* A path under the source tree ($SRCDIR, default "."). */
char *sim_test_src (const char *relative);

/* A CSV file: its header and rows of strings (sim/csv-table.h). */
typedef SimCsvTable SimTestCsv;

SimTestCsv *sim_test_csv_load (const char *path);
void sim_test_csv_free (SimTestCsv *csv);
gint sim_test_csv_col (const SimTestCsv *csv, const char *name);
const char *sim_test_csv_get (const SimTestCsv *csv, guint row,
                              const char *name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimTestCsv, sim_test_csv_free)

/* Run the rollsim binary ($ROLLSIM, default build/rollsim) with @argv
 * (NULL-terminated, without the program name); returns the exit status
 * and fills @out/@err (may be NULL). */
gint sim_test_rollsim (const char *const *argv, char **out, char **err);

/* Replay the event log's pod rows: the most pods not terminating and the
 * fewest available ones after any row past t = 0 (the warm start). */
void sim_test_pod_extremes (SimWorld *w, gint *max_active, gint *min_available);

/* The rolling-update limits for @replicas, computed here from the
 * upstream rule (docs/design.md K2.2), independently of the code under
 * test: a percentage of surge rounds up and of unavailability down, both
 * 0 makes unavailability 1, and unavailability is at most replicas. */
void sim_test_fenceposts (gint replicas, gboolean surge_pct, gint surge,
                          gboolean unavail_pct, gint unavail, gint *max_surge,
                          gint *max_unavailable);

/* Every ReplicaSet scaling of @w as "t=SECONDS NAME=SPEC" lines. */
char *sim_test_scalings (SimWorld *w);

#endif /* SIM_TESTUTIL_H */
