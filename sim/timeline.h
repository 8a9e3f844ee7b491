/* timeline.h - [timeline]: what people and the cluster do during a run.
 *
 * `actions` is a list of `TIME ACTION [ARGS] [if-unfinished]` separated
 * by ';': `2m pause; 4m resume; 5m scale 20; rollout+5m undo
 * if-unfinished`.  TIME is simulated time like rollout.at, or
 * `rollout+D`, D after [rollout] at.  `if-unfinished` runs the action
 * only when the rollout under way has not completed by then (the CI
 * habit `kubectl rollout status --timeout=5m || kubectl rollout undo`).
 * `--at "TIME ACTION"` on the command line appends to the list
 * (`--set timeline.actions+=...`).
 *
 * Each action is one line of the table in timeline.c: its name, its
 * arguments, the checks `rollsim check` makes of it and its effect on the
 * world.  What upstream refuses (resume when not paused, undo while
 * paused, promote on a Deployment, a node that does not exist) is an
 * error at check time when it can be known then, and otherwise an
 * `action-refused` row with kubectl's words.
 */
#ifndef SIM_TIMELINE_H
#define SIM_TIMELINE_H

#include "scenario.h"

/* One action as written. */
typedef struct SimAction {
    SimTime at;             /* as written */
    gboolean after_rollout; /* at is after [rollout] at */
    gboolean if_unfinished;
    gint kind;     /* its line of the table */
    char name[48]; /* VERSION or NODE ("busiest") */
    gint64 count;  /* N */
    double number; /* R, P */
} SimAction;

typedef struct SimTimelineSettings {
    SimKeyList actions; /* SimAction items */
} SimTimelineSettings;

extern const SimKeyGroup sim_timeline_settings_group;

static inline const SimTimelineSettings *
sim_timeline_settings (const SimScenario *s)
{
    return sim_scenario_group (s, &sim_timeline_settings_group);
}

static inline const SimAction *
sim_timeline_actions (const SimTimelineSettings *ts)
{
    return ts->actions.items;
}

/* The action's name ("scale") and its text as written canonically
 * ("5m scale 20").  Newly allocated. */
const char *sim_action_name (const SimAction *a);
char *sim_action_text (const SimAction *a);
/* When it happens in simulated time (rollout+D resolved). */
SimTime sim_action_time (const SimAction *a, const SimScenario *s);

#endif /* SIM_TIMELINE_H */
