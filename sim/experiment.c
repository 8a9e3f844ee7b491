/* experiment.c - compare, sweep and merge (DESIGN.md section 6, issue 6):
 * many replications of several variants of a scenario, run on a thread
 * pool, summarised as means with t confidence intervals.
 *
 * Words.  A *variant* is one scenario with its settings: a scenario file
 * and strategy in compare, one combination of --vary values in sweep.  A
 * *replication* is one run of a variant.  Replication i of every variant
 * runs with seed scenario.seed + i, so all variants see the same arrival
 * and service streams (common random numbers, DESIGN.md section 3) and
 * their differences are paired.  Replication 0 is the scenario's own
 * seed: `rollsim run` of the variant.
 *
 * Determinism.  A run's result depends only on its variant and
 * replication, never on the thread that ran it or on timing.  Results are
 * stored by (variant, replication); every statistic is computed from the
 * runs' CSV text, in replication order (the same text merge reads back
 * from runs.csv), and every file is written from those in variant order.
 * So --jobs 1, --jobs 8 and --shard K/N + merge give byte-identical files.
 * Nothing written depends on the wall clock; the progress line goes to a
 * terminal only.
 *
 * Outputs, one directory written atomically (report.h):
 *   experiment.ini   what was run: command, replications, the variants
 *                    with their settings and scenario hashes; what merge
 *                    checks before it combines anything
 *   variants/N.ini   variant N's resolved scenario (seed = replication 0)
 *   runs.csv         every run: variant, replication, the summary.csv
 *                    row, its scenario's SHA-256, the rollsim version
 *   compare.csv, differences.csv   (compare)   or   sweep.csv (sweep):
 *                    only in a whole result, not in a shard's partial one
 *   plots/           compare-*.png or sweep-*.png (unless --no-plots)
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <csv.h>
#include "cli.h"
#include "world.h"
#include "metrics.h"
#include "report.h"
#include "plot.h"
#include "stats.h"
#include "strategy.h"

#ifndef ROLLSIM_VERSION
#define ROLLSIM_VERSION "0.0.0"
#endif

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* Confidence level of every interval. */
#define LEVEL 0.95
/* Defaults of --reps and --max-reps. */
#define DEFAULT_REPS 10
#define DEFAULT_MAX_REPS 1000
/* What sweep prints and plots unless --metrics says otherwise. */
#define DEFAULT_SWEEP_METRICS "rollout_duration_s,errors"

/* summary.csv columns that are not measurements. */
static const char *const not_metrics[] = {
    "scenario", "strategy", "seed", "outcome", NULL
};

/* Which way is better, for marking the best variant; a metric not listed
 * is neither (arrivals, rollout_start_s, ...). */
static const struct {
    const char *name;
    gint        better;
} directions[] = {
    { "rollout_duration_s", -1 }, { "ok", +1 }, { "errors", -1 },
    { "app_error", -1 }, { "no_endpoint", -1 }, { "refused", -1 },
    { "rejected", -1 }, { "killed", -1 }, { "timeout", -1 },
    { "availability", +1 }, { "mean_ms", -1 }, { "wait_mean_ms", -1 },
    { "wait_prob", -1 }, { "p50_ms", -1 }, { "p95_ms", -1 },
    { "p99_ms", -1 }, { "min_ready", +1 }, { "peak_pods", -1 },
    { "pod_seconds", -1 }, { "extra_pod_seconds", -1 },
    { "p99_ms_before", -1 }, { "p99_ms_during", -1 },
    { "bad_version_requests", -1 }, { "detection_s", -1 },
    { "in_flight_mean", -1 }, { "unschedulable_pods", -1 },
    { "completed", +1 },
};

/* Fractions of runs by outcome, added after the summary's columns. */
static const char *const outcome_metrics[] = { "completed", "aborted", NULL };

/* The runs.csv columns after the summary's. */
static const char *const runs_tail[] = {
    "scenario_sha256", "rollsim_version", "variant_file", NULL
};

/* --- The experiment --------------------------------------------------------- */

typedef struct {
    char      **row;        /* the runs.csv fields */
    double     *x;          /* each metric's value; NaN = missing */
} Run;

typedef struct {
    char        *label;     /* unique: "rolling", "max_surge=1 ..." */
    char       **settings;  /* GROUP.KEY=VALUE the variant adds */
    char       **values;    /* sweep: the value of each varied key */
    char        *ini;       /* the resolved scenario, replication 0 */
    char        *sha256;    /* of ini */
    SimScenario *sc;        /* loaded from ini */
    GPtrArray   *runs;      /* Run* by replication; NULL: not run here */
} Variant;

typedef struct {
    char *name;
    gint  col;              /* the summary column it reads */
    const char *outcome;    /* not NULL: 1 when the outcome is this */
    gint  better;           /* -1 lower is better, +1 higher, 0 neither */
    gint  decimals;         /* of its mean and half-width in the CSVs */
} Metric;

typedef struct {
    char       *command;        /* "compare" or "sweep" */
    char       *version;        /* rollsim's, when the runs were made */
    char      **sets;           /* --set, shared by every variant */
    char      **keys;           /* sweep: the varied keys */
    GPtrArray  *axes;           /* sweep: char** values of each key */
    char      **plot_metrics;   /* sweep: printed and plotted */
    char      **skipped;        /* sweep: combinations not run, why */
    guint       reps;
    double      precision;      /* --precision as a fraction; 0 = off */
    char      **precision_metrics;   /* empty: every metric */
    guint       max_reps;
    gboolean    precision_reached;
    guint       shard_k, shard_n;    /* 0: the whole experiment */
    GPtrArray  *variants;       /* Variant* */
    char      **header;         /* the summary columns */
    GArray     *metrics;        /* Metric */
} Experiment;

static void
run_free (Run *r)
{
    if (r == NULL)
        return;
    g_strfreev (r->row);
    g_free (r->x);
    g_free (r);
}

static void
variant_free (Variant *v)
{
    if (v == NULL)
        return;
    g_free (v->label);
    g_strfreev (v->settings);
    g_strfreev (v->values);
    g_free (v->ini);
    g_free (v->sha256);
    sim_scenario_free (v->sc);
    if (v->runs != NULL)
        g_ptr_array_unref (v->runs);
    g_free (v);
}

static Experiment *
experiment_new (const char *command)
{
    Experiment *x = g_new0 (Experiment, 1);

    x->command = g_strdup (command);
    x->version = g_strdup (ROLLSIM_VERSION);
    x->sets = g_new0 (char *, 1);
    x->keys = g_new0 (char *, 1);
    x->plot_metrics = g_new0 (char *, 1);
    x->skipped = g_new0 (char *, 1);
    x->precision_metrics = g_new0 (char *, 1);
    x->variants = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                  variant_free);
    x->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    x->metrics = g_array_new (FALSE, TRUE, sizeof (Metric));
    x->precision_reached = TRUE;
    return x;
}

static void
experiment_free (Experiment *x)
{
    if (x == NULL)
        return;
    g_free (x->command);
    g_free (x->version);
    g_strfreev (x->sets);
    g_strfreev (x->keys);
    g_strfreev (x->plot_metrics);
    g_strfreev (x->skipped);
    g_strfreev (x->precision_metrics);
    g_ptr_array_unref (x->variants);
    g_ptr_array_unref (x->axes);
    g_strfreev (x->header);
    for (guint i = 0; i < x->metrics->len; i++)
        g_free (g_array_index (x->metrics, Metric, i).name);
    g_array_unref (x->metrics);
    g_free (x);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Experiment, experiment_free)

#define VARIANT(x, i) ((Variant *) g_ptr_array_index ((x)->variants, (i)))
#define METRIC(x, i) (&g_array_index ((x)->metrics, Metric, (i)))

static guint
n_keys (const Experiment *x)
{
    return g_strv_length (x->keys);
}

/* The index in a runs.csv row of the first summary field. */
static guint
summary_at (const Experiment *x)
{
    return 2 + n_keys (x);
}

static gint
fail (int code, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gint
fail (int code, const char *fmt, ...)
{
    va_list ap;

    fputs ("rollsim: ", stderr);
    va_start (ap, fmt);
    vfprintf (stderr, fmt, ap);
    va_end (ap);
    fputc ('\n', stderr);
    return code;
}

static char *
sha256 (const char *text)
{
    return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static char *
variant_file (guint i)
{
    return g_strdup_printf ("variants/%u.ini", i + 1);
}

/* Build the metric list from x->header: every summary column that is a
 * measurement, then the outcome fractions. */
static void
experiment_set_header (Experiment *x, char **header)
{
    gint outcome = -1;

    g_strfreev (x->header);
    x->header = header;
    for (guint i = 0; header[i] != NULL; i++) {
        Metric m = { 0 };

        if (strcmp (header[i], "outcome") == 0)
            outcome = (gint) i;
        if (g_strv_contains (not_metrics, header[i]))
            continue;
        m.name = g_strdup (header[i]);
        m.col = (gint) i;
        g_array_append_val (x->metrics, m);
    }
    for (guint i = 0; outcome >= 0 && outcome_metrics[i] != NULL; i++) {
        Metric m = { 0 };

        m.name = g_strdup (outcome_metrics[i]);
        m.col = outcome;
        m.outcome = outcome_metrics[i];
        g_array_append_val (x->metrics, m);
    }
    for (guint i = 0; i < x->metrics->len; i++) {
        Metric *m = METRIC (x, i);

        m->decimals = 3;
        for (guint d = 0; d < G_N_ELEMENTS (directions); d++)
            if (strcmp (directions[d].name, m->name) == 0)
                m->better = directions[d].better;
    }
}

static gint
find_metric (const Experiment *x, const char *name)
{
    for (guint i = 0; i < x->metrics->len; i++)
        if (strcmp (METRIC (x, i)->name, name) == 0)
            return (gint) i;
    return -1;
}

static char *
metric_names (const Experiment *x)
{
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < x->metrics->len; i++)
        g_string_append_printf (s, "%s%s", i > 0 ? ", " : "",
                                METRIC (x, i)->name);
    return g_string_free (s, FALSE);
}

/* A CSV number, or NaN for an empty or non-numeric field. */
static double
parse_number (const char *text)
{
    char *end;
    double v;

    if (text == NULL || *text == '\0')
        return NAN;
    v = g_ascii_strtod (text, &end);
    return *end == '\0' ? v : NAN;
}

/* Fill r->x from r->row: the one place where numbers come from, so a run
 * in memory and the same run read back from runs.csv agree. */
static void
run_values (const Experiment *x, Run *r)
{
    guint at = summary_at (x);

    r->x = g_new (double, x->metrics->len);
    for (guint i = 0; i < x->metrics->len; i++) {
        const Metric *m = METRIC (x, i);
        const char *f = r->row[at + (guint) m->col];

        r->x[i] = m->outcome != NULL ? (strcmp (f, m->outcome) == 0)
                                     : parse_number (f);
    }
}

/* --- One run ------------------------------------------------------------------ */

static Run *
run_one (const Experiment *x, guint vi, guint rep, GError **error)
{
    const Variant *v = VARIANT (x, vi);
    g_autoptr (SimScenario) sc = sim_scenario_copy (v->sc);
    g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) values = NULL;
    g_autofree char *ini = NULL;
    SimWorld *w;
    SimSummary s;
    Run *r;

    /* The seed is plain data: no other field depends on it. */
    sc->seed = v->sc->seed + rep;
    w = sim_world_new (sc, NULL, error);
    if (w == NULL) {
        g_prefix_error (error, "%s, replication %u: ", v->label, rep);
        return NULL;
    }
    sim_world_run (w);
    sim_metrics_summary (sim_world_metrics (w), w, &s);
    values = sim_report_summary_values (w, &s);
    sim_world_free (w);

    ini = sim_scenario_to_ini (sc);
    g_ptr_array_add (row, g_strdup (v->label));
    g_ptr_array_add (row, g_strdup_printf ("%u", rep));
    for (guint k = 0; v->values[k] != NULL; k++)
        g_ptr_array_add (row, g_strdup (v->values[k]));
    for (guint i = 0; i < values->len; i++)
        g_ptr_array_add (row, g_strdup (g_ptr_array_index (values, i)));
    g_ptr_array_add (row, sha256 (ini));
    g_ptr_array_add (row, g_strdup (x->version));
    g_ptr_array_add (row, variant_file (vi));
    g_ptr_array_add (row, NULL);

    r = g_new0 (Run, 1);
    r->row = (char **) g_ptr_array_steal (row, NULL);
    run_values (x, r);
    return r;
}

/* --- The thread pool ---------------------------------------------------------- */

typedef struct {
    guint v, rep;
} Item;

typedef struct {
    Experiment *x;
    const Item *items;
    GMutex      lock;
    GCond       cond;
    guint       done;
    char       *error;          /* the first failure */
} Batch;

static void
batch_work (gpointer data, gpointer user)
{
    Batch *b = user;
    const Item *it = &b->items[GPOINTER_TO_UINT (data) - 1];
    g_autoptr (GError) error = NULL;
    Run *r = run_one (b->x, it->v, it->rep, &error);

    g_mutex_lock (&b->lock);
    if (r != NULL)
        g_ptr_array_index (VARIANT (b->x, it->v)->runs, it->rep) = r;
    else if (b->error == NULL)
        b->error = g_strdup (error->message);
    b->done++;
    g_cond_signal (&b->cond);
    g_mutex_unlock (&b->lock);
}

static void
progress_line (const char *command, guint done, guint total, gint64 start)
{
    double secs = (g_get_monotonic_time () - start) / 1e6;
    double rate = secs > 0 ? done / secs : 0;

    fprintf (stderr, "\rrollsim: %s: %u/%u runs", command, done, total);
    if (done > 0 && rate > 0) {
        guint left = (guint) ((total - done) / rate + 0.5);

        fprintf (stderr, ", %.1f runs/s, %u:%02u left", rate, left / 60,
                 left % 60);
    }
    fprintf (stderr, "\033[K");
}

/* Run @n items on @jobs threads; each lands in its variant's runs. */
static gboolean
run_items (Experiment *x, const Item *items, guint n, guint jobs,
           gboolean progress, GError **error)
{
    Batch b = { x, items, { 0 }, { 0 }, 0, NULL };
    GThreadPool *pool;
    gint64 start = g_get_monotonic_time (), next = start;

    if (n == 0)
        return TRUE;
    g_mutex_init (&b.lock);
    g_cond_init (&b.cond);
    pool = g_thread_pool_new (batch_work, &b, (gint) MIN (jobs, n), TRUE,
                              error);
    if (pool == NULL) {
        g_mutex_clear (&b.lock);
        g_cond_clear (&b.cond);
        return FALSE;
    }
    for (guint i = 0; i < n; i++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
    g_mutex_lock (&b.lock);
    while (b.done < n) {
        gint64 now = g_get_monotonic_time ();

        if (now >= next) {
            if (progress)
                progress_line (x->command, b.done, n, start);
            next = now + G_TIME_SPAN_SECOND / 4;
        }
        g_cond_wait_until (&b.cond, &b.lock, next);
    }
    g_mutex_unlock (&b.lock);
    g_thread_pool_free (pool, FALSE, TRUE);
    if (progress)
        fprintf (stderr, "\r\033[K");
    g_mutex_clear (&b.lock);
    g_cond_clear (&b.cond);
    if (b.error != NULL) {
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s",
                     b.error);
        g_free (b.error);
        return FALSE;
    }
    return TRUE;
}

/* --- Statistics ----------------------------------------------------------------- */

/* Metric @m of every replication of variant @v, NaN where missing. */
static double *
column_of (const Experiment *x, guint v, guint m)
{
    GPtrArray *runs = VARIANT (x, v)->runs;
    double *col = g_new (double, runs->len > 0 ? runs->len : 1);

    for (guint i = 0; i < runs->len; i++) {
        Run *r = g_ptr_array_index (runs, i);

        col[i] = r != NULL ? r->x[m] : NAN;
    }
    return col;
}

/* stats[v * n_metrics + m]. */
static SimStats *
compute_stats (const Experiment *x)
{
    guint nm = x->metrics->len;
    SimStats *st = g_new0 (SimStats, x->variants->len * nm + 1);

    for (guint v = 0; v < x->variants->len; v++)
        for (guint m = 0; m < nm; m++) {
            g_autofree double *col = column_of (x, v, m);

            sim_stats_compute (col, VARIANT (x, v)->runs->len, LEVEL,
                               &st[v * nm + m]);
        }
    return st;
}

/* Decimals of each metric's mean and half-width: two more than its most
 * precise value in runs.csv (at least 3), so the means keep what the runs
 * measured.  Depends only on the runs, like everything written. */
static void
set_decimals (Experiment *x)
{
    guint at = summary_at (x);

    for (guint m = 0; m < x->metrics->len; m++) {
        Metric *me = METRIC (x, m);
        gint most = 0;

        for (guint v = 0; v < x->variants->len && me->outcome == NULL; v++) {
            GPtrArray *runs = VARIANT (x, v)->runs;

            for (guint i = 0; i < runs->len; i++) {
                Run *r = g_ptr_array_index (runs, i);
                const char *dot;

                if (r == NULL)
                    continue;
                dot = strchr (r->row[at + (guint) me->col], '.');
                if (dot != NULL)
                    most = MAX (most, (gint) strlen (dot + 1));
            }
        }
        me->decimals = CLAMP (most + 2, 3, 9);
    }
}

/* Does metric @m count for --precision? */
static gboolean
precision_counts (const Experiment *x, guint m)
{
    return x->precision_metrics[0] == NULL
           || g_strv_contains ((const char *const *) x->precision_metrics,
                               METRIC (x, m)->name);
}

/* Is every counted mean's half-width within the precision?  If not, say
 * which are not in @unmet and suggest a replication count in @want. */
static gboolean
precision_met (const Experiment *x, const SimStats *st, GString *unmet,
               guint *want)
{
    guint nm = x->metrics->len;
    gboolean met = TRUE;
    double need = 0;

    for (guint v = 0; v < x->variants->len; v++)
        for (guint m = 0; m < nm; m++) {
            const SimStats *s = &st[v * nm + m];
            double limit = x->precision * fabs (s->mean);

            if (s->n == 0 || !precision_counts (x, m))
                continue;
            if (s->n >= 2 && s->hw <= limit)
                continue;
            if (met == FALSE)
                g_string_append (unmet, ", ");
            met = FALSE;
            if (s->n >= 2 && s->mean != 0)
                g_string_append_printf (unmet, "%s %s (±%.1f%%)",
                                        VARIANT (x, v)->label,
                                        METRIC (x, m)->name,
                                        100.0 * s->hw / fabs (s->mean));
            else
                g_string_append_printf (unmet, "%s %s (n=%u, mean %g)",
                                        VARIANT (x, v)->label,
                                        METRIC (x, m)->name, s->n, s->mean);
            /* The half-width shrinks as 1/sqrt(n). */
            need = MAX (need, limit > 0 && s->n >= 2
                              ? s->n * (s->hw / limit) * (s->hw / limit)
                              : G_MAXDOUBLE);
        }
    *want = need > G_MAXUINT ? G_MAXUINT : (guint) ceil (need);
    return met;
}

/* --- Running an experiment ------------------------------------------------------ */

/* Run replications [from, to) of every variant that this shard owns.
 * Work item j = variant * reps + replication belongs to shard
 * j % N + 1: interleaved, so shards get similar mixes of variants. */
static gboolean
experiment_run (Experiment *x, guint from, guint to, guint jobs,
                gboolean progress, GError **error)
{
    g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));

    for (guint v = 0; v < x->variants->len; v++) {
        g_ptr_array_set_size (VARIANT (x, v)->runs, (gint) to);
        for (guint rep = from; rep < to; rep++) {
            Item it = { v, rep };
            guint64 j = (guint64) v * x->reps + rep;

            if (x->shard_n == 0 || j % x->shard_n == x->shard_k - 1)
                g_array_append_val (items, it);
        }
    }
    return run_items (x, (const Item *) (gpointer) items->data, items->len,
                      jobs, progress, error);
}

/* With --precision: add replications (to every variant, so pairs stay
 * paired) until every counted half-width is within the precision or
 * max_reps is reached.  Each round runs at most as many again as there
 * are, toward the count the current half-widths suggest. */
static gboolean
experiment_refine (Experiment *x, guint jobs, gboolean progress,
                   GError **error)
{
    for (;;) {
        g_autofree SimStats *st = compute_stats (x);
        g_autoptr (GString) unmet = g_string_new (NULL);
        guint want, next;

        if (precision_met (x, st, unmet, &want)) {
            x->precision_reached = TRUE;
            return TRUE;
        }
        if (x->reps >= x->max_reps) {
            x->precision_reached = FALSE;
            fprintf (stderr, "rollsim: %s: precision %g%% not reached after "
                     "%u replications (the --max-reps cap): %s\n",
                     x->command, 100 * x->precision, x->reps, unmet->str);
            return TRUE;
        }
        next = MIN (MAX (want, x->reps + 1), 2 * x->reps);
        next = MIN (next, x->max_reps);
        if (!experiment_run (x, x->reps, next, jobs, progress, error))
            return FALSE;
        x->reps = next;
    }
}

/* --- experiment.ini ----------------------------------------------------------------- */

static void
set_list (GKeyFile *kf, const char *group, const char *key, char **list)
{
    g_key_file_set_string_list (kf, group, key,
                                (const char *const *) list,
                                g_strv_length (list));
}

static char *
format_fraction (double f)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    return g_strconcat (g_ascii_formatd (buf, sizeof buf, "%g", 100 * f),
                        "%", NULL);
}

/* The text of experiment.ini; @shard: with the shard line (a partial
 * result).  Merge compares these texts without it. */
static char *
experiment_ini (const Experiment *x, gboolean shard)
{
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    g_autofree char *body = NULL;

    g_key_file_set_string (kf, "experiment", "command", x->command);
    g_key_file_set_string (kf, "experiment", "rollsim_version", x->version);
    g_key_file_set_integer (kf, "experiment", "replications",
                            (gint) x->reps);
    set_list (kf, "experiment", "sets", x->sets);
    set_list (kf, "experiment", "keys", x->keys);
    set_list (kf, "experiment", "metrics", x->plot_metrics);
    if (x->precision > 0) {
        g_autofree char *p = format_fraction (x->precision);

        g_key_file_set_string (kf, "experiment", "precision", p);
        set_list (kf, "experiment", "precision_metrics",
                  x->precision_metrics);
        g_key_file_set_integer (kf, "experiment", "max_replications",
                                (gint) x->max_reps);
        g_key_file_set_boolean (kf, "experiment", "precision_reached",
                                x->precision_reached);
    }
    set_list (kf, "experiment", "skipped", x->skipped);
    g_key_file_set_integer (kf, "experiment", "variants",
                            (gint) x->variants->len);
    if (shard && x->shard_n > 0) {
        g_autofree char *s = g_strdup_printf ("%u/%u", x->shard_k,
                                              x->shard_n);

        g_key_file_set_string (kf, "experiment", "shard", s);
    }
    for (guint k = 0; x->keys[k] != NULL; k++)
        set_list (kf, "values", x->keys[k], g_ptr_array_index (x->axes, k));
    for (guint i = 0; i < x->variants->len; i++) {
        const Variant *v = VARIANT (x, i);
        g_autofree char *group = g_strdup_printf ("variant.%u", i + 1);
        g_autofree char *file = variant_file (i);

        g_key_file_set_string (kf, group, "label", v->label);
        set_list (kf, group, "settings", v->settings);
        set_list (kf, group, "values", v->values);
        g_key_file_set_string (kf, group, "scenario", file);
        g_key_file_set_string (kf, group, "scenario_sha256", v->sha256);
    }
    body = g_key_file_to_data (kf, NULL, NULL);
    return g_strconcat ("# What rollsim compare or sweep ran.  Replication "
                        "i of every variant ran with\n# seed scenario.seed "
                        "+ i; variants/N.ini holds variant N's scenario.\n",
                        body, NULL);
}

/* --- Writing the outputs --------------------------------------------------------- */

static FILE *
out_open (const char *dir, const char *name, char **path, GError **error)
{
    FILE *fp;

    *path = g_build_filename (dir, name, NULL);
    fp = fopen (*path, "w");
    if (fp == NULL) {
        int e = errno;

        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s: %s",
                     *path, g_strerror (e));
    }
    return fp;
}

static gboolean
out_close (FILE *fp, const char *path, GError **error)
{
    gboolean ok = !ferror (fp);

    ok &= fclose (fp) == 0;
    if (!ok)
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO,
                     "%s: write failed", path);
    return ok;
}

static void
write_ptr_row (FILE *fp, GPtrArray *f)
{
    sim_report_write_row (fp, (const char *const *) f->pdata, f->len);
    g_ptr_array_set_size (f, 0);
}

static GPtrArray *
runs_header (const Experiment *x)
{
    GPtrArray *h = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (h, g_strdup ("variant"));
    g_ptr_array_add (h, g_strdup ("replication"));
    for (guint k = 0; x->keys[k] != NULL; k++)
        g_ptr_array_add (h, g_strdup (x->keys[k]));
    for (guint i = 0; x->header[i] != NULL; i++)
        g_ptr_array_add (h, g_strdup (x->header[i]));
    for (guint i = 0; runs_tail[i] != NULL; i++)
        g_ptr_array_add (h, g_strdup (runs_tail[i]));
    return h;
}

static gboolean
write_runs (const Experiment *x, const char *dir, GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr (GPtrArray) h = runs_header (x);
    FILE *fp = out_open (dir, "runs.csv", &path, error);

    if (fp == NULL)
        return FALSE;
    write_ptr_row (fp, h);
    for (guint v = 0; v < x->variants->len; v++) {
        GPtrArray *runs = VARIANT (x, v)->runs;

        for (guint i = 0; i < runs->len; i++) {
            Run *r = g_ptr_array_index (runs, i);

            if (r != NULL)
                sim_report_write_row (fp, (const char *const *) r->row,
                                      g_strv_length (r->row));
        }
    }
    return out_close (fp, path, error);
}

static gboolean
write_variants (const Experiment *x, const char *dir, gboolean shard,
                GError **error)
{
    g_autofree char *vdir = g_build_filename (dir, "variants", NULL);
    g_autofree char *ini = experiment_ini (x, shard);
    g_autofree char *ini_path = g_build_filename (dir, "experiment.ini",
                                                  NULL);

    if (g_mkdir_with_parents (vdir, 0755) != 0) {
        int e = errno;

        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s: %s",
                     vdir, g_strerror (e));
        return FALSE;
    }
    if (!g_file_set_contents (ini_path, ini, -1, error))
        return FALSE;
    for (guint i = 0; i < x->variants->len; i++) {
        g_autofree char *name = variant_file (i);
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (!g_file_set_contents (path, VARIANT (x, i)->ini, -1, error))
            return FALSE;
    }
    return TRUE;
}

/* Append mean, half-width and n of @s. */
static void
stats_fields (GPtrArray *f, const SimStats *s, gint decimals)
{
    g_ptr_array_add (f, sim_report_number (s->mean, decimals));
    g_ptr_array_add (f, sim_report_number (s->hw, decimals));
    g_ptr_array_add (f, g_strdup_printf ("%u", s->n));
}

static void
stats_header (GPtrArray *f, const Experiment *x)
{
    for (guint m = 0; m < x->metrics->len; m++) {
        const char *name = METRIC (x, m)->name;

        g_ptr_array_add (f, g_strconcat (name, "_mean", NULL));
        g_ptr_array_add (f, g_strconcat (name, "_hw", NULL));
        g_ptr_array_add (f, g_strconcat (name, "_n", NULL));
    }
}

/* compare.csv: one row per variant; differences.csv: every pair of
 * variants (b minus a, a listed first), metric by metric, paired by
 * replication. */
static gboolean
write_compare (const Experiment *x, const SimStats *st, const char *dir,
               GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *dpath = NULL;
    g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
    guint nm = x->metrics->len;
    FILE *fp = out_open (dir, "compare.csv", &path, error);

    if (fp == NULL)
        return FALSE;
    for (const char *const *h = (const char *const[]) {
             "variant", "scenario", "strategy", "replications", NULL };
         *h != NULL; h++)
        g_ptr_array_add (f, g_strdup (*h));
    stats_header (f, x);
    write_ptr_row (fp, f);
    for (guint v = 0; v < x->variants->len; v++) {
        const Variant *va = VARIANT (x, v);

        g_ptr_array_add (f, g_strdup (va->label));
        g_ptr_array_add (f, g_strdup (va->sc->name));
        g_ptr_array_add (f, g_strdup (va->sc->strategy));
        g_ptr_array_add (f, g_strdup_printf ("%u", va->runs->len));
        for (guint m = 0; m < nm; m++)
            stats_fields (f, &st[v * nm + m], METRIC (x, m)->decimals);
        write_ptr_row (fp, f);
    }
    if (!out_close (fp, path, error))
        return FALSE;

    fp = out_open (dir, "differences.csv", &dpath, error);
    if (fp == NULL)
        return FALSE;
    for (const char *const *h = (const char *const[]) {
             "variant", "baseline", "metric", "n", "difference_mean",
             "difference_hw", NULL }; *h != NULL; h++)
        g_ptr_array_add (f, g_strdup (*h));
    write_ptr_row (fp, f);
    for (guint a = 0; a < x->variants->len; a++)
        for (guint b = a + 1; b < x->variants->len; b++)
            for (guint m = 0; m < nm; m++) {
                g_autofree double *ca = column_of (x, a, m);
                g_autofree double *cb = column_of (x, b, m);
                SimStats d;

                sim_stats_paired (ca, cb, VARIANT (x, a)->runs->len, LEVEL,
                                  &d);
                if (d.n == 0)
                    continue;
                g_ptr_array_add (f, g_strdup (VARIANT (x, b)->label));
                g_ptr_array_add (f, g_strdup (VARIANT (x, a)->label));
                g_ptr_array_add (f, g_strdup (METRIC (x, m)->name));
                g_ptr_array_add (f, g_strdup_printf ("%u", d.n));
                g_ptr_array_add (f, sim_report_number (
                    d.mean, METRIC (x, m)->decimals));
                g_ptr_array_add (f, sim_report_number (
                    d.hw, METRIC (x, m)->decimals));
                write_ptr_row (fp, f);
            }
    return out_close (fp, dpath, error);
}

/* sweep.csv: one row per combination that ran. */
static gboolean
write_sweep (const Experiment *x, const SimStats *st, const char *dir,
             GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
    guint nm = x->metrics->len;
    FILE *fp = out_open (dir, "sweep.csv", &path, error);

    if (fp == NULL)
        return FALSE;
    for (guint k = 0; x->keys[k] != NULL; k++)
        g_ptr_array_add (f, g_strdup (x->keys[k]));
    g_ptr_array_add (f, g_strdup ("replications"));
    stats_header (f, x);
    write_ptr_row (fp, f);
    for (guint v = 0; v < x->variants->len; v++) {
        const Variant *va = VARIANT (x, v);

        for (guint k = 0; va->values[k] != NULL; k++)
            g_ptr_array_add (f, g_strdup (va->values[k]));
        g_ptr_array_add (f, g_strdup_printf ("%u", va->runs->len));
        for (guint m = 0; m < nm; m++)
            stats_fields (f, &st[v * nm + m], METRIC (x, m)->decimals);
        write_ptr_row (fp, f);
    }
    return out_close (fp, path, error);
}

/* --- Plots ------------------------------------------------------------------------ */

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
    guint  rep;
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
median_replication (const Experiment *x, guint v)
{
    GPtrArray *runs = VARIANT (x, v)->runs;
    gint me = find_metric (x, "errors");
    gint md = find_metric (x, "rollout_duration_s");
    g_autofree Rank *r = g_new0 (Rank, runs->len + 1);
    guint n = 0;

    for (guint i = 0; i < runs->len; i++) {
        Run *run = g_ptr_array_index (runs, i);

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

/* compare.dat: per variant, one block (header line: its label and
 * replication) of time_s, all pods (terminating included), ready pods,
 * errors, availability per sample step of its median replication, which
 * is run again here (runs are deterministic). */
static gboolean
draw_compare (const Experiment *x, const char *dir, GError **error)
{
    g_autofree char *plots = g_build_filename (dir, "plots", NULL);
    g_autofree char *path = NULL;
    g_autofree char *meta = NULL;
    g_autofree char *meta_path = NULL;
    FILE *fp;

    if (g_mkdir_with_parents (plots, 0755) != 0) {
        int e = errno;

        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s: %s",
                     plots, g_strerror (e));
        return FALSE;
    }
    fp = out_open (plots, "compare.dat", &path, error);
    if (fp == NULL)
        return FALSE;
    fprintf (fp, "# rollsim compare: the median replication of each "
             "variant, one block each:\n# time_s pods(all) ready errors "
             "availability\n");
    for (guint v = 0; v < x->variants->len; v++) {
        const Variant *va = VARIANT (x, v);
        guint rep = median_replication (x, v);
        g_autoptr (SimScenario) sc = sim_scenario_copy (va->sc);
        g_autofree char *title = NULL;
        g_autofree char *quoted = NULL;
        SimMetrics *m;
        SimWorld *w;

        sc->seed = va->sc->seed + rep;
        w = sim_world_new (sc, NULL, error);
        if (w == NULL) {
            fclose (fp);
            return FALSE;
        }
        sim_world_run (w);
        m = sim_world_metrics (w);
        title = g_strdup_printf ("%s (replication %u)", va->label, rep);
        quoted = gp_string (title);
        fprintf (fp, "%s%s\n", v > 0 ? "\n\n" : "", quoted);
        for (guint i = 0; i < m->timeseries->len; i++) {
            const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                        SimTimeseriesRow, i);
            g_autofree char *t = gp_number (SIM_TIME_TO_SEC (r->time));
            g_autofree char *a = gp_number (r->c.arrivals > 0
                                            ? (double) r->c.ok
                                              / r->c.arrivals
                                            : NAN);

            fprintf (fp, "%s %d %d %" G_GUINT64_FORMAT " %s\n", t,
                     r->pods + r->terminating, r->ready, r->c.errors, a);
        }
        sim_world_free (w);
    }
    if (!out_close (fp, path, error))
        return FALSE;
    meta = g_strdup_printf ("# written by rollsim compare\n"
                            "nvariants = %u\n", x->variants->len);
    meta_path = g_build_filename (plots, "compare-meta.gp", NULL);
    return g_file_set_contents (meta_path, meta, -1, error)
           && sim_plot_run_script (plots, "compare-pods.gp", error)
           && sim_plot_run_script (plots, "compare-errors.gp", error);
}

/* The short name of varied key @k: its last part, unless another varied
 * key ends the same way. */
static char *
short_key (const Experiment *x, guint k)
{
    const char *dot = strrchr (x->keys[k], '.');
    const char *s = dot != NULL ? dot + 1 : x->keys[k];

    for (guint j = 0; x->keys[j] != NULL; j++) {
        const char *d = strrchr (x->keys[j], '.');

        if (j != k && strcmp (d != NULL ? d + 1 : x->keys[j], s) == 0)
            return g_strdup (x->keys[k]);
    }
    return g_strdup (s);
}

/* The label of a plot line: the values of the keys after the first. */
static char *
line_label (const Experiment *x, char **values)
{
    GString *s = g_string_new (NULL);

    for (guint k = 1; values[k] != NULL; k++) {
        g_autofree char *sk = short_key (x, k);

        g_string_append_printf (s, "%s%s=%s", k > 1 ? " " : "", sk,
                                values[k]);
    }
    return g_string_free (s, FALSE);
}

/* The variant with these values of every key, or -1 (skipped). */
static gint
find_variant (const Experiment *x, char **values)
{
    for (guint v = 0; v < x->variants->len; v++) {
        char **mine = VARIANT (x, v)->values;
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
 * first key's values in order, each with its x position, then the mean
 * and half-width of each plotted metric (NaN where the combination was
 * skipped, a gap in the line).  Metrics with no value at all are left
 * out: gnuplot refuses a plot with no point. */
static gboolean
draw_sweep (const Experiment *x, const SimStats *st, const char *dir,
            GError **error)
{
    g_autofree char *plots = g_build_filename (dir, "plots", NULL);
    g_autofree char *path = NULL;
    g_autofree char *meta_path = NULL;
    g_autoptr (GString) meta = g_string_new ("# written by rollsim sweep\n");
    g_autoptr (GArray) shown = g_array_new (FALSE, FALSE, sizeof (guint));
    g_autofree char *xkey = gp_name (x->keys[0]);
    char **firsts = g_ptr_array_index (x->axes, 0);
    guint nk = n_keys (x), nm = x->metrics->len, nlines = 1;
    g_autofree char **values = g_new0 (char *, nk + 1);
    gboolean numeric = TRUE;
    FILE *fp;

    for (guint p = 0; x->plot_metrics[p] != NULL; p++) {
        guint m = (guint) find_metric (x, x->plot_metrics[p]);
        gboolean any = FALSE;

        for (guint v = 0; v < x->variants->len; v++)
            any |= st[v * nm + m].n > 0;
        if (any)
            g_array_append_val (shown, m);
        else
            fprintf (stderr, "rollsim: %s: no plot of %s: no run has a "
                     "value of it\n", x->command, METRIC (x, m)->name);
    }
    if (shown->len == 0)
        return TRUE;
    if (g_mkdir_with_parents (plots, 0755) != 0) {
        int e = errno;

        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s: %s",
                     plots, g_strerror (e));
        return FALSE;
    }
    for (guint i = 0; firsts[i] != NULL; i++)
        numeric &= !isnan (parse_number (firsts[i]));
    for (guint k = 1; k < nk; k++)
        nlines *= g_strv_length (g_ptr_array_index (x->axes, k));
    fp = out_open (plots, "sweep.dat", &path, error);
    if (fp == NULL)
        return FALSE;
    fprintf (fp, "# rollsim sweep: one block per line of the plot; "
             "columns: %s, x, then mean and half-width of each metric\n",
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
            g_autofree char *xpos = numeric
                                    ? gp_number (parse_number (firsts[i]))
                                    : g_strdup_printf ("%u", i);
            gint v;

            values[0] = firsts[i];
            v = find_variant (x, values);
            fprintf (fp, "%s %s", name, xpos);
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
    if (!out_close (fp, path, error))
        return FALSE;

    g_string_append_printf (meta, "nlines = %u\nxnumeric = %d\n"
                            "xkey = '%s'\nmetrics = '", nlines, numeric,
                            xkey);
    for (guint p = 0; p < shown->len; p++) {
        g_autofree char *name = gp_name (
            METRIC (x, g_array_index (shown, guint, p))->name);

        g_string_append_printf (meta, "%s%s", p > 0 ? " " : "", name);
    }
    g_string_append (meta, "'\n");
    meta_path = g_build_filename (plots, "sweep-meta.gp", NULL);
    return g_file_set_contents (meta_path, meta->str, -1, error)
           && sim_plot_run_script (plots, "sweep-metrics.gp", error);
}

/* Everything of a finished experiment into @dir, atomically: the partial
 * result of a shard, or the whole one. */
static gboolean
experiment_write (Experiment *x, const char *dir, gboolean plots,
                  GError **error)
{
    g_autofree char *tmp = sim_report_begin (dir, error);
    g_autofree SimStats *st = NULL;
    gboolean whole = x->shard_n == 0;
    gboolean compare = strcmp (x->command, "compare") == 0;

    if (tmp == NULL)
        return FALSE;
    set_decimals (x);
    if (whole)
        st = compute_stats (x);
    if (!write_variants (x, tmp, TRUE, error)
        || !write_runs (x, tmp, error)
        || (whole && compare && !write_compare (x, st, tmp, error))
        || (whole && !compare && !write_sweep (x, st, tmp, error))
        || (whole && plots && compare && !draw_compare (x, tmp, error))
        || (whole && plots && !compare && !draw_sweep (x, st, tmp, error))) {
        sim_report_abandon (tmp);
        return FALSE;
    }
    return sim_report_commit (tmp, dir, error);
}

/* --- Printing --------------------------------------------------------------------- */

/* Decimals for showing numbers of magnitude up to @big: four significant
 * digits, at most 6 decimals. */
static gint
show_decimals (double big)
{
    if (!(big > 0) || isinf (big))
        return 0;
    return CLAMP (3 - (gint) floor (log10 (big)), 0, 6);
}

static void
print_padded (const char *text, gint width)
{
    glong len = g_utf8_strlen (text, -1);

    fputs (text, stdout);
    for (glong i = len; i < width; i++)
        fputc (' ', stdout);
}

static gint
text_width (const char *text)
{
    return (gint) g_utf8_strlen (text, -1);
}

/* "mean ± hw" with @dec decimals (hw left out when undefined). */
static char *
show_stats (double mean, double hw, gint dec, gboolean sign)
{
    if (isnan (mean))
        return g_strdup ("-");
    if (isnan (hw))
        return g_strdup_printf (sign ? "%+.*f" : "%.*f", dec, mean);
    return g_strdup_printf (sign ? "%+.*f ± %.*f" : "%.*f ± %.*f", dec,
                            mean, dec, hw);
}

/* Is variant @v's mean of @m the best of all (ties all best)? */
static gboolean
is_best (const Experiment *x, const SimStats *st, guint v, guint m)
{
    guint nm = x->metrics->len;
    double mine = st[v * nm + m].mean;
    gint better = METRIC (x, m)->better;

    gboolean all_tie = TRUE;

    if (better == 0 || isnan (mine) || x->variants->len < 2)
        return FALSE;
    for (guint o = 0; o < x->variants->len; o++) {
        double other = st[o * nm + m].mean;

        if (!isnan (other) && (better < 0 ? other < mine : other > mine))
            return FALSE;
        all_tie &= other == mine;
    }
    /* A mark on every variant says nothing. */
    return !all_tie;
}

/* A table: rows of cells, printed with aligned columns. */
static void
print_table (GPtrArray *rows)
{
    g_autofree gint *width = NULL;
    guint ncol = 0;

    for (guint r = 0; r < rows->len; r++)
        ncol = MAX (ncol, ((GPtrArray *) g_ptr_array_index (rows, r))->len);
    width = g_new0 (gint, ncol + 1);
    for (guint r = 0; r < rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (rows, r);

        for (guint c = 0; c < row->len; c++)
            width[c] = MAX (width[c],
                            text_width (g_ptr_array_index (row, c)));
    }
    for (guint r = 0; r < rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (rows, r);

        for (guint c = 0; c < row->len; c++) {
            if (c + 1 == row->len)
                fputs (g_ptr_array_index (row, c), stdout);
            else
                print_padded (g_ptr_array_index (row, c), width[c] + 3);
        }
        fputc ('\n', stdout);
    }
}

static GPtrArray *
new_row (GPtrArray *rows)
{
    GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (rows, row);
    return row;
}

static gboolean
metric_shown (const Experiment *x, char **only, guint m)
{
    return only == NULL || only[0] == NULL
           || g_strv_contains ((const char *const *) only,
                               METRIC (x, m)->name);
}

static void
print_heading (const Experiment *x)
{
    const Variant *v0 = VARIANT (x, 0);

    printf ("%s: %u variant%s x %u replication%s, seeds %" G_GUINT64_FORMAT
            "..%" G_GUINT64_FORMAT " (common random numbers), %g%% "
            "confidence intervals\n",
            v0->sc->name, x->variants->len, x->variants->len == 1 ? "" : "s",
            x->reps, x->reps == 1 ? "" : "s", v0->sc->seed,
            v0->sc->seed + x->reps - 1, 100 * LEVEL);
    if (x->precision > 0)
        printf ("precision %g%%: %s\n", 100 * x->precision,
                x->precision_reached ? "reached"
                                     : "NOT reached (capped by --max-reps)");
}

static void
print_compare (const Experiment *x, const SimStats *st, char **only)
{
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_ptr_array_unref);
    guint nm = x->metrics->len, nv = x->variants->len;
    GPtrArray *row;

    g_autoptr (GString) zeros = g_string_new (NULL);
    g_autoptr (GString) same = g_string_new (NULL);

    print_heading (x);
    printf ("\n");
    row = new_row (rows);
    g_ptr_array_add (row, g_strdup ("metric"));
    for (guint v = 0; v < nv; v++)
        g_ptr_array_add (row, g_strdup (VARIANT (x, v)->label));
    for (guint m = 0; m < nm; m++) {
        double big = 0;
        gboolean any = FALSE;
        gint dec;

        gboolean zero = TRUE;

        for (guint v = 0; v < nv; v++) {
            const SimStats *s = &st[v * nm + m];

            any |= s->n > 0;
            zero &= s->n == 0 || (s->mean == 0 && !(s->hw > 0));
            if (s->n > 0)
                big = MAX (big, fabs (s->mean));
        }
        if (!any || !metric_shown (x, only, m))
            continue;
        if (zero) {
            g_string_append_printf (zeros, "%s%s", zeros->len ? ", " : "",
                                    METRIC (x, m)->name);
            continue;
        }
        dec = show_decimals (big);
        row = new_row (rows);
        g_ptr_array_add (row, g_strdup (METRIC (x, m)->name));
        for (guint v = 0; v < nv; v++) {
            const SimStats *s = &st[v * nm + m];
            g_autofree char *cell = show_stats (s->mean, s->hw, dec, FALSE);

            g_ptr_array_add (row, g_strconcat (cell, is_best (x, st, v, m)
                                                     ? " *" : "", NULL));
        }
    }
    print_table (rows);
    if (zeros->len > 0)
        printf ("0 in every run: %s\n", zeros->str);
    if (nv < 2)
        return;
    printf ("(* best)\n\npaired differences from %s (variant minus %s, "
            "replication by replication; ! the interval excludes 0)\n\n",
            VARIANT (x, 0)->label, VARIANT (x, 0)->label);
    g_ptr_array_set_size (rows, 0);
    row = new_row (rows);
    g_ptr_array_add (row, g_strdup ("metric"));
    for (guint v = 1; v < nv; v++)
        g_ptr_array_add (row, g_strdup (VARIANT (x, v)->label));
    for (guint m = 0; m < nm; m++) {
        double big = 0;
        gboolean any = FALSE;
        gint dec;

        for (guint v = 0; v < nv; v++)
            if (st[v * nm + m].n > 0)
                big = MAX (big, fabs (st[v * nm + m].mean));
        if (!metric_shown (x, only, m))
            continue;
        dec = show_decimals (big);
        row = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (row, g_strdup (METRIC (x, m)->name));
        gboolean identical = TRUE;

        for (guint v = 1; v < nv; v++) {
            g_autofree double *ca = column_of (x, 0, m);
            g_autofree double *cb = column_of (x, v, m);
            g_autofree char *cell = NULL;
            SimStats d;

            sim_stats_paired (ca, cb, VARIANT (x, 0)->runs->len, LEVEL, &d);
            any |= d.n > 0;
            identical &= d.n == 0 || (d.mean == 0 && !(d.hw > 0));
            cell = show_stats (d.mean, d.hw, dec, TRUE);
            g_ptr_array_add (row, g_strconcat (cell,
                !isnan (d.hw) && fabs (d.mean) > d.hw ? " !" : "", NULL));
        }
        if (any && identical)
            g_string_append_printf (same, "%s%s", same->len ? ", " : "",
                                    METRIC (x, m)->name);
        if (any && !identical)
            g_ptr_array_add (rows, row);
        else
            g_ptr_array_unref (row);
    }
    if (rows->len > 1)
        print_table (rows);
    if (same->len > 0)
        printf ("the same in every replication: %s\n", same->str);
}

static void
print_sweep (const Experiment *x, const SimStats *st)
{
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_ptr_array_unref);
    guint nm = x->metrics->len, nv = x->variants->len;
    GPtrArray *row;

    print_heading (x);
    printf ("\n");
    row = new_row (rows);
    for (guint k = 0; x->keys[k] != NULL; k++)
        g_ptr_array_add (row, short_key (x, k));
    for (guint p = 0; x->plot_metrics[p] != NULL; p++)
        g_ptr_array_add (row, g_strdup (x->plot_metrics[p]));
    for (guint v = 0; v < nv; v++) {
        const Variant *va = VARIANT (x, v);

        row = new_row (rows);
        for (guint k = 0; va->values[k] != NULL; k++)
            g_ptr_array_add (row, g_strdup (va->values[k]));
        for (guint p = 0; x->plot_metrics[p] != NULL; p++) {
            guint m = (guint) find_metric (x, x->plot_metrics[p]);
            const SimStats *s = &st[v * nm + m];
            double big = 0;
            g_autofree char *cell = NULL;

            for (guint o = 0; o < nv; o++)
                if (st[o * nm + m].n > 0)
                    big = MAX (big, fabs (st[o * nm + m].mean));
            cell = show_stats (s->mean, s->hw, show_decimals (big), FALSE);
            g_ptr_array_add (row, g_strconcat (cell, is_best (x, st, v, m)
                                                     ? " *" : "", NULL));
        }
    }
    print_table (rows);
    printf ("(* best; every metric of every combination is in "
            "sweep.csv)\n");
    for (guint i = 0; x->skipped[i] != NULL; i++)
        printf ("skipped: %s\n", x->skipped[i]);
}

static void
print_outputs (const Experiment *x, const char *dir, gboolean plots)
{
    gboolean compare = strcmp (x->command, "compare") == 0;

    if (x->shard_n > 0) {
        guint n = 0;

        for (guint v = 0; v < x->variants->len; v++)
            for (guint i = 0; i < VARIANT (x, v)->runs->len; i++)
                n += g_ptr_array_index (VARIANT (x, v)->runs, i) != NULL;
        printf ("%s: shard %u/%u: %u of %u runs in %s/ (a partial result: "
                "combine the shards with rollsim merge)\n", x->command,
                x->shard_k, x->shard_n, n, x->variants->len * x->reps, dir);
        return;
    }
    printf ("outputs  %s/ (%s, runs.csv, experiment.ini, variants/%s)\n",
            dir, compare ? "compare.csv, differences.csv" : "sweep.csv",
            plots ? (compare ? ", plots/compare-*.png"
                             : ", plots/sweep-*.png") : "");
}

/* --- Command-line options ------------------------------------------------------ */

typedef struct {
    char   *out;
    char   *seed;
    char   *shard;
    char   *precision;
    char   *metrics;
    char   *precision_metrics;
    char  **sets;
    char  **strategies;
    char  **vary;
    gint    reps;
    gint    jobs;
    gint    max_reps;
    gboolean no_plots;
    gboolean quiet;
} Options;

static void
options_clear (Options *o)
{
    g_free (o->out);
    g_free (o->seed);
    g_free (o->shard);
    g_free (o->precision);
    g_free (o->metrics);
    g_free (o->precision_metrics);
    g_strfreev (o->sets);
    g_strfreev (o->strategies);
    g_strfreev (o->vary);
}

/* "K/N" with 1 <= K <= N. */
static gboolean
parse_shard (const char *text, guint *k, guint *n, GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, "/", -1);
    guint64 a, b;

    if (g_strv_length (parts) != 2
        || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT32, &a,
                                        NULL)
        || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT32, &b,
                                        NULL)
        || a > b) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "--shard %s: expected K/N, slice K of N with "
                     "1 <= K <= N (e.g. --shard 2/8)", text);
        return FALSE;
    }
    *k = (guint) a;
    *n = (guint) b;
    return TRUE;
}

/* "5%" or "0.05": a fraction in (0, 1). */
static gboolean
parse_precision (const char *text, double *out, GError **error)
{
    g_autofree char *t = g_strstrip (g_strdup (text));
    gsize len = strlen (t);
    gboolean percent = len > 0 && t[len - 1] == '%';
    char *end;
    double v;

    if (percent)
        t[len - 1] = '\0';
    v = g_ascii_strtod (t, &end);
    if (percent)
        v /= 100;
    if (end == t || *end != '\0' || !(v > 0 && v < 1)) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "--precision %s: expected a relative half-width such "
                     "as 5%% or 0.05 (more than 0, less than 100%%)", text);
        return FALSE;
    }
    *out = v;
    return TRUE;
}

/* Comma-separated names, each one of the experiment's metrics. */
static char **
parse_metrics (const Experiment *x, const char *option, const char *text,
               GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, ",", -1);
    g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; parts[i] != NULL; i++) {
        char *p = g_strstrip (parts[i]);

        if (find_metric (x, p) < 0) {
            g_autofree char *names = metric_names (x);

            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID,
                         "%s %s: unknown metric \"%s\" (accepted: %s)",
                         option, text, p, names);
            return NULL;
        }
        g_ptr_array_add (out, g_strdup (p));
    }
    g_ptr_array_add (out, NULL);
    return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Options shared by compare and sweep, checked and copied into @x. */
static gboolean
apply_options (Experiment *x, const Options *o, GError **error)
{
    if (o->reps < 1) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "--reps %d: expected at least 1", o->reps);
        return FALSE;
    }
    if (o->jobs < 1) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "--jobs %d: expected at least 1", o->jobs);
        return FALSE;
    }
    x->reps = (guint) o->reps;
    if (o->shard != NULL
        && !parse_shard (o->shard, &x->shard_k, &x->shard_n, error))
        return FALSE;
    if (o->precision != NULL) {
        if (!parse_precision (o->precision, &x->precision, error))
            return FALSE;
        if (x->shard_n > 0) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "--precision and "
                         "--shard do not mix: how many replications are "
                         "needed is known only from all of them (give "
                         "shards a fixed --reps)");
            return FALSE;
        }
        if (o->max_reps < 2) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID,
                         "--max-reps %d: expected at least 2", o->max_reps);
            return FALSE;
        }
        x->max_reps = (guint) o->max_reps;
        x->reps = MAX (MIN (x->reps, x->max_reps), 2);
    }
    g_strfreev (x->sets);
    x->sets = g_strdupv (o->sets != NULL ? o->sets : (char *[]) { NULL });
    return TRUE;
}

/* Metric options, once the header is known. */
static gboolean
apply_metric_options (Experiment *x, const Options *o, GError **error)
{
    if (o->precision_metrics != NULL) {
        char **list = parse_metrics (x, "--precision-metrics",
                                     o->precision_metrics, error);

        if (list == NULL)
            return FALSE;
        g_strfreev (x->precision_metrics);
        x->precision_metrics = list;
    }
    return TRUE;
}

/* The scenario of one variant: @path with the shared --set, the
 * variant's @settings, and the seed.  Then the resolved text, loaded
 * again, is what runs: variants/N.ini reproduces the runs exactly. */
static Variant *
variant_new (const Experiment *x, const char *path, char **settings,
             const char *seed, GError **error)
{
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();
    g_autoptr (SimScenario) sc = NULL;
    g_autofree char *again = NULL;
    g_autofree char *seed_set = g_strconcat ("scenario.seed=", seed, NULL);
    Variant *v;

    /* The variant's own settings last: a sweep may vary the seed. */
    for (guint i = 0; x->sets[i] != NULL; i++)
        g_ptr_array_add (sets, x->sets[i]);
    g_ptr_array_add (sets, seed_set);
    for (guint i = 0; settings[i] != NULL; i++)
        g_ptr_array_add (sets, settings[i]);
    g_ptr_array_add (sets, NULL);
    sc = sim_cli_load (path, (char **) sets->pdata, NULL, error);
    if (sc == NULL)
        return NULL;
    v = g_new0 (Variant, 1);
    v->settings = g_strdupv (settings);
    v->values = g_new0 (char *, 1);
    v->ini = sim_scenario_to_ini (sc);
    v->sha256 = sha256 (v->ini);
    v->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
    v->sc = sim_scenario_load_data (v->ini, sc->path, NULL, error);
    if (v->sc != NULL)
        again = sim_scenario_to_ini (v->sc);
    if (v->sc == NULL || strcmp (again, v->ini) != 0) {
        g_clear_error (error);
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO,
                     "%s: the resolved scenario does not load back the "
                     "same (a bug: please report it)", sc->path);
        variant_free (v);
        return NULL;
    }
    return v;
}

/* Give duplicate labels a "#2", "#3", ... so each names one variant. */
static void
unique_labels (Experiment *x)
{
    for (guint i = 0; i < x->variants->len; i++) {
        Variant *v = VARIANT (x, i);
        guint same = 1;

        for (guint j = 0; j < i; j++)
            if (g_str_has_prefix (VARIANT (x, j)->label, v->label)) {
                const char *rest = VARIANT (x, j)->label + strlen (v->label);

                same += rest[0] == '\0' || rest[0] == '#';
            }
        if (same > 1) {
            char *l = g_strdup_printf ("%s#%u", v->label, same);

            g_free (v->label);
            v->label = l;
        }
    }
}

static guint
default_jobs (void)
{
    return (guint) MAX (1, g_get_num_processors ());
}

/* The shared ending of compare and sweep: run, refine, write, print. */
static int
finish (Experiment *x, const Options *o, const char *default_out,
        char **only)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *out = g_strdup (o->out != NULL ? o->out : default_out);
    gboolean progress = !o->quiet && isatty (STDERR_FILENO);
    gboolean plots = !o->no_plots && x->shard_n == 0;
    g_autofree char *gnuplot = NULL;

    /* Find out before an hour of runs that the plots cannot be drawn. */
    if (plots && (gnuplot = g_find_program_in_path ("gnuplot")) == NULL)
        return fail (EXIT_RUNTIME, "%s: cannot run gnuplot (install "
                     "gnuplot-nox, or pass --no-plots)", x->command);
    if (!experiment_run (x, 0, x->reps, (guint) o->jobs, progress, &error)
        || (x->precision > 0
            && !experiment_refine (x, (guint) o->jobs, progress, &error))
        || !experiment_write (x, out, plots, &error))
        return fail (EXIT_RUNTIME, "%s: %s", x->command, error->message);
    if (!o->quiet && x->shard_n == 0) {
        g_autofree SimStats *st = compute_stats (x);

        if (strcmp (x->command, "compare") == 0)
            print_compare (x, st, only);
        else
            print_sweep (x, st);
    }
    if (!o->quiet)
        print_outputs (x, out, plots);
    return EXIT_OK;
}

static void
common_entries (GOptionContext *ctx, Options *o)
{
    GOptionEntry entries[] = {
        { "reps", 0, 0, G_OPTION_ARG_INT, &o->reps,
          "Replications per variant (default 10)", "N" },
        { "seed", 0, 0, G_OPTION_ARG_STRING, &o->seed,
          "Seed of replication 0 (default: scenario.seed); replication i "
          "uses seed+i", "S" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
          "Runs at once (default: the number of cores)", "N" },
        { "shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
          "Run only slice K of N of the runs (a partial result for "
          "rollsim merge)", "K/N" },
        { "precision", 0, 0, G_OPTION_ARG_STRING, &o->precision,
          "Add replications until every half-width is within P of its "
          "mean", "P%" },
        { "precision-metrics", 0, 0, G_OPTION_ARG_STRING,
          &o->precision_metrics,
          "The metrics --precision looks at (default: all)", "M,..." },
        { "max-reps", 0, 0, G_OPTION_ARG_INT, &o->max_reps,
          "Cap of --precision (default 1000)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
          "Override a key in every variant", "GROUP.KEY=VALUE" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->out,
          "Output directory", "DIR" },
        { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o->no_plots,
          "Do not draw plots (no gnuplot needed)", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing on success", NULL },
        { NULL }
    };

    o->reps = DEFAULT_REPS;
    o->jobs = (gint) default_jobs ();
    o->max_reps = DEFAULT_MAX_REPS;
    g_option_context_add_main_entries (ctx, entries, NULL);
}

/* --- compare ---------------------------------------------------------------------- */

int
sim_cli_compare (int argc, char **argv)
{
    Options o = { 0 };
    GOptionEntry entries[] = {
        { "strategy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.strategies,
          "Strategies to compare, e.g. rolling,recreate (default: the "
          "scenario's)", "NAME[,NAME...]" },
        { "metrics", 0, 0, G_OPTION_ARG_STRING, &o.metrics,
          "Metrics to print (default: all; the CSVs have all)", "M,..." },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "[SCENARIO...] - compare strategies or scenarios over many seeds");
    g_autoptr (GError) error = NULL;
    g_autoptr (Experiment) x = experiment_new ("compare");
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (SimScenario) first = NULL;
    g_auto (GStrv) only = NULL;
    g_autofree char *seed = NULL;
    g_autofree char *def = NULL;
    guint nfiles;
    int rc;

    common_entries (ctx, &o);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
        "Runs every variant (each SCENARIO with each --strategy; without\n"
        "SCENARIO, the built-in seed scenario) --reps times.  Replication i\n"
        "of every variant runs with seed S+i, so all see the same arrivals\n"
        "and service times and their differences are paired.  Writes\n"
        "compare.csv (mean and 95% half-width of each metric per variant),\n"
        "differences.csv (paired differences), runs.csv (every run),\n"
        "experiment.ini, variants/N.ini and plots/compare-*.png.\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        options_clear (&o);
        return fail (EXIT_USAGE, "compare: %s (see rollsim compare --help)",
                     error->message);
    }
    if (!apply_options (x, &o, &error)) {
        options_clear (&o);
        return fail (EXIT_USAGE, "compare: %s", error->message);
    }
    nfiles = (guint) argc - 1;
    /* CRN across scenario files: all take the first one's seed. */
    first = sim_cli_load (nfiles > 0 ? argv[1] : NULL, x->sets, o.seed,
                          &error);
    if (first == NULL) {
        options_clear (&o);
        return sim_cli_error (error);
    }
    seed = g_strdup_printf ("%" G_GUINT64_FORMAT, first->seed);
    for (guint i = 0; o.strategies != NULL && o.strategies[i] != NULL; i++) {
        g_auto (GStrv) parts = g_strsplit (o.strategies[i], ",", -1);

        for (guint j = 0; parts[j] != NULL; j++) {
            char *p = g_strstrip (parts[j]);

            if (*p == '\0' || sim_strategy_lookup (p) == NULL) {
                rc = fail (EXIT_USAGE, "compare: --strategy %s: unknown "
                           "strategy \"%s\" (accepted: %s)",
                           o.strategies[i], p, sim_strategy_names ());
                options_clear (&o);
                return rc;
            }
            g_ptr_array_add (names, g_strdup (p));
        }
    }
    for (guint f = 0; f < MAX (nfiles, 1); f++) {
        const char *path = nfiles > 0 ? argv[f + 1] : NULL;

        for (guint s = 0; s < MAX (names->len, 1); s++) {
            g_autofree char *set = names->len > 0
                ? g_strconcat ("strategy.type=",
                               (char *) g_ptr_array_index (names, s), NULL)
                : NULL;
            char *settings[] = { set, NULL };
            Variant *v = variant_new (x, path, settings, seed, &error);

            if (v == NULL) {
                options_clear (&o);
                return sim_cli_error (error);
            }
            if (nfiles > 1 && names->len > 0)
                v->label = g_strdup_printf ("%s/%s", v->sc->name,
                                            v->sc->strategy);
            else if (names->len > 0 || nfiles <= 1)
                v->label = g_strdup (v->sc->strategy);
            else
                v->label = g_strdup (v->sc->name);
            g_ptr_array_add (x->variants, v);
        }
    }
    unique_labels (x);
    experiment_set_header (x, g_strdupv ((char **)
                                         sim_report_summary_header ()));
    if (!apply_metric_options (x, &o, &error)
        || (o.metrics != NULL
            && (only = parse_metrics (x, "--metrics", o.metrics, &error))
               == NULL)) {
        options_clear (&o);
        return fail (EXIT_USAGE, "compare: %s", error->message);
    }
    def = x->shard_n > 0
          ? g_strdup_printf ("out/%s-compare-%u-of-%u", first->name,
                             x->shard_k, x->shard_n)
          : g_strdup_printf ("out/%s-compare", first->name);
    rc = finish (x, &o, def, only);
    options_clear (&o);
    return rc;
}

/* --- sweep --------------------------------------------------------------------------- */

/* Split @text at commas outside parentheses ("uniform(2s,8s)" is one
 * value); "\," is a literal comma. */
static char **
split_values (const char *text)
{
    g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GString) cur = g_string_new (NULL);
    gint depth = 0;

    for (const char *p = text;; p++) {
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            g_ptr_array_add (out, g_strstrip (g_strdup (cur->str)));
            g_string_truncate (cur, 0);
            if (*p == '\0')
                break;
            continue;
        }
        if (*p == '\\' && p[1] == ',') {
            g_string_append_c (cur, ',');
            p++;
            continue;
        }
        depth += *p == '(';
        depth -= *p == ')' && depth > 0;
        g_string_append_c (cur, *p);
    }
    g_ptr_array_add (out, NULL);
    return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Drop the "--set ASSIGNMENT: " that the scenario loader puts before a
 * message about an override, when the assignment is one of @settings:
 * here the user wrote --vary. */
static const char *
strip_set_prefix (const char *message, char **settings)
{
    for (guint i = 0; settings[i] != NULL; i++) {
        g_autofree char *prefix = g_strdup_printf ("--set %s: ",
                                                   settings[i]);

        if (g_str_has_prefix (message, prefix))
            return message + strlen (prefix);
    }
    return message;
}

typedef struct {
    char      *key;
    GPtrArray *values;      /* char* */
} Axis;

static void
axis_free (Axis *a)
{
    g_free (a->key);
    g_ptr_array_unref (a->values);
    g_free (a);
}

/* Parse the --vary options into axes (a key given twice gets the values
 * of both). */
static GPtrArray *
parse_vary (char **vary, GError **error)
{
    g_autoptr (GPtrArray) axes = g_ptr_array_new_with_free_func (
        (GDestroyNotify) axis_free);

    for (guint i = 0; vary != NULL && vary[i] != NULL; i++) {
        const char *eq = strchr (vary[i], '=');
        g_autofree char *key = NULL;
        g_auto (GStrv) values = NULL;
        Axis *axis = NULL;

        key = eq != NULL ? g_strstrip (g_strndup (vary[i], eq - vary[i]))
                         : NULL;
        if (key == NULL || strchr (key, '.') == NULL) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "--vary %s: expected "
                         "GROUP.KEY=V1,V2,... (e.g. --vary "
                         "strategy.rolling.max_surge=1,2,25%%)", vary[i]);
            return NULL;
        }
        values = split_values (eq + 1);
        if (values[1] == NULL && values[0][0] == '\0') {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "--vary %s: empty "
                         "value list (give one or more values after '=', "
                         "separated by commas)", vary[i]);
            return NULL;
        }
        for (guint a = 0; a < axes->len; a++)
            if (strcmp (((Axis *) g_ptr_array_index (axes, a))->key,
                        key) == 0)
                axis = g_ptr_array_index (axes, a);
        if (axis == NULL) {
            axis = g_new0 (Axis, 1);
            axis->key = g_strdup (key);
            axis->values = g_ptr_array_new_with_free_func (g_free);
            g_ptr_array_add (axes, axis);
        }
        for (guint j = 0; values[j] != NULL; j++) {
            if (values[j][0] == '\0') {
                g_set_error (error, SIM_SCENARIO_ERROR,
                             SIM_SCENARIO_ERROR_INVALID, "--vary %s: value "
                             "%u is empty", vary[i], j + 1);
                return NULL;
            }
            for (guint k = 0; k < axis->values->len; k++)
                if (strcmp (g_ptr_array_index (axis->values, k),
                            values[j]) == 0) {
                    g_set_error (error, SIM_SCENARIO_ERROR,
                                 SIM_SCENARIO_ERROR_INVALID, "--vary %s: "
                                 "%s is listed twice", vary[i], values[j]);
                    return NULL;
                }
            g_ptr_array_add (axis->values, g_strdup (values[j]));
        }
    }
    if (axes->len == 0) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "say what to vary: --vary GROUP.KEY=V1,V2,...");
        return NULL;
    }
    return g_steal_pointer (&axes);
}

/* Build the grid's variants (the last key varies fastest).  A
 * combination that the scenario checks reject (max_surge and
 * max_unavailable both 0, ...) is skipped with a note; a value that no
 * combination accepts, or an unknown key, is an error. */
static gboolean
build_grid (Experiment *x, const char *path, GPtrArray *axes,
            const char *seed, GError **error)
{
    guint na = axes->len;
    g_autofree guint *at = g_new0 (guint, na);
    g_autoptr (GHashTable) accepted = g_hash_table_new_full (
        g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr (GHashTable) why = g_hash_table_new_full (
        g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);

    for (;;) {
        g_autoptr (GPtrArray) settings = g_ptr_array_new_with_free_func (
            g_free);
        g_autoptr (GPtrArray) values = g_ptr_array_new ();
        g_autoptr (GString) label = g_string_new (NULL);
        GError *err = NULL;
        Variant *v;
        guint a;

        for (a = 0; a < na; a++) {
            Axis *axis = g_ptr_array_index (axes, a);
            const char *value = g_ptr_array_index (axis->values, at[a]);
            g_autofree char *sk = short_key (x, a);

            g_ptr_array_add (settings, g_strdup_printf ("%s=%s", axis->key,
                                                        value));
            g_ptr_array_add (values, (gpointer) value);
            g_string_append_printf (label, "%s%s=%s", a > 0 ? " " : "", sk,
                                    value);
        }
        g_ptr_array_add (settings, NULL);
        g_ptr_array_add (values, NULL);
        v = variant_new (x, path, (char **) settings->pdata, seed, &err);
        if (v != NULL) {
            v->label = g_strdup (label->str);
            g_strfreev (v->values);
            v->values = g_strdupv ((char **) values->pdata);
            g_ptr_array_add (x->variants, v);
            for (a = 0; a < na; a++)
                g_hash_table_add (accepted, g_strdup (
                    g_ptr_array_index (settings, a)));
        } else if (err->domain == SIM_SCENARIO_ERROR
                   && err->code == SIM_SCENARIO_ERROR_UNKNOWN) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_UNKNOWN, "--vary: %s",
                         strip_set_prefix (err->message,
                                           (char **) settings->pdata));
            g_error_free (err);
            return FALSE;
        } else if (err->domain != SIM_SCENARIO_ERROR) {
            g_propagate_error (error, err);
            return FALSE;
        } else {
            const char *msg = strip_set_prefix (err->message,
                                                (char **) settings->pdata);

            g_ptr_array_add (skipped, g_strdup_printf ("%s: %s", label->str,
                                                       msg));
            for (a = 0; a < na; a++)
                if (!g_hash_table_contains (why,
                                            g_ptr_array_index (settings, a)))
                    g_hash_table_insert (why, g_strdup (
                        g_ptr_array_index (settings, a)), g_strdup (msg));
            g_error_free (err);
        }
        /* The next combination, last key fastest. */
        for (a = na; a > 0; a--) {
            Axis *axis = g_ptr_array_index (axes, a - 1);

            if (++at[a - 1] < axis->values->len)
                break;
            at[a - 1] = 0;
        }
        if (a == 0)
            break;
    }
    for (guint a = 0; a < na; a++) {
        Axis *axis = g_ptr_array_index (axes, a);

        for (guint i = 0; i < axis->values->len; i++) {
            g_autofree char *s = g_strdup_printf ("%s=%s", axis->key,
                (char *) g_ptr_array_index (axis->values, i));

            if (!g_hash_table_contains (accepted, s)) {
                g_set_error (error, SIM_SCENARIO_ERROR,
                             SIM_SCENARIO_ERROR_INVALID, "--vary %s: "
                             "rejected in every combination: %s", s,
                             (char *) g_hash_table_lookup (why, s));
                return FALSE;
            }
        }
    }
    g_ptr_array_add (skipped, NULL);
    g_strfreev (x->skipped);
    x->skipped = (char **) g_ptr_array_free (g_steal_pointer (&skipped),
                                             FALSE);
    return TRUE;
}

int
sim_cli_sweep (int argc, char **argv)
{
    Options o = { 0 };
    GOptionEntry entries[] = {
        { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.vary,
          "A key and its values (commas inside parentheses and \\, do not "
          "split); repeat for a grid", "GROUP.KEY=V1,V2,..." },
        { "metrics", 0, 0, G_OPTION_ARG_STRING, &o.metrics,
          "Metrics to print and plot against the first --vary key "
          "(default " DEFAULT_SWEEP_METRICS ")", "M,..." },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "[SCENARIO] --vary GROUP.KEY=V1,V2,... - run a grid of settings "
        "over many seeds");
    g_autoptr (GError) error = NULL;
    g_autoptr (Experiment) x = experiment_new ("sweep");
    g_autoptr (GPtrArray) axes = NULL;
    g_autoptr (SimScenario) base = NULL;
    g_autofree char *seed = NULL;
    g_autofree char *def = NULL;
    const char *path;
    int rc;

    common_entries (ctx, &o);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
        "Runs every combination of the --vary values (the last key varies\n"
        "fastest) --reps times; replication i of every combination runs\n"
        "with seed S+i.  A combination the scenario checks reject (such as\n"
        "max_surge and max_unavailable both 0) is skipped with a note.\n"
        "Writes sweep.csv (per combination: its settings, then mean and\n"
        "95% half-width of each metric), runs.csv, experiment.ini,\n"
        "variants/N.ini and plots/sweep-METRIC.png (each --metrics metric\n"
        "against the first key, one line per value of the others).\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        options_clear (&o);
        return fail (EXIT_USAGE, "sweep: %s (see rollsim sweep --help)",
                     error->message);
    }
    if (argc > 2) {
        options_clear (&o);
        return fail (EXIT_USAGE, "sweep: one scenario at a time (got %d)",
                     argc - 1);
    }
    path = argc == 2 ? argv[1] : NULL;
    if (!apply_options (x, &o, &error)
        || (axes = parse_vary (o.vary, &error)) == NULL) {
        options_clear (&o);
        return fail (EXIT_USAGE, "sweep: %s", error->message);
    }
    base = sim_cli_load (path, x->sets, o.seed, &error);
    if (base == NULL) {
        options_clear (&o);
        return sim_cli_error (error);
    }
    seed = g_strdup_printf ("%" G_GUINT64_FORMAT, base->seed);
    g_strfreev (x->keys);
    x->keys = g_new0 (char *, axes->len + 1);
    for (guint a = 0; a < axes->len; a++) {
        Axis *axis = g_ptr_array_index (axes, a);
        char **values = g_new0 (char *, axis->values->len + 1);

        x->keys[a] = g_strdup (axis->key);
        for (guint i = 0; i < axis->values->len; i++)
            values[i] = g_strdup (g_ptr_array_index (axis->values, i));
        g_ptr_array_add (x->axes, values);
    }
    if (!build_grid (x, path, axes, seed, &error)) {
        options_clear (&o);
        if (error->domain == SIM_REPORT_ERROR)
            return sim_cli_error (error);
        return fail (EXIT_USAGE, "sweep: %s", error->message);
    }
    experiment_set_header (x, g_strdupv ((char **)
                                         sim_report_summary_header ()));
    g_strfreev (x->plot_metrics);
    x->plot_metrics = parse_metrics (x, "--metrics",
                                     o.metrics != NULL
                                     ? o.metrics : DEFAULT_SWEEP_METRICS,
                                     &error);
    if (x->plot_metrics == NULL || !apply_metric_options (x, &o, &error)) {
        options_clear (&o);
        return fail (EXIT_USAGE, "sweep: %s", error->message);
    }
    /* Said even with --quiet: part of the grid will not be there. */
    for (guint i = 0; x->skipped[i] != NULL; i++)
        fprintf (stderr, "rollsim: sweep: skipping %s\n", x->skipped[i]);
    def = x->shard_n > 0
          ? g_strdup_printf ("out/%s-sweep-%u-of-%u", base->name,
                             x->shard_k, x->shard_n)
          : g_strdup_printf ("out/%s-sweep", base->name);
    rc = finish (x, &o, def, NULL);
    options_clear (&o);
    return rc;
}

/* --- merge --------------------------------------------------------------------------- */

typedef struct {
    GPtrArray *header;
    GPtrArray *rows;            /* GPtrArray* of char* */
    GPtrArray *current;
} Csv;

static void
csv_cell (void *data, size_t len, void *user)
{
    Csv *t = user;

    if (t->current == NULL)
        t->current = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (t->current, g_strndup (data, len));
}

static void
csv_end_row (int c, void *user)
{
    Csv *t = user;

    if (t->current == NULL)
        return;
    if (t->header == NULL)
        t->header = t->current;
    else
        g_ptr_array_add (t->rows, t->current);
    t->current = NULL;
}

static void
csv_clear (Csv *t)
{
    g_clear_pointer (&t->header, g_ptr_array_unref);
    g_clear_pointer (&t->rows, g_ptr_array_unref);
    g_clear_pointer (&t->current, g_ptr_array_unref);
}

static gboolean
csv_load (Csv *t, const char *path, GError **error)
{
    struct csv_parser p;
    g_autofree char *text = NULL;
    gsize len;

    memset (t, 0, sizeof *t);
    t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                              g_ptr_array_unref);
    if (!g_file_get_contents (path, &text, &len, error))
        return FALSE;
    csv_init (&p, CSV_APPEND_NULL);
    if (csv_parse (&p, text, len, csv_cell, csv_end_row, t) != len
        || csv_fini (&p, csv_cell, csv_end_row, t) != 0) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s: not valid CSV (%s)", path,
                     csv_strerror (csv_error (&p)));
        csv_free (&p);
        return FALSE;
    }
    csv_free (&p);
    if (t->header == NULL) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s: empty file", path);
        return FALSE;
    }
    return TRUE;
}

static char **
get_list (GKeyFile *kf, const char *group, const char *key, GError **error)
{
    char **l = g_key_file_get_string_list (kf, group, key, NULL, error);

    if (l == NULL && error != NULL && *error != NULL
        && g_error_matches (*error, G_KEY_FILE_ERROR,
                            G_KEY_FILE_ERROR_INVALID_VALUE)) {
        g_clear_error (error);
        l = g_new0 (char *, 1);
    }
    return l;
}

/* Read what DIR holds: experiment.ini, variants/, and runs.csv (into
 * @runs).  SIM_SCENARIO_ERROR for anything that is not a result. */
static Experiment *
experiment_load (const char *dir, Csv *runs, GError **error)
{
    g_autofree char *ini_path = g_build_filename (dir, "experiment.ini",
                                                  NULL);
    g_autofree char *runs_path = g_build_filename (dir, "runs.csv", NULL);
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    g_autoptr (Experiment) x = NULL;
    g_autofree char *command = NULL;
    GError *err = NULL;
    gint n;

    if (!g_file_test (ini_path, G_FILE_TEST_EXISTS)) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_IO,
                     "%s: not a compare or sweep result (no "
                     "experiment.ini)", dir);
        return NULL;
    }
    if (!g_key_file_load_from_file (kf, ini_path, G_KEY_FILE_NONE, &err))
        goto bad;
    command = g_key_file_get_string (kf, "experiment", "command", &err);
    if (command == NULL)
        goto bad;
    if (strcmp (command, "compare") != 0 && strcmp (command, "sweep") != 0) {
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "unknown command \"%s\"", command);
        goto bad;
    }
    x = experiment_new (command);
    g_free (x->version);
    if ((x->version = g_key_file_get_string (kf, "experiment",
                                             "rollsim_version", &err))
        == NULL)
        goto bad;
    n = g_key_file_get_integer (kf, "experiment", "replications", &err);
    if (err != NULL || n < 1)
        goto bad_value;
    x->reps = (guint) n;
    g_strfreev (x->sets);
    g_strfreev (x->keys);
    g_strfreev (x->plot_metrics);
    g_strfreev (x->skipped);
    x->keys = x->plot_metrics = x->skipped = NULL;
    if ((x->sets = get_list (kf, "experiment", "sets", &err)) == NULL
        || (x->keys = get_list (kf, "experiment", "keys", &err)) == NULL
        || (x->plot_metrics = get_list (kf, "experiment", "metrics", &err))
           == NULL
        || (x->skipped = get_list (kf, "experiment", "skipped", &err))
           == NULL)
        goto bad;
    for (guint k = 0; x->keys[k] != NULL; k++) {
        char **axis = get_list (kf, "values", x->keys[k], &err);

        if (axis == NULL)
            goto bad;
        g_ptr_array_add (x->axes, axis);
        if (axis[0] == NULL)
            goto bad_value;
    }
    if (g_key_file_has_key (kf, "experiment", "precision", NULL)) {
        g_autofree char *p = g_key_file_get_string (kf, "experiment",
                                                    "precision", NULL);

        g_strfreev (x->precision_metrics);
        x->precision_metrics = get_list (kf, "experiment",
                                         "precision_metrics", &err);
        if (x->precision_metrics == NULL)
            goto bad;
        if (p == NULL || !parse_precision (p, &x->precision, NULL))
            goto bad_value;
        n = g_key_file_get_integer (kf, "experiment", "max_replications",
                                    &err);
        if (err != NULL || n < 2)
            goto bad_value;
        x->max_reps = (guint) n;
        x->precision_reached = g_key_file_get_boolean (
            kf, "experiment", "precision_reached", &err);
        if (err != NULL)
            goto bad;
    }
    if (g_key_file_has_key (kf, "experiment", "shard", NULL)) {
        g_autofree char *s = g_key_file_get_string (kf, "experiment",
                                                    "shard", NULL);

        if (s == NULL || !parse_shard (s, &x->shard_k, &x->shard_n, NULL))
            goto bad_value;
    }
    n = g_key_file_get_integer (kf, "experiment", "variants", &err);
    if (err != NULL || n < 1)
        goto bad_value;
    for (gint i = 0; i < n; i++) {
        g_autofree char *group = g_strdup_printf ("variant.%d", i + 1);
        g_autofree char *file = variant_file ((guint) i);
        g_autofree char *path = g_build_filename (dir, file, NULL);
        g_autofree char *recorded = NULL;
        g_autofree char *again = NULL;
        Variant *v = g_new0 (Variant, 1);

        v->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
        g_ptr_array_add (x->variants, v);
        if ((v->label = g_key_file_get_string (kf, group, "label", &err))
            == NULL
            || (v->settings = get_list (kf, group, "settings", &err)) == NULL
            || (v->values = get_list (kf, group, "values", &err)) == NULL
            || (recorded = g_key_file_get_string (kf, group,
                                                  "scenario_sha256", &err))
               == NULL)
            goto bad;
        if (!g_file_get_contents (path, &v->ini, NULL, error))
            return NULL;
        v->sha256 = sha256 (v->ini);
        if (strcmp (v->sha256, recorded) != 0) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "%s: changed since the "
                         "run (its SHA-256 is not the one experiment.ini "
                         "records)", path);
            return NULL;
        }
        v->sc = sim_scenario_load_data (v->ini, path, NULL, error);
        if (v->sc == NULL)
            return NULL;
        again = sim_scenario_to_ini (v->sc);
        if (strcmp (again, v->ini) != 0) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "%s: not a resolved "
                         "scenario of this rollsim (%s); merge with the "
                         "rollsim that made it", path, ROLLSIM_VERSION);
            return NULL;
        }
        if (g_strv_length (v->values) != g_strv_length (x->keys))
            goto bad_value;
    }
    if (runs != NULL && !csv_load (runs, runs_path, error))
        return NULL;
    return g_steal_pointer (&x);

bad_value:
    if (err == NULL)
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "a value is out of range");
bad:
    g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                 "%s: not a valid experiment.ini: %s", ini_path,
                 err->message);
    g_error_free (err);
    return NULL;
}

/* The first line where two experiment.ini texts differ, with its group:
 * what the user needs to see to know why merge refuses. */
static char *
first_difference (const char *a, const char *b)
{
    g_auto (GStrv) la = g_strsplit (a, "\n", -1);
    g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
    const char *group = "";

    for (guint i = 0;; i++) {
        if (la[i] == NULL || lb[i] == NULL)
            return g_strdup_printf ("one has more lines (%s)",
                                    la[i] != NULL ? la[i] : lb[i]);
        if (strcmp (la[i], lb[i]) != 0)
            return g_strdup_printf ("%s%s%s vs %s", group,
                                    *group ? ": " : "", la[i], lb[i]);
        if (la[i][0] == '[')
            group = la[i];
    }
}

/* When the same variant has another scenario in @b than in @a: which
 * line of it differs.  NULL when no variant's scenario differs. */
static char *
scenario_difference (const Experiment *a, const Experiment *b)
{
    for (guint v = 0; v < MIN (a->variants->len, b->variants->len); v++) {
        const Variant *va = VARIANT (a, v), *vb = VARIANT (b, v);
        g_autofree char *diff = NULL;

        if (strcmp (va->ini, vb->ini) == 0)
            continue;
        diff = first_difference (va->ini, vb->ini);
        return g_strdup_printf ("variant %u, %s, has another scenario: %s",
                                v + 1, va->label, diff);
    }
    return NULL;
}

/* Check that every row of @runs belongs to the experiment and to the
 * shard of @part, then store it. */
static gboolean
take_runs (Experiment *x, const Experiment *part, const char *dir,
           Csv *runs, GHashTable *labels, GError **error)
{
    g_autoptr (GPtrArray) want = runs_header (x);

    if (runs->header->len != want->len) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "%s/runs.csv: %u columns, expected %u", dir,
                     runs->header->len, want->len);
        return FALSE;
    }
    for (guint i = 0; i < want->len; i++)
        if (strcmp (g_ptr_array_index (want, i),
                    g_ptr_array_index (runs->header, i)) != 0) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "%s/runs.csv: column "
                         "%u is %s, expected %s", dir, i + 1,
                         (char *) g_ptr_array_index (runs->header, i),
                         (char *) g_ptr_array_index (want, i));
            return FALSE;
        }
    for (guint r = 0; r < runs->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (runs->rows, r);
        gpointer vp;
        guint64 rep;
        guint v;
        Run *run;

        if (row->len != want->len
            || !g_hash_table_lookup_extended (labels,
                                              g_ptr_array_index (row, 0),
                                              NULL, &vp)
            || !g_ascii_string_to_unsigned (g_ptr_array_index (row, 1), 10,
                                            0, x->reps - 1, &rep, NULL)) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "%s/runs.csv: row %u "
                         "is not a run of this experiment", dir, r + 2);
            return FALSE;
        }
        v = GPOINTER_TO_UINT (vp);
        if (part->shard_n > 0
            && ((guint64) v * x->reps + rep) % part->shard_n
               != part->shard_k - 1) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "%s/runs.csv: row %u "
                         "(%s, replication %u) does not belong to shard "
                         "%u/%u", dir, r + 2, VARIANT (x, v)->label,
                         (guint) rep, part->shard_k, part->shard_n);
            return FALSE;
        }
        if (g_ptr_array_index (VARIANT (x, v)->runs, rep) != NULL) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID, "%s/runs.csv: %s, "
                         "replication %u is there twice", dir,
                         VARIANT (x, v)->label, (guint) rep);
            return FALSE;
        }
        run = g_new0 (Run, 1);
        g_ptr_array_add (row, NULL);
        run->row = (char **) g_ptr_array_steal (row, NULL);
        run_values (x, run);
        g_ptr_array_index (VARIANT (x, v)->runs, rep) = run;
    }
    return TRUE;
}

/* The summary columns, as the shards wrote them in runs.csv. */
static gboolean
header_from_runs (Experiment *x, const Csv *runs)
{
    guint at = summary_at (x);
    guint tail = g_strv_length ((char **) runs_tail);
    GPtrArray *h = runs->header;
    char **header;

    if (h->len < at + tail)
        return FALSE;
    header = g_new0 (char *, h->len - at - tail + 1);
    for (guint c = at; c < h->len - tail; c++)
        header[c - at] = g_strdup (g_ptr_array_index (h, c));
    experiment_set_header (x, header);
    return TRUE;
}

int
sim_cli_merge (int argc, char **argv)
{
    g_autofree char *out = NULL;
    gboolean no_plots = FALSE, quiet = FALSE;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Output directory (default out/<scenario name>-<command>)",
          "DIR" },
        { "no-plots", 0, 0, G_OPTION_ARG_NONE, &no_plots,
          "Do not draw plots (no gnuplot needed)", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "Print nothing on success", NULL },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "DIR... - combine the partial results of compare or sweep shards");
    g_autoptr (GError) error = NULL;
    g_autoptr (Experiment) x = NULL;
    g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (
        (GDestroyNotify) experiment_free);
    g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash,
                                                      g_str_equal);
    g_autofree gboolean *have = NULL;
    g_autofree char *text0 = NULL;
    g_autofree char *gnuplot = NULL;
    guint n = 0;

    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
        "Each DIR is the output of one `compare` or `sweep` run with\n"
        "--shard K/N (all N slices, each once, of the same experiment).\n"
        "Writes the files the same command without --shard writes,\n"
        "identical byte for byte.\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return fail (EXIT_USAGE, "merge: %s (see rollsim merge --help)",
                     error->message);
    if (argc < 2)
        return fail (EXIT_USAGE, "merge: name the shards' result "
                     "directories");
    for (gint i = 1; i < argc; i++) {
        Csv runs = { 0 };
        Experiment *part = experiment_load (argv[i], &runs, &error);
        g_autofree char *text = NULL;
        int rc = EXIT_OK;

        if (part == NULL) {
            csv_clear (&runs);
            return fail (error->domain == SIM_SCENARIO_ERROR ? EXIT_USAGE
                                                             : EXIT_RUNTIME,
                         "merge: %s", error->message);
        }
        g_ptr_array_add (parts, part);
        text = experiment_ini (part, FALSE);
        if (i == 1) {
            x = experiment_load (argv[1], NULL, &error);
            g_assert (x != NULL);
            x->shard_k = x->shard_n = 0;
            text0 = g_steal_pointer (&text);
            n = MAX (part->shard_n, 1);
            have = g_new0 (gboolean, n);
            if (!header_from_runs (x, &runs)) {
                csv_clear (&runs);
                return fail (EXIT_USAGE, "merge: %s/runs.csv: too few "
                             "columns", argv[1]);
            }
            for (guint v = 0; v < x->variants->len; v++) {
                g_ptr_array_set_size (VARIANT (x, v)->runs, (gint) x->reps);
                g_hash_table_insert (labels, VARIANT (x, v)->label,
                                     GUINT_TO_POINTER (v));
            }
        }
        if (strcmp (text != NULL ? text : text0, text0) != 0) {
            g_autofree char *diff = first_difference (text0, text);
            g_autofree char *why = strcmp (x->command, part->command) != 0
                ? g_strdup_printf ("one is a %s result, the other a %s one",
                                   x->command, part->command)
                : scenario_difference (x, part);

            rc = fail (EXIT_USAGE, "merge: %s and %s are parts of different "
                       "experiments (%s)", argv[1], argv[i],
                       why != NULL ? why : diff);
        } else if (MAX (part->shard_n, 1) != n) {
            rc = fail (EXIT_USAGE, "merge: %s is shard %u/%u but %s is one "
                       "of %u: give the shards of one split", argv[i],
                       part->shard_k, part->shard_n, argv[1], n);
        } else if (have[MAX (part->shard_k, 1) - 1]) {
            rc = fail (EXIT_USAGE, "merge: shard %u/%u is given twice (%s)",
                       MAX (part->shard_k, 1), n, argv[i]);
        } else if (!take_runs (x, part, argv[i], &runs, labels, &error)) {
            rc = fail (EXIT_USAGE, "merge: %s", error->message);
        }
        csv_clear (&runs);
        if (rc != EXIT_OK)
            return rc;
        have[MAX (part->shard_k, 1) - 1] = TRUE;
    }
    for (guint k = 0; k < n; k++)
        if (!have[k])
            return fail (EXIT_USAGE, "merge: shard %u/%u is missing", k + 1,
                         n);
    for (guint v = 0; v < x->variants->len; v++)
        for (guint i = 0; i < x->reps; i++)
            if (g_ptr_array_index (VARIANT (x, v)->runs, i) == NULL)
                return fail (EXIT_USAGE, "merge: %s, replication %u is "
                             "missing", VARIANT (x, v)->label, i);
    if (out == NULL)
        out = g_strdup_printf ("out/%s-%s", VARIANT (x, 0)->sc->name,
                               x->command);
    if (!no_plots && (gnuplot = g_find_program_in_path ("gnuplot")) == NULL)
        return fail (EXIT_RUNTIME, "merge: cannot run gnuplot (install "
                     "gnuplot-nox, or pass --no-plots)");
    if (!experiment_write (x, out, !no_plots, &error))
        return fail (EXIT_RUNTIME, "merge: %s", error->message);
    if (!quiet) {
        g_autofree SimStats *st = compute_stats (x);

        if (strcmp (x->command, "compare") == 0)
            print_compare (x, st, NULL);
        else
            print_sweep (x, st);
        print_outputs (x, out, !no_plots);
    }
    return EXIT_OK;
}
