/* strategy.h - the interface every deployment strategy implements.
 *
 * A strategy is one file exporting one `const SimStrategyClass`, listed in
 * the NULL-terminated table of registry.c.  It plays the part of the
 * Deployment (or Rollout) controller: each sync it reads the world through
 * the model's public functions (sim/world.h) and acts on it only through
 * them (create or scale a ReplicaSet, point a Service, set a weight, log an
 * event).  The model knows nothing about any particular strategy.
 *
 * Lifecycle of one run: init (may be NULL) -> start, when the rollout is
 * applied -> sync, each time the controller wakes (state changes, after
 * controller_delay; timers it asked for) -> free_data (may be NULL).
 */
#ifndef SIM_STRATEGY_H
#define SIM_STRATEGY_H

#include <glib.h>
#include "scenario.h"

typedef struct SimWorld SimWorld;

typedef struct SimStrategyClass {
    const char *name;           /* the [strategy] type that selects it */
    const char *summary;        /* one line, for --help and docs */

    /* Strategy-specific checks of a loaded scenario; may be NULL. */
    gboolean (*validate)  (const SimScenario *s, GError **error);
    /* Allocate per-run state; may be NULL (data is then NULL). */
    gpointer (*init)      (SimWorld *world);
    /* The new version was applied: begin the rollout. */
    void     (*start)     (SimWorld *world, gpointer data);
    /* One controller sync.  Called after controller_delay whenever an
     * owned ReplicaSet's status or spec changed, a Service changed, or a
     * timer the strategy set fired. */
    void     (*sync)      (SimWorld *world, gpointer data);
    /* Release per-run state; may be NULL. */
    void     (*free_data) (gpointer data);
} SimStrategyClass;

/* The registry: NULL-terminated, in the order --help lists them. */
extern const SimStrategyClass *const sim_strategies[];

/* The class called @name, or NULL. */
const SimStrategyClass *sim_strategy_lookup (const char *name);
/* "recreate, rolling, ..." (static). */
const char *sim_strategy_names (void);

#endif /* SIM_STRATEGY_H */
