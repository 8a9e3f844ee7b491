/* flagger.h - the settings of Flagger's Canary resource
 * ([strategy.flagger]), owned by flagger.c.  Its class is
 * sim_strategy_flagger (strategy.h).
 *
 * Keys keep the names of the Canary's fields (analysis.interval is
 * `interval`, analysis.stepWeights `step_weights`, ...) and Flagger's
 * defaults and rules (docs/design.md F2); the import maps Canary
 * manifests onto them.
 */
#ifndef SIM_FLAGGER_H
#define SIM_FLAGGER_H

#include "scenario.h"

/* spec.provider: a mesh that routes by weight (Istio), or none
 * (Kubernetes: every run a blue/green of 10 iterations). */
typedef enum {
    SIM_FLAGGER_ISTIO,
    SIM_FLAGGER_KUBERNETES,
} SimFlaggerProvider;

typedef struct SimFlaggerSettings {
    SimTime interval;           /* analysis.interval (raised to 10 s at use) */
    gint threshold;             /* analysis.threshold (1 when <= 0) */
    gint max_weight;            /* analysis.maxWeight (0: 100) */
    gint step_weight;           /* analysis.stepWeight */
    SimKeyList step_weights;    /* analysis.stepWeights: gint items */
    gint step_weight_promotion; /* analysis.stepWeightPromotion */
    gint iterations;            /* analysis.iterations */
    SimIntOrPercent match;      /* users whose requests match; 0: none */
    gboolean mirror;
    gint mirror_weight; /* percent; 0: 100 */
    gboolean session_affinity;
    gint primary_ready_threshold; /* percent */
    gint canary_ready_threshold;
    SimTime progress_deadline; /* spec.progressDeadlineSeconds */
    gboolean skip_analysis;
    SimTime metric_window; /* each metric's interval (query range) */
    gint provider;         /* SimFlaggerProvider */
    double load_test_rate; /* requests/s to the canary during a run */
    SimKeyOptDuration detection_delay; /* not set: random */
    SimIntOrPercent primary_max_surge, primary_max_unavailable;
} SimFlaggerSettings;

extern const SimKeyGroup sim_flagger_settings_group;

static inline const SimFlaggerSettings *
sim_flagger_settings (const SimScenario *s)
{
    return sim_scenario_group (s, &sim_flagger_settings_group);
}

static inline const gint *
sim_flagger_step_weights (const SimFlaggerSettings *fs)
{
    return fs->step_weights.items;
}

/* Flagger's own arithmetic (scheduler.go), pure: the tick period
 * (GetAnalysisInterval), the threshold (GetAnalysisThreshold), the
 * weight at which promotion starts (maxWeight) and the next step from
 * canary weight @w (nextStepWeight). */
SimTime sim_flagger_interval (const SimFlaggerSettings *fs);
gint sim_flagger_threshold (const SimFlaggerSettings *fs);
gint sim_flagger_max_weight (const SimFlaggerSettings *fs);
gint sim_flagger_next_step (const SimFlaggerSettings *fs, gint w);

#endif /* SIM_FLAGGER_H */
