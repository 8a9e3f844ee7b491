/* canary-steps.h - the canary step grammar of [strategy.canary] steps:
 * what a step is, how it is read and how it is written, in one place.
 *
 *     set-weight N                         N% of traffic to the canary
 *     pause | pause DURATION               wait for ever, or that long
 *     set-canary-scale replicas N          N canary pods (with a router)
 *     set-canary-scale weight N            N% of replicas as canary pods
 *     set-canary-scale match-traffic-weight
 *     analysis                             run [analysis] inline
 *
 * These are Argo Rollouts' canary steps (docs/design.md A1): setWeight,
 * pause, setCanaryScale and analysis.
 */
#ifndef SIM_CANARY_STEPS_H
#define SIM_CANARY_STEPS_H

#include <glib.h>
#include "keytab.h"

typedef enum {
    SIM_STEP_SET_WEIGHT,       /* value = weight 0..100 */
    SIM_STEP_PAUSE,            /* duration; SIM_TIME_NEVER = for ever */
    SIM_STEP_SET_CANARY_SCALE, /* scale_kind, value */
    SIM_STEP_ANALYSIS,         /* inline analysis run */
} SimStepKind;

typedef enum {
    SIM_CANARY_SCALE_REPLICAS,
    SIM_CANARY_SCALE_WEIGHT,
    SIM_CANARY_SCALE_MATCH_TRAFFIC,
} SimCanaryScaleKind;

typedef struct SimCanaryStep {
    SimStepKind kind;
    gint value;       /* weight or replicas */
    SimTime duration; /* pause */
    SimCanaryScaleKind scale_kind;
} SimCanaryStep;

/* The list item of the steps key (keytab.h): parse one step. */
extern const SimKeyItem sim_canary_step_item;

/* What the steps key accepts, for messages and the reference. */
#define SIM_CANARY_ACCEPT_STEPS \
    "items separated by ';': set-weight N, " \
    "pause, pause DURATION, set-canary-scale replicas N, " \
    "set-canary-scale weight N, set-canary-scale match-traffic-weight, " \
    "analysis"

/* The canonical text of one step ("pause 1m").  Newly allocated. */
char *sim_canary_step_text (const SimCanaryStep *step);

/* No inline analysis step when @count (analysis.count) is 0: such an
 * analysis measures until the rollout ends, so the step would never
 * complete (newcomer audit D4).  FALSE with a
 * SIM_SCENARIO_ERROR_CONFLICT naming the step. */
gboolean sim_canary_steps_check_analysis (const SimCanaryStep *steps, gint n,
                                          gint count, GError **error);

/* The canary pods a set-canary-scale step asks for with @replicas
 * (rounded up, as Argo does); 0 for any other step. */
gint64 sim_canary_scale_pods (const SimCanaryStep *step, gint replicas);
/* Every set-canary-scale step within SIM_MAX_REPLICAS pods, the cap of
 * deployment.replicas: `replicas N` is capped as it is read, `weight N`
 * (a percentage) only here, once replicas is known.  FALSE with a
 * SIM_SCENARIO_ERROR_CONFLICT naming the step. */
gboolean sim_canary_steps_check_scale (const SimCanaryStep *steps, gint n,
                                       gint replicas, GError **error);

#endif /* SIM_CANARY_STEPS_H */
