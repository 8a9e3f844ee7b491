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
 * Routing is on the per-request path: it allocates nothing and looks
 * nothing up by name.  A Service keeps the number of its ready endpoints
 * and the one list that holds them (in a rolling update the other is
 * empty most of the time), counted again only after a list or the
 * Service changed; otherwise it walks at most SIM_MAX_VERSIONS small
 * arrays.
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

/* Remove in O(1): the last pod of the list takes the leaver's place
 * (with 10,000 pods a rollout removes 20,000 endpoints, and shifting the
 * others made that quadratic).  Random and least-request choices stay
 * uniform; round-robin's rotation changes only where the pod left, as a
 * balancer's own list does when an endpoint goes.  @field is the offset
 * of the index field the list's pods use. */
static void
list_remove (SimEndpoints *e, SimPod *pod, gsize field)
{
    gint *index = G_STRUCT_MEMBER_P (pod, field);
    gint i = *index;
    SimPod *moved;

    if (i < 0)
        return;
    moved = e->pods[--e->n];
    e->pods[i] = moved;
    G_STRUCT_MEMBER (gint, moved, field) = i;
    *index = -1;
}

#define LB G_STRUCT_OFFSET (SimPod, lb_index)
#define FB G_STRUCT_OFFSET (SimPod, fb_index)
#define DEP_LB G_STRUCT_OFFSET (SimPod, dep_lb_index)
#define DEP_FB G_STRUCT_OFFSET (SimPod, dep_fb_index)

void
sim_service_init (SimWorld *w)
{
    /* A Deployment's Service selects the app, whatever its version;
     * blue-green narrows its Services to one version each. */
    guint32 initial = (1u << w->sc->n_versions) - 1;

    for (gint s = 0; s < SIM_SERVICE_N; s++)
        w->services[s].mask = initial;
    /* Every Service's counts (ready_gen 0) are stale. */
    w->endpoints_gen = 1;
    g_queue_init (&w->service_changes);
}

void
sim_service_clear (SimWorld *w)
{
    for (gint v = 0; v < SIM_MAX_VERSIONS; v++) {
        g_clear_pointer (&w->endpoints[v].pods, g_free);
        g_clear_pointer (&w->fallback[v].pods, g_free);
    }
    for (gint d = 0; d <= SIM_MAX_DEPLOYMENTS; d++) {
        g_clear_pointer (&w->dep_endpoints[d].pods, g_free);
        g_clear_pointer (&w->dep_fallback[d].pods, g_free);
    }
    g_clear_pointer (&w->sticky, g_free);
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
    /* Routes by Deployment keep the same lists per Deployment. */
    gint dep = w->n_owned > 0 ? pod->rs->owner->index : -1;
    SimEndpoints *dep_ready = dep >= 0 ? &w->dep_endpoints[dep] : NULL;
    SimEndpoints *dep_fallback = dep >= 0 ? &w->dep_fallback[dep] : NULL;

    w->endpoints_gen++;
    switch (arg) {
    case EP_ADD:
        list_add (ready, pod, &pod->lb_index);
        if (dep_ready != NULL)
            list_add (dep_ready, pod, &pod->dep_lb_index);
        sim_world_log_pod (w, SIM_EVENT_ENDPOINT_ADDED, pod,
                           selecting (w, pod->version));
        break;
    case EP_REMOVE:
        list_remove (ready, pod, LB);
        if (dep_ready != NULL)
            list_remove (dep_ready, pod, DEP_LB);
        if (pod->terminating && pod->phase != SIM_POD_GONE) {
            list_add (fallback, pod, &pod->fb_index);
            if (dep_fallback != NULL)
                list_add (dep_fallback, pod, &pod->dep_fb_index);
        }
        sim_world_log_pod (w, SIM_EVENT_ENDPOINT_REMOVED, pod,
                           selecting (w, pod->version));
        break;
    case EP_GONE:
        list_remove (ready, pod, LB);
        list_remove (fallback, pod, FB);
        if (dep_ready != NULL) {
            list_remove (dep_ready, pod, DEP_LB);
            list_remove (dep_fallback, pod, DEP_FB);
        }
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
    w->endpoints_gen++;
    list_add (&w->endpoints[pod->version], pod, &pod->lb_index);
    if (w->n_owned > 0)
        list_add (&w->dep_endpoints[pod->rs->owner->index], pod,
                  &pod->dep_lb_index);
}

/* --- Selector and weight changes ---------------------------------------- */

typedef struct {
    SimServiceState state;
    SimServiceId svc;
} PendingChange;

/* A route reached the balancers: say where it sends ("primary 90%,
 * canary 10%; match 500 users; mirror 50%"); session cookies die with
 * the canary's weight (Flagger deletes them when it goes back to 0). */
static void
route_applied (SimWorld *w, SimServiceId svc, const SimRoute *r)
{
    g_autoptr (GString) to = g_string_new (NULL);
    const SimDeployment *main = r->canary_weight > 0 ? r->canary : r->primary;

    g_string_printf (to, "%s %d%%, %s %d%%", r->primary->label,
                     100 - r->canary_weight, r->canary->label,
                     r->canary_weight);
    if (r->matched != G_MAXUINT32)
        g_string_append_printf (to, "; match %u users", r->matched);
    if (r->mirror > 0)
        g_string_append_printf (to, "; mirror %d%% to %s", r->mirror,
                                r->canary->label);
    if (r->sticky)
        g_string_append (to, "; session affinity");
    if (r->canary_weight == 0 && w->sticky_any) {
        memset (w->sticky, 0, ((gsize) w->sc->users + 63) / 64 * 8);
        w->sticky_any = FALSE;
    }
    sim_world_log (w, SIM_EVENT_BALANCERS_UPDATED,
                   svc == SIM_SERVICE_ACTIVE ? "active" : "preview",
                   main->spec.template.version, FALSE, 0, to->str);
}

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
    w->endpoints_gen++;
    if (c->state.routed) {
        route_applied (w, c->svc, &c->state.route);
        g_free (c);
        return;
    }
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

void
sim_world_set_route (SimWorld *w, SimServiceId svc, const SimRoute *route)
{
    SimServiceState st = { .weighted = TRUE, .routed = TRUE };

    g_return_if_fail (route->primary->index > 0 && route->canary->index > 0);
    st.route = *route;
    st.route.canary_weight = CLAMP (route->canary_weight, 0, 100);
    st.route.mirror = CLAMP (route->mirror, 0, 100);
    /* The versions the Deployments run now, for the endpoint rows. */
    st.mask = (1u << route->primary->spec.template.version)
              | (1u << route->canary->spec.template.version);
    if (route->sticky && w->sticky == NULL)
        w->sticky = g_new0 (guint64, ((gsize) w->sc->users + 63) / 64);
    schedule_change (w, svc, &st);
}

/* --- Routing (per request) --------------------------------------------- */

/* Every version's bit in a Service's mask. */
#define VERSION_BITS ((1u << SIM_MAX_VERSIONS) - 1)

/* Where the @k-th pod of the union of the lists @eps[v] for v in @mask
 * is kept. */
G_ALWAYS_INLINE static inline SimPod **
union_slot (const SimEndpoints *eps, guint32 mask, gint k)
{
    /* The versions in @mask, lowest first (a list past the scenario's
     * versions is empty). */
    for (guint32 m = mask & VERSION_BITS; m != 0; m &= m - 1) {
        gint v = __builtin_ctz (m);

        if (k < eps[v].n)
            return &eps[v].pods[k];
        k -= eps[v].n;
    }
    g_assert_not_reached ();
    return NULL;
}

/* The @k-th pod of that union; @one: the version whose list holds all of
 * it, or -1. */
G_ALWAYS_INLINE static inline SimPod **
pod_slot (const SimEndpoints *eps, guint32 mask, gint one, gint k)
{
    return one >= 0 ? &eps[one].pods[k] : union_slot (eps, mask, k);
}

static inline SimPod *
union_at (const SimEndpoints *eps, guint32 mask, gint one, gint k)
{
    return *pod_slot (eps, mask, one, k);
}

/* A pod of the union of @eps[v] for v in @mask, @total in all (> 0);
 * @one as for pod_slot(). */
static SimPod *
pick_in (SimWorld *w, SimServiceState *s, const SimEndpoints *eps, guint32 mask,
         gint one, gint total)
{
    SimBalancer b = w->sc->balancer;
    SimPod *a;
    gint k;

    if (b == SIM_BALANCER_ROUND_ROBIN)
        k = (gint) (s->rr++ % (guint32) total);
    else
        k = (gint) sim_rng_below (&w->rng_balancer, (guint32) total);
    a = union_at (eps, mask, one, k);
    if (b == SIM_BALANCER_LEAST_REQUEST && total > 1) {
        /* Power of two choices: a second, distinct pod; the one holding
         * fewer requests wins (ties keep the first). */
        gint k2 = (gint) sim_rng_below (&w->rng_balancer, (guint32) total - 1);
        SimPod *c;

        if (k2 >= k)
            k2++;
        c = union_at (eps, mask, one, k2);
        if (c->busy + c->queued < a->busy + a->queued)
            a = c;
    }
    return a;
}

static gint
count_in (const SimEndpoints *eps, guint32 mask)
{
    gint total = 0;

    for (guint32 m = mask & VERSION_BITS; m != 0; m &= m - 1)
        total += eps[__builtin_ctz (m)].n;
    return total;
}

/* A ready endpoint of Deployment @d (a terminating one when none is
 * ready), or NULL. */
static SimPod *
pick_deployment (SimWorld *w, SimServiceState *s, const SimDeployment *d)
{
    SimEndpoints *e = &w->dep_endpoints[d->index];

    if (e->n == 0)
        e = &w->dep_fallback[d->index];
    if (e->n == 0)
        return NULL;
    /* One list: the union of one is itself (mask bit 0). */
    return pick_in (w, s, e, 1u, 0, e->n);
}

/* A mesh's route (sim_world_set_route): the matched cohort through the
 * weighted rule, pinned users straight to the canary, a copy of some of
 * the primary's requests to the canary. */
static SimPod *
route_by_deployment (SimWorld *w, SimServiceState *s, guint32 user)
{
    const SimRoute *r = &s->route;
    gboolean canary = FALSE;
    SimPod *pod;

    if (user < r->matched && r->canary_weight > 0) {
        guint64 bit = G_GUINT64_CONSTANT (1) << (user & 63);

        if (r->sticky && (w->sticky[user >> 6] & bit)) {
            canary = TRUE;
        } else {
            canary = r->canary_weight >= 100
                     || (gint) sim_rng_below (&w->rng_routing, 100)
                            < r->canary_weight;
            if (canary && r->sticky) {
                w->sticky[user >> 6] |= bit;
                w->sticky_any = TRUE;
            }
        }
    }
    pod = pick_deployment (w, s, canary ? r->canary : r->primary);
    if (!canary && r->mirror > 0 && pod != NULL
        && (r->mirror >= 100
            || (gint) sim_rng_below (&w->rng_mirror, 100) < r->mirror))
        w->mirror_pod = pick_deployment (w, s, r->canary);
    return pod;
}

/* With more ready pods than this, neither a pod's line nor the list's
 * entry for it stays in cache from one request to the next: the random
 * balancer's choices are fetched ahead.  Fewer pods are in cache already. */
#define PREFETCH_MIN_PODS 1024
/* How many arrivals ahead: the list entry first, the pod's line from
 * that entry (in cache by then) later. */
#define PREFETCH_POD 1
#define PREFETCH_ENTRY 2

/* Bring @s's counts of ready endpoints up to date. */
static inline void
ready_count (SimWorld *w, SimServiceState *s)
{
    gint lists = 0;

    if (G_LIKELY (s->ready_gen == w->endpoints_gen))
        return;
    s->ready_gen = w->endpoints_gen;
    s->ready_total = 0;
    s->ready_one = -1;
    for (guint32 m = s->mask & VERSION_BITS; m != 0; m &= m - 1) {
        gint v = __builtin_ctz (m), n = w->endpoints[v].n;

        if (n > 0) {
            s->ready_total += n;
            s->ready_one = lists++ == 0 ? v : -1;
        }
    }
}

void
sim_service_prefetch (SimWorld *w, SimServiceId svc)
{
    SimServiceState *s = &w->services[svc];
    gint total;
    guint64 k;

    if (s->weighted || w->sc->balancer != SIM_BALANCER_RANDOM)
        return;
    ready_count (w, s);
    total = s->ready_total;
    if (total <= PREFETCH_MIN_PODS)
        return;
    /* sim_rng_below's first product, without its rare redraw. */
    k = ((sim_rng_peek_ahead (&w->rng_balancer, PREFETCH_POD) >> 32)
         * (guint64) total)
        >> 32;
    __builtin_prefetch (
        union_at (w->endpoints, s->mask, s->ready_one, (gint) k), 1);
    k = ((sim_rng_peek_ahead (&w->rng_balancer, PREFETCH_ENTRY) >> 32)
         * (guint64) total)
        >> 32;
    __builtin_prefetch (
        pod_slot (w->endpoints, s->mask, s->ready_one, (gint) k), 0);
}

SimPod *
sim_service_route (SimWorld *w, SimServiceId svc, guint32 user)
{
    SimServiceState *s = &w->services[svc];
    guint32 mask = s->mask;
    gint total;

    if (s->weighted) {
        if (G_UNLIKELY (s->routed))
            return route_by_deployment (w, s, user);
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
        total = w->endpoints[v].n;
        if (total > 0)
            return pick_in (w, s, w->endpoints, mask, v, total);
    } else {
        ready_count (w, s);
        total = s->ready_total;
        if (total > 0)
            return pick_in (w, s, w->endpoints, mask, s->ready_one, total);
    }
    /* No ready endpoint: fall back to terminating ones. */
    total = count_in (w->fallback, mask);
    if (total > 0)
        return pick_in (w, s, w->fallback, mask, -1, total);
    return NULL;
}
