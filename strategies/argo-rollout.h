/* argo-rollout.h - what the Argo Rollouts controller keeps for any
 * Rollout, whatever its strategy: the status it compares from one
 * reconcile to the next, and the progress deadline (docs/design.md A1.9;
 * Argo Rollouts rollout/sync.go, RolloutProgressing and
 * RolloutTimedOut).  Shared by canary.c and blue-green.c, as
 * k8s-deployment is by rolling.c and recreate.c.
 */
#ifndef SIM_ARGO_ROLLOUT_H
#define SIM_ARGO_ROLLOUT_H

#include "world.h"

/* The status fields RolloutProgressing compares, and two that only one
 * strategy has (canary: step index and stable version; blue-green: the
 * active and the stable version).  Progress is: updated changed, fewer
 * old pods, more ready or available, or a marker changed. */
typedef struct SimArgoStatus {
    gint updated, old, ready, available;
    gint mark_a, mark_b;
} SimArgoStatus;

/* How the deadline watches a reconcile. */
typedef enum {
    SIM_ARGO_WATCH,   /* may time out */
    SIM_ARGO_SUSPEND, /* cannot time out now (a pause or analysis step);
                         progress is still noted */
    SIM_ARGO_HOLD,    /* paused: counts as progress, the clock restarts */
    SIM_ARGO_DONE,    /* promoted or aborted: no longer watched */
} SimArgoWatch;

typedef struct SimArgoRollout {
    SimTime deadline;    /* progressDeadlineSeconds; SIM_TIME_NEVER
                            none */
    SimArgoStatus last;  /* as the previous reconcile wrote it */
    SimTime last_update; /* of the Progressing condition */
    gboolean timed_out;  /* ProgressDeadlineExceeded */
    SimTime wake;        /* the deadline wake-up asked for; -1 */
} SimArgoRollout;

/* The clock starts now, from status @first. */
void sim_argo_rollout_init (SimArgoRollout *r, SimWorld *w, SimTime deadline,
                            const SimArgoStatus *first);

/* Every ReplicaSet summed, with @new_rs's as the updated ones. */
void sim_argo_status_read (SimWorld *w, SimReplicaSet *new_rs,
                           SimArgoStatus *out);

/* One reconcile's progress: note @now's status, restart the clock on
 * progress, and report ProgressDeadlineExceeded (logged through
 * sim_world_rollout_stalled) once the deadline passes without progress
 * while watched; ask to be woken just after the deadline.  TRUE the
 * moment it times out (the caller may abort: progressDeadlineAbort). */
gboolean sim_argo_rollout_progress (SimArgoRollout *r, SimWorld *w,
                                    const SimArgoStatus *now,
                                    SimArgoWatch watch);

/* Argo's restart (rollout/restart.go): spec.restartAt asks for every pod
 * created before it to be replaced, by eviction (the disruption budget
 * is honoured), max(maxUnavailable, 1) at a time: a pod is evicted only
 * while available - (max(R, the ReplicaSets' total) - that) > 0; the
 * ReplicaSets in priority order (stable, new, older).  What is left is
 * tried at the next reconcile, or 30 s later. */
typedef struct SimArgoRestart {
    SimTime done;  /* status.restartedAt; -1 */
    SimTime asked; /* the wake-up asked for; -1 */
} SimArgoRestart;

void sim_argo_restart_init (SimArgoRestart *r);
void sim_argo_restart (SimArgoRestart *r, SimWorld *w, SimReplicaSet **order,
                       guint n, gint max_unavailable);

#endif /* SIM_ARGO_ROLLOUT_H */
