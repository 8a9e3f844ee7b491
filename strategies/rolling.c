/* rolling.c - the RollingUpdate strategy: the Kubernetes Deployment
 * controller's rolloutRolling, sync for sync (docs/design.md
 * K4).
 *
 * Each sync either grows the new ReplicaSet (reconcileNewReplicaSet) or
 * shrinks old ones (reconcileOldReplicaSets: first the unhealthy pods,
 * oldest ReplicaSet first, then the available surplus), never both - but
 * the sync that creates the new ReplicaSet may also shrink old ones.
 * Terminating pods are invisible to this arithmetic (it sums
 * spec.replicas), so real pod counts can exceed replicas + maxSurge while
 * old pods shut down, exactly as in Kubernetes.
 */
#include "strategy.h"
#include "rolling.h"
#include "k8s-deployment.h"

static gpointer
rolling_init (SimWorld *w, gconstpointer settings)
{
    const SimRollingSettings *rs = settings;
    SimK8sDeployment *d = g_new0 (SimK8sDeployment, 1);

    sim_k8s_deployment_init (d, w, rs->max_surge, rs->max_unavailable);
    return d;
}

static gint
sum_spec (SimReplicaSet **rs, guint n)
{
    gint total = 0;

    for (guint i = 0; i < n; i++)
        total += sim_replica_set_spec (rs[i]);
    return total;
}

/* 4.1: TRUE when the new ReplicaSet was scaled. */
static gboolean
reconcile_new (SimWorld *w, SimK8sDeployment *d, SimReplicaSet *new_rs,
               gint all_spec)
{
    gint spec = sim_replica_set_spec (new_rs);
    gint want;

    if (spec == d->replicas)
        return FALSE;
    if (spec > d->replicas)
        want = d->replicas;
    else
        want = sim_k8s_new_rs_new_replicas (d->replicas, d->surge, all_spec,
                                            spec);
    if (want == spec)
        return FALSE;
    sim_k8s_scale (w, d, new_rs, want);
    return TRUE;
}

/* K4.2-K4.4, on the world: read specs and statuses, run the arithmetic,
 * apply the new specs.  TRUE when any old ReplicaSet was scaled. */
static gboolean
reconcile_old (SimWorld *w, SimK8sDeployment *d, SimReplicaSet *new_rs,
               SimReplicaSet **old, guint n_old)
{
    g_autofree SimK8sRs *k_old = g_new (SimK8sRs, MAX (n_old, 1));
    SimK8sRs k_new;
    SimReplicaSetStatus st;
    gint removed;

    for (guint i = 0; i < n_old; i++) {
        sim_replica_set_status (old[i], &st);
        k_old[i].spec = sim_replica_set_spec (old[i]);
        k_old[i].available = st.available;
    }
    sim_replica_set_status (new_rs, &st);
    k_new.spec = sim_replica_set_spec (new_rs);
    k_new.available = st.available;
    removed = sim_k8s_reconcile_old (k_old, n_old, &k_new, d->replicas,
                                     d->max_unavailable);
    for (guint i = 0; i < n_old; i++)
        if (k_old[i].spec != sim_replica_set_spec (old[i]))
            sim_k8s_scale (w, d, old[i], k_old[i].spec);
    return removed > 0;
}

static void
rolling_sync (SimWorld *w, gpointer data)
{
    SimK8sDeployment *d = data;
    g_autofree SimReplicaSet **old = g_new (SimReplicaSet *,
                                            sim_world_n_replica_sets (w));
    SimReplicaSet *new_rs;
    guint n_old;

    sim_k8s_read_spec (d, w);
    new_rs = sim_k8s_split (w, d, old, &n_old);
    /* Paused, or R changed: only scaling this time (K3, K6, K7). */
    if (sim_k8s_sync_paused_or_scaled (w, d, new_rs, old, n_old))
        return;
    if (new_rs == NULL) {
        /* getAllReplicaSetsAndSyncRevision creates it at
         * NewRSNewReplicas; the creation does not count as a scale-up,
         * so old ReplicaSets may shrink in this same sync. */
        gint want = sim_k8s_new_rs_new_replicas (d->replicas, d->surge,
                                                 sum_spec (old, n_old), 0);

        new_rs = sim_k8s_create_new_rs (w, d, want);
    } else if (reconcile_new (w, d, new_rs,
                              sum_spec (old, n_old)
                                  + sim_replica_set_spec (new_rs))) {
        sim_k8s_sync_status (w, d);
        return;
    }
    reconcile_old (w, d, new_rs, old, n_old);
    sim_k8s_sync_status (w, d);
}

/* --- [strategy.rolling] ---------------------------------------------------- */

/* As the API server does: max_surge and max_unavailable may not both be
 * 0 as written. */
static gboolean
rolling_check (const SimPlaces *pl, gconstpointer settings,
               const SimScenario *s, GError **error)
{
    const SimRollingSettings *rs = settings;

    return sim_scenario_check_surge (pl, "strategy.rolling", rs->max_surge,
                                     rs->max_unavailable, error);
}

#define R SimRollingSettings

static const SimKeyRow rolling_rows[] = {
    SIM_KEY ("max_surge", "25%", "pods", SIM_KEY_ACCEPT_SURGE,
             "maxSurge: how many pods above replicas may exist during the "
             "update.",
             SIM_KEY_T_PERCENT (R, max_surge, G_MAXINT)),
    SIM_KEY ("max_unavailable", "25%", "pods", SIM_KEY_ACCEPT_UNAVAILABLE,
             "maxUnavailable: how many pods below replicas may be "
             "unavailable during the update.",
             SIM_KEY_T_PERCENT (R, max_unavailable, 100)),
    SIM_KEY_END,
};

#undef R

const SimKeyGroup sim_rolling_settings_group = {
    .name = "strategy.rolling",
    .doc = "Kubernetes Deployment `RollingUpdate`.  As the API server does, "
           "max_surge and max_unavailable may not both be 0 as written.",
    .rows = rolling_rows,
    .size = sizeof (SimRollingSettings),
    .check = rolling_check,
};

const SimStrategyClass sim_strategy_rolling = {
    .name = "rolling",
    .summary = "Kubernetes RollingUpdate: maxSurge up, maxUnavailable down",
    .settings = &sim_rolling_settings_group,
    .init = rolling_init,
    .sync = rolling_sync,
    .free_data = g_free,
};
