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
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "event-log.h"
#include "metrics.h"
#include "model.h"

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

/* The load falls in two steps (300/s at 60 s, 100/s at 100 s) under a
 * 1 m scale-down window: the first scale-down is partial, to the
 * highest recommendation of the window, and its row says so. */
static void
test_hpa_detail (void)
{
    const char *sets[] = { "autoscaling.scale_down_window=1m",
                           "timeline.actions=60s rate 300; 100s rate 100",
                           "scenario.duration=4m", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (hpa_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    guint held = 0;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind != SIM_EVENT_HPA_SCALED)
            continue;
        g_assert_true (g_str_has_prefix (r->detail, "cpu "));
        g_assert_nonnull (strstr (r->detail, "% of 60%, ratio "));
        held += strstr (r->detail, "scale-down held by 1m window") != NULL;
    }
    g_assert_cmpuint (held, >=, 1);
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


/* --- Probes and restarts (7.4) ------------------------------------------------ */

/* The time of the @n-th row (from 0) of @kind about @object (NULL: any),
 * or -1. */
static double
nth_time (SimWorld *w, SimEventKind kind, const char *object,
          const char *detail_part, gint n)
{
    SimEventLog *log = sim_world_events (w);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind != kind || (object != NULL && strcmp (r->object, object)))
            continue;
        if (detail_part != NULL
            && (r->detail == NULL || !strstr (r->detail, detail_part)))
            continue;
        if (n-- == 0)
            return SIM_TIME_TO_SEC (r->time);
    }
    return -1;
}

static guint
count_kind (SimWorld *w, SimEventKind kind, const char *detail_part)
{
    SimEventLog *log = sim_world_events (w);
    guint n = 0;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        n += r->kind == kind
             && (detail_part == NULL
                 || (r->detail != NULL && strstr (r->detail, detail_part)));
    }
    return n;
}

/* 20 new pods whose app answers 7 s after their container starts. */
static const char probe_ini[] = "[scenario]\n"
                                "duration = 2m\n"
                                "[cluster]\n"
                                "nodes = 10\n"
                                "[deployment]\n"
                                "replicas = 20\n"
                                "version = v1\n"
                                "[version.v1]\n"
                                "[version.v2]\n"
                                "startup = const(7s)\n"
                                "pull = const(0s)\n"
                                "readiness_period = 10s\n"
                                "[traffic]\n"
                                "rate = 0\n"
                                "[strategy.rolling]\n"
                                "max_surge = 100%\n"
                                "[rollout]\n"
                                "at = 10s\n"
                                "to = v2\n";

/* R1: readiness every 10 s, the app up 7 s after the start: the first
 * probe (a second after the start) fails, Ready at the first tick
 * phi + 10k >= 7, so 7 <= ready - start < 17, phases differing per
 * pod. */
static void
test_r1_readiness (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (probe_ini, NULL);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GHashTable)
        started = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         g_free);
    double lo = 1e9, hi = -1;
    guint n = 0;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        double t = SIM_TIME_TO_SEC (r->time);

        if (r->version == NULL || strcmp (r->version, "v2") != 0)
            continue;
        if (r->kind == SIM_EVENT_POD_STARTED)
            g_hash_table_insert (started, g_strdup (r->object),
                                 g_memdup2 (&t, sizeof t));
        if (r->kind == SIM_EVENT_POD_READY) {
            double *s = g_hash_table_lookup (started, r->object);

            g_assert_nonnull (s);
            lo = MIN (lo, t - *s);
            hi = MAX (hi, t - *s);
            n++;
        }
    }
    g_assert_cmpuint (n, ==, 20);
    g_assert_cmpfloat (lo, >=, 7.0);
    g_assert_cmpfloat (hi, <, 17.0);
    g_assert_cmpfloat (hi - lo, >, 3.0); /* phases differ */
    sim_world_free (w);
}

/* One warm pod whose app hangs 100 s into the run, liveness every 10 s
 * (timeout 1 s, threshold 3): failures at ticks t1, t1 + 10, t1 + 20
 * with t1 in [100, 110), each known 1 s later: the kill at t1 + 21;
 * a hung app ignores SIGTERM, so it exits at the grace period's end
 * (30 s), and the first restart is at once. */
static const char hang_ini[] = "[scenario]\n"
                               "duration = 5m\n"
                               "[deployment]\n"
                               "replicas = 1\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "liveness_period = 10s\n"
                               "hang_after = const(100s)\n"
                               "[traffic]\n"
                               "rate = 10\n";

static void
test_r2_liveness_hang (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (hang_ini, NULL);
    SimWorld *w = sim_test_run (sc);
    double hung = nth_time (w, SIM_EVENT_CONTAINER_HUNG, NULL, NULL, 0);
    double kill = nth_time (w, SIM_EVENT_PROBE_FAILED, NULL, "liveness", 0);
    double restart = nth_time (w, SIM_EVENT_CONTAINER_RESTARTED, NULL, NULL, 0);

    g_assert_cmpfloat (hung, ==, 100.0);
    g_assert_cmpfloat (kill, >=, 121.0);
    g_assert_cmpfloat (kill, <, 131.0);
    g_assert_cmpfloat_with_epsilon (restart, kill + 30.0, 1e-9);
    sim_test_assert_conserved (w, "hang");
    sim_world_free (w);
}

/* R3: a container that exits 5 s after every start restarts after 0,
 * 10, 20, 40, 80, 160, 300, 300 s. */
static void
test_r3_crash_loop (void)
{
    const char *sets[] = { "version.v1.liveness_period=none",
                           "version.v1.hang_after=none",
                           "version.v1.crash_rate=1",
                           "version.v1.startup=const(5s)",
                           "scenario.duration=20m",
                           "timeline.actions=1s delete-pods v1 1",
                           NULL };
    static const double want[] = { 0, 10, 20, 40, 80, 160, 300, 300 };
    g_autoptr (SimScenario) sc = sim_test_scenario (hang_ini, sets);
    SimWorld *w = sim_test_run (sc);

    for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
        double exit = nth_time (w, SIM_EVENT_POD_CRASHED, NULL, NULL, (gint) i);
        double again = nth_time (w, SIM_EVENT_CONTAINER_RESTARTED, NULL, NULL,
                                 (gint) i);

        g_assert_cmpfloat (exit, >, 0);
        g_assert_cmpfloat_with_epsilon (again - exit, want[i], 1e-9);
    }
    sim_world_free (w);
}

/* R3 and R4 on the back-off itself: exits 5 s after each start give
 * 0, 10, 20, 40; a run of 11 minutes then restarts at once, and the
 * next after 10 s. */
static void
test_r4_backoff_reset (void)
{
    SimTime entry = 0, at = 0, t = 0;
    static const SimTime want[] = { 0, 10, 20, 40 };

    for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
        SimTime d;

        t += 5 * SIM_SEC; /* runs 5 s, exits */
        d = sim_probes_restart_delay (&entry, &at, t);
        g_assert_cmpint (d, ==, want[i] * SIM_SEC);
        t += d;
    }
    t += 11 * SIM_MIN;
    g_assert_cmpint (sim_probes_restart_delay (&entry, &at, t), ==, 0);
    t += 5 * SIM_SEC;
    g_assert_cmpint (sim_probes_restart_delay (&entry, &at, t), ==,
                     10 * SIM_SEC);
}

/* R5: startup every 10 s, threshold 30, with liveness and readiness:
 * an app up at 100 s passes at the first startup tick at or after it,
 * and is ready at that same instant (the refresh probes readiness at
 * once), no liveness failure before; an app that needs 400 s is killed
 * at the 30th failure, t1 + 290 with t1 in [0, 10). */
static void
test_r5_startup (void)
{
    const char *slow[] = { "version.v2.startup=const(100s)",
                           "version.v2.startup_period=10s",
                           "version.v2.startup_failure_threshold=30",
                           "version.v2.liveness_period=10s",
                           "deployment.replicas=1",
                           "scenario.duration=4m",
                           NULL };
    const char *dead[] = { "version.v2.startup=const(400s)",
                           "version.v2.startup_period=10s",
                           "version.v2.startup_failure_threshold=30",
                           "version.v2.liveness_period=10s",
                           "deployment.replicas=1",
                           "scenario.duration=8m",
                           NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (probe_ini, slow);
    g_autoptr (SimScenario) b = sim_test_scenario (probe_ini, dead);
    SimWorld *w = sim_test_run (a);
    double start = nth_time (w, SIM_EVENT_POD_STARTED, "v2-1", NULL, 0);
    double ready = nth_time (w, SIM_EVENT_POD_READY, "v2-1", NULL, 0);

    g_assert_cmpfloat (ready - start, >=, 100.0);
    g_assert_cmpfloat (ready - start, <, 110.0);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_PROBE_FAILED, NULL), ==, 0);
    sim_world_free (w);

    w = sim_test_run (b);
    start = nth_time (w, SIM_EVENT_POD_STARTED, "v2-1", NULL, 0);
    {
        double kill = nth_time (w, SIM_EVENT_PROBE_FAILED, "v2-1", "startup",
                                0);

        g_assert_cmpfloat (kill - start, >=, 290.0);
        g_assert_cmpfloat (kill - start, <, 300.0);
        g_assert_cmpfloat (nth_time (w, SIM_EVENT_PROBE_FAILED, "v2-1",
                                     "liveness", 0),
                           ==, -1);
        /* Killed when not hung: it exits at SIGTERM; restart at once. */
        g_assert_cmpfloat_with_epsilon (
            nth_time (w, SIM_EVENT_CONTAINER_RESTARTED, "v2-1", NULL, 0), kill,
            1e-9);
    }
    sim_world_free (w);
}

/* R6: 4 pods of 100 requests/s each (10 at a time, 100 ms), 500/s from
 * 60 s, probes in the pods' queues with a 1 s timeout: the queues pass
 * 1 s within seconds, the first NotReady some 20-30 s in, liveness kills
 * follow, restarts 0, 10, 20 s apart: no recovery.  With dedicated
 * probes nothing fails. */
static const char cascade_ini[] = "[scenario]\n"
                                  "duration = 5m\n"
                                  "[deployment]\n"
                                  "replicas = 4\n"
                                  "version = v1\n"
                                  "concurrency = 10\n"
                                  "queue = 1000\n"
                                  "[version.v1]\n"
                                  "service = const(100ms)\n"
                                  "startup = const(5s)\n"
                                  "readiness_period = 10s\n"
                                  "liveness_period = 10s\n"
                                  "probe_path = shared\n"
                                  "[traffic]\n"
                                  "rate = 300\n"
                                  "arrivals = uniform\n"
                                  "timeout = 30s\n"
                                  "[timeline]\n"
                                  "actions = 60s rate 500\n";

static void
test_r6_cascade (void)
{
    const char *dedicated[] = { "version.v1.probe_path=dedicated", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (cascade_ini, NULL);
    g_autoptr (SimScenario) b = sim_test_scenario (cascade_ini, dedicated);
    SimWorld *w = sim_test_run (a);
    double first = nth_time (w, SIM_EVENT_PROBE_FAILED, NULL, "readiness", 0);
    SimSummary s;

    g_assert_cmpfloat (first, >=, 60.0 + 15.0);
    g_assert_cmpfloat (first, <=, 60.0 + 35.0);
    g_assert_cmpfloat (
        nth_time (w, SIM_EVENT_PROBE_FAILED, NULL, "liveness", 0), >, first);
    /* Every pod restarted at least twice: no recovery. */
    g_assert_cmpuint (count_kind (w, SIM_EVENT_CONTAINER_RESTARTED, NULL), >=,
                      8);
    sim_world_summary (w, &s);
    g_assert_cmpfloat (s.availability, <, 0.7);
    sim_test_assert_conserved (w, "cascade");
    sim_world_free (w);

    w = sim_test_run (b);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_PROBE_FAILED, NULL), ==, 0);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_CONTAINER_RESTARTED, NULL), ==,
                      0);
    sim_world_free (w);
}

/* Probe requests are not user requests: with shared probes and no
 * overload, the arrivals are exactly the user's. */
static void
test_probes_not_counted (void)
{
    const char *sets[] = { "timeline.actions=", "traffic.rate=100", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (cascade_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimSummary s;

    sim_world_summary (w, &s);
    /* Uniform arrivals at 100/s for 300 s. */
    g_assert_cmpuint (s.total.arrivals, >=, 29999);
    g_assert_cmpuint (s.total.arrivals, <=, 30000);
    g_assert_cmpuint (s.total.errors, ==, 0);
    sim_test_assert_conserved (w, "shared probes");
    sim_world_free (w);
}

/* --- The cluster autoscaler (7.5) ------------------------------------------------- */

/* Two nodes of 1 CPU full with four pods of 500m; the Deployment is
 * scaled to 6 at 30 s: two pods cannot be scheduled. */
static const char ca_ini[] = "[scenario]\n"
                             "duration = 20m\n"
                             "[cluster]\n"
                             "nodes = 2\n"
                             "node_cpu = 1\n"
                             "autoscaler = true\n"
                             "[deployment]\n"
                             "replicas = 4\n"
                             "version = v1\n"
                             "cpu = 500m\n"
                             "[version.v1]\n"
                             "[traffic]\n"
                             "rate = 10\n"
                             "[timeline]\n"
                             "actions = 30s scale 6\n";

/* C1: unschedulable at 30 s: the scale-up decision by 40 s (a scan
 * every 10 s), one node for the two pods (two fit a node), Ready 3 to 4
 * minutes later, the pods bound at once. */
static void
test_c1_scale_up (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (ca_ini, NULL);
    SimWorld *w = sim_test_run (sc);
    double unsched = nth_time (w, SIM_EVENT_POD_UNSCHEDULABLE, NULL, NULL, 0);
    double decided = nth_time (w, SIM_EVENT_NODE_PROVISIONING, NULL, NULL, 0);
    double added = nth_time (w, SIM_EVENT_NODE_ADDED, NULL, NULL, 0);
    g_autofree char *prov = rows_of (w, SIM_EVENT_NODE_PROVISIONING);
    SimSummary s;

    g_assert_cmpfloat (unsched, ==, 30.0);
    g_assert_cmpfloat (decided, >=, unsched);
    g_assert_cmpfloat (decided, <=, unsched + 10.0);
    g_assert_cmpstr (prov, ==, "t=30 1\n");
    g_assert_cmpfloat (added - decided, >=, 180.0);
    g_assert_cmpfloat (added - decided, <=, 240.0);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_POD_SCHEDULED, "v1-5", NULL, 0),
                       ==, added);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_NODE_ADDED, NULL, NULL, 1), ==,
                       -1);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.peak_nodes, ==, 3);
    /* Two nodes all along, a third from its addition. */
    g_assert_cmpfloat_with_epsilon (s.node_seconds,
                                    2 * 1200.0 + (1200.0 - added), 1e-3);
    sim_world_free (w);
}

/* max_nodes counts the nodes on their way: none added. */
static void
test_ca_max_nodes (void)
{
    const char *sets[] = { "cluster.max_nodes=2", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (ca_ini, sets);
    SimWorld *w = sim_test_run (sc);

    g_assert_cmpuint (count_kind (w, SIM_EVENT_NODE_PROVISIONING, NULL), ==, 0);
    sim_world_free (w);
}

/* C2: three 4-CPU nodes with two 100m pods: below 50% from t = 0, no
 * scale-up: the empty node goes at 600 s, a node with a pod is drained
 * (its pod evicted) and goes at the next scan, 610 s; min_nodes keeps
 * the last; with a preStop longer than the endpoint delay no request
 * fails.  A budget allowing no disruption blocks the drain: only the
 * empty node goes. */
static const char idle_ini[] = "[scenario]\n"
                               "duration = 15m\n"
                               "[cluster]\n"
                               "nodes = 3\n"
                               "autoscaler = true\n"
                               "[deployment]\n"
                               "replicas = 2\n"
                               "version = v1\n"
                               "pre_stop = 2s\n"
                               "[version.v1]\n"
                               "[traffic]\n"
                               "rate = 10\n";

static void
test_c2_scale_down (void)
{
    const char *pdb[] = { "disruption.max_unavailable=0", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (idle_ini, NULL);
    g_autoptr (SimScenario) b = sim_test_scenario (idle_ini, pdb);
    SimWorld *w = sim_test_run (a);
    g_autofree char *removed = NULL;
    SimSummary s;

    g_assert_cmpfloat (nth_time (w, SIM_EVENT_NODE_REMOVED, "node-3", NULL, 0),
                       ==, 600.0);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_POD_EVICTED, NULL, NULL, 0), ==,
                       600.0);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_NODE_REMOVED, NULL, NULL, 1), ==,
                       610.0);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_NODE_REMOVED, NULL), ==, 2);
    sim_world_summary (w, &s);
    g_assert_cmpuint (s.total.errors, ==, 0);
    sim_world_free (w);

    w = sim_test_run (b);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_NODE_REMOVED, NULL), ==, 1);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_POD_EVICTED, NULL), ==, 0);
    sim_world_free (w);
}

/* C2's delay after a scale-up: scaled to 6 at 30 s and back to 2 at
 * 60 s, the third node arrives empty: unneeded from the first scan
 * after it.  The unneeded time runs during the 10 min delay after the
 * scale-up (default): removed 600 s after that scan; with
 * unneeded_during_delay = false the clock starts when the delay ends
 * (630 s): removed at 1230 s. */
static void
test_c2_delay_after_add (void)
{
    const char *runs[] = { "timeline.actions=30s scale 6; 60s scale 2",
                           "scenario.duration=25m", NULL };
    const char *waits[] = { "timeline.actions=30s scale 6; 60s scale 2",
                            "scenario.duration=25m",
                            "cluster.unneeded_during_delay=false", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (ca_ini, runs);
    g_autoptr (SimScenario) b = sim_test_scenario (ca_ini, waits);
    SimWorld *w = sim_test_run (a);
    double added = nth_time (w, SIM_EVENT_NODE_ADDED, NULL, NULL, 0);
    double first_scan = ceil (added / 10.0) * 10.0;

    g_assert_cmpfloat (nth_time (w, SIM_EVENT_NODE_REMOVED, "node-3", NULL, 0),
                       ==, first_scan + 600.0);
    sim_world_free (w);
    w = sim_test_run (b);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_NODE_REMOVED, "node-3", NULL, 0),
                       ==, 1230.0);
    sim_world_free (w);
}

/* --- The HPA and Argo Rollouts (7.2), and the scenarios ---------------------------- */

/* A scenario of scenarios/ with overrides. */
static SimScenario *
scenario_file (const char *name, const char *const *sets)
{
    g_autofree char *path = g_strdup_printf ("scenarios/%s", name);
    g_autofree char *full = sim_test_src (path);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (full, &text, NULL, NULL));
    return sim_test_scenario (text, sets);
}

/* The values of the hpa-scaled rows, "14 19 26". */
static char *
hpa_values (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_HPA_SCALED)
            g_string_append_printf (s, "%s%" G_GINT64_FORMAT,
                                    s->len > 0 ? " " : "", r->value);
    }
    return g_string_free (s, FALSE);
}

/* The spec of ReplicaSet @name after its last replicaset-scaled row. */
static gint64
last_spec (SimWorld *w, const char *name)
{
    SimEventLog *log = sim_world_events (w);
    gint64 spec = -1;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if ((r->kind == SIM_EVENT_REPLICASET_SCALED
             || r->kind == SIM_EVENT_REPLICASET_CREATED)
            && strcmp (r->object, name) == 0)
            spec = r->value;
    }
    return spec;
}

/* A1: (stable, canary, N, desired) = (10,5,15,14) -> (14,7,21,19) ->
 * (19,10,29,26) -> (26,13,39,35) -> (35,18,53,47) -> (47,24,71,63->60)
 * -> (60,30,90,79->60), fixed at max.  stable-only does not cure it (a
 * Resource metric reads the pods); dynamic_stable_scale does: no
 * scale-up at all. */
static void
test_a1_inflation (void)
{
    const char *stable_only[] = {
        "autoscaling.rollout_hpa_replicas=stable-only", NULL
    };
    const char *dss[] = { "strategy.canary.dynamic_stable_scale=true", NULL };
    g_autoptr (SimScenario)
        a = scenario_file ("autoscaling-canary-inflation.ini", NULL);
    g_autoptr (SimScenario)
        b = scenario_file ("autoscaling-canary-inflation.ini", stable_only);
    g_autoptr (SimScenario)
        c = scenario_file ("autoscaling-canary-inflation.ini", dss);
    SimWorld *w = sim_test_run (a);
    char *v = hpa_values (w);

    g_assert_cmpstr (v, ==, "14 19 26 35 47 60");
    g_free (v);
    g_assert_cmpint (last_spec (w, "v1"), ==, 60);
    g_assert_cmpint (last_spec (w, "v2"), ==, 30);
    sim_world_free (w);

    w = sim_test_run (b);
    v = hpa_values (w);
    g_assert_cmpstr (v, ==, "14 19 26 35 47 60");
    g_free (v);
    sim_world_free (w);

    w = sim_test_run (c);
    v = hpa_values (w);
    g_assert_true (v[0] == '\0' || atoi (v) < 10);
    g_free (v);
    g_assert_cmpint (last_spec (w, "v2"), <=, 5);
    sim_world_free (w);
}

/* A2: CPU with a fixed total load of 8000m (400 requests/s of 20 ms),
 * request 1000m, target 80%: 15 pods at 50% canary give util
 * floor(100 x 8000 / 15000) = 53, ratio 0.6625, ceil(9.94) = 10 = R: no
 * inflation. */
static void
test_a2_no_inflation (void)
{
    const char *sets[] = { "autoscaling.metric=cpu",
                           "deployment.cpu=1",
                           "version.v1.cpu_per_request=20ms",
                           "version.v2.cpu_per_request=20ms",
                           "traffic.rate=400",
                           "traffic.arrivals=uniform",
                           "scenario.duration=4m",
                           NULL };
    g_autoptr (SimScenario)
        sc = scenario_file ("autoscaling-canary-inflation.ini", sets);
    SimWorld *w = sim_test_run (sc);
    char *v = hpa_values (w);

    g_assert_cmpstr (v, ==, "");
    g_free (v);
    g_assert_cmpint (last_spec (w, "v1"), ==, 10);
    g_assert_cmpint (last_spec (w, "v2"), ==, 5);
    sim_world_free (w);
}

/* A3 (#3849): max 42, w = 65%, memory 42% against 60% (ratio 0.7): the
 * canary is ceil(0.65 x 42) = 28, N = 70, the proposal 49, held at 42
 * for the whole canary although every pod is below target. */
static void
test_a3_held_at_max (void)
{
    const char *sets[] = { "deployment.replicas=42",
                           "autoscaling.max_replicas=42",
                           "autoscaling.target=60%",
                           "version.v1.memory_usage=42Mi",
                           "version.v2.memory_usage=42Mi",
                           "strategy.canary.steps=set-weight 65; pause",
                           "cluster.nodes=100",
                           "scenario.duration=8m",
                           NULL };
    g_autoptr (SimScenario)
        sc = scenario_file ("autoscaling-canary-inflation.ini", sets);
    SimWorld *w = sim_test_run (sc);
    SimMetrics *m = sim_world_metrics (w);
    char *v = hpa_values (w);

    g_assert_cmpstr (v, ==, "");
    g_free (v);
    g_assert_cmpint (last_spec (w, "v2"), ==, 28);
    /* Its desired replicas through the canary: 42, never fewer. */
    for (guint i = 0; i < m->timeseries->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                    SimTimeseriesRow, i);

        if (r->time >= 60 * SIM_SEC)
            g_assert_cmpint (r->hpa_desired, ==, 42);
    }
    sim_world_free (w);
}

/* A4 (#4847): External AverageValue target 1, total 10, R = 10,
 * set-canary-scale weight 10: N = 11, 0.909 within: 11; R = 11, N = 13,
 * 0.769: 10 after the scale-down window (5 min after the last 11); and
 * again.  With PR #4868 (stable-only) the ratio is 1.0: no write. */
static void
test_a4_oscillation (void)
{
    const char *fixed[] = { "autoscaling.rollout_hpa_replicas=stable-only",
                            NULL };
    g_autoptr (SimScenario)
        a = scenario_file ("autoscaling-canary-oscillation.ini", NULL);
    g_autoptr (SimScenario)
        b = scenario_file ("autoscaling-canary-oscillation.ini", fixed);
    SimWorld *w = sim_test_run (a);
    char *v = hpa_values (w);
    double up = nth_time (w, SIM_EVENT_HPA_SCALED, NULL, NULL, 0);
    double down = nth_time (w, SIM_EVENT_HPA_SCALED, NULL, NULL, 1);

    g_assert_true (g_str_has_prefix (v, "11 10 11 10 11"));
    g_free (v);
    /* The last recommendation of 11 is the first sync's (45 s): the
     * legacy window holds it through 345 s; the next sync is 360 s. */
    g_assert_cmpfloat (up, ==, 45.0);
    g_assert_cmpfloat (down, ==, up + 315.0);
    sim_world_free (w);

    w = sim_test_run (b);
    v = hpa_values (w);
    g_assert_cmpstr (v, ==, "");
    g_free (v);
    sim_world_free (w);
}

/* A5: a canary user-paused (spec.paused) when the HPA writes 10 -> 14:
 * the ReplicaSets keep their counts until resume; then stable 14 and
 * the canary ceil(50% x 14) = 7. */
static void
test_a5_user_pause (void)
{
    const char *sets[] = { "timeline.actions=31s pause; 2m resume",
                           "autoscaling.max_replicas=14",
                           "scenario.duration=3m", NULL };
    g_autoptr (SimScenario)
        sc = scenario_file ("autoscaling-canary-inflation.ini", sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    gboolean scaled_while_paused = FALSE;

    g_assert_cmpfloat (nth_time (w, SIM_EVENT_HPA_SCALED, NULL, NULL, 0), ==,
                       45.0);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_REPLICASET_SCALED && r->time > 31 * SIM_SEC
            && r->time < 120 * SIM_SEC)
            scaled_while_paused = TRUE;
    }
    g_assert_false (scaled_while_paused);
    g_assert_cmpint (last_spec (w, "v1"), ==, 14);
    g_assert_cmpint (last_spec (w, "v2"), ==, 7);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_REPLICASET_SCALED, "v2", NULL, 1),
                       ==, 120.0);
    sim_world_free (w);
}

/* A6: blue-green with 10 active and 10 preview pods: the HPA samples the
 * active ones only.  Memory at 95% of the target is inside the
 * tolerance for those 10; counted with the preview's 20 it would be
 * ceil(0.95 x 20) = 19. */
static void
test_a6_bluegreen (void)
{
    const char *sets[] = { "strategy.type=bluegreen",
                           "strategy.bluegreen.auto_promotion=false",
                           "version.v1.memory_usage=76Mi",
                           "version.v2.memory_usage=76Mi",
                           "autoscaling.max_replicas=30",
                           "scenario.duration=4m",
                           NULL };
    g_autoptr (SimScenario)
        sc = scenario_file ("autoscaling-canary-inflation.ini", sets);
    SimWorld *w = sim_test_run (sc);
    SimMetrics *m = sim_world_metrics (w);
    char *v = hpa_values (w);

    g_assert_cmpstr (v, ==, "");
    g_free (v);
    g_assert_cmpint (last_spec (w, "v2"), ==, 10);
    for (guint i = 0; i < m->timeseries->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                    SimTimeseriesRow, i);

        if (r->time >= 60 * SIM_SEC) {
            g_assert_cmpint (r->pods, ==, 20);
            g_assert_cmpint (r->hpa_desired, ==, 10);
        }
    }
    sim_world_free (w);
}

/* The rolling update with a startup burst: the HPA over-scales during
 * the rollout and comes back to 10 once its window lets it. */
static void
test_rolling_burst (void)
{
    g_autoptr (SimScenario)
        a = scenario_file ("autoscaling-rolling-burst.ini", NULL);
    const char *calm[] = { "version.v2.cpu_startup=0", NULL };
    g_autoptr (SimScenario)
        b = scenario_file ("autoscaling-rolling-burst.ini", calm);
    SimWorld *w = sim_test_run (a);
    SimSummary s;
    char *v;

    sim_world_summary (w, &s);
    g_assert_cmpint (s.peak_replicas, >, 10);
    g_assert_cmpint (sim_world_spec (w)->replicas, ==, 10);
    sim_world_free (w);
    w = sim_test_run (b);
    v = hpa_values (w);
    g_assert_cmpstr (v, ==, "");
    g_free (v);
    sim_world_free (w);
}

/* N1 with an HPA: the pods of a dead node have no metric (missing); on a
 * scale-down they count at 100% of their request, so the HPA does not
 * shrink while the node is lost.  Four pods at 30% against 60%: without
 * a fault the HPA writes 2 at 330 s (the first sync with the initial
 * record of 4, at 15 s, more than 300 s old); with node-1 failing at
 * 60 s, nothing before its pod is deleted (the taint manager, 410 s). */
static const char lost_ini[] = "[scenario]\n"
                               "duration = 10m\n"
                               "[cluster]\n"
                               "nodes = 4\n"
                               "[deployment]\n"
                               "replicas = 4\n"
                               "version = v1\n"
                               "cpu = 1\n"
                               "[version.v1]\n"
                               "cpu_per_request = 10ms\n"
                               "[traffic]\n"
                               "rate = 120\n"
                               "arrivals = uniform\n"
                               "[autoscaling]\n"
                               "max_replicas = 10\n"
                               "target = 60%\n";

static void
test_n1_missing_metrics (void)
{
    const char *fail[] = { "timeline.actions=60s node-fail node-1", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (lost_ini, NULL);
    g_autoptr (SimScenario) b = sim_test_scenario (lost_ini, fail);
    SimWorld *w = sim_test_run (a);
    double evicted;

    g_assert_cmpfloat (nth_time (w, SIM_EVENT_HPA_SCALED, NULL, NULL, 0), ==,
                       330.0);
    sim_world_free (w);
    w = sim_test_run (b);
    evicted = nth_time (w, SIM_EVENT_POD_EVICTED, NULL, NULL, 0);
    g_assert_cmpfloat (evicted, >, 330.0);
    {
        double first = nth_time (w, SIM_EVENT_HPA_SCALED, NULL, NULL, 0);

        g_assert_true (first < 0 || first > evicted);
    }
    sim_world_free (w);
}

/* The scenarios of scenarios/autoscaling-*.ini do what their comments
 * say. */
static void
test_scenarios (void)
{
    g_autoptr (SimScenario)
        surge = scenario_file ("autoscaling-cluster-surge.ini", NULL);
    g_autoptr (SimScenario)
        cascade = scenario_file ("autoscaling-readiness-cascade.ini", NULL);
    SimWorld *w = sim_test_run (surge);
    SimSummary s;

    sim_world_summary (w, &s);
    g_assert_cmpint (s.peak_nodes, ==, 4);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpfloat (nth_time (w, SIM_EVENT_NODE_PROVISIONING, NULL, NULL, 0),
                       ==, 30.0);
    g_assert_cmpfloat (s.rollout_end / 1e6, >,
                       nth_time (w, SIM_EVENT_NODE_ADDED, NULL, NULL, 0));
    g_assert_cmpuint (count_kind (w, SIM_EVENT_NODE_REMOVED, NULL), ==, 1);
    sim_test_assert_conserved (w, "cluster surge");
    sim_world_free (w);

    w = sim_test_run (cascade);
    g_assert_cmpuint (count_kind (w, SIM_EVENT_CONTAINER_RESTARTED, NULL), >=,
                      8);
    sim_world_free (w);
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
    g_test_add_func ("/autoscaling/hpa/detail", test_hpa_detail);
    g_test_add_func ("/autoscaling/hpa/refused", test_refused);
    g_test_add_func ("/autoscaling/probes/R1-readiness", test_r1_readiness);
    g_test_add_func ("/autoscaling/probes/R2-liveness-hang",
                     test_r2_liveness_hang);
    g_test_add_func ("/autoscaling/probes/R3-crash-loop", test_r3_crash_loop);
    g_test_add_func ("/autoscaling/probes/R4-backoff-reset",
                     test_r4_backoff_reset);
    g_test_add_func ("/autoscaling/probes/R5-startup", test_r5_startup);
    g_test_add_func ("/autoscaling/probes/R6-cascade", test_r6_cascade);
    g_test_add_func ("/autoscaling/probes/not-user-requests",
                     test_probes_not_counted);
    g_test_add_func ("/autoscaling/cluster/C1-scale-up", test_c1_scale_up);
    g_test_add_func ("/autoscaling/cluster/max-nodes", test_ca_max_nodes);
    g_test_add_func ("/autoscaling/cluster/C2-scale-down", test_c2_scale_down);
    g_test_add_func ("/autoscaling/cluster/C2-delay-after-add",
                     test_c2_delay_after_add);
    g_test_add_func ("/autoscaling/argo/A1-inflation", test_a1_inflation);
    g_test_add_func ("/autoscaling/argo/A2-no-inflation", test_a2_no_inflation);
    g_test_add_func ("/autoscaling/argo/A3-held-at-max", test_a3_held_at_max);
    g_test_add_func ("/autoscaling/argo/A4-oscillation", test_a4_oscillation);
    g_test_add_func ("/autoscaling/argo/A5-user-pause", test_a5_user_pause);
    g_test_add_func ("/autoscaling/argo/A6-bluegreen", test_a6_bluegreen);
    g_test_add_func ("/autoscaling/hpa/rolling-burst", test_rolling_burst);
    g_test_add_func ("/autoscaling/hpa/N1-missing-metrics",
                     test_n1_missing_metrics);
    g_test_add_func ("/autoscaling/scenarios", test_scenarios);
    return g_test_run ();
}
