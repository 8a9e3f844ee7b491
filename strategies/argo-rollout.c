/* argo-rollout.c - the Rollout status and progress deadline.  See
 * argo-rollout.h. */
#include "argo-rollout.h"

void
sim_argo_rollout_init (SimArgoRollout *r, SimWorld *w, SimTime deadline,
                       const SimArgoStatus *first)
{
    r->deadline = deadline;
    r->last = *first;
    r->last_update = sim_world_now (w);
    r->timed_out = FALSE;
    r->wake = -1;
}

void
sim_argo_status_read (SimWorld *w, SimReplicaSet *new_rs, SimArgoStatus *out)
{
    SimReplicaSetStatus total, updated = { 0 };

    sim_world_total_status (w, &total);
    if (new_rs != NULL)
        sim_replica_set_status (new_rs, &updated);
    out->updated = updated.replicas;
    out->old = total.replicas - updated.replicas;
    out->ready = total.ready;
    out->available = total.available;
}

static gboolean
progressing (const SimArgoStatus *p, const SimArgoStatus *o)
{
    return p->updated != o->updated || p->old < o->old || p->ready > o->ready
           || p->available > o->available || p->mark_a != o->mark_a
           || p->mark_b != o->mark_b;
}

gboolean
sim_argo_rollout_progress (SimArgoRollout *r, SimWorld *w,
                           const SimArgoStatus *p, SimArgoWatch watch)
{
    SimTime now = sim_world_now (w), at;
    gboolean moved = watch == SIM_ARGO_HOLD || progressing (p, &r->last);

    r->last = *p;
    if (watch == SIM_ARGO_DONE)
        return FALSE;
    if (moved) {
        r->last_update = now;
        if (r->timed_out) {
            r->timed_out = FALSE;
            sim_world_rollout_stalled (w, FALSE);
        }
    }
    if (watch != SIM_ARGO_WATCH || r->deadline == SIM_TIME_NEVER
        || r->timed_out)
        return FALSE;
    if (r->last_update + r->deadline < now) {
        r->timed_out = TRUE;
        sim_world_rollout_stalled (w, TRUE);
        return TRUE;
    }
    /* Look again just after the deadline. */
    at = r->last_update + r->deadline + SIM_SEC;
    if (at != r->wake) {
        r->wake = at;
        sim_world_wake_at (w, at);
    }
    return FALSE;
}

void
sim_argo_restart_init (SimArgoRestart *r)
{
    r->done = r->asked = -1;
}

static void
wake (SimArgoRestart *r, SimWorld *w, SimTime at)
{
    if (r->asked == at)
        return;
    r->asked = at;
    sim_world_wake_at (w, at);
}

void
sim_argo_restart (SimArgoRestart *r, SimWorld *w, SimReplicaSet **order,
                  guint n, gint max_unavailable)
{
    SimTime at = sim_world_spec (w)->restart_at, now = sim_world_now (w);
    gint total = 0, available = 0, can, needs = 0, restarted = 0;

    /* NeedsRestart: restartAt set, due, and not done since. */
    if (at < 0 || (r->done >= 0 && r->done >= at))
        return;
    if (at > now) {
        wake (r, w, at);
        return;
    }
    for (guint i = 0; i < n; i++) {
        total += sim_replica_set_spec (order[i]);
        for (guint j = 0; j < sim_replica_set_n_pods (order[i]); j++)
            available += sim_pod_ready_available (sim_replica_set_pod (order[i],
                                                                       j));
    }
    /* Surplus pods (a canary weight not dividing R) count too. */
    can = available
          - (MAX (sim_world_spec (w)->replicas, total)
             - MAX (max_unavailable, 1));
    for (guint i = 0; i < n; i++)
        for (guint j = 0; j < sim_replica_set_n_pods (order[i]); j++) {
            SimPod *pod = sim_replica_set_pod (order[i], j);

            if (!sim_pod_exists (pod) || sim_pod_created (pod) >= at)
                continue;
            needs++;
            if (can <= 0 || sim_pod_deleted (pod))
                continue;
            if (!sim_world_evict (w, pod, "Argo restart"))
                continue;
            can--;
            restarted++;
        }
    if (needs == restarted) {
        r->done = now;
        sim_world_narrate (w, "restart: every pod is newer than restartAt "
                              "(status.restartedAt)");
        return;
    }
    wake (r, w, now + 30 * SIM_SEC);
}
