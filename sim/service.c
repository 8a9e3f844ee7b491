/* service.c - Services, their endpoints as load balancers know them, and
 * the balancing policies.
 *
 * The model keeps, per version, the list of pods the load balancers
 * believe ready.  Kubernetes marks an endpoint ready or not at once; the
 * balancers (kube-proxy, a mesh) learn it endpoint_delay later, so a pod
 * that starts terminating keeps receiving requests for that long - the
 * reason preStop sleeps exist.  A Service selects a set of versions (a
 * mask); a traffic-routed Service instead splits by weight between
 * version subsets.  Selector and weight changes also reach the balancers
 * after endpoint_delay.
 *
 * The events say which Service a change concerns: a selector or weight
 * change is logged when it is made (service-switched, weight-set) and
 * again when it reaches the balancers (balancers-updated); once a
 * preview Service is in use, an endpoint row names the Services that
 * select the pod's version ("active", "preview", "active,preview",
 * "none").
 *
 * A terminating pod leaves the ready list for a fallback list, which
 * balancers use only when a Service has no ready endpoint at all, as
 * kube-proxy does with terminating endpoints (docs/design.md
 * K14.3); it leaves the fallback when it is gone.
 *
 * Routing is on the per-request path: it walks at most SIM_MAX_VERSIONS
 * small arrays, allocates nothing and looks nothing up by name.
 */
#include "model.h"

typedef enum { EP_ADD, EP_REMOVE, EP_GONE } EpChange;

static void
list_add (SimEndpoints *e, SimPod *pod, gint *index)
{
    if (*index >= 0)
        return;
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->pods = g_renew (SimPod *, e->pods, e->cap);
    }
    *index = e->n;
    e->pods[e->n++] = pod;
}

/* Remove keeping the order of the others (round-robin stays fair);
 * @ready says which index field the list's pods use. */
static void
list_remove (SimEndpoints *e, gint *index, gboolean ready)
{
    gint i = *index;

    if (i < 0)
        return;
    memmove (&e->pods[i], &e->pods[i + 1], (e->n - i - 1) * sizeof *e->pods);
    e->n--;
    for (gint j = i; j < e->n; j++)
        *(ready ? &e->pods[j]->lb_index : &e->pods[j]->fb_index) = j;
    *index = -1;
}

void
sim_service_init (SimWorld *w)
{
    /* A Deployment's Service selects the app, whatever its version;
     * blue-green narrows its Services to one version each. */
    guint32 initial = (1u << w->sc->n_versions) - 1;

    for (gint s = 0; s < SIM_SERVICE_N; s++)
        w->services[s].mask = initial;
    g_queue_init (&w->service_changes);
}

void
sim_service_clear (SimWorld *w)
{
    for (gint v = 0; v < SIM_MAX_VERSIONS; v++) {
        g_clear_pointer (&w->endpoints[v].pods, g_free);
        g_clear_pointer (&w->fallback[v].pods, g_free);
    }
    g_queue_clear_full (&w->service_changes, g_free);
}

/* Which Services select @version as the balancers know them, once a
 * preview Service is in use (else NULL: there is only one). */
static const char *
selecting (const SimWorld *w, gint version)
{
    gboolean a = (w->services[SIM_SERVICE_ACTIVE].mask >> version) & 1;
    gboolean p = (w->services[SIM_SERVICE_PREVIEW].mask >> version) & 1;

    if (!w->preview_used)
        return NULL;
    return a && p ? "active,preview" : a ? "active" : p ? "preview" : "none";
}

static void
ep_change (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimPod *pod = obj;
    SimEndpoints *ready = &w->endpoints[pod->version];
    SimEndpoints *fallback = &w->fallback[pod->version];

    switch (arg) {
    case EP_ADD:
        list_add (ready, pod, &pod->lb_index);
        sim_world_log_pod (w, SIM_EVENT_ENDPOINT_ADDED, pod,
                           selecting (w, pod->version));
        break;
    case EP_REMOVE:
        list_remove (ready, &pod->lb_index, TRUE);
        if (pod->terminating && pod->phase != SIM_POD_GONE)
            list_add (fallback, pod, &pod->fb_index);
        sim_world_log_pod (w, SIM_EVENT_ENDPOINT_REMOVED, pod,
                           selecting (w, pod->version));
        break;
    case EP_GONE:
        list_remove (ready, &pod->lb_index, TRUE);
        list_remove (fallback, &pod->fb_index, FALSE);
        break;
    }
}

void
sim_service_pod_ready (SimWorld *w, SimPod *pod)
{
    sim_engine_after (w->engine, w->sc->endpoint_delay, SIM_CLASS_ENDPOINT,
                      ep_change, pod, EP_ADD);
}

void
sim_service_pod_not_ready (SimWorld *w, SimPod *pod)
{
    sim_engine_after (w->engine, w->sc->endpoint_delay, SIM_CLASS_ENDPOINT,
                      ep_change, pod, EP_REMOVE);
}

void
sim_service_pod_gone (SimWorld *w, SimPod *pod)
{
    sim_engine_after (w->engine, w->sc->endpoint_delay, SIM_CLASS_ENDPOINT,
                      ep_change, pod, EP_GONE);
}

void
sim_service_add_now (SimWorld *w, SimPod *pod)
{
    list_add (&w->endpoints[pod->version], pod, &pod->lb_index);
}

/* --- Selector and weight changes ---------------------------------------- */

typedef struct {
    SimServiceState state;
    SimServiceId svc;
} PendingChange;

/* Changes wait in a FIFO: they all take endpoint_delay, so they are
 * applied in the order they were made. */
static void
service_apply (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;
    PendingChange *c = g_queue_pop_head (&w->service_changes);
    guint32 rr = w->services[c->svc].rr;
    g_autoptr (GString) to = g_string_new (NULL);
    gint first = -1;

    w->services[c->svc] = c->state;
    w->services[c->svc].rr = rr;
    /* Where it now sends: "hello2", or "hello2 10%, hello1 90%". */
    for (gint v = 0; v < w->sc->n_versions; v++) {
        if (!(c->state.mask & (1u << v)))
            continue;
        if (first < 0)
            first = v;
        g_string_append_printf (to, "%s%s", to->len > 0 ? ", " : "",
                                w->sc->versions[v].name);
        if (c->state.weighted)
            g_string_append_printf (to, " %d%%", c->state.weights[v]);
    }
    sim_world_log (w, SIM_EVENT_BALANCERS_UPDATED,
                   c->svc == SIM_SERVICE_ACTIVE ? "active" : "preview", first,
                   FALSE, 0, to->len > 0 ? to->str : "no version");
    g_free (c);
}

/* Controller actions are rare, so a small allocation per change is fine;
 * the balancers see it after endpoint_delay. */
static void
schedule_change (SimWorld *w, SimServiceId svc, const SimServiceState *st)
{
    PendingChange *c = g_new (PendingChange, 1);

    c->state = *st;
    c->svc = svc;
    g_queue_push_tail (&w->service_changes, c);
    sim_engine_after (w->engine, w->sc->endpoint_delay, SIM_CLASS_ENDPOINT,
                      service_apply, w, 0);
}

void
sim_world_set_service (SimWorld *w, SimServiceId svc, guint32 mask)
{
    SimServiceState st = { .mask = mask };
    char detail[32];
    gint v;

    schedule_change (w, svc, &st);
    if (svc == SIM_SERVICE_PREVIEW)
        w->preview_used = TRUE;
    g_snprintf (detail, sizeof detail, "%s",
                svc == SIM_SERVICE_ACTIVE ? "active" : "preview");
    for (v = 0; v < w->sc->n_versions && !(mask & (1u << v)); v++)
        ;
    sim_world_log (w, SIM_EVENT_SERVICE_SWITCHED, detail,
                   v < w->sc->n_versions ? v : -1, FALSE, 0, detail);
}

void
sim_world_set_weights (SimWorld *w, SimServiceId svc, const gint *weights)
{
    SimServiceState st = { .mask = 0 };

    if (weights != NULL) {
        st.weighted = TRUE;
        for (gint v = 0; v < w->sc->n_versions; v++) {
            st.weights[v] = weights[v];
            if (weights[v] > 0)
                st.mask |= 1u << v;
        }
    } else {
        st.mask = w->services[svc].mask;
    }
    schedule_change (w, svc, &st);
}

/* --- Routing (per request) --------------------------------------------- */

/* The @k-th pod of the union of the lists @eps[v] for v in @mask. */
static SimPod *
union_at (SimWorld *w, const SimEndpoints *eps, guint32 mask, gint k)
{
    for (gint v = 0; v < w->sc->n_versions; v++) {
        if (!(mask & (1u << v)))
            continue;
        if (k < eps[v].n)
            return eps[v].pods[k];
        k -= eps[v].n;
    }
    g_assert_not_reached ();
    return NULL;
}

static SimPod *
pick_in (SimWorld *w, SimServiceState *s, const SimEndpoints *eps, guint32 mask,
         gint total)
{
    SimBalancer b = w->sc->balancer;
    SimPod *a;
    gint k;

    if (b == SIM_BALANCER_ROUND_ROBIN)
        k = (gint) (s->rr++ % (guint32) total);
    else
        k = (gint) sim_rng_below (&w->rng_balancer, (guint32) total);
    a = union_at (w, eps, mask, k);
    if (b == SIM_BALANCER_LEAST_REQUEST && total > 1) {
        /* Power of two choices: a second, distinct pod; the one holding
         * fewer requests wins (ties keep the first). */
        gint k2 = (gint) sim_rng_below (&w->rng_balancer, (guint32) total - 1);
        SimPod *c;

        if (k2 >= k)
            k2++;
        c = union_at (w, eps, mask, k2);
        if (c->busy + c->queued < a->busy + a->queued)
            a = c;
    }
    return a;
}

static gint
count_in (const SimWorld *w, const SimEndpoints *eps, guint32 mask)
{
    gint total = 0;

    for (gint v = 0; v < w->sc->n_versions; v++)
        if (mask & (1u << v))
            total += eps[v].n;
    return total;
}

SimPod *
sim_service_route (SimWorld *w, SimServiceId svc)
{
    SimServiceState *s = &w->services[svc];
    guint32 mask = s->mask;
    gint total;

    if (s->weighted) {
        /* Choose the subset by weight first, as a mesh does; a subset with
         * no endpoint fails the request even if another has some. */
        gint r = (gint) sim_rng_below (&w->rng_routing, 100), v;

        for (v = 0; v < w->sc->n_versions; v++) {
            if (r < s->weights[v])
                break;
            r -= s->weights[v];
        }
        if (v >= w->sc->n_versions)
            return NULL;
        mask = 1u << v;
    }
    total = count_in (w, w->endpoints, mask);
    if (total > 0)
        return pick_in (w, s, w->endpoints, mask, total);
    /* No ready endpoint: fall back to terminating ones. */
    total = count_in (w, w->fallback, mask);
    if (total > 0)
        return pick_in (w, s, w->fallback, mask, total);
    return NULL;
}
