/* noop-strategy.c - a strategy that exists only for test-registry: it
 * shows that a strategy, settings included, is one file plus one table
 * line (here, one sim_schema_add_strategy call), and gives the "set or
 * not" kind of value a user.
 *
 * "noop" creates the new ReplicaSet at full size, and once every new pod
 * is available (or, when `hold` is set, that long after the rollout
 * started) scales every old ReplicaSet to 0 and completes.
 */
#include "noop-strategy.h"

typedef struct {
    SimKeyOptDuration hold; /* default: until the new pods are up */
} NoopSettings;

typedef struct {
    const NoopSettings *ns;
    SimReplicaSet *new_rs;
    SimTime started;
} Noop;

static gpointer
noop_init (SimWorld *w, gconstpointer settings)
{
    Noop *n = g_new0 (Noop, 1);

    n->ns = settings;
    return n;
}

/* The template changed: create its ReplicaSet at full size. */
static void
noop_begin (SimWorld *w, Noop *n)
{
    n->started = sim_world_now (w);
    n->new_rs = sim_world_create_replica_set (w, sim_world_spec (w)->replicas);
    if (n->ns->hold.set)
        sim_world_wake_at (w, n->started + n->ns->hold.value);
}

static void
noop_sync (SimWorld *w, gpointer data)
{
    Noop *n = data;
    const SimScenario *sc = sim_world_scenario (w);
    SimReplicaSetStatus st;
    gboolean go;

    if (n->new_rs == NULL) {
        if (sim_world_replica_set_for (w, sim_world_spec (w)->template) != NULL)
            return; /* the initial one: nothing to roll out */
        noop_begin (w, n);
    }

    sim_replica_set_status (n->new_rs, &st);
    go = n->ns->hold.set ? sim_world_now (w) >= n->started + n->ns->hold.value
                         : st.available == sc->replicas;
    if (!go)
        return;
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);

        if (rs != n->new_rs)
            sim_world_scale_replica_set (w, rs, 0);
    }
    if (st.available == sc->replicas)
        sim_world_rollout_completed (w);
}

static const SimKeyRow noop_rows[] = {
    SIM_KEY ("hold", "default", "",
             "a duration " SIM_KEY_DURATIONS ", or default",
             "How long the old pods stay; default: until every new pod is "
             "available.",
             SIM_KEY_T_OPT_DURATION (NoopSettings, hold, 0)),
    SIM_KEY_END,
};

static const SimKeyGroup noop_group = {
    .name = "strategy.noop",
    .doc = "A test-only strategy.",
    .rows = noop_rows,
    .size = sizeof (NoopSettings),
};

const SimStrategyClass sim_test_strategy_noop = {
    .name = "noop",
    .summary = "test only: new pods up, then old pods down",
    .settings = &noop_group,
    .init = noop_init,
    .sync = noop_sync,
    .free_data = g_free,
};

gboolean
sim_test_noop_hold (const SimScenario *s, SimTime *hold)
{
    const NoopSettings *ns = sim_scenario_group (s, &noop_group);

    *hold = ns->hold.value;
    return ns->hold.set;
}
