/* resource-use.c - what the pods' containers use (CPU, memory), CFS
 * throttling under a CPU limit, and the metrics pipeline that shows it
 * to the HPA.
 *
 * A running container uses cpu_idle, plus cpu_startup for the first
 * startup_cpu_duration after it starts, plus cpu_per_request for every
 * request it takes.  The request path only counts (pod->accepted++); the
 * CPU is accounted from that counter when someone looks: the metrics
 * pipeline's scrapes, the timeseries samples, the throttle tick.  So the
 * cost is per sample and per pod, never per request.
 *
 * Under deployment.cpu_limit a container that wants more CPU than its
 * limit gets the limit (the kernel's CFS quota), and its work takes that
 * much longer: every second the tick measures the demand of the second
 * before and sets the factor its service times are stretched by (1 when
 * under the limit).
 *
 * The metrics pipeline is metrics-server's (kubernetes-sigs/metrics-
 * server pkg/storage): every metrics_resolution it scrapes each
 * container's cumulative CPU, keeps the last two points, and reports the
 * rate between them, stamped with the newer one's time and the window
 * between them.  A container seen for the first time 10 s or more (but
 * less than one resolution) after it started gets its start, at 0, as
 * the earlier point; a younger one has no metric until the next scrape.
 * Memory is the working set at the last scrape.  A restarted container
 * starts over.
 */
#include <math.h>
#include "model.h"
#include "hpa.h"

/* metrics-server's freshContainerMinMetricsResolution. */
#define FRESH_CONTAINER_MIN (10 * SIM_SEC)
/* The throttle tick: CFS settles quotas every 100 ms; a second is fine
 * grain for a rollout. */
#define THROTTLE_TICK SIM_SEC

gboolean
sim_usage_enabled (const SimWorld *w)
{
    return w->usage_on;
}

static gboolean
running (const SimPod *pod)
{
    return pod->container_up && pod->phase != SIM_POD_GONE;
}

/* CPU of @pod from pod->cpu_at to @now (millicore-microseconds); the
 * demand, before any limit. */
static double
demand (const SimWorld *w, const SimPod *pod, SimTime now)
{
    const SimVersionSpec *v = &w->sc->versions[pod->version];
    double dt = (double) (now - pod->cpu_at);
    double d = (double) v->cpu_idle * dt;

    if (v->cpu_startup > 0) {
        SimTime end = pod->container_start + v->startup_cpu_duration;
        SimTime from = MAX (pod->cpu_at, pod->container_start);
        SimTime to = MIN (now, end);

        if (to > from)
            d += (double) v->cpu_startup * (double) (to - from);
    }
    /* A request's CPU time in microseconds of one core is that many
     * thousand millicore-microseconds. */
    d += (double) (pod->accepted - pod->cpu_accepted)
         * (double) v->cpu_per_request * 1000.0;
    return d;
}

static void
advance (SimWorld *w, SimPod *pod, SimTime now)
{
    double d;

    if (!running (pod) || now <= pod->cpu_at)
        return;
    d = demand (w, pod, now);
    if (w->sc->cpu_limit >= 0)
        d = MIN (d, (double) w->sc->cpu_limit * (double) (now - pod->cpu_at));
    pod->cpu_used += d;
    w->cpu_total += d;
    pod->cpu_at = now;
    pod->cpu_accepted = pod->accepted;
}

void
sim_usage_container_started (SimWorld *w, SimPod *pod)
{
    SimTime now = sim_engine_now (w->engine);

    pod->container_start = now;
    pod->cpu_at = now;
    pod->cpu_accepted = pod->accepted;
    pod->tick_accepted = pod->accepted;
    pod->cpu_used = 0;
    pod->scrapes = 0;
    pod->slowdown = 1.0;
}

void
sim_usage_container_stopped (SimWorld *w, SimPod *pod)
{
    if (!pod->container_up)
        return;
    if (w->usage_on)
        advance (w, pod, sim_engine_now (w->engine));
    pod->scrapes = 0;
    pod->slowdown = 1.0;
}

double
sim_usage_sample (SimWorld *w)
{
    SimTime now = sim_engine_now (w->engine);
    double cores;

    if (!w->usage_on)
        return NAN;
    for (guint i = 0; i < w->pods->len; i++)
        advance (w, g_ptr_array_index (w->pods, i), now);
    if (w->cpu_marked_at < 0 || now <= w->cpu_marked_at) {
        cores = w->cpu_marked_at < 0 ? NAN : 0.0;
    } else {
        /* millicore-microseconds per microsecond, in cores. */
        cores = (w->cpu_total - w->cpu_marked)
                / (double) (now - w->cpu_marked_at) / 1000.0;
    }
    w->cpu_marked = w->cpu_total;
    w->cpu_marked_at = now;
    return cores;
}

/* --- Throttling ------------------------------------------------------------- */

static void
throttle_tick (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;
    SimTime now = sim_engine_now (engine);
    const double limit = (double) w->sc->cpu_limit;

    for (guint i = 0; i < w->pods->len; i++) {
        SimPod *pod = g_ptr_array_index (w->pods, i);
        const SimVersionSpec *v = &w->sc->versions[pod->version];
        double want;

        if (!running (pod))
            continue;
        /* The demand of the last tick, in millicores. */
        want = (double) v->cpu_idle
               + (double) (pod->accepted - pod->tick_accepted)
                     * (double) v->cpu_per_request * 1000.0
                     / (double) THROTTLE_TICK;
        if (v->cpu_startup > 0
            && now - pod->container_start < v->startup_cpu_duration)
            want += (double) v->cpu_startup;
        pod->tick_accepted = pod->accepted;
        pod->slowdown = want > limit ? want / limit : 1.0;
    }
    sim_engine_after (engine, THROTTLE_TICK, SIM_CLASS_SAMPLE, throttle_tick, w,
                      0);
}

/* --- The metrics pipeline ------------------------------------------------------ */

void
sim_usage_scrape (SimWorld *w)
{
    SimTime now = sim_engine_now (w->engine);
    SimTime resolution = sim_hpa_metrics_resolution (w->sc);

    for (guint i = 0; i < w->pods->len; i++) {
        SimPod *pod = g_ptr_array_index (w->pods, i);
        SimPodScrape point;
        SimTime age;

        if (!running (pod))
            continue;
        advance (w, pod, now);
        point.at = now;
        point.cpu = pod->cpu_used;
        point.accepted = pod->accepted;
        age = now - pod->container_start;
        if (pod->scrapes == 0 && age >= FRESH_CONTAINER_MIN
            && age < resolution) {
            /* First seen young: its start is the earlier point. */
            pod->scrape[0].at = pod->container_start;
            pod->scrape[0].cpu = 0;
            pod->scrape[0].accepted = pod->cpu_accepted;
            pod->scrapes = 1;
        }
        pod->scrape[1] = pod->scrape[0];
        pod->scrape[0] = point;
        pod->scrapes = MIN (pod->scrapes + 1, 2);
    }
}

gboolean
sim_usage_pod_metric (const SimWorld *w, const SimPod *pod, gboolean requests,
                      gint64 *value, SimTime *timestamp, SimTime *window)
{
    const SimPodScrape *a = &pod->scrape[1], *b = &pod->scrape[0];
    double dt;

    if (!running (pod) || pod->scrapes < 2 || b->at <= a->at)
        return FALSE;
    dt = (double) (b->at - a->at);
    if (requests)
        /* requests per second, in milli-units */
        *value = (gint64) ceil ((double) (b->accepted - a->accepted) * 1e9
                                / dt);
    else
        /* millicore-microseconds over microseconds: millicores, rounded
         * up as Quantity.MilliValue does. */
        *value = (gint64) ceil (b->cpu - a->cpu > 0 ? (b->cpu - a->cpu) / dt
                                                    : 0.0);
    *timestamp = b->at;
    *window = b->at - a->at;
    return TRUE;
}

/* --- Set-up ------------------------------------------------------------------- */

void
sim_usage_init (SimWorld *w)
{
    const SimScenario *sc = w->sc;

    w->usage_on = sim_hpa_settings (sc) != NULL || sc->cpu_limit >= 0;
    for (gint v = 0; v < sc->n_versions; v++) {
        const SimVersionSpec *vs = &sc->versions[v];

        w->usage_on |= vs->cpu_per_request > 0 || vs->cpu_idle > 0
                       || vs->cpu_startup > 0 || vs->memory_usage > 0;
    }
    w->cpu_marked_at = -1;
    if (sc->cpu_limit >= 0)
        sim_engine_schedule (w->engine, 0, SIM_CLASS_SAMPLE, throttle_tick, w,
                             0);
}
