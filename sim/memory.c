/* memory.c - the memory budget: estimates before a run, measures during
 * it.  See memory.h.
 *
 * Costs are counted from the structures the run allocates: a GArray or
 * the engine's arrays double, so an array of n items costs its size
 * rounded up to a power of two; a string costs its length rounded up to
 * the allocator's 16 bytes, plus 16 of bookkeeping.  The figures are
 * estimates of the heap, close enough to stop a run long before the
 * machine would, and the same on every machine.
 */
#include <math.h>
#include <string.h>

#include "memory.h"
#include "model.h"
#include "metrics.h"

/* clang-format off */
G_DEFINE_QUARK (sim-memory-error-quark, sim_memory_error)
/* clang-format on */

/* Allocator bookkeeping of one block. */
#define BLOCK 16
/* Event-log rows a pod writes over its life: created, scheduled,
 * started, ready, available, endpoint added, terminating, endpoint
 * removed, gone. */
#define ROWS_PER_POD 9
/* The text of an estimated row: an object name, a version, a detail. */
#define ROW_TEXT (3 * (32 + BLOCK))

static gint64
pow2_bytes (gint64 bytes)
{
    gint64 p = 64;

    while (p < bytes && p < G_MAXINT64 / 2)
        p *= 2;
    return p;
}

gint64
sim_memory_total (const SimMemoryUse *use)
{
    gint64 sum = 0;

    for (gint i = 0; i < SIM_MEMORY_N_PARTS; i++)
        sum += use->bytes[i];
    return sum;
}

SimMemoryPart
sim_memory_largest (const SimMemoryUse *use)
{
    SimMemoryPart best = 0;

    for (gint i = 1; i < SIM_MEMORY_N_PARTS; i++)
        if (use->bytes[i] > use->bytes[best])
            best = i;
    return best;
}

char *
sim_memory_text (gint64 bytes)
{
    static const char *const units[] = { "bytes", "KiB", "MiB", "GiB",
                                         "TiB",   "PiB", "EiB" };
    double v = (double) bytes;
    guint u = 0;

    while (v >= 1024 && u + 1 < G_N_ELEMENTS (units)) {
        v /= 1024;
        u++;
    }
    return u == 0 ? g_strdup_printf ("%" G_GINT64_FORMAT " bytes", bytes)
                  : g_strdup_printf ("%.1f %s", v, units[u]);
}

/* --- What each thing costs -------------------------------------------------------- */

static gint64
pod_bytes (const SimScenario *sc)
{
    /* The pod (its first serving slots inside), the other slots and
     * the stack of their free indices, and its place in the pods
     * arrays. */
    gint64 more = MAX (sc->concurrency - SIM_POD_INLINE_SLOTS, 0);

    return (gint64) sizeof (SimPod) + BLOCK
           + more * (gint64) (sizeof (SimRequest *) + sizeof (gint32))
           + 2 * BLOCK + 4 * (gint64) sizeof (gpointer);
}

static gint64
series_bytes (const SimScenario *sc, gint64 rows)
{
    return pow2_bytes (rows * (gint64) sizeof (SimTimeseriesRow))
           + pow2_bytes (rows * sc->n_versions
                         * (gint64) sizeof (SimVersionRow));
}

/* @n requests in flight: each request, and the engine events of those
 * that wait on a clock (a timeout, or a completion: at most one each;
 * the engine's arrays double, so twice the entry) - the young ones, when
 * a timeout has fired for the rest, which a server still finishes. */
static double
requests_bytes (const SimScenario *sc, double n, double rate)
{
    double timed = sc->timeout == SIM_TIME_NEVER
                       ? MIN (n, (double) sc->replicas * sc->concurrency)
                       : MIN (n, rate * SIM_TIME_TO_SEC (sc->timeout)
                                     + (double) sc->replicas * sc->concurrency);

    return n * (double) sizeof (SimRequest)
           + timed * 2.0 * (double) sim_engine_event_bytes ();
}

/* --- Before the run --------------------------------------------------------------- */

/* Requests that pile up: over each stretch of constant rate, what
 * arrives beyond what @capacity (requests/s) serves, in requests. */
static double
pile_up (const SimScenario *sc, double capacity)
{
    double pile = 0, rate = sc->rate;
    SimTime from = 0;

    for (gint i = 0; i <= sc->n_profile_steps; i++) {
        SimTime to = i < sc->n_profile_steps
                         ? MIN (sc->profile_steps[i].time, sc->duration)
                         : sc->duration;

        if (to > from && rate > capacity)
            pile += (rate - capacity) * SIM_TIME_TO_SEC (to - from);
        if (i < sc->n_profile_steps) {
            from = MAX (from, to);
            rate = sc->profile_steps[i].rate;
        }
    }
    return pile;
}

static double
top_rate (const SimScenario *sc)
{
    double top = sc->rate;

    for (gint i = 0; i < sc->n_profile_steps; i++)
        top = MAX (top, sc->profile_steps[i].rate);
    return top;
}

void
sim_memory_estimate (const SimScenario *sc, SimMemoryUse *use)
{
    const SimVersionSpec *v = &sc->versions[sc->version_index];
    gint64 rows = sc->duration / sc->sample + 2;
    gint64 pods = (gint64) sc->replicas * (sc->has_rollout ? 2 : 1);
    double mean_s = SIM_TIME_TO_SEC (sim_dist_mean (&v->service));
    double capacity, requests;
    const char *g, *k;
    gint64 events;

    memset (use, 0, sizeof *use);
    use->count[SIM_MEMORY_SERIES] = rows;
    use->bytes[SIM_MEMORY_SERIES] = series_bytes (sc, rows);
    use->count[SIM_MEMORY_PODS] = pods;
    use->bytes[SIM_MEMORY_PODS] = pods * pod_bytes (sc);
    /* Rows: the pods', and what the strategies' modules expect (an
     * analysis measuring every interval until the run ends). */
    events = pods * ROWS_PER_POD + sim_scenario_expected_rows (sc, &g, &k);
    events = MIN (events, G_MAXINT64 / 1024);
    use->count[SIM_MEMORY_EVENTS] = events;
    use->bytes[SIM_MEMORY_EVENTS] = pow2_bytes (events
                                                * (gint64) sizeof (SimEventRow))
                                    + events * ROW_TEXT;

    /* Requests in flight: what the pods hold by Little's law, and what
     * piles up in the queues while the rate exceeds what they serve.  A
     * bounded queue bounds both. */
    capacity = mean_s > 0 ? sc->replicas * (double) sc->concurrency / mean_s
                          : INFINITY;
    requests = sc->replicas > 0 ? MIN (top_rate (sc) * mean_s,
                                       (double) sc->replicas * sc->concurrency)
                                      + pile_up (sc, capacity)
                                : 0;
    if (sc->queue >= 0)
        requests = MIN (requests,
                        (double) pods * (sc->concurrency + (double) sc->queue));
    requests = MIN (requests, 1e15);
    use->count[SIM_MEMORY_REQUESTS] = (gint64) requests;
    use->bytes[SIM_MEMORY_REQUESTS] = (gint64) requests_bytes (sc, requests,
                                                               top_rate (sc));
}

gboolean
sim_memory_check (const SimPlaces *pl, const SimScenario *sc, GError **error)
{
    SimMemoryUse use;
    gint64 total;
    g_autofree char *total_text = NULL;
    g_autofree char *budget_text = NULL;
    g_autofree char *part_text = NULL;
    SimMemoryPart part;

    sim_memory_estimate (sc, &use);
    total = sim_memory_total (&use);
    if (total <= sc->max_memory)
        return TRUE;
    part = sim_memory_largest (&use);
    total_text = sim_memory_text (total);
    budget_text = sim_units_format_memory (sc->max_memory);
    part_text = sim_memory_text (use.bytes[part]);
    switch (part) {
    case SIM_MEMORY_SERIES:
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_CONFLICT, "scenario", "sample",
            "a step giving fewer rows, or a larger scenario.max_memory",
            "%" G_GINT64_FORMAT " time-series rows of %d version(s) would "
            "hold %s (%s in all), over scenario.max_memory (%s)",
            use.count[part], sc->n_versions, part_text, total_text,
            budget_text);
    case SIM_MEMORY_EVENTS: {
        const char *g, *k;
        gint64 rows = sim_scenario_expected_rows (sc, &g, &k);
        g_autofree char *acc = NULL;

        /* A module's rows, when they are most of the log. */
        if (g == NULL || rows < use.count[SIM_MEMORY_EVENTS] / 2)
            goto pods;
        acc = g_strdup_printf ("a larger %s.%s, or a larger "
                               "scenario.max_memory",
                               g, k);
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_CONFLICT, g, k, acc,
            "about %" G_GINT64_FORMAT " event-log rows would hold %s (%s in "
            "all), over scenario.max_memory (%s)",
            use.count[part], part_text, total_text, budget_text);
    }
    case SIM_MEMORY_PODS:
    pods:
        /* Pods cost their serving slots: when those are most of it,
         * concurrency is the key to change. */
        if ((gint64) sc->concurrency
                * (gint64) (sizeof (SimRequest *) + sizeof (gint32))
            > (gint64) sizeof (SimPod))
            return sim_places_key_error (
                pl, error, SIM_SCENARIO_ERROR_CONFLICT, "deployment",
                "concurrency",
                "fewer serving slots, or a larger "
                "scenario.max_memory",
                "%" G_GINT64_FORMAT " pods of %d serving slots each would "
                "hold %s (%s in all), over scenario.max_memory (%s)",
                use.count[SIM_MEMORY_PODS], sc->concurrency, part_text,
                total_text, budget_text);
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_CONFLICT, "deployment", "replicas",
            "fewer replicas, or a larger scenario.max_memory",
            "%" G_GINT64_FORMAT " pods would hold %s (%s in all), over "
            "scenario.max_memory (%s)",
            use.count[SIM_MEMORY_PODS], part_text, total_text, budget_text);
    case SIM_MEMORY_REQUESTS:
    case SIM_MEMORY_N_PARTS:
        break;
    }
    return sim_places_key_error (
        pl, error, SIM_SCENARIO_ERROR_CONFLICT, "deployment", "queue",
        "a queue that bounds the requests in flight, a rate the pods can "
        "serve, or a larger scenario.max_memory",
        "about %" G_GINT64_FORMAT " requests would be in flight (%s, %s in "
        "all): traffic.rate exceeds what %d pod(s) serve and the queue does "
        "not bound them; over scenario.max_memory (%s)",
        use.count[SIM_MEMORY_REQUESTS], part_text, total_text, sc->replicas,
        budget_text);
}

/* --- During the run ---------------------------------------------------------------- */

void
sim_world_memory (const SimWorld *w, SimMemoryUse *use)
{
    const SimMetrics *m = w->metrics;
    gint64 pods;

    memset (use, 0, sizeof *use);
    /* A world being built (the cluster logs before traffic exists)
     * holds next to nothing yet. */
    if (w->pods == NULL || w->request_chunks == NULL)
        return;
    pods = w->pods->len;
    use->count[SIM_MEMORY_EVENTS] = sim_event_log_len (w->log);
    use->bytes[SIM_MEMORY_EVENTS] = (gint64) sim_event_log_bytes (w->log);
    use->count[SIM_MEMORY_SERIES] = m->timeseries->len;
    use->bytes[SIM_MEMORY_SERIES] = pow2_bytes (
                                        (gint64) m->timeseries->len
                                        * (gint64) sizeof (SimTimeseriesRow))
                                    + pow2_bytes (
                                        (gint64) m->versions->len
                                        * (gint64) sizeof (SimVersionRow));
    use->count[SIM_MEMORY_PODS] = pods;
    use->bytes[SIM_MEMORY_PODS] = pods * pod_bytes (w->sc);
    /* The pool's size: requests in flight, and those still queued after
     * their client gave up. */
    use->count[SIM_MEMORY_REQUESTS] = w->request_pool;
    use->bytes[SIM_MEMORY_REQUESTS] = w->request_pool
                                          * (gint64) sizeof (SimRequest)
                                      + (gint64) sim_engine_bytes (w->engine);
}

/* Which key bounds what grew, and the message. */
void
sim_memory_overrun (const SimWorld *w, const SimMemoryUse *use, GError **error)
{
    SimMemoryPart part = sim_memory_largest (use);
    g_autofree char *part_text = sim_memory_text (use->bytes[part]);
    g_autofree char *total_text = sim_memory_text (sim_memory_total (use));
    g_autofree char *budget = sim_units_format_memory (w->sc->max_memory);
    double t = SIM_TIME_TO_SEC (sim_engine_now (w->engine));
    const char *what = "", *keys = "";
    guint64 per_kind[SIM_EVENT_N_KINDS] = { 0 };
    guint top = 0;

    switch (part) {
    case SIM_MEMORY_EVENTS:
        for (guint k = 0; k < SIM_EVENT_N_KINDS; k++)
            per_kind[k] = sim_event_log_count (w->log, k);
        for (guint k = 1; k < SIM_EVENT_N_KINDS; k++)
            if (per_kind[k] > per_kind[top])
                top = k;
        what = "event-log rows";
        keys = g_str_has_prefix (sim_event_kind_name (top), "analysis")
                   ? "analysis.interval and analysis.count bound them"
               : g_str_has_prefix (sim_event_kind_name (top), "pod")
                   ? "deployment.replicas and version.NAME.crash_rate bound "
                     "them"
                   : "scenario.duration bounds them";
        break;
    case SIM_MEMORY_SERIES:
        what = "time-series rows";
        keys = "scenario.sample bounds them";
        break;
    case SIM_MEMORY_PODS:
        what = "pods";
        keys = "deployment.replicas and deployment.concurrency bound them";
        break;
    case SIM_MEMORY_REQUESTS:
    case SIM_MEMORY_N_PARTS:
        what = "the requests held (in flight, or queued after their client "
               "gave up)";
        keys = "deployment.queue bounds them (traffic.timeout does not: a "
               "server finishes what a client gave up on)";
        break;
    }
    g_set_error (error, SIM_MEMORY_ERROR, SIM_MEMORY_ERROR_BUDGET,
                 "%s: the run stopped at t=%.3fs: %s grew to %" G_GINT64_FORMAT
                 "%s%s (%s, %s in all), over scenario.max_memory (%s); %s",
                 w->sc->path, t, what, use->count[part],
                 part == SIM_MEMORY_EVENTS ? ", mostly " : "",
                 part == SIM_MEMORY_EVENTS ? sim_event_kind_name (top) : "",
                 part_text, total_text, budget, keys);
}
