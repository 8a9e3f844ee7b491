/* disruption.c - the PodDisruptionBudget, the Eviction API and kubectl
 * drain.  See disruption.h; docs/design.md H6.
 *
 * Eviction (POST pods/NAME/eviction): a pod not yet running (Pending) or
 * already being deleted goes at once; without a budget it goes; a pod
 * that is not Ready goes when the budget is met (healthy >= desired > 0,
 * the IfHealthyBudget policy); otherwise it goes only if a disruption is
 * allowed, else 429 TooManyRequests (an eviction-refused row).  Drain
 * cordons the node and evicts every pod on it at once; each refused one
 * is tried again 5 s later, until every pod is gone.
 */
#include <string.h>
#include "model.h"
#include "disruption.h"
#include "scenario-place.h"

void
sim_pdb_compute (const SimDisruptionSettings *ds, gint pods, gint healthy,
                 gint scale, SimPdbStatus *out)
{
    memset (out, 0, sizeof *out);
    out->current_healthy = healthy;
    if (ds->max_unavailable.value >= 0) {
        out->expected = scale;
        out->desired_healthy = MAX (
            0,
            scale - sim_units_scaled_value (ds->max_unavailable, scale, TRUE));
    } else if (!ds->min_available.percent) {
        out->expected = pods;
        out->desired_healthy = ds->min_available.value;
    } else {
        out->expected = scale;
        out->desired_healthy = sim_units_scaled_value (ds->min_available, scale,
                                                       TRUE);
    }
    out->allowed = out->expected <= 0 ? 0
                                      : MAX (0, healthy - out->desired_healthy);
}

static const SimDisruptionSettings *
settings (SimWorld *w)
{
    const SimDisruptionSettings *ds = sim_scenario_group_if (
        w->sc, &sim_disruption_settings_group);

    if (ds == NULL
        || (ds->min_available.value < 0 && ds->max_unavailable.value < 0))
        return NULL;
    return ds;
}

/* The budget now, from the pods and the owners. */
static void
status_now (SimWorld *w, const SimDisruptionSettings *ds, SimPdbStatus *out)
{
    gint pods = 0, healthy = 0, scale = 0;

    for (guint i = 0; i < w->pods->len; i++) {
        const SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->phase == SIM_POD_GONE)
            continue;
        pods++;
        healthy += pod->phase == SIM_POD_READY && !pod->terminating;
    }
    if (!w->strategy->rollout) {
        scale = w->app.spec.replicas;
    } else {
        for (guint i = 0; i < w->replica_sets->len; i++) {
            const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);

            if (sim_replica_set_pods_alive (rs) > 0)
                scale += rs->spec;
        }
    }
    sim_pdb_compute (ds, pods, healthy, scale, out);
}

gint
sim_disruption_allowed (SimWorld *w)
{
    const SimDisruptionSettings *ds = settings (w);
    SimPdbStatus st;

    if (ds == NULL)
        return G_MAXINT;
    status_now (w, ds, &st);
    return st.allowed;
}

gboolean
sim_disruption_evict (SimWorld *w, SimPod *pod, const char *who)
{
    const SimDisruptionSettings *ds = settings (w);
    SimPdbStatus st;
    g_autofree char *why = NULL;

    if (pod->terminating || pod->phase == SIM_POD_GONE)
        return TRUE;
    if (ds != NULL && pod->phase != SIM_POD_PENDING
        && pod->phase != SIM_POD_PULLING) {
        status_now (w, ds, &st);
        if (pod->phase == SIM_POD_READY
            || !(st.current_healthy >= st.desired_healthy
                 && st.desired_healthy > 0)) {
            if (st.allowed == 0) {
                g_autofree char *budget = g_strdup_printf (
                    "PDB allows 0 disruptions, %d healthy of %d desired",
                    st.current_healthy, st.desired_healthy);

                sim_world_log_pod (w, SIM_EVENT_EVICTION_REFUSED, pod, budget);
                return FALSE;
            }
        }
    }
    why = g_strdup_printf ("eviction API (%s)", who);
    sim_pod_evict (w, pod, why);
    return TRUE;
}

gboolean
sim_world_evict (SimWorld *w, SimPod *pod, const char *who)
{
    return sim_disruption_evict (w, pod, who);
}

/* --- kubectl drain --------------------------------------------------------- */

static void drain_try (SimWorld *w, gint n);

static void
on_drain_retry (SimEngine *engine, gpointer obj, gint64 n)
{
    drain_try (obj, (gint) n);
}

static void
on_drain_poll (SimEngine *engine, gpointer obj, gint64 n)
{
    drain_try (obj, (gint) n);
}

/* Evict what is still on the node; again in 5 s if anything was refused,
 * else poll every second until every pod is gone. */
static void
drain_try (SimWorld *w, gint n)
{
    g_autofree char *who = g_strdup_printf ("kubectl drain node-%d", n + 1);
    gboolean refused = FALSE, left = FALSE;

    for (guint i = 0; i < w->pods->len; i++) {
        SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->node != n || pod->phase == SIM_POD_GONE)
            continue;
        left = TRUE;
        if (!pod->terminating && !sim_disruption_evict (w, pod, who))
            refused = TRUE;
    }
    if (!left) {
        w->nodes[n].draining = FALSE;
        sim_world_narrate (w,
                           "kubectl drain node-%d: every pod is gone, the "
                           "drain returns",
                           n + 1);
        return;
    }
    if (refused)
        sim_engine_after (w->engine, 5 * SIM_SEC, SIM_CLASS_CONTROLLER,
                          on_drain_retry, w, n);
    else
        sim_engine_after (w->engine, SIM_SEC, SIM_CLASS_CONTROLLER,
                          on_drain_poll, w, n);
}

void
sim_disruption_drain (SimWorld *w, gint n)
{
    if (w->nodes[n].draining) {
        sim_world_narrate (w, "node-%d is being drained already", n + 1);
        return;
    }
    sim_cluster_node_cordon (w, n, TRUE);
    w->nodes[n].draining = TRUE;
    drain_try (w, n);
}

/* --- [disruption] ------------------------------------------------------------ */

static gboolean
disruption_check (const SimPlaces *pl, gconstpointer data, const SimScenario *s,
                  GError **error)
{
    const SimDisruptionSettings *ds = data;

    if (ds->min_available.value >= 0 && ds->max_unavailable.value >= 0) {
        const char *key = sim_places_rank (pl, "disruption", "min_available")
                                  > sim_places_rank (pl, "disruption",
                                                     "max_unavailable")
                              ? "min_available"
                              : "max_unavailable";

        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "disruption", key, "none",
                                     "a PodDisruptionBudget has "
                                     "min_available or max_unavailable, "
                                     "not both");
    }
    return TRUE;
}

#define ACCEPT_BUDGET \
    "an integer >= 0, a percentage 0%..100% (rounded up), or none"

static const SimKeyRow disruption_rows[] = {
    SIM_KEY ("min_available", "none", "pods", ACCEPT_BUDGET,
             "minAvailable: pods that must stay healthy (Ready, not being "
             "deleted) through evictions.",
             SIM_KEY_T_PERCENT_OR (SimDisruptionSettings, min_available, 100,
                                   "none")),
    SIM_KEY ("max_unavailable", "none", "pods", ACCEPT_BUDGET,
             "maxUnavailable: pods of the owners' scale that evictions may "
             "leave unhealthy.",
             SIM_KEY_T_PERCENT_OR (SimDisruptionSettings, max_unavailable, 100,
                                   "none")),
    SIM_KEY_END,
};

const SimKeyGroup sim_disruption_settings_group = {
    .name = "disruption",
    .doc = "The application's PodDisruptionBudget, which evictions honour "
           "(kubectl drain, Argo's restart); Deployment and Rollout "
           "scale-downs never ask it.  At most one of the two keys.",
    .rows = disruption_rows,
    .size = sizeof (SimDisruptionSettings),
    .check = disruption_check,
};
