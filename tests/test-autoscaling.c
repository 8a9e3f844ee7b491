/* test-autoscaling.c - resource use, the HPA's controller loop, probes
 * and the cluster autoscaler, run in whole worlds and read from
 * events.csv and timeseries.csv.
 *
 * Expected figures are worked by hand from the rules of the team's
 * reference (HPA sections 1.2-1.10, probes section 3, cluster autoscaler
 * section 5) and from the scenario's own numbers; the comments show the
 * arithmetic.  Arrivals are uniform where a figure depends on counts.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "event-log.h"
#include "metrics.h"

/* 10 pods of 500m; 500 requests/s of 10 ms CPU each and 10m idle per
 * pod: 5 + 0.1 = 5.1 cores, 102% of the request. */
static const char hpa_ini[] = "[scenario]\n"
                              "duration = 8m\n"
                              "[cluster]\n"
                              "nodes = 10\n"
                              "[deployment]\n"
                              "replicas = 10\n"
                              "version = v1\n"
                              "cpu = 500m\n"
                              "[version.v1]\n"
                              "cpu_per_request = 10ms\n"
                              "cpu_idle = 10m\n"
                              "startup = const(5s)\n"
                              "[traffic]\n"
                              "rate = 500\n"
                              "arrivals = uniform\n"
                              "[autoscaling]\n"
                              "max_replicas = 30\n"
                              "target = 60%\n";

/* The rows of @kind as "t=SECONDS value" lines. */
static char *
rows_of (SimWorld *w, SimEventKind kind)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind != kind)
            continue;
        g_string_append_printf (s, "t=%g %" G_GINT64_FORMAT "\n",
                                SIM_TIME_TO_SEC (r->time), r->value);
    }
    return g_string_free (s, FALSE);
}

/* The mean of cpu_used over the rows after @from. */
static double
mean_cpu_used (SimWorld *w, SimTime from)
{
    SimMetrics *m = sim_world_metrics (w);
    double sum = 0;
    guint n = 0;

    for (guint i = 0; i < m->timeseries->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                    SimTimeseriesRow, i);

        if (r->time <= from || isnan (r->cpu_used))
            continue;
        sum += r->cpu_used;
        n++;
    }
    return n > 0 ? sum / n : NAN;
}

/* --- Resource use ----------------------------------------------------------- */

/* 5.1 cores, whatever the sample step; none without a figure. */
static void
test_cpu_used (void)
{
    const char *sets[] = { "autoscaling.max_replicas=none",
                           "autoscaling.target=80%", "scenario.duration=1m",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (hpa_ini, sets);
    SimWorld *w = sim_test_run (sc);
    const char *none[] = {
        "autoscaling.max_replicas=none", "autoscaling.target=80%",
        "version.v1.cpu_per_request=0s", "version.v1.cpu_idle=0",
        "scenario.duration=10s",         NULL
    };
    g_autoptr (SimScenario) sc2 = sim_test_scenario (hpa_ini, none);
    SimWorld *w2;

    g_assert_cmpfloat_with_epsilon (mean_cpu_used (w, 2 * SIM_SEC), 5.1, 0.02);
    sim_world_free (w);
    w2 = sim_test_run (sc2);
    g_assert_true (isnan (mean_cpu_used (w2, 0)));
    sim_world_free (w2);
}

/* cpu_limit 300m against a demand of 510m: each pod gets 300m (3 cores
 * in all) and its 20 ms of service take 510/300 = 1.7 times longer,
 * 34 ms. */
static void
test_throttle (void)
{
    const char *sets[] = {
        "autoscaling.max_replicas=none",  "autoscaling.target=80%",
        "scenario.duration=2m",           "deployment.cpu_limit=300m",
        "deployment.concurrency=100",     "deployment.queue=unlimited",
        "version.v1.service=const(20ms)", NULL
    };
    g_autoptr (SimScenario) sc = sim_test_scenario (hpa_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimSummary s;

    sim_world_summary (w, &s);
    g_assert_cmpfloat_with_epsilon (mean_cpu_used (w, 5 * SIM_SEC), 3.0, 0.01);
    g_assert_cmpfloat_with_epsilon (s.p50_ms, 34.0, 0.5);
    sim_test_assert_conserved (w, "throttled");
    sim_world_free (w);
}

/* --- The HPA's loop ------------------------------------------------------------- */

/* First sync 15 s after t = 0, on the window [0, 15] the metrics
 * pipeline scraped at 0 and 15: 102% against 60%, ratio 1.7, ceil(17.0)
 * = 17 (1.3, 1.4 C).  The load falls to 100/s at 60 s, so every
 * recommendation from 75 s on is low; the legacy path holds the highest
 * of the last 300 s, a record exactly 300 s old included: the last high
 * one is at 60 s, the scale-down at 375 s (H19).  With
 * scale_down_window = 1m a record exactly 60 s old no longer counts:
 * 120 s. */
static void
test_hpa_timeline (void)
{
    const char *legacy[] = { "timeline.actions=60s rate 100", NULL };
    const char *behavior[] = { "timeline.actions=60s rate 100",
                               "autoscaling.scale_down_window=1m", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (hpa_ini, legacy);
    g_autoptr (SimScenario) b = sim_test_scenario (hpa_ini, behavior);
    SimWorld *w = sim_test_run (a);
    g_autofree char *rows = rows_of (w, SIM_EVENT_HPA_SCALED);
    g_autofree char *rows_b = NULL;
    SimSummary s;

    g_assert_true (g_str_has_prefix (rows, "t=15 17\nt=375 "));
    sim_world_summary (w, &s);
    g_assert_cmpint (s.peak_replicas, ==, 17);
    sim_world_free (w);

    w = sim_test_run (b);
    rows_b = rows_of (w, SIM_EVENT_HPA_SCALED);
    g_assert_true (g_str_has_prefix (rows_b, "t=15 17\nt=120 "));
    sim_world_free (w);
}

/* A spec above max_replicas is brought to it at the first sync, with
 * no metric; below min_replicas to min; 0 replicas turn the HPA off. */
static void
test_hpa_bounds (void)
{
    const char *above[] = { "deployment.replicas=40", "scenario.duration=20s",
                            NULL };
    const char *below[] = { "deployment.replicas=2",
                            "autoscaling.min_replicas=5", "traffic.rate=0",
                            "scenario.duration=20s", NULL };
    const char *zero[] = { "deployment.replicas=0", "scenario.duration=1m",
                           NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (hpa_ini, above);
    g_autoptr (SimScenario) b = sim_test_scenario (hpa_ini, below);
    g_autoptr (SimScenario) c = sim_test_scenario (hpa_ini, zero);
    SimWorld *w;
    char *rows;

    w = sim_test_run (a);
    rows = rows_of (w, SIM_EVENT_HPA_SCALED);
    g_assert_cmpstr (rows, ==, "t=15 30\n");
    g_free (rows);
    sim_world_free (w);
    w = sim_test_run (b);
    rows = rows_of (w, SIM_EVENT_HPA_SCALED);
    g_assert_cmpstr (rows, ==, "t=15 5\n");
    g_free (rows);
    sim_world_free (w);
    w = sim_test_run (c);
    rows = rows_of (w, SIM_EVENT_HPA_SCALED);
    g_assert_cmpstr (rows, ==, "");
    g_free (rows);
    sim_world_free (w);
}

/* What the loader refuses. */
static void
test_refused (void)
{
    static const struct {
        const char *set, *message;
    } cases[] = {
        { "autoscaling.max_replicas=none", "max_replicas: required" },
        { "autoscaling.min_replicas=40", "more than max_replicas" },
        { "autoscaling.metric=requests_per_pod", "not a percentage" },
        { "autoscaling.scale_up_policies=pods 4 per 0s", "period" },
        { "autoscaling.scale_down_policies=bogus 1 per 15s",
          "unknown policy type" },
        { "autoscaling.target=0%", "percentage" },
        { "deployment.cpu_limit=0", "greater than 0" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        const char *sets[] = { cases[i].set, NULL };
        g_autoptr (GError) error = NULL;
        SimScenario *sc;

        sc = sim_scenario_load_data (sim_cli_schema (), hpa_ini, "t.ini", sets,
                                     &error);
        g_assert_null (sc);
        g_assert_nonnull (error);
        if (strstr (error->message, cases[i].message) == NULL)
            g_test_message ("case %u: %s", i, error->message);
        g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_set_nonfatal_assertions ();
    g_test_summary ("Resource use, the HPA, probes and the cluster "
                    "autoscaler in whole runs");
    g_test_add_func ("/autoscaling/usage/cpu-used", test_cpu_used);
    g_test_add_func ("/autoscaling/usage/throttle", test_throttle);
    g_test_add_func ("/autoscaling/hpa/timeline", test_hpa_timeline);
    g_test_add_func ("/autoscaling/hpa/bounds", test_hpa_bounds);
    g_test_add_func ("/autoscaling/hpa/refused", test_refused);
    return g_test_run ();
}
