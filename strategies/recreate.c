/* recreate.c - the Recreate strategy (docs/design.md
 * K9.1): every old ReplicaSet goes to 0 in one sync; the new ReplicaSet is
 * created, at full size, only when every old pod is gone - terminating
 * ones included, so the grace period is downtime.
 */
#include "strategy.h"
#include "k8s-deployment.h"

static gpointer
recreate_init (SimWorld *w, gconstpointer settings)
{
    SimK8sDeployment *d = g_new0 (SimK8sDeployment, 1);

    sim_k8s_deployment_init_recreate (d, w);
    return d;
}

static void
recreate_sync (SimWorld *w, gpointer data)
{
    SimK8sDeployment *d = data;
    g_autofree SimReplicaSet **old = g_new (SimReplicaSet *,
                                            sim_world_n_replica_sets (w));
    SimReplicaSet *new_rs;
    guint n_old;
    gboolean scaled = FALSE, running = FALSE;

    sim_k8s_read_spec (d, w);
    new_rs = sim_k8s_split (w, d, old, &n_old);
    /* Paused, or R changed: only scaling this time (K3, K6, K7). */
    if (sim_k8s_sync_paused_or_scaled (w, d, new_rs, old, n_old))
        return;
    for (guint i = 0; i < n_old; i++) {
        if (sim_replica_set_spec (old[i]) > 0) {
            sim_world_narrate (w,
                               "scale %s down %d -> 0 (Recreate: every old "
                               "pod goes before any new one is created)",
                               sim_replica_set_name (old[i]),
                               sim_replica_set_spec (old[i]));
            sim_k8s_scale (w, d, old[i], 0);
            scaled = TRUE;
        }
        running |= sim_replica_set_pods_alive (old[i]) > 0;
    }
    if (scaled || running) {
        sim_k8s_sync_status (w, d);
        return;
    }
    if (new_rs == NULL || sim_replica_set_spec (new_rs) != d->replicas)
        sim_world_narrate (w,
                           "no old pod is left: the new ReplicaSet gets all "
                           "%d replicas at once (Recreate)",
                           d->replicas);
    if (new_rs == NULL)
        new_rs = sim_k8s_create_new_rs (w, d, d->replicas);
    if (sim_replica_set_spec (new_rs) != d->replicas)
        sim_k8s_scale (w, d, new_rs, d->replicas);
    sim_k8s_sync_status (w, d);
}

static const SimKeyRow no_rows[] = { SIM_KEY_END };

static const SimKeyGroup recreate_group = {
    .name = "strategy.recreate",
    .doc = "Kubernetes `Recreate`: every old pod is gone before new ones are "
           "created.  No keys; the group may be present and empty.",
    .rows = no_rows,
};

const SimStrategyClass sim_strategy_recreate = {
    .name = "recreate",
    .summary = "Kubernetes Recreate: all old pods go, then all new pods come",
    .settings = &recreate_group,
    .init = recreate_init,
    .sync = recreate_sync,
    .free_data = g_free,
};
