/* rolling.h - the settings of the Kubernetes RollingUpdate strategy
 * ([strategy.rolling]), owned by rolling.c.  Its class is
 * sim_strategy_rolling (strategy.h).
 */
#ifndef SIM_ROLLING_H
#define SIM_ROLLING_H

#include "scenario.h"

typedef struct SimRollingSettings {
    SimIntOrPercent max_surge;
    SimIntOrPercent max_unavailable;
} SimRollingSettings;

extern const SimKeyGroup sim_rolling_settings_group;

static inline const SimRollingSettings *
sim_rolling_settings (const SimScenario *s)
{
    return sim_scenario_group (s, &sim_rolling_settings_group);
}

#endif /* SIM_ROLLING_H */
