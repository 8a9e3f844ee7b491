/* registry.c - the table of strategies.  Adding a strategy is one file,
 * one line here and one line in the Makefile's source list (which takes
 * every strategies/ file, so in practice none). */
#include "strategy.h"

extern const SimStrategyClass sim_strategy_recreate;
extern const SimStrategyClass sim_strategy_rolling;
extern const SimStrategyClass sim_strategy_canary;
extern const SimStrategyClass sim_strategy_blue_green;

const SimStrategyClass *const sim_strategies[] = {
    &sim_strategy_recreate,
    &sim_strategy_rolling,
    &sim_strategy_canary,
    &sim_strategy_blue_green,
    NULL,
};

const SimStrategyClass *
sim_strategy_lookup (const char *name)
{
    for (guint i = 0; sim_strategies[i] != NULL; i++)
        if (g_strcmp0 (sim_strategies[i]->name, name) == 0)
            return sim_strategies[i];
    return NULL;
}

const char *
sim_strategy_names (void)
{
    static gsize done;
    static char buf[256];

    /* Built once, safely from any thread (compare runs worlds on many). */
    if (g_once_init_enter (&done)) {
        for (guint i = 0; sim_strategies[i] != NULL; i++) {
            if (i > 0)
                g_strlcat (buf, ", ", sizeof buf);
            g_strlcat (buf, sim_strategies[i]->name, sizeof buf);
        }
        g_once_init_leave (&done, 1);
    }
    return buf;
}
