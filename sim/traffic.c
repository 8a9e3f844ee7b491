/* traffic.c - user traffic: arrivals, routing through the Service, a pod's
 * queue and servers, and every request's outcome.
 *
 * Open-loop arrivals (Poisson, or evenly spaced) at the scenario's rate or
 * a piecewise-constant rate profile.  Each request is routed to a pod the
 * load balancers know; the pod serves `concurrency` at a time and queues
 * up to `queue` more.  Outcomes (docs/design.md 4): ok; app_error (the
 * version's error_rate); no_endpoint; refused (the pod is gone or no
 * longer accepts); rejected (queue full); killed (held when the grace
 * period ended); timeout (the client gave up; the server still finishes
 * the work, as a real one does when nobody tells it).
 *
 * This is the hot path.  Requests come from a pool with a free list and
 * events from the engine's pool: after warm-up nothing is allocated.
 * Invariant: every arrival is answered exactly once or is still
 * unanswered at the end (w->unanswered), overall and per version.
 */
#include <stdio.h>
#include "model.h"
#include "metrics.h"

/* --- Request pool ------------------------------------------------------- */

G_ALWAYS_INLINE static inline SimRequest *
request_alloc (SimWorld *w)
{
    SimRequest *r = w->free_requests;

    if (G_UNLIKELY (r == NULL)) {
        gint64 n = CLAMP (w->request_pool, SIM_REQUEST_CHUNK_MIN,
                          SIM_REQUEST_CHUNK);
        SimRequest *chunk = g_aligned_alloc0 ((gsize) n, sizeof *chunk,
                                              _Alignof(SimRequest));

        g_ptr_array_add (w->request_chunks, chunk);
        w->request_pool += n;
        for (gint64 i = 0; i < n - 1; i++)
            chunk[i].next = &chunk[i + 1];
        chunk[n - 1].next = NULL;
        r = chunk;
        /* The pool grows with the requests in flight: the budget's
         * measure (the run stops after this event if it is over). */
        sim_world_check_memory (w);
    }
    w->free_requests = r->next;
    return r;
}

static inline void
request_free (SimWorld *w, SimRequest *r)
{
    r->next = w->free_requests;
    w->free_requests = r;
}

/* --- Outcomes ------------------------------------------------------------ */

/* Feed the analysis probes open on @version (usually none). */
static inline void
probe_record (SimWorld *w, const SimPod *pod, gboolean ok, SimTime latency)
{
    guint32 mask = w->probe_mask[pod->version];

    while (mask != 0) {
        SimProbe *p = &w->probes[g_bit_nth_lsf (mask, -1)];

        mask &= mask - 1;
        if (p->owner != NULL && p->owner != pod->rs->owner)
            continue;
        p->requests++;
        if (ok) {
            p->ok++;
            sim_histogram_record (p->latency, latency);
        } else {
            p->errors++;
        }
    }
}

static inline void
answer_error (SimWorld *w, SimRequest *r, const SimPod *pod, SimCause cause,
              SimTraffic kind)
{
    sim_metrics_in_flight (w->metrics, sim_engine_now (w->engine), -1, kind);
    sim_metrics_error (w->metrics, pod != NULL ? pod->version : -1, cause,
                       kind);
    if (pod != NULL)
        probe_record (w, pod, FALSE, 0);
    if (r != NULL)
        r->answered = TRUE;
}

static inline void
answer_served (SimWorld *w, SimRequest *r)
{
    SimTime now = sim_engine_now (w->engine);

    sim_metrics_in_flight (w->metrics, now, -1, r->kind);
    r->answered = TRUE;
    if (r->kind == SIM_TRAFFIC_USER) {
        sim_metrics_user_answered (w->metrics, r->user, r->version);
        /* Detection is timed from the first user the new version
         * served. */
        if (r->version != w->sc->version_index
            && w->rollout.first_new_request < 0)
            w->rollout.first_new_request = now;
    }
    if (w->error_rate[r->version] > 0
        && sim_rng_bernoulli (&w->rng_errors, w->error_rate[r->version])) {
        sim_metrics_error (w->metrics, r->version, SIM_CAUSE_APP_ERROR,
                           r->kind);
        probe_record (w, r->pod, FALSE, 0);
        return;
    }
    sim_metrics_ok (w->metrics, r->version, now - r->arrival,
                    sim_rollout_during (&w->rollout), !w->rollout.started,
                    r->kind);
    probe_record (w, r->pod, TRUE, now - r->arrival);
}

/* The first waiting request of @pod (there is one), out of its ring. */
static inline SimRequest *
queue_pop (SimPod *pod)
{
    SimRequest *first = pod->qtail->next;

    if (first == pod->qtail)
        pod->qtail = NULL;
    else
        pod->qtail->next = first->next;
    return first;
}

static void on_timeout (SimEngine *engine, gpointer obj, gint64 arg);
static void on_done (SimEngine *engine, gpointer obj, gint64 arg);

static void
start_service (SimWorld *w, SimPod *pod, SimRequest *r, gint slot)
{
    SimTime now = sim_engine_now (w->engine);
    SimTime service, done;

    if (G_UNLIKELY (r->probe != 0)) {
        /* A probe's handler takes no time: it only waited for a slot. */
        pod->busy++;
        *sim_pod_slot (pod, slot) = r;
        r->next = NULL;
        r->slot = slot;
        r->done = sim_engine_schedule (w->engine, now, SIM_CLASS_DONE, on_done,
                                       r, (gint64) (gintptr) pod);
        return;
    }
    service = sim_dist_sample (&w->sc->versions[pod->version].service,
                               &w->rng_service);

    /* Throttled by its CPU limit: the work takes that much longer. */
    if (G_UNLIKELY (pod->slowdown > 1.0))
        service = (SimTime) ((double) service * pod->slowdown);
    done = now + service;

    sim_metrics_wait (w->metrics, now - r->arrival);
    pod->busy++;
    *sim_pod_slot (pod, slot) = r;
    r->next = NULL;
    r->slot = slot;
    /* The event names the pod too: on_done then loads the request's line
     * and the pod's side by side, not the one after the other. */
    r->done = sim_engine_schedule (w->engine, done, SIM_CLASS_DONE, on_done, r,
                                   (gint64) (gintptr) pod);
    /* The client gives up before the answer: it needs its own event. */
    if (!r->answered && r->deadline < done && r->timeout == SIM_HANDLE_NONE)
        r->timeout = sim_engine_schedule (w->engine, r->deadline,
                                          SIM_CLASS_TIMEOUT, on_timeout, r, 0);
}

static void
on_timeout (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimRequest *r = obj;

    r->timeout = SIM_HANDLE_NONE;
    if (G_UNLIKELY (r->probe != 0)) {
        r->answered = TRUE;
        sim_probes_answer (w, r->pod, r->probe - 1, FALSE);
        return;
    }
    answer_error (w, r, r->pod, SIM_CAUSE_TIMEOUT, r->kind);
}

static void
on_done (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimRequest *r = obj;
    SimPod *pod = (SimPod *) (gintptr) arg;
    gint slot = r->slot;
    guint8 probe = 0;

    pod->busy--;
    *sim_pod_slot (pod, slot) = NULL;
    if (r->timeout != SIM_HANDLE_NONE)
        sim_engine_cancel (engine, r->timeout);
    if (!r->answered) {
        if (G_UNLIKELY (r->probe != 0))
            probe = r->probe;
        else
            answer_served (w, r);
    }
    request_free (w, r);

    if (pod->qtail != NULL) {
        SimRequest *next = queue_pop (pod);

        /* The first waiting request takes the slot. */
        pod->queued--;
        start_service (w, pod, next, slot);
    } else {
        sim_pod_release_slot (pod, slot);
        if (pod->accepting == SIM_ACCEPT_NO && pod->busy == 0)
            sim_pod_drained (w, pod);
    }
    /* Last: the answer may start the next probe in a free slot. */
    if (G_UNLIKELY (probe != 0))
        sim_probes_answer (w, pod, probe - 1, TRUE);
}

/* --- Arrivals ------------------------------------------------------------- */

static void
enqueue (SimPod *pod, SimRequest *r)
{
    if (pod->qtail != NULL) {
        r->next = pod->qtail->next;
        pod->qtail->next = r;
    } else {
        r->next = r;
    }
    pod->qtail = r;
    pod->queued++;
}

/* A request sent to a pod on a node that is down: held, never served,
 * timed out by its client (or in flight at the end without a timeout). */
static void
hold_unanswered (SimWorld *w, SimPod *pod, SimTraffic kind, guint32 user)
{
    SimTime now = sim_engine_now (w->engine);
    SimRequest *r = request_alloc (w);

    r->pod = pod;
    r->arrival = now;
    r->deadline = w->sc->timeout == SIM_TIME_NEVER ? SIM_TIME_NEVER
                                                   : now + w->sc->timeout;
    r->done = SIM_HANDLE_NONE;
    r->timeout = SIM_HANDLE_NONE;
    r->version = (gint16) pod->version;
    r->answered = FALSE;
    r->kind = (guint8) kind;
    r->user = user;
    r->probe = 0;
    r->next = NULL;
    enqueue (pod, r);
    if (r->deadline != SIM_TIME_NEVER)
        r->timeout = sim_engine_schedule (w->engine, r->deadline,
                                          SIM_CLASS_TIMEOUT, on_timeout, r, 0);
}

/* Hand a request of @kind (user @user's) to @pod; NULL: no endpoint.
 * Inline: it is the arrival's path. */
G_ALWAYS_INLINE static inline void
deliver (SimWorld *w, SimPod *pod, SimTraffic kind, guint32 user)
{
    SimTime now = sim_engine_now (w->engine);
    SimRequest *r;
    gint q = w->sc->queue;

    sim_metrics_in_flight (w->metrics, now, +1, kind);
    if (pod == NULL) {
        sim_metrics_arrival (w->metrics, -1, kind);
        answer_error (w, NULL, NULL, SIM_CAUSE_NO_ENDPOINT, kind);
        return;
    }
    sim_metrics_arrival (w->metrics, pod->version, kind);
    if (G_UNLIKELY (pod->accepting != SIM_ACCEPT_YES)) {
        if (pod->accepting == SIM_ACCEPT_NO) {
            answer_error (w, NULL, pod, SIM_CAUSE_REFUSED, kind);
            return;
        }
        /* Its node is down: nothing answers; the client times out. */
        hold_unanswered (w, pod, kind, user);
        return;
    }
    if (pod->busy >= w->sc->concurrency && q >= 0 && pod->queued >= q) {
        answer_error (w, NULL, pod, SIM_CAUSE_REJECTED, kind);
        return;
    }

    pod->accepted++; /* its CPU (resource-use.c) */
    r = request_alloc (w);
    r->pod = pod;
    r->arrival = now;
    r->deadline = w->sc->timeout == SIM_TIME_NEVER ? SIM_TIME_NEVER
                                                   : now + w->sc->timeout;
    r->done = SIM_HANDLE_NONE;
    r->timeout = SIM_HANDLE_NONE;
    r->version = (gint16) pod->version;
    r->answered = FALSE;
    r->kind = (guint8) kind;
    r->user = user;
    r->probe = 0;
    r->next = NULL;

    if (pod->busy < w->sc->concurrency) {
        start_service (w, pod, r, sim_pod_take_slot (pod));
        return;
    }
    enqueue (pod, r);
    if (r->deadline != SIM_TIME_NEVER)
        r->timeout = sim_engine_schedule (w->engine, r->deadline,
                                          SIM_CLASS_TIMEOUT, on_timeout, r, 0);
}

static void
route_request (SimWorld *w, SimServiceId svc)
{
    SimTraffic kind = svc == SIM_SERVICE_PREVIEW ? SIM_TRAFFIC_PREVIEW
                                                 : SIM_TRAFFIC_USER;
    /* Every user request belongs to a user, from a stream of its own;
     * smoke tests have none. */
    guint32 user = kind == SIM_TRAFFIC_USER
                       ? sim_rng_below (&w->rng_users, (guint32) w->sc->users)
                       : 0;
    SimPod *pod = sim_service_route (w, svc, user);

    deliver (w, pod, kind, user);
    /* A mesh's mirror: a copy for the canary, its answer dropped. */
    if (G_UNLIKELY (w->mirror_pod != NULL)) {
        SimPod *copy = w->mirror_pod;

        w->mirror_pod = NULL;
        deliver (w, copy, SIM_TRAFFIC_MIRROR, user);
    }
}

gboolean
sim_traffic_probe (SimWorld *w, SimPod *pod, gint type, SimTime timeout)
{
    SimTime now = sim_engine_now (w->engine);
    gint q = w->sc->queue;
    SimRequest *r;

    if (pod->accepting != SIM_ACCEPT_YES
        || (pod->busy >= w->sc->concurrency && q >= 0 && pod->queued >= q))
        return FALSE;
    r = request_alloc (w);
    r->pod = pod;
    r->arrival = now;
    r->deadline = now + timeout;
    r->done = SIM_HANDLE_NONE;
    r->version = (gint16) pod->version;
    r->answered = FALSE;
    r->kind = SIM_TRAFFIC_USER; /* unused: a probe is counted nowhere */
    r->user = 0;
    r->probe = (guint8) (type + 1);
    r->next = NULL;
    /* Its own deadline always: the kubelet's client gives up. */
    r->timeout = sim_engine_schedule (w->engine, r->deadline, SIM_CLASS_TIMEOUT,
                                      on_timeout, r, 0);
    if (pod->busy < w->sc->concurrency) {
        start_service (w, pod, r, sim_pod_take_slot (pod));
        return TRUE;
    }
    enqueue (pod, r);
    return TRUE;
}

/* Schedule the next arrival of Service @svc after the previous one.
 * Arrival times are kept exact (in double microseconds) and rounded only
 * when scheduled, so rounding never biases the rate.  With a rate profile,
 * an arrival that would fall past the next change of rate is drawn again
 * from the change (exact for Poisson arrivals: they are memoryless). */
static void on_arrival (SimEngine *engine, gpointer obj, gint64 svc);

static void
schedule_arrival (SimWorld *w, SimServiceId svc)
{
    const SimScenario *sc = w->sc;
    SimRng *rng = svc == SIM_SERVICE_PREVIEW ? &w->rng_preview
                                             : &w->rng_arrivals;
    double *clock = &w->arrival_clock[svc];

    for (;;) {
        double rate = svc == SIM_SERVICE_PREVIEW ? w->preview_rate
                                                 : w->profile_rate;
        double change = G_MAXDOUBLE, gap;

        if (svc == SIM_SERVICE_ACTIVE && w->profile_next < sc->n_profile_steps)
            change = (double) sc->profile_steps[w->profile_next].time;
        if (rate <= 0)
            gap = G_MAXDOUBLE;
        else if (sc->arrivals == SIM_ARRIVALS_UNIFORM)
            gap = 1e6 / rate;
        else
            gap = sim_rng_exp (rng, 1e6 / rate);
        if (gap < G_MAXDOUBLE && *clock + gap < change) {
            *clock += gap;
            if (*clock <= (double) sc->duration)
                w->arrival_event[svc] = sim_engine_schedule (
                    w->engine, (SimTime) (*clock + 0.5), SIM_CLASS_ARRIVAL,
                    on_arrival, w, svc);
            return;
        }
        if (change == G_MAXDOUBLE)
            return; /* no traffic from here on */
        /* The rate changes first: restart the draw there. */
        w->profile_rate = sc->profile_steps[w->profile_next].rate;
        w->profile_next++;
        *clock = change;
    }
}

static void
on_arrival (SimEngine *engine, gpointer obj, gint64 svc)
{
    SimWorld *w = obj;

    route_request (w, (SimServiceId) svc);
    schedule_arrival (w, (SimServiceId) svc);
    sim_service_prefetch (w, (SimServiceId) svc);
}

/* --- Pods going away -------------------------------------------------------- */

void
sim_traffic_pod_killed (SimWorld *w, SimPod *pod)
{
    for (gint i = 0; i < w->sc->concurrency; i++) {
        SimRequest *r = *sim_pod_slot (pod, i);

        if (r == NULL)
            continue;
        sim_engine_cancel (w->engine, r->done);
        if (r->timeout != SIM_HANDLE_NONE)
            sim_engine_cancel (w->engine, r->timeout);
        if (!r->answered && !r->probe)
            answer_error (w, r, r->pod, SIM_CAUSE_KILLED, r->kind);
        sim_pod_release_slot (pod, i);
        request_free (w, r);
    }
    while (pod->qtail != NULL) {
        SimRequest *r = queue_pop (pod);

        if (r->timeout != SIM_HANDLE_NONE)
            sim_engine_cancel (w->engine, r->timeout);
        if (!r->answered && !r->probe)
            answer_error (w, r, r->pod, SIM_CAUSE_KILLED, r->kind);
        request_free (w, r);
    }
    pod->busy = 0;
    pod->queued = 0;
}

void
sim_traffic_pod_stalled (SimWorld *w, SimPod *pod)
{
    for (gint i = 0; i < w->sc->concurrency; i++) {
        SimRequest *r = *sim_pod_slot (pod, i);

        if (r == NULL)
            continue;
        /* The answer never comes; the client's timeout still does. */
        sim_engine_cancel (w->engine, r->done);
        r->done = SIM_HANDLE_NONE;
        if (!r->answered && r->timeout == SIM_HANDLE_NONE
            && r->deadline != SIM_TIME_NEVER)
            r->timeout = sim_engine_schedule (w->engine, r->deadline,
                                              SIM_CLASS_TIMEOUT, on_timeout, r,
                                              0);
    }
}

/* --- Lifecycle ------------------------------------------------------------------ */

void
sim_traffic_init (SimWorld *w)
{
    w->request_chunks = g_ptr_array_new_with_free_func (g_aligned_free);
    w->profile_rate = w->sc->rate;
}

void
sim_traffic_clear (SimWorld *w)
{
    g_clear_pointer (&w->request_chunks, g_ptr_array_unref);
}

void
sim_traffic_set_rate (SimWorld *w, double rate)
{
    SimServiceId svc = SIM_SERVICE_ACTIVE;

    /* Arrivals are memoryless: the next one is drawn again from now. */
    sim_engine_cancel (w->engine, w->arrival_event[svc]);
    w->arrival_event[svc] = SIM_HANDLE_NONE;
    w->profile_rate = rate;
    w->profile_next = w->sc->n_profile_steps;
    w->arrival_clock[svc] = (double) sim_engine_now (w->engine);
    schedule_arrival (w, svc);
}

void
sim_world_set_preview_rate (SimWorld *w, double rate)
{
    SimServiceId svc = SIM_SERVICE_PREVIEW;

    if (rate == w->preview_rate)
        return;
    sim_engine_cancel (w->engine, w->arrival_event[svc]);
    w->arrival_event[svc] = SIM_HANDLE_NONE;
    w->preview_rate = rate;
    w->arrival_clock[svc] = (double) sim_engine_now (w->engine);
    schedule_arrival (w, svc);
}

void
sim_traffic_start (SimWorld *w)
{
    schedule_arrival (w, SIM_SERVICE_ACTIVE);
    if (w->preview_rate > 0)
        schedule_arrival (w, SIM_SERVICE_PREVIEW);
}
