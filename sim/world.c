/* world.c - one simulation: creation, the run loop, and the glue between
 * the model and the strategy (controller wake-ups, rollout milestones,
 * the timeline).
 *
 * The Deployment controller is woken, as in Kubernetes, whenever
 * something it watches changes (a ReplicaSet's spec or status, a pod
 * gone), after controller_delay, and at most once per instant: wake-ups
 * while one is pending are merged.  The strategy may also ask to be woken
 * at a time of its choosing (pauses, deadlines, analysis intervals).
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "model.h"
#include "metrics.h"

/* --- Timeline ------------------------------------------------------------- */

/* Event-log rows between two measures of the budget: a pod is measured
 * as it is created, rows of other kinds are small. */
#define LOG_CHECK_ROWS 4096

void
sim_world_log (SimWorld *w, SimEventKind kind, const char *object, gint version,
               gboolean has_value, gint64 value, const char *detail)
{
    sim_event_log_add (w->log, sim_engine_now (w->engine), kind, object,
                       version >= 0 ? w->sc->versions[version].name : NULL,
                       has_value, value, detail);
    if (G_UNLIKELY (kind == SIM_EVENT_POD_CREATED
                    || sim_event_log_len (w->log) >= w->log_check_at)) {
        w->log_check_at = sim_event_log_len (w->log) + LOG_CHECK_ROWS;
        sim_world_check_memory (w);
    }
}

void
sim_world_log_pod (SimWorld *w, SimEventKind kind, const SimPod *pod,
                   const char *detail)
{
    sim_world_log (w, kind, pod->name, pod->version, FALSE, 0, detail);
}

void
sim_world_narrate (SimWorld *w, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start (ap, fmt);
    text = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    sim_event_log_narrate (w->log, sim_engine_now (w->engine), "%s", text);
}

/* --- Controller wake-ups ------------------------------------------------------ */

static void
controller_sync (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;

    w->sync_pending = FALSE;
    w->strategy->sync (w, w->strategy_data);
}

void
sim_world_status_changed (SimWorld *w)
{
    if (w->sync_pending)
        return;
    w->sync_pending = TRUE;
    sim_engine_after (w->engine, w->sc->controller_delay, SIM_CLASS_CONTROLLER,
                      controller_sync, w, 0);
}

static void
timer_fired (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;

    w->strategy->sync (w, w->strategy_data);
}

void
sim_world_wake_at (SimWorld *w, SimTime at)
{
    SimTime now = sim_engine_now (w->engine);

    sim_engine_schedule (w->engine, MAX (at, now), SIM_CLASS_CONTROLLER,
                         timer_fired, w, 0);
}

void
sim_world_pods_changed (SimWorld *w)
{
    sim_metrics_pods (w->metrics, sim_engine_now (w->engine), w->pods_existing,
                      w->pods_existing - w->pods_terminating, w->pods_ready,
                      w->app.spec.replicas, sim_rollout_during (&w->rollout));
}

/* --- ReplicaSets ------------------------------------------------------------ */

guint
sim_world_n_replica_sets (const SimWorld *w)
{
    return w->replica_sets->len;
}

SimReplicaSet *
sim_world_replica_set (const SimWorld *w, guint i)
{
    g_return_val_if_fail (i < w->replica_sets->len, NULL);
    return g_ptr_array_index (w->replica_sets, i);
}

SimReplicaSet *
sim_world_deployment_replica_set (const SimWorld *w, const SimDeployment *d,
                                  SimTemplate t)
{
    for (guint i = 0; i < w->replica_sets->len; i++) {
        SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);

        if (rs->owner == d && sim_template_equal (rs->tmpl, t))
            return rs;
    }
    return NULL;
}

SimReplicaSet *
sim_world_replica_set_for (const SimWorld *w, SimTemplate t)
{
    return sim_world_deployment_replica_set (w, &w->app, t);
}

/* The highest revision among @d's ReplicaSets other than @except (each
 * Deployment numbers its own). */
static gint
max_revision (const SimWorld *w, const SimDeployment *d,
              const SimReplicaSet *except)
{
    gint max = 0;

    for (guint i = 0; i < w->replica_sets->len; i++) {
        const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);

        if (rs != except && rs->owner == d)
            max = MAX (max, rs->revision);
    }
    return max;
}

static void
add_status (SimReplicaSetStatus *sum, const SimReplicaSetStatus *st)
{
    sum->replicas += st->replicas;
    sum->pending += st->pending;
    sum->starting += st->starting;
    sum->ready += st->ready;
    sum->available += st->available;
    sum->terminating += st->terminating;
}

void
sim_world_version_status (const SimWorld *w, gint v, SimVersionStatus *out)
{
    memset (out, 0, sizeof *out);
    for (guint i = 0; i < w->replica_sets->len; i++) {
        const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);
        SimReplicaSetStatus st;

        if (rs->version != v)
            continue;
        sim_replica_set_status (rs, &st);
        out->desired += rs->spec;
        add_status (&out->st, &st);
    }
    out->endpoints = w->endpoints[v].n;
}

void
sim_world_total_status (const SimWorld *w, SimReplicaSetStatus *total)
{
    memset (total, 0, sizeof *total);
    for (guint i = 0; i < w->replica_sets->len; i++) {
        const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);
        SimReplicaSetStatus st;

        sim_replica_set_status (rs, &st);
        add_status (total, &st);
    }
}

void
sim_world_deployment_status (const SimWorld *w, const SimDeployment *d,
                             SimReplicaSetStatus *total)
{
    memset (total, 0, sizeof *total);
    for (guint i = 0; i < w->replica_sets->len; i++) {
        const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);
        SimReplicaSetStatus st;

        if (rs->owner != d)
            continue;
        sim_replica_set_status (rs, &st);
        add_status (total, &st);
    }
}

SimReplicaSet *
sim_world_create_replica_set (SimWorld *w, gint replicas)
{
    return sim_world_create_replica_set_of (w, &w->app, replicas);
}

SimReplicaSet *
sim_world_create_replica_set_of (SimWorld *w, SimDeployment *d, gint replicas)
{
    SimTemplate t = d->spec.template;
    SimReplicaSet *rs;

    g_return_val_if_fail (sim_world_deployment_replica_set (w, d, t) == NULL,
                          NULL);
    /* getAllReplicaSetsAndSyncRevision: the highest revision plus 1. */
    rs = sim_replica_set_new (w, d, t, max_revision (w, d, NULL) + 1,
                              MAX (replicas, 0));
    d->revision = MAX (d->revision, rs->revision);
    sim_world_log (w, SIM_EVENT_REPLICASET_CREATED, rs->name, rs->version, TRUE,
                   rs->spec, NULL);
    sim_replica_set_enqueue (w, rs);
    sim_world_status_changed (w);
    return rs;
}

void
sim_world_scale_replica_set (SimWorld *w, SimReplicaSet *rs, gint replicas)
{
    char detail[48];

    replicas = MAX (replicas, 0);
    if (rs->spec == replicas)
        return;
    g_snprintf (detail, sizeof detail, "from %d", rs->spec);
    rs->spec = replicas;
    sim_world_log (w, SIM_EVENT_REPLICASET_SCALED, rs->name, rs->version, TRUE,
                   replicas, detail);
    sim_replica_set_enqueue (w, rs);
    sim_world_status_changed (w);
}

gint
sim_world_scale_status_all (SimWorld *w, gboolean *selected)
{
    SimReplicaSetStatus total;

    for (guint i = 0; i < w->replica_sets->len; i++)
        selected[i] = TRUE;
    sim_world_total_status (w, &total);
    return total.replicas;
}

/* --- The Deployment -------------------------------------------------------------- */

SimDeployment *
sim_world_deployment (const SimWorld *w)
{
    return (SimDeployment *) &w->app;
}

const SimDeploymentSpec *
sim_world_spec (const SimWorld *w)
{
    return &w->app.spec;
}

guint
sim_world_n_deployments (const SimWorld *w)
{
    return (guint) w->n_owned;
}

SimDeployment *
sim_world_deployment_at (const SimWorld *w, guint i)
{
    g_return_val_if_fail (i < (guint) w->n_owned, NULL);
    return (SimDeployment *) &w->owned[i];
}

const SimDeploymentSpec *
sim_deployment_spec (const SimDeployment *d)
{
    return &d->spec;
}

const char *
sim_deployment_label (const SimDeployment *d)
{
    return d->label;
}

SimDeployment *
sim_world_history (SimWorld *w)
{
    return w->n_owned > 0 ? &w->owned[w->n_owned - 1] : &w->app;
}

void
sim_world_deployment_set_replicas (SimWorld *w, SimDeployment *d, gint replicas)
{
    char detail[48];

    g_return_if_fail (d != &w->app);
    if (d->spec.replicas == replicas)
        return;
    g_snprintf (detail, sizeof detail, "from %d", d->spec.replicas);
    d->spec.replicas = replicas;
    sim_world_log (w, SIM_EVENT_REPLICAS_CHANGED, d->label,
                   d->spec.template.version, TRUE, replicas, detail);
}

void
sim_world_deployment_set_template (SimWorld *w, SimDeployment *d, SimTemplate t)
{
    SimReplicaSet *rs;

    g_return_if_fail (d != &w->app);
    if (sim_template_equal (d->spec.template, t))
        return;
    d->spec.template = t;
    /* An existing ReplicaSet of that template becomes the new one: its
     * revision goes above every other of the Deployment (K3.1). */
    rs = sim_world_deployment_replica_set (w, d, t);
    if (rs != NULL && rs->revision <= max_revision (w, d, rs)) {
        rs->revision = max_revision (w, d, rs) + 1;
        d->revision = MAX (d->revision, rs->revision);
    }
}

static void
rollout_begins (SimWorld *w, SimTime now)
{
    if (!w->rollout.started)
        w->rollout.start = now;
    w->rollout.started = TRUE;
    w->rollout.count++;
    w->rollout.end = -1;
    w->rollout.outcome = SIM_OUTCOME_UNFINISHED;
    w->rollout.stalled = FALSE;
    sim_world_log (w, SIM_EVENT_ROLLOUT_STARTED, "deployment",
                   w->app.spec.template.version, FALSE, 0, w->strategy->name);
    sim_world_pods_changed (w); /* min_ready counts from here */
}

void
sim_world_set_template (SimWorld *w, SimTemplate t)
{
    SimDeployment *d = &w->app;
    SimTemplate was = d->spec.template;
    SimReplicaSet *rs;
    SimTime now = sim_engine_now (w->engine);

    if (sim_template_equal (was, t))
        return;
    if (sim_rollout_during (&w->rollout)) {
        /* A new template while the last one is still rolling out: the
         * Deployment controller rolls over to it (K4.2, K9.2). */
        SimReplicaSet *old = sim_world_replica_set_for (w, was);

        sim_world_log (w, SIM_EVENT_ROLLOVER, "deployment", t.version, FALSE, 0,
                       old != NULL ? old->name
                                   : w->sc->versions[was.version].name);
    }
    d->spec.template = t;
    /* An existing ReplicaSet of that template becomes the new one: its
     * revision goes above every other (K3.1). */
    rs = sim_world_replica_set_for (w, t);
    if (rs != NULL && rs->revision <= max_revision (w, d, rs)) {
        rs->revision = max_revision (w, d, rs) + 1;
        d->revision = MAX (d->revision, rs->revision);
    }
    rollout_begins (w, now);
    /* The controller sees the new template at once. */
    w->strategy->sync (w, w->strategy_data);
}

void
sim_world_rollout_again (SimWorld *w)
{
    rollout_begins (w, sim_engine_now (w->engine));
}

void
sim_world_set_paused (SimWorld *w, gboolean paused)
{
    SimDeployment *d = &w->app;

    if (d->spec.paused == paused)
        return;
    d->spec.paused = paused;
    sim_world_log (w, paused ? SIM_EVENT_PAUSED : SIM_EVENT_RESUMED,
                   "deployment", d->spec.template.version, FALSE, 0,
                   paused ? "spec.paused = true" : "spec.paused = false");
    w->strategy->sync (w, w->strategy_data);
}

void
sim_world_set_replicas (SimWorld *w, gint replicas)
{
    SimDeployment *d = &w->app;
    char detail[48];

    if (d->spec.replicas == replicas)
        return;
    g_snprintf (detail, sizeof detail, "from %d", d->spec.replicas);
    d->spec.replicas = replicas;
    sim_world_log (w, SIM_EVENT_REPLICAS_CHANGED, "deployment",
                   d->spec.template.version, TRUE, replicas, detail);
    sim_world_pods_changed (w); /* extra pods are counted against R */
    w->strategy->sync (w, w->strategy_data);
}

void
sim_world_set_restart_at (SimWorld *w)
{
    w->app.spec.restart_at = sim_engine_now (w->engine);
    w->strategy->sync (w, w->strategy_data);
}

gboolean
sim_world_command (SimWorld *w, SimCommand cmd, char **refusal)
{
    if (w->strategy->command == NULL) {
        *refusal = g_strdup_printf ("rollouts.argoproj.io \"%s\" not found",
                                    w->app.spec.name);
        return FALSE;
    }
    /* promote patches spec.paused = false along with the status. */
    if ((cmd == SIM_COMMAND_PROMOTE || cmd == SIM_COMMAND_PROMOTE_FULL)
        && w->app.spec.paused) {
        w->app.spec.paused = FALSE;
        sim_world_log (w, SIM_EVENT_RESUMED, "deployment",
                       w->app.spec.template.version, FALSE, 0,
                       "spec.paused = false");
    }
    if (!w->strategy->command (w, w->strategy_data, cmd, refusal))
        return FALSE;
    /* The controller sees the patched status at once. */
    w->strategy->sync (w, w->strategy_data);
    return TRUE;
}

/* --- Milestones ----------------------------------------------------------------- */

void
sim_world_rollout_completed (SimWorld *w)
{
    if (!sim_rollout_during (&w->rollout))
        return;
    w->rollout.end = sim_engine_now (w->engine);
    w->rollout.outcome = SIM_OUTCOME_COMPLETED;
    w->rollout.stalled = FALSE;
    sim_world_log (w, SIM_EVENT_ROLLOUT_COMPLETED, "deployment",
                   w->app.spec.template.version, FALSE, 0, NULL);
}

void
sim_world_rollout_aborted (SimWorld *w, const char *why)
{
    if (!sim_rollout_during (&w->rollout))
        return;
    w->rollout.end = sim_engine_now (w->engine);
    if (w->rollout.aborted_at < 0)
        w->rollout.aborted_at = w->rollout.end;
    w->rollout.outcome = SIM_OUTCOME_ABORTED;
    sim_world_log (w, SIM_EVENT_ABORTED, "deployment",
                   w->app.spec.template.version, FALSE, 0, why);
}

void
sim_world_rollout_stalled (SimWorld *w, gboolean stalled)
{
    if (w->rollout.stalled == stalled)
        return;
    w->rollout.stalled = stalled;
    if (stalled)
        sim_world_log (w, SIM_EVENT_PROGRESS_DEADLINE, "deployment",
                       w->app.spec.template.version, FALSE, 0,
                       "Progressing=False ProgressDeadlineExceeded");
    else
        sim_world_log (w, SIM_EVENT_CONDITION, "deployment",
                       w->app.spec.template.version, FALSE, 0,
                       "Progressing=True ReplicaSetUpdated");
}

/* --- Probes ----------------------------------------------------------------------- */

gint
sim_world_probe_open (SimWorld *w, gint v)
{
    g_return_val_if_fail (v >= 0 && v < w->sc->n_versions, -1);
    for (gint id = 0; id < SIM_MAX_PROBES; id++) {
        SimProbe *p = &w->probes[id];

        if (p->in_use)
            continue;
        p->in_use = TRUE;
        p->version = v;
        p->owner = NULL;
        if (p->latency == NULL) {
            p->latency = g_new0 (SimHistogram, 1);
            sim_histogram_init_zeroed (p->latency);
        }
        w->probe_mask[v] |= 1u << id;
        sim_world_probe_reset (w, id);
        return id;
    }
    return -1;
}

gint
sim_world_probe_open_deployment (SimWorld *w, SimDeployment *d)
{
    gint id = sim_world_probe_open (w, 0);

    if (id < 0)
        return -1;
    /* Open on every version; the record skips other Deployments' pods. */
    w->probes[id].owner = d;
    w->probes[id].version = -1;
    for (gint v = 0; v < w->sc->n_versions; v++)
        w->probe_mask[v] |= 1u << id;
    return id;
}

void
sim_world_probe_reset (SimWorld *w, gint id)
{
    SimProbe *p = &w->probes[id];

    p->requests = p->ok = p->errors = 0;
    sim_histogram_reset (p->latency);
}

void
sim_world_probe_close (SimWorld *w, gint id)
{
    if (id < 0)
        return;
    w->probes[id].in_use = FALSE;
    for (gint v = 0; v < w->sc->n_versions; v++)
        w->probe_mask[v] &= ~(1u << id);
}

void
sim_world_probe_read (const SimWorld *w, gint id, SimProbeReading *out)
{
    const SimProbe *p = &w->probes[id];
    gboolean any = sim_histogram_count (p->latency) > 0;

    out->requests = p->requests;
    out->ok = p->ok;
    out->errors = p->errors;
    {
        static const double q[] = { 0.50, 0.95, 0.99 };
        double v[G_N_ELEMENTS (q)];

        sim_histogram_quantiles (p->latency, G_N_ELEMENTS (q), q, v);
        out->p50_ms = any ? v[0] / 1e3 : NAN;
        out->p95_ms = any ? v[1] / 1e3 : NAN;
        out->p99_ms = any ? v[2] / 1e3 : NAN;
    }
    out->mean_ms = any ? sim_histogram_mean (p->latency) / 1e3 : NAN;
}

struct SimProbeMark {
    guint64 requests, ok, errors;
    SimHistogram latency;
};

SimProbeMark *
sim_probe_mark_new (void)
{
    SimProbeMark *m = g_new0 (SimProbeMark, 1);

    sim_histogram_init (&m->latency);
    return m;
}

void
sim_probe_mark_free (SimProbeMark *mark)
{
    g_free (mark);
}

void
sim_world_probe_mark (const SimWorld *w, gint id, SimProbeMark *mark)
{
    const SimProbe *p = &w->probes[id];

    mark->requests = p->requests;
    mark->ok = p->ok;
    mark->errors = p->errors;
    mark->latency = *p->latency;
}

void
sim_world_probe_read_since (const SimWorld *w, gint id,
                            const SimProbeMark *mark, SimProbeReading *out)
{
    const SimProbe *p = &w->probes[id];
    SimHistogram *h = g_new (SimHistogram, 1);
    gboolean any;

    *h = *p->latency;
    sim_histogram_subtract (h, &mark->latency);
    any = sim_histogram_count (h) > 0;
    out->requests = p->requests - mark->requests;
    out->ok = p->ok - mark->ok;
    out->errors = p->errors - mark->errors;
    out->p50_ms = any ? sim_histogram_quantile (h, 0.50) / 1e3 : NAN;
    out->p95_ms = any ? sim_histogram_quantile (h, 0.95) / 1e3 : NAN;
    out->p99_ms = any ? sim_histogram_quantile (h, 0.99) / 1e3 : NAN;
    out->mean_ms = any ? sim_histogram_mean (h) / 1e3 : NAN;
    g_free (h);
}

/* --- Queries ----------------------------------------------------------------------- */

const SimScenario *
sim_world_scenario (const SimWorld *w)
{
    return w->sc;
}

SimTime
sim_world_now (const SimWorld *w)
{
    return sim_engine_now (w->engine);
}

SimEventLog *
sim_world_events (const SimWorld *w)
{
    return w->log;
}

SimMetrics *
sim_world_metrics (const SimWorld *w)
{
    return w->metrics;
}

guint64
sim_world_events_executed (const SimWorld *w)
{
    return sim_engine_executed (w->engine);
}

const SimRolloutRecord *
sim_world_rollout (const SimWorld *w)
{
    return &w->rollout;
}

void
sim_world_summary (SimWorld *w, SimSummary *out)
{
    sim_metrics_summary (w->metrics, sim_engine_now (w->engine), &w->rollout,
                         out);
}

/* --- The memory budget (memory.h) ------------------------------------------------ */

gboolean
sim_world_check_memory (SimWorld *w)
{
    SimMemoryUse use;

    if (w->error != NULL)
        return FALSE;
    sim_world_memory (w, &use);
    if (sim_memory_total (&use) <= w->sc->max_memory)
        return TRUE;
    sim_memory_overrun (w, &use, &w->error);
    sim_engine_stop (w->engine);
    return FALSE;
}

const GError *
sim_world_error (const SimWorld *w)
{
    return w->error;
}

/* --- Lifecycle and the run ------------------------------------------------------- */

/* Samples close their window (t - step, t] at t, after every other event
 * at t (SIM_CLASS_FINAL): a row's pod counts are the state once the
 * instant is over, what report.html's replay shows at t, and the last
 * row, at the end of the run (a multiple of the step or not), counts
 * everything, so the rows add up to the summary. */
static void
on_sample (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;
    SimTime now = sim_engine_now (engine);
    SimTime next = now + w->sc->sample;

    SimVersionStatus vs[SIM_MAX_VERSIONS];

    SimClusterSample cs = {
        .hpa_desired = sim_hpa_desired (w),
        .nodes = w->nodes_live,
        .cpu_utilization = sim_hpa_utilization (w),
        .cpu_used = sim_usage_sample (w),
    };

    for (gint v = 0; v < w->sc->n_versions; v++)
        sim_world_version_status (w, v, &vs[v]);
    sim_metrics_cluster (w->metrics, &cs);
    sim_metrics_sample (w->metrics, now, vs);
    if (!sim_world_check_memory (w))
        return;
    if (now < w->sc->duration)
        sim_engine_schedule (engine, MIN (next, w->sc->duration),
                             SIM_CLASS_FINAL, on_sample, w, 0);
}

/* [rollout]: the new version is applied (`kubectl set image`). */
static void
on_rollout (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;
    SimTemplate t = w->app.spec.template;

    t.version = w->sc->rollout_to_index;
    sim_world_set_template (w, t);
}

SimWorld *
sim_world_new (const SimScenario *sc, FILE *trace, GError **error)
{
    return sim_world_new_reusing (sc, trace, NULL, error);
}

SimWorld *
sim_world_new_reusing (const SimScenario *sc, FILE *trace, SimMetrics *spare,
                       GError **error)
{
    SimWorld *w;
    SimReplicaSet *rs;
    const SimStrategyClass *klass = sc->strategy_class;

    /* The loader resolved the strategy and ran its checks. */
    g_return_val_if_fail (klass != NULL, NULL);

    w = g_new0 (SimWorld, 1);
    w->sc = sc;
    w->engine = sim_engine_new ();
    /* A completion names its pod (traffic.c): fetched ahead. */
    sim_engine_prefetch_arg (w->engine, SIM_CLASS_DONE);
    sim_engine_set_user_data (w->engine, w);
    w->log = sim_event_log_new ();
    sim_event_log_set_trace (w->log, trace);
    w->metrics = spare != NULL ? sim_metrics_renew (spare, sc)
                               : sim_metrics_new (sc);
    sim_rng_init (&w->rng_arrivals, sc->seed, SIM_STREAM_ARRIVALS);
    sim_rng_init (&w->rng_service, sc->seed, SIM_STREAM_SERVICE);
    sim_rng_init (&w->rng_startup, sc->seed, SIM_STREAM_STARTUP);
    sim_rng_init (&w->rng_errors, sc->seed, SIM_STREAM_ERRORS);
    sim_rng_init (&w->rng_balancer, sc->seed, SIM_STREAM_BALANCER);
    sim_rng_init (&w->rng_faults, sc->seed, SIM_STREAM_FAULTS);
    sim_rng_init (&w->rng_pull, sc->seed, SIM_STREAM_PULL);
    sim_rng_init (&w->rng_preview, sc->seed, SIM_STREAM_PREVIEW);
    sim_rng_init (&w->rng_routing, sc->seed, SIM_STREAM_ROUTING);
    sim_rng_init (&w->rng_chaos, sc->seed, SIM_STREAM_CHAOS);
    sim_rng_init (&w->rng_probes, sc->seed, SIM_STREAM_PROBES);
    sim_rng_init (&w->rng_hang, sc->seed, SIM_STREAM_HANG);
    sim_rng_init (&w->rng_provision, sc->seed, SIM_STREAM_PROVISION);
    sim_rng_init (&w->rng_users, sc->seed, SIM_STREAM_USERS);
    sim_rng_init (&w->rng_mirror, sc->seed, SIM_STREAM_MIRROR);
    for (gint v = 0; v < sc->n_versions; v++)
        w->error_rate[v] = sc->versions[v].error_rate;
    w->replica_sets = g_ptr_array_new_with_free_func (
        (GDestroyNotify) sim_replica_set_free);
    w->pods = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_pod_free);
    w->pod_blocks = g_ptr_array_new_with_free_func (g_aligned_free);
    w->rollout.start = w->rollout.end = -1;
    w->rollout.first_new_request = -1;
    w->rollout.aborted_at = -1;
    w->rollout.outcome = SIM_OUTCOME_NONE;
    w->preview_rate = sc->preview_rate;

    sim_cluster_init (w);
    sim_service_init (w);
    sim_traffic_init (w);
    sim_usage_init (w);
    sim_metrics_nodes (w->metrics, 0, w->nodes_live);
    w->strategy = klass;

    /* The application's Deployment, complete at t = 0: a warm cluster,
     * the initial version's pods placed and ready. */
    w->app.spec.name = sc->deployment_name;
    w->app.spec.replicas = sc->replicas;
    w->app.spec.paused = sc->paused;
    w->app.spec.template.version = sc->version_index;
    w->app.spec.template.restart = 0;
    w->app.spec.restart_at = -1;
    w->app.revision = 1;
    if (klass->deployments == NULL) {
        rs = sim_replica_set_new (w, &w->app, w->app.spec.template, 1,
                                  sc->replicas);
        sim_world_log (w, SIM_EVENT_REPLICASET_CREATED, rs->name, rs->version,
                       TRUE, rs->spec, "initial");
        for (gint i = 0; i < sc->replicas; i++)
            sim_pod_create (w, rs, TRUE);
    }
    /* The strategy's own Deployments, copies of the application's: the
     * first runs the initial pods, the others have their ReplicaSet at
     * 0 (as Flagger leaves its target after initialising). */
    for (gint k = 0; klass->deployments != NULL && klass->deployments[k]; k++) {
        SimDeployment *d = &w->owned[k];

        g_assert (k < SIM_MAX_DEPLOYMENTS);
        w->n_owned = k + 1;
        d->index = k + 1;
        d->label = klass->deployments[k];
        g_snprintf (d->name, sizeof d->name, "%s-%s", sc->deployment_name,
                    d->label);
        d->spec = w->app.spec;
        d->spec.name = d->name;
        d->spec.paused = FALSE;
        d->spec.replicas = k == 0 ? sc->replicas : 0;
        d->revision = 1;
        rs = sim_replica_set_new (w, d, d->spec.template, 1, d->spec.replicas);
        sim_world_log (w, SIM_EVENT_REPLICASET_CREATED, rs->name, rs->version,
                       TRUE, rs->spec, "initial");
        for (gint i = 0; i < rs->spec; i++)
            sim_pod_create (w, rs, TRUE);
    }
    w->strategy_data = sim_strategy_init (
        klass, w, sim_scenario_group (sc, klass->settings));

    sim_engine_schedule (w->engine, 0, SIM_CLASS_FINAL, on_sample, w, 0);
    if (sc->has_rollout)
        sim_engine_schedule (w->engine, sc->rollout_at, SIM_CLASS_CONTROLLER,
                             on_rollout, w, 0);
    sim_timeline_schedule (w);
    sim_strategy_start (klass, w, w->strategy_data);
    sim_hpa_start (w);
    sim_autoscaler_start (w);
    sim_traffic_start (w);
    return w;
}

void
sim_world_run (SimWorld *w)
{
    sim_world_run_until (w, w->sc->duration);
}

/* A run stopped by its budget stays stopped. */
void
sim_world_run_until (SimWorld *w, SimTime until)
{
    if (w->error == NULL)
        sim_engine_run_until (w->engine, MIN (until, w->sc->duration));
}

void
sim_world_free (SimWorld *w)
{
    sim_metrics_free (sim_world_free_keeping_metrics (w));
}

SimMetrics *
sim_world_free_keeping_metrics (SimWorld *w)
{
    SimMetrics *metrics;

    if (w == NULL)
        return NULL;
    if (w->strategy != NULL)
        sim_strategy_free (w->strategy, w->strategy_data);
    sim_hpa_free (w);
    sim_autoscaler_free (w);
    sim_engine_free (w->engine);
    sim_event_log_free (w->log);
    metrics = g_steal_pointer (&w->metrics);
    g_ptr_array_unref (w->replica_sets);
    g_ptr_array_unref (w->pods);
    g_ptr_array_unref (w->pod_blocks);
    sim_cluster_clear (w);
    sim_service_clear (w);
    sim_traffic_clear (w);
    for (gint id = 0; id < SIM_MAX_PROBES; id++)
        g_free (w->probes[id].latency);
    g_clear_error (&w->error);
    g_free (w);
    return metrics;
}
