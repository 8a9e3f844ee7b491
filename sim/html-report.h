/* html-report.h - report.html: one self-contained page per run, compare
 * or sweep directory (docs/report.md).
 *
 * The page is built from the directory's files, never from memory, so
 * `rollsim report DIR` draws the same page as the run did: a run's
 * verdict (summary.csv), its plots (plots/ *.svg, or *.png), the
 * resolved scenario, the event log as a table to filter, and the replay
 * of the rollout built from events.csv and trace.txt; an experiment's
 * table of variants, its plots and experiment.ini.
 *
 * Nothing read is trusted: every cell, name and description reaches the
 * page escaped (as text in HTML, or as JSON strings in a data block the
 * page's script reads and shows as text, never as markup); images are
 * data: URIs of <img> (an SVG there runs no script and loads nothing),
 * and a Content-Security-Policy forbids any request.  Files that are
 * symbolic links are not read.  The page is written beside its target
 * and renamed into place, so a link named report.html is replaced, not
 * followed.  It holds no wall-clock time and no absolute path: the same
 * directory gives the same bytes.
 */
#ifndef SIM_HTML_REPORT_H
#define SIM_HTML_REPORT_H

#include <glib.h>

#define SIM_HTML_REPORT_ERROR (sim_html_report_error_quark ())
GQuark sim_html_report_error_quark (void);
typedef enum {
    SIM_HTML_REPORT_ERROR_IO,   /* report.html cannot be written (exit 1) */
    SIM_HTML_REPORT_ERROR_DATA, /* DIR is not a run, compare or sweep
                                   directory (exit 2) */
} SimHtmlReportError;

/* Write @dir/report.html from the files of @dir: a run's, a compare's or
 * a sweep's, whichever @dir holds. */
gboolean sim_html_report_write (const char *dir, GError **error);

#endif /* SIM_HTML_REPORT_H */
