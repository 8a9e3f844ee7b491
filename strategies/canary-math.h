/* canary-math.h - the replica and weight arithmetic of Argo Rollouts'
 * canary strategy, as pure functions (docs/design.md
 * A1.5 and A1.6; utils/replicaset/canary.go upstream).
 *
 * Nothing here reads the world: callers pass spec and available counts
 * and get spec counts back, so tests check every function row by row
 * against the upstream unit-test tables (section A5).  Weights are
 * integers in 0..max_weight (Argo's maxTrafficWeight, 100 unless a
 * router changes it); all rounding is done in exact integer arithmetic,
 * which agrees with upstream's float64 on every tabulated row.
 */
#ifndef SIM_CANARY_MATH_H
#define SIM_CANARY_MATH_H

#include "k8s-deployment.h"

/* trafficWeightToReplicas (A5.3): ceil(weight * replicas / max_weight).
 * @weight may exceed @max_weight (setCanaryScale weight 200 of 4 pods
 * is 8). */
gint sim_canary_weight_to_replicas (gint replicas, gint weight,
                                    gint max_weight);

/* approximateWeightedCanaryStableReplicaCounts (A1.5 b): the (canary,
 * stable) split that best approximates @weight over @replicas or, when
 * @surge > 0, @replicas + 1 pods.  A weight strictly between 0 and
 * max_weight never yields 0 canary or 0 stable pods, except when
 * replicas is 1 and surge is 0; exact halves round up. */
void sim_canary_ideal_split (gint replicas, gint weight, gint max_weight,
                             gint surge, gint *canary, gint *stable);

/* CalculateReplicaCountsForBasicCanary (A1.5 a-c): the spec counts for
 * this reconcile, new and stable, given the desired @weight (already
 * resolved: 100 when promoted, 0 when aborted, else the current
 * setWeight), the resolved @surge and @max_unavailable (section A1.4),
 * the two ReplicaSets (NULL: none; pass @stable NULL as well when the
 * stable ReplicaSet is the new one) and the summed spec of every other
 * ReplicaSet.  Spec counts move within the surge and unavailability
 * budget: stable gets surge room before canary, and nothing shrinks
 * while other ReplicaSets still hold pods. */
void sim_canary_basic_counts (gint replicas, gint surge, gint max_unavailable,
                              gint weight, gint max_weight,
                              const SimK8sRs *new_rs, const SimK8sRs *stable,
                              gint other_spec, gint *new_out, gint *stable_out);

/* What CalculateReplicaCountsForTrafficRoutedCanary (A1.6) needs. */
typedef struct SimCanaryRouted {
    gint replicas;   /* R */
    gint max_weight; /* 100 */
    gboolean dynamic_stable_scale;
    gint min_pods;       /* minPodsPerReplicaSet; 0 = unset */
    gint scale_replicas; /* setCanaryScale replicas; -1 = none */
    gint weight;         /* desired canary weight (or
                            setCanaryScale weight) */
    gboolean aborted;
    gboolean weights_known; /* router weights in the status */
    gint router_canary;     /* their canary and stable weights */
    gint router_stable;
} SimCanaryRouted;

/* The spec counts of canary and stable with a traffic router: canary
 * follows the weight (or setCanaryScale); stable stays at R, or with
 * dynamic stable scale follows the rest of the weight but never drops
 * below what the router still sends it (and, aborting, canary never
 * drops below what the router still sends to the canary). */
void sim_canary_routed_counts (const SimCanaryRouted *in, gint *canary,
                               gint *stable);

/* GetDesiredCanaryWeight on abort with dynamic stable scale (A1.6): walk
 * the setWeight values of the steps (@weights, in step order) back from
 * the last one and return the largest whose replica count is below
 * max(R - stable_available, canary_available) - or only the first term
 * when @explicit_delay (abortScaleDownDelaySeconds set to a non-zero
 * value) - else 0. */
gint sim_canary_abort_weight (gint replicas, gint max_weight,
                              const gint *weights, gint n_weights,
                              gint stable_available, gint canary_available,
                              gboolean explicit_delay);

/* calculateDesiredWeightOnAbortOrStableRollback with dynamic stable scale
 * (Argo v1.9 and later, A1.6): the router weight to write on abort.
 * @desired is the walk-back weight (sim_canary_abort_weight);
 * @stable_available the stable's available pods; @weights_known and
 * @current the router's recorded canary weight.  With no weight recorded,
 * or @desired 0, it is max_weight minus the stable's available share
 * (capped at @current when known); otherwise @current is held while the
 * stable's share is below max_weight - @desired, and then it becomes
 * min(@desired, @current). */
gint sim_canary_abort_router_weight (gint replicas, gint max_weight,
                                     gint desired, gint stable_available,
                                     gboolean weights_known, gint current);

#endif /* SIM_CANARY_MATH_H */
