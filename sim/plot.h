/* plot.h - draws a run's plots with gnuplot.
 *
 * The scripts (plots/ *.gp) are compiled into the binary and copied next
 * to the PNGs, so a user can restyle and redraw them (`rollsim plot DIR`
 * keeps scripts already there, so it runs DIR's scripts: a directory
 * from someone else is code).  One gnuplot draws every plot of a run:
 * it is started without a shell, with only the scripts' file names as
 * arguments; the scripts read fixed file names.  Each plot is drawn as
 * PNG and as SVG (for report.html).  The series are downsampled to what
 * a picture can show (downsample.h: min and max per bin, no spike
 * lost), and the CSV files are read one row at a time: the cost of a
 * plot and its memory do not grow with the run's length.  No cell of a CSV file
 * and no text from a scenario ever reaches gnuplot as a command: the data files
 * and meta.gp are written from checked numbers and checked version names
 * (plot.c), and nothing is written through a symbolic link.
 */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include <glib.h>

#define SIM_PLOT_ERROR (sim_plot_error_quark ())
GQuark sim_plot_error_quark (void);
typedef enum {
    SIM_PLOT_ERROR_IO,      /* a data file cannot be written */
    SIM_PLOT_ERROR_GNUPLOT, /* gnuplot is missing or failed */
    SIM_PLOT_ERROR_DATA,    /* DIR's CSV files are not what a run writes,
                               or DIR/plots is a link (plot DIR: exit 2) */
} SimPlotError;

typedef struct SimPlotScript {
    const char *name; /* "pods.gp" */
    const char *text;
} SimPlotScript;

/* Generated from plots/ *.gp; NULL-terminated. */
extern const SimPlotScript sim_plot_scripts[];

/* The colour of the @i-th version (versions.csv's order), "#rrggbb":
 * the same in every plot and in the report. */
const char *sim_plot_version_colour (guint i);

/* Draw every plot of the run in @dir into @dir/plots: the scripts whose
 * names do not start with "compare-" or "sweep-" (those belong to the
 * experiment commands).  FALSE with @error: SIM_PLOT_ERROR_DATA when a
 * CSV file of @dir is not a run's (naming FILE:LINE), _GNUPLOT when
 * gnuplot is missing or fails, _IO when a file cannot be written. */
gboolean sim_plot_draw (const char *dir, GError **error);

/* Read @dir's versions.csv, timeseries.csv and events.csv, check them,
 * and write the data files and meta.gp into @plots_dir (the first half
 * of sim_plot_draw, apart for the fuzzer). */
gboolean sim_plot_write_data (const char *dir, const char *plots_dir,
                              GError **error);

/* Copy the embedded script @name into @plots_dir (unless a script of that
 * name is already there) and run gnuplot on it there. */
gboolean sim_plot_run_script (const char *plots_dir, const char *name,
                              GError **error);
/* The same for several scripts, in one gnuplot (NULL-terminated). */
gboolean sim_plot_run_scripts (const char *plots_dir, const char *const *names,
                               GError **error);

#endif /* SIM_PLOT_H */
