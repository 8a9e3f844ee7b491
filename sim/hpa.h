/* hpa.h - [autoscaling]: the application's HorizontalPodAutoscaler, its
 * settings and its controller.
 *
 * The HPA targets the application's Deployment (or Rollout) through its
 * scale subresource: every sync_period it lists the pods the scale's
 * selector picks, reads their metric from the metrics pipeline
 * (resource-use.c), proposes a replica count (hpa-math.h), normalizes it
 * and, when it differs from spec.replicas, writes spec.replicas - a
 * scaling event the Deployment controller handles proportionally, or a
 * Rollout's scale (docs/design.md H1, H3).  Each write is an `hpa-scaled`
 * row of events.csv saying which metric, what ratio and which rule
 * decided.
 *
 * Without max_replicas (its default, none) there is no HPA and this
 * module costs nothing.  Writing any behavior key (windows, policies,
 * selects) selects autoscaling/v2's behavior rules, with Kubernetes'
 * defaults for the others; writing none keeps the legacy normalization,
 * as an HPA without spec.behavior does.
 */
#ifndef SIM_HPA_H
#define SIM_HPA_H

#include "scenario.h"
#include "hpa-math.h"

typedef enum {
    SIM_HPA_METRIC_CPU,      /* Resource cpu, Utilization */
    SIM_HPA_METRIC_MEMORY,   /* Resource memory, Utilization */
    SIM_HPA_METRIC_REQUESTS, /* Pods AverageValue: requests/s per pod */
    SIM_HPA_METRIC_EXTERNAL, /* External AverageValue */
} SimHpaMetric;

/* rollout_hpa_replicas: what a Rollout reports as status.HPAReplicas. */
typedef enum {
    SIM_HPA_ROLLOUT_ALL_PODS,    /* today's Argo: every ReplicaSet */
    SIM_HPA_ROLLOUT_STABLE_ONLY, /* PR #4868: the stable's alone */
} SimHpaRolloutReplicas;

/* `80%` (a utilization) or `50` (an average value). */
typedef struct SimHpaTarget {
    double value;
    gboolean percent;
} SimHpaTarget;

/* external_total: a number, or the traffic's rate (`rate`). */
typedef struct SimHpaTotal {
    double value;
    gboolean rate;
} SimHpaTotal;

typedef struct SimHpaSettings {
    gint min_replicas;
    gint max_replicas; /* -1: none (no HPA) */
    gint metric;       /* SimHpaMetric */
    SimHpaTarget target;
    SimHpaTotal external_total;
    SimTime sync_period;
    double tolerance;
    SimKeyOptDuration scale_up_window, scale_down_window;
    SimKeyList scale_up_policies, scale_down_policies; /* SimHpaPolicy */
    /* 0: `default` (not written: Max), else SimHpaSelect + 1. */
    gint scale_up_select, scale_down_select;
    SimTime cpu_init_period;
    SimTime initial_readiness_delay;
    SimTime metrics_resolution;
    gint rollout_hpa_replicas; /* SimHpaRolloutReplicas */
} SimHpaSettings;

extern const SimKeyGroup sim_hpa_group;

/* The HPA's settings, or NULL when the scenario has none (max_replicas
 * none, or a program without the group). */
static inline const SimHpaSettings *
sim_hpa_settings (const SimScenario *s)
{
    const SimHpaSettings *h = sim_scenario_group_if (s, &sim_hpa_group);

    return h != NULL && h->max_replicas >= 0 ? h : NULL;
}

/* The metrics pipeline's resolution (15 s unless written). */
SimTime sim_hpa_metrics_resolution (const SimScenario *s);

/* Whether the behavior rules apply (any behavior key written). */
gboolean sim_hpa_has_behavior (const SimHpaSettings *h);

#endif /* SIM_HPA_H */
