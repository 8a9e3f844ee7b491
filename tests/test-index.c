/* test-index.c - what the model keeps instead of scanning: the
 * scheduler's index of open nodes (cluster.c), whose every placement is
 * the one a scan of all nodes makes, and each ReplicaSet's status
 * counters (pod.c, replica-set.c), which equal a count of its pods
 * whenever they are read - through node failures, cordons, drains,
 * taints, node additions and removals, other workloads' pods of other
 * sizes, crashes, deletions and scaling. */
#include <string.h>
#include "testutil.h"
#include "model.h"

/* Run @sc with every placement checked against the scan and every
 * status read checked against a count (an assertion in cluster.c or
 * replica-set.c fails the test on the first difference). */
static void
run_verified (const SimScenario *sc)
{
    SimWorld *w;

    sim_model_set_verify (TRUE);
    w = sim_test_run (sc);
    sim_model_set_verify (FALSE);
    sim_world_free (w);
}

static void
run_dir (const char *relative)
{
    g_autofree char *path = sim_test_src (relative);
    g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
    const char *name;
    guint runs = 0;

    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL) {
        g_autofree char *file = g_build_filename (path, name, NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (SimScenario) sc = NULL;

        /* The benchmarks are long; bench.ini's placements are those of
         * seed-rolling's kind, at 100 pods. */
        if (!g_str_has_suffix (name, ".ini")
            || g_str_has_prefix (name, "bench"))
            continue;
        sc = sim_scenario_load (sim_cli_schema (), file, NULL, &error);
        g_assert_no_error (error);
        g_test_message ("%s", name);
        run_verified (sc);
        runs++;
    }
    g_assert_cmpuint (runs, >, 5);
}

static void
test_shipped (void)
{
    g_test_summary ("In every shipped scenario (node loss, drain with a PDB, "
                    "the cluster autoscaler's surge, rollovers, canaries, "
                    "blue-green) the index places each pod where the scan "
                    "of all nodes does, and ReplicaSet statuses equal a "
                    "count of their pods");
    run_dir ("scenarios");
    run_dir ("scenarios/tutorial");
}

static const char churn_ini[] = "[scenario]\n"
                                "duration = 10m\n"
                                "[cluster]\n"
                                "nodes = 12\n"
                                "node_cpu = 4\n"
                                "node_memory = 8Gi\n"
                                "[deployment]\n"
                                "replicas = 30\n"
                                "version = v1\n"
                                "cpu = 700m\n"
                                "memory = 600Mi\n"
                                "[version.v1]\n"
                                "startup = uniform(2s,20s)\n"
                                "crash_rate = 0.2\n"
                                "[version.v2]\n"
                                "startup = uniform(2s,20s)\n"
                                "[background]\n"
                                "workloads = db 5 1500m 3Gi; cache 7 300m "
                                "2Gi; agent per-node 50m 64Mi\n"
                                "[traffic]\n"
                                "rate = 50\n"
                                "[strategy]\n"
                                "type = rolling\n"
                                "[strategy.rolling]\n"
                                "max_surge = 50%\n"
                                "[rollout]\n"
                                "at = 1m\n"
                                "to = v2\n"
                                "[timeline]\n"
                                "actions = 30s node-cordon node-3; "
                                "50s node-fail busiest; 70s node-drain "
                                "node-5; 90s node-add 2; 2m node-uncordon "
                                "node-3; 3m node-recover busiest; 4m scale "
                                "45; 5m node-fail node-2; 6m scale 20; 7m "
                                "node-add 1; 8m scale 40\n";

static void
test_churn (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (churn_ini, NULL);

    g_test_summary ("Nodes cordoned, failed and tainted, drained, "
                    "recovered and added, other workloads' pods of three "
                    "sizes, crashes and scaling up and down: the index "
                    "and the scan agree on every placement, the counters "
                    "and the count on every status");
    run_verified (sc);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/index/shipped-scenarios", test_shipped);
    g_test_add_func ("/index/churn", test_churn);

    return g_test_run ();
}
