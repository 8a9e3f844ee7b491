/* plot.c - draws a run's plots: reads the run's CSV files back, checks
 * every cell it uses, writes the small data files the gnuplot scripts
 * read, and runs gnuplot on each script.  See plot.h.
 *
 * Nothing read is trusted (`rollsim plot DIR` reads whatever DIR holds):
 * every number that reaches a data file or meta.gp is formatted here
 * from a parsed and range-checked double, a version name only after it
 * passed the version-name grammar (letters, digits, '.', '_', '-'), and
 * milestone labels are our own words.  A cell that is not what a run
 * writes is an error naming FILE:LINE (SIM_PLOT_ERROR_DATA).
 *
 * Nothing is written through a symbolic link: the files are made in a
 * private directory (plots/.work-XXXXXX, mode 0700) where gnuplot runs,
 * then renamed into plots/, which replaces a link instead of following
 * it; plots/ itself may not be a link.
 *
 * Time.  A versions.csv or timeseries.csv row at time t describes the
 * sample step [t - sample, t): its counters count that step, its pod
 * counts are the state at its end.  The data files place each row at
 * the start of its step (and repeat the last one at the end of the
 * run), so a change drawn with `steps` starts at the step in which it
 * happened: a change at a sample time is drawn at its own time, never a
 * step later (docs/design.md 7.6).
 */
#define _POSIX_C_SOURCE 200809L /* lstat */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "plot.h"
#include "csv-table.h"
#include "output.h"
#include "keytab.h"
#include "outcome.h"
#include "scenario.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-plot-error-quark, sim_plot_error)
/* clang-format on */

/* Every script the run draws carries this line; a script in DIR/plots
 * without it was written for older data files and is replaced. */
#define FORMAT_LINE "# rollsim plot format 2"

/* The largest count or time a run writes, with room to spare. */
#define COUNT_MAX 1e9
#define TIME_MAX 1e12

/* --- Reading and checking ---------------------------------------------------- */

typedef struct {
    gint pods, ready, pending, terminating;
    double share; /* NaN: no arrival in the step */
} VersionRow;

typedef struct {
    double time;
    double cause[SIM_N_CAUSES];
    double p50, p95, p99; /* NaN: no successful request */
    /* Scaling (older runs have none: NaN). */
    double desired, hpa_desired, nodes, cpu_utilization;
} SeriesRow;

typedef struct {
    double time;
    char *label; /* our words and checked names only */
} Mark;

typedef struct {
    double time;
    gint weight;
} Weight;

typedef struct {
    guint n_versions;
    char *names[SIM_MAX_VERSIONS];
    GArray *times;    /* double: versions.csv's sample times */
    GArray *versions; /* VersionRow: times->len * n_versions */
    GArray *series;   /* SeriesRow: timeseries.csv */
    GArray *marks;    /* Mark */
    GArray *weights;  /* Weight */
    double end_s;
    double cpu_target; /* the HPA's cpu target, %; NaN: none */
} PlotData;

static void
mark_clear (gpointer p)
{
    g_free (((Mark *) p)->label);
}

static void
plot_data_free (PlotData *d)
{
    for (guint i = 0; i < d->n_versions; i++)
        g_free (d->names[i]);
    g_array_unref (d->times);
    g_array_unref (d->versions);
    g_array_unref (d->series);
    g_array_unref (d->marks);
    g_array_unref (d->weights);
    g_free (d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotData, plot_data_free)

static PlotData *
plot_data_new (void)
{
    PlotData *d = g_new0 (PlotData, 1);

    d->times = g_array_new (FALSE, FALSE, sizeof (double));
    d->versions = g_array_new (FALSE, FALSE, sizeof (VersionRow));
    d->series = g_array_new (FALSE, FALSE, sizeof (SeriesRow));
    d->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
    g_array_set_clear_func (d->marks, mark_clear);
    d->weights = g_array_new (FALSE, FALSE, sizeof (Weight));
    d->cpu_target = NAN;
    return d;
}

/* What a run writes: for the messages and the checks. */
typedef enum {
    CELL_TIME,   /* seconds, 0 .. TIME_MAX */
    CELL_COUNT,  /* a whole number, 0 .. COUNT_MAX */
    CELL_SHARE,  /* empty (NaN) or 0 .. 1 */
    CELL_MS,     /* empty (NaN) or 0 .. TIME_MAX */
    CELL_WEIGHT, /* a whole number, 0 .. 100 */
} CellKind;

static const char *const cell_what[] = {
    "a time in seconds",
    "a count",
    "a share between 0 and 1, or empty",
    "milliseconds, or empty",
    "a weight between 0 and 100",
};

static gboolean data_error (GError **error, const char *file, guint line,
                            const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
data_error (GError **error, const char *file, guint line, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *what = NULL;

    va_start (ap, fmt);
    what = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    if (line > 0)
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_DATA,
                     "%s:%u: %s (not what a run writes)", file, line, what);
    else
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_DATA,
                     "%s: %s (not what a run writes)", file, what);
    return FALSE;
}

/* A plain decimal number: digits, one sign, a point, an exponent; no
 * "nan", "inf", hex or spaces. */
static gboolean
parse_decimal (const char *text, double *out)
{
    char *end = NULL;

    if (*text == '\0' || strspn (text, "0123456789+-.eE") != strlen (text))
        return FALSE;
    *out = g_ascii_strtod (text, &end);
    return end != text && *end == '\0' && isfinite (*out);
}

/* Row @r's cell @col of @t, of @kind, into @out. */
static gboolean
cell_value (const SimCsvTable *t, const char *file, guint r, gint col,
            CellKind kind, double *out, GError **error)
{
    const char *text = sim_csv_table_cell (t, r, col);
    double v;
    gboolean ok;

    if (*text == '\0' && (kind == CELL_SHARE || kind == CELL_MS)) {
        *out = NAN;
        return TRUE;
    }
    ok = parse_decimal (text, &v) && v >= 0;
    switch (kind) {
    case CELL_TIME:
    case CELL_MS:
        ok = ok && v <= TIME_MAX;
        break;
    case CELL_COUNT:
        ok = ok && v <= COUNT_MAX && v == floor (v);
        break;
    case CELL_SHARE:
        ok = ok && v <= 1;
        break;
    case CELL_WEIGHT:
        ok = ok && v <= 100 && v == floor (v);
        break;
    }
    if (!ok) {
        g_autofree char *shown = g_strescape (text, NULL);

        return data_error (error, file, sim_csv_table_line (t, r),
                           "%s \"%.40s\" is not %s",
                           (char *) g_ptr_array_index (t->header, col), shown,
                           cell_what[kind]);
    }
    *out = v;
    return TRUE;
}

/* The columns @names of @t into @cols; every row as long as the header;
 * the last line ended. */
static gboolean
check_table (const SimCsvTable *t, const char *file, const char *const *names,
             gint *cols, gboolean need_rows, GError **error)
{
    for (guint i = 0; names[i] != NULL; i++)
        if ((cols[i] = sim_csv_table_column (t, names[i])) < 0)
            return data_error (error, file, 0, "no column %s", names[i]);
    for (guint r = 0; r < t->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (t->rows, r);

        if (row->len != t->header->len)
            return data_error (error, file, sim_csv_table_line (t, r),
                               "%u fields, the header has %u", row->len,
                               t->header->len);
    }
    if (!t->complete)
        return data_error (error, file, 0,
                           "its last line has no end: cut short?");
    if (need_rows && t->rows->len == 0)
        return data_error (error, file, 0, "no rows");
    return TRUE;
}

/* versions.csv: blocks of one row per version at each sample time, the
 * versions in the same order in every block, times increasing. */
static gboolean
read_versions (PlotData *d, const SimCsvTable *t, GError **error)
{
    static const char *const names[] = { "time_s", "version", "pods",
                                         "ready",  "pending", "terminating",
                                         "share",  NULL };
    const char *file = "versions.csv";
    gint c[G_N_ELEMENTS (names)];
    guint nrows;

    if (!check_table (t, file, names, c, TRUE, error))
        return FALSE;
    nrows = t->rows->len;
    /* The first block names the versions. */
    for (guint r = 0; r < nrows; r++) {
        const char *name = sim_csv_table_cell (t, r, c[1]);

        if (strcmp (sim_csv_table_cell (t, r, c[0]),
                    sim_csv_table_cell (t, 0, c[0]))
            != 0)
            break;
        if (!sim_key_valid_name (name)) {
            g_autofree char *shown = g_strescape (name, NULL);

            return data_error (error, file, sim_csv_table_line (t, r),
                               "\"%.40s\" is not a version name", shown);
        }
        for (guint j = 0; j < d->n_versions; j++)
            if (strcmp (d->names[j], name) == 0)
                return data_error (error, file, sim_csv_table_line (t, r),
                                   "version %s twice at one time", name);
        if (d->n_versions == SIM_MAX_VERSIONS)
            return data_error (error, file, sim_csv_table_line (t, r),
                               "more than %d versions", SIM_MAX_VERSIONS);
        d->names[d->n_versions++] = g_strdup (name);
    }
    if (nrows % d->n_versions != 0)
        return data_error (error, file, sim_csv_table_line (t, nrows - 1),
                           "the last time has %u of the %u versions",
                           nrows % d->n_versions, d->n_versions);
    for (guint r = 0; r < nrows; r++) {
        guint j = r % d->n_versions;
        VersionRow v;
        double time, pods, ready, pending, terminating;

        if (strcmp (sim_csv_table_cell (t, r, c[1]), d->names[j]) != 0)
            return data_error (error, file, sim_csv_table_line (t, r),
                               "expected version %s here (the versions "
                               "of the first time, in order)",
                               d->names[j]);
        if (!cell_value (t, file, r, c[0], CELL_TIME, &time, error)
            || !cell_value (t, file, r, c[2], CELL_COUNT, &pods, error)
            || !cell_value (t, file, r, c[3], CELL_COUNT, &ready, error)
            || !cell_value (t, file, r, c[4], CELL_COUNT, &pending, error)
            || !cell_value (t, file, r, c[5], CELL_COUNT, &terminating, error)
            || !cell_value (t, file, r, c[6], CELL_SHARE, &v.share, error))
            return FALSE;
        if (j == 0) {
            guint n = d->times->len;

            if (n > 0 && !(time > g_array_index (d->times, double, n - 1)))
                return data_error (error, file, sim_csv_table_line (t, r),
                                   "time_s does not increase");
            g_array_append_val (d->times, time);
        } else if (time
                   != g_array_index (d->times, double, d->times->len - 1)) {
            return data_error (error, file, sim_csv_table_line (t, r),
                               "the versions of one time differ in time_s");
        }
        v.pods = (gint) pods;
        v.ready = (gint) ready;
        v.pending = (gint) pending;
        v.terminating = (gint) terminating;
        g_array_append_val (d->versions, v);
    }
    d->end_s = g_array_index (d->times, double, d->times->len - 1);
    return TRUE;
}

/* timeseries.csv: errors by cause and latency per sample step. */
static gboolean
read_series (PlotData *d, const SimCsvTable *t, GError **error)
{
    const char *names[4 + SIM_N_CAUSES + 1];
    const char *file = "timeseries.csv";
    gint c[G_N_ELEMENTS (names)];
    guint n = 0;

    names[n++] = "time_s";
    names[n++] = "p50_ms";
    names[n++] = "p95_ms";
    names[n++] = "p99_ms";
    for (gint k = 0; k < SIM_N_CAUSES; k++)
        names[n++] = sim_cause_name (k);
    names[n] = NULL;
    static const char *const scaling[] = { "desired", "hpa_desired", "nodes",
                                           "cpu_utilization" };
    gint sc[G_N_ELEMENTS (scaling)];

    if (!check_table (t, file, names, c, TRUE, error))
        return FALSE;
    /* Optional: runs before autoscaling have none. */
    for (guint k = 0; k < G_N_ELEMENTS (scaling); k++)
        sc[k] = sim_csv_table_column (t, scaling[k]);
    for (guint r = 0; r < t->rows->len; r++) {
        SeriesRow s;
        double *cells[] = { &s.desired, &s.hpa_desired, &s.nodes,
                            &s.cpu_utilization };

        for (guint k = 0; k < G_N_ELEMENTS (scaling); k++) {
            *cells[k] = NAN;
            if (sc[k] >= 0
                && !cell_value (t, file, r, sc[k], CELL_MS, cells[k], error))
                return FALSE;
        }

        if (!cell_value (t, file, r, c[0], CELL_TIME, &s.time, error)
            || !cell_value (t, file, r, c[1], CELL_MS, &s.p50, error)
            || !cell_value (t, file, r, c[2], CELL_MS, &s.p95, error)
            || !cell_value (t, file, r, c[3], CELL_MS, &s.p99, error))
            return FALSE;
        for (gint k = 0; k < SIM_N_CAUSES; k++)
            if (!cell_value (t, file, r, c[4 + k], CELL_COUNT, &s.cause[k],
                             error))
                return FALSE;
        if (d->series->len > 0
            && !(s.time
                 > g_array_index (d->series, SeriesRow, d->series->len - 1)
                       .time))
            return data_error (error, file, sim_csv_table_line (t, r),
                               "time_s does not increase");
        g_array_append_val (d->series, s);
    }
    return TRUE;
}

/* The index of version @name, or -1. */
static gint
version_index (const PlotData *d, const char *name)
{
    for (guint j = 0; j < d->n_versions; j++)
        if (strcmp (d->names[j], name) == 0)
            return (gint) j;
    return -1;
}

/* A milestone's words: the kind, and for a Service switch which Service
 * now selects which version (both checked: never the file's text). */
static char *
mark_label (const PlotData *d, const char *kind, const char *object,
            const char *version)
{
    static const char *const services[] = { "active", "preview", NULL };
    gint v = version_index (d, version);

    if (strcmp (kind, "service-switched") == 0 && v >= 0
        && g_strv_contains (services, object))
        return g_strdup_printf ("%s -> %s", object, d->names[v]);
    return g_strdup (kind);
}

/* events.csv: the milestones (vertical marks) and the canary weights. */
static gboolean
read_events (PlotData *d, const SimCsvTable *t, GError **error)
{
    static const char *const milestones[] = {
        "rollout-started", "rollout-completed", "promoted", "aborted",
        "service-switched", "progress-deadline-exceeded", "paused",
        /* The timeline's actions and faults (docs/timeline.md). */
        "action", "rollover", "resumed", "node-not-ready", "node-tainted",
        "node-ready", NULL
    };
    static const char *const names[] = { "time_s",  "kind",  "object",
                                         "version", "value", NULL };
    const char *file = "events.csv";
    gint c[G_N_ELEMENTS (names) + 1];

    if (!check_table (t, file, names, c, FALSE, error))
        return FALSE;
    c[5] = sim_csv_table_column (t, "detail");
    for (guint r = 0; r < t->rows->len; r++) {
        const char *kind = sim_csv_table_cell (t, r, c[1]);
        double time;

        if (!cell_value (t, file, r, c[0], CELL_TIME, &time, error))
            return FALSE;
        if (g_strv_contains (milestones, kind)) {
            g_autofree char *label = mark_label (
                d, kind, sim_csv_table_cell (t, r, c[2]),
                sim_csv_table_cell (t, r, c[3]));
            Mark *last = d->marks->len > 0 ? &g_array_index (d->marks, Mark,
                                                             d->marks->len - 1)
                                           : NULL;

            /* Milestones at one instant share one mark: "a, b". */
            if (last != NULL && last->time == time) {
                if (strstr (last->label, label) == NULL) {
                    char *joined = g_strconcat (last->label, ", ", label, NULL);

                    g_free (last->label);
                    last->label = joined;
                }
            } else {
                Mark m = { time, g_steal_pointer (&label) };

                g_array_append_val (d->marks, m);
            }
        } else if (strcmp (kind, "hpa-scaled") == 0 && isnan (d->cpu_target)
                   && c[5] >= 0) {
            /* "cpu 102% of 60%, ...": the target, if it reads as one. */
            const char *detail = sim_csv_table_cell (t, r, c[5]);
            const char *of = g_str_has_prefix (detail, "cpu ")
                                 ? strstr (detail, "% of ")
                                 : NULL;
            char *end = NULL;
            double target = of != NULL ? g_ascii_strtod (of + 5, &end) : NAN;

            if (end != NULL && *end == '%' && target >= 1 && target <= 100000)
                d->cpu_target = target;
        } else if (strcmp (kind, "weight-set") == 0) {
            Weight w = { time, 0 };
            double value;

            if (!cell_value (t, file, r, c[4], CELL_WEIGHT, &value, error))
                return FALSE;
            w.weight = (gint) value;
            g_array_append_val (d->weights, w);
        }
    }
    return TRUE;
}

/* Read and check DIR's versions.csv, timeseries.csv and events.csv. */
static PlotData *
plot_data_read (const char *dir, GError **error)
{
    static const char *const files[] = { "versions.csv", "timeseries.csv",
                                         "events.csv" };
    g_autoptr (PlotData) d = plot_data_new ();

    for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
        g_autofree char *path = g_build_filename (dir, files[i], NULL);
        g_autoptr (GError) local = NULL;
        g_autoptr (SimCsvTable) t = sim_csv_table_load (path, &local);
        gboolean ok;

        if (t == NULL) {
            g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_DATA, "%s",
                         local->message);
            return NULL;
        }
        ok = i == 0   ? read_versions (d, t, error)
             : i == 1 ? read_series (d, t, error)
                      : read_events (d, t, error);
        if (!ok) {
            g_prefix_error (error, "%s/", dir);
            return NULL;
        }
    }
    return g_steal_pointer (&d);
}

/* --- Writing the data files ---------------------------------------------- */

/* A number for a data file: "NaN" or a plain decimal. */
static const char *
num (char *buf, double v)
{
    if (isnan (v))
        return "NaN";
    return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6f", v);
}

/* Where row @i of a series of sample @times is drawn: the start of its
 * step (the time of the row before); row @n is the last row again, at
 * the end of the run. */
static double
step_start (const double *times, guint n, guint i)
{
    return i == 0 ? times[0] : i == n ? times[n - 1] : times[i - 1];
}

static gboolean
write_file (const char *dir, const char *name, const char *text, GError **error)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autoptr (GError) local = NULL;

    if (g_file_set_contents (path, text, -1, &local))
        return TRUE;
    g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO, "%s",
                 local->message);
    return FALSE;
}

/* pods.dat: time, then per version its pods, ready and pending pods,
 * then every pod that exists (pending and terminating included);
 * share.dat: time, then per version its share of arrivals. */
static gboolean
write_versions (const PlotData *d, const char *dir, GError **error)
{
    g_autoptr (GString) pods = g_string_new ("time_s");
    g_autoptr (GString) share = g_string_new ("time_s");
    const double *times = (const double *) d->times->data;
    guint n = d->times->len;
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

    for (guint j = 0; j < d->n_versions; j++) {
        const char *v = d->names[j];

        g_string_append_printf (pods,
                                " \"%s pods\" \"%s ready\" \"%s pending\"", v,
                                v, v);
        g_string_append_printf (share, " \"%s\"", v);
    }
    g_string_append (pods,
                     " \"all pods (pending and terminating included)\"\n");
    g_string_append (share, "\n");
    for (guint i = 0; i <= n; i++) {
        const VersionRow *row = &g_array_index (d->versions, VersionRow,
                                                MIN (i, n - 1) * d->n_versions);
        gint64 all = 0;

        num (a, step_start (times, n, i));
        g_string_append (pods, a);
        g_string_append (share, a);
        for (guint j = 0; j < d->n_versions; j++) {
            g_string_append_printf (pods, " %d %d %d", row[j].pods,
                                    row[j].ready, row[j].pending);
            g_string_append_printf (share, " %s", num (b, row[j].share));
            all += (gint64) row[j].pods + row[j].terminating;
        }
        g_string_append_printf (pods, " %" G_GINT64_FORMAT "\n", all);
        g_string_append (share, "\n");
    }
    return write_file (dir, "pods.dat", pods->str, error)
           && write_file (dir, "share.dat", share->str, error);
}

/* errors.dat: time, then the failed requests of each cause;
 * latency.dat: time, p50, p95, p99 of successful requests. */
static gboolean
write_series (const PlotData *d, const char *dir, GError **error)
{
    g_autoptr (GString) errors = g_string_new ("time_s");
    g_autoptr (GString) latency = g_string_new ("time_s p50 p95 p99\n");
    guint n = d->series->len;
    g_autofree double *times = g_new (double, n);
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE],
        c[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE];

    for (gint k = 0; k < SIM_N_CAUSES; k++)
        g_string_append_printf (errors, " %s", sim_cause_name (k));
    g_string_append (errors, "\n");
    for (guint i = 0; i < n; i++)
        times[i] = g_array_index (d->series, SeriesRow, i).time;
    for (guint i = 0; i <= n; i++) {
        const SeriesRow *s = &g_array_index (d->series, SeriesRow,
                                             MIN (i, n - 1));

        num (a, step_start (times, n, i));
        g_string_append (errors, a);
        for (gint k = 0; k < SIM_N_CAUSES; k++)
            g_string_append_printf (errors, " %s", num (b, s->cause[k]));
        g_string_append (errors, "\n");
        g_string_append_printf (latency, "%s %s %s %s\n", a, num (b, s->p50),
                                num (c, s->p95), num (e, s->p99));
    }
    return write_file (dir, "errors.dat", errors->str, error)
           && write_file (dir, "latency.dat", latency->str, error);
}

/* Whether the run scaled anything: an HPA synced, or nodes came or
 * went. */
static gboolean
has_scaling (const PlotData *d)
{
    for (guint i = 0; i < d->series->len; i++) {
        const SeriesRow *s = &g_array_index (d->series, SeriesRow, i);

        if (!isnan (s->hpa_desired)
            || s->nodes != g_array_index (d->series, SeriesRow, 0).nodes)
            return TRUE;
    }
    return FALSE;
}

/* scaling.dat: time, the ReplicaSets' spec summed, the HPA's desired
 * replicas, the nodes, the HPA's CPU utilization. */
static gboolean
write_scaling (const PlotData *d, const char *dir, GError **error)
{
    g_autoptr (GString) out = g_string_new (
        "time_s \"ReplicaSets' spec\" \"HPA desired\" nodes \"CPU "
        "utilization\"\n");
    guint n = d->series->len;
    g_autofree double *times = g_new (double, MAX (n, 1));
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE],
        c[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE],
        f[G_ASCII_DTOSTR_BUF_SIZE];

    for (guint i = 0; i < n; i++)
        times[i] = g_array_index (d->series, SeriesRow, i).time;
    for (guint i = 0; i <= n && n > 0; i++) {
        const SeriesRow *s = &g_array_index (d->series, SeriesRow,
                                             MIN (i, n - 1));

        g_string_append_printf (out, "%s %s %s %s %s\n",
                                num (a, step_start (times, n, i)),
                                num (b, s->desired), num (c, s->hpa_desired),
                                num (e, s->nodes), num (f, s->cpu_utilization));
    }
    return write_file (dir, "scaling.dat", out->str, error);
}

/* marks.dat: the milestones; weight.dat: the canary weight over time,
 * held to the end of the run. */
static gboolean
write_events (const PlotData *d, const char *dir, GError **error)
{
    g_autoptr (GString) marks = g_string_new ("time_s label\n");
    g_autoptr (GString) weight = g_string_new ("time_s weight\n");
    char a[G_ASCII_DTOSTR_BUF_SIZE];

    for (guint i = 0; i < d->marks->len; i++) {
        const Mark *m = &g_array_index (d->marks, Mark, i);

        g_string_append_printf (marks, "%s \"%s\"\n", num (a, m->time),
                                m->label);
    }
    for (guint i = 0; i < d->weights->len; i++) {
        const Weight *w = &g_array_index (d->weights, Weight, i);

        g_string_append_printf (weight, "%s %d\n", num (a, w->time), w->weight);
        if (i + 1 == d->weights->len && w->time < d->end_s)
            g_string_append_printf (weight, "%s %d\n", num (a, d->end_s),
                                    w->weight);
    }
    return write_file (dir, "marks.dat", marks->str, error)
           && write_file (dir, "weight.dat", weight->str, error);
}

/* meta.gp: numbers only, every one computed here. */
static gboolean
write_meta (const PlotData *d, const char *dir, GError **error)
{
    gboolean has_share = FALSE, has_latency = FALSE;
    g_autofree char *meta = NULL;
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE],
        c[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE];
    double replicas_top = 0, nodes_top = 0;
    gboolean has_cpu = FALSE;

    /* scaling.gp's axes: the highest replicas and nodes. */
    for (guint i = 0; i < d->series->len; i++) {
        const SeriesRow *s = &g_array_index (d->series, SeriesRow, i);

        if (!isnan (s->desired))
            replicas_top = MAX (replicas_top, s->desired);
        if (!isnan (s->hpa_desired))
            replicas_top = MAX (replicas_top, s->hpa_desired);
        if (!isnan (s->nodes))
            nodes_top = MAX (nodes_top, s->nodes);
        has_cpu |= !isnan (s->cpu_utilization);
    }

    for (guint i = 0; i < d->versions->len && !has_share; i++)
        has_share = !isnan (g_array_index (d->versions, VersionRow, i).share);
    for (guint i = 0; i < d->series->len && !has_latency; i++)
        has_latency = !isnan (g_array_index (d->series, SeriesRow, i).p50);
    meta = g_strdup_printf ("# written by rollsim: numbers only\n"
                            "nversions = %u\n"
                            "has_share = %d\n"
                            "has_latency = %d\n"
                            "end_s = %s\n"
                            "cpu_target = %s\n"
                            "scaling_top = %s\n"
                            "nodes_top = %s\n"
                            "has_hpa = %d\n",
                            d->n_versions, has_share, has_latency,
                            num (a, d->end_s > 0 ? d->end_s : 1),
                            isnan (d->cpu_target) ? "-1"
                                                  : num (b, d->cpu_target),
                            num (c, replicas_top), num (e, nodes_top), has_cpu);
    return write_file (dir, "meta.gp", meta, error);
}

/* The data files; *@scaling (may be NULL): scaling.png has something
 * to show. */
static gboolean
write_data (const char *dir, const char *plots_dir, gboolean *scaling,
            GError **error)
{
    g_autoptr (PlotData) d = plot_data_read (dir, error);

    if (d == NULL)
        return FALSE;
    if (scaling != NULL)
        *scaling = has_scaling (d);
    return write_versions (d, plots_dir, error)
           && write_series (d, plots_dir, error)
           && write_scaling (d, plots_dir, error)
           && write_events (d, plots_dir, error)
           && write_meta (d, plots_dir, error);
}

gboolean
sim_plot_write_data (const char *dir, const char *plots_dir, GError **error)
{
    return write_data (dir, plots_dir, NULL, error);
}

/* --- gnuplot ----------------------------------------------------------------- */

static gboolean
run_gnuplot (const char *dir, const char *script, GError **error)
{
    const char *argv[] = { "gnuplot", script, NULL };
    g_autofree char *err_text = NULL;
    g_autoptr (GError) spawn_error = NULL;
    gint status = 0;

    /* A signal meanwhile kills it (output.h). */
    if (!sim_output_spawn (dir, argv, &err_text, &status, &spawn_error)) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "cannot run gnuplot (install gnuplot-nox, or pass "
                     "--no-plots): %s",
                     spawn_error->message);
        return FALSE;
    }
    if (!g_spawn_check_wait_status (status, NULL)) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "gnuplot failed on %s: %s", script,
                     err_text != NULL ? g_strstrip (err_text) : "");
        return FALSE;
    }
    return TRUE;
}

static const SimPlotScript *
find_script (const char *name)
{
    for (const SimPlotScript *s = sim_plot_scripts; s->name != NULL; s++)
        if (strcmp (s->name, name) == 0)
            return s;
    return NULL;
}

gboolean
sim_plot_run_script (const char *plots_dir, const char *name, GError **error)
{
    g_autofree char *path = g_build_filename (plots_dir, name, NULL);
    const SimPlotScript *s = find_script (name);

    g_return_val_if_fail (s != NULL, FALSE);
    if (!g_file_test (path, G_FILE_TEST_EXISTS)
        && !write_file (plots_dir, name, s->text, error))
        return FALSE;
    return run_gnuplot (plots_dir, name, error);
}

/* --- Drawing a run ----------------------------------------------------------- */

/* The run's scripts: not compare's or sweep's; scaling.gp only when
 * something scaled. */
static gboolean
is_run_script (const SimPlotScript *s, gboolean scaling)
{
    return !g_str_has_prefix (s->name, "compare-")
           && !g_str_has_prefix (s->name, "sweep-")
           && (scaling || strcmp (s->name, "scaling.gp") != 0);
}

/* Into @work, the text of script @s: the one in @plots if it is there
 * and of this format (a restyled script is kept), else ours; a script of
 * an older format is renamed NAME.old first, with a note.  *@kept: the
 * script in @plots was used (it is not written back). */
static gboolean
stage_script (const char *plots, const char *work, const SimPlotScript *s,
              gboolean *kept, GError **error)
{
    g_autofree char *path = g_build_filename (plots, s->name, NULL);
    g_autofree char *text = NULL;

    *kept = FALSE;
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR)
        && g_file_get_contents (path, &text, NULL, NULL)) {
        if (strstr (text, FORMAT_LINE "\n") != NULL) {
            *kept = TRUE;
            return write_file (work, s->name, text, error);
        }
        {
            g_autofree char *old = g_strconcat (path, ".old", NULL);

            if (g_rename (path, old) == 0)
                g_printerr ("rollsim: %s was written for older data files: "
                            "replaced by the current script (yours is %s)\n",
                            path, old);
        }
    }
    return write_file (work, s->name, s->text, error);
}

/* Move every file of @work but the kept scripts into @plots: a rename
 * replaces whatever name is there, a link included, without following
 * it. */
static gboolean
publish (const char *work, const char *plots, GHashTable *kept, GError **error)
{
    g_autoptr (GDir) d = g_dir_open (work, 0, NULL);
    const char *name;

    if (d == NULL) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO,
                     "%s: cannot read", work);
        return FALSE;
    }
    while ((name = g_dir_read_name (d)) != NULL) {
        g_autofree char *from = g_build_filename (work, name, NULL);
        g_autofree char *to = g_build_filename (plots, name, NULL);

        if (g_hash_table_contains (kept, name)) {
            g_remove (from);
            continue;
        }
        if (g_rename (from, to) != 0) {
            int e = errno;

            g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO,
                         "%s: cannot replace: %s", to, g_strerror (e));
            return FALSE;
        }
    }
    return TRUE;
}

/* DIR/plots, made if missing; never a link. */
static gboolean
plots_dir (const char *plots, GError **error)
{
    GStatBuf st;

    if (g_lstat (plots, &st) == 0) {
        if (S_ISLNK (st.st_mode) || !S_ISDIR (st.st_mode)) {
            g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_DATA,
                         "%s is %s: not writing through it", plots,
                         S_ISLNK (st.st_mode) ? "a symbolic link"
                                              : "not a directory");
            return FALSE;
        }
        return TRUE;
    }
    if (g_mkdir (plots, 0755) != 0) {
        int e = errno;

        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO, "%s: %s", plots,
                     g_strerror (e));
        return FALSE;
    }
    return TRUE;
}

gboolean
sim_plot_draw (const char *dir, GError **error)
{
    g_autofree char *plots = g_build_filename (dir, "plots", NULL);
    g_autofree char *work = NULL;
    g_autoptr (GHashTable)
        kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok, scaling = FALSE;

    if (!plots_dir (plots, error))
        return FALSE;
    work = g_build_filename (plots, ".work-XXXXXX", NULL);
    if (g_mkdtemp (work) == NULL) {
        int e = errno;

        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_IO, "%s: %s", plots,
                     g_strerror (e));
        return FALSE;
    }
    sim_output_track_tmp (work);
    ok = write_data (dir, work, &scaling, error);
    for (const SimPlotScript *s = sim_plot_scripts; ok && s->name != NULL;
         s++) {
        gboolean k;

        if (!is_run_script (s, scaling))
            continue;
        ok = stage_script (plots, work, s, &k, error);
        if (ok && k)
            g_hash_table_add (kept, g_strdup (s->name));
    }
    for (const SimPlotScript *s = sim_plot_scripts; ok && s->name != NULL; s++)
        if (is_run_script (s, scaling))
            ok = run_gnuplot (work, s->name, error);
    ok = ok && publish (work, plots, kept, error);
    sim_output_remove_tree (work);
    sim_output_untrack_tmp (work);
    return ok;
}
