/* registry.c - the table of strategies, and the groups of settings that
 * several strategies share.  Adding a strategy is one file and one line
 * here: its settings come with its class. */
#include <string.h>

#include "strategy.h"
#include "analysis.h"
#include "canary.h"

const SimStrategyClass *const sim_strategies[] = {
    &sim_strategy_rolling,    &sim_strategy_recreate, &sim_strategy_canary,
    &sim_strategy_blue_green, &sim_strategy_flagger,  NULL,
};

/* Settings used by several strategies, placed after theirs. */
static const SimKeyGroup *const shared_groups[] = {
    &sim_analysis_settings_group,
    NULL,
};

/* Settings outside a strategy's own group that only some strategies
 * read: written for another, the loader warns (newcomer audit D14). */
static const char *const analysis_readers[] = { "canary", "bluegreen",
                                                "flagger", NULL };
/* Flagger reads [analysis] metrics only: its own interval and threshold
 * are in [strategy.flagger]. */
static const char *const argo_readers[] = { "canary", "bluegreen", NULL };
static const char *const preview_readers[] = { "bluegreen", NULL };
static const struct {
    const char *group, *key;
    const char *const *strategies;
} partial_settings[] = {
    { "analysis", NULL, analysis_readers },
    { "analysis", "interval", argo_readers },
    { "analysis", "count", argo_readers },
    { "analysis", "initial_delay", argo_readers },
    { "analysis", "failure_limit", argo_readers },
    { "analysis", "inconclusive_limit", argo_readers },
    { "analysis", "consecutive_error_limit", argo_readers },
    { "analysis", "min_requests", argo_readers },
    { "analysis", "background", argo_readers },
    { "analysis", "start_step", argo_readers },
    { "traffic", "preview_rate", preview_readers },
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

/* A canary's background analysis with count 0 logs a measurement every
 * interval from the rollout (after its initial delay) to the end of the
 * run: rows the memory budget must know of before the run. */
static gint64
analysis_rows (const SimScenario *s)
{
    const SimAnalysisSettings *as = sim_analysis_settings (s);
    SimTime from;

    if (strcmp (s->strategy, "canary") != 0 || !s->has_rollout
        || !as->background || as->count != 0)
        return 0;
    from = s->rollout_at + as->initial_delay;
    return from < s->duration ? (s->duration - from) / as->interval : 0;
}

void
sim_strategy_register_all (SimSchema *schema)
{
    for (guint i = 0; sim_strategies[i] != NULL; i++)
        sim_schema_add_strategy (schema, sim_strategies[i]->name,
                                 sim_strategies[i]->settings,
                                 sim_strategies[i]);
    for (guint i = 0; shared_groups[i] != NULL; i++)
        sim_schema_add_group (schema, shared_groups[i]);
    for (guint i = 0; i < G_N_ELEMENTS (partial_settings); i++)
        sim_schema_add_readers (schema, partial_settings[i].group,
                                partial_settings[i].key,
                                partial_settings[i].strategies);
    sim_schema_add_rows (schema, "analysis", "interval", analysis_rows);
}
