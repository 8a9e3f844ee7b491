/* experiment.c - the experiment value of compare, sweep and merge
 * (experiment.h): its variants and their scenarios, its runs and the
 * layout of their runs.csv rows, its metrics, and the statistics over
 * them.
 *
 * Invariants.  A run's numbers are read from its runs.csv text, here and
 * nowhere else, so a run in memory and the same run read back by merge
 * agree to the bit; statistics run over replications in order, so they
 * do not depend on which thread ran what.
 */
#include <math.h>
#include <string.h>
#include "experiment.h"
#include "report.h"
#include "rng.h"
#include "sha256.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-experiment-error-quark, sim_experiment_error)
/* clang-format on */

/* summary.csv columns that are not measurements. */
static const char *const not_metrics[] = { "scenario", "strategy", "seed",
                                           "outcome", NULL };

/* Which way is better, for marking the best variant; a metric not listed
 * is neither (arrivals, rollout_start_s, ...). */
static const struct {
    const char *name;
    gint better;
} directions[] = {
    { "rollout_duration_s", -1 },
    { "ok", +1 },
    { "errors", -1 },
    { "app_error", -1 },
    { "no_endpoint", -1 },
    { "refused", -1 },
    { "rejected", -1 },
    { "killed", -1 },
    { "timeout", -1 },
    { "availability", +1 },
    { "mean_ms", -1 },
    { "wait_mean_ms", -1 },
    { "wait_prob", -1 },
    { "p50_ms", -1 },
    { "p95_ms", -1 },
    { "p99_ms", -1 },
    { "min_ready", +1 },
    { "peak_pods", -1 },
    { "peak_active_pods", -1 },
    { "peak_cpu", -1 },
    { "peak_memory", -1 },
    { "pod_seconds", -1 },
    { "extra_pod_seconds", -1 },
    { "p99_ms_before", -1 },
    { "p99_ms_during", -1 },
    { "bad_version_requests", -1 },
    { "bad_version_users", -1 },
    { "detection_s", -1 },
    { "in_flight_mean", -1 },
    { "unschedulable_pods", -1 },
    { "completed", +1 },
};

/* Fractions of runs by outcome, added after the summary's columns. */
static const char *const outcome_metrics[] = { "completed", "aborted", NULL };

/* The runs.csv columns after the summary's. */
static const char *const runs_tail[] = { "scenario_sha256", "rollsim_version",
                                         "variant_file", NULL };

/* --- The experiment ------------------------------------------------------- */

SimExperiment *
sim_experiment_new (const char *command, const SimSchema *schema)
{
    SimExperiment *x = g_new0 (SimExperiment, 1);

    x->schema = schema;
    x->command = g_strdup (command);
    x->version = g_strdup (ROLLSIM_VERSION);
    x->sets = g_new0 (char *, 1);
    x->keys = g_new0 (char *, 1);
    x->plot_metrics = g_new0 (char *, 1);
    x->skipped = g_new0 (char *, 1);
    x->precision_metrics = g_new0 (char *, 1);
    x->variants = g_ptr_array_new_with_free_func (
        (GDestroyNotify) sim_variant_free);
    x->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
    x->metrics = g_array_new (FALSE, TRUE, sizeof (SimExperimentMetric));
    x->precision_reached = TRUE;
    return x;
}

void
sim_experiment_free (SimExperiment *x)
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
        g_free (sim_experiment_metric (x, i)->name);
    g_array_unref (x->metrics);
    g_free (x);
}

char *
sim_experiment_short_key (const SimExperiment *x, guint k)
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

/* --- Variants ------------------------------------------------------------- */

SimVariant *
sim_variant_new (void)
{
    SimVariant *v = g_new0 (SimVariant, 1);

    v->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_run_free);
    return v;
}

void
sim_variant_free (SimVariant *v)
{
    if (v == NULL)
        return;
    g_free (v->label);
    g_strfreev (v->settings);
    g_strfreev (v->values);
    g_free (v->ini);
    g_free (v->sha256);
    g_free (v->profile_sha256);
    sim_scenario_free (v->sc);
    if (v->runs != NULL)
        g_ptr_array_unref (v->runs);
    g_free (v);
}

void
sim_variant_set_ini (SimVariant *v, char *ini)
{
    g_free (v->ini);
    g_free (v->sha256);
    v->ini = ini;
    v->sha256 = sim_sha256_string (ini);
}

char *
sim_experiment_profile_sha256 (const SimScenario *sc)
{
    g_autoptr (GString) rows = NULL;

    if (sc->profile == NULL)
        return NULL;
    rows = g_string_new (NULL);
    for (gint i = 0; i < sc->n_profile_steps; i++) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append_printf (rows, "%" G_GINT64_FORMAT ",%s\n",
                                sc->profile_steps[i].time,
                                g_ascii_formatd (buf, sizeof buf, "%.17g",
                                                 sc->profile_steps[i].rate));
    }
    return sim_sha256_string (rows->str);
}

char *
sim_experiment_run_sha256 (const SimVariant *v, guint rep)
{
    g_autoptr (SimScenario) sc = sim_scenario_copy (v->sc);
    g_autofree char *ini = NULL;

    sc->seed = sim_rng_replication_seed (v->sc->seed, rep);
    ini = sim_scenario_to_ini (sc);
    return sim_sha256_string (ini);
}

char *
sim_experiment_variant_file (guint i)
{
    return g_strdup_printf ("variants/%u.ini", i + 1);
}

SimVariant *
sim_experiment_load_variant (const SimExperiment *x, const char *path,
                             char **settings, const char *seed, GError **error)
{
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();
    g_autoptr (SimScenario) sc = NULL;
    g_autofree char *again = NULL;
    g_autofree char *seed_set = g_strconcat ("scenario.seed=", seed, NULL);
    SimVariant *v;

    /* The variant's own settings last: a sweep may vary the seed. */
    for (guint i = 0; x->sets[i] != NULL; i++)
        g_ptr_array_add (sets, x->sets[i]);
    g_ptr_array_add (sets, seed_set);
    for (guint i = 0; settings[i] != NULL; i++)
        g_ptr_array_add (sets, settings[i]);
    g_ptr_array_add (sets, NULL);
    if (path != NULL && x->load != NULL)
        sc = x->load (x->load_data, path, (const char *const *) sets->pdata,
                      error);
    else if (path != NULL)
        sc = sim_scenario_load (x->schema, path,
                                (const char *const *) sets->pdata, error);
    else
        sc = sim_scenario_load_builtin (x->schema,
                                        (const char *const *) sets->pdata,
                                        error);
    if (sc == NULL)
        return NULL;
    v = sim_variant_new ();
    v->settings = g_strdupv (settings);
    v->values = g_new0 (char *, 1);
    v->profile_sha256 = sim_experiment_profile_sha256 (sc);
    sim_variant_set_ini (v, sim_scenario_to_ini (sc));
    v->sc = sim_scenario_load_data (sim_scenario_schema (sc), v->ini, sc->path,
                                    NULL, error);
    if (v->sc != NULL)
        again = sim_scenario_to_ini (v->sc);
    /* The loader promises it (scenario.h): anything else is a bug. */
    if (v->sc == NULL || strcmp (again, v->ini) != 0)
        g_error ("%s: the resolved scenario does not load back the same",
                 sc->path);
    /* Warnings name places in the user's file, not the resolved text. */
    g_strfreev (v->sc->warnings);
    v->sc->warnings = g_strdupv (sc->warnings);
    return v;
}

/* --- Metrics -------------------------------------------------------------- */

void
sim_experiment_set_header (SimExperiment *x, char **header)
{
    gint outcome = -1;

    g_strfreev (x->header);
    x->header = header;
    for (guint i = 0; header[i] != NULL; i++) {
        SimExperimentMetric m = { 0 };

        if (strcmp (header[i], "outcome") == 0)
            outcome = (gint) i;
        if (g_strv_contains (not_metrics, header[i]))
            continue;
        m.name = g_strdup (header[i]);
        m.col = (gint) i;
        g_array_append_val (x->metrics, m);
    }
    for (guint i = 0; outcome >= 0 && outcome_metrics[i] != NULL; i++) {
        SimExperimentMetric m = { 0 };

        m.name = g_strdup (outcome_metrics[i]);
        m.col = outcome;
        m.outcome = outcome_metrics[i];
        g_array_append_val (x->metrics, m);
    }
    for (guint i = 0; i < x->metrics->len; i++) {
        SimExperimentMetric *m = sim_experiment_metric (x, i);

        m->decimals = 3;
        for (guint d = 0; d < G_N_ELEMENTS (directions); d++)
            if (strcmp (directions[d].name, m->name) == 0)
                m->better = directions[d].better;
    }
}

gint
sim_experiment_find_metric (const SimExperiment *x, const char *name)
{
    for (guint i = 0; i < x->metrics->len; i++)
        if (strcmp (sim_experiment_metric (x, i)->name, name) == 0)
            return (gint) i;
    return -1;
}

double
sim_experiment_parse_number (const char *text)
{
    char *end;
    double v;

    if (text == NULL || *text == '\0')
        return NAN;
    v = g_ascii_strtod (text, &end);
    return *end == '\0' ? v : NAN;
}

/* --- runs.csv rows -------------------------------------------------------- */

/* The index in a runs.csv row of the first summary field. */
static guint
summary_at (const SimExperiment *x)
{
    return 2 + g_strv_length (x->keys);
}

/* Fill r->x from r->row: the one place where numbers come from, so a run
 * in memory and the same run read back from runs.csv agree. */
static void
run_values (const SimExperiment *x, SimRun *r)
{
    guint at = summary_at (x);

    r->x = g_new (double, x->metrics->len);
    for (guint i = 0; i < x->metrics->len; i++) {
        const SimExperimentMetric *m = sim_experiment_metric (x, i);
        const char *f = r->row[at + (guint) m->col];

        r->x[i] = m->outcome != NULL ? (strcmp (f, m->outcome) == 0)
                                     : sim_experiment_parse_number (f);
    }
}

SimRun *
sim_run_new_from_row (const SimExperiment *x, char **row)
{
    SimRun *r = g_new0 (SimRun, 1);

    r->row = row;
    run_values (x, r);
    return r;
}

SimRun *
sim_run_new (const SimExperiment *x, guint vi, guint rep, GPtrArray *values,
             const char *sha256)
{
    const SimVariant *v = sim_experiment_variant (x, vi);
    g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (row, g_strdup (v->label));
    g_ptr_array_add (row, g_strdup_printf ("%u", rep));
    for (guint k = 0; v->values[k] != NULL; k++)
        g_ptr_array_add (row, g_strdup (v->values[k]));
    for (guint i = 0; i < values->len; i++)
        g_ptr_array_add (row, g_steal_pointer (&values->pdata[i]));
    g_ptr_array_unref (values);
    g_ptr_array_add (row, g_strdup (sha256));
    g_ptr_array_add (row, g_strdup (x->version));
    g_ptr_array_add (row, sim_experiment_variant_file (vi));
    g_ptr_array_add (row, NULL);
    return sim_run_new_from_row (x, (char **) g_ptr_array_steal (row, NULL));
}

void
sim_run_free (SimRun *r)
{
    if (r == NULL)
        return;
    g_strfreev (r->row);
    g_free (r->x);
    g_free (r);
}

GPtrArray *
sim_experiment_runs_header (const SimExperiment *x)
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

gboolean
sim_experiment_header_from_runs (SimExperiment *x, GPtrArray *h)
{
    guint at = summary_at (x);
    guint tail = g_strv_length ((char **) runs_tail);
    char **header;

    if (h->len < at + tail)
        return FALSE;
    header = g_new0 (char *, h->len - at - tail + 1);
    for (guint c = at; c < h->len - tail; c++)
        header[c - at] = g_strdup (g_ptr_array_index (h, c));
    sim_experiment_set_header (x, header);
    return TRUE;
}

/* --- Outcomes ------------------------------------------------------------- */

const char *const sim_experiment_outcomes[] = { "completed", "aborted",
                                                "stalled", "unfinished", NULL };

void
sim_experiment_count_outcomes (const SimExperiment *x, guint v,
                               guint counts[SIM_EXPERIMENT_N_OUTCOMES])
{
    GPtrArray *runs = sim_experiment_variant (x, v)->runs;
    gint col = -1;

    memset (counts, 0, SIM_EXPERIMENT_N_OUTCOMES * sizeof counts[0]);
    for (guint i = 0; x->header != NULL && x->header[i] != NULL; i++)
        if (strcmp (x->header[i], "outcome") == 0)
            col = (gint) i;
    if (col < 0)
        return;
    for (guint i = 0; i < runs->len; i++) {
        SimRun *r = g_ptr_array_index (runs, i);

        for (guint k = 0; r != NULL && k < SIM_EXPERIMENT_N_OUTCOMES; k++)
            if (strcmp (r->row[summary_at (x) + (guint) col],
                        sim_experiment_outcomes[k])
                == 0)
                counts[k]++;
    }
}

/* "10/10 completed", "completed 3/10, unfinished 7/10", "no rollout". */
char *
sim_experiment_outcome_text (const SimExperiment *x, guint v)
{
    guint counts[SIM_EXPERIMENT_N_OUTCOMES];
    guint n = 0, kinds = 0;
    GString *s = g_string_new (NULL);

    sim_experiment_count_outcomes (x, v, counts);
    for (guint i = 0; i < sim_experiment_variant (x, v)->runs->len; i++)
        n += g_ptr_array_index (sim_experiment_variant (x, v)->runs, i) != NULL;
    for (guint k = 0; k < SIM_EXPERIMENT_N_OUTCOMES; k++)
        kinds += counts[k] > 0;
    if (kinds == 0)
        g_string_append (s, "no rollout");
    else if (kinds == 1 && counts[0] == n)
        g_string_append_printf (s, "%u/%u completed", n, n);
    else
        for (guint k = 0; k < SIM_EXPERIMENT_N_OUTCOMES; k++)
            if (counts[k] > 0)
                g_string_append_printf (s, "%s%s %u/%u", s->len ? ", " : "",
                                        sim_experiment_outcomes[k], counts[k],
                                        n);
    return g_string_free (s, FALSE);
}

gboolean
sim_experiment_variant_complete (const SimExperiment *x, guint v)
{
    guint counts[SIM_EXPERIMENT_N_OUTCOMES];

    sim_experiment_count_outcomes (x, v, counts);
    return counts[1] + counts[2] + counts[3] == 0;
}

/* --- Statistics ----------------------------------------------------------- */

double *
sim_experiment_column (const SimExperiment *x, guint v, guint m)
{
    GPtrArray *runs = sim_experiment_variant (x, v)->runs;
    double *col = g_new (double, runs->len > 0 ? runs->len : 1);

    for (guint i = 0; i < runs->len; i++) {
        SimRun *r = g_ptr_array_index (runs, i);

        col[i] = r != NULL ? r->x[m] : NAN;
    }
    return col;
}

SimStats *
sim_experiment_stats (const SimExperiment *x)
{
    guint nm = x->metrics->len;
    SimStats *st = g_new0 (SimStats, x->variants->len * nm + 1);

    for (guint v = 0; v < x->variants->len; v++)
        for (guint m = 0; m < nm; m++) {
            g_autofree double *col = sim_experiment_column (x, v, m);

            sim_stats_compute (col, sim_experiment_variant (x, v)->runs->len,
                               SIM_EXPERIMENT_LEVEL, &st[v * nm + m]);
        }
    return st;
}

/* Decimals of each metric's mean and half-width: two more than its most
 * precise value in runs.csv (at least 3), so the means keep what the runs
 * measured.  Depends only on the runs, like everything written. */
void
sim_experiment_set_decimals (SimExperiment *x)
{
    guint at = summary_at (x);

    for (guint m = 0; m < x->metrics->len; m++) {
        SimExperimentMetric *me = sim_experiment_metric (x, m);
        gint most = 0;

        for (guint v = 0; v < x->variants->len && me->outcome == NULL; v++) {
            GPtrArray *runs = sim_experiment_variant (x, v)->runs;

            for (guint i = 0; i < runs->len; i++) {
                SimRun *r = g_ptr_array_index (runs, i);
                const char *dot;

                if (r == NULL)
                    continue;
                dot = strchr (r->row[at + (guint) me->col], '.');
                if (dot != NULL)
                    most = MAX (most, (gint) strlen (dot + 1));
            }
        }
        me->places = most;
        me->decimals = CLAMP (most + 2, 3, 9);
    }
}

/* --- Settings as text ----------------------------------------------------- */

gboolean
sim_experiment_parse_shard (const char *text, guint *k, guint *n,
                            GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, "/", -1);
    guint64 a, b;

    if (g_strv_length (parts) != 2
        || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT32, &a, NULL)
        || !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT32, &b, NULL)
        || a > b) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_USAGE,
                     "--shard %s: expected K/N, slice K of N with "
                     "1 <= K <= N (e.g. --shard 2/8)",
                     text);
        return FALSE;
    }
    *k = (guint) a;
    *n = (guint) b;
    return TRUE;
}

gboolean
sim_experiment_parse_precision (const char *text, double *out, GError **error)
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
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_USAGE,
                     "--precision %s: expected a relative half-width such "
                     "as 5%% or 0.05 (more than 0, less than 100%%)",
                     text);
        return FALSE;
    }
    *out = v;
    return TRUE;
}
