/* test-analysis.c - AnalysisRun semantics (docs/design.md
 * A1.2): how one measurement is judged, and how each metric's
 * failed and inconclusive counts trip the run's limits. */
#include <math.h>
#include <string.h>
#include "testutil.h"
#include "analysis.h"

static const char ini[] = "[deployment]\n"
                          "version = v1\n"
                          "[version.v1]\n"
                          "[analysis]\n"
                          "metrics = error_rate < 0.05; p99_ms < 100\n"
                          "count = 4\n"
                          "failure_limit = 1\n"
                          "inconclusive_limit = 1\n"
                          "min_requests = 10\n";

static SimProbeReading
reading (guint64 ok, guint64 errors, double p99)
{
    SimProbeReading r = {
        .requests = ok + errors,
        .ok = ok,
        .errors = errors,
        .p50_ms = p99 / 2,
        .p95_ms = p99,
        .p99_ms = p99,
        .mean_ms = p99 / 3,
    };

    return r;
}

static void
test_judge (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, NULL);
    SimAnalysisPhase per[2];
    SimProbeReading r;
    g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL, *t4 = NULL;

    g_test_summary ("Section A1.2: a measurement passes when every condition "
                    "holds, fails when one does not (a latency without a "
                    "value does not hold), and is inconclusive with fewer "
                    "requests than min_requests when it is set (never a "
                    "pass)");
    r = reading (100, 1, 80);
    g_assert_cmpint (sim_analysis_judge (sim_analysis_settings (sc), &r, per,
                                         &t1),
                     ==, SIM_ANALYSIS_SUCCESSFUL);
    g_assert_cmpint (per[0], ==, SIM_ANALYSIS_SUCCESSFUL);
    g_assert_true (g_str_has_prefix (t1, "passed: error_rate"));

    r = reading (100, 20, 80);
    g_assert_cmpint (sim_analysis_judge (sim_analysis_settings (sc), &r, per,
                                         &t2),
                     ==, SIM_ANALYSIS_FAILED);
    g_assert_cmpint (per[0], ==, SIM_ANALYSIS_FAILED);
    g_assert_cmpint (per[1], ==, SIM_ANALYSIS_SUCCESSFUL);
    g_assert_nonnull (strstr (t2, "error_rate 0.1667 >= 0.05"));

    r = reading (5, 0, 80);
    g_assert_cmpint (sim_analysis_judge (sim_analysis_settings (sc), &r, per,
                                         &t3),
                     ==, SIM_ANALYSIS_INCONCLUSIVE);
    g_assert_cmpint (per[1], ==, SIM_ANALYSIS_INCONCLUSIVE);

    /* Every request failed: p99 of successes has no value. */
    r = reading (0, 20, NAN);
    g_assert_cmpint (sim_analysis_judge (sim_analysis_settings (sc), &r, per,
                                         &t4),
                     ==, SIM_ANALYSIS_FAILED);
    g_assert_cmpint (per[0], ==, SIM_ANALYSIS_FAILED);
    g_assert_cmpint (per[1], ==, SIM_ANALYSIS_FAILED);
}

static void
test_no_data (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, NULL);
    SimProbeReading r = reading (0, 0, NAN);
    SimAnalysisPhase per[2];
    g_autofree char *text = NULL;

    g_test_summary ("Section A1.2: no request at all is no data - an error "
                    "(Argo: \"no data returned from the metric provider\"), "
                    "never a failure or a pass, whatever min_requests");
    g_assert_cmpint (sim_analysis_judge (sim_analysis_settings (sc), &r, per,
                                         &text),
                     ==, SIM_ANALYSIS_ERROR);
    g_assert_cmpint (per[0], ==, SIM_ANALYSIS_ERROR);
    g_assert_true (g_str_has_prefix (text, "error: no data"));
}

static void
test_thin (void)
{
    const char *sets[] = { "analysis.min_requests=0", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, sets);
    SimProbeReading r = reading (3, 0, 40);
    g_autofree char *text = NULL;
    g_autoptr (SimScenario)
        plain = sim_test_scenario ("[deployment]\nversion = v1\n[version.v1]\n",
                                   NULL);

    g_test_summary ("Section A1.2 (issue 11, finding F3): with the "
                    "default min_requests 0, a measurement over a single "
                    "answer is judged like any other: 0 errors of 3 passes");
    g_assert_cmpint (sim_analysis_settings (plain)->min_requests, ==, 0);
    g_assert_cmpint (sim_analysis_judge (sim_analysis_settings (sc), &r, NULL,
                                         &text),
                     ==, SIM_ANALYSIS_SUCCESSFUL);
}

static void
test_error_limit (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, NULL);
    gint failed[2] = { 0, 0 }, inconclusive[2] = { 0, 0 };
    const SimAnalysisSettings *as = sim_analysis_settings (sc);

    g_test_summary ("Section A1.2: consecutiveErrorLimit 4 (the default) - "
                    "four errors in a row are tolerated, the fifth errs the "
                    "run; a failure beyond failure_limit still wins");
    g_assert_cmpint (as->consecutive_error_limit, ==, 4);
    g_assert_cmpint (sim_analysis_limits (as, 0, 4, failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_RUNNING);
    g_assert_cmpint (sim_analysis_limits (as, 0, 5, failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_ERROR);
    inconclusive[0] = 2;
    g_assert_cmpint (sim_analysis_limits (as, 2, 5, failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_ERROR);
    failed[1] = 2;
    g_assert_cmpint (sim_analysis_limits (as, 2, 5, failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_FAILED);
}

static void
test_limits_per_metric (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, NULL);
    gint failed[2] = { 1, 1 }, inconclusive[2] = { 0, 0 };

    g_test_summary ("Section A1.2: each metric keeps its own counts; one "
                    "failure of each of two metrics stays within "
                    "failure_limit 1, where a count per measurement would "
                    "have tripped it");
    g_assert_cmpint (sim_analysis_limits (sim_analysis_settings (sc), 2, 0,
                                          failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_RUNNING);
    g_assert_cmpint (sim_analysis_limits (sim_analysis_settings (sc), 4, 0,
                                          failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_SUCCESSFUL);
    failed[1] = 2;
    g_assert_cmpint (sim_analysis_limits (sim_analysis_settings (sc), 3, 0,
                                          failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_FAILED);
    failed[1] = 0;
    inconclusive[0] = 2;
    g_assert_cmpint (sim_analysis_limits (sim_analysis_settings (sc), 3, 0,
                                          failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_INCONCLUSIVE);
    /* Failed wins over inconclusive. */
    failed[0] = 2;
    g_assert_cmpint (sim_analysis_limits (sim_analysis_settings (sc), 3, 0,
                                          failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_FAILED);
}

static void
test_failure_limit_disabled (void)
{
    const char *sets[] = { "analysis.failure_limit=-1", "analysis.count=0",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, sets);
    gint failed[2] = { 50, 50 }, inconclusive[2] = { 0, 0 };

    g_test_summary ("failure_limit -1 never fails a run; count 0 runs "
                    "until it is stopped");
    g_assert_cmpint (sim_analysis_limits (sim_analysis_settings (sc), 100, 0,
                                          failed, inconclusive, 2),
                     ==, SIM_ANALYSIS_RUNNING);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/analysis/judge/conditions", test_judge);
    g_test_add_func ("/analysis/judge/no-data", test_no_data);
    g_test_add_func ("/analysis/judge/thin", test_thin);
    g_test_add_func ("/analysis/limits/consecutive-errors", test_error_limit);
    g_test_add_func ("/analysis/limits/per-metric", test_limits_per_metric);
    g_test_add_func ("/analysis/limits/disabled", test_failure_limit_disabled);
    return g_test_run ();
}
