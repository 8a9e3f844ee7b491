/* traffic.c - user traffic: arrivals, routing through the Service, a pod's
 * queue and servers, and every request's outcome.
 *
 * Open-loop arrivals (Poisson, or evenly spaced) at the scenario's rate or
 * a piecewise-constant rate profile.  Each request is routed to a pod the
 * load balancers know; the pod serves `concurrency` at a time and queues
 * up to `queue` more.  Outcomes (DESIGN.md section 4): ok; app_error (the
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
#include <csv.h>
#include "metrics.h"

#define REQUEST_CHUNK 4096

/* --- Request pool ------------------------------------------------------- */

static SimRequest *
request_alloc (SimWorld *w)
{
    SimRequest *r = w->free_requests;

    if (G_UNLIKELY (r == NULL)) {
        SimRequest *chunk = g_new0 (SimRequest, REQUEST_CHUNK);

        g_ptr_array_add (w->request_chunks, chunk);
        for (gint i = 0; i < REQUEST_CHUNK - 1; i++)
            chunk[i].next = &chunk[i + 1];
        chunk[REQUEST_CHUNK - 1].next = NULL;
        r = chunk;
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
probe_record (SimWorld *w, gint version, gboolean ok, SimTime latency)
{
    guint32 mask = w->probe_mask[version];

    while (mask != 0) {
        SimProbe *p = &w->probes[g_bit_nth_lsf (mask, -1)];

        mask &= mask - 1;
        p->requests++;
        if (ok) {
            p->ok++;
            sim_histogram_record (&p->latency, latency);
        } else {
            p->errors++;
        }
    }
}

static inline void
answer_error (SimWorld *w, SimRequest *r, gint version, SimCause cause,
              gboolean preview)
{
    sim_metrics_in_flight (w->metrics, sim_engine_now (w->engine), -1,
                           preview);
    sim_metrics_error (w->metrics, version, cause, preview);
    if (version >= 0)
        probe_record (w, version, FALSE, 0);
    if (r != NULL)
        r->answered = TRUE;
}

static inline void
answer_served (SimWorld *w, SimRequest *r)
{
    SimTime now = sim_engine_now (w->engine);
    const SimVersionSpec *ver = &w->sc->versions[r->version];

    sim_metrics_in_flight (w->metrics, now, -1, r->preview);
    r->answered = TRUE;
    /* Detection is timed from the first user the new version served. */
    if (!r->preview && r->version != w->sc->version_index
        && w->first_new_request < 0)
        w->first_new_request = now;
    if (ver->error_rate > 0 && sim_rng_bernoulli (&w->rng_errors,
                                                  ver->error_rate)) {
        sim_metrics_error (w->metrics, r->version, SIM_CAUSE_APP_ERROR,
                           r->preview);
        probe_record (w, r->version, FALSE, 0);
        return;
    }
    sim_metrics_ok (w->metrics, r->version, now - r->arrival,
                    w->rollout_started && w->rollout_end < 0,
                    !w->rollout_started, r->preview);
    probe_record (w, r->version, TRUE, now - r->arrival);
}

static void on_timeout (SimEngine *engine, gpointer obj, gint64 arg);
static void on_done    (SimEngine *engine, gpointer obj, gint64 arg);

static void
start_service (SimWorld *w, SimPod *pod, SimRequest *r, gint slot)
{
    SimTime now = sim_engine_now (w->engine);
    SimTime done = now + sim_dist_sample (&w->sc->versions[pod->version]
                                          .service, &w->rng_service);

    sim_metrics_wait (w->metrics, now - r->arrival);
    pod->busy++;
    pod->serving[slot] = r;
    r->next = NULL;
    r->done = sim_engine_schedule (w->engine, done, SIM_CLASS_DONE, on_done,
                                   r, slot);
    /* The client gives up before the answer: it needs its own event. */
    if (!r->answered && r->deadline < done && r->timeout == SIM_HANDLE_NONE)
        r->timeout = sim_engine_schedule (w->engine, r->deadline,
                                          SIM_CLASS_TIMEOUT, on_timeout, r,
                                          0);
}

static void
on_timeout (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimRequest *r = obj;

    r->timeout = SIM_HANDLE_NONE;
    answer_error (w, r, r->version, SIM_CAUSE_TIMEOUT, r->preview);
}

static void
on_done (SimEngine *engine, gpointer obj, gint64 slot)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimRequest *r = obj;
    SimPod *pod = r->pod;

    pod->busy--;
    pod->serving[slot] = NULL;
    if (r->timeout != SIM_HANDLE_NONE)
        sim_engine_cancel (engine, r->timeout);
    if (!r->answered)
        answer_served (w, r);
    request_free (w, r);

    if (pod->qhead != NULL) {
        SimRequest *next = pod->qhead;

        pod->qhead = next->next;
        if (pod->qhead == NULL)
            pod->qtail = NULL;
        pod->queued--;
        start_service (w, pod, next, (gint) slot);
    } else if (!pod->accepting && pod->busy == 0) {
        sim_pod_drained (w, pod);
    }
}

/* --- Arrivals ------------------------------------------------------------- */

static void
route_request (SimWorld *w, SimServiceId svc)
{
    SimTime now = sim_engine_now (w->engine);
    SimPod *pod = sim_service_route (w, svc);
    SimRequest *r;
    gint q = w->sc->queue;
    gboolean preview = svc == SIM_SERVICE_PREVIEW;

    sim_metrics_in_flight (w->metrics, now, +1, preview);
    if (pod == NULL) {
        sim_metrics_arrival (w->metrics, -1, preview);
        answer_error (w, NULL, -1, SIM_CAUSE_NO_ENDPOINT, preview);
        return;
    }
    sim_metrics_arrival (w->metrics, pod->version, preview);
    pod->routed++;
    if (!pod->accepting) {
        answer_error (w, NULL, pod->version, SIM_CAUSE_REFUSED, preview);
        return;
    }
    if (pod->busy >= w->sc->concurrency && q >= 0 && pod->queued >= q) {
        answer_error (w, NULL, pod->version, SIM_CAUSE_REJECTED, preview);
        return;
    }

    r = request_alloc (w);
    r->pod = pod;
    r->arrival = now;
    r->deadline = w->sc->timeout == SIM_TIME_NEVER ? SIM_TIME_NEVER
                                                   : now + w->sc->timeout;
    r->done = SIM_HANDLE_NONE;
    r->timeout = SIM_HANDLE_NONE;
    r->version = (gint16) pod->version;
    r->answered = FALSE;
    r->preview = preview;
    r->next = NULL;

    if (pod->busy < w->sc->concurrency) {
        gint slot = 0;

        while (pod->serving[slot] != NULL)
            slot++;
        start_service (w, pod, r, slot);
        return;
    }
    if (pod->qtail != NULL)
        pod->qtail->next = r;
    else
        pod->qhead = r;
    pod->qtail = r;
    pod->queued++;
    if (r->deadline != SIM_TIME_NEVER)
        r->timeout = sim_engine_schedule (w->engine, r->deadline,
                                          SIM_CLASS_TIMEOUT, on_timeout, r, 0);
}

typedef struct {
    SimTime time;
    double  rate;
} ProfileStep;

/* Schedule the next arrival after @from for Service @svc.  With a rate
 * profile, an arrival that would fall past the next change of rate is
 * drawn again from the change (exact for Poisson: it is memoryless). */
static void on_arrival (SimEngine *engine, gpointer obj, gint64 svc);

static void
schedule_arrival (SimWorld *w, SimServiceId svc, SimTime from)
{
    for (;;) {
        double rate = svc == SIM_SERVICE_PREVIEW ? w->sc->preview_rate
                                                 : w->profile_rate;
        SimTime change = SIM_TIME_NEVER, gap;
        SimRng *rng = svc == SIM_SERVICE_PREVIEW ? &w->rng_preview
                                                 : &w->rng_arrivals;

        if (svc == SIM_SERVICE_ACTIVE && w->profile != NULL
            && w->profile_next < w->profile->len)
            change = g_array_index (w->profile, ProfileStep,
                                    w->profile_next).time;
        if (rate <= 0) {
            if (change == SIM_TIME_NEVER)
                return;
            gap = SIM_TIME_NEVER;
        } else if (w->sc->arrivals == SIM_ARRIVALS_UNIFORM) {
            gap = (SimTime) (1e6 / rate + 0.5);
        } else {
            gap = (SimTime) (sim_rng_exp (rng, 1e6 / rate) + 0.5);
        }
        if (gap != SIM_TIME_NEVER && (change == SIM_TIME_NEVER
                                      || from + gap < change)) {
            sim_engine_schedule (w->engine, from + gap, SIM_CLASS_ARRIVAL,
                                 on_arrival, w, svc);
            return;
        }
        /* The rate changes first: restart the draw there. */
        w->profile_rate = g_array_index (w->profile, ProfileStep,
                                         w->profile_next).rate;
        w->profile_next++;
        from = change;
    }
}

static void
on_arrival (SimEngine *engine, gpointer obj, gint64 svc)
{
    SimWorld *w = obj;

    route_request (w, (SimServiceId) svc);
    schedule_arrival (w, (SimServiceId) svc, sim_engine_now (engine));
}

/* --- Pods going away -------------------------------------------------------- */

void
sim_traffic_pod_killed (SimWorld *w, SimPod *pod)
{
    for (gint i = 0; i < w->sc->concurrency; i++) {
        SimRequest *r = pod->serving[i];

        if (r == NULL)
            continue;
        sim_engine_cancel (w->engine, r->done);
        if (r->timeout != SIM_HANDLE_NONE)
            sim_engine_cancel (w->engine, r->timeout);
        if (!r->answered)
            answer_error (w, r, r->version, SIM_CAUSE_KILLED, r->preview);
        pod->serving[i] = NULL;
        request_free (w, r);
    }
    while (pod->qhead != NULL) {
        SimRequest *r = pod->qhead;

        pod->qhead = r->next;
        if (r->timeout != SIM_HANDLE_NONE)
            sim_engine_cancel (w->engine, r->timeout);
        if (!r->answered)
            answer_error (w, r, r->version, SIM_CAUSE_KILLED, r->preview);
        request_free (w, r);
    }
    pod->qtail = NULL;
    pod->busy = 0;
    pod->queued = 0;
}

/* --- Rate profile ------------------------------------------------------------ */

typedef struct {
    GArray     *steps;
    const char *path;
    guint       line, field;
    double      time, rate;
    gboolean    header_done;
    GError     *error;
} ProfileReader;

static void
profile_field (void *data, size_t len, void *user)
{
    ProfileReader *pr = user;
    g_autofree char *text = g_strndup (data, len);
    char *end = NULL;
    double value;

    if (pr->error != NULL)
        return;
    g_strstrip (text);
    value = g_ascii_strtod (text, &end);
    if (pr->line == 0 && (end == text || *end != '\0')) {
        pr->header_done = TRUE;         /* a header row: time_s,rate */
        pr->field++;
        return;
    }
    if (end == text || *end != '\0' || value < 0) {
        g_set_error (&pr->error, SIM_SCENARIO_ERROR,
                     SIM_SCENARIO_ERROR_INVALID,
                     "%s:%u: traffic.profile: \"%s\" is not a non-negative "
                     "number (accepted: rows of time_s,rate)", pr->path,
                     pr->line + 1, text);
        return;
    }
    if (pr->field == 0)
        pr->time = value;
    else if (pr->field == 1)
        pr->rate = value;
    pr->field++;
}

static void
profile_row (int c, void *user)
{
    ProfileReader *pr = user;

    if (pr->error == NULL && !(pr->line == 0 && pr->header_done)) {
        ProfileStep step = { (SimTime) (pr->time * 1e6 + 0.5), pr->rate };

        if (pr->field != 2)
            g_set_error (&pr->error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID,
                         "%s:%u: traffic.profile: expected 2 fields, found %u "
                         "(accepted: rows of time_s,rate)", pr->path,
                         pr->line + 1, pr->field);
        else if (pr->steps->len > 0
                 && step.time <= g_array_index (pr->steps, ProfileStep,
                                                pr->steps->len - 1).time)
            g_set_error (&pr->error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID,
                         "%s:%u: traffic.profile: times must increase",
                         pr->path, pr->line + 1);
        else
            g_array_append_val (pr->steps, step);
    }
    pr->line++;
    pr->field = 0;
}

static GArray *
profile_load (const char *path, GError **error)
{
    ProfileReader pr = { .path = path };
    struct csv_parser p;
    g_autofree char *text = NULL;
    gsize len;

    if (!g_file_get_contents (path, &text, &len, error)) {
        g_prefix_error (error, "traffic.profile: ");
        return NULL;
    }
    pr.steps = g_array_new (FALSE, FALSE, sizeof (ProfileStep));
    csv_init (&p, CSV_APPEND_NULL);
    if (csv_parse (&p, text, len, profile_field, profile_row, &pr) != len
        && pr.error == NULL)
        g_set_error (&pr.error, SIM_SCENARIO_ERROR,
                     SIM_SCENARIO_ERROR_INVALID, "%s: traffic.profile: %s",
                     path, csv_strerror (csv_error (&p)));
    csv_fini (&p, profile_field, profile_row, &pr);
    csv_free (&p);
    if (pr.error != NULL) {
        g_propagate_error (error, pr.error);
        g_array_unref (pr.steps);
        return NULL;
    }
    return pr.steps;
}

/* --- Lifecycle ------------------------------------------------------------------ */

gboolean
sim_traffic_init (SimWorld *w, GError **error)
{
    w->request_chunks = g_ptr_array_new_with_free_func (g_free);
    w->profile_rate = w->sc->rate;
    if (w->sc->profile != NULL) {
        w->profile = profile_load (w->sc->profile, error);
        if (w->profile == NULL)
            return FALSE;
    }
    return TRUE;
}

void
sim_traffic_clear (SimWorld *w)
{
    g_clear_pointer (&w->request_chunks, g_ptr_array_unref);
    g_clear_pointer (&w->profile, g_array_unref);
}

void
sim_traffic_start (SimWorld *w)
{
    schedule_arrival (w, SIM_SERVICE_ACTIVE, 0);
    if (w->sc->preview_rate > 0)
        schedule_arrival (w, SIM_SERVICE_PREVIEW, 0);
}
