/* plot.c - turns versions.csv into the small data files the gnuplot
 * scripts read, and runs gnuplot on each script.  See plot.h.
 *
 * versions.csv is long (one row per time and version); gnuplot wants one
 * column per version, so pods.dat and share.dat are written wide, with
 * the version names as column headers, and meta.gp says how many
 * versions there are (a number we write, never scenario text).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "plot.h"
#include "csv-table.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-plot-error-quark, sim_plot_error)
/* clang-format on */

/* A CSV output of the run, read back; failures are the run's (exit 1). */
static SimCsvTable *
read_table (const char *path, GError **error)
{
    g_autoptr (GError) local = NULL;
    SimCsvTable *t = sim_csv_table_load (path, &local);

    if (t == NULL)
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT, "%s",
                     local->message);
    return t;
}

/* g_file_set_contents, failing as an output I/O error (exit 1). */
static gboolean
write_text (const char *path, const char *text, GError **error)
{
    g_autoptr (GError) local = NULL;

    if (g_file_set_contents (path, text, -1, &local))
        return TRUE;
    g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO, "%s",
                 local->message);
    return FALSE;
}

static gint
column (const SimCsvTable *t, const char *name)
{
    return sim_csv_table_column (t, name);
}

static const char *
cell (GPtrArray *row, gint col)
{
    const char *s = col >= 0 && (guint) col < row->len
                        ? g_ptr_array_index (row, col)
                        : "";

    return *s ? s : "NaN";
}

/* pods.dat: time, then per version its pods and ready; share.dat: time,
 * then per version its share of arrivals. */
static gboolean
write_wide (const char *dir, const SimCsvTable *t, GError **error)
{
    gint c_time = column (t, "time_s"), c_ver = column (t, "version");
    gint c_pods = column (t, "pods"), c_ready = column (t, "ready");
    gint c_term = column (t, "terminating"), c_share = column (t, "share");
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    g_autofree char *pods_path = g_build_filename (dir, "pods.dat", NULL);
    g_autofree char *share_path = g_build_filename (dir, "share.dat", NULL);
    g_autofree char *meta_path = g_build_filename (dir, "meta.gp", NULL);
    g_autofree char *meta = NULL;
    gboolean has_share = FALSE, ok;
    FILE *pods, *share;

    if (c_time < 0 || c_ver < 0 || c_pods < 0 || c_ready < 0 || c_term < 0
        || c_share < 0) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "versions.csv: missing columns");
        return FALSE;
    }
    /* Versions in order of first appearance (the same at every time). */
    for (guint i = 0; i < t->rows->len; i++) {
        const char *v = cell (g_ptr_array_index (t->rows, i), c_ver);
        gboolean seen = FALSE;

        for (guint j = 0; j < names->len && !seen; j++)
            seen = strcmp (g_ptr_array_index (names, j), v) == 0;
        if (seen)
            break;
        g_ptr_array_add (names, (gpointer) v);
    }
    pods = fopen (pods_path, "w");
    share = fopen (share_path, "w");
    if (pods == NULL || share == NULL) {
        int e = errno;

        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO, "%s: %s", dir,
                     g_strerror (e));
        if (pods)
            fclose (pods);
        if (share)
            fclose (share);
        return FALSE;
    }
    fprintf (pods, "time_s");
    fprintf (share, "time_s");
    for (guint j = 0; j < names->len; j++) {
        const char *n = g_ptr_array_index (names, j);

        fprintf (pods, " \"%s pods\" \"%s ready\"", n, n);
        fprintf (share, " \"%s\"", n);
    }
    fprintf (pods, " \"all pods, terminating included\"\n");
    fprintf (share, "\n");
    for (guint i = 0; i + names->len <= t->rows->len; i += names->len) {
        gint64 all = 0;

        fprintf (pods, "%s", cell (g_ptr_array_index (t->rows, i), c_time));
        fprintf (share, "%s", cell (g_ptr_array_index (t->rows, i), c_time));
        for (guint j = 0; j < names->len; j++) {
            GPtrArray *row = g_ptr_array_index (t->rows, i + j);

            fprintf (pods, " %s %s", cell (row, c_pods), cell (row, c_ready));
            fprintf (share, " %s", cell (row, c_share));
            all += g_ascii_strtoll (cell (row, c_pods), NULL, 10)
                   + g_ascii_strtoll (cell (row, c_term), NULL, 10);
        }
        fprintf (pods, " %" G_GINT64_FORMAT "\n", all);
        fprintf (share, "\n");
    }
    ok = !ferror (pods) && !ferror (share);
    ok &= fclose (pods) == 0;
    ok &= fclose (share) == 0;
    if (!ok) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO,
                     "%s: write failed", dir);
        return FALSE;
    }
    /* Scripts draw an empty frame, not an error, when a run has nothing
     * to show (no traffic, no successful request). */
    for (guint i = 0; i < t->rows->len && !has_share; i++)
        has_share = strcmp (cell (g_ptr_array_index (t->rows, i), c_share),
                            "NaN")
                    != 0;
    meta = g_strdup_printf (
        "# written by rollsim: numbers only\n"
        "nversions = %u\n"
        "has_share = %d\n"
        "end_s = %s\n",
        names->len, has_share,
        t->rows->len > 0
            ? cell (g_ptr_array_index (t->rows, t->rows->len - 1), c_time)
            : "1");
    return write_text (meta_path, meta, error);
}

/* marks.dat: the rollout's milestones (fixed kind names, never scenario
 * text) for vertical marks; weight.dat: the canary weight over time. */
static gboolean
write_marks (const char *dir, const SimCsvTable *events, GError **error)
{
    static const char *const kinds[] = {
        "rollout-started",  "rollout-completed",          "promoted", "aborted",
        "service-switched", "progress-deadline-exceeded", "paused",   NULL
    };
    gint c_time = column (events, "time_s"), c_kind = column (events, "kind");
    gint c_value = column (events, "value");
    g_autoptr (GString) marks = g_string_new ("time_s label\n");
    g_autoptr (GString) weight = g_string_new ("time_s weight\n");
    g_autofree char *marks_path = g_build_filename (dir, "marks.dat", NULL);
    g_autofree char *weight_path = g_build_filename (dir, "weight.dat", NULL);

    if (c_time < 0 || c_kind < 0 || c_value < 0) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "events.csv: missing columns");
        return FALSE;
    }
    const char *last_time = NULL;
    g_autoptr (GString) label = g_string_new (NULL);

    for (guint i = 0; i < events->rows->len; i++) {
        GPtrArray *row = g_ptr_array_index (events->rows, i);
        const char *kind = cell (row, c_kind);
        const char *t = cell (row, c_time);

        if (g_strv_contains (kinds, kind)) {
            /* Milestones at one instant share one mark: "a, b". */
            if (last_time != NULL && strcmp (last_time, t) == 0) {
                if (strstr (label->str, kind) == NULL)
                    g_string_append_printf (label, ", %s", kind);
                continue;
            }
            if (last_time != NULL)
                g_string_append_printf (marks, "%s \"%s\"\n", last_time,
                                        label->str);
            last_time = t;
            g_string_assign (label, kind);
        } else if (strcmp (kind, "weight-set") == 0)
            g_string_append_printf (weight, "%s %s\n", cell (row, c_time),
                                    cell (row, c_value));
    }
    if (last_time != NULL)
        g_string_append_printf (marks, "%s \"%s\"\n", last_time, label->str);
    return write_text (marks_path, marks->str, error)
           && write_text (weight_path, weight->str, error);
}

/* latency.gp needs to know whether any step had a successful request. */
static gboolean
write_latency_meta (const char *dir, const SimCsvTable *ts, GError **error)
{
    g_autofree char *path = g_build_filename (dir, "meta.gp", NULL);
    g_autofree char *text = NULL;
    g_autofree char *line = NULL;
    gint c = column (ts, "p50_ms");
    gboolean any = FALSE;

    for (guint i = 0; c >= 0 && i < ts->rows->len && !any; i++)
        any = strcmp (cell (g_ptr_array_index (ts->rows, i), c), "NaN") != 0;
    if (!g_file_get_contents (path, &text, NULL, NULL)) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO,
                     "%s: cannot read", path);
        return FALSE;
    }
    line = g_strdup_printf ("%shas_latency = %d\n", text, any);
    return write_text (path, line, error);
}

static gboolean
run_gnuplot (const char *dir, const char *script, GError **error)
{
    const char *argv[] = { "gnuplot", script, NULL };
    g_autofree char *err_text = NULL;
    g_autoptr (GError) spawn_error = NULL;
    gint status = 0;

    if (!g_spawn_sync (dir, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                       NULL, NULL, &err_text, &status, &spawn_error)) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "cannot run gnuplot (install gnuplot-nox, or pass "
                     "--no-plots): %s",
                     spawn_error->message);
        return FALSE;
    }
    if (!g_spawn_check_wait_status (status, NULL)) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "gnuplot failed on %s/%s: %s", dir, script,
                     err_text != NULL ? g_strstrip (err_text) : "");
        return FALSE;
    }
    return TRUE;
}

gboolean
sim_plot_draw (const char *dir, GError **error)
{
    g_autofree char *plots = g_build_filename (dir, "plots", NULL);
    g_autofree char *versions = g_build_filename (dir, "versions.csv", NULL);
    g_autofree char *events = g_build_filename (dir, "events.csv", NULL);
    g_autofree char *timeseries = g_build_filename (dir, "timeseries.csv",
                                                    NULL);
    g_autoptr (SimCsvTable) v = NULL;
    g_autoptr (SimCsvTable) e = NULL;
    g_autoptr (SimCsvTable) ts = NULL;

    if (g_mkdir_with_parents (plots, 0755) != 0) {
        int err = errno;

        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO, "%s: %s", plots,
                     g_strerror (err));
        return FALSE;
    }
    if ((v = read_table (versions, error)) == NULL
        || !write_wide (plots, v, error)
        || (e = read_table (events, error)) == NULL
        || !write_marks (plots, e, error)
        || (ts = read_table (timeseries, error)) == NULL
        || !write_latency_meta (plots, ts, error))
        return FALSE;
    for (const SimPlotScript *s = sim_plot_scripts; s->name != NULL; s++) {
        if (g_str_has_prefix (s->name, "compare-")
            || g_str_has_prefix (s->name, "sweep-"))
            continue;
        if (!sim_plot_run_script (plots, s->name, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
sim_plot_run_script (const char *plots_dir, const char *name, GError **error)
{
    g_autofree char *path = g_build_filename (plots_dir, name, NULL);
    const SimPlotScript *s;

    for (s = sim_plot_scripts; s->name != NULL; s++)
        if (strcmp (s->name, name) == 0)
            break;
    g_return_val_if_fail (s->name != NULL, FALSE);
    /* A script already there may have been restyled: keep it. */
    if (!g_file_test (path, G_FILE_TEST_EXISTS)
        && !write_text (path, s->text, error))
        return FALSE;
    return run_gnuplot (plots_dir, name, error);
}
