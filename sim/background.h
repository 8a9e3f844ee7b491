/* background.h - [background]: the cluster's other workloads, which the
 * simulation does not run but which take room on the nodes.
 *
 * `workloads = NAME REPLICAS CPU MEMORY; ...` lists them; REPLICAS is a
 * count or `per-node` (a DaemonSet: one pod on every node).  Their pods
 * are placed at t = 0, before the application's, by the scheduler's own
 * rule (cluster.c), so that "will the surge fit" counts them.  They never
 * start, serve, move or go.  `rollsim import` fills the group from the
 * Deployments, StatefulSets and DaemonSets of its input that are not
 * the workload simulated.
 */
#ifndef SIM_BACKGROUND_H
#define SIM_BACKGROUND_H

#include "scenario.h"

/* Longest workload name (a DNS label, as Kubernetes names most). */
#define SIM_BACKGROUND_NAME_MAX 63

typedef struct SimBackgroundWorkload {
    char name[SIM_BACKGROUND_NAME_MAX + 1];
    gint replicas; /* SIM_BACKGROUND_PER_NODE: one on every node */
    gint64 cpu;    /* millicores per pod */
    gint64 memory; /* bytes per pod */
} SimBackgroundWorkload;

#define SIM_BACKGROUND_PER_NODE (-1)

typedef struct SimBackgroundSettings {
    SimKeyList workloads; /* SimBackgroundWorkload items */
} SimBackgroundSettings;

extern const SimKeyGroup sim_background_group;

/* The settings, or NULL when the program's schema has no [background]
 * (a program assembled without it has no background). */
static inline const SimBackgroundSettings *
sim_background_settings (const SimScenario *s)
{
    return sim_scenario_group_if (s, &sim_background_group);
}

static inline const SimBackgroundWorkload *
sim_background_workloads (const SimBackgroundSettings *bs)
{
    return bs->workloads.items;
}

#endif /* SIM_BACKGROUND_H */
