/* strategy.h - the interface every deployment strategy implements.
 *
 * A strategy is one file exporting one `const SimStrategyClass`, listed in
 * the NULL-terminated table of registry.c; its settings group
 * ([strategy.NAME], keytab.h) is part of the class, so adding a strategy
 * is that file and one table line, settings included.  It plays the part
 * of the Deployment (or Rollout) controller: each sync it reads the world
 * through the model's public functions (sim/world.h) and acts on it only
 * through them (create or scale a ReplicaSet, point a Service, set a
 * weight, log an event).  The model knows nothing about any particular
 * strategy.
 *
 * Lifecycle of one run: init (may be NULL), once the initial ReplicaSet
 * exists -> start (may be NULL), once the user's writes are scheduled ->
 * sync, each time the controller wakes (state changes, after
 * controller_delay; timers it asked for; at once when the Deployment's
 * spec changes, as when a rollout is applied: the strategy compares the
 * spec with what it saw last, as a controller does) -> free_data (may be
 * NULL).
 * Callers use the sim_strategy_* wrappers below, which know which hooks
 * may be NULL.
 */
#ifndef SIM_STRATEGY_H
#define SIM_STRATEGY_H

#include <glib.h>
#include "scenario.h"

typedef struct SimWorld SimWorld;

/* `kubectl argo rollouts COMMAND` on a Rollout: patches of its status
 * that the controller acts on (the spec's own writes - pause, scale, a
 * new template, restartAt - go through the Deployment object). */
typedef enum {
    SIM_COMMAND_PROMOTE,
    SIM_COMMAND_PROMOTE_FULL,
    SIM_COMMAND_ABORT,
    SIM_COMMAND_RETRY,
} SimCommand;

typedef struct SimStrategyClass {
    const char *name;    /* the [strategy] type that selects it */
    const char *summary; /* one line, for --help and docs */
    /* An Argo Rollout (kubectl argo rollouts applies to it), not a
     * Kubernetes Deployment: what kubectl's messages call the object,
     * which user actions upstream accepts, how a PodDisruptionBudget
     * counts its scale. */
    gboolean rollout;
    /* [strategy.NAME]: its keys, checks and the settings struct the
     * loader fills; a group without rows when it has none. */
    const SimKeyGroup *settings;
    /* The Deployments it runs itself, by label, NULL-terminated (at most
     * SIM_MAX_DEPLOYMENTS); NULL: it runs the application's (world.h).
     * The first holds the initial pods; the last is the one the user's
     * writes reach in upstream (Flagger's target, the canary), whose
     * history `undo` walks. */
    const char *const *deployments;

    /* Allocate per-run state from the loaded @settings; may be NULL
     * (data is then NULL). */
    gpointer (*init) (SimWorld *world, gconstpointer settings);
    /* The world is built, the user's writes (the [rollout], the
     * timeline) scheduled: wake-ups asked for from here on run after the
     * writes of the same instant.  May be NULL. */
    void (*start) (SimWorld *world, gpointer data);
    /* One controller sync.  Called after controller_delay whenever an
     * owned ReplicaSet's status or spec changed, a Service changed, or a
     * timer the strategy set fired; at once when the spec changed. */
    void (*sync) (SimWorld *world, gpointer data);
    /* A user's command (a Rollout's; NULL for a Deployment, which has
     * none): apply it and return TRUE, or refuse it with *@refusal in the
     * CLI's words (newly allocated). */
    gboolean (*command) (SimWorld *world, gpointer data, SimCommand cmd,
                         char **refusal);
    /* Release per-run state; may be NULL. */
    void (*free_data) (gpointer data);
    /* The scale subresource an HPA reads: set @selected[i] for each
     * ReplicaSet i (sim_world_replica_set's order) whose pods the
     * scale's status.selector picks, and return status.replicas.
     * @stable_only: a Rollout reports HPAReplicas as argo-rollouts PR
     * #4868 does.  May be NULL: a Deployment's scale, every ReplicaSet,
     * status.replicas their pods not terminating. */
    gint (*scale_status) (SimWorld *world, gpointer data, gboolean stable_only,
                          gboolean *selected);
} SimStrategyClass;

extern const SimStrategyClass sim_strategy_rolling;
extern const SimStrategyClass sim_strategy_recreate;
extern const SimStrategyClass sim_strategy_canary;
extern const SimStrategyClass sim_strategy_blue_green;
extern const SimStrategyClass sim_strategy_flagger;

/* The registry: NULL-terminated, in the order --help lists them, which is
 * also the order of their groups in a resolved scenario. */
extern const SimStrategyClass *const sim_strategies[];

/* The class called @name, or NULL. */
const SimStrategyClass *sim_strategy_lookup (const char *name);
/* "rolling, recreate, ..." (static). */
const char *sim_strategy_names (void);

/* Add every registered strategy, and the groups they share, to
 * @schema. */
void sim_strategy_register_all (SimSchema *schema);

static inline gpointer
sim_strategy_init (const SimStrategyClass *klass, SimWorld *w,
                   gconstpointer settings)
{
    return klass->init != NULL ? klass->init (w, settings) : NULL;
}

/* The default scale_status: every ReplicaSet (world.c). */
gint sim_world_scale_status_all (SimWorld *w, gboolean *selected);

static inline gint
sim_strategy_scale_status (const SimStrategyClass *klass, SimWorld *w,
                           gpointer data, gboolean stable_only,
                           gboolean *selected)
{
    if (klass->scale_status != NULL)
        return klass->scale_status (w, data, stable_only, selected);
    return sim_world_scale_status_all (w, selected);
}

static inline void
sim_strategy_start (const SimStrategyClass *klass, SimWorld *w, gpointer data)
{
    if (klass->start != NULL)
        klass->start (w, data);
}

static inline void
sim_strategy_free (const SimStrategyClass *klass, gpointer data)
{
    if (klass->free_data != NULL)
        klass->free_data (data);
}

#endif /* SIM_STRATEGY_H */
