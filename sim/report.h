/* report.h - a finished run's files: scenario.ini, events.csv,
 * timeseries.csv, versions.csv, summary.csv (docs/design.md 7) and the
 * plots, written atomically into a claimed output (output.h): the
 * files go into a temporary directory beside the target, which takes its
 * place only when complete, so a failed run leaves nothing half written.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdio.h>
#include <glib.h>
#include "world.h"
#include "metrics.h"
#include "output.h"

#define SIM_REPORT_ERROR (sim_report_error_quark ())
GQuark sim_report_error_quark (void);
typedef enum {
    SIM_REPORT_ERROR_IO,    /* a file cannot be written (exit 1) */
    SIM_REPORT_ERROR_INPUT, /* -o cannot be the output: empty, too long a
                               name, holds the command's inputs (exit 2) */
} SimReportError;

/* Every output directory holds this file: only a directory with it (or
 * an empty one) is ever replaced by a new run. */
#define SIM_REPORT_MARKER ".rollsim"

/* Write every output of @w into the claimed @out and commit it, drawing
 * plots unless @plots is FALSE.  FALSE with @error on failure; then the
 * target is as before. */
gboolean sim_report_write (SimWorld *w, SimOutput *out, gboolean plots,
                           GError **error);
/* Rows written as the run makes them (`rollsim run`): events.csv,
 * timeseries.csv, versions.csv and trace.txt are opened in @out's
 * temporary directory before the run, and every row goes there as it
 * happens instead of staying in memory, so a run's memory is flat in
 * simulated duration.  NULL with @error (said of @out's target) when a
 * file cannot be opened. */
typedef struct SimReportStream SimReportStream;
SimReportStream *sim_report_stream_open (SimWorld *w, SimOutput *out,
                                         GError **error);
void sim_report_stream_free (SimReportStream *stream); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimReportStream, sim_report_stream_free)

/* The same, writing report.html too when @html (html-report.h); with
 * @stream (or NULL), the streamed files are closed instead of written. */
gboolean sim_report_write_full (SimWorld *w, SimOutput *out, gboolean plots,
                                gboolean html, SimReportStream *stream,
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

/* Check that gnuplot is there and can draw PNGs, before any work:
 * SIM_REPORT_ERROR_IO naming the problem otherwise. */
gboolean sim_report_check_gnuplot (GError **error);

#endif /* SIM_REPORT_H */
