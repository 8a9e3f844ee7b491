/* blue-green.h - the settings of the Argo Rollouts blue-green strategy
 * ([strategy.bluegreen]), owned by blue-green.c.  Its class is
 * sim_strategy_blue_green (strategy.h).
 */
#ifndef SIM_BLUE_GREEN_H
#define SIM_BLUE_GREEN_H

#include "scenario.h"

typedef struct SimBlueGreenSettings {
    gint preview_replicas; /* -1 = all (replicas) */
    gboolean auto_promotion;
    SimTime auto_promotion_after;
    SimTime scale_down_delay;
    SimTime abort_scale_down_delay;
    gboolean pre_promotion_analysis;
    gboolean post_promotion_analysis;
} SimBlueGreenSettings;

extern const SimKeyGroup sim_blue_green_settings_group;

static inline const SimBlueGreenSettings *
sim_blue_green_settings (const SimScenario *s)
{
    return sim_scenario_group (s, &sim_blue_green_settings_group);
}

#endif /* SIM_BLUE_GREEN_H */
