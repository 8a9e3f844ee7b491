/* k8s-deployment.h - the Kubernetes Deployment controller's arithmetic and
 * status bookkeeping, shared by the rolling and recreate strategies.
 *
 * Everything here follows docs/design.md chapter K; section numbers are
 * cited at each function.  The arithmetic functions are pure; the tests
 * check the rounding of K2.2 against K11.6's table and the whole
 * controller through the worked examples of K10.
 */
#ifndef SIM_K8S_DEPLOYMENT_H
#define SIM_K8S_DEPLOYMENT_H

#include "world.h"
#include "units.h"

/* --- Arithmetic (pure) ---------------------------------------------------- */

/* ResolveFenceposts (K2.2): surge rounded up, unavailable rounded down, and
 * unavailable 1 when both come out 0.  The surge saturates at
 * G_MAXINT - replicas, so replicas + surge never overflows. */
void sim_k8s_resolve_fenceposts (SimIntOrPercent max_surge,
                                 SimIntOrPercent max_unavailable, gint replicas,
                                 gint *surge, gint *unavailable);
/* MaxUnavailable(d) (K2.2): min(unavailable, R), 0 when R is 0. */
gint sim_k8s_max_unavailable (gint unavailable, gint replicas);
/* NewRSNewReplicas for RollingUpdate (K2.3). @all_spec: the sum of
 * spec.replicas over every ReplicaSet, the new one included. */
gint sim_k8s_new_rs_new_replicas (gint replicas, gint surge, gint all_spec,
                                  gint new_spec);

/* A ReplicaSet as the old-ReplicaSet arithmetic sees it. */
typedef struct SimK8sRs {
    gint spec;
    gint available; /* status.availableReplicas */
} SimK8sRs;

/* cleanupUnhealthyReplicas (K4.3) over @old (oldest first): shrinks specs
 * by at most @max_cleanup unavailable pods.  Returns the count removed,
 * or -1 on the stale-status error (then nothing may be applied). */
gint sim_k8s_cleanup_unhealthy (SimK8sRs *old, guint n_old, gint max_cleanup);
/* scaleDownOldReplicaSetsForRollingUpdate (K4.4): @available is the sum of
 * status.availableReplicas over every ReplicaSet.  Returns the count
 * removed. */
gint sim_k8s_scale_down_old (SimK8sRs *old, guint n_old, gint available,
                             gint min_available);
/* reconcileOldReplicaSets (K4.2): both steps, on @old (oldest first) given
 * the new ReplicaSet @new_rs.  Returns the pods removed (0: "no change",
 * which after the stale-status error may still have shrunk the
 * ReplicaSets cleaned before it); @old's specs hold the result. */
gint sim_k8s_reconcile_old (SimK8sRs *old, guint n_old, const SimK8sRs *new_rs,
                            gint replicas, gint max_unavailable);

/* A ReplicaSet as scale() (K6) sees it. */
typedef struct SimK8sScaleRs {
    gint spec;        /* in: spec.replicas; out: the size to write */
    gint ann_desired; /* desired-replicas annotation; -1 none */
    gint ann_max;     /* max-replicas annotation; -1 none */
    gint available;
    gboolean write; /* out: scaleReplicaSet is called (size and
                       annotations) */
} SimK8sScaleRs;

/* scale() of a scaling event (K6): @rs in creation order, oldest first;
 * @new_index the new ReplicaSet's index, -1 when it does not exist yet;
 * R, MaxSurge(d), RollingUpdate or not, and d.status.replicas (the max
 * annotation's fallback).  Marks the ReplicaSets to write and their
 * sizes: the only active one (or, none being active, the newest) to R;
 * a saturated new one takes everything; otherwise, RollingUpdate only,
 * each active one its proportion of R + MaxSurge (GetProportion, K2.9),
 * the leftover to the largest. */
void sim_k8s_scale_event (SimK8sScaleRs *rs, guint n, gint new_index,
                          gint replicas, gint surge, gboolean rolling,
                          gint status_replicas);

/* --- One sync of the Deployment controller, as reusable steps ------------ */

typedef struct SimK8sStatus {
    gint replicas, updated, ready, available;
} SimK8sStatus;

typedef enum {
    SIM_K8S_PROGRESS_NONE,
    SIM_K8S_PROGRESS_NEW_RS_CREATED,
    SIM_K8S_PROGRESS_FOUND_NEW_RS,
    SIM_K8S_PROGRESS_RS_UPDATED,
    SIM_K8S_PROGRESS_NEW_RS_AVAILABLE,
    SIM_K8S_PROGRESS_DEADLINE_EXCEEDED,
    SIM_K8S_PROGRESS_PAUSED,  /* Progressing=Unknown DeploymentPaused */
    SIM_K8S_PROGRESS_RESUMED, /* Progressing=Unknown DeploymentResumed */
} SimK8sProgressReason;

/* The Deployment's stored status and conditions (section K8), and what
 * one sync reads of its spec. */
typedef struct SimK8sDeployment {
    SimDeployment *obj; /* the Deployment it runs (the application's, or
                           a strategy's own) */
    gboolean recreate;
    SimIntOrPercent max_surge_set, max_unavailable_set; /* as written */
    /* Of the spec, as this sync read it. */
    gint replicas;        /* R */
    gint surge;           /* MaxSurge(d) */
    gint max_unavailable; /* MaxUnavailable(d) */
    SimTemplate target;   /* spec.template */
    SimTime deadline;     /* SIM_TIME_NEVER = none */
    SimK8sStatus written; /* last written status */
    SimK8sProgressReason reason;
    SimTime last_update;
    gboolean available_cond;   /* Available=True */
    SimTime available_changed; /* its lastTransitionTime */
    SimTime requeue_at;        /* pending deadline wake-up */
} SimK8sDeployment;

/* A RollingUpdate Deployment with these settings, and a Recreate one
 * (no surge, no unavailability budget: it does not use them); complete
 * at t = 0.  The initial ReplicaSet gets its replicas annotations. */
void sim_k8s_deployment_init (SimK8sDeployment *d, SimWorld *w,
                              SimIntOrPercent max_surge,
                              SimIntOrPercent max_unavailable);
void sim_k8s_deployment_init_recreate (SimK8sDeployment *d, SimWorld *w);
/* A RollingUpdate controller for a Deployment a strategy runs itself
 * (world.h: sim_world_deployment_at), complete at t = 0 as well. */
void sim_k8s_deployment_init_for (SimK8sDeployment *d, SimWorld *w,
                                  SimDeployment *obj, SimIntOrPercent max_surge,
                                  SimIntOrPercent max_unavailable);

/* One sync of the RollingUpdate Deployment controller (K4): the new
 * ReplicaSet grown or the old ones shrunk, then the status (K8). */
void sim_k8s_rolling_sync (SimWorld *w, SimK8sDeployment *d);

/* Read the spec for this sync: R, the resolved surge and unavailability
 * against it, the template. */
void sim_k8s_read_spec (SimK8sDeployment *d, SimWorld *w);

/* The new ReplicaSet (of the template), or NULL; and the old ones (every
 * other), oldest first, in @old (size >= n_replica_sets). */
SimReplicaSet *sim_k8s_split (SimWorld *w, const SimK8sDeployment *d,
                              SimReplicaSet **old, guint *n_old);

/* scaleReplicaSet: the size and the desired-replicas / max-replicas
 * annotations (R, R + MaxSurge), as every scaling by the Deployment
 * controller writes them. */
void sim_k8s_scale (SimWorld *w, const SimK8sDeployment *d, SimReplicaSet *rs,
                    gint replicas);

/* Creating the new ReplicaSet sets Progressing=NewReplicaSetCreated. */
SimReplicaSet *sim_k8s_create_new_rs (SimWorld *w, SimK8sDeployment *d,
                                      gint replicas);

/* syncRolloutStatus (section K8): conditions, completion, the progress
 * deadline and its requeue. */
void sim_k8s_sync_status (SimWorld *w, SimK8sDeployment *d);

/* The syncDeployment steps before a rollout step (K3 6-9): the paused
 * condition (K7); then, paused or in a scaling event, `sync` (K6):
 * scale() and the status without progress estimation.  TRUE when that
 * was the sync (no rollout step this time). */
gboolean sim_k8s_sync_paused_or_scaled (SimWorld *w, SimK8sDeployment *d,
                                        SimReplicaSet *new_rs,
                                        SimReplicaSet **old, guint n_old);

#endif /* SIM_K8S_DEPLOYMENT_H */
