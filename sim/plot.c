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
 * Time.  A versions.csv or timeseries.csv row at time t has the
 * counters of the sample step (t - sample, t] and the state (pods,
 * desired replicas, nodes, utilization) at the end of instant t, after
 * every event at t.  The data files draw a state at its own time and
 * counters from the start of their step (and repeat the last row at the
 * end of the run), so with `steps` a change at a sample time is drawn
 * at that time and a step's errors over that step (docs/design.md 7.6).
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
#include "downsample.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-plot-error-quark, sim_plot_error)
/* clang-format on */

/* Every script the run draws carries this line; a script in DIR/plots
 * without it was written for older data files and is replaced. */
#define FORMAT_LINE "# rollsim plot format 3"

/* The largest count or time a run writes, with room to spare. */
#define COUNT_MAX 1e9
#define TIME_MAX 1e12

/* --- Reading and checking ---------------------------------------------------- */

/* What a picture can show: at most this many bins per series (a little
 * more than the widest plot has pixel columns; downsample.h). */
#define MAX_BINS 2000
/* Milestones drawn at most: the first ones (a long run's timeline may
 * hold thousands of actions). */
#define MAX_MARKS 200
#define MAX_WEIGHTS 2000

/* The colours of versions, in the order of versions.csv, the same in
 * every plot and in the report's replay (sim_plot_version_colour). */
static const char *const palette[] = { "#1f77b4", "#ff7f0e", "#2ca02c",
                                       "#d62728", "#9467bd", "#8c564b",
                                       "#e377c2", "#17becf" };

const char *
sim_plot_version_colour (guint i)
{
    return palette[i % G_N_ELEMENTS (palette)];
}

typedef struct {
    double pods, ready, pending, terminating;
    double share; /* NaN: no arrival in the step */
} VersionRow;

typedef struct {
    double time;
    char *label; /* our words and checked names only */
} Mark;

typedef struct {
    double time;
    gint weight;
} Weight;

/* Columns of the series downsampler (timeseries.csv). */
enum {
    S_CAUSE0,
    S_P50 = S_CAUSE0 + SIM_N_CAUSES,
    S_P95,
    S_P99,
    S_DESIRED,
    S_HPA,
    S_NODES,
    S_CPU,
    S_RATE,   /* arrivals per second */
    S_ERRORS, /* errors per second */
    S_N
};

typedef struct {
    guint n_versions;
    char *names[SIM_MAX_VERSIONS];
    GArray *marks;   /* Mark */
    GArray *weights; /* Weight */
    double end_s;
    double cpu_target; /* the HPA's cpu target, %; NaN: none */
    /* The rollout's span from events.csv (NaN: none, or not ended). */
    double rollout_from, rollout_to;
    double zoom_from, zoom_to; /* NaN: no zoomed view */
    char *title;               /* "NAME: STRATEGY, seed N", checked */

    /* versions.csv, read one time block at a time. */
    char *first_time;     /* the first block's time_s text */
    gboolean names_known; /* the first block is over */
    guint in_block;       /* rows of the current block so far */
    double block_time;    /* the current block's time */
    double prev_time;     /* the block before's (NaN: none yet) */
    guint64 blocks;       /* blocks flushed */
    guint last_line;
    VersionRow block[SIM_MAX_VERSIONS];
    SimDownsample *pods;  /* per version pods, ready, pending; then all */
    SimDownsample *share; /* per version */
    SimDownsample *zoom;  /* as pods, inside [zoom_from, zoom_to] */
    double *zoom_before;  /* the last row before zoom_from (3n+2: time first) */
    gboolean zoom_started, has_before;
    gboolean has_share;

    /* timeseries.csv */
    SimDownsample *series;
    double series_prev; /* NaN: no row yet */
    double series_last[S_N];
    double first_nodes;
    gboolean scaled, has_latency, has_cpu, has_rate;
    gboolean latency_zero; /* a percentile of 0 ms: no log scale */
    double replicas_top, nodes_top;
    gint cols[4 + SIM_N_CAUSES + 6];
    gint extra_cols[5];
    gboolean series_known; /* cols found */
    gint vcols[8];
    gboolean versions_known; /* vcols found */
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
    g_array_unref (d->marks);
    g_array_unref (d->weights);
    g_free (d->title);
    g_free (d->first_time);
    g_free (d->zoom_before);
    sim_downsample_free (d->pods);
    sim_downsample_free (d->share);
    sim_downsample_free (d->zoom);
    sim_downsample_free (d->series);
    g_free (d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotData, plot_data_free)

static PlotData *
plot_data_new (void)
{
    PlotData *d = g_new0 (PlotData, 1);

    d->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
    g_array_set_clear_func (d->marks, mark_clear);
    d->weights = g_array_new (FALSE, FALSE, sizeof (Weight));
    d->cpu_target = NAN;
    d->rollout_from = d->rollout_to = NAN;
    d->zoom_from = d->zoom_to = NAN;
    d->prev_time = NAN;
    d->series_prev = NAN;
    d->first_nodes = NAN;
    d->series = sim_downsample_new (S_N, MAX_BINS);
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

/* What a run writes: digits with at most one point, at most 15 digits
 * in all, into @out without strtod: the integer of its digits divided
 * by a power of ten, which is correctly rounded as both are exact
 * doubles.  FALSE for anything else. */
static inline gboolean
plain_decimal (const char *text, double *out)
{
    static const double tens[] = {
        1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };
    const char *p = text, *point;
    guint64 m = 0;
    gint digits, decimals = 0;

    for (; (guint) (*p - '0') < 10; p++)
        m = m * 10 + (guint64) (*p - '0');
    digits = (gint) (p - text);
    if (*p == '.') {
        point = ++p;
        for (; (guint) (*p - '0') < 10; p++)
            m = m * 10 + (guint64) (*p - '0');
        decimals = (gint) (p - point);
        digits += decimals;
    }
    if (*p != '\0' || digits == 0 || digits > 15)
        return FALSE;
    *out = decimals > 0 ? (double) m / tens[decimals] : (double) m;
    return TRUE;
}

/* The top bit of each byte of @v (the first byte in memory the lowest)
 * that is not a digit, exactly: a digit's bytes xor '0' are below 10. */
static inline guint64
word_nondigits (guint64 v)
{
    guint64 x = v ^ 0x3030303030303030ULL;
    guint64 t = (x & 0x7f7f7f7f7f7f7f7fULL) + 0x7676767676767676ULL;

    return (t | x) & 0x8080808080808080ULL;
}

/* The number the first @k (1 .. 7) bytes of @v spell, all digits: each
 * step joins neighbours, pairs, then fours (the digits moved to the top
 * bytes, zeros in front of them). */
static inline guint64
word_digits (guint64 v, guint k)
{
    v = (v & 0x0f0f0f0f0f0f0f0fULL) << (64 - 8 * k);
    v = (v * 2561) >> 8;
    v = ((v & 0x00ff00ff00ff00ffULL) * 6553601) >> 16;
    return ((v & 0x0000ffff0000ffffULL) * 42949672960001ULL) >> 32;
}

static inline guint64
load_word (const char *p)
{
    guint64 v;

    memcpy (&v, p, 8);
    return GUINT64_FROM_LE (v);
}

/* plain_decimal on a cell of a streamed row (SIM_CSV_SLACK to read past
 * its NUL), eight bytes at a time: the digits before the point and those
 * after it, each up to seven, by word_digits; more by plain_decimal.
 * The same result, for every text. */
G_ALWAYS_INLINE static inline gboolean
cell_decimal (const char *text, double *out)
{
    static const double tens[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7 };
    static const guint64 scale[] = { 1,     10,     100,     1000,
                                     10000, 100000, 1000000, 10000000 };
    guint64 v, nd, m = 0;
    guint k, f;

    v = load_word (text);
    nd = word_nondigits (v);
    if (G_UNLIKELY (nd == 0))
        return plain_decimal (text, out);
    k = (guint) __builtin_ctzll (nd) >> 3;
    if (k > 0)
        m = word_digits (v, k);
    if (text[k] != '.') {
        if (text[k] != '\0' || k == 0)
            return FALSE;
        *out = (double) (gint64) m;
        return TRUE;
    }
    v = load_word (text + k + 1);
    nd = word_nondigits (v);
    if (G_UNLIKELY (nd == 0))
        return plain_decimal (text, out);
    f = (guint) __builtin_ctzll (nd) >> 3;
    if (text[k + 1 + f] != '\0' || k + f == 0)
        return FALSE;
    if (f > 0)
        m = m * scale[f] + word_digits (v, f);
    /* Both exact doubles (at most 14 digits), as plain_decimal's. */
    *out = (double) (gint64) m / tens[f];
    return TRUE;
}

/* A plain decimal number: digits, one sign, a point, an exponent; no
 * "nan", "inf", hex or spaces. */
static gboolean
parse_decimal (const char *text, double *out)
{
    char *end = NULL;

    if (plain_decimal (text, out))
        return TRUE;
    if (*text == '\0' || strspn (text, "0123456789+-.eE") != strlen (text))
        return FALSE;
    *out = g_ascii_strtod (text, &end);
    return end != text && *end == '\0' && isfinite (*out);
}

/* Whether @v (not negative) is a value of @kind. */
static inline gboolean
cell_fits (CellKind kind, double v)
{
    switch (kind) {
    case CELL_TIME:
    case CELL_MS:
        return v <= TIME_MAX;
    case CELL_COUNT:
        return v <= COUNT_MAX && v == (double) (gint64) v;
    case CELL_SHARE:
        return v <= 1;
    case CELL_WEIGHT:
        return v <= 100 && v == (double) (gint64) v;
    }
    return FALSE;
}

/* cell_value's other cases: a number strtod reads, or the error. */
static G_GNUC_NO_INLINE gboolean
cell_value_other (const SimCsvTable *t, const char *file, gint col,
                  CellKind kind, double *out, GError **error)
{
    const char *text = sim_csv_table_fields (t)[col];
    double v;

    if (G_UNLIKELY (!parse_decimal (text, &v) || !(v >= 0)
                    || !cell_fits (kind, v))) {
        g_autofree char *shown = g_strescape (text, NULL);

        return data_error (error, file, sim_csv_table_line (t, 0),
                           "%s \"%.40s\" is not %s",
                           (char *) g_ptr_array_index (t->header, col), shown,
                           cell_what[kind]);
    }
    *out = v;
    return TRUE;
}

/* Row 0's cell @col of @t (a streamed row, its fields @f), of @kind,
 * into @out (an empty share or time in ms is NaN); what a run writes is
 * read here, inline, the rest by cell_value_other. */
G_ALWAYS_INLINE static inline gboolean
cell_value (const SimCsvTable *t, char *const *f, const char *file, gint col,
            CellKind kind, double *out, GError **error)
{
    /* The row is as long as the header (check_row): no bounds to test. */
    const char *text = f[col];
    guint digit = (guint) ((guchar) text[0] - '0');
    double v;

    /* Most counts: one digit, a whole number of every kind, a share if
     * 0 or 1. */
    if (digit < 10 && text[1] == '\0' && (kind != CELL_SHARE || digit <= 1)) {
        *out = digit;
        return TRUE;
    }
    /* Empty (no number: tested early, as it is frequent). */
    if (*text == '\0' && (kind == CELL_SHARE || kind == CELL_MS)) {
        *out = NAN;
        return TRUE;
    }
    if (G_LIKELY (cell_decimal (text, &v) && cell_fits (kind, v))) {
        *out = v;
        return TRUE;
    }
    return cell_value_other (t, file, col, kind, out, error);
}

/* The columns @names of @t's header into @cols. */
static gboolean
find_columns (const SimCsvTable *t, const char *file, const char *const *names,
              gint *cols, GError **error)
{
    for (guint i = 0; names[i] != NULL; i++)
        if ((cols[i] = sim_csv_table_column (t, names[i])) < 0)
            return data_error (error, file, 0, "no column %s", names[i]);
    return TRUE;
}

/* A streamed row as long as the header. */
static inline gboolean
check_row (const SimCsvTable *t, const char *file, GError **error)
{
    GPtrArray *row = g_ptr_array_index (t->rows, 0);

    if (row->len != t->header->len)
        return data_error (error, file, sim_csv_table_line (t, 0),
                           "%u fields, the header has %u", row->len,
                           t->header->len);
    return TRUE;
}

/* After the stream: the last line ended, rows if @need_rows. */
static gboolean
check_end (const SimCsvTable *t, const char *file, gboolean need_rows,
           GError **error)
{
    if (!t->complete)
        return data_error (error, file, 0,
                           "its last line has no end: cut short?");
    if (need_rows && t->n_rows == 0)
        return data_error (error, file, 0, "no rows");
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

/* --- versions.csv --- */

static const char *const version_columns[] = { "time_s",  "version",
                                               "pods",    "ready",
                                               "pending", "terminating",
                                               "share",   NULL };

/* One point of pods.dat's columns for the block just read, at @at. */
static void
block_point (const PlotData *d, double at, double *p)
{
    double all = 0;

    for (guint j = 0; j < d->n_versions; j++) {
        p[3 * j] = d->block[j].pods;
        p[3 * j + 1] = d->block[j].ready;
        p[3 * j + 2] = d->block[j].pending;
        all += d->block[j].pods + d->block[j].terminating;
    }
    p[3 * d->n_versions] = all;
}

static void
zoom_add (PlotData *d, double at, const double *p)
{
    guint n = 3 * d->n_versions + 1;

    if (d->zoom == NULL)
        return;
    if (at < d->zoom_from) {
        d->zoom_before[0] = at;
        memcpy (d->zoom_before + 1, p, n * sizeof (double));
        d->has_before = TRUE;
        return;
    }
    if (at > d->zoom_to)
        return;
    if (!d->zoom_started && d->has_before)
        sim_downsample_add (d->zoom, d->zoom_before[0], d->zoom_before + 1);
    d->zoom_started = TRUE;
    sim_downsample_add (d->zoom, at, p);
}

/* The block of one time is complete: its pod counts drawn at its own
 * time, its traffic shares (counters) from the start of its step (the
 * time of the block before). */
static void
flush_block (PlotData *d)
{
    double p[3 * SIM_MAX_VERSIONS + 1], share[SIM_MAX_VERSIONS];
    double at = d->block_time;
    double step_start = isnan (d->prev_time) ? d->block_time : d->prev_time;

    if (d->pods == NULL) {
        d->pods = sim_downsample_new (3 * d->n_versions + 1, MAX_BINS);
        d->share = sim_downsample_new (d->n_versions, MAX_BINS);
        if (!isnan (d->zoom_from)) {
            d->zoom = sim_downsample_new (3 * d->n_versions + 1, MAX_BINS);
            d->zoom_before = g_new0 (double, 3 * d->n_versions + 2);
        }
    }
    block_point (d, at, p);
    for (guint j = 0; j < d->n_versions; j++) {
        share[j] = d->block[j].share;
        d->has_share |= !isnan (share[j]);
    }
    sim_downsample_add (d->pods, at, p);
    sim_downsample_add (d->share, step_start, share);
    zoom_add (d, at, p);
    d->prev_time = d->block_time;
    d->blocks++;
    d->in_block = 0;
}

static gboolean
version_row (const SimCsvTable *t, gpointer user, GError **error)
{
    PlotData *d = user;
    const char *file = "versions.csv";
    gint *c = d->vcols;
    char *const *f;
    const char *name, *time_text;
    VersionRow v;
    double time, pods, ready, pending, terminating;
    guint j;

    if (!d->versions_known
        && !find_columns (t, file, version_columns, c, error))
        return FALSE;
    d->versions_known = TRUE;
    if (!check_row (t, file, error))
        return FALSE;
    f = sim_csv_table_fields (t);
    name = f[c[1]];
    time_text = f[c[0]];
    d->last_line = g_array_index (t->lines, guint, 0);
    if (d->first_time == NULL)
        d->first_time = g_strdup (time_text);
    /* The first block names the versions. */
    if (!d->names_known && strcmp (time_text, d->first_time) != 0)
        d->names_known = TRUE;
    if (!d->names_known) {
        if (!sim_key_valid_name (name)) {
            g_autofree char *shown = g_strescape (name, NULL);

            return data_error (error, file, d->last_line,
                               "\"%.40s\" is not a version name", shown);
        }
        if (version_index (d, name) >= 0)
            return data_error (error, file, d->last_line,
                               "version %s twice at one time", name);
        if (d->n_versions == SIM_MAX_VERSIONS)
            return data_error (error, file, d->last_line,
                               "more than %d versions", SIM_MAX_VERSIONS);
        d->names[d->n_versions++] = g_strdup (name);
    }
    j = d->in_block;
    if (j == d->n_versions) {
        flush_block (d);
        j = 0;
    }
    if (strcmp (name, d->names[j]) != 0)
        return data_error (error, file, d->last_line,
                           "expected version %s here (the versions "
                           "of the first time, in order)",
                           d->names[j]);
    if (!cell_value (t, f, file, c[0], CELL_TIME, &time, error)
        || !cell_value (t, f, file, c[2], CELL_COUNT, &pods, error)
        || !cell_value (t, f, file, c[3], CELL_COUNT, &ready, error)
        || !cell_value (t, f, file, c[4], CELL_COUNT, &pending, error)
        || !cell_value (t, f, file, c[5], CELL_COUNT, &terminating, error)
        || !cell_value (t, f, file, c[6], CELL_SHARE, &v.share, error))
        return FALSE;
    if (j == 0) {
        if (d->blocks > 0 && !(time > d->prev_time))
            return data_error (error, file, d->last_line,
                               "time_s does not increase");
        d->block_time = time;
    } else if (time != d->block_time) {
        return data_error (error, file, d->last_line,
                           "the versions of one time differ in time_s");
    }
    v.pods = pods;
    v.ready = ready;
    v.pending = pending;
    v.terminating = terminating;
    d->block[j] = v;
    d->in_block++;
    return TRUE;
}

static gboolean
read_versions (PlotData *d, const char *path, GError **error)
{
    const char *file = "versions.csv";
    g_autoptr (SimCsvTable)
        t = sim_csv_table_stream (path, version_row, d, error);
    gint c[G_N_ELEMENTS (version_columns)];

    if (t == NULL)
        return FALSE;
    if (!find_columns (t, file, version_columns, c, error)
        || !check_end (t, file, TRUE, error))
        return FALSE;
    if (d->in_block != d->n_versions)
        return data_error (error, file, d->last_line,
                           "the last time has %u of the %u versions",
                           d->in_block, d->n_versions);
    flush_block (d);
    /* The last step's shares again at the end of the run (its pods are
     * drawn there already). */
    d->prev_time = NAN;
    d->end_s = d->block_time;
    {
        double share[SIM_MAX_VERSIONS];

        for (guint j = 0; j < d->n_versions; j++)
            share[j] = d->block[j].share;
        sim_downsample_add (d->share, d->end_s, share);
    }
    return TRUE;
}

/* --- timeseries.csv --- */

static const char *const scaling_columns[] = { "desired", "hpa_desired",
                                               "nodes", "cpu_utilization",
                                               "arrivals" };

static gboolean
series_row (const SimCsvTable *t, gpointer user, GError **error)
{
    PlotData *d = user;
    const char *file = "timeseries.csv";
    const char *names[4 + SIM_N_CAUSES + 1];
    gint *c = d->cols;
    char *const *f;
    guint n = 0;
    double time, x[S_N], extra[G_N_ELEMENTS (scaling_columns)], dt, errors = 0;

    if (!d->series_known) {
        names[n++] = "time_s";
        names[n++] = "p50_ms";
        names[n++] = "p95_ms";
        names[n++] = "p99_ms";
        for (gint k = 0; k < SIM_N_CAUSES; k++)
            names[n++] = sim_cause_name (k);
        names[n] = NULL;
        if (!find_columns (t, file, names, c, error))
            return FALSE;
        /* Optional: runs before autoscaling have none. */
        for (guint k = 0; k < G_N_ELEMENTS (scaling_columns); k++)
            d->extra_cols[k] = sim_csv_table_column (t, scaling_columns[k]);
        d->series_known = TRUE;
    }
    if (!check_row (t, file, error))
        return FALSE;
    f = sim_csv_table_fields (t);
    if (!cell_value (t, f, file, c[0], CELL_TIME, &time, error)
        || !cell_value (t, f, file, c[1], CELL_MS, &x[S_P50], error)
        || !cell_value (t, f, file, c[2], CELL_MS, &x[S_P95], error)
        || !cell_value (t, f, file, c[3], CELL_MS, &x[S_P99], error))
        return FALSE;
    for (gint k = 0; k < SIM_N_CAUSES; k++) {
        if (!cell_value (t, f, file, c[4 + k], CELL_COUNT, &x[S_CAUSE0 + k],
                         error))
            return FALSE;
        errors += x[S_CAUSE0 + k];
    }
    for (guint k = 0; k < G_N_ELEMENTS (scaling_columns); k++) {
        gint col = d->extra_cols[k];

        extra[k] = NAN;
        if (col >= 0
            && !cell_value (t, f, file, col, CELL_MS, &extra[k], error))
            return FALSE;
    }
    if (!isnan (d->series_prev) && !(time > d->series_prev))
        return data_error (error, file, sim_csv_table_line (t, 0),
                           "time_s does not increase");
    x[S_DESIRED] = extra[0];
    x[S_HPA] = extra[1];
    x[S_NODES] = extra[2];
    x[S_CPU] = extra[3];
    dt = isnan (d->series_prev) ? 0 : time - d->series_prev;
    x[S_RATE] = dt > 0 && !isnan (extra[4]) ? extra[4] / dt : NAN;
    x[S_ERRORS] = dt > 0 ? errors / dt : NAN;
    /* What the axes and meta.gp need. */
    if (!isnan (x[S_DESIRED]))
        d->replicas_top = MAX (d->replicas_top, x[S_DESIRED]);
    if (!isnan (x[S_HPA])) {
        d->replicas_top = MAX (d->replicas_top, x[S_HPA]);
        d->scaled = TRUE;
    }
    if (!isnan (x[S_NODES])) {
        d->nodes_top = MAX (d->nodes_top, x[S_NODES]);
        if (isnan (d->first_nodes))
            d->first_nodes = x[S_NODES];
        d->scaled |= x[S_NODES] != d->first_nodes;
    }
    d->has_cpu |= !isnan (x[S_CPU]);
    d->has_latency |= !isnan (x[S_P50]);
    d->latency_zero |= x[S_P50] <= 0 || x[S_P95] <= 0 || x[S_P99] <= 0;
    d->has_rate |= !isnan (x[S_RATE]);
    /* Drawn from the start of the step: its counters, with the state
     * of the row before (the state from then on). */
    {
        double pt[S_N];
        static const guint state[] = { S_DESIRED, S_HPA, S_NODES, S_CPU };

        memcpy (pt, x, sizeof x);
        if (!isnan (d->series_prev))
            for (guint k = 0; k < G_N_ELEMENTS (state); k++)
                pt[state[k]] = d->series_last[state[k]];
        sim_downsample_add (d->series,
                            isnan (d->series_prev) ? time : d->series_prev, pt);
    }
    memcpy (d->series_last, x, sizeof x);
    d->series_prev = time;
    return TRUE;
}

static gboolean
read_series (PlotData *d, const char *path, GError **error)
{
    g_autoptr (SimCsvTable)
        t = sim_csv_table_stream (path, series_row, d, error);

    if (t == NULL || !check_end (t, "timeseries.csv", TRUE, error))
        return FALSE;
    /* The last step again at the end of the run. */
    sim_downsample_add (d->series, d->series_prev, d->series_last);
    return TRUE;
}

/* --- events.csv --- */

/* A milestone's words: the kind, and for a Service switch which Service
 * now selects which version, for a step its number (all checked: never
 * the file's text). */
static char *
mark_label (const char *kind, const char *object, const char *version,
            const char *value, const char *detail)
{
    static const char *const services[] = { "active", "preview", NULL };
    double n;

    if (strcmp (kind, "service-switched") == 0 && sim_key_valid_name (version)
        && g_strv_contains (services, object))
        return g_strdup_printf ("%s -> %s", object, version);
    if (strcmp (kind, "step") == 0 && parse_decimal (value, &n) && n < 1e6)
        return g_strdup_printf ("step %.0f", n);
    if (strcmp (kind, "analysis") == 0)
        return g_strdup ("analysis failed");
    return g_strdup (kind);
}

typedef struct {
    PlotData *d;
    gint c[6];
    gboolean known; /* c found */
} EventsRead;

static gboolean
event_row (const SimCsvTable *t, gpointer user, GError **error)
{
    static const char *const milestones[] = {
        "rollout-started", "rollout-completed", "promoted", "aborted",
        "service-switched", "progress-deadline-exceeded", "paused", "step",
        /* The timeline's actions and faults (docs/timeline.md). */
        "action", "rollover", "resumed", "node-not-ready", "node-tainted",
        "node-ready", NULL
    };
    static const char *const names[] = { "time_s",  "kind",  "object",
                                         "version", "value", NULL };
    EventsRead *e = user;
    PlotData *d = e->d;
    const char *file = "events.csv";
    gint *c = e->c;
    const char *kind;
    double time;

    if (!e->known) {
        if (!find_columns (t, file, names, c, error))
            return FALSE;
        c[5] = sim_csv_table_column (t, "detail");
        e->known = TRUE;
    }
    if (!check_row (t, file, error))
        return FALSE;
    kind = sim_csv_table_cell (t, 0, c[1]);
    if (!cell_value (t, sim_csv_table_fields (t), file, c[0], CELL_TIME, &time,
                     error))
        return FALSE;
    if (strcmp (kind, "rollout-started") == 0 && isnan (d->rollout_from))
        d->rollout_from = time;
    if (strcmp (kind, "rollout-completed") == 0
        || strcmp (kind, "aborted") == 0)
        d->rollout_to = time;
    if (strcmp (kind, "analysis") == 0
        && !g_str_has_prefix (sim_csv_table_cell (t, 0, c[5]), "failed"))
        return TRUE;
    if (g_strv_contains (milestones, kind) || strcmp (kind, "analysis") == 0) {
        g_autofree char *label = mark_label (kind,
                                             sim_csv_table_cell (t, 0, c[2]),
                                             sim_csv_table_cell (t, 0, c[3]),
                                             sim_csv_table_cell (t, 0, c[4]),
                                             sim_csv_table_cell (t, 0, c[5]));
        Mark *last = d->marks->len > 0
                         ? &g_array_index (d->marks, Mark, d->marks->len - 1)
                         : NULL;

        /* Milestones at one instant share one mark: "a, b". */
        if (last != NULL && last->time == time) {
            if (strstr (last->label, label) == NULL
                && strlen (last->label) < 80) {
                char *joined = g_strconcat (last->label, ", ", label, NULL);

                g_free (last->label);
                last->label = joined;
            }
        } else if (d->marks->len < MAX_MARKS) {
            Mark m = { time, g_steal_pointer (&label) };

            g_array_append_val (d->marks, m);
        }
    } else if (strcmp (kind, "hpa-scaled") == 0 && isnan (d->cpu_target)
               && c[5] >= 0) {
        /* "cpu 102% of 60%, ...": the target, if it reads as one. */
        const char *detail = sim_csv_table_cell (t, 0, c[5]);
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

        if (!cell_value (t, sim_csv_table_fields (t), file, c[4], CELL_WEIGHT,
                         &value, error))
            return FALSE;
        w.weight = (gint) value;
        if (d->weights->len < MAX_WEIGHTS)
            g_array_append_val (d->weights, w);
    }
    return TRUE;
}

static gboolean
read_events (PlotData *d, const char *path, GError **error)
{
    EventsRead e = { d, { 0 }, FALSE };
    g_autoptr (SimCsvTable)
        t = sim_csv_table_stream (path, event_row, &e, error);
    static const char *const names[] = { "time_s",  "kind",  "object",
                                         "version", "value", NULL };

    if (t == NULL || !find_columns (t, "events.csv", names, e.c, error)
        || !check_end (t, "events.csv", FALSE, error))
        return FALSE;
    /* The zoomed view: the rollout and a tenth of it on either side. */
    if (!isnan (d->rollout_from)) {
        double to = isnan (d->rollout_to) ? d->rollout_from + 1 : d->rollout_to;
        double pad = MAX ((to - d->rollout_from) * 0.1, 2);

        d->zoom_from = MAX (0, d->rollout_from - pad);
        d->zoom_to = isnan (d->rollout_to) ? TIME_MAX : to + pad;
    }
    return TRUE;
}

/* summary.csv, if it reads as one: the words of the plots' titles. */
static void
read_title (PlotData *d, const char *dir)
{
    g_autofree char *path = g_build_filename (dir, "summary.csv", NULL);
    g_autoptr (SimCsvTable) t = NULL;
    const char *name, *strategy, *seed;

    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return;
    t = sim_csv_table_load (path, NULL);
    if (t == NULL || t->rows->len != 1)
        return;
    name = sim_csv_table_cell (t, 0, sim_csv_table_column (t, "scenario"));
    strategy = sim_csv_table_cell (t, 0, sim_csv_table_column (t, "strategy"));
    seed = sim_csv_table_cell (t, 0, sim_csv_table_column (t, "seed"));
    if (!sim_key_valid_name (name) || !sim_key_valid_name (strategy)
        || *seed == '\0' || strspn (seed, "0123456789") != strlen (seed)
        || strlen (seed) > 20)
        return;
    d->title = g_strdup_printf ("%s: %s, seed %s", name, strategy, seed);
}

typedef struct {
    PlotData *d;
    const char *path;
    GError *error;
} SeriesJob;

static gpointer
series_job (gpointer data)
{
    SeriesJob *job = data;

    return GINT_TO_POINTER (read_series (job->d, job->path, &job->error));
}

/* Read and check DIR's events.csv (the rollout's span first, for the
 * zoomed view), versions.csv and timeseries.csv, one row at a time. */
static PlotData *
plot_data_read (const char *dir, GError **error)
{
    g_autoptr (PlotData) d = plot_data_new ();
    g_autofree char *events = g_build_filename (dir, "events.csv", NULL);
    g_autofree char *versions = g_build_filename (dir, "versions.csv", NULL);
    g_autofree char *series = g_build_filename (dir, "timeseries.csv", NULL);

    SeriesJob job = { d, series, NULL };
    gboolean ok = read_events (d, events, error);

    /* versions.csv and timeseries.csv fill apart parts of @d: each is
     * read on a core of its own (reading is most of a long run's plot). */
    if (ok) {
        GThread *th = g_thread_new ("plot-series", series_job, &job);
        gboolean versions_ok = read_versions (d, versions, error);
        gboolean series_ok = GPOINTER_TO_INT (g_thread_join (th));

        ok = versions_ok && series_ok;
        if (versions_ok && !series_ok)
            g_propagate_error (error, g_steal_pointer (&job.error));
        g_clear_error (&job.error);
    }
    if (!ok) {
        if (error != NULL && *error != NULL
            && (*error)->domain == SIM_CSV_ERROR) {
            GError *e = g_error_new_literal (SIM_PLOT_ERROR,
                                             SIM_PLOT_ERROR_DATA,
                                             (*error)->message);

            g_clear_error (error);
            g_propagate_error (error, e);
        } else {
            g_prefix_error (error, "%s/", dir);
        }
        return NULL;
    }
    read_title (d, dir);
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

/* A count (or the NaN of no value). */
static const char *
count (char *buf, double v)
{
    if (isnan (v))
        return "NaN";
    return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.0f", v);
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

/* A row equal to the one before draws nothing new in a step plot: it
 * is left out (the last row is always written, to end the line). */
typedef struct {
    double prev[3 * SIM_MAX_VERSIONS + SIM_N_CAUSES + 8];
    double pending_time;
    gboolean has_prev, held;
    guint ncols;
} Dedup;

static gboolean
same_row (const Dedup *d, const double *x)
{
    for (guint c = 0; c < d->ncols; c++)
        if (!(d->prev[c] == x[c] || (isnan (d->prev[c]) && isnan (x[c]))))
            return FALSE;
    return d->has_prev;
}

typedef struct {
    GString *out;
    const char *(*format) (char *, double); /* num or count */
    guint ncols;
    Dedup dedup;
} Rows;

static void
emit_row (GString *out, const char *(*format) (char *, double), double time,
          const double *x, guint ncols)
{
    char a[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append (out, num (a, time));
    for (guint c = 0; c < ncols; c++) {
        g_string_append_c (out, ' ');
        g_string_append (out, format (a, x[c]));
    }
    g_string_append_c (out, '\n');
}

/* Add a row through @d: a repeated row is held back, and written (at
 * its own time) only if it turns out to be the last. */
static void
dedup_row (Dedup *d, GString *out, const char *(*format) (char *, double),
           double time, const double *x)
{
    if (same_row (d, x)) {
        d->pending_time = time;
        d->held = TRUE;
        return;
    }
    emit_row (out, format, time, x, d->ncols);
    memcpy (d->prev, x, d->ncols * sizeof (double));
    d->has_prev = TRUE;
    d->held = FALSE;
}

static void
dedup_end (Dedup *d, GString *out, const char *(*format) (char *, double) )
{
    if (d->held)
        emit_row (out, format, d->pending_time, d->prev, d->ncols);
    d->held = FALSE;
}

static void
append_row (double time, const double *x, gpointer user)
{
    Rows *r = user;

    dedup_row (&r->dedup, r->out, r->format, time, x);
}

/* pods.dat (and pods-rollout.dat, the zoomed view): time, then per
 * version its pods, ready and pending pods, then every pod that exists
 * (pending and terminating included); share.dat: time, then per version
 * its share of arrivals. */
static gboolean
write_versions (const PlotData *d, const char *dir, GError **error)
{
    g_autoptr (GString) head = g_string_new ("time_s");
    g_autoptr (GString) share = g_string_new ("time_s");
    Rows rows = { 0 }, shares = { 0 };
    gboolean ok;

    for (guint j = 0; j < d->n_versions; j++) {
        const char *v = d->names[j];

        g_string_append_printf (head,
                                " \"%s pods\" \"%s ready\" \"%s pending\"", v,
                                v, v);
        g_string_append_printf (share, " \"%s\"", v);
    }
    g_string_append (head,
                     " \"all pods (pending and terminating included)\"\n");
    g_string_append (share, "\n");
    rows.format = count;
    rows.ncols = rows.dedup.ncols = 3 * d->n_versions + 1;
    shares.out = share;
    shares.format = num;
    shares.ncols = shares.dedup.ncols = d->n_versions;
    rows.out = g_string_new (head->str);
    sim_downsample_foreach (d->pods, append_row, &rows);
    dedup_end (&rows.dedup, rows.out, count);
    ok = write_file (dir, "pods.dat", rows.out->str, error);
    g_string_free (rows.out, TRUE);
    if (ok && d->zoom != NULL) {
        rows.out = g_string_new (head->str);
        memset (&rows.dedup, 0, sizeof rows.dedup);
        rows.dedup.ncols = rows.ncols;
        sim_downsample_foreach (d->zoom, append_row, &rows);
        dedup_end (&rows.dedup, rows.out, count);
        ok = write_file (dir, "pods-rollout.dat", rows.out->str, error);
        g_string_free (rows.out, TRUE);
    }
    sim_downsample_foreach (d->share, append_row, &shares);
    dedup_end (&shares.dedup, share, num);
    return ok && write_file (dir, "share.dat", share->str, error);
}

/* The series columns of one data file. */
typedef struct {
    GString *out;
    const guint *cols;
    guint ncols;
    Dedup dedup;
} Pick;

static void
append_pick (double time, const double *x, gpointer user)
{
    Pick *p = user;
    double row[S_N];

    for (guint c = 0; c < p->ncols; c++)
        row[c] = x[p->cols[c]];
    dedup_row (&p->dedup, p->out, num, time, row);
}

static gboolean
write_pick (const PlotData *d, const char *dir, const char *name,
            const char *head, const guint *cols, guint ncols, GError **error)
{
    g_autoptr (GString) out = g_string_new (head);
    Pick p = { 0 };

    p.out = out;
    p.cols = cols;
    p.ncols = p.dedup.ncols = ncols;
    sim_downsample_foreach (d->series, append_pick, &p);
    dedup_end (&p.dedup, out, num);
    return write_file (dir, name, out->str, error);
}

/* errors.dat: time, then the failed requests of each cause per step;
 * latency.dat: time, p50, p95, p99 of successful requests; rate.dat:
 * time, requests and errors per second; scaling.dat: time, the
 * ReplicaSets' spec summed, the HPA's desired replicas, the nodes, the
 * HPA's CPU utilization. */
static gboolean
write_series (const PlotData *d, const char *dir, GError **error)
{
    static const guint latency[] = { S_P50, S_P95, S_P99 };
    static const guint rate[] = { S_RATE, S_ERRORS };
    static const guint scaling[] = { S_DESIRED, S_HPA, S_NODES, S_CPU };
    guint causes[SIM_N_CAUSES];
    g_autoptr (GString) head = g_string_new ("time_s");

    for (gint k = 0; k < SIM_N_CAUSES; k++) {
        causes[k] = S_CAUSE0 + (guint) k;
        g_string_append_printf (head, " %s", sim_cause_name (k));
    }
    g_string_append (head, "\n");
    return write_pick (d, dir, "errors.dat", head->str, causes, SIM_N_CAUSES,
                       error)
           && write_pick (d, dir, "latency.dat", "time_s p50 p95 p99\n",
                          latency, 3, error)
           && write_pick (d, dir, "rate.dat",
                          "time_s \"requests per second\" \"errors per "
                          "second\"\n",
                          rate, 2, error)
           && write_pick (d, dir, "scaling.dat",
                          "time_s \"ReplicaSets' spec\" \"HPA desired\" "
                          "nodes \"CPU utilization\"\n",
                          scaling, 4, error);
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

/* meta.gp: numbers, our own words, and names that passed the name
 * grammar (letters, digits, '.', '_', '-'): nothing a quote could end. */
static gboolean
write_meta (const PlotData *d, const char *dir, GError **error)
{
    g_autoptr (GString) m = g_string_new (
        "# written by rollsim: numbers, rollsim's words and checked names\n");
    /* One buffer per number of a call: num() returns its buffer. */
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    char c[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE];
    double end = d->end_s > 0 ? d->end_s : 1;
    gboolean hours = end > 3 * 3600;

    g_string_append_printf (
        m,
        "nversions = %u\n"
        "has_share = %d\n"
        "has_latency = %d\n"
        "latency_log = %d\n"
        "end_s = %s\n"
        "cpu_target = %s\n"
        "scaling_top = %s\n"
        "nodes_top = %s\n"
        "has_hpa = %d\n",
        d->n_versions, d->has_share, d->has_latency, !d->latency_zero,
        num (a, end), isnan (d->cpu_target) ? "-1" : num (b, d->cpu_target),
        num (c, d->replicas_top), num (e, d->nodes_top), d->has_cpu);
    /* The time axis: seconds, or hours for a long run. */
    g_string_append_printf (m, "tscale = %d\ntunit = '%s'\n", hours ? 3600 : 1,
                            hours ? "h" : "s");
    g_string_append_printf (
        m, "rollout_from = %s\nrollout_to = %s\n",
        isnan (d->rollout_from) ? "-1" : num (a, d->rollout_from),
        isnan (d->rollout_from)
            ? "-1"
            : num (b, isnan (d->rollout_to) ? end : MIN (d->rollout_to, end)));
    g_string_append_printf (
        m, "has_zoom = %d\nzoom_from = %s\nzoom_to = %s\n", d->zoom != NULL,
        num (a, isnan (d->zoom_from) ? 0 : d->zoom_from),
        num (b, isnan (d->zoom_to) ? end : MIN (d->zoom_to, end)));
    g_string_append_printf (m, "has_rate = %d\nhas_weight = %d\n", d->has_rate,
                            d->weights->len > 0);
    g_string_append_printf (m, "downsampled = %d\n",
                            !sim_downsample_exact (d->series)
                                || !sim_downsample_exact (d->pods));
    g_string_append_printf (m, "run_title = '%s'\n",
                            d->title != NULL ? d->title : "");
    g_string_append (m, "palette = '");
    for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
        g_string_append_printf (m, "%s%s", i > 0 ? " " : "", palette[i]);
    g_string_append (m, "'\n");
    /* Milestones for every time plot: times, and their words. */
    g_string_append_printf (m, "nmarks = %u\nmark_t = '", d->marks->len);
    for (guint i = 0; i < d->marks->len; i++)
        g_string_append_printf (m, "%s%s", i > 0 ? " " : "",
                                num (a,
                                     g_array_index (d->marks, Mark, i).time));
    g_string_append_printf (m, "'\narray mark_l[%u]\n", MAX (d->marks->len, 1));
    for (guint i = 0; i < d->marks->len; i++)
        g_string_append_printf (m, "mark_l[%u] = '%s'\n", i + 1,
                                g_array_index (d->marks, Mark, i).label);
    g_string_append (m, "formats = 'png svg'\n");
    return write_file (dir, "meta.gp", m->str, error);
}

/* The data files; *@scaling (may be NULL): scaling.png has something
 * to show; *@zoom: the run has a rollout to zoom on. */
static gboolean
write_data (const char *dir, const char *plots_dir, gboolean *scaling,
            gboolean *zoom, GError **error)
{
    g_autoptr (PlotData) d = plot_data_read (dir, error);

    if (d == NULL)
        return FALSE;
    if (scaling != NULL)
        *scaling = d->scaled;
    if (zoom != NULL)
        *zoom = d->zoom != NULL;
    return write_versions (d, plots_dir, error)
           && write_series (d, plots_dir, error)
           && write_events (d, plots_dir, error)
           && write_meta (d, plots_dir, error);
}

gboolean
sim_plot_write_data (const char *dir, const char *plots_dir, GError **error)
{
    return write_data (dir, plots_dir, NULL, NULL, error);
}

/* --- gnuplot ----------------------------------------------------------------- */

/* One gnuplot for @scripts, run one after another (each starts with
 * `reset`): starting gnuplot costs more than most plots. */
static gboolean
run_gnuplot (const char *dir, const char *const *scripts, GError **error)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *err_text = NULL;
    g_autoptr (GError) spawn_error = NULL;
    gint status = 0;

    g_ptr_array_add (argv, (gpointer) "gnuplot");
    for (guint i = 0; scripts[i] != NULL; i++)
        g_ptr_array_add (argv, (gpointer) scripts[i]);
    g_ptr_array_add (argv, NULL);
    /* A signal meanwhile kills it (output.h). */
    if (!sim_output_spawn (dir, (const char *const *) argv->pdata, &err_text,
                           &status, &spawn_error)) {
        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "cannot run gnuplot (install gnuplot-nox, or pass "
                     "--no-plots): %s",
                     spawn_error->message);
        return FALSE;
    }
    if (!g_spawn_check_wait_status (status, NULL)) {
        g_autofree char *names = g_strjoinv (", ", (char **) scripts);

        g_set_error (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_GNUPLOT,
                     "gnuplot failed on %s: %s", names,
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
sim_plot_run_scripts (const char *plots_dir, const char *const *names,
                      GError **error)
{
    for (guint i = 0; names[i] != NULL; i++) {
        g_autofree char *path = g_build_filename (plots_dir, names[i], NULL);
        const SimPlotScript *s = find_script (names[i]);

        g_return_val_if_fail (s != NULL, FALSE);
        if (!g_file_test (path, G_FILE_TEST_EXISTS)
            && !write_file (plots_dir, names[i], s->text, error))
            return FALSE;
    }
    return run_gnuplot (plots_dir, names, error);
}

gboolean
sim_plot_run_script (const char *plots_dir, const char *name, GError **error)
{
    return sim_plot_run_scripts (plots_dir,
                                 (const char *const[]) { name, NULL }, error);
}

/* --- Drawing a run ----------------------------------------------------------- */

/* The run's scripts: not compare's or sweep's; scaling.gp only when
 * something scaled, pods-rollout.gp only when there was a rollout. */
static gboolean
is_run_script (const SimPlotScript *s, gboolean scaling, gboolean zoom)
{
    return !g_str_has_prefix (s->name, "compare-")
           && !g_str_has_prefix (s->name, "sweep-")
           && (scaling || strcmp (s->name, "scaling.gp") != 0)
           && (zoom || strcmp (s->name, "pods-rollout.gp") != 0);
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
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    gboolean ok, scaling = FALSE, zoom = FALSE;

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
    ok = write_data (dir, work, &scaling, &zoom, error);
    for (const SimPlotScript *s = sim_plot_scripts; ok && s->name != NULL;
         s++) {
        gboolean k;

        if (!is_run_script (s, scaling, zoom))
            continue;
        ok = stage_script (plots, work, s, &k, error);
        if (ok && k)
            g_hash_table_add (kept, g_strdup (s->name));
        g_ptr_array_add (names, (gpointer) s->name);
    }
    g_ptr_array_add (names, NULL);
    ok = ok && run_gnuplot (work, (const char *const *) names->pdata, error);
    ok = ok && publish (work, plots, kept, error);
    sim_output_remove_tree (work);
    sim_output_untrack_tmp (work);
    return ok;
}
