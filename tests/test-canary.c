/* test-canary.c - the Argo Rollouts canary strategy.
 *
 * Arithmetic: the replica-count tables of docs/design.md
 * A5 (argo-rollouts' own unit-test rows), row by row, against
 * strategies/canary-math.c.  Scenario level: the replica walks of sections
 * 1.5 and 1.6 as the ReplicaSet scalings a user reads in events.csv, the
 * router weights, abort and rollback (A1.7), scale-down delays (A1.8), the
 * progress deadline (A1.9), pauses and analysis (A1.2); and over the shipped
 * scenarios/canary-*.ini: bad releases aborted, good ones completed,
 * conservation and determinism.
 */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include "testutil.h"
#include "metrics.h"
#include "report.h"
#include "canary-math.h"
#include "canary.h"
#include "rng.h"

/* Every delay 0, start-up const(10 s), no traffic: the idealised model
 * of the "derived illustration" of section A1.5. */
static const char base_ini[] =
    "[scenario]\n"
    "name = canary-test\n"
    "duration = 300s\n"
    "[cluster]\n"
    "nodes = 20\n"
    "node_cpu = 100\n"
    "node_memory = 1000Gi\n"
    "controller_delay = 0s\n"
    "endpoint_delay = 0s\n"
    "schedule_delay = 0s\n"
    "[deployment]\n"
    "replicas = 10\n"
    "version = v1\n"
    "[version.v1]\n"
    "pull = const(0s)\n"
    "startup = const(10s)\n"
    "[version.v2]\n"
    "pull = const(0s)\n"
    "startup = const(10s)\n"
    "[traffic]\n"
    "rate = 0\n"
    "[strategy]\n"
    "type = canary\n"
    "[strategy.canary]\n"
    "steps = set-weight 30; set-weight 60; set-weight 100\n"
    "max_surge = 25%\n"
    "max_unavailable = 25%\n"
    "[analysis]\n"
    "metrics = error_rate < 0.05\n"
    "interval = 10s\n"
    "count = 2\n"
    "min_requests = 20\n"
    "[rollout]\n"
    "at = 10s\n"
    "to = v2\n";

/* --- Helpers -------------------------------------------------------------- */

static SimWorld *
run_sets (const char *const *sets, SimScenario **out_sc)
{
    SimScenario *sc = sim_test_scenario (base_ini, sets);

    *out_sc = sc;
    return sim_test_run (sc);
}

static SimSummary
summary_of (SimWorld *w)
{
    SimSummary s;

    sim_world_summary (w, &s);
    return s;
}

/* The rows of one kind as "t=SECONDS value [detail]" lines. */
static char *
rows_of (SimWorld *w, SimEventKind kind, gboolean with_detail)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind != kind)
            continue;
        g_string_append_printf (s, "t=%g %" G_GINT64_FORMAT,
                                SIM_TIME_TO_SEC (r->time), r->value);
        if (with_detail && r->detail != NULL)
            g_string_append_printf (s, " %s", r->detail);
        g_string_append_c (s, '\n');
    }
    return g_string_free (s, FALSE);
}

/* The first row of @kind (and of @version when not NULL), or NULL. */
static const SimEventRow *
first_row (SimWorld *w, SimEventKind kind, const char *version)
{
    SimEventLog *log = sim_world_events (w);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == kind
            && (version == NULL || g_strcmp0 (r->version, version) == 0))
            return r;
    }
    return NULL;
}

static guint
count_rows (SimWorld *w, SimEventKind kind)
{
    SimEventLog *log = sim_world_events (w);
    guint n = 0;

    for (guint i = 0; i < sim_event_log_len (log); i++)
        n += sim_event_log_row (log, i)->kind == kind;
    return n;
}

/* Every pod on @v: its ReplicaSet holds all replicas, available, and no
 * other version has a pod left, terminating or not. */
static void
assert_all_on (SimWorld *w, gint v)
{
    const SimScenario *sc = sim_world_scenario (w);

    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);
        SimReplicaSetStatus st;

        sim_replica_set_status (rs, &st);
        if (sim_replica_set_version (rs) == v) {
            g_assert_cmpint (sim_replica_set_spec (rs), ==, sc->replicas);
            g_assert_cmpint (st.replicas, ==, sc->replicas);
            g_assert_cmpint (st.available, ==, sc->replicas);
        } else {
            g_assert_cmpint (sim_replica_set_spec (rs), ==, 0);
            g_assert_cmpint (sim_replica_set_pods_alive (rs), ==, 0);
        }
    }
}

/* --- Arithmetic: section A5 ------------------------------------------------ */

typedef struct {
    gint r, surge, weight, canary, stable;
} SplitRow;

/* A5.2, TestApproximateWeightedNewStableReplicaCounts (maxWeight 100). */
static const SplitRow split_rows[] = {
    { 0, 0, 0, 0, 0 },     { 0, 0, 50, 0, 0 },  { 0, 0, 100, 0, 0 },
    { 0, 1, 0, 0, 0 },     { 0, 1, 50, 0, 0 },  { 0, 1, 100, 0, 0 },
    { 1, 0, 0, 0, 1 },     { 1, 0, 1, 0, 1 },   { 1, 0, 49, 0, 1 },
    { 1, 0, 50, 1, 0 },    { 1, 0, 99, 1, 0 },  { 1, 0, 100, 1, 0 },
    { 1, 1, 0, 0, 1 },     { 1, 1, 1, 1, 1 },   { 1, 1, 49, 1, 1 },
    { 1, 1, 50, 1, 1 },    { 1, 1, 99, 1, 1 },  { 1, 1, 100, 1, 0 },
    { 2, 0, 0, 0, 2 },     { 2, 0, 1, 1, 1 },   { 2, 0, 50, 1, 1 },
    { 2, 0, 99, 1, 1 },    { 2, 0, 100, 2, 0 }, { 2, 1, 0, 0, 2 },
    { 2, 1, 1, 1, 2 },     { 2, 1, 50, 1, 1 },  { 2, 1, 99, 2, 1 },
    { 2, 1, 100, 2, 0 },   { 3, 0, 10, 1, 2 },  { 3, 0, 25, 1, 2 },
    { 3, 0, 33, 1, 2 },    { 3, 0, 34, 1, 2 },  { 3, 0, 49, 1, 2 },
    { 3, 0, 50, 2, 1 },    { 3, 1, 10, 1, 3 },  { 3, 1, 25, 1, 3 },
    { 3, 1, 33, 1, 2 },    { 3, 1, 34, 1, 2 },  { 3, 1, 49, 2, 2 },
    { 3, 1, 50, 2, 2 },    { 10, 0, 1, 1, 9 },  { 10, 0, 14, 1, 9 },
    { 10, 0, 15, 2, 8 },   { 10, 0, 16, 2, 8 }, { 10, 0, 99, 9, 1 },
    { 10, 1, 0, 0, 10 },   { 10, 1, 1, 1, 10 }, { 10, 1, 18, 2, 9 },
    { 10, 1, 19, 2, 9 },   { 10, 1, 20, 2, 8 }, { 10, 1, 23, 2, 8 },
    { 10, 1, 24, 3, 8 },   { 10, 1, 25, 3, 8 }, { 10, 1, 99, 10, 1 },
    { 10, 1, 100, 10, 0 },
};

static void
test_ideal_split (void)
{
    g_test_summary ("Section A5.2 (TestApproximateWeightedNewStableReplica"
                    "Counts): the ideal (canary, stable) split of section "
                    "1.5 b over R or R+1 pods, every tabulated row");
    for (guint i = 0; i < G_N_ELEMENTS (split_rows); i++) {
        const SplitRow *row = &split_rows[i];
        gint c = -1, s = -1;

        sim_canary_ideal_split (row->r, row->weight, 100, row->surge, &c, &s);
        if (c != row->canary || s != row->stable)
            g_test_message ("R=%d surge=%d weight=%d: got %d/%d, want %d/%d",
                            row->r, row->surge, row->weight, c, s, row->canary,
                            row->stable);
        g_assert_cmpint (c, ==, row->canary);
        g_assert_cmpint (s, ==, row->stable);
    }
}

/* A5.1, the basic-canary rows: -1 for a ReplicaSet not passed. */
typedef struct {
    gint id;
    gint r, surge, unavailable, weight, other;
    gint stable_spec, stable_avail, canary_spec, canary_avail;
    gint want_canary, want_stable;
} BasicRow;

static const BasicRow basic_rows[] = {
    { 1, 10, 3, 0, 100, 0, 7, 8, 6, 3, 6, 7 },
    { 2, 10, 2, 0, 20, 0, 10, 10, 0, 0, 2, 10 },
    { 3, 10, 2, 0, 20, 0, 10, 10, 0, 0, 2, 10 },
    { 4, 10, 2, 0, 20, 0, 10, 10, 2, 2, 2, 8 },
    { 5, 10, 2, 0, 30, 0, 10, 10, 0, 0, 2, 10 },
    { 6, 10, 0, 2, 20, 0, 10, 10, 0, 0, 0, 8 },
    { 7, 10, 0, 2, 20, 0, 10, 10, 0, 0, 0, 8 },
    { 8, 10, 0, 2, 30, 0, 10, 10, 0, 0, 0, 8 },
    { 9, 10, 2, 1, 50, 0, 10, 10, 0, 0, 2, 9 },
    { 10, 10, 1, 1, 0, 0, 10, 10, 1, 1, 0, 10 },
    { 11, 10, 1, 1, 100, 0, 1, 1, 10, 10, 10, 0 },
    { 12, 1, 1, 0, 20, 0, 1, 1, 0, 0, 1, 1 },
    { 13, 1, 1, 0, 90, 0, 1, 1, 0, 0, 1, 1 },
    { 14, 1, 0, 1, 49, 0, 1, 1, 0, 0, 0, 1 },
    { 15, 1, 0, 1, 51, 0, 1, 1, 0, 0, 0, 0 },
    { 16, 1, 0, 1, 51, 0, 0, 0, 0, 0, 1, 0 },
    { 17, 10, 1, 0, 30, 3, 1, 1, 0, 0, 1, 7 },
    { 18, 10, 0, 3, 30, 0, 8, 5, 4, 4, 3, 7 },
    { 19, 10, 1, 0, 100, 0, 10, 2, 10, 8, 9, 2 },
    { 20, 10, 0, 1, 30, 3, 8, 6, 4, 2, 4, 8 },
    { 21, 10, 0, 1, 5, 0, 10, 10, 0, 0, 0, 9 },
    { 22, 10, 0, 1, 5, 0, 9, 9, 0, 0, 1, 9 },
    { 23, 10, 0, 1, 10, 0, 10, 10, 0, 0, 0, 9 },
    { 27, 10, 2, 0, 20, 0, 10, 10, 0, 0, 2, 10 },
    { 28, 4, 1, 0, 100, 0, 4, 1, 0, 0, 1, 4 },
    { 29, 3, 0, 2, 99, 0, 3, 3, 0, 0, 0, 1 },
    { 30, 3, 0, 2, 99, 0, 1, 1, 0, 0, 2, 1 },
    { 31, 4, 1, 0, 100, 0, 4, 1, 1, 1, 1, 3 },
    { 32, 4, 1, 0, 0, 0, 0, 0, 4, 4, 4, 1 },
    { 33, 4, 1, 0, 0, 0, 1, 0, 4, 4, 4, 1 },
    { 34, 4, 1, 0, 0, 0, 1, 1, 4, 4, 3, 1 },
    { 35, 4, 4, 4, 100, 0, 4, 4, 0, 0, 4, 0 },     /* promote full */
    { 36, 4, 3, 0, 100, 0, 4, 4, 0, 0, 3, 4 },     /* promote full */
    { 41, 10, 0, 1, 10, 0, -1, -1, 10, 0, 10, 0 }, /* stable is new */
    { 42, 10, 0, 1, 10, 0, -1, -1, 9, 9, 10, 0 },  /* no stable */
    { 43, 10, 0, 1, 10, 0, -1, -1, 9, 9, 10, 0 },  /* stable is new */
};

static void
test_basic_counts (void)
{
    g_test_summary ("Section A5.1 (CalculateReplicaCountsForBasicCanary): "
                    "the spec counts of one reconcile within maxSurge and "
                    "maxUnavailable (section A1.5 c), rows 1-23, 27-36, "
                    "41-43");
    for (guint i = 0; i < G_N_ELEMENTS (basic_rows); i++) {
        const BasicRow *row = &basic_rows[i];
        SimK8sRs stable = { row->stable_spec, row->stable_avail };
        SimK8sRs canary = { row->canary_spec, row->canary_avail };
        gint c = -1, s = -1;

        sim_canary_basic_counts (row->r, row->surge, row->unavailable,
                                 row->weight, 100, &canary,
                                 row->stable_spec >= 0 ? &stable : NULL,
                                 row->other, &c, &s);
        if (c != row->want_canary || s != row->want_stable)
            g_test_message ("row %d: got canary %d stable %d, want %d %d",
                            row->id, c, s, row->want_canary, row->want_stable);
        g_assert_cmpint (c, ==, row->want_canary);
        g_assert_cmpint (s, ==, row->want_stable);
    }
}

/* A5.1, the traffic-routed rows.  weight -1: the abort walk-back over
 * steps (a, b) from the given availabilities, as the strategy composes
 * it; stable_avail -1: no ReplicaSets passed (then the weight is 0). */
typedef struct {
    gint id;
    gint r;
    gboolean dss, aborted;
    gint min_pods, scale_replicas, weight;
    gint step_a, step_b;
    gint stable_avail, canary_avail;
    gboolean explicit_delay;
    gboolean known;
    gint router_canary, router_stable;
    gint want_canary, want_stable; /* -1: not asserted */
} RoutedRow;

static const RoutedRow routed_rows[] = {
    /* setCanaryScale replicas 9, R 1 */
    { 24, 1, FALSE, FALSE, 0, 9, 100, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 9, 1 },
    /* setCanaryScale weight 200 of 4 pods */
    { 25, 4, FALSE, FALSE, 0, -1, 200, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 8, 4 },
    /* matchTrafficWeight cancels it: setWeight 20 */
    { 26, 10, FALSE, FALSE, 0, -1, 20, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 2, 10 },
    /* aborted, abortScaleDownDelaySeconds 0 keeps setCanaryScale */
    { 37, 1, FALSE, TRUE, 0, 1, 0, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 1, 1 },
    /* aborted with a delay: setCanaryScale ignored, weight 0 */
    { 38, 1, FALSE, TRUE, 0, -1, 0, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 0, 1 },
    { 39, 10, FALSE, FALSE, 2, -1, 5, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 2, 10 },
    { 40, 1, FALSE, FALSE, 2, -1, 100, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 1, 1 },
    { 44, 10, FALSE, FALSE, 0, -1, 10, 0, 0, 0, 0, FALSE, FALSE, 0, 0, 1, 10 },
    { 45, 10, TRUE, TRUE, 0, -1, -1, 20, 60, 4, 6, FALSE, TRUE, 60, 40, 6, 8 },
    { 46, 10, TRUE, TRUE, 0, -1, -1, 20, 60, 4, 1, FALSE, TRUE, 60, 40, 6, 8 },
    { 47, 10, TRUE, TRUE, 0, -1, -1, 20, 60, 4, 2, FALSE, TRUE, 60, 40, 6, 8 },
    { 48, 10, TRUE, TRUE, 0, -1, -1, 20, 60, -1, -1, FALSE, TRUE, 60, 40, 6,
      10 },
    { 49, 10, TRUE, FALSE, 0, -1, 10, 0, 0, 0, 0, FALSE, TRUE, 10, 90, 1, 9 },
    { 50, 10, TRUE, FALSE, 0, -1, 20, 0, 0, 0, 0, FALSE, TRUE, 10, 90, 2, 9 },
    { 51, 10, TRUE, TRUE, 0, -1, -1, 0, 0, -1, -1, FALSE, TRUE, 20, 80, 2, 10 },
    { 52, 10, TRUE, TRUE, 0, -1, -1, 0, 0, -1, -1, FALSE, TRUE, 10, 90, 1, 10 },
    { 53, 10, TRUE, TRUE, 0, -1, -1, 10, 50, 9, 5, TRUE, TRUE, 10, 90, -1, 10 },
};

static void
test_routed_counts (void)
{
    g_test_summary ("Section A5.1 (CalculateReplicaCountsForTrafficRouted"
                    "Canary): canary pods from the weight or setCanaryScale, "
                    "stable left at R or, with dynamicStableScale, following "
                    "the router weights; aborting, the weight walks back "
                    "down the steps (section A1.6), rows 24-26, 37-40, 44-53");
    for (guint i = 0; i < G_N_ELEMENTS (routed_rows); i++) {
        const RoutedRow *row = &routed_rows[i];
        gint steps[2] = { row->step_a, row->step_b };
        SimCanaryRouted in = {
            .replicas = row->r,
            .max_weight = 100,
            .dynamic_stable_scale = row->dss,
            .min_pods = row->min_pods,
            .scale_replicas = row->scale_replicas,
            .weight = row->weight,
            .aborted = row->aborted,
            .weights_known = row->known,
            .router_canary = row->router_canary,
            .router_stable = row->router_stable,
        };
        gint c = -1, s = -1;

        if (row->weight < 0)
            in.weight = row->stable_avail < 0
                            ? 0
                            : sim_canary_abort_weight (row->r, 100, steps, 2,
                                                       row->stable_avail,
                                                       row->canary_avail,
                                                       row->explicit_delay);
        sim_canary_routed_counts (&in, &c, &s);
        if ((row->want_canary >= 0 && c != row->want_canary)
            || s != row->want_stable)
            g_test_message ("row %d: got canary %d stable %d, want %d %d",
                            row->id, c, s, row->want_canary, row->want_stable);
        if (row->want_canary >= 0)
            g_assert_cmpint (c, ==, row->want_canary);
        g_assert_cmpint (s, ==, row->want_stable);
    }
}

static void
test_abort_weight (void)
{
    static const gint steps[] = { 10, 50 };
    static const struct {
        gboolean explicit_delay;
        gint stable_avail, want;
    } rows[] = {
        { FALSE, 9, 10 }, /* unset: held up by the canary's 5 pods */
        { TRUE, 5, 10 },  /* 30 */
        { TRUE, 9, 0 },   /* 30: lets stable reach 10 */
        { FALSE, 9, 10 }, /* explicit 0 counts the canary too */
    };

    g_test_summary ("Section A5.3 (TestGetDesiredCanaryWeightOnAbortWith"
                    "ScaleDownDelay): the abort weight walk-back with "
                    "dynamicStableScale, R 10, steps 10 then 50, canary 5/5");
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        g_assert_cmpint (sim_canary_abort_weight (10, 100, steps, 2,
                                                  rows[i].stable_avail, 5,
                                                  rows[i].explicit_delay),
                         ==, rows[i].want);
}

static void
test_abort_router_weight (void)
{
    static const struct {
        gint desired, stable_avail;
        gboolean known;
        gint current, want;
    } rows[] = {
        { 24, 2, TRUE, 66, 66 },  /* stable 40% < 76%: held */
        { 24, 4, TRUE, 66, 24 },  /* stable 80% >= 76%: min(24, 66) */
        { 0, 4, TRUE, 24, 20 },   /* desired 0: 100 - 80, capped at 24 */
        { 0, 5, TRUE, 20, 0 },    /* stable full: 0 */
        { 24, 2, FALSE, 0, 60 },  /* nothing recorded: 100 - 40 */
        { 66, 1, TRUE, 100, 100 } /* stable 20% < 34%: held */
    };

    g_test_summary ("docs/design.md A1.6 (Argo v1.9+ "
                    "calculateDesiredWeightOnAbortOrStableRollback): the "
                    "router weight on abort with dynamicStableScale, R 5 - "
                    "held while the stable cannot carry the walked-back "
                    "step, then min(desired, current), 100 - stable% when "
                    "desired is 0 or nothing is recorded");
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        g_assert_cmpint (sim_canary_abort_router_weight (
                             5, 100, rows[i].desired, rows[i].stable_avail,
                             rows[i].known, rows[i].current),
                         ==, rows[i].want);
}

static void
test_weight_to_replicas (void)
{
    g_test_summary ("Section A5.3 (TestTrafficWeightToReplicas): "
                    "ceil(weight x R / maxWeight)");
    g_assert_cmpint (sim_canary_weight_to_replicas (10, 0, 100), ==, 0);
    g_assert_cmpint (sim_canary_weight_to_replicas (10, 20, 100), ==, 2);
    g_assert_cmpint (sim_canary_weight_to_replicas (10, 25, 100), ==, 3);
    g_assert_cmpint (sim_canary_weight_to_replicas (10, 33, 100), ==, 4);
    g_assert_cmpint (sim_canary_weight_to_replicas (10, 99, 100), ==, 10);
    g_assert_cmpint (sim_canary_weight_to_replicas (10, 100, 100), ==, 10);
    g_assert_cmpint (sim_canary_weight_to_replicas (23, 100000000, 100000000),
                     ==, 23);
}

/* --- Replica walks (sections A1.5 and A1.6) --------------------------------- */

static void
test_walk_r10 (void)
{
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (NULL, &sc);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *steps = rows_of (w, SIM_EVENT_STEP, TRUE);
    SimSummary s = summary_of (w);

    g_test_summary ("Section A1.5, derived illustration: R=10, 25%/25% "
                    "(surge 3, unavailable 2), steps 30 -> 60 -> 100: "
                    "stable 8, canary 3, stable 7 [30%], stable 5, canary 6, "
                    "stable 4 [60%], stable 2, canary 10, stable 0; the new "
                    "ReplicaSet is created empty, then promoted");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=10\n"
                     "t=10 v2=0\n"
                     "t=10 v1=8\n"
                     "t=10 v2=3\n"
                     "t=20 v1=7\n"
                     "t=20 v1=5\n"
                     "t=20 v2=6\n"
                     "t=30 v1=4\n"
                     "t=30 v1=2\n"
                     "t=30 v2=10\n"
                     "t=40 v1=0\n");
    g_assert_cmpstr (steps, ==,
                     "t=10 1 set-weight 30\n"
                     "t=20 2 set-weight 60\n"
                     "t=30 3 set-weight 100\n");
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpint (s.rollout_end, ==, 40 * SIM_SEC);
    g_assert_nonnull (first_row (w, SIM_EVENT_PROMOTED, "v2"));
    assert_all_on (w, 1);
    sim_world_free (w);
}

static void
test_walk_surge1 (void)
{
    const char *sets[] = { "strategy.canary.max_surge=1",
                           "strategy.canary.max_unavailable=0",
                           "strategy.canary.steps=set-weight 30; pause", NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    g_autofree char *scalings = sim_test_scalings (w);
    const SimEventRow *paused = first_row (w, SIM_EVENT_PAUSED, NULL);
    SimSummary s = summary_of (w);

    g_test_summary ("Section A1.5, derived illustration: maxSurge 1, "
                    "maxUnavailable 0, setWeight 30: canary 1, stable 9, "
                    "canary 2, stable 8, canary 3, stable 7 - one pod at a "
                    "time, stable only shrinking as canary pods become "
                    "available; then a pause without duration holds for "
                    "ever and the run ends unfinished (section A1.2)");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=10\n"
                     "t=10 v2=0\n"
                     "t=10 v2=1\n"
                     "t=20 v1=9\n"
                     "t=20 v2=2\n"
                     "t=30 v1=8\n"
                     "t=30 v2=3\n"
                     "t=40 v1=7\n");
    g_assert_nonnull (paused);
    g_assert_cmpint (paused->time, ==, 40 * SIM_SEC);
    g_assert_nonnull (strstr (paused->detail, "unfinished"));
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_UNFINISHED);
    g_assert_null (first_row (w, SIM_EVENT_PROMOTED, NULL));
    sim_world_free (w);
}

static void
test_walk_r4_dss (void)
{
    const char *sets[] = { "deployment.replicas=4",
                           "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.dynamic_stable_scale=true",
                           "strategy.canary.steps=set-weight 75; pause", NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *weights = rows_of (w, SIM_EVENT_WEIGHT_SET, FALSE);
    SimEventLog *log = sim_world_events (w);
    gint weight_at = -1, stable_at = -1;

    g_test_summary ("Section A1.6, argoproj/argo-rollouts#1029: R=4, "
                    "setWeight 75, dynamicStableScale: (stable 4, canary 3, "
                    "weight 0) -> (4, 3, 75) -> (1, 3, 75); the weight moves "
                    "once the canary pods are available, the stable shrinks "
                    "only after traffic has left it");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=4\n"
                     "t=10 v2=0\n"
                     "t=10 v2=3\n"
                     "t=20 v1=1\n");
    g_assert_cmpstr (weights, ==, "t=10 0\nt=20 75\n");
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_WEIGHT_SET && r->value == 75)
            weight_at = (gint) i;
        if (r->kind == SIM_EVENT_REPLICASET_SCALED
            && g_strcmp0 (r->object, "v1") == 0)
            stable_at = (gint) i;
    }
    g_assert_cmpint (weight_at, >=, 0);
    g_assert_cmpint (stable_at, >, weight_at);
    sim_world_free (w);
}

static void
test_walk_router_static (void)
{
    const char *sets[] = { "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.steps=set-weight 20; "
                           "set-weight 50; set-weight 100",
                           NULL };
    const char *sets0[] = { "strategy.canary.traffic_routing=weighted",
                            "strategy.canary.steps=set-weight 20; "
                            "set-weight 50; set-weight 100",
                            "strategy.canary.scale_down_delay=0s", NULL };
    g_autoptr (SimScenario) sc = NULL;
    g_autoptr (SimScenario) sc0 = NULL;
    SimWorld *w = run_sets (sets, &sc);
    SimWorld *w0 = run_sets (sets0, &sc0);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *scalings0 = sim_test_scalings (w0);
    g_autofree char *weights = rows_of (w, SIM_EVENT_WEIGHT_SET, FALSE);
    SimSummary s = summary_of (w), s0 = summary_of (w0);
    const SimEventRow *promoted = first_row (w, SIM_EVENT_PROMOTED, NULL);

    g_test_summary ("Sections A1.6 and A1.8: with a router and a static "
                    "stable, canary pods are ceil(weight x R / 100), the "
                    "stable keeps all R pods, each weight is sent once its "
                    "pods are available; after promotion the old stable "
                    "stays for scale_down_delay (30 s), or goes at once "
                    "with 0");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=10\n"
                     "t=10 v2=0\n"
                     "t=10 v2=2\n"
                     "t=20 v2=5\n"
                     "t=30 v2=10\n"
                     "t=70 v1=0\n");
    g_assert_cmpstr (weights, ==, "t=10 0\nt=20 20\nt=30 50\nt=40 100\n");
    g_assert_nonnull (promoted);
    g_assert_cmpint (promoted->time, ==, 40 * SIM_SEC);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpint (s.rollout_end, ==, 70 * SIM_SEC);
    g_assert_true (g_str_has_suffix (scalings0, "t=30 v2=10\nt=40 v1=0\n"));
    g_assert_cmpint (s0.rollout_end, ==, 40 * SIM_SEC);
    assert_all_on (w, 1);
    sim_world_free (w);
    sim_world_free (w0);
}

static void
test_set_canary_scale (void)
{
    const char *sets[] = { "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.steps=set-canary-scale replicas "
                           "4; set-weight 10; pause 20s; "
                           "set-canary-scale match-traffic-weight; pause",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *weights = rows_of (w, SIM_EVENT_WEIGHT_SET, FALSE);

    g_test_summary ("Section A1.6: set-canary-scale replicas decouples the "
                    "canary's pods from its weight (4 pods carry 10%), and "
                    "match-traffic-weight brings them back to "
                    "ceil(10% x 10) = 1");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=10\n"
                     "t=10 v2=0\n"
                     "t=10 v2=4\n"
                     "t=40 v2=1\n");
    g_assert_cmpstr (weights, ==, "t=10 0\nt=20 10\n");
    sim_world_free (w);
}

static void
test_property (void)
{
    SimRng rng;
    gint runs = 0;

    g_test_summary ("Section A1.5 over random replicas, maxSurge, "
                    "maxUnavailable and set-weight steps, healthy versions: "
                    "pods not terminating never exceed replicas + surge, "
                    "available pods never drop below replicas - "
                    "unavailable, the rollout completes and every pod ends "
                    "on the new version");
    sim_rng_init (&rng, 20261127, 4);
    for (gint n = 0; n < 120; n++) {
        gint r = 1 + (gint) sim_rng_below (&rng, 12);
        gboolean pct_s = sim_rng_below (&rng, 2);
        gboolean pct_u = sim_rng_below (&rng, 2);
        gint vs = pct_s ? (gint) sim_rng_below (&rng, 101)
                        : (gint) sim_rng_below (&rng, 4);
        gint vu = pct_u ? (gint) sim_rng_below (&rng, 101)
                        : (gint) sim_rng_below (&rng, 4);
        g_autoptr (GString) steps = g_string_new (NULL);
        g_autofree char *set_r = g_strdup_printf ("deployment.replicas=%d", r);
        g_autofree char *set_s = g_strdup_printf (
            "strategy.canary.max_surge=%d%s", vs, pct_s ? "%" : "");
        g_autofree char *set_u = g_strdup_printf (
            "strategy.canary.max_unavailable=%d%s", vu, pct_u ? "%" : "");
        g_autofree char *set_seed = g_strdup_printf ("scenario.seed=%d", n + 1);
        g_autofree char *set_steps = NULL;
        g_autoptr (SimScenario) sc = NULL;
        gint n_steps = 1 + (gint) sim_rng_below (&rng, 4), weight = 0;
        gint surge, unavailable, max_active, min_available;
        SimWorld *w;
        SimSummary s;

        if (vs == 0 && vu == 0)
            continue; /* rejected, as Argo's validation does */
        for (gint i = 0; i < n_steps; i++) {
            /* (MIN evaluates its arguments twice: draw first.) */
            gint up = 1 + (gint) sim_rng_below (&rng, 60);

            weight = MIN (100, weight + up);
            g_string_append_printf (steps, "%sset-weight %d; pause 5s",
                                    i > 0 ? "; " : "", weight);
        }
        set_steps = g_strconcat ("strategy.canary.steps=", steps->str, NULL);
        {
            const char *sets[] = { set_r,
                                   set_s,
                                   set_u,
                                   set_seed,
                                   set_steps,
                                   "version.v2.startup=uniform(2s,15s)",
                                   "scenario.duration=900s",
                                   NULL };

            sc = sim_test_scenario (base_ini, sets);
        }
        sim_test_fenceposts (r, pct_s, vs, pct_u, vu, &surge, &unavailable);
        w = sim_test_run (sc);
        sim_test_pod_extremes (w, &max_active, &min_available);
        s = summary_of (w);
        if (max_active > r + surge || min_available < r - unavailable
            || s.outcome != SIM_OUTCOME_COMPLETED)
            g_test_message ("R=%d %s %s %s: max active %d, min available "
                            "%d, outcome %s",
                            r, set_s, set_u, set_steps, max_active,
                            min_available, sim_outcome_name (s.outcome));
        g_assert_cmpint (max_active, <=, r + surge);
        g_assert_cmpint (min_available, >=, r - unavailable);
        g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
        assert_all_on (w, 1);
        sim_world_free (w);
        runs++;
    }
    g_assert_cmpint (runs, >, 100);
}

/* --- Pauses, analysis, abort, deadline (sections A1.2, A1.7, A1.9) ----------- */

static const char *const traffic_sets[] = {
    "traffic.rate=50", "version.v2.error_rate=0.3",
    "strategy.canary.max_unavailable=0",
    "strategy.canary.steps=set-weight 30; pause 20s; analysis; "
    "set-weight 100",
    NULL
};

static void
test_abort_delay_basic (void)
{
    const char *with[] = { "traffic.rate=50",
                           "version.v2.error_rate=0.3",
                           "strategy.canary.abort_scale_down_delay=10s",
                           "strategy.canary.max_unavailable=0",
                           "strategy.canary.steps=set-weight 30; analysis; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sa = NULL;
    g_autoptr (SimScenario) sb = NULL;
    SimWorld *wa = run_sets (with, &sa);
    SimWorld *wb;
    g_autofree char *a = NULL, *b = NULL;

    g_test_summary ("docs/design.md A1.7 (issue 11, finding F6): Argo's "
                    "validation accepts abortScaleDownDelaySeconds without a "
                    "router and a basic canary ignores it - the same abort "
                    "walk as without the key");
    with[2] = "strategy.canary.abort_scale_down_delay=default";
    wb = run_sets (with, &sb);
    g_assert_nonnull (first_row (wa, SIM_EVENT_ABORTED, NULL));
    a = sim_test_scalings (wa);
    b = sim_test_scalings (wb);
    g_assert_cmpstr (a, ==, b);
    sim_world_free (wa);
    sim_world_free (wb);
}

static void
test_abort_basic (void)
{
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (traffic_sets, &sc);
    SimSummary s = summary_of (w);
    const SimEventRow *aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    const SimEventRow *zero = NULL;
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) avail = g_hash_table_new (g_str_hash, g_str_equal);
    gint max_active = 0, min_avail = G_MAXINT;

    g_test_summary ("Section A1.7, basic canary: a failed inline analysis "
                    "aborts; the weight goes to 0 and the canary is rolled "
                    "back to stable within maxSurge 3 / maxUnavailable 0 "
                    "(never more than 13 pods, never fewer than 10 "
                    "available); outcome aborted, with detection_s and "
                    "bad_version_requests");
    g_assert_nonnull (aborted);
    g_assert_nonnull (strstr (aborted->detail, "analysis 1 failed: "
                                               "error_rate"));
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_ABORTED);
    g_assert_cmpint (s.rollout_end, ==, aborted->time);
    g_assert_false (isnan (s.detection_s));
    g_assert_cmpfloat (s.detection_s, >, 0);
    g_assert_cmpuint (s.bad_version_requests, >, 0);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_WEIGHT_SET && r->value == 0)
            zero = r;
        if (r->kind == SIM_EVENT_POD_CREATED)
            g_hash_table_add (active, r->object);
        if (r->kind == SIM_EVENT_POD_AVAILABLE)
            g_hash_table_add (avail, r->object);
        if (r->kind == SIM_EVENT_POD_TERMINATING) {
            g_hash_table_remove (active, r->object);
            g_hash_table_remove (avail, r->object);
        }
        if (r->time > 0) {
            max_active = MAX (max_active, (gint) g_hash_table_size (active));
            min_avail = MIN (min_avail, (gint) g_hash_table_size (avail));
        }
    }
    g_assert_nonnull (zero);
    g_assert_cmpint (zero->time, ==, aborted->time);
    g_assert_cmpint (max_active, <=, 13);
    g_assert_cmpint (min_avail, >=, 10);
    assert_all_on (w, 0);
    sim_world_free (w);
}

static void
test_abort_router (void)
{
    const char *sets[] = { "traffic.rate=50", "version.v2.error_rate=0.3",
                           "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.steps=set-weight 30; pause 20s; "
                           "analysis; set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    const SimEventRow *aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    SimEventLog *log = sim_world_events (w);
    SimTime weight0 = -1, canary0 = -1, last_v2_arrival = -1;
    SimMetrics *m = sim_world_metrics (w);

    g_test_summary ("Section A1.7, with a router and a static stable: on "
                    "abort the traffic goes back to stable at once (weight "
                    "0 in the same reconcile, no v2 request after "
                    "endpoint_delay) while the canary pods stay until "
                    "abort_scale_down_delay (30 s) has passed");
    g_assert_nonnull (aborted);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_WEIGHT_SET && r->value == 0
            && r->time > 10 * SIM_SEC && weight0 < 0)
            weight0 = r->time;
        if (r->kind == SIM_EVENT_REPLICASET_SCALED && r->value == 0
            && g_strcmp0 (r->object, "v2") == 0)
            canary0 = r->time;
        /* Rollback never touches the stable. */
        if (r->kind == SIM_EVENT_REPLICASET_SCALED)
            g_assert_cmpstr (r->object, ==, "v2");
    }
    g_assert_cmpint (weight0, ==, aborted->time);
    g_assert_cmpint (canary0, ==, aborted->time + 30 * SIM_SEC);
    /* versions.csv rows: v2 gets no arrival after the abort's sample. */
    for (guint i = 0; i < m->versions->len; i++) {
        const SimVersionRow *vr = &g_array_index (m->versions, SimVersionRow,
                                                  i);

        if (vr->version == 1 && vr->c.arrivals > 0)
            last_v2_arrival = vr->time;
    }
    g_assert_cmpint (last_v2_arrival, <=, aborted->time + SIM_SEC);
    assert_all_on (w, 0);
    sim_world_free (w);
}

static void
test_abort_router_dss (void)
{
    const char *sets[] = { "traffic.rate=50",
                           "version.v2.error_rate=0.3",
                           "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.dynamic_stable_scale=true",
                           "strategy.canary.steps=set-weight 20; "
                           "set-weight 60; pause 20s; analysis; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    const SimEventRow *aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    SimEventLog *log = sim_world_events (w);
    gint64 last_weight = 100;
    SimTime weight0 = -1, canary0 = -1, stable10 = -1;
    guint drops = 0;

    g_test_summary ("Sections A1.6 and A1.7, dynamicStableScale without an "
                    "explicit abort delay: a progressive drain - stable "
                    "grows back first, the weight walks down the set-weight "
                    "steps as stable availability covers it, never up, and "
                    "the canary goes only once no traffic is left on it");
    g_assert_nonnull (aborted);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->time < aborted->time)
            continue;
        if (r->kind == SIM_EVENT_WEIGHT_SET) {
            g_assert_cmpint (r->value, <, last_weight);
            last_weight = r->value;
            drops++;
            if (r->value == 0)
                weight0 = r->time;
        }
        if (r->kind == SIM_EVENT_REPLICASET_SCALED
            && g_strcmp0 (r->object, "v2") == 0 && r->value == 0)
            canary0 = r->time;
        if (r->kind == SIM_EVENT_REPLICASET_SCALED
            && g_strcmp0 (r->object, "v1") == 0 && r->value == 10)
            stable10 = r->time;
    }
    g_assert_cmpuint (drops, >=, 2);
    g_assert_cmpint (weight0, >, aborted->time);
    g_assert_cmpint (stable10, >, aborted->time);
    g_assert_cmpint (stable10, <, weight0);
    g_assert_cmpint (canary0, >=, weight0);
    assert_all_on (w, 0);
    sim_world_free (w);
}

/* abort_scale_down_delay written as 30s is set, although 30 s is also
 * the default: with dynamicStableScale only a set delay holds the canary
 * (A1.7), so presence must be recorded, never guessed from the value. */
static void
test_abort_router_dss_delay_set (void)
{
    const char *sets[] = { "traffic.rate=50",
                           "version.v2.error_rate=0.3",
                           "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.dynamic_stable_scale=true",
                           "strategy.canary.abort_scale_down_delay=30s",
                           "strategy.canary.steps=set-weight 20; "
                           "set-weight 60; pause 20s; analysis; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    const SimEventRow *aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    SimEventLog *log = sim_world_events (w);
    SimTime canary0 = -1;

    g_test_summary ("Section A1.7, dynamicStableScale with "
                    "abort_scale_down_delay written as 30s (the default "
                    "value, but set): the canary keeps its pods for the "
                    "delay after the abort");
    g_assert_true (sim_canary_settings (sc)->abort_scale_down_delay.set);
    g_assert_nonnull (aborted);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_REPLICASET_SCALED && r->time >= aborted->time
            && g_strcmp0 (r->object, "v2") == 0 && r->value == 0)
            canary0 = r->time;
    }
    g_assert_cmpint (canary0, >=, aborted->time + 30 * SIM_SEC);
    assert_all_on (w, 0);
    sim_world_free (w);
}

/* The rows from @from on of the router weights and the ReplicaSet
 * scalings, as "t=SECONDS weight N" and "t=SECONDS NAME=SPEC" lines. */
static char *
walk_from (SimWorld *w, SimTime from)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->time < from)
            continue;
        if (r->kind == SIM_EVENT_WEIGHT_SET)
            g_string_append_printf (s, "t=%g weight %" G_GINT64_FORMAT "\n",
                                    SIM_TIME_TO_SEC (r->time), r->value);
        else if (r->kind == SIM_EVENT_REPLICASET_SCALED)
            g_string_append_printf (s, "t=%g %s=%" G_GINT64_FORMAT "\n",
                                    SIM_TIME_TO_SEC (r->time), r->object,
                                    r->value);
    }
    return g_string_free (s, FALSE);
}

typedef struct {
    const char *name;
    const char *sets[16];
    double abort_s;
    const char *walk; /* from the abort on */
} DssAbort;

/* Issue 11, finding F1 and F1b scenarios.  Expected walks worked out
 * by hand from docs/design.md A1.6 (Argo v1.9+), one change per
 * reconcile (A1.1), every delay 0, pods available 5 s (F1) or 10 s (F1b)
 * after creation.
 *
 * F1: R 5, steps 24; 66; abort at t=23 with canary 4/4 available, stable
 * 2/2, router 66.  Walk-back: c = max(5-2, 4) = 4, the largest step
 * with ceil(w*5/100) < 4 is 24; stable share 40% < 100-24: the router
 * holds 66; stable = max(ceil(76%*5), ceil(34%*5)) = 4, canary =
 * max(ceil(24%*5), ceil(66%*5)) = 4.  t=28 (stable 4 available, 80% >=
 * 76%): router min(24, 66) = 24; next reconcile canary max(2, 2) = 2;
 * then c = max(1, 2) = 2 finds no step: desired 0, router min(100-80,
 * 24) = 20; stable 5; canary max(0, ceil(20%*5)) = 1.  t=33: stable 5
 * available, router 0, canary 0.  (Argo v1.8 wrote 60, 20, 0.)
 *
 * F1b: R 10, steps 35; 46; abort at t=33 with canary 5/5, stable 6/6,
 * router 46: c = max(4, 5) = 5 -> 35; share 60% < 65%: hold 46; stable
 * ceil(65%*10) = 7.  t=43: share 70% -> 35; canary 4; desired 0 ->
 * min(30, 35) = 30; stable 10; canary ceil(30%*10) = 3.  t=53: router
 * 0, canary 0 - one pod start later than the v1.8 formula (t=43). */
static const DssAbort dss_aborts[] = {
    { "f1",
      { "scenario.duration=120s", "deployment.replicas=5",
        "version.v1.startup=const(5s)", "version.v2.startup=const(5s)",
        "version.v2.error_rate=1", "traffic.rate=200",
        "strategy.canary.steps=set-weight 24; set-weight 66; analysis; "
        "set-weight 100",
        "strategy.canary.max_surge=2", "strategy.canary.max_unavailable=0",
        "strategy.canary.traffic_routing=weighted",
        "strategy.canary.dynamic_stable_scale=true",
        "strategy.canary.progress_deadline=none",
        "analysis.metrics=error_rate < 0.5", "analysis.interval=3s",
        "analysis.count=1", NULL },
      23.0,
      "t=23 v1=4\nt=28 weight 24\nt=28 v2=2\nt=28 weight 20\nt=28 v1=5\n"
      "t=28 v2=1\nt=33 weight 0\nt=33 v2=0\n" },
    { "f1b",
      { "scenario.duration=150s", "version.v2.error_rate=1", "traffic.rate=200",
        "strategy.canary.steps=set-weight 35; set-weight 46; analysis; "
        "set-weight 100",
        "strategy.canary.max_surge=100%", "strategy.canary.max_unavailable=25%",
        "strategy.canary.traffic_routing=weighted",
        "strategy.canary.dynamic_stable_scale=true",
        "strategy.canary.progress_deadline=none",
        "analysis.metrics=error_rate < 0.5", "analysis.interval=3s",
        "analysis.count=1", NULL },
      33.0,
      "t=33 v1=7\nt=43 weight 35\nt=43 v2=4\nt=43 weight 30\nt=43 v1=10\n"
      "t=43 v2=3\nt=53 weight 0\nt=53 v2=0\n" },
};

static void
test_abort_dss_hold (gconstpointer data)
{
    const DssAbort *ex = data;
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w;
    const SimEventRow *aborted;
    g_autofree char *walk = NULL;

    g_test_summary ("docs/design.md A1.6 (Argo v1.9+, the issue 11's "
                    "F1): on abort with dynamicStableScale the router holds "
                    "its weight until the stable can carry the step the "
                    "walk-back reached, then steps down; the sequence of "
                    "weights and ReplicaSet sizes worked out by hand");
    w = run_sets ((const char *const *) ex->sets, &sc);
    aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    g_assert_nonnull (aborted);
    g_assert_cmpfloat (SIM_TIME_TO_SEC (aborted->time), ==, ex->abort_s);
    walk = walk_from (w, aborted->time);
    g_assert_cmpstr (walk, ==, ex->walk);
    assert_all_on (w, 0);
    sim_world_free (w);
}

/* Issue 11, finding F3 scenario, with min_requests at its default:
 * 20 requests/s, 25% to one canary pod of 4, 10 s windows. */
static const char thin_ini[] = "[scenario]\n"
                               "name = nodata\n"
                               "duration = 300s\n"
                               "[cluster]\n"
                               "controller_delay = 0s\n"
                               "[deployment]\n"
                               "replicas = 4\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "[version.v2]\n"
                               "[traffic]\n"
                               "rate = 20\n"
                               "[strategy]\n"
                               "type = canary\n"
                               "[strategy.canary]\n"
                               "steps = set-weight 25; pause 60s; "
                               "set-weight 50; pause 60s\n"
                               "max_surge = 1\n"
                               "max_unavailable = 0\n"
                               "[analysis]\n"
                               "metrics = error_rate < 0.05\n"
                               "interval = 10s\n"
                               "count = 0\n"
                               "background = true\n"
                               "[rollout]\n"
                               "at = 10s\n"
                               "to = v2\n";

static void
test_thin_window (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (thin_ini, NULL);
    SimWorld *w = sim_test_run (sc);
    SimSummary s = summary_of (w);
    const SimEventRow *first = first_row (w, SIM_EVENT_ANALYSIS, NULL);

    g_test_summary ("docs/design.md A1.2 (issue 11, finding F3): a thin "
                    "analysis window is judged, as Argo judges a "
                    "success-condition metric - a healthy canary passes and "
                    "the rollout completes instead of pausing for good");
    g_assert_nonnull (first);
    g_assert_true (g_str_has_prefix (first->detail, "passed: "));
    g_assert_cmpint (count_rows (w, SIM_EVENT_PAUSED), ==, 2); /* the steps */
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    sim_world_free (w);
}

static void
test_no_data_aborts (void)
{
    const char *sets[] = { "analysis.interval=30s", "analysis.count=2",
                           "strategy.canary.steps=set-weight 30; analysis; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    const SimEventRow *step = NULL, *aborted;
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GString) got = g_string_new (NULL);
    g_autoptr (GString) want = g_string_new (NULL);
    SimTime t0;

    g_test_summary ("docs/design.md A1.2: without traffic every measurement "
                    "is an error (no data), not counted toward count and "
                    "retried 10 s later (DefaultErrorRetryInterval); the "
                    "fifth in a row exceeds consecutiveErrorLimit 4, the "
                    "analysis errs and the rollout aborts");
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_STEP && r->value == 2)
            step = r;
        if (r->kind == SIM_EVENT_ANALYSIS)
            g_string_append_printf (got, "t=%g %s\n", SIM_TIME_TO_SEC (r->time),
                                    r->detail);
    }
    g_assert_nonnull (step);
    /* The first measurement one interval after the step starts (rollsim
     * judges the interval that ended), then every 10 s. */
    t0 = step->time + 30 * SIM_SEC;
    for (gint k = 0; k < 5; k++)
        g_string_append_printf (want, "t=%g error: no data (0 requests)\n",
                                SIM_TIME_TO_SEC (t0 + k * 10 * SIM_SEC));
    g_assert_cmpstr (got->str, ==, want->str);
    aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    g_assert_nonnull (aborted);
    g_assert_cmpint (aborted->time, ==, t0 + 40 * SIM_SEC);
    g_assert_nonnull (strstr (aborted->detail, "consecutive_error_limit 4"));
    sim_world_free (w);
}

/* Robustness review F1: replicas + max_surge wrapped in the canary's
 * arithmetic too (canary-math.c), and pods were deleted. */
static void
test_huge_surge (void)
{
    const char *surges[] = { "10", "100000", "2147483647", "2147483647%" };
    g_autofree char *want = NULL;

    g_test_summary ("A canary max_surge above replicas, up to 2^31-1, "
                    "behaves as a surge of replicas: the same events");
    for (guint i = 0; i < G_N_ELEMENTS (surges); i++) {
        g_autofree char *set = g_strdup_printf ("strategy.canary.max_surge=%s",
                                                surges[i]);
        const char *sets[] = { set,
                               "strategy.canary.steps=set-weight 50; "
                               "pause 10s",
                               NULL };
        g_autoptr (SimScenario) sc = NULL;
        SimWorld *w = run_sets (sets, &sc);
        g_autofree char *got = rows_of (w, SIM_EVENT_REPLICASET_SCALED, TRUE);
        SimSummary s = summary_of (w);

        g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
        if (want == NULL)
            want = g_steal_pointer (&got);
        else
            g_assert_cmpstr (got, ==, want);
        sim_world_free (w);
    }
}

static void
test_inconclusive (void)
{
    const char *sets[] = { "traffic.rate=50", "analysis.min_requests=100000",
                           "strategy.canary.steps=set-weight 30; analysis; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    SimSummary s = summary_of (w);
    const SimEventRow *paused = first_row (w, SIM_EVENT_PAUSED, NULL);
    g_autofree char *steps = rows_of (w, SIM_EVENT_STEP, FALSE);

    g_test_summary ("Section A1.2: an inconclusive analysis pauses the "
                    "rollout (InconclusiveAnalysis); nothing moves after it "
                    "and the run ends unfinished, saying so");
    g_assert_nonnull (paused);
    g_assert_nonnull (strstr (paused->detail, "InconclusiveAnalysis"));
    g_assert_nonnull (strstr (paused->detail, "unfinished"));
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_UNFINISHED);
    g_assert_cmpstr (steps, ==, "t=10 1\nt=20 2\n");
    g_assert_cmpuint (count_rows (w, SIM_EVENT_ANALYSIS), ==, 1);
    sim_world_free (w);
}

static void
test_pause_duration (void)
{
    const char *sets[] = { "strategy.canary.steps=set-weight 30; pause 1m; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w = run_sets (sets, &sc);
    g_autofree char *steps = rows_of (w, SIM_EVENT_STEP, TRUE);
    SimSummary s = summary_of (w);

    g_test_summary ("Section A1.2: a pause timer starts only when the pause "
                    "step is reached, once the set-weight before it is "
                    "complete (pods available): step time = time to get "
                    "pods available + the pause");
    g_assert_cmpstr (steps, ==,
                     "t=10 1 set-weight 30\n"
                     "t=20 2 pause 1m\n"
                     "t=80 3 set-weight 100\n");
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    sim_world_free (w);
}

static void
test_background (void)
{
    const char *sets[] = { "traffic.rate=50",
                           "version.v2.error_rate=0.3",
                           "analysis.background=true",
                           "analysis.start_step=1",
                           "analysis.count=0",
                           "strategy.canary.steps=set-weight 30; pause 2m; "
                           "set-weight 100",
                           NULL };
    const char *good[] = { "traffic.rate=50",
                           "analysis.background=true",
                           "analysis.start_step=1",
                           "analysis.count=0",
                           "strategy.canary.steps=set-weight 30; pause 30s; "
                           "set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    g_autoptr (SimScenario) sc_good = NULL;
    SimWorld *w = run_sets (sets, &sc);
    SimWorld *wg = run_sets (good, &sc_good);
    const SimEventRow *aborted = first_row (w, SIM_EVENT_ABORTED, NULL);
    const SimEventRow *first = first_row (w, SIM_EVENT_ANALYSIS, NULL);
    SimSummary sg = summary_of (wg);

    g_test_summary ("Section A1.2: background analysis starts at start_step, "
                    "runs through the steps (count 0: until the end), a "
                    "failure aborts in the middle of a pause; on a good "
                    "release it is terminated at promotion");
    g_assert_nonnull (aborted);
    g_assert_nonnull (strstr (aborted->detail, "background analysis 1 "
                                               "failed"));
    /* Started at step 2 (index 1, t = 20 s): first measurement at 30 s. */
    g_assert_nonnull (first);
    g_assert_cmpint (first->time, ==, 30 * SIM_SEC);
    g_assert_cmpint (aborted->time, ==, 30 * SIM_SEC);
    g_assert_cmpint (sg.outcome, ==, SIM_OUTCOME_COMPLETED);
    sim_world_free (w);
    sim_world_free (wg);
}

static void
test_deadline (void)
{
    const char *abort_sets[] = { "version.v2.crash_rate=1",
                                 "strategy.canary.progress_deadline=60s",
                                 "strategy.canary.progress_deadline_abort="
                                 "true",
                                 NULL };
    const char *stall_sets[] = { "version.v2.crash_rate=1",
                                 "strategy.canary.progress_deadline=60s",
                                 NULL };
    g_autoptr (SimScenario) a = NULL;
    g_autoptr (SimScenario) b = NULL;
    SimWorld *wa = run_sets (abort_sets, &a);
    SimWorld *wb = run_sets (stall_sets, &b);
    SimSummary sa = summary_of (wa), sb = summary_of (wb);
    const SimEventRow *exceeded = first_row (wa, SIM_EVENT_PROGRESS_DEADLINE,
                                             NULL);
    const SimEventRow *aborted = first_row (wa, SIM_EVENT_ABORTED, NULL);

    g_test_summary ("Section A1.9: canary pods that never become available "
                    "make no progress; past progress_deadline (strictly) "
                    "the rollout is Degraded - stalled - and with "
                    "progress_deadline_abort it is aborted and rolled back");
    g_assert_nonnull (exceeded);
    g_assert_nonnull (aborted);
    g_assert_cmpint (aborted->time, ==, exceeded->time);
    g_assert_cmpint (aborted->time, >, 70 * SIM_SEC);
    g_assert_cmpint (aborted->time, <=, 72 * SIM_SEC);
    g_assert_cmpint (sa.outcome, ==, SIM_OUTCOME_ABORTED);
    assert_all_on (wa, 0);
    g_assert_cmpint (sb.outcome, ==, SIM_OUTCOME_STALLED);
    g_assert_null (first_row (wb, SIM_EVENT_ABORTED, NULL));
    sim_world_free (wa);
    sim_world_free (wb);
}

static void
test_trace (void)
{
    const char *sets[] = { "traffic.rate=50", "version.v2.error_rate=0.3",
                           "strategy.canary.traffic_routing=weighted",
                           "strategy.canary.steps=set-weight 30; pause 20s; "
                           "analysis; set-weight 100",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    g_autoptr (GError) error = NULL;
    FILE *fp = tmpfile ();
    SimWorld *w;
    GString *text = g_string_new (NULL);
    char buf[512];

    g_test_summary ("Issue #4 item 7: --trace narrates the steps, the "
                    "analysis measurements and the abort");
    g_assert_nonnull (fp);
    w = sim_world_new (sc, fp, &error);
    g_assert_no_error (error);
    sim_world_run (w);
    rewind (fp);
    while (fgets (buf, sizeof buf, fp) != NULL)
        g_string_append (text, buf);
    fclose (fp);
    g_assert_nonnull (strstr (text->str, "step 2/"));
    g_assert_nonnull (strstr (text->str, " pause 20s\n"));
    g_assert_nonnull (strstr (text->str, "analysis 1 failed: error_rate"));
    g_assert_nonnull (strstr (text->str, "abort: traffic back to stable"));
    g_string_free (text, TRUE);
    sim_world_free (w);
}

typedef struct {
    const char *name;
    const char *sets[6];
    const char *message;
} Rejection;

static const Rejection rejections[] = {
    { "set-canary-scale",
      { "strategy.canary.steps=set-weight 10; set-canary-scale replicas 2",
        NULL },
      "strategy.canary.steps: step 2 \"set-canary-scale replicas 2\": "
      "set-canary-scale needs traffic_routing = weighted" },
    { "dynamic-stable-scale",
      { "strategy.canary.dynamic_stable_scale=true", NULL },
      "strategy.canary.dynamic_stable_scale: needs traffic_routing = "
      "weighted" },
    { "scale-down-delay",
      { "strategy.canary.scale_down_delay=10s", NULL },
      "strategy.canary.scale_down_delay: only used with traffic_routing = "
      "weighted" },
    { "scale-down-delay-dss",
      { "strategy.canary.traffic_routing=weighted",
        "strategy.canary.dynamic_stable_scale=true",
        "strategy.canary.scale_down_delay=10s", NULL },
      "strategy.canary.scale_down_delay: cannot be used with "
      "dynamic_stable_scale" },
    /* Presence is recorded, not guessed from the value: Argo refuses a
     * written scaleDownDelaySeconds with dynamicStableScale, even 30. */
    { "scale-down-delay-dss-30s",
      { "strategy.canary.traffic_routing=weighted",
        "strategy.canary.dynamic_stable_scale=true",
        "strategy.canary.scale_down_delay=30s", NULL },
      "strategy.canary.scale_down_delay: cannot be used with "
      "dynamic_stable_scale" },
    { "scale-down-delay-30s",
      { "strategy.canary.scale_down_delay=30s", NULL },
      "strategy.canary.scale_down_delay: only used with traffic_routing = "
      "weighted" },
    { "start-step",
      { "analysis.background=true", "analysis.start_step=3", NULL },
      "analysis.start_step: 3 is past the last canary step (accepted: "
      "0..2" },
};

static void
test_validate (gconstpointer data)
{
    const Rejection *rj = data;
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario)
        sc = sim_scenario_load_data (sim_cli_schema (), base_ini, "test.ini",
                                     rj->sets, &error);

    g_test_summary ("Section A1.3: settings Argo's validation rejects are "
                    "rejected with the key and the accepted values");
    g_assert_null (sc);
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT);
    if (strstr (error->message, rj->message) == NULL)
        g_test_message ("message: %s", error->message);
    g_assert_nonnull (strstr (error->message, rj->message));
    g_assert_nonnull (strstr (error->message, "(accepted: "));
}

/* --- The shipped scenarios ------------------------------------------------ */

static SimScenario *
load_scenario (const char *name, const char *const *sets)
{
    g_autofree char *rel = g_strdup_printf ("scenarios/%s.ini", name);
    g_autofree char *path = sim_test_src (rel);
    g_autoptr (GError) error = NULL;
    SimScenario *sc = sim_scenario_load (sim_cli_schema (), path, sets, &error);

    g_assert_no_error (error);
    g_assert_nonnull (sc);
    return sc;
}

static void
test_abort_while_paused (void)
{
    const char *sets[] = {
        "scenario.seed=3", "version.v2.error_rate=0.3",
        "strategy.canary.steps=set-weight 10; analysis; set-weight 50",
        "analysis.background=true", "analysis.initial_delay=15s",
        /* Not 0: an inline analysis step with count 0 would never
         * complete, and check refuses it; the inline analysis fails on
         * its first measurement either way. */
        "analysis.count=3", "analysis.min_requests=50", "analysis.interval=5s",
        NULL
    };
    g_autoptr (SimScenario) sc = load_scenario ("canary-bad", sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    SimReplicaSetStatus st;
    gboolean paused = FALSE, aborted = FALSE;

    g_test_summary ("Section A1.7: an abort rolls back even while an "
                    "inconclusive background analysis holds the rollout "
                    "paused (Argo drops every pause condition on abort)");
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        paused |= r->kind == SIM_EVENT_PAUSED;
        aborted |= r->kind == SIM_EVENT_ABORTED && paused;
    }
    g_assert_true (aborted);
    sim_replica_set_status (sim_world_replica_set (w, 1), &st);
    g_assert_cmpint (st.replicas, ==, 0);
    sim_replica_set_status (sim_world_replica_set (w, 0), &st);
    g_assert_cmpint (st.available, ==, sc->replicas);
    sim_world_free (w);
}

static void
test_bad_release (gconstpointer data)
{
    const char *name = data;

    g_test_summary ("Issue #4: a bad release (v2 errors 0.2 vs 0.001) is "
                    "aborted by analysis in every seed of 5, and fewer "
                    "requests reach v2 than with a rolling update of the "
                    "same scenario (bad_version_requests)");
    for (gint seed = 1; seed <= 5; seed++) {
        g_autofree char *set_seed = g_strdup_printf ("scenario.seed=%d", seed);
        const char *sets[] = { set_seed, NULL };
        const char *rsets[] = { set_seed, "strategy.type=rolling", NULL };
        g_autoptr (SimScenario) sc = load_scenario (name, sets);
        g_autoptr (SimScenario) rc = load_scenario (name, rsets);
        SimWorld *w = sim_test_run (sc), *wr = sim_test_run (rc);
        SimSummary s = summary_of (w), sr = summary_of (wr);

        g_test_message (
            "%s seed %d: canary %" G_GUINT64_FORMAT
            " bad requests, detection %.1fs; rolling %" G_GUINT64_FORMAT,
            name, seed, s.bad_version_requests, s.detection_s,
            sr.bad_version_requests);
        g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_ABORTED);
        g_assert_nonnull (strstr (
            first_row (w, SIM_EVENT_ABORTED, NULL)->detail, "analysis"));
        g_assert_false (isnan (s.detection_s));
        g_assert_cmpuint (s.bad_version_requests, >, 0);
        g_assert_cmpuint (s.bad_version_requests, <, sr.bad_version_requests);
        assert_all_on (w, sc->version_index);
        sim_world_free (w);
        sim_world_free (wr);
    }
}

static void
test_good_release (gconstpointer data)
{
    const char *name = data;
    g_autoptr (SimScenario) sc = load_scenario (name, NULL);
    SimWorld *w = sim_test_run (sc);
    SimSummary s = summary_of (w);

    g_test_summary ("Issue #4: a good release passes every analysis, is "
                    "promoted and completes, and every pod ends on the new "
                    "version");
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpuint (count_rows (w, SIM_EVENT_ANALYSIS), >=, 2);
    g_assert_nonnull (first_row (w, SIM_EVENT_PROMOTED, NULL));
    g_assert_null (first_row (w, SIM_EVENT_ABORTED, NULL));
    assert_all_on (w, sc->rollout_to_index);
    sim_world_free (w);
}

/* Every scenarios/canary-*.ini, by name. */
static GPtrArray *
canary_scenarios (void)
{
    g_autofree char *dir = sim_test_src ("scenarios");
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    const char *f;

    g_assert_nonnull (d);
    while ((f = g_dir_read_name (d)) != NULL)
        if (g_str_has_prefix (f, "canary-") && g_str_has_suffix (f, ".ini"))
            g_ptr_array_add (names, g_strndup (f, strlen (f) - 4));
    g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
    return names;
}

static void
test_conservation (void)
{
    g_autoptr (GPtrArray) names = canary_scenarios ();

    g_test_summary ("docs/design.md 8: request conservation, arrivals = "
                    "ok + errors + in flight at the end, in every canary "
                    "scenario");
    g_assert_cmpuint (names->len, >=, 4);
    for (guint i = 0; i < names->len; i++) {
        g_autoptr (SimScenario) sc = load_scenario (names->pdata[i], NULL);
        SimWorld *w = sim_test_run (sc);
        SimSummary s = summary_of (w);

        g_assert_cmpuint (s.total.arrivals, >, 0);
        sim_test_assert_conserved (w, names->pdata[i]);
        sim_world_free (w);
    }
}

static char *
fingerprint (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    SimSummary s = summary_of (w);
    g_autoptr (GPtrArray) values = sim_report_summary_values (w, &s);
    GString *out = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        g_string_append_printf (
            out, "%" G_GINT64_FORMAT ",%d,%s,%s,%d,%" G_GINT64_FORMAT ",%s\n",
            r->time, r->kind, r->object, r->version ? r->version : "",
            r->has_value, r->value, r->detail ? r->detail : "");
    }
    for (guint i = 0; i < values->len; i++)
        g_string_append_printf (out, "%s;", (char *) values->pdata[i]);
    return g_string_free (out, FALSE);
}

static void
test_determinism (void)
{
    g_autoptr (GPtrArray) names = canary_scenarios ();

    g_test_summary ("docs/design.md 8.1: the same scenario run twice "
                    "gives identical events and summary, for every canary "
                    "scenario");
    for (guint i = 0; i < names->len; i++) {
        g_autoptr (SimScenario) sc = load_scenario (names->pdata[i], NULL);
        SimWorld *a = sim_test_run (sc), *b = sim_test_run (sc);
        g_autofree char *fa = fingerprint (a);
        g_autofree char *fb = fingerprint (b);

        g_assert_cmpstr (fa, ==, fb);
        sim_world_free (a);
        sim_world_free (b);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/canary/abort/while-paused", test_abort_while_paused);
    g_test_add_func ("/canary/math/ideal-split", test_ideal_split);
    g_test_add_func ("/canary/math/basic-counts", test_basic_counts);
    g_test_add_func ("/canary/math/routed-counts", test_routed_counts);
    g_test_add_func ("/canary/math/abort-weight", test_abort_weight);
    g_test_add_func ("/canary/math/abort-router-weight",
                     test_abort_router_weight);
    g_test_add_func ("/canary/math/weight-to-replicas",
                     test_weight_to_replicas);
    g_test_add_func ("/canary/basic/walk-r10", test_walk_r10);
    g_test_add_func ("/canary/basic/walk-surge1", test_walk_surge1);
    g_test_add_func ("/canary/basic/pause-duration", test_pause_duration);
    g_test_add_func ("/canary/basic/abort-rollback", test_abort_basic);
    g_test_add_func ("/canary/basic/abort-delay-ignored",
                     test_abort_delay_basic);
    g_test_add_func ("/canary/basic/property", test_property);
    g_test_add_func ("/canary/router/walk-r4-dss", test_walk_r4_dss);
    g_test_add_func ("/canary/router/walk-static", test_walk_router_static);
    g_test_add_func ("/canary/router/set-canary-scale", test_set_canary_scale);
    g_test_add_func ("/canary/router/abort", test_abort_router);
    g_test_add_func ("/canary/router/abort-dss", test_abort_router_dss);
    g_test_add_func ("/canary/router/abort-dss-delay-set",
                     test_abort_router_dss_delay_set);
    for (guint i = 0; i < G_N_ELEMENTS (dss_aborts); i++) {
        g_autofree char *path = g_strdup_printf (
            "/canary/router/abort-dss-hold/%s", dss_aborts[i].name);

        g_test_add_data_func (path, &dss_aborts[i], test_abort_dss_hold);
    }
    g_test_add_func ("/canary/basic/huge-surge", test_huge_surge);
    g_test_add_func ("/canary/analysis/inconclusive", test_inconclusive);
    g_test_add_func ("/canary/analysis/thin-window", test_thin_window);
    g_test_add_func ("/canary/analysis/no-data-aborts", test_no_data_aborts);
    g_test_add_func ("/canary/analysis/background", test_background);
    g_test_add_func ("/canary/deadline/abort-or-stall", test_deadline);
    g_test_add_func ("/canary/trace", test_trace);
    for (guint i = 0; i < G_N_ELEMENTS (rejections); i++) {
        g_autofree char *path = g_strdup_printf ("/canary/validate/%s",
                                                 rejections[i].name);

        g_test_add_data_func (path, &rejections[i], test_validate);
    }
    g_test_add_data_func ("/canary/scenario/bad", "canary-bad",
                          test_bad_release);
    g_test_add_data_func ("/canary/scenario/bad-router", "canary-bad-router",
                          test_bad_release);
    g_test_add_data_func ("/canary/scenario/good", "canary-good",
                          test_good_release);
    g_test_add_data_func ("/canary/scenario/good-router", "canary-good-router",
                          test_good_release);
    g_test_add_func ("/canary/scenario/conservation", test_conservation);
    g_test_add_func ("/canary/scenario/determinism", test_determinism);
    return g_test_run ();
}
