/* report.h - a finished run's files: scenario.ini, events.csv,
 * timeseries.csv, versions.csv, summary.csv (docs/design.md 7) and the
 * plots, written atomically: everything goes into a temporary directory
 * beside the target, which is renamed into place only when complete, so
 * a failed run leaves nothing half written.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>
#include <glib.h>
#include "world.h"
#include "metrics.h"

#define SIM_REPORT_ERROR (sim_report_error_quark ())
GQuark sim_report_error_quark (void);
typedef enum {
    SIM_REPORT_ERROR_IO,
} SimReportError;

/* Every output directory holds this file: only a directory with it (or
 * an empty one) is ever replaced by a new run. */
#define SIM_REPORT_MARKER ".rollsim"

/* Write every output of @w into @dir (replacing it), drawing plots unless
 * @plots is FALSE.  FALSE with @error on failure; then @dir is as before. */
gboolean sim_report_write (SimWorld *w, const char *dir, gboolean plots,
                           GError **error);

/* summary.csv: the header fields, NULL-terminated (static). */
const char *const *sim_report_summary_header (void);
/* The values of one summary row, as strings in header order (owned by the
 * array: free with g_ptr_array_unref). */
GPtrArray *sim_report_summary_values (SimWorld *w, const SimSummary *s);

/* Whether summary column @name always has a value (the counts and
 * totals); every other column is empty when it does not apply (no
 * rollout, no successful request, ...).  Merge refuses an empty one. */
gboolean sim_report_summary_always (const char *name);

/* Write one CSV row of @n fields to @fp, quoting with libcsv only where a
 * field needs it. */
void sim_report_write_row (FILE *fp, const char *const *fields, guint n);

/* A number as CSV text: "%.*f", or empty for NaN.  Newly allocated. */
char *sim_report_number (double value, gint decimals);

/* Open DIR/NAME for writing (@path: its path, newly allocated), close
 * it checking every write, make a directory: with SIM_REPORT_ERROR_IO
 * naming the file on failure. */
FILE *sim_report_open_file (const char *dir, const char *name, char **path,
                            GError **error);
gboolean sim_report_close_file (FILE *fp, const char *path, GError **error);
gboolean sim_report_make_dir (const char *path, GError **error);

/* Make the temporary directory beside @dir; rename it into place.  For
 * commands (compare, sweep) that write their own files the same way. */
char *sim_report_begin (const char *dir, GError **error);
gboolean sim_report_commit (const char *tmp, const char *dir, GError **error);
void sim_report_abandon (const char *tmp);

#endif /* SIM_REPORT_H */
