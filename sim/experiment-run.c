/* experiment-run.c - running an experiment (experiment.h): each run of a
 * variant's replication on a GLib thread pool, whose workers take the
 * runs in order and reuse their last run's scenario copy and metrics
 * memory, the share of a --shard, and the --precision loop that adds
 * replications.
 *
 * Invariant.  A run lands at (variant, replication) whatever thread ran
 * it and whenever it finished; the first failure is kept and reported
 * once every run has ended.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "experiment.h"
#include "world.h"
#include "metrics.h"
#include "report.h"
#include "rng.h"
#include "memory.h"
#include "sha256.h"

/* --- One run -------------------------------------------------------------- */

/* A variant's scenario text around its seed line: a run's text (whose
 * hash runs.csv records) is head, "seed = N", tail.  The head is hashed
 * once a variant, and a run hashes its seed line and the tail on from a
 * copy of that state, which saves serialising the whole scenario for
 * every replication (a quarter of a small run) and joining the text.
 * NULL tail: serialise and hash each time. */
typedef struct {
    SimSha256 head; /* the text before the seed line, hashed */
    char *tail;
    gsize tail_len;
    gboolean tried; /* split once a variant, even when it could not be */
} IniParts;

static char *
seeded_ini (const SimScenario *sc, guint64 seed)
{
    g_autoptr (SimScenario) copy = sim_scenario_copy (sc);

    copy->seed = seed;
    return sim_scenario_to_ini (copy);
}

/* Longest "\nseed = N\n", and its NUL. */
#define SEED_LINE_SIZE 32

/* Write @seed's line into @line; returns its length. */
static gsize
seed_line (char line[SEED_LINE_SIZE], guint64 seed)
{
    return (gsize) g_snprintf (line, SEED_LINE_SIZE,
                               "\nseed = %" G_GUINT64_FORMAT "\n", seed);
}

/* Split @sc's text at its seed line; checked against a second seed's
 * full text, so that the parts are used only where they give exactly
 * what serialising would. */
static void
ini_parts_init (IniParts *p, const SimScenario *sc)
{
    g_autofree char *a = seeded_ini (sc, sc->seed);
    g_autofree char *other = NULL;
    g_autofree char *joined = NULL;
    char line[SEED_LINE_SIZE], other_line[SEED_LINE_SIZE];
    gsize line_len = seed_line (line, sc->seed);
    const char *at = strstr (a, line);
    guint64 seed2 = sc->seed ^ G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

    p->tail = NULL;
    p->tried = TRUE;
    if (at == NULL || strstr (at + 1, line) != NULL)
        return;
    other = seeded_ini (sc, seed2);
    seed_line (other_line, seed2);
    joined = g_strdup_printf ("%.*s%s%s", (int) (at - a), a, other_line,
                              at + line_len);
    if (strcmp (joined, other) != 0)
        return;
    sim_sha256_init (&p->head);
    sim_sha256_update (&p->head, a, (gsize) (at - a));
    p->tail = g_strdup (at + line_len);
    p->tail_len = strlen (p->tail);
}

static void
ini_parts_clear (IniParts *p)
{
    g_clear_pointer (&p->tail, g_free);
}

/* The hash of @sc's text, @sc a copy of the variant @parts were made of
 * with another seed. */
static void
run_sha256 (const SimScenario *sc, const IniParts *parts,
            char hex[SIM_SHA256_HEX_LEN + 1])
{
    SimSha256 s;

    if (parts != NULL && parts->tail != NULL) {
        char line[SEED_LINE_SIZE];

        s = parts->head;
        sim_sha256_update (&s, line, seed_line (line, sc->seed));
        sim_sha256_update (&s, parts->tail, parts->tail_len);
    } else {
        g_autofree char *ini = sim_scenario_to_ini (sc);

        sim_sha256_init (&s);
        sim_sha256_update (&s, ini, strlen (ini));
    }
    sim_sha256_hex (&s, hex);
}

/* What a worker thread keeps from run to run. */
typedef struct {
    /* A copy of variant @variant's scenario, whose seed each run sets:
     * the seed is plain data, no other field depends on it. */
    SimScenario *sc;
    guint variant;
    SimMetrics *metrics; /* of its last world, to renew; or NULL */
} Worker;

static void
worker_clear (Worker *wk)
{
    g_clear_pointer (&wk->sc, sim_scenario_free);
    g_clear_pointer (&wk->metrics, sim_metrics_free);
}

/* Run replication @rep of variant @vi on worker @wk. */
static SimRun *
run_one (const SimExperiment *x, guint vi, guint rep, const IniParts *parts,
         Worker *wk, GError **error)
{
    const SimVariant *v = sim_experiment_variant (x, vi);
    GPtrArray *values;
    char sha256[SIM_SHA256_HEX_LEN + 1];
    SimWorld *w;
    SimSummary s;

    if (wk->sc == NULL || wk->variant != vi) {
        g_clear_pointer (&wk->sc, sim_scenario_free);
        wk->sc = sim_scenario_copy (v->sc);
        wk->variant = vi;
    }
    wk->sc->seed = sim_rng_replication_seed (v->sc->seed, rep);
    w = sim_world_new_reusing (wk->sc, NULL, g_steal_pointer (&wk->metrics),
                               error);
    if (w == NULL) {
        g_prefix_error (error, "%s, replication %u: ", v->label, rep);
        return NULL;
    }
    sim_world_run (w);
    if (sim_world_error (w) != NULL) {
        g_set_error (error, SIM_MEMORY_ERROR, SIM_MEMORY_ERROR_BUDGET,
                     "%s, replication %u: %s", v->label, rep,
                     sim_world_error (w)->message);
        sim_world_free (w);
        return NULL;
    }
    sim_world_summary (w, &s);
    values = sim_report_summary_values (w, &s);
    wk->metrics = sim_world_free_keeping_metrics (w);
    run_sha256 (wk->sc, parts, sha256);
    return sim_run_new (x, vi, rep, values, sha256);
}

/* --- The thread pool ------------------------------------------------------ */

typedef struct {
    guint v, rep;
} Item;

typedef struct {
    SimExperiment *x;
    const Item *items;
    guint n;
    gint next;       /* the next item to run (atomic) */
    IniParts *parts; /* per variant */
    GMutex lock;
    GCond cond;
    guint done;
    char *error; /* the first failure */
} Batch;

/* One of the pool's workers: it takes items in order until none is
 * left, keeping what one run can leave to the next (Worker). */
static void
batch_work (gpointer data, gpointer user)
{
    Batch *b = user;
    Worker wk = { NULL, 0, NULL };
    guint i;

    while ((i = (guint) g_atomic_int_add (&b->next, 1)) < b->n) {
        const Item *it = &b->items[i];
        g_autoptr (GError) error = NULL;
        SimRun *r = run_one (b->x, it->v, it->rep, &b->parts[it->v], &wk,
                             &error);

        g_mutex_lock (&b->lock);
        if (r != NULL)
            g_ptr_array_index (sim_experiment_variant (b->x, it->v)->runs,
                               it->rep) = r;
        else if (b->error == NULL)
            b->error = g_strdup (error->message);
        b->done++;
        g_cond_signal (&b->cond);
        g_mutex_unlock (&b->lock);
    }
    worker_clear (&wk);
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
run_items (SimExperiment *x, const Item *items, guint n, guint jobs,
           gboolean progress, GError **error)
{
    Batch b = { x, items, n, 0, NULL, { 0 }, { 0 }, 0, NULL };
    GThreadPool *pool;
    guint workers = MIN (jobs, n);
    gint64 start = g_get_monotonic_time (), next = start;
    guint nv = x->variants->len;
    g_autofree IniParts *parts = g_new0 (IniParts, nv);

    if (n == 0)
        return TRUE;
    for (guint i = 0; i < n; i++)
        if (!parts[items[i].v].tried)
            ini_parts_init (&parts[items[i].v],
                            sim_experiment_variant (x, items[i].v)->sc);
    b.parts = parts;
    g_mutex_init (&b.lock);
    g_cond_init (&b.cond);
    pool = g_thread_pool_new (batch_work, &b, (gint) workers, TRUE, error);
    if (pool == NULL) {
        g_mutex_clear (&b.lock);
        g_cond_clear (&b.cond);
        for (guint i = 0; i < nv; i++)
            ini_parts_clear (&parts[i]);
        return FALSE;
    }
    /* A task per worker (its data a mere token: the pool takes no NULL);
     * the workers share out the items themselves. */
    for (guint i = 0; i < workers; i++)
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
    for (guint i = 0; i < nv; i++)
        ini_parts_clear (&parts[i]);
    if (b.error != NULL) {
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s",
                     b.error);
        g_free (b.error);
        return FALSE;
    }
    return TRUE;
}


/* --- Running, and --precision --------------------------------------------- */

/* Does metric @m count for --precision? */
static gboolean
precision_counts (const SimExperiment *x, guint m)
{
    return x->precision_metrics[0] == NULL
           || g_strv_contains ((const char *const *) x->precision_metrics,
                               sim_experiment_metric (x, m)->name);
}

/* Is every counted mean's half-width within the precision?  If not, say
 * which are not in @unmet and suggest a replication count in @want. */
static gboolean
precision_met (const SimExperiment *x, const SimStats *st, GString *unmet,
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
                                        sim_experiment_variant (x, v)->label,
                                        sim_experiment_metric (x, m)->name,
                                        100.0 * s->hw / fabs (s->mean));
            else
                g_string_append_printf (unmet, "%s %s (n=%u, mean %g)",
                                        sim_experiment_variant (x, v)->label,
                                        sim_experiment_metric (x, m)->name,
                                        s->n, s->mean);
            /* The half-width shrinks as 1/sqrt(n). */
            need = MAX (need, limit > 0 && s->n >= 2
                                  ? s->n * (s->hw / limit) * (s->hw / limit)
                                  : G_MAXDOUBLE);
        }
    *want = need > G_MAXUINT ? G_MAXUINT : (guint) ceil (need);
    return met;
}

/* Work item j = variant * reps + replication belongs to shard j % N + 1:
 * interleaved, so shards get similar mixes of variants. */
gboolean
sim_experiment_run (SimExperiment *x, guint from, guint to, guint jobs,
                    gboolean progress, GError **error)
{
    g_autoptr (GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));

    for (guint v = 0; v < x->variants->len; v++) {
        g_ptr_array_set_size (sim_experiment_variant (x, v)->runs, (gint) to);
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
gboolean
sim_experiment_refine (SimExperiment *x, guint jobs, gboolean progress,
                       GError **error)
{
    for (;;) {
        g_autofree SimStats *st = sim_experiment_stats (x);
        g_autoptr (GString) unmet = g_string_new (NULL);
        guint want, next;

        if (precision_met (x, st, unmet, &want)) {
            x->precision_reached = TRUE;
            return TRUE;
        }
        if (x->reps >= x->max_reps) {
            x->precision_reached = FALSE;
            fprintf (stderr,
                     "rollsim: %s: precision %g%% not reached after "
                     "%u replications (the --max-reps cap): %s\n",
                     x->command, 100 * x->precision, x->reps, unmet->str);
            return TRUE;
        }
        next = MIN (MAX (want, x->reps + 1), 2 * x->reps);
        next = MIN (next, x->max_reps);
        if (!sim_experiment_run (x, x->reps, next, jobs, progress, error))
            return FALSE;
        x->reps = next;
    }
}
