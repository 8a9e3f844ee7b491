/* canary.h - the settings of the Argo Rollouts canary strategy
 * ([strategy.canary]), owned by canary.c.  Its class is
 * sim_strategy_canary (strategy.h).
 */
#ifndef SIM_CANARY_H
#define SIM_CANARY_H

#include "scenario.h"
#include "canary-steps.h"

typedef enum {
    SIM_TRAFFIC_ROUTING_NONE,     /* split by pod counts, one Service */
    SIM_TRAFFIC_ROUTING_WEIGHTED, /* a router splits by weight */
} SimTrafficRouting;

typedef struct SimCanarySettings {
    SimKeyList steps; /* SimCanaryStep items */
    SimIntOrPercent max_surge;
    SimIntOrPercent max_unavailable;
    SimTrafficRouting traffic_routing;
    gboolean dynamic_stable_scale;
    /* Set or not: Argo tells an unset field (its default, 30 s, and
     * with dynamic_stable_scale no abort hold) from one written, even
     * written as 30s.  sim_canary_delay() gives the value in force. */
    SimKeyOptDuration scale_down_delay;
    SimKeyOptDuration abort_scale_down_delay;
    SimTime progress_deadline; /* SIM_TIME_NEVER = none */
    gboolean progress_deadline_abort;
} SimCanarySettings;

extern const SimKeyGroup sim_canary_settings_group;

static inline const SimCanarySettings *
sim_canary_settings (const SimScenario *s)
{
    return sim_scenario_group (s, &sim_canary_settings_group);
}

/* Argo's default of scaleDownDelaySeconds and
 * abortScaleDownDelaySeconds when the field is not set. */
#define SIM_CANARY_DEFAULT_DELAY (30 * SIM_SEC)

/* The delay in force: the written value, else Argo's default. */
static inline SimTime
sim_canary_delay (SimKeyOptDuration d)
{
    return d.set ? d.value : SIM_CANARY_DEFAULT_DELAY;
}

static inline const SimCanaryStep *
sim_canary_steps (const SimCanarySettings *cs)
{
    return cs->steps.items;
}

#endif /* SIM_CANARY_H */
