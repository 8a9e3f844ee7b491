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
 * old pods shut down, exactly as in Kubernetes.  The sync itself is
 * sim_k8s_rolling_sync (k8s-deployment.c), which Flagger's primary and
 * canary Deployments run too.
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

static void
rolling_sync (SimWorld *w, gpointer data)
{
    sim_k8s_rolling_sync (w, data);
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
