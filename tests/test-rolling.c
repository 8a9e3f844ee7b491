/* test-rolling.c - the rolling and recreate strategies, scenario-level:
 * the worked examples of docs/design.md K10 as the sequence of ReplicaSet
 * scalings a user reads in events.csv, the rolling-update invariants over
 * many random settings (docs/design.md 8.2), recreate's ordering, and
 * capacity limits. */
#include <math.h>
#include "testutil.h"
#include "metrics.h"
#include "report.h"
#include "k8s-deployment.h"

/* Every delay 0, start-up const(D = 10 s), no traffic: the idealised
 * model of section K10. */
static const char base_ini[] = "[scenario]\n"
                               "name = rolling-test\n"
                               "duration = 300s\n"
                               "[cluster]\n"
                               "nodes = 20\n"
                               "node_cpu = 100\n"
                               "node_memory = 1000Gi\n"
                               "controller_delay = 0s\n"
                               "endpoint_delay = 0s\n"
                               "schedule_delay = 0s\n"
                               "[deployment]\n"
                               "replicas = 3\n"
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
                               "type = rolling\n"
                               "[strategy.rolling]\n"
                               "max_surge = 1\n"
                               "max_unavailable = 0\n"
                               "[rollout]\n"
                               "at = 10s\n"
                               "to = v2\n";

typedef struct {
    const char *name;
    const char *sets[8];
    const char *scalings;
    double complete_s; /* rollout_end; NAN: not completed */
    gint peak_pods;    /* 0: not checked */
} Example;

static SimSummary
run_example (const Example *ex, char **scalings)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, ex->sets);
    SimWorld *w = sim_test_run (sc);
    SimSummary s;

    sim_world_summary (w, &s);
    *scalings = sim_test_scalings (w);
    sim_world_free (w);
    return s;
}

static void
test_example (gconstpointer data)
{
    const Example *ex = data;
    g_autofree char *scalings = NULL;
    SimSummary s = run_example (ex, &scalings);

    g_test_summary ("docs/design.md K10: the ReplicaSet "
                    "scalings and completion time of a worked example");
    g_assert_cmpstr (scalings, ==, ex->scalings);
    if (isnan (ex->complete_s)) {
        g_assert_cmpint (s.rollout_end, ==, -1);
    } else {
        g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
        g_assert_cmpfloat_with_epsilon (s.rollout_end / 1e6, ex->complete_s,
                                        1e-9);
    }
    if (ex->peak_pods > 0)
        g_assert_cmpint (s.peak_pods, ==, ex->peak_pods);
}

static const Example examples[] = {
    /* Example A: R=3, surge 1, unavailable 0; at most 4 pods. */
    { "A",
      { NULL },
      "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=30 v1=1\nt=30 v2=3\n"
      "t=40 v1=0\n",
      40.0,
      4 },
    /* Example B: R=10, 25%/25% -> surge 3, unavailable 2. */
    { "B",
      { "deployment.replicas=10", "strategy.rolling.max_surge=25%",
        "strategy.rolling.max_unavailable=25%", NULL },
      "t=0 v1=10\nt=10 v2=3\nt=10 v1=8\nt=10 v2=5\nt=20 v1=3\nt=20 v2=10\n"
      "t=30 v1=0\n",
      30.0,
      13 },
    /* Example C: R=10, surge 0, unavailable 2: never more than 10. */
    { "C",
      { "deployment.replicas=10", "strategy.rolling.max_surge=0",
        "strategy.rolling.max_unavailable=2", NULL },
      "t=0 v1=10\nt=10 v2=0\nt=10 v1=8\nt=10 v2=2\nt=20 v1=6\nt=20 v2=4\n"
      "t=30 v1=4\nt=30 v2=6\nt=40 v1=2\nt=40 v2=8\nt=50 v1=0\n"
      "t=50 v2=10\n",
      60.0,
      10 },
    /* Example D: R=5, 30%/30% -> surge ceil(1.5)=2, unavailable 1. */
    { "D",
      { "deployment.replicas=5", "strategy.rolling.max_surge=30%",
        "strategy.rolling.max_unavailable=30%", NULL },
      "t=0 v1=5\nt=10 v2=2\nt=10 v1=4\nt=10 v2=3\nt=20 v1=1\nt=20 v2=5\n"
      "t=30 v1=0\n",
      30.0,
      7 },
    /* Example A': each deleted pod takes T = 3D to terminate.  The
     * arithmetic is that of A; real pods peak at 6. */
    { "A-prime",
      { "deployment.pre_stop=30s", "deployment.termination_grace=60s", NULL },
      "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=30 v1=1\nt=30 v2=3\n"
      "t=40 v1=0\n",
      40.0,
      6 },
    /* Example E: Recreate, old pods take T = 3D to terminate: the new
     * ReplicaSet appears, at full size, when the last old pod is gone. */
    { "E",
      { "strategy.type=recreate", "deployment.pre_stop=30s",
        "deployment.termination_grace=60s", NULL },
      "t=0 v1=3\nt=10 v1=0\nt=40 v2=3\n",
      50.0,
      3 },
    /* Example G: new pods never become available (crash loop); R=10,
     * 25%/25%.  Frozen at new 5, old 8; nothing is rolled back. */
    { "G",
      { "deployment.replicas=10", "strategy.rolling.max_surge=25%",
        "strategy.rolling.max_unavailable=25%", "version.v2.crash_rate=1",
        "deployment.progress_deadline=60s", NULL },
      "t=0 v1=10\nt=10 v2=3\nt=10 v1=8\nt=10 v2=5\n",
      NAN,
      13 },
};

static void
test_stalled (void)
{
    g_autofree char *scalings = NULL;
    SimSummary s = run_example (&examples[6], &scalings);

    g_test_summary ("Example G: the progress deadline passes, outcome "
                    "stalled (section K8: nothing rolled back)");
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_STALLED);
    g_assert_cmpint (s.min_ready, ==, 8);
}

/* --- Invariants over random settings ---------------------------------------- */

typedef struct {
    gint replicas, surge, unavailable;
} Limits;

/* After every pod row of the event log, the pods that are not
 * terminating and the available ones stay within the limits. */
static void
check_invariants (SimWorld *w, const Limits *lim, const char *label)
{
    gint max_active, min_available;

    sim_test_pod_extremes (w, &max_active, &min_available);
    if (max_active > lim->replicas + lim->surge
        || min_available < lim->replicas - lim->unavailable)
        g_test_message ("%s: max active %d, min available %d", label,
                        max_active, min_available);
    g_assert_cmpint (max_active, <=, lim->replicas + lim->surge);
    g_assert_cmpint (min_available, >=, lim->replicas - lim->unavailable);
}

static void
test_property (void)
{
    SimRng rng;

    g_test_summary ("docs/design.md 8: over random replicas, maxSurge "
                    "and maxUnavailable (integers and percentages), "
                    "non-terminating pods never exceed replicas + surge, "
                    "available pods never drop below replicas - "
                    "unavailable, and every pod ends on the new version");
    sim_rng_init (&rng, 20261127, 1);
    for (gint n = 0; n < 150; n++) {
        gint r = 1 + (gint) sim_rng_below (&rng, 12);
        gboolean pct_s = sim_rng_below (&rng, 2),
                 pct_u = sim_rng_below (&rng, 2);
        gint vs = pct_s ? (gint) sim_rng_below (&rng, 101)
                        : (gint) sim_rng_below (&rng, 5);
        gint vu = pct_u ? (gint) sim_rng_below (&rng, 101)
                        : (gint) sim_rng_below (&rng, 5);
        g_autofree char *set_r = g_strdup_printf ("deployment.replicas=%d", r);
        g_autofree char *set_s = g_strdup_printf (
            "strategy.rolling.max_surge=%d%s", vs, pct_s ? "%" : "");
        g_autofree char *set_u = g_strdup_printf (
            "strategy.rolling.max_unavailable=%d%s", vu, pct_u ? "%" : "");
        g_autofree char *set_seed = g_strdup_printf ("scenario.seed=%d", n + 1);
        const char *pre = sim_rng_below (&rng, 2) ? "deployment.pre_stop=5s"
                                                  : "deployment.pre_stop=0s";
        const char *sets[] = { set_r,
                               set_s,
                               set_u,
                               set_seed,
                               pre,
                               "version.v2.startup=uniform(2s,15s)",
                               "scenario.duration=900s",
                               NULL };
        g_autoptr (SimScenario) sc = NULL;
        g_autofree char *label = g_strdup_printf ("R=%d %s %s", r, set_s,
                                                  set_u);
        SimWorld *w;
        SimSummary s;
        SimReplicaSetStatus st;
        Limits lim;

        if (vs == 0 && vu == 0)
            continue; /* rejected, as the API server does */
        sc = sim_test_scenario (base_ini, sets);
        sim_test_fenceposts (r, pct_s, vs, pct_u, vu, &lim.surge,
                             &lim.unavailable);
        lim.replicas = r;
        w = sim_test_run (sc);
        check_invariants (w, &lim, label);
        sim_world_summary (w, &s);
        g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
        /* Every pod on the target version at the end. */
        sim_replica_set_status (sim_world_replica_set (w, 1), &st);
        g_assert_cmpint (st.replicas, ==, r);
        g_assert_cmpint (st.available, ==, r);
        sim_replica_set_status (sim_world_replica_set (w, 0), &st);
        g_assert_cmpint (st.replicas + st.terminating, ==, 0);
        sim_world_free (w);
    }
}

/* --- Recreate ------------------------------------------------------------------ */

static void
test_recreate_never_both (void)
{
    const char *sets[] = { "strategy.type=recreate",
                           "deployment.replicas=5",
                           "deployment.pre_stop=3s",
                           "version.v1.startup=uniform(1s,9s)",
                           "version.v2.startup=uniform(1s,9s)",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GHashTable)
        ready_v1 = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable)
        ready_v2 = g_hash_table_new (g_str_hash, g_str_equal);
    gint alive_old = 0;
    SimTime last_old_gone = -1, new_created = -1;

    g_test_summary ("Recreate (section K9.1): the two versions are never "
                    "ready at once; the new ReplicaSet appears only after "
                    "the last old pod is gone");
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        gboolean v2 = g_strcmp0 (r->version, "v2") == 0;
        GHashTable *ready = v2 ? ready_v2 : ready_v1;

        if (r->kind == SIM_EVENT_POD_CREATED && !v2)
            alive_old++;
        if (r->kind == SIM_EVENT_POD_READY)
            g_hash_table_add (ready, r->object);
        if (r->kind == SIM_EVENT_POD_TERMINATING)
            g_hash_table_remove (ready, r->object);
        if (r->kind == SIM_EVENT_POD_DELETED && !v2 && --alive_old == 0)
            last_old_gone = r->time;
        if (r->kind == SIM_EVENT_REPLICASET_CREATED && v2)
            new_created = r->time;
        g_assert_false (g_hash_table_size (ready_v1) > 0
                        && g_hash_table_size (ready_v2) > 0);
    }
    g_assert_cmpint (last_old_gone, >, 0);
    g_assert_cmpint (new_created, >=, last_old_gone);
    sim_world_free (w);
}

/* --- Capacity --------------------------------------------------------------------- */

static void
test_capacity (void)
{
    /* One node with room for exactly the 3 replicas. */
    const char *tight[] = { "cluster.nodes=1", "cluster.node_cpu=300m",
                            "deployment.progress_deadline=60s", NULL };
    const char *tight_unav[] = { "cluster.nodes=1", "cluster.node_cpu=300m",
                                 "strategy.rolling.max_unavailable=1",
                                 "deployment.progress_deadline=60s", NULL };
    const char *roomy[] = { "strategy.rolling.max_unavailable=1", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (base_ini, tight);
    g_autoptr (SimScenario) b = sim_test_scenario (base_ini, tight_unav);
    g_autoptr (SimScenario) c = sim_test_scenario (base_ini, roomy);
    SimWorld *wa = sim_test_run (a), *wb = sim_test_run (b),
             *wc = sim_test_run (c);
    SimSummary sa, sb, sc_;
    g_autoptr (GPtrArray) va = NULL;
    gint col = -1;

    g_test_summary ("Capacity: with no room for the surge the new pod stays "
                    "Pending and the rollout stalls, and the summary says "
                    "how many pods could not be placed; allowing one "
                    "unavailable pod lets it finish, later than on a roomy "
                    "cluster");
    sim_world_summary (wa, &sa);
    sim_world_summary (wb, &sb);
    sim_world_summary (wc, &sc_);
    g_assert_cmpint (sa.outcome, ==, SIM_OUTCOME_STALLED);
    va = sim_report_summary_values (wa, &sa);
    for (gint i = 0; sim_report_summary_header ()[i] != NULL; i++)
        if (g_str_equal (sim_report_summary_header ()[i], "unschedulable_pods"))
            col = i;
    g_assert_cmpint (col, >=, 0);
    g_assert_cmpstr (g_ptr_array_index (va, col), ==, "1");
    g_assert_cmpint (sb.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpint (sc_.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpint (sb.rollout_end - sb.rollout_start, >,
                     sc_.rollout_end - sc_.rollout_start);
    sim_world_free (wa);
    sim_world_free (wb);
    sim_world_free (wc);
}

static void
test_deletion_rank (void)
{
    const char *sets[] = { "deployment.replicas=2", "cluster.nodes=2",
                           "strategy.rolling.max_surge=1",
                           "strategy.rolling.max_unavailable=1", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    const SimEventRow *first = NULL, *placed = NULL;

    g_test_summary ("docs/design.md K5 rule 5 (issue 11, finding F4): "
                    "the scale-down ranking counts the active pods of the "
                    "Deployment on each node, starting ones included - R 2 "
                    "on two nodes, surge 1 / unavailable 1: v2-1 starts on "
                    "node-1 as v1 shrinks by one in the same sync, and the "
                    "v1 pod deleted is node-1's (v1-1), though both nodes "
                    "hold one ready pod");
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        /* Not the warm pods' rows of t = 0: the first pod placed. */
        if (r->kind == SIM_EVENT_POD_SCHEDULED && placed == NULL
            && g_strcmp0 (r->version, "v1") != 0)
            placed = r;
        if (r->kind == SIM_EVENT_POD_TERMINATING && first == NULL)
            first = r;
    }
    g_assert_nonnull (placed);
    g_assert_cmpstr (placed->object, ==, "v2-1");
    g_assert_cmpstr (placed->detail, ==, "node-1");
    g_assert_nonnull (first);
    g_assert_cmpfloat (SIM_TIME_TO_SEC (first->time), ==, 10.0);
    g_assert_cmpstr (first->object, ==, "v1-1");
    sim_world_free (w);
}

/* The pod-available rows of version @v as "t=SECONDS NAME" lines. */
static char *
available_rows (SimWorld *w, const char *v)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_POD_AVAILABLE
            && g_strcmp0 (r->version, v) == 0)
            g_string_append_printf (s, "t=%g %s\n", SIM_TIME_TO_SEC (r->time),
                                    r->object);
    }
    return g_string_free (s, FALSE);
}

typedef struct {
    const char *name;
    const char *doc;
    const char *sets[12];
    const char *available;
    double complete_s;
} MinReady;

/* docs/design.md K5, "When availability is seen": pods ready 5 s after
 * creation, min_ready 10 s, every delay 0. */
static const MinReady min_ready_cases[] = {
    { "all-ready",
      "issue 11, finding F2: R 3, maxSurge 1, maxUnavailable 0 - each "
      "new pod is the only pod of its ReplicaSet not yet available and "
      "makes it all Ready, so it is seen available at ready + 10 s: 15 s "
      "a wave, complete at 10 + 45 = 55 (not 58)",
      { "deployment.min_ready=10s", "version.v1.startup=const(5s)",
        "version.v2.startup=const(5s)", NULL },
      "t=25 v2-1\nt=40 v2-2\nt=55 v2-3\n",
      55.0 },
    { "not-all-ready",
      "one node with room for 4 pods, maxSurge 3: the new ReplicaSet asks "
      "for 3 at once but only one fits, so the first two pods turn Ready "
      "while others of their ReplicaSet are not: seen at ready + 11 s (15 "
      "-> 26, 31 -> 42); each frees a place for the next (old pod deleted "
      "on availability, gone at once without preStop); the third makes "
      "the ReplicaSet all Ready: 47 -> 57",
      { "deployment.min_ready=10s", "version.v1.startup=const(5s)",
        "version.v2.startup=const(5s)", "cluster.nodes=1", "cluster.node_cpu=4",
        "deployment.cpu=1", "deployment.pre_stop=0s",
        "strategy.rolling.max_surge=3", NULL },
      "t=26 v2-1\nt=42 v2-2\nt=57 v2-3\n",
      57.0 },
};

static void
test_min_ready (gconstpointer data)
{
    const MinReady *mr = data;
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, mr->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *avail = available_rows (w, "v2");
    SimSummary s;

    g_test_summary ("docs/design.md K5: with min_ready m a pod is seen "
                    "available at ready + m when its ReplicaSet is all "
                    "Ready, ready + m + 1 s otherwise");
    g_test_message ("%s", mr->doc);
    g_assert_cmpstr (avail, ==, mr->available);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpfloat_with_epsilon (s.rollout_end / 1e6, mr->complete_s, 1e-9);
    sim_world_free (w);
}

/* --- Limits --------------------------------------------------------------------- */

/* Robustness review F1: replicas + max_surge wrapped past G_MAXINT, and
 * the rollout silently never started. */
static void
test_huge_surge (void)
{
    const char *surges[] = { "100000", "2147483647", "100%", "2147483647%",
                             "2147483646" };
    const char *base[] = { "strategy.rolling.max_surge=3", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, base);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *want = sim_test_scalings (w);
    SimSummary s;

    g_test_summary ("A max_surge above replicas, up to 2^31-1 (a count or a "
                    "percentage), behaves as a surge of replicas: the same "
                    "scalings, never an overflow that blocks the rollout");
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    sim_world_free (w);
    for (guint i = 0; i < G_N_ELEMENTS (surges); i++) {
        g_autofree char *set = g_strdup_printf ("strategy.rolling.max_surge=%s",
                                                surges[i]);
        const char *sets[] = { set, NULL };
        g_autoptr (SimScenario) sc2 = sim_test_scenario (base_ini, sets);
        SimWorld *w2 = sim_test_run (sc2);
        g_autofree char *got = sim_test_scalings (w2);

        g_assert_cmpstr (got, ==, want);
        sim_world_free (w2);
    }
}

/* The peaks of summary.csv (design.md 7.5): with preStop 5 s each old pod
 * terminates while the next new pod is created, so 3 replicas with
 * maxSurge 1 hold 5 pods at once (terminating included) but never more
 * than replicas + maxSurge = 4 that are not terminating; each pod
 * requests 100m and 128Mi (the defaults), so the peak requests are 5
 * times that. */
static void
test_peaks (void)
{
    g_autofree char *path = sim_test_src ("scenarios/prestop-sleep.ini");
    g_autofree char *text = NULL;
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w;
    SimSummary s;
    gint max_active = 0, min_available = 0;

    g_test_summary ("peak_pods counts terminating pods; peak_active_pods does "
                    "not, and stays within replicas + maxSurge; peak_cpu and "
                    "peak_memory are the requests of the most pods at once");
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    sc = sim_test_scenario (text, NULL);
    g_assert_cmpint (sc->replicas, ==, 3);
    g_assert_cmpint (sc->cpu, ==, 100);
    g_assert_cmpint (sc->memory, ==, 128 * 1024 * 1024);
    w = sim_test_run (sc);
    sim_world_summary (w, &s);
    sim_test_pod_extremes (w, &max_active, &min_available);
    g_assert_cmpint (s.peak_pods, ==, 5);
    g_assert_cmpint (s.peak_active_pods, ==, 4);
    /* The events say the same: the most pods not terminating at once. */
    g_assert_cmpint (s.peak_active_pods, ==, max_active);
    g_assert_cmpfloat (s.peak_cpu, ==, 0.5);
    g_assert_cmpint (s.peak_memory, ==,
                     G_GINT64_CONSTANT (5) * 128 * 1024 * 1024);
    sim_world_free (w);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (examples); i++) {
        g_autofree char *path = g_strdup_printf ("/rolling/example/%s",
                                                 examples[i].name);

        g_test_add_data_func (path, &examples[i], test_example);
    }
    g_test_add_func ("/rolling/example/G-stalled", test_stalled);
    g_test_add_func ("/rolling/property/limits", test_property);
    g_test_add_func ("/recreate/never-both-ready", test_recreate_never_both);
    g_test_add_func ("/rolling/capacity/pending-surge", test_capacity);
    g_test_add_func ("/rolling/scale-down/active-pods-per-node",
                     test_deletion_rank);
    for (guint i = 0; i < G_N_ELEMENTS (min_ready_cases); i++) {
        g_autofree char *path = g_strdup_printf ("/rolling/min-ready/%s",
                                                 min_ready_cases[i].name);

        g_test_add_data_func (path, &min_ready_cases[i], test_min_ready);
    }
    g_test_add_func ("/rolling/limits/huge-surge", test_huge_surge);
    g_test_add_func ("/rolling/summary/peaks", test_peaks);
    return g_test_run ();
}
