/* test-hpa.c - the HorizontalPodAutoscaler's arithmetic (sim/hpa-math.h)
 * against the worked examples H1-H21 of the team's reference, each named
 * after the upstream test it comes from (kubernetes v1.28
 * pkg/controller/podautoscaler replica_calculator_test.go and
 * horizontal_test.go) where there is one.
 *
 * Every expected value below is the reference's, worked by hand from the
 * upstream rules; none is computed by the code under test.  Unless a
 * test says otherwise, pods started 10 minutes ago, have been Ready
 * since, and have a fresh 15 s sample.
 */
#include <glib.h>
#include "hpa-math.h"

#define NOW (3600 * SIM_SEC)

static const SimHpaParams params = {
    .tolerance = 0.1,
    .cpu_init_period = 300 * SIM_SEC,
    .readiness_delay = 30 * SIM_SEC,
};

/* A running pod, Ready for 10 minutes, with a sample of @usage milli of
 * @request milli. */
static SimHpaPod
pod (gint64 usage, gint64 request)
{
    SimHpaPod p = {
        .has_metric = TRUE,
        .value = usage,
        .timestamp = NOW,
        .window = 15 * SIM_SEC,
        .request = request,
        .has_ready = TRUE,
        .ready = TRUE,
        .ready_changed = NOW - 10 * SIM_MIN,
        .start_time = NOW - 10 * SIM_MIN,
    };
    return p;
}

/* Not Ready since it started (it never became ready). */
static SimHpaPod
unready (gint64 usage, gint64 request)
{
    SimHpaPod p = pod (usage, request);

    p.ready = FALSE;
    p.ready_changed = p.start_time;
    return p;
}

static SimHpaPod
missing (gint64 request)
{
    SimHpaPod p = pod (0, request);

    p.has_metric = FALSE;
    return p;
}

static gint
cpu_replicas (const SimHpaPod *pods, gint n, gint current, gint target,
              gint64 *util)
{
    SimHpaProposal out;

    sim_hpa_resource_replicas (pods, n, current, target, TRUE, NOW, &params,
                               &out);
    if (util != NULL)
        *util = out.usage;
    return out.replicas;
}

/* --- 7.1: the replica calculator ------------------------------------------ */

/* H1: 4 pods at 450m of 500m (90%), target 60%: ratio 1.5, 6. */
static void
test_h1 (void)
{
    SimHpaPod p[4] = { pod (450, 500), pod (450, 500), pod (450, 500),
                       pod (450, 500) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 4, 4, 60, &util), ==, 6);
    g_assert_cmpint (util, ==, 90);
}

/* H2: 325m (65%): ratio 1.0833 is within the tolerance, 4. */
static void
test_h2 (void)
{
    SimHpaPod p[4] = { pod (325, 500), pod (325, 500), pod (325, 500),
                       pod (325, 500) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 4, 4, 60, &util), ==, 4);
    g_assert_cmpint (util, ==, 65);
}

/* H3: 330m (66%): ratio 66/60 = 1.1, and |1 - 1.1| is
 * 0.10000000000000009 > 0.1 in doubles: v1.32 scales to ceil(4.4) = 5. */
static void
test_h3 (void)
{
    SimHpaPod p[4] = { pod (330, 500), pod (330, 500), pod (330, 500),
                       pod (330, 500) };

    g_assert_false (sim_hpa_within_tolerance (66.0 / 60.0, 0.1));
    g_assert_cmpint (cpu_replicas (p, 4, 4, 60, NULL), ==, 5);
}

/* H4 TestReplicaCalcScaleUp: 300/500/700m of 1000m, target 30: util 50,
 * 5. */
static void
test_h4_scale_up (void)
{
    SimHpaPod p[3] = { pod (300, 1000), pod (500, 1000), pod (700, 1000) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 3, 3, 30, &util), ==, 5);
    g_assert_cmpint (util, ==, 50);
}

/* H5 TestReplicaCalcScaleUpUnreadyLessScale: pod 1 not Ready; ready util
 * 60, ratio 2 with unready pods: they count as 0, 1200/3000 = 40%, 4. */
static void
test_h5_unready_less_scale (void)
{
    SimHpaPod p[3] = { unready (300, 1000), pod (500, 1000), pod (700, 1000) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 3, 3, 30, &util), ==, 4);
    g_assert_cmpint (util, ==, 60);
}

/* H6 TestReplicaCalcScaleUpUnreadyNoScale: only pod 1 Ready, at 400m:
 * ratio 1.333, with the others at 0 13%: the direction flips, 3. */
static void
test_h6_unready_no_scale (void)
{
    SimHpaPod p[3] = { pod (400, 1000), unready (500, 1000),
                       unready (700, 1000) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 3, 3, 30, &util), ==, 3);
    g_assert_cmpint (util, ==, 40);
}

/* H7 TestReplicaCalcScaleDown: 100/300/500/250/250m, target 50: util 28,
 * ratio 0.56, ceil(2.8) = 3. */
static void
test_h7_scale_down (void)
{
    SimHpaPod p[5] = { pod (100, 1000), pod (300, 1000), pod (500, 1000),
                       pod (250, 1000), pod (250, 1000) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 5, 5, 50, &util), ==, 3);
    g_assert_cmpint (util, ==, 28);
}

/* H8 TestReplicaCalcScaleDownExcludeUnreadyPods: the last two not Ready:
 * ready util 30, ratio 0.6, ceil(0.6 x 3) = 2. */
static void
test_h8_exclude_unready (void)
{
    SimHpaPod p[5] = { pod (100, 1000), pod (300, 1000), pod (500, 1000),
                       unready (250, 1000), unready (250, 1000) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 5, 5, 50, &util), ==, 2);
    g_assert_cmpint (util, ==, 30);
}

/* H9 TestReplicaCalcMissingMetrics: 4 pods of 2000m, two with samples
 * (800m, 190m), target 100: util 24; the missing at 100%: 4990/8000 =
 * 62%, ceil(2.48) = 3. */
static void
test_h9_missing_metrics (void)
{
    SimHpaPod p[4] = { pod (800, 2000), pod (190, 2000), missing (2000),
                       missing (2000) };
    gint64 util;

    g_assert_cmpint (cpu_replicas (p, 4, 4, 100, &util), ==, 3);
    g_assert_cmpint (util, ==, 24);
}

/* H10 TestReplicaCalcDuringRollingUpdateWithMaxSurge: spec 2, 3 Running
 * pods, 2 with 10% samples, target 50: the new ratio 0.8 proposes
 * ceil(2.4) = 3 > 2 on a scale-down: the guard keeps 2. */
static void
test_h10_rolling_update_surge (void)
{
    SimHpaPod p[3] = { pod (100, 1000), pod (100, 1000), missing (1000) };

    g_assert_cmpint (cpu_replicas (p, 3, 2, 50, NULL), ==, 2);
}

/* H11: spec 10, 13 Ready pods (surge 3), memory at 80% of the request,
 * target 100%: the fast path gives ceil(0.8 x 13) = 11 > 10, a scale-up
 * with every pod below target. */
static void
test_h11_surge_inflation (void)
{
    SimHpaPod p[13];
    SimHpaProposal out;

    for (gint i = 0; i < 13; i++)
        p[i] = pod (800, 1000);
    sim_hpa_resource_replicas (p, 13, 10, 100, FALSE, NOW, &params, &out);
    g_assert_cmpint (out.replicas, ==, 11);
    g_assert_cmpfloat_with_epsilon (out.ratio, 0.8, 1e-12);
}

/* A pod without a request makes the metric fail; so do no samples. */
static void
test_metric_fails (void)
{
    SimHpaPod p[2] = { pod (100, 1000), pod (100, 0) };
    SimHpaPod q[2] = { missing (1000), missing (1000) };

    g_assert_cmpint (cpu_replicas (p, 2, 2, 50, NULL), ==, -1);
    g_assert_cmpint (cpu_replicas (q, 2, 2, 50, NULL), ==, -1);
    g_assert_cmpint (cpu_replicas (NULL, 0, 2, 50, NULL), ==, -1);
}

/* H21: CPU initialization.  Started at 0, Ready at 20 s, window 15 s: at
 * t = 30 a sample stamped 28 s is ignored (28 < 20 + 15), one stamped
 * 36 s counts.  At t = 400 a pod Ready until 390 s counts as ready, one
 * NotReady since its start is unready. */
static void
test_h21_cpu_initialization (void)
{
    SimHpaPod p = {
        .has_metric = TRUE,
        .window = 15 * SIM_SEC,
        .request = 1000,
        .has_ready = TRUE,
        .ready = TRUE,
        .ready_changed = 20 * SIM_SEC,
        .start_time = 0,
    };

    p.timestamp = 28 * SIM_SEC;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 30 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_UNREADY);
    p.timestamp = 36 * SIM_SEC;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 37 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_READY);
    /* Memory skips the readiness rules. */
    p.timestamp = 28 * SIM_SEC;
    g_assert_cmpint (sim_hpa_classify (&p, FALSE, 30 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_READY);

    p.timestamp = 400 * SIM_SEC;
    p.ready = FALSE;
    p.ready_changed = 390 * SIM_SEC;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 400 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_READY);
    p.ready_changed = 0;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 400 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_UNREADY);

    /* Pending before missing; ignored before all. */
    p.pending = TRUE;
    p.has_metric = FALSE;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 400 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_UNREADY);
    p.pending = FALSE;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 400 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_MISSING);
    p.ignored = TRUE;
    g_assert_cmpint (sim_hpa_classify (&p, TRUE, 400 * SIM_SEC, &params), ==,
                     SIM_HPA_POD_IGNORED);
}

/* 1.6: Pods AverageValue (the integer average) and External
 * AverageValue (A4's numbers: 10 against 1 per pod). */
static void
test_plain_and_external (void)
{
    SimHpaPod p[3] = { pod (150000, 0), pod (150000, 0), pod (150000, 0) };
    SimHpaProposal out;

    /* 150 requests/s per pod against 100: ratio 1.5, ceil(4.5) = 5. */
    sim_hpa_plain_replicas (p, 3, 3, 100000, NOW, &params, &out);
    g_assert_cmpint (out.replicas, ==, 5);
    g_assert_cmpint (out.usage, ==, 150000);

    /* A4: N = 11 -> 10/11 = 0.909 within [0.9, 1.1]: status.replicas,
     * 11; N = 13 -> 0.769: ceil(10/1) = 10. */
    sim_hpa_external_replicas (10000, 1000, 11, 0.1, &out);
    g_assert_cmpint (out.replicas, ==, 11);
    sim_hpa_external_replicas (10000, 1000, 13, 0.1, &out);
    g_assert_cmpint (out.replicas, ==, 10);
    /* With PR #4868 status.replicas is the stable's 10: ratio 1.0. */
    sim_hpa_external_replicas (10000, 1000, 10, 0.1, &out);
    g_assert_cmpint (out.replicas, ==, 10);
}

/* --- Normalization ----------------------------------------------------------- */

static const SimHpaPolicy default_up[] = {
    { SIM_HPA_POLICY_PODS, 4, 15 * SIM_SEC },
    { SIM_HPA_POLICY_PERCENT, 100, 15 * SIM_SEC },
};
static const SimHpaPolicy default_down[] = {
    { SIM_HPA_POLICY_PERCENT, 100, 15 * SIM_SEC },
};

static SimHpaBehavior
default_behavior (void)
{
    SimHpaBehavior b = {
        .up = { 0, SIM_HPA_SELECT_MAX, default_up, 2 },
        .down = { 300 * SIM_SEC, SIM_HPA_SELECT_MAX, default_down, 1 },
    };
    return b;
}

/* H12 TestScalingWithRules: current 10, raw 50, max 1000: 20 both ways
 * (legacy max(2 x 10, 4); behavior defaults max(10 + 4, 20)). */
static void
test_h12_scale_up_limit (void)
{
    SimHpaHistory h;
    SimHpaBehavior b = default_behavior ();
    SimHpaLimit why;

    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_normalize_legacy (&h, NOW, 300 * SIM_SEC, 10, 50,
                                               1, 1000, NULL, &why),
                     ==, 20);
    g_assert_cmpint (why, ==, SIM_HPA_LIMIT_RATE);
    sim_hpa_history_clear (&h);

    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, NOW, &b, 10, 50, 1, 1000,
                                                 NULL, &why),
                     ==, 20);
    g_assert_cmpint (why, ==, SIM_HPA_LIMIT_RATE);
    sim_hpa_history_clear (&h);
}

/* H13 TestScalingWithRules: current 3, raw 1, min 2 -> 2; current 20,
 * raw 1000, max 10 -> 10. */
static void
test_h13_bounds (void)
{
    SimHpaHistory h;
    SimHpaBehavior b = default_behavior ();
    SimHpaLimit why;

    b.down.window = 0;
    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, NOW, &b, 3, 1, 2, 100,
                                                 NULL, &why),
                     ==, 2);
    g_assert_cmpint (why, ==, SIM_HPA_LIMIT_MIN);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, NOW + 15 * SIM_SEC, &b, 20,
                                                 1000, 1, 10, NULL, &why),
                     ==, 10);
    g_assert_cmpint (why, ==, SIM_HPA_LIMIT_MAX);
    sim_hpa_history_clear (&h);
}

/* H14 TestScalingWithRules: current 1000, raw 3, min 3, scaleDown
 * {Pods 20 / 60 s}: 980. */
static void
test_h14_scale_down_pods (void)
{
    static const SimHpaPolicy down[] = { { SIM_HPA_POLICY_PODS, 20,
                                           60 * SIM_SEC } };
    SimHpaBehavior b = default_behavior ();
    SimHpaHistory h;

    b.down = (SimHpaRules) { 0, SIM_HPA_SELECT_MAX, down, 1 };
    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, NOW, &b, 1000, 3, 3, 10000,
                                                 NULL, NULL),
                     ==, 980);
    sim_hpa_history_clear (&h);
}

/* H15 TestCalculateScaleDownLimitWithBehaviors: current 5, Min of
 * {Pods 2 / 60 s, Percent 50 / 60 s}, no events: Pods 3, Percent
 * trunc(2.5) = 2, the smaller change: 3. */
static void
test_h15_scale_down_limit_min (void)
{
    static const SimHpaPolicy down[] = {
        { SIM_HPA_POLICY_PODS, 2, 60 * SIM_SEC },
        { SIM_HPA_POLICY_PERCENT, 50, 60 * SIM_SEC },
    };
    SimHpaRules r = { 0, SIM_HPA_SELECT_MIN, down, 2 };
    SimHpaHistory h;

    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_scale_down_limit (&h, NOW, 5, &r), ==, 3);
    r.select = SIM_HPA_SELECT_MAX;
    g_assert_cmpint (sim_hpa_scale_down_limit (&h, NOW, 5, &r), ==, 2);
    r.select = SIM_HPA_SELECT_DISABLED;
    g_assert_cmpint (sim_hpa_scale_down_limit (&h, NOW, 5, &r), ==, 5);
    sim_hpa_history_clear (&h);
}

/* H16 TestCalculateScaleUpLimitWithScalingRules: current 1, Min of
 * {Pods 2 / 60 s, Percent 50 / 60 s}: Pods 3, Percent ceil(1.5) = 2: 2. */
static void
test_h16_scale_up_limit_min (void)
{
    static const SimHpaPolicy up[] = {
        { SIM_HPA_POLICY_PODS, 2, 60 * SIM_SEC },
        { SIM_HPA_POLICY_PERCENT, 50, 60 * SIM_SEC },
    };
    SimHpaRules r = { 0, SIM_HPA_SELECT_MIN, up, 2 };
    SimHpaHistory h;

    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_scale_up_limit (&h, NOW, 1, &r), ==, 2);
    r.select = SIM_HPA_SELECT_MAX;
    g_assert_cmpint (sim_hpa_scale_up_limit (&h, NOW, 1, &r), ==, 3);
    sim_hpa_history_clear (&h);
}

/* H17: scaleDown {Percent 10 / 60 s}, current 80, raw 10, window 0: 72;
 * while that event is under 60 s old the period starts at 80 again: 72
 * holds; after it, 72 -> trunc(64.8) = 64. */
static void
test_h17_percent_period (void)
{
    static const SimHpaPolicy down[] = { { SIM_HPA_POLICY_PERCENT, 10,
                                           60 * SIM_SEC } };
    SimHpaBehavior b = default_behavior ();
    SimHpaHistory h;
    SimHpaLimit why;

    b.down = (SimHpaRules) { 0, SIM_HPA_SELECT_MAX, down, 1 };
    sim_hpa_history_init (&h);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, 0, &b, 80, 10, 1, 100,
                                                 NULL, &why),
                     ==, 72);
    g_assert_cmpint (why, ==, SIM_HPA_LIMIT_RATE);
    sim_hpa_store_event (&h, 0, &b, 80, 72);
    for (SimTime t = 15 * SIM_SEC; t < 60 * SIM_SEC; t += 15 * SIM_SEC)
        g_assert_cmpint (sim_hpa_normalize_behavior (&h, t, &b, 72, 10, 1, 100,
                                                     NULL, NULL),
                         ==, 72);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, 60 * SIM_SEC, &b, 72, 10,
                                                 1, 100, NULL, NULL),
                     ==, 64);
    sim_hpa_history_clear (&h);
}

/* H18 TestStabilizeDownscale: recommendations 10 at -10 min and 4 at
 * -1 min, current 4, raw 2: the highest of the last 300 s is 4. */
static void
test_h18_stabilize_downscale (void)
{
    SimHpaHistory h;
    SimHpaStamp r1 = { 10, NOW - 10 * SIM_MIN, FALSE };
    SimHpaStamp r2 = { 4, NOW - 1 * SIM_MIN, FALSE };
    SimHpaLimit why;

    sim_hpa_history_init (&h);
    g_array_append_val (h.recs, r1);
    g_array_append_val (h.recs, r2);
    g_assert_cmpint (sim_hpa_normalize_legacy (&h, NOW, 300 * SIM_SEC, 4, 2, 1,
                                               10, NULL, &why),
                     ==, 4);
    g_assert_cmpint (why, ==, SIM_HPA_LIMIT_STABILIZED);
    /* The stale record's slot was reused: still two. */
    g_assert_cmpuint (h.recs->len, ==, 2);
    sim_hpa_history_clear (&h);
}

/* H19: syncs at 0, 15, 30, ...; 10 pods; raw 10 at t = 0, then 5.
 * Legacy: 10 through t = 300 (a record exactly 300 s old counts), 5 at
 * t = 315.  Behavior with a 60 s scale-down window: 5 at t = 60. */
static void
test_h19_downscale_timeline (void)
{
    SimHpaHistory h;
    SimHpaBehavior b = default_behavior ();
    gint current = 10;
    SimTime first = -1;

    sim_hpa_history_init (&h);
    sim_hpa_history_start (&h, 10, 0);
    for (SimTime t = 0; t <= 400 * SIM_SEC && first < 0; t += 15 * SIM_SEC) {
        gint raw = t == 0 ? 10 : 5;
        gint d = sim_hpa_normalize_legacy (&h, t, 300 * SIM_SEC, current, raw,
                                           1, 100, NULL, NULL);

        if (d != current)
            first = t;
        current = d;
    }
    g_assert_cmpint (first, ==, 315 * SIM_SEC);
    g_assert_cmpint (current, ==, 5);
    sim_hpa_history_clear (&h);

    b.down.window = 60 * SIM_SEC;
    current = 10;
    first = -1;
    sim_hpa_history_init (&h);
    sim_hpa_history_start (&h, 10, 0);
    for (SimTime t = 0; t <= 400 * SIM_SEC && first < 0; t += 15 * SIM_SEC) {
        gint raw = t == 0 ? 10 : 5;
        gint d = sim_hpa_normalize_behavior (&h, t, &b, current, raw, 1, 100,
                                             NULL, NULL);

        if (d != current) {
            first = t;
            sim_hpa_store_event (&h, t, &b, current, d);
        }
        current = d;
    }
    g_assert_cmpint (first, ==, 60 * SIM_SEC);
    g_assert_cmpint (current, ==, 5);
    sim_hpa_history_clear (&h);
}

/* H20: scaleUp window 60 s, current 4, raw 4 up to t = 0 and 8 from
 * t = 15: held at t = 45 (the t = 0 record of 4 is in (-15, 45]), 8 at
 * t = 60. */
static void
test_h20_upscale_window (void)
{
    SimHpaHistory h;
    SimHpaBehavior b = default_behavior ();
    gint current = 4;

    b.up.window = 60 * SIM_SEC;
    sim_hpa_history_init (&h);
    sim_hpa_history_start (&h, 4, 0);
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, 0, &b, current, 4, 1, 100,
                                                 NULL, NULL),
                     ==, 4);
    for (SimTime t = 15 * SIM_SEC; t <= 45 * SIM_SEC; t += 15 * SIM_SEC) {
        SimHpaLimit why;

        g_assert_cmpint (sim_hpa_normalize_behavior (&h, t, &b, current, 8, 1,
                                                     100, NULL, &why),
                         ==, 4);
        g_assert_cmpint (why, ==, SIM_HPA_LIMIT_STABILIZED);
    }
    g_assert_cmpint (sim_hpa_normalize_behavior (&h, 60 * SIM_SEC, &b, current,
                                                 8, 1, 100, NULL, NULL),
                     ==, 8);
    sim_hpa_history_clear (&h);
}

/* The memory of an HPA that syncs for a day stays as long as its
 * windows hold syncs. */
static void
test_history_bounded (void)
{
    SimHpaHistory h;
    SimHpaBehavior b = default_behavior ();
    gint current = 10;

    sim_hpa_history_init (&h);
    sim_hpa_history_start (&h, current, 0);
    for (SimTime t = 0; t < 24 * SIM_HOUR; t += 15 * SIM_SEC) {
        gint raw = (t / (15 * SIM_SEC)) % 7 + 5;
        gint d = sim_hpa_normalize_behavior (&h, t, &b, current, raw, 1, 100,
                                             NULL, NULL);

        sim_hpa_store_event (&h, t, &b, current, d);
        current = d;
    }
    g_assert_cmpuint (h.recs->len, <=, 300 / 15 + 2);
    g_assert_cmpuint (h.up->len, <=, 3);
    g_assert_cmpuint (h.down->len, <=, 3);
    sim_hpa_history_clear (&h);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_set_nonfatal_assertions ();
    g_test_summary ("The HPA's arithmetic against worked examples H1-H21");
    g_test_add_func ("/hpa/replica-calc/H1-utilization-scale-up", test_h1);
    g_test_add_func ("/hpa/replica-calc/H2-within-tolerance", test_h2);
    g_test_add_func ("/hpa/replica-calc/H3-tolerance-float-edge", test_h3);
    g_test_add_func ("/hpa/replica-calc/H4-TestReplicaCalcScaleUp",
                     test_h4_scale_up);
    g_test_add_func (
        "/hpa/replica-calc/H5-TestReplicaCalcScaleUpUnreadyLessScale",
        test_h5_unready_less_scale);
    g_test_add_func (
        "/hpa/replica-calc/H6-TestReplicaCalcScaleUpUnreadyNoScale",
        test_h6_unready_no_scale);
    g_test_add_func ("/hpa/replica-calc/H7-TestReplicaCalcScaleDown",
                     test_h7_scale_down);
    g_test_add_func (
        "/hpa/replica-calc/H8-TestReplicaCalcScaleDownExcludeUnreadyPods",
        test_h8_exclude_unready);
    g_test_add_func ("/hpa/replica-calc/H9-TestReplicaCalcMissingMetrics",
                     test_h9_missing_metrics);
    g_test_add_func (
        "/hpa/replica-calc/H10-TestReplicaCalcDuringRollingUpdateWithMaxSurge",
        test_h10_rolling_update_surge);
    g_test_add_func ("/hpa/replica-calc/H11-surge-inflation",
                     test_h11_surge_inflation);
    g_test_add_func ("/hpa/replica-calc/metric-fails", test_metric_fails);
    g_test_add_func ("/hpa/replica-calc/H21-cpu-initialization",
                     test_h21_cpu_initialization);
    g_test_add_func ("/hpa/replica-calc/pods-and-external",
                     test_plain_and_external);
    g_test_add_func ("/hpa/normalize/H12-TestScalingWithRules-up-limit",
                     test_h12_scale_up_limit);
    g_test_add_func ("/hpa/normalize/H13-TestScalingWithRules-bounds",
                     test_h13_bounds);
    g_test_add_func ("/hpa/normalize/H14-TestScalingWithRules-pods-down",
                     test_h14_scale_down_pods);
    g_test_add_func (
        "/hpa/normalize/H15-TestCalculateScaleDownLimitWithBehaviors",
        test_h15_scale_down_limit_min);
    g_test_add_func (
        "/hpa/normalize/H16-TestCalculateScaleUpLimitWithScalingRules",
        test_h16_scale_up_limit_min);
    g_test_add_func ("/hpa/normalize/H17-percent-period",
                     test_h17_percent_period);
    g_test_add_func ("/hpa/normalize/H18-TestStabilizeDownscale",
                     test_h18_stabilize_downscale);
    g_test_add_func ("/hpa/normalize/H19-downscale-timeline",
                     test_h19_downscale_timeline);
    g_test_add_func ("/hpa/normalize/H20-upscale-window",
                     test_h20_upscale_window);
    g_test_add_func ("/hpa/normalize/history-bounded", test_history_bounded);
    return g_test_run ();
}
