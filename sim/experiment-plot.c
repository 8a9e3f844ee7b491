/* experiment-plot.c - the plots of a whole experiment (experiment.h):
 * compare draws the median replication of each variant over time (run
 * again: runs are deterministic); sweep draws each --metrics metric
 * against the first varied key, one line per combination of the others.
 * Each writes a data file and a meta file of settings into plots/, then
 * runs the gnuplot scripts (plot.h).
 *
 * Scenario text reaches gnuplot only as data, never as a command.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "experiment.h"
#include "world.h"
#include "metrics.h"
#include "report.h"
#include "plot.h"
#include "rng.h"
#include "downsample.h"
#include "units.h"

/* Text for a gnuplot data file as one double-quoted token: quotes and
 * backslashes cannot end it early.  Scenario text reaches gnuplot only
 * this way, as data, never as a command (plot.h). */
static char *
gp_string (const char *text)
{
    GString *s = g_string_new ("\"");

    for (const char *p = text; *p != '\0'; p++)
        g_string_append_c (s, *p == '"' ? '\'' : *p == '\\' ? '/' : *p);
    g_string_append_c (s, '"');
    return g_string_free (s, FALSE);
}

/* A name we chose or validated (metric, scenario key), for a gnuplot
 * single-quoted string in a meta file: anything unexpected becomes '_'. */
static char *
gp_name (const char *text)
{
    char *s = g_strdup (text);

    for (char *p = s; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && strchr ("._-%=", *p) == NULL)
            *p = '_';
    return s;
}

/* Words for a title in a meta file's single-quoted string: letters,
 * digits, spaces and "._-%=,:/"; anything else becomes '_' (no quote,
 * no '@', no backquote can reach gnuplot). */
static char *
gp_title (const char *text)
{
    char *s = g_strdup (text);

    for (char *p = s; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && strchr ("._-%=,:/ ", *p) == NULL)
            *p = '_';
    return s;
}

static char *
gp_number (double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    if (isnan (v))
        return g_strdup ("NaN");
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

/* The median replication of variant @v: runs ordered by errors, then
 * rollout duration, then replication; the lower middle one. */
typedef struct {
    guint rep;
    double errors, duration;
} Rank;

static gint
rank_cmp (gconstpointer pa, gconstpointer pb)
{
    const Rank *a = pa, *b = pb;
    double ad = isnan (a->duration) ? G_MAXDOUBLE : a->duration;
    double bd = isnan (b->duration) ? G_MAXDOUBLE : b->duration;
    double ae = isnan (a->errors) ? G_MAXDOUBLE : a->errors;
    double be = isnan (b->errors) ? G_MAXDOUBLE : b->errors;

    if (ae != be)
        return ae < be ? -1 : 1;
    if (ad != bd)
        return ad < bd ? -1 : 1;
    return a->rep < b->rep ? -1 : a->rep > b->rep;
}

static guint
median_replication (const SimExperiment *x, guint v)
{
    GPtrArray *runs = sim_experiment_variant (x, v)->runs;
    gint me = sim_experiment_find_metric (x, "errors");
    gint md = sim_experiment_find_metric (x, "rollout_duration_s");
    g_autofree Rank *r = g_new0 (Rank, runs->len + 1);
    guint n = 0;

    for (guint i = 0; i < runs->len; i++) {
        SimRun *run = g_ptr_array_index (runs, i);

        if (run == NULL)
            continue;
        r[n].rep = i;
        r[n].errors = me >= 0 ? run->x[me] : 0;
        r[n].duration = md >= 0 ? run->x[md] : 0;
        n++;
    }
    if (n == 0)
        return 0;
    qsort (r, n, sizeof *r, rank_cmp);
    return r[(n - 1) / 2].rep;
}

static void
compare_row (double time, const double *x, gpointer user)
{
    g_autofree char *t = gp_number (time);
    g_autofree char *a = gp_number (x[3]);

    fprintf (user, "%s %.0f %.0f %.0f %s\n", t, x[0], x[1], x[2], a);
}

/* compare.dat: per variant, one block (header line: its label and
 * replication) of time_s, all pods (terminating included), ready pods,
 * errors, availability per sample step of its median replication, which
 * is run again here (runs are deterministic). */
gboolean
sim_experiment_draw_compare (const SimExperiment *x, const char *dir,
                             GError **error)
{
    g_autofree char *plots = g_build_filename (dir, "plots", NULL);
    g_autofree char *path = NULL;
    g_autofree char *meta = NULL;
    g_autofree char *meta_path = NULL;
    FILE *fp;

    if (!sim_report_make_dir (plots, error))
        return FALSE;
    fp = sim_report_open_file (plots, "compare.dat", &path, error);
    if (fp == NULL)
        return FALSE;
    fprintf (fp, "# rollsim compare: the median replication of each "
                 "variant, one block each:\n# time_s pods(all) ready errors "
                 "availability\n");
    for (guint v = 0; v < x->variants->len; v++) {
        const SimVariant *va = sim_experiment_variant (x, v);
        guint rep = median_replication (x, v);
        g_autoptr (SimScenario) sc = sim_scenario_copy (va->sc);
        g_autofree char *title = NULL;
        g_autofree char *quoted = NULL;
        SimMetrics *m;
        SimWorld *w;

        sc->seed = sim_rng_replication_seed (va->sc->seed, rep);
        w = sim_world_new (sc, NULL, error);
        if (w == NULL) {
            fclose (fp);
            return FALSE;
        }
        sim_world_run (w);
        m = sim_world_metrics (w);
        if (sim_experiment_variant_complete (x, v))
            title = g_strdup_printf ("%s (replication %u)", va->label, rep);
        else {
            g_autofree char *outcomes = sim_experiment_outcome_text (x, v);

            title = g_strdup_printf ("%s (replication %u; %s)", va->label, rep,
                                     outcomes);
        }
        quoted = gp_string (title);
        fprintf (fp, "%s%s\n", v > 0 ? "\n\n" : "", quoted);
        /* A point at each row's time: the pod counts of that row (the
         * state at its end) and the counters of the step that follows
         * it, so a change is drawn at its own time and a step's errors
         * over the step (plot.c, design.md 7.6); the last row again at
         * the end.  Downsampled to what the picture shows, every extreme
         * kept (downsample.h). */
        {
            g_autoptr (SimDownsample) ds = sim_downsample_new (4, 2000);

            for (guint i = 0, n = m->timeseries->len; i <= n; i++) {
                const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                            SimTimeseriesRow,
                                                            MIN (i, n - 1));
                guint start = i == n ? n - 1 : i == 0 ? 0 : i - 1;
                const SimTimeseriesRow *at = &g_array_index (m->timeseries,
                                                             SimTimeseriesRow,
                                                             start);
                double row[4] = {
                    at->pods + at->terminating, at->ready, (double) r->c.errors,
                    r->c.arrivals > 0 ? (double) r->c.ok / r->c.arrivals : NAN
                };

                sim_downsample_add (ds, SIM_TIME_TO_SEC (at->time), row);
            }
            sim_downsample_foreach (ds, compare_row, fp);
        }
        sim_world_free (w);
    }
    if (!sim_report_close_file (fp, path, error))
        return FALSE;
    {
        g_autoptr (GString)
            t = g_string_new (sim_experiment_variant (x, 0)->sc->name);
        g_autofree char *title = NULL;

        for (guint i = 0; x->sets != NULL && x->sets[i] != NULL; i++)
            g_string_append_printf (t, "%s%s", i == 0 ? ", " : " ", x->sets[i]);
        title = gp_title (t->str);
        meta = g_strdup_printf ("# written by rollsim compare\n"
                                "nvariants = %u\n"
                                "run_title = '%s'\n"
                                "formats = 'png svg'\n",
                                x->variants->len, title);
    }
    meta_path = g_build_filename (plots, "compare-meta.gp", NULL);
    return g_file_set_contents (meta_path, meta, -1, error)
           && sim_plot_run_scripts (plots,
                                    (const char *const[]) { "compare-pods.gp",
                                                            "compare-errors.gp",
                                                            NULL },
                                    error);
}

/* How the first key's values sit on the x axis: by value when every one
 * reads as a number, a duration (seconds) or a percentage, in the same
 * way; else one after the other. */
typedef enum { AXIS_CATEGORIES, AXIS_NUMBER, AXIS_SECONDS, AXIS_PERCENT } Axis;

static double
axis_value (Axis kind, const char *text)
{
    SimTime t;
    gsize n = strlen (text);

    switch (kind) {
    case AXIS_NUMBER:
        return sim_experiment_parse_number (text);
    case AXIS_SECONDS:
        return sim_units_parse_duration (text, &t, NULL) ? SIM_TIME_TO_SEC (t)
                                                         : NAN;
    case AXIS_PERCENT:
        if (n > 1 && text[n - 1] == '%') {
            g_autofree char *num = g_strndup (text, n - 1);

            return sim_experiment_parse_number (num);
        }
        return NAN;
    case AXIS_CATEGORIES:
        break;
    }
    return NAN;
}

static Axis
axis_kind (char **values)
{
    static const Axis kinds[] = { AXIS_NUMBER, AXIS_SECONDS, AXIS_PERCENT };

    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
        gboolean all = TRUE;

        for (guint i = 0; values[i] != NULL && all; i++)
            all = isfinite (axis_value (kinds[k], values[i]));
        if (all)
            return kinds[k];
    }
    return AXIS_CATEGORIES;
}

/* The label of a plot line: the values of the keys after the first. */
static char *
line_label (const SimExperiment *x, char **values)
{
    GString *s = g_string_new (NULL);

    for (guint k = 1; values[k] != NULL; k++) {
        g_autofree char *sk = sim_experiment_short_key (x, k);

        g_string_append_printf (s, "%s%s=%s", k > 1 ? " " : "", sk, values[k]);
    }
    return g_string_free (s, FALSE);
}

/* The variant with these values of every key, or -1 (skipped). */
static gint
find_variant (const SimExperiment *x, char **values)
{
    for (guint v = 0; v < x->variants->len; v++) {
        char **mine = sim_experiment_variant (x, v)->values;
        guint k;

        for (k = 0; values[k] != NULL; k++)
            if (strcmp (mine[k], values[k]) != 0)
                break;
        if (values[k] == NULL)
            return (gint) v;
    }
    return -1;
}

/* sweep.dat: one block per combination of the values of the keys after
 * the first, in the order given (header line: those settings); rows: the
 * first key's values in order, each with its x position, 1 when every
 * replication completed (or had no rollout) else 0, then the mean and
 * half-width of each plotted metric (NaN where the combination was
 * skipped, a gap in the line).  Metrics with no value at all are left
 * out: gnuplot refuses a plot with no point. */
gboolean
sim_experiment_draw_sweep (const SimExperiment *x, const SimStats *st,
                           const char *dir, GError **error)
{
    g_autofree char *plots = g_build_filename (dir, "plots", NULL);
    g_autofree char *path = NULL;
    g_autofree char *meta_path = NULL;
    g_autoptr (GString) meta = g_string_new ("# written by rollsim sweep\n");
    g_autoptr (GArray) shown = g_array_new (FALSE, FALSE, sizeof (guint));
    g_autofree char *xkey = gp_name (x->keys[0]);
    char **firsts = g_ptr_array_index (x->axes, 0);
    guint nk = g_strv_length (x->keys), nm = x->metrics->len, nlines = 1;
    g_autofree char **values = g_new0 (char *, nk + 1);
    gboolean numeric;
    Axis xaxis;
    g_autofree char *plot_title = NULL;
    FILE *fp;

    for (guint p = 0; x->plot_metrics[p] != NULL; p++) {
        guint m = (guint) sim_experiment_find_metric (x, x->plot_metrics[p]);
        gboolean any = FALSE;

        for (guint v = 0; v < x->variants->len; v++)
            any |= st[v * nm + m].n > 0;
        if (any)
            g_array_append_val (shown, m);
        else
            fprintf (stderr,
                     "rollsim: %s: no plot of %s: no run has a "
                     "value of it\n",
                     x->command, sim_experiment_metric (x, m)->name);
    }
    if (shown->len == 0)
        return TRUE;
    if (!sim_report_make_dir (plots, error))
        return FALSE;
    xaxis = axis_kind (firsts);
    numeric = xaxis != AXIS_CATEGORIES;
    for (guint k = 1; k < nk; k++)
        nlines *= g_strv_length (g_ptr_array_index (x->axes, k));
    fp = sim_report_open_file (plots, "sweep.dat", &path, error);
    if (fp == NULL)
        return FALSE;
    fprintf (fp,
             "# rollsim sweep: one block per line of the plot; "
             "columns: %s, x, complete, then mean and half-width of each "
             "metric\n",
             xkey);
    for (guint l = 0; l < nlines; l++) {
        g_autofree char *label = NULL;
        g_autofree char *title = NULL;

        /* Line l's values of keys 1.., the last fastest. */
        for (guint k = nk, rest = l; k > 1; k--) {
            char **axis = g_ptr_array_index (x->axes, k - 1);
            guint len = g_strv_length (axis);

            values[k - 1] = axis[rest % len];
            rest /= len;
        }
        values[0] = firsts[0];
        label = line_label (x, values);
        title = gp_string (*label != '\0' ? label : "mean and 95% interval");
        fprintf (fp, "%s%s\n", l > 0 ? "\n\n" : "", title);
        for (guint i = 0; firsts[i] != NULL; i++) {
            g_autofree char *name = gp_string (firsts[i]);
            g_autofree char *xpos = numeric ? gp_number (axis_value (xaxis,
                                                                     firsts[i]))
                                            : g_strdup_printf ("%u", i);
            gint v;

            values[0] = firsts[i];
            v = find_variant (x, values);
            fprintf (fp, "%s %s %d", name, xpos,
                     v < 0 || sim_experiment_variant_complete (x, (guint) v));
            for (guint p = 0; p < shown->len; p++) {
                guint m = g_array_index (shown, guint, p);
                const SimStats *s = v >= 0 ? &st[(guint) v * nm + m] : NULL;
                g_autofree char *mean = gp_number (s ? s->mean : NAN);
                g_autofree char *hw = gp_number (s ? s->hw : NAN);

                fprintf (fp, " %s %s", mean, hw);
            }
            fprintf (fp, "\n");
        }
    }
    if (!sim_report_close_file (fp, path, error))
        return FALSE;

    /* The title: the scenario and the --set every variant shares
     * (checked names and values only: gp_name). */
    {
        g_autoptr (GString)
            t = g_string_new (sim_experiment_variant (x, 0)->sc->name);

        for (guint i = 0; x->sets != NULL && x->sets[i] != NULL; i++)
            g_string_append_printf (t, "%s%s", i == 0 ? ", " : " ", x->sets[i]);
        plot_title = gp_title (t->str);
    }
    g_string_append_printf (meta,
                            "nlines = %u\nxnumeric = %d\n"
                            "xkey = '%s'\nxunit = '%s'\n"
                            "run_title = '%s'\nmetrics = '",
                            nlines, numeric, xkey,
                            xaxis == AXIS_SECONDS   ? " (s)"
                            : xaxis == AXIS_PERCENT ? " (%)"
                                                    : "",
                            plot_title);
    for (guint p = 0; p < shown->len; p++) {
        g_autofree char *name = gp_name (
            sim_experiment_metric (x, g_array_index (shown, guint, p))->name);

        g_string_append_printf (meta, "%s%s", p > 0 ? " " : "", name);
    }
    g_string_append (meta, "'\nformats = 'png svg'\n");
    meta_path = g_build_filename (plots, "sweep-meta.gp", NULL);
    return g_file_set_contents (meta_path, meta->str, -1, error)
           && sim_plot_run_script (plots, "sweep-metrics.gp", error);
}
