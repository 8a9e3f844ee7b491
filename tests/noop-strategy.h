/* noop-strategy.h - a strategy for tests only (noop-strategy.c). */
#ifndef SIM_TEST_NOOP_STRATEGY_H
#define SIM_TEST_NOOP_STRATEGY_H

#include "strategy.h"
#include "world.h"

extern const SimStrategyClass sim_test_strategy_noop;

/* Its `hold` setting: TRUE and the value when written, FALSE (the word
 * `default`) when not. */
gboolean sim_test_noop_hold (const SimScenario *s, SimTime *hold);

#endif /* SIM_TEST_NOOP_STRATEGY_H */
