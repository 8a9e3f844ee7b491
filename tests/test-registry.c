/* test-registry.c - the contract every strategy keeps, checked over every
 * registered strategy and over a strategy this test adds itself
 * (noop-strategy.c): names unique, required hooks present, the settings
 * group named after the strategy with defaults that load, and a run that
 * ends, conserves requests and leaves every pod on the new version.
 *
 * It links the library alone (no main.c, no test helpers): the library
 * stands on its own, and a program that assembles its own schema can add
 * a strategy with one file and one line.
 */
#include <string.h>

#include "scenario.h"
#include "scenario-place.h"
#include "strategy.h"
#include "world.h"
#include "metrics.h"
#include "noop-strategy.h"

/* Room for the surge of every strategy, a rollout at 10 s, time to end. */
static const char base_ini[] = "[scenario]\n"
                               "duration = 3m\n"
                               "[cluster]\n"
                               "nodes = 4\n"
                               "[deployment]\n"
                               "replicas = 4\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "[version.v2]\n"
                               "[traffic]\n"
                               "rate = 40\n"
                               "preview_rate = 5\n"
                               "[rollout]\n"
                               "at = 10s\n"
                               "to = v2\n";

/* The program's schema and the noop strategy: what a program of its own
 * would do to add a strategy. */
static const SimSchema *
test_schema (void)
{
    static SimSchema *schema;

    if (schema == NULL) {
        schema = sim_schema_new ();
        sim_strategy_register_all (schema);
        sim_schema_add_strategy (schema, sim_test_strategy_noop.name,
                                 sim_test_strategy_noop.settings,
                                 &sim_test_strategy_noop);
    }
    return schema;
}

/* Every class the test schema knows: the registry's and noop. */
static GPtrArray *
all_classes (void)
{
    GPtrArray *all = g_ptr_array_new ();

    for (guint i = 0; sim_strategies[i] != NULL; i++)
        g_ptr_array_add (all, (gpointer) sim_strategies[i]);
    g_ptr_array_add (all, (gpointer) &sim_test_strategy_noop);
    return all;
}

static SimScenario *
load_for (const SimStrategyClass *k, const char *extra)
{
    g_autofree char *type = g_strconcat ("strategy.type=", k->name, NULL);
    const char *sets[] = { type, extra, NULL };
    GError *error = NULL;
    SimScenario *sc = sim_scenario_load_data (test_schema (), base_ini,
                                              "contract.ini", sets, &error);

    g_assert_no_error (error);
    g_assert_nonnull (sc);
    return sc;
}

static void
test_names (void)
{
    g_autoptr (GPtrArray) all = all_classes ();
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    g_test_summary ("Every strategy has a unique name, a summary, the "
                    "required hooks, and a settings group called "
                    "strategy.NAME; the schema lists them all");
    for (guint i = 0; i < all->len; i++) {
        const SimStrategyClass *k = all->pdata[i];
        g_autofree char *group = g_strconcat ("strategy.", k->name, NULL);

        g_assert_nonnull (k->name);
        g_assert_true (sim_key_valid_name (k->name));
        g_assert_false (g_hash_table_contains (seen, k->name));
        g_hash_table_add (seen, (gpointer) k->name);
        g_assert_nonnull (k->summary);
        g_assert_nonnull (k->sync);
        g_assert_nonnull (k->settings);
        g_assert_cmpstr (k->settings->name, ==, group);
        g_assert_true (g_strv_contains (sim_schema_strategies (test_schema ()),
                                        k->name));
        g_assert_true (sim_key_find_group (sim_schema_groups (test_schema ()),
                                           group)
                       == k->settings);
    }
    g_assert_true (sim_strategy_lookup ("rolling") == &sim_strategy_rolling);
    g_assert_null (sim_strategy_lookup ("noop"));
}

static void
test_defaults (void)
{
    g_autoptr (GPtrArray) all = all_classes ();

    g_test_summary ("Every strategy's defaults load, and the scenario "
                    "records the class that runs it");
    for (guint i = 0; i < all->len; i++) {
        const SimStrategyClass *k = all->pdata[i];
        g_autoptr (SimScenario) sc = load_for (k, NULL);
        g_autofree char *ini = sim_scenario_to_ini (sc);
        g_autofree char *head = g_strdup_printf ("\n[%s]\n", k->settings->name);

        g_assert_true (sc->strategy_class == k);
        g_assert_cmpstr (sc->strategy, ==, k->name);
        g_assert_nonnull (strstr (ini, head));
    }
}

/* The conservation laws (metrics.h), which the library checks itself. */
static void
assert_conserved (SimWorld *w, const char *label)
{
    g_autofree char *why = NULL;
    SimSummary s;

    sim_world_summary (w, &s);
    g_assert_cmpuint (s.total.arrivals, >, 0);
    if (!sim_metrics_conserved (sim_world_metrics (w), &why))
        g_error ("%s: not conserved: %s", label, why);
}

/* What a strategy needs written to complete a rollout: Flagger's
 * defaults (stepWeight 0, no iterations) never advance, as upstream's
 * do not; its ticks are a minute apart unless written. */
static const char *
run_settings (const SimStrategyClass *k)
{
    if (g_strcmp0 (k->name, "flagger") == 0)
        return "strategy.flagger.step_weight=50;"
               "strategy.flagger.interval=10s";
    return NULL;
}

static void
test_run (void)
{
    g_autoptr (GPtrArray) all = all_classes ();

    g_test_summary ("Over every strategy, a rollout of a healthy version "
                    "runs to the end of the scenario, completes, conserves "
                    "requests and leaves every pod on the new version");
    for (guint i = 0; i < all->len; i++) {
        const SimStrategyClass *k = all->pdata[i];
        g_autoptr (SimScenario) sc = load_for (k, NULL);
        g_autoptr (GError) error = NULL;
        SimWorld *w;
        SimVersionStatus old, new_v;
        g_auto (GStrv)
            extra = g_strsplit (run_settings (k) ? run_settings (k) : "", ";",
                                -1);

        for (guint j = 0; extra[j] != NULL && extra[j][0]; j++)
            g_assert_true (sim_scenario_set (sc, extra[j], NULL));
        w = sim_world_new (sc, NULL, &error);

        g_assert_no_error (error);
        sim_world_run (w);
        g_test_message ("%s: outcome %s", k->name,
                        sim_outcome_name (sim_world_rollout (w)->outcome));
        g_assert_cmpint (sim_world_now (w), ==, sc->duration);
        g_assert_cmpint (sim_world_rollout (w)->outcome, ==,
                         SIM_OUTCOME_COMPLETED);
        assert_conserved (w, k->name);
        sim_world_version_status (w, sc->version_index, &old);
        sim_world_version_status (w, sc->rollout_to_index, &new_v);
        g_assert_cmpint (old.desired, ==, 0);
        g_assert_cmpint (old.st.replicas + old.st.terminating, ==, 0);
        g_assert_cmpint (new_v.st.available, ==, sc->replicas);
        sim_world_free (w);
    }
}

static void
test_set_or_not (void)
{
    g_autoptr (SimScenario) unset = load_for (&sim_test_strategy_noop, NULL);
    g_autoptr (SimScenario)
        set = load_for (&sim_test_strategy_noop, "strategy.noop.hold=30s");
    g_autoptr (SimScenario)
        zero = load_for (&sim_test_strategy_noop, "strategy.noop.hold=0s");
    g_autofree char *ini_unset = sim_scenario_to_ini (unset);
    g_autofree char *ini_set = sim_scenario_to_ini (set);
    SimTime hold = -1;

    g_test_summary ("A value that may be left unset records whether it "
                    "was written, whatever its value, and the resolved "
                    "scenario says `default` when it was not");
    g_assert_false (sim_test_noop_hold (unset, &hold));
    g_assert_true (sim_test_noop_hold (set, &hold));
    g_assert_cmpint (hold, ==, 30 * SIM_SEC);
    g_assert_true (sim_test_noop_hold (zero, &hold));
    g_assert_cmpint (hold, ==, 0);
    g_assert_nonnull (strstr (ini_unset,
                              "\n[strategy.noop]\nhold = default\n"));
    g_assert_nonnull (strstr (ini_set, "\n[strategy.noop]\nhold = 30s\n"));
}

static void
test_origins (void)
{
    g_autoptr (SimOrigin) set = sim_origin_new_set ("deployment.replicas=x");
    g_autoptr (SimOrigin)
        yaml = sim_origin_new_import ("deploy.yaml", 14, "spec.replicas");
    g_autofree char *a = sim_origin_format (set);
    g_autofree char *b = sim_origin_format (yaml);

    g_test_summary ("Origins read as the loader's messages name them: "
                    "--set GROUP.KEY=VALUE, FILE:LINE (field.path)");
    g_assert_cmpstr (a, ==, "--set deployment.replicas=x");
    g_assert_cmpstr (b, ==, "deploy.yaml:14 (spec.replicas)");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/strategy/contract/names", test_names);
    g_test_add_func ("/strategy/contract/defaults", test_defaults);
    g_test_add_func ("/strategy/contract/run", test_run);
    g_test_add_func ("/strategy/settings/set-or-not", test_set_or_not);
    g_test_add_func ("/scenario/places/origins", test_origins);
    return g_test_run ();
}
