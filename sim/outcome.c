/* outcome.c - the names of causes and outcomes.  See outcome.h. */
#include "outcome.h"

static const char *const cause_names[] = {
#define SIM_CAUSE_NAME(id, name) name,
    SIM_CAUSES (SIM_CAUSE_NAME)
#undef SIM_CAUSE_NAME
};

static const char *const outcome_names[] = {
#define SIM_OUTCOME_NAME(id, name) name,
    SIM_OUTCOMES (SIM_OUTCOME_NAME)
#undef SIM_OUTCOME_NAME
};

const char *
sim_cause_name (SimCause cause)
{
    g_return_val_if_fail (cause < SIM_N_CAUSES, "?");
    return cause_names[cause];
}

const char *
sim_outcome_name (SimOutcome outcome)
{
    g_return_val_if_fail (outcome < G_N_ELEMENTS (outcome_names), "?");
    return outcome_names[outcome];
}
