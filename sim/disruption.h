/* disruption.h - [disruption]: the application's PodDisruptionBudget,
 * and the Eviction API that honours it (docs/design.md H6).
 *
 * A budget is min_available or max_unavailable (an integer or a
 * percentage, at most one; none by default).  The disruption controller's
 * arithmetic (disruption.go) is computed afresh at every eviction, as if
 * the controller had resynced on every pod change:
 *
 *     max_unavailable:        expected = the owners' scale;
 *                             desired = max(0, expected - ceil(mu))
 *     min_available integer:  expected = the pods; desired = it
 *     min_available percent:  expected = the owners' scale;
 *                             desired = ceil(pct * expected)
 *     healthy = pods Ready and not being deleted
 *     allowed = max(0, healthy - desired), 0 when expected is 0
 *
 * The owners' scale is the Deployment's spec.replicas, or for a Rollout
 * (whose ReplicaSets it owns itself) the sum of spec.replicas of the
 * ReplicaSets that own pods.  Evictions come from kubectl drain and
 * Argo's restart; Deployment and ReplicaSet scale-downs, a chaos
 * delete-pods and the taint manager delete pods without asking the
 * budget.
 */
#ifndef SIM_DISRUPTION_H
#define SIM_DISRUPTION_H

#include "scenario.h"

typedef struct SimDisruptionSettings {
    SimIntOrPercent min_available;   /* value -1: not set */
    SimIntOrPercent max_unavailable; /* value -1: not set */
} SimDisruptionSettings;

extern const SimKeyGroup sim_disruption_settings_group;

/* The budget's arithmetic for @pods selected pods, @healthy of them
 * Ready and not being deleted, the owners' @scale: expected and desired
 * healthy pods, and the disruptions allowed.  Pure: the tests check it
 * against the reference's cases. */
typedef struct SimPdbStatus {
    gint expected, desired_healthy, current_healthy, allowed;
} SimPdbStatus;

void sim_pdb_compute (const SimDisruptionSettings *ds, gint pods, gint healthy,
                      gint scale, SimPdbStatus *out);

#endif /* SIM_DISRUPTION_H */
