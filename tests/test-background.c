/* test-background.c - [background]: other workloads take room on the
 * nodes from t = 0, so that a surge that would fit an empty cluster
 * does not; DaemonSets take a pod on every node; what fits nowhere is
 * one events.csv row; the grammar refuses what it cannot read.
 *
 * Expected counts are worked by hand from the scheduler's rule
 * (cluster.c: the node with the most room left, ties to the lowest).
 */
#include <glib.h>
#include <string.h>

#include "testutil.h"
#include "background.h"
#include "event-log.h"
#include "metrics.h"

/* Two nodes of 1 CPU; 3 pods of 300m roll one at a time (surge 1). */
static const char base_ini[] = "[scenario]\n"
                               "duration = 1m\n"
                               "[cluster]\n"
                               "nodes = 2\n"
                               "node_cpu = 1\n"
                               "[deployment]\n"
                               "replicas = 3\n"
                               "version = a\n"
                               "cpu = 300m\n"
                               "[version.a]\n"
                               "[version.b]\n"
                               "[traffic]\n"
                               "rate = 0\n"
                               "[strategy.rolling]\n"
                               "max_surge = 1\n"
                               "max_unavailable = 0\n"
                               "[rollout]\n"
                               "at = 10s\n"
                               "to = b\n";

static guint
count_events (SimWorld *w, SimEventKind kind, const char *object_prefix)
{
    SimEventLog *log = sim_world_events (w);
    guint n = 0;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        n += r->kind == kind
             && (object_prefix == NULL
                 || g_str_has_prefix (r->object, object_prefix));
    }
    return n;
}

/* Without a background the surge pod fits (2 x 1000m hold 4 x 300m). */
static void
test_empty (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, NULL);
    SimWorld *w = sim_test_run (sc);
    SimSummary s;

    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpuint (count_events (w, SIM_EVENT_POD_UNSCHEDULABLE, NULL), ==,
                      0);
    sim_world_free (w);
}

/* A 600m redis goes to node 0 and the agent (100m) to both: node 0
 * keeps 300m, node 1 900m.  The three pods of 300m all go to node 1
 * (the most room left), and the surge pod fits in node 0's 300m.  With
 * a 700m redis node 0 keeps 200m: the surge pod waits. */
static void
test_room_taken (void)
{
    const char *fits[] = { "background.workloads=redis 1 600m 1Gi; agent "
                           "per-node 100m 64Mi",
                           NULL };
    const char *blocked[] = { "background.workloads=redis 1 700m 1Gi; agent "
                              "per-node 100m 64Mi",
                              NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (base_ini, fits);
    g_autoptr (SimScenario) b = sim_test_scenario (base_ini, blocked);
    SimWorld *w = sim_test_run (a);

    g_assert_cmpuint (count_events (w, SIM_EVENT_POD_UNSCHEDULABLE, NULL), ==,
                      0);
    sim_world_free (w);
    w = sim_test_run (b);
    g_assert_cmpuint (count_events (w, SIM_EVENT_POD_UNSCHEDULABLE, "b-"), ==,
                      1);
    sim_world_free (w);
}

/* A pod that fits on no node is one row naming the workload. */
static void
test_unplaced (void)
{
    const char *sets[] = { "background.workloads=big 3 900m 1Gi", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    const SimEventRow *r = NULL;

    for (guint i = 0; i < sim_event_log_len (log); i++)
        if (strcmp (sim_event_log_row (log, i)->object, "background/big") == 0)
            r = sim_event_log_row (log, i);
    g_assert_nonnull (r);
    g_assert_cmpint (r->time, ==, 0);
    g_assert_cmpint (r->value, ==, 1);
    g_assert_cmpstr (r->detail, ==, "1 of 3 background pods fit on no node");
    sim_world_free (w);
}

static void
test_grammar (void)
{
    static const struct {
        const char *value;
        const char *message;
    } bad[] = {
        { "redis 1 100m", "expected NAME REPLICAS CPU MEMORY" },
        { "redis x 100m 1Gi", "the replicas must be an integer" },
        { "red/is 1 100m 1Gi", "bad name \"red/is\"" },
        { "redis 1 lots 1Gi", "CPU" },
    };
    const char *good[] = { "background.workloads=a 2 0.5 1G;b per-node 1 64Mi",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, good);
    const SimBackgroundSettings *bs = sim_background_settings (sc);
    g_autofree char *ini = sim_scenario_to_ini (sc);

    g_assert_cmpint (bs->workloads.n, ==, 2);
    g_assert_cmpint (sim_background_workloads (bs)[1].replicas, ==,
                     SIM_BACKGROUND_PER_NODE);
    g_assert_nonnull (
        strstr (ini, "workloads = a 2 500m 1000000000; b per-node 1 64Mi\n"));
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autofree char *set = g_strconcat ("background.workloads=",
                                            bad[i].value, NULL);
        const char *sets[] = { set, NULL };
        g_autoptr (GError) error = NULL;
        g_autoptr (SimScenario)
            no = sim_scenario_load_data (sim_cli_schema (), base_ini, "t.ini",
                                         sets, &error);

        g_assert_null (no);
        if (strstr (error->message, bad[i].message) == NULL)
            g_error ("\"%s\" lacks \"%s\"", error->message, bad[i].message);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_summary ("[background]: workloads that take room on the nodes "
                    "from t = 0.");
    g_test_add_func ("/background/empty", test_empty);
    g_test_add_func ("/background/room-taken", test_room_taken);
    g_test_add_func ("/background/unplaced", test_unplaced);
    g_test_add_func ("/background/grammar", test_grammar);
    return g_test_run ();
}
