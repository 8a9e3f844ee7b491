/* probes.c - the kubelet's probes of a pod's container: readiness,
 * liveness and startup, their timing and results, and what a result
 * does (docs/design.md H4, after kubernetes v1.28 pkg/kubelet/prober).
 *
 * One worker per probe type and pod, started when the kubelet takes the
 * pod (sim_probes_pod_added).  It ticks every period at a phase drawn
 * per pod from a stream of its own, in [0, period), as the legacy
 * worker's phase is set by when the pod arrived.  A tick probes unless
 * the container is not running, has run fewer whole seconds than the
 * initial delay, is not yet started (readiness, liveness: the startup
 * probe has not passed) or is started already (startup).  Readiness is
 * also probed at once a second after the container starts (the status
 * refresh after PLEG sees it, when the initial delay is 0) and when the
 * startup probe passes.
 *
 * A probe answers at once on a dedicated path (success if the app is
 * up, failure if it is not); a hung app fails it after the timeout.  On
 * the shared path it waits in the pod's queue like a request and fails
 * if the timeout passes first (traffic.c).  Consecutive results are
 * counted; only failure_threshold failures or success_threshold
 * successes in a row change the stored result: readiness makes the pod
 * Ready or not, liveness and startup failures kill the container (pod.c
 * restarts it after the CrashLoopBackOff delay), a startup success
 * starts the other two.  Probes of one worker never overlap: a tick
 * during a probe is run as soon as it is answered.  Terminating pods
 * are not probed (their readiness no longer matters; liveness and
 * startup stop by rule).
 *
 * Cost: one event per tick per probe type and pod, nothing per request
 * on the dedicated path.
 */
#include "model.h"

/* The kubelet's container back-off: Backoff(10 s, 300 s). */
#define RESTART_FIRST (10 * SIM_SEC)
#define RESTART_MAX (300 * SIM_SEC)

static const char *const type_names[SIM_HEALTH_N] = { "readiness", "liveness",
                                                      "startup" };

static const SimHealthProbeSpec *
spec (const SimWorld *w, const SimPod *pod, gint type)
{
    return &w->sc->versions[pod->version].probes[type];
}

static gboolean
has (const SimWorld *w, const SimPod *pod, gint type)
{
    return spec (w, pod, type)->period != SIM_TIME_NEVER;
}

gboolean
sim_probes_enabled (const SimScenario *sc, gint v)
{
    const SimVersionSpec *vs = &sc->versions[v];

    for (gint k = 0; k < SIM_HEALTH_N; k++)
        if (vs->probes[k].period != SIM_TIME_NEVER)
            return TRUE;
    return vs->hang_after.kind != SIM_DIST_NEVER;
}

static void probe (SimWorld *w, SimPod *pod, gint type);

/* --- Results ------------------------------------------------------------------ */

static void
log_failed (SimWorld *w, SimPod *pod, gint type, const char *what)
{
    const SimHealthProbeSpec *s = spec (w, pod, type);
    g_autofree char *t = sim_units_format_duration (s->timeout);
    g_autofree char *detail = g_strdup_printf (
        "%s probe failed %d times in a row (timeout %s, %s path): %s",
        type_names[type], pod->probe[type].run, t,
        w->sc->versions[pod->version].probe_path == SIM_PROBE_PATH_SHARED
            ? "shared"
            : "dedicated",
        what);

    sim_world_log (w, SIM_EVENT_PROBE_FAILED, pod->name, pod->version, TRUE,
                   pod->probe[type].run, detail);
}

/* doProbe's bookkeeping of one result. */
static void
result (SimWorld *w, SimPod *pod, gint type, gboolean ok)
{
    SimPodProbe *p = &pod->probe[type];
    const SimHealthProbeSpec *s = spec (w, pod, type);

    p->in_flight = FALSE;
    if (p->hold || pod->terminating || pod->phase == SIM_POD_GONE)
        return;
    if (p->last == ok) {
        p->run = (gint16) MIN (p->run + 1, G_MAXINT16);
    } else {
        p->last = (gint8) ok;
        p->run = 1;
    }
    if ((ok && p->run >= s->success_threshold)
        || (!ok && p->run >= s->failure_threshold)) {
        switch (type) {
        case SIM_HEALTH_READINESS:
            if (ok && pod->phase != SIM_POD_READY) {
                sim_pod_set_ready (w, pod, TRUE);
            } else if (!ok && pod->phase == SIM_POD_READY) {
                log_failed (w, pod, type, "not ready");
                sim_pod_set_ready (w, pod, FALSE);
            }
            break;
        case SIM_HEALTH_LIVENESS:
        case SIM_HEALTH_STARTUP:
            if (ok) {
                if (type == SIM_HEALTH_STARTUP && !pod->started) {
                    pod->started = TRUE;
                    p->hold = TRUE; /* the worker's job is done */
                    if (!has (w, pod, SIM_HEALTH_READINESS))
                        sim_pod_set_ready (w, pod, TRUE);
                    else
                        probe (w, pod, SIM_HEALTH_READINESS);
                }
                break;
            }
            log_failed (w, pod, type, "container killed");
            p->hold = TRUE;
            p->run = 0;
            sim_pod_kill_container (w, pod,
                                    type == SIM_HEALTH_LIVENESS
                                        ? "failed liveness probe"
                                        : "failed startup probe");
            return;
        }
    }
    if (p->again && !p->hold) {
        p->again = FALSE;
        probe (w, pod, type);
    }
}

static void
answer_late (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimPod *pod = obj;
    gint type = (gint) (arg & 3);

    pod->probe[type].answer = SIM_HANDLE_NONE;
    if ((guint) (arg >> 2) == pod->container_gen)
        result (w, pod, type, FALSE);
}

void
sim_probes_answer (SimWorld *w, SimPod *pod, gint type, gboolean ok)
{
    result (w, pod, type, ok);
}

/* --- Probing -------------------------------------------------------------------- */

/* Whether a tick of @type probes now (worker.go doProbe's guards). */
static gboolean
due (SimWorld *w, SimPod *pod, gint type)
{
    SimTime now = sim_engine_now (w->engine);
    const SimHealthProbeSpec *s = spec (w, pod, type);

    if (!pod->container_up || pod->terminating || pod->probe[type].hold)
        return FALSE;
    /* Whole seconds since the container started. */
    if ((now - pod->container_start) / SIM_SEC * SIM_SEC < s->initial_delay)
        return FALSE;
    if (type == SIM_HEALTH_STARTUP)
        return !pod->started;
    return pod->started;
}

static void
probe (SimWorld *w, SimPod *pod, gint type)
{
    SimPodProbe *p = &pod->probe[type];
    const SimHealthProbeSpec *s = spec (w, pod, type);
    SimTime now = sim_engine_now (w->engine);

    if (!due (w, pod, type))
        return;
    if (p->in_flight) {
        p->again = TRUE;
        return;
    }
    p->in_flight = TRUE;
    if (pod->hung) {
        /* No answer: the client's timeout decides. */
        p->answer = sim_engine_schedule (w->engine, now + s->timeout,
                                         SIM_CLASS_POD, answer_late, pod,
                                         ((gint64) pod->container_gen << 2)
                                             | type);
        return;
    }
    if (!pod->app_up || pod->dying) {
        result (w, pod, type, FALSE); /* connection refused */
        return;
    }
    if (w->sc->versions[pod->version].probe_path == SIM_PROBE_PATH_DEDICATED) {
        result (w, pod, type, TRUE);
        return;
    }
    if (!sim_traffic_probe (w, pod, type, s->timeout))
        result (w, pod, type, FALSE);
}

static void
tick (SimEngine *engine, gpointer obj, gint64 type)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimPod *pod = obj;
    SimPodProbe *p = &pod->probe[type];

    p->tick = sim_engine_after (engine, spec (w, pod, (gint) type)->period,
                                SIM_CLASS_POD, tick, pod, type);
    probe (w, pod, (gint) type);
}

/* The readiness refresh a second after the container starts. */
static void
manual_trigger (SimEngine *engine, gpointer obj, gint64 gen)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimPod *pod = obj;

    if ((guint) gen == pod->container_gen && pod->phase != SIM_POD_READY)
        probe (w, pod, SIM_HEALTH_READINESS);
}

static void
hang (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimPod *pod = obj;

    pod->hang_timer = SIM_HANDLE_NONE;
    pod->hung = TRUE;
    /* Nothing it holds is answered; what is sent to it waits for the
     * client's timeout. */
    pod->accepting = SIM_ACCEPT_BLACKHOLE;
    sim_traffic_pod_stalled (w, pod);
    sim_world_log_pod (w, SIM_EVENT_CONTAINER_HUNG, pod,
                       "stopped answering (hang_after)");
}

/* --- Restarts ------------------------------------------------------------------ */

SimTime
sim_probes_restart_delay (SimTime *entry, SimTime *updated, SimTime exit)
{
    gboolean fresh = *entry == 0 || exit - *updated > 2 * RESTART_MAX;
    SimTime delay = fresh ? 0 : *entry;

    *entry = fresh ? RESTART_FIRST : MIN (2 * *entry, RESTART_MAX);
    *updated = exit + delay;
    return delay;
}

/* --- The pod's life ---------------------------------------------------------------- */

static void
start_workers (SimWorld *w, SimPod *pod)
{
    SimTime now = sim_engine_now (w->engine);

    for (gint k = 0; k < SIM_HEALTH_N; k++) {
        SimPodProbe *p = &pod->probe[k];
        SimTime period = spec (w, pod, k)->period;

        if (period == SIM_TIME_NEVER || p->tick != SIM_HANDLE_NONE)
            continue;
        if (p->phase < 0)
            p->phase = (SimTime) sim_rng_below (
                &w->rng_probes, (guint32) MIN (period, G_MAXUINT32));
        /* The first tick at or after now on the worker's grid. */
        p->tick = sim_engine_schedule (
            w->engine, now + (p->phase - now % period + period) % period,
            SIM_CLASS_POD, tick, pod, k);
    }
}

void
sim_probes_pod_added (SimWorld *w, SimPod *pod)
{
    for (gint k = 0; k < SIM_HEALTH_N; k++)
        pod->probe[k].phase = -1;
    if (sim_probes_enabled (w->sc, pod->version))
        start_workers (w, pod);
}

void
sim_probes_container_started (SimWorld *w, SimPod *pod)
{
    const SimVersionSpec *v = &w->sc->versions[pod->version];
    SimTime now = sim_engine_now (w->engine);

    pod->container_gen++;
    pod->app_up = FALSE;
    pod->hung = FALSE;
    pod->dying = FALSE;
    pod->started = !has (w, pod, SIM_HEALTH_STARTUP);
    /* Refused until the app listens. */
    pod->accepting = SIM_ACCEPT_NO;
    for (gint k = 0; k < SIM_HEALTH_N; k++) {
        SimPodProbe *p = &pod->probe[k];

        sim_engine_cancel (w->engine, p->answer);
        p->answer = SIM_HANDLE_NONE;
        p->last = -1;
        p->run = 0;
        p->in_flight = p->again = p->hold = FALSE;
    }
    start_workers (w, pod);
    if (has (w, pod, SIM_HEALTH_READINESS))
        sim_engine_schedule (w->engine, now + SIM_SEC, SIM_CLASS_POD,
                             manual_trigger, pod, pod->container_gen);
    sim_engine_cancel (w->engine, pod->hang_timer);
    pod->hang_timer = SIM_HANDLE_NONE;
    if (v->hang_after.kind != SIM_DIST_NEVER)
        pod->hang_timer = sim_engine_schedule (
            w->engine, now + sim_dist_sample (&v->hang_after, &w->rng_hang),
            SIM_CLASS_POD, hang, pod, 0);
}

void
sim_probes_warm (SimWorld *w, SimPod *pod)
{
    if (!sim_probes_enabled (w->sc, pod->version))
        return;
    sim_probes_pod_added (w, pod);
    sim_probes_container_started (w, pod);
    pod->started = TRUE;
    pod->app_up = TRUE;
    pod->accepting = SIM_ACCEPT_YES;
    if (has (w, pod, SIM_HEALTH_READINESS)) {
        pod->probe[SIM_HEALTH_READINESS].last = 1;
        pod->probe[SIM_HEALTH_READINESS].run = 1;
    }
}

void
sim_probes_app_up (SimWorld *w, SimPod *pod)
{
    if (!pod->hung)
        pod->accepting = SIM_ACCEPT_YES;
    pod->app_up = TRUE;
    /* Without a readiness probe the container is ready once started. */
    if (!has (w, pod, SIM_HEALTH_READINESS) && pod->started)
        sim_pod_set_ready (w, pod, TRUE);
}

void
sim_probes_stop (SimWorld *w, SimPod *pod)
{
    for (gint k = 0; k < SIM_HEALTH_N; k++) {
        SimPodProbe *p = &pod->probe[k];

        sim_engine_cancel (w->engine, p->tick);
        sim_engine_cancel (w->engine, p->answer);
        p->tick = p->answer = SIM_HANDLE_NONE;
        p->in_flight = p->again = FALSE;
    }
    sim_engine_cancel (w->engine, pod->hang_timer);
    pod->hang_timer = SIM_HANDLE_NONE;
}
