/* test-blue-green.c - the blue-green strategy, scenario-level: the step
 * table of docs/design.md A2 ("What the active
 * Service sends where") as a user reads it from events.csv, where
 * production traffic goes around the switch and the switch-back (from
 * versions.csv's per-version counters), a cluster too small for two
 * colours, the price in pods, and conservation and determinism over the
 * shipped scenarios. */
#include <string.h>
#include <glib/gstdio.h>
#include "testutil.h"
#include "metrics.h"
#include "report.h"
#include "blue-green.h"

/* Every controller delay 0, start-up const(10 s), 20 requests/s: the
 * times of the table are round numbers. */
static const char base_ini[] = "[scenario]\n"
                               "name = bluegreen-test\n"
                               "duration = 200s\n"
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
                               "service = exp(20ms)\n"
                               "[version.v2]\n"
                               "pull = const(0s)\n"
                               "startup = const(10s)\n"
                               "service = exp(20ms)\n"
                               "[traffic]\n"
                               "rate = 20\n"
                               "[strategy]\n"
                               "type = bluegreen\n"
                               "[strategy.bluegreen]\n"
                               "scale_down_delay = 30s\n"
                               "abort_scale_down_delay = 30s\n"
                               "[analysis]\n"
                               "metrics = error_rate < 0.01\n"
                               "interval = 10s\n"
                               "count = 2\n"
                               "[rollout]\n"
                               "at = 10s\n"
                               "to = v2\n";

/* --- The step table ------------------------------------------------------- */

/* The table of section A2 replayed from the event log: after each instant
 * at which something a user reads happened, where each Service points
 * and the spec size of each ReplicaSet, then what happened ("pre1:passed"
 * is the first pre-promotion measurement). */
static char *
step_table (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    GString *out = g_string_new (NULL);
    g_autoptr (GString) notes = g_string_new (NULL);
    char active[16] = "all", preview[16] = "all", v1[16] = "-", v2[16] = "-";
    gboolean dirty = FALSE;
    SimTime at = 0;

    for (guint i = 0; i <= sim_event_log_len (log); i++) {
        const SimEventRow *r = i < sim_event_log_len (log)
                                   ? sim_event_log_row (log, i)
                                   : NULL;
        char *spec;

        if (dirty && (r == NULL || r->time != at)) {
            g_string_append_printf (out,
                                    "t=%g active=%s preview=%s v1=%s "
                                    "v2=%s%s\n",
                                    SIM_TIME_TO_SEC (at), active, preview, v1,
                                    v2, notes->str);
            g_string_truncate (notes, 0);
            dirty = FALSE;
        }
        if (r == NULL)
            break;
        at = r->time;
        switch (r->kind) {
        case SIM_EVENT_REPLICASET_CREATED:
        case SIM_EVENT_REPLICASET_SCALED:
            spec = g_strcmp0 (r->version, "v1") == 0 ? v1 : v2;
            g_snprintf (spec, 16, "%" G_GINT64_FORMAT, r->value);
            break;
        case SIM_EVENT_SERVICE_SWITCHED:
            g_strlcpy (g_strcmp0 (r->object, "active") == 0 ? active : preview,
                       r->version, 16);
            break;
        case SIM_EVENT_ANALYSIS: {
            g_autofree char *verdict = g_strndup (r->detail,
                                                  strcspn (r->detail, ":"));

            g_string_append_printf (notes, " %.*s%" G_GINT64_FORMAT ":%s",
                                    (int) strcspn (r->object, "-"), r->object,
                                    r->value, verdict);
            break;
        }
        case SIM_EVENT_PAUSED:
            g_string_append (notes, " paused");
            break;
        case SIM_EVENT_PROMOTED:
            g_string_append (notes, " promoted");
            break;
        case SIM_EVENT_ABORTED:
            g_string_append (notes, " aborted");
            break;
        case SIM_EVENT_ROLLOUT_COMPLETED:
            g_string_append (notes, " completed");
            break;
        default:
            continue;
        }
        dirty = TRUE;
    }
    return g_string_free (out, FALSE);
}

typedef struct {
    const char *name;
    const char *doc;
    const char *sets[8];
    const char *table;
    SimOutcome outcome;
} Script;

static const Script scripts[] = {
    { "auto",
      "defaults: the switch as soon as green is saturated, green stable at "
      "once, blue scaled down scale_down_delay later",
      { NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=20 active=v2 preview=v2 v1=3 v2=3 promoted completed\n"
      "t=50 active=v2 preview=v2 v1=0 v2=3\n",
      SIM_OUTCOME_COMPLETED },
    { "preview-pause-analyses",
      "every row of the table: preview at 1 pod, pre-promotion analysis on "
      "the preview traffic, the pause (auto_promotion_after), the preview "
      "grown to full size, the switch, post-promotion analysis while blue "
      "is still stable, then the promotion",
      { "strategy.bluegreen.preview_replicas=1",
        "strategy.bluegreen.auto_promotion_after=20s",
        "strategy.bluegreen.pre_promotion_analysis=true",
        "strategy.bluegreen.post_promotion_analysis=true",
        "traffic.preview_rate=20", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=1\n"
      "t=30 active=v1 preview=v2 v1=3 v2=1 pre1:passed\n"
      "t=40 active=v1 preview=v2 v1=3 v2=1 pre2:passed paused\n"
      "t=60 active=v1 preview=v2 v1=3 v2=3\n"
      "t=70 active=v2 preview=v2 v1=3 v2=3\n"
      "t=80 active=v2 preview=v2 v1=3 v2=3 post1:passed\n"
      "t=90 active=v2 preview=v2 v1=3 v2=3 post2:passed promoted completed\n"
      "t=120 active=v2 preview=v2 v1=0 v2=3\n",
      SIM_OUTCOME_COMPLETED },
    { "manual",
      "auto_promotion false: paused before the switch, for good",
      { "strategy.bluegreen.auto_promotion=false", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=20 active=v1 preview=v2 v1=3 v2=3 paused\n",
      SIM_OUTCOME_UNFINISHED },
    { "abort-before-switch",
      "a failed pre-promotion analysis: traffic stays on blue, green is "
      "held for abort_scale_down_delay, then scaled to 0",
      { "strategy.bluegreen.pre_promotion_analysis=true",
        "traffic.preview_rate=20", "version.v2.error_rate=0.5", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=30 active=v1 preview=v2 v1=3 v2=3 pre1:failed aborted\n"
      "t=60 active=v1 preview=v2 v1=3 v2=0\n",
      SIM_OUTCOME_ABORTED },
    { "post-promotion-failed",
      "a failed post-promotion analysis: the active Service goes back to "
      "blue, still at full size; green goes after the abort delay",
      { "strategy.bluegreen.post_promotion_analysis=true",
        "version.v2.error_rate=0.5", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=20 active=v2 preview=v2 v1=3 v2=3\n"
      "t=30 active=v1 preview=v2 v1=3 v2=3 post1:failed aborted\n"
      "t=60 active=v1 preview=v2 v1=3 v2=0\n",
      SIM_OUTCOME_ABORTED },
    { "abort-delay-zero",
      "abort_scale_down_delay 0 keeps the preview running after an abort",
      { "strategy.bluegreen.post_promotion_analysis=true",
        "strategy.bluegreen.abort_scale_down_delay=0s",
        "version.v2.error_rate=0.5", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=20 active=v2 preview=v2 v1=3 v2=3\n"
      "t=30 active=v1 preview=v2 v1=3 v2=3 post1:failed aborted\n",
      SIM_OUTCOME_ABORTED },
    { "no-preview-traffic",
      "pre-promotion analysis with no preview traffic has nothing to "
      "measure: each measurement is an error (no data), retried 10 s "
      "later; the fifth in a row exceeds consecutive_error_limit 4, the "
      "analysis errs and the rollout aborts (design.md A1.2)",
      { "strategy.bluegreen.pre_promotion_analysis=true", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=30 active=v1 preview=v2 v1=3 v2=3 pre1:error\n"
      "t=40 active=v1 preview=v2 v1=3 v2=3 pre2:error\n"
      "t=50 active=v1 preview=v2 v1=3 v2=3 pre3:error\n"
      "t=60 active=v1 preview=v2 v1=3 v2=3 pre4:error\n"
      "t=70 active=v1 preview=v2 v1=3 v2=3 pre5:error aborted\n"
      "t=100 active=v1 preview=v2 v1=3 v2=0\n",
      SIM_OUTCOME_ABORTED },
    { "min-requests",
      "min_requests (rollsim's opt-in guard) makes a thin measurement "
      "inconclusive: the rollout pauses and never switches",
      { "strategy.bluegreen.pre_promotion_analysis=true",
        "traffic.preview_rate=1", "analysis.min_requests=1000", NULL },
      "t=0 active=all preview=all v1=3 v2=-\n"
      "t=10 active=v1 preview=v2 v1=3 v2=3\n"
      "t=30 active=v1 preview=v2 v1=3 v2=3 pre1:inconclusive paused\n",
      SIM_OUTCOME_UNFINISHED },
};

static void
test_step_table (gconstpointer data)
{
    const Script *sc_ = data;
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sc_->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *table = step_table (w);
    SimSummary s;

    g_test_summary ("docs/design.md A2, \"What "
                    "the active Service sends where\": where each Service "
                    "points and the size of both ReplicaSets at each "
                    "moment, from events.csv");
    g_test_message ("%s", sc_->doc);
    g_assert_cmpstr (table, ==, sc_->table);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, sc_->outcome);
    sim_world_free (w);
}

/* --- Traffic around the switch -------------------------------------------- */

static SimScenario *
load_file (const char *file, const char *const *sets)
{
    g_autofree char *path = sim_test_src (file);
    g_autoptr (GError) error = NULL;
    SimScenario *sc = sim_scenario_load (sim_cli_schema (), path, sets, &error);

    g_assert_no_error (error);
    return sc;
}

/* The times of the active Service's switches, in order. */
static guint
active_switches (SimWorld *w, SimTime *at, const char **to, guint max)
{
    SimEventLog *log = sim_world_events (w);
    guint n = 0;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_SERVICE_SWITCHED
            && g_strcmp0 (r->object, "active") == 0 && n < max) {
            at[n] = r->time;
            to[n++] = r->version;
        }
    }
    return n;
}

/* Sum of the arrivals version @v took in the windows (t - step, t] that
 * lie inside [from, to): user requests, or preview smoke tests. */
static guint64
sum_within (SimWorld *w, gint v, SimTime from, SimTime to, gboolean preview)
{
    const SimScenario *sc = sim_world_scenario (w);
    GArray *rows = sim_world_metrics (w)->versions;
    guint64 n = 0;

    for (guint i = 0; i < rows->len; i++) {
        const SimVersionRow *r = &g_array_index (rows, SimVersionRow, i);

        if (r->version == v && r->time - sc->sample >= from && r->time <= to)
            n += preview ? r->preview.arrivals : r->c.arrivals;
    }
    return n;
}

#define arrivals_within(w, v, from, to) sum_within (w, v, from, to, FALSE)
#define preview_within(w, v, from, to) sum_within (w, v, from, to, TRUE)

/* Whole-run arrivals in the same windows, for "all of it". */
static guint64
total_within (SimWorld *w, SimTime from, SimTime to)
{
    const SimScenario *sc = sim_world_scenario (w);
    GArray *rows = sim_world_metrics (w)->timeseries;
    guint64 n = 0;

    for (guint i = 0; i < rows->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (rows, SimTimeseriesRow, i);

        if (r->time - sc->sample >= from && r->time <= to)
            n += r->c.arrivals;
    }
    return n;
}

static void
test_traffic_switch (void)
{
    const char *sets[] = { "traffic.rate=50", NULL };
    g_autoptr (SimScenario)
        sc = load_file ("scenarios/bluegreen-seed.ini", sets);
    SimWorld *w = sim_test_run (sc);
    SimTime at[4], s, e = sc->endpoint_delay, end = sc->duration;
    const char *to[4];
    gint blue = sc->version_index, green = sc->rollout_to_index;
    GArray *rows = sim_world_metrics (w)->versions;
    gboolean both = FALSE;

    g_test_summary ("Section A2, the switch: no production request reaches "
                    "green before the active Service switches, none "
                    "reaches blue once the balancers have followed "
                    "(endpoint_delay later), and the sample step holding "
                    "that instant is answered by both (versions.csv)");
    g_assert_cmpint (sc->sample, <=, SIM_SEC);
    g_assert_cmpuint (active_switches (w, at, to, 4), ==, 2);
    g_assert_cmpstr (to[0], ==, sc->versions[blue].name);
    g_assert_cmpstr (to[1], ==, sc->versions[green].name);
    s = at[1];
    g_assert_cmpint (arrivals_within (w, green, 0, s + e), ==, 0);
    g_assert_cmpint (arrivals_within (w, blue, s + e, end), ==, 0);
    g_assert_cmpint (arrivals_within (w, green, s + e, end), ==,
                     total_within (w, s + e, end));
    g_assert_cmpint (arrivals_within (w, green, s + e, end), >, 0);
    for (guint i = 0; i + 1 < rows->len; i += 2) {
        const SimVersionRow *a = &g_array_index (rows, SimVersionRow, i);
        const SimVersionRow *b = &g_array_index (rows, SimVersionRow, i + 1);

        g_assert_cmpint (a->time, ==, b->time);
        both |= a->c.arrivals > 0 && b->c.arrivals > 0;
    }
    g_assert_true (both);
    sim_world_free (w);
}

static void
test_traffic_preview (void)
{
    const char *sets[] = { "traffic.preview_rate=10",
                           "strategy.bluegreen.auto_promotion_after=30s",
                           NULL };
    g_autoptr (SimScenario)
        sc = load_file ("scenarios/bluegreen-seed.ini", sets);
    SimWorld *w = sim_test_run (sc);
    SimTime at[4], s, e = sc->endpoint_delay;
    const char *to[4];
    guint64 green_before;

    g_test_summary ("Section A2 with preview traffic: the smoke tests reach "
                    "green before the switch, counted under green apart "
                    "from users, and no user reaches green before it; blue "
                    "takes no user once the balancers follow the switch");
    g_assert_cmpuint (active_switches (w, at, to, 4), ==, 2);
    s = at[1];
    g_assert_cmpuint (arrivals_within (w, sc->rollout_to_index, 0, s), ==, 0);
    green_before = preview_within (w, sc->rollout_to_index, 0, s + e);
    /* 30 s of pause with a ready preview: about 300 smoke tests. */
    g_assert_cmpuint (green_before, >, 0);
    g_assert_cmpfloat ((double) green_before, <,
                       1.3 * sc->preview_rate
                           * SIM_TIME_TO_SEC (s + e - sc->rollout_at));
    g_assert_cmpint (
        arrivals_within (w, sc->version_index, s + e, sc->duration), ==, 0);
    sim_world_free (w);
}

static void
test_switch_back (void)
{
    g_autoptr (SimScenario)
        sc = load_file ("scenarios/bluegreen-bad.ini", NULL);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    SimTime at[4], s, b, e = sc->endpoint_delay, end = sc->duration;
    SimTime aborted = -1, green_down = -1;
    const char *to[4];
    gint blue = sc->version_index, green = sc->rollout_to_index;
    SimSummary sum;

    g_test_summary ("Section A2, \"postPromotionAnalysis failed\": the "
                    "active Service switches back to blue, which was never "
                    "scaled down; from the switch-back plus endpoint_delay "
                    "every request is served by blue, and green goes "
                    "abort_scale_down_delay later");
    g_assert_cmpuint (active_switches (w, at, to, 4), ==, 3);
    g_assert_cmpstr (to[1], ==, sc->versions[green].name);
    g_assert_cmpstr (to[2], ==, sc->versions[blue].name);
    s = at[1];
    b = at[2];
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_ABORTED)
            aborted = r->time;
        if (r->kind == SIM_EVENT_REPLICASET_SCALED
            && g_strcmp0 (r->version, sc->versions[green].name) == 0
            && r->value == 0)
            green_down = r->time;
        /* Blue is never scaled: it is the stable version throughout. */
        g_assert_false (r->kind == SIM_EVENT_REPLICASET_SCALED
                        && g_strcmp0 (r->version, sc->versions[blue].name)
                               == 0);
    }
    g_assert_cmpint (aborted, ==, b);
    g_assert_cmpint (green_down, ==,
                     b + sim_blue_green_settings (sc)->abort_scale_down_delay);
    /* Between the two switches production went to green only... */
    g_assert_cmpint (arrivals_within (w, blue, s + e, b), ==, 0);
    g_assert_cmpint (arrivals_within (w, green, s + e, b), >, 0);
    /* ...and after the switch-back to blue only. */
    g_assert_cmpint (arrivals_within (w, green, b + e, end), ==, 0);
    g_assert_cmpint (arrivals_within (w, blue, b + e, end), ==,
                     total_within (w, b + e, end));
    sim_world_summary (w, &sum);
    g_assert_cmpint (sum.outcome, ==, SIM_OUTCOME_ABORTED);
    g_assert_cmpuint (sum.bad_version_requests, >, 0);
    g_assert_cmpfloat (sum.detection_s, >, 0);
    sim_world_free (w);
}

/* --- Capacity ------------------------------------------------------------- */

static const char *
summary_field (GPtrArray *values, const char *name)
{
    const char *const *h = sim_report_summary_header ();

    for (guint i = 0; h[i] != NULL; i++)
        if (g_str_equal (h[i], name))
            return g_ptr_array_index (values, i);
    g_assert_not_reached ();
    return NULL;
}

static void
test_capacity (void)
{
    g_autoptr (SimScenario)
        sc = load_file ("scenarios/bluegreen-small-cluster.ini", NULL);
    const char *roomy_sets[] = { "cluster.node_cpu=1", NULL };
    g_autoptr (SimScenario)
        roomy = load_file ("scenarios/bluegreen-small-cluster.ini", roomy_sets);
    SimWorld *w = sim_test_run (sc), *wr = sim_test_run (roomy);
    SimEventLog *log = sim_world_events (w);
    SimTime at[4];
    const char *to[4];
    SimSummary s, sr;
    g_autoptr (GPtrArray) values = NULL;
    g_autofree char *path = sim_test_src (
        "scenarios/bluegreen-small-cluster.ini");
    g_autofree char *dir = g_dir_make_tmp ("bluegreen-XXXXXX", NULL);
    g_autofree char *outdir = g_build_filename (dir, "out", NULL);
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { "run", path, "-o", outdir, "--no-plots", NULL };

    g_test_summary ("Issue 5 point 5: on a cluster that cannot hold both "
                    "colours the green pods stay Pending, the active "
                    "Service is never switched, the rollout stalls, and "
                    "the summary and the terminal say which resource was "
                    "short and how many pods could not be placed; with "
                    "room for both the same rollout completes");
    g_assert_cmpuint (active_switches (w, at, to, 4), ==, 1);
    g_assert_cmpstr (to[0], ==, sc->versions[sc->version_index].name);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_POD_UNSCHEDULABLE)
            g_assert_cmpstr (r->detail, ==, "insufficient cpu");
        g_assert_false (r->kind == SIM_EVENT_POD_READY && r->time > 0);
    }
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_STALLED);
    g_assert_cmpint (s.total.errors, ==, 0);
    g_assert_cmpint (s.peak_pods, ==, 2 * sc->replicas);
    /* The price is counted for pods that never ran, too. */
    g_assert_cmpfloat_with_epsilon (
        s.extra_pod_seconds,
        sc->replicas * SIM_TIME_TO_SEC (sc->duration - sc->rollout_at), 1e-6);
    values = sim_report_summary_values (w, &s);
    g_assert_cmpstr (summary_field (values, "unschedulable_pods"), ==, "3");
    g_assert_cmpstr (summary_field (values, "outcome"), ==, "stalled");

    sim_world_summary (wr, &sr);
    g_assert_cmpint (sr.outcome, ==, SIM_OUTCOME_COMPLETED);

    g_assert_nonnull (dir);
    g_assert_cmpint (sim_test_rollsim (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "rollout   stalled"));
    g_assert_nonnull (strstr (out, "capacity  3 pod(s) could not be "
                                   "placed: insufficient cpu"));
    sim_world_free (w);
    sim_world_free (wr);
    {
        g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
        g_assert_cmpint (system (rm), ==, 0);
    }
}

static void
test_price (void)
{
    const char *rolling_sets[] = { "strategy.type=rolling", NULL };
    g_autoptr (SimScenario)
        sc = load_file ("scenarios/bluegreen-seed.ini", NULL);
    g_autoptr (SimScenario)
        rs = load_file ("scenarios/bluegreen-seed.ini", rolling_sets);
    SimWorld *w = sim_test_run (sc), *wr = sim_test_run (rs);
    SimTime at[4];
    const char *to[4];
    SimSummary s, r;
    double held;

    g_test_summary ("The price of the second colour: blue-green peaks at "
                    "twice the replicas and pays at least replicas x (time "
                    "to the switch + scale_down_delay) extra pod-seconds, "
                    "well above a rolling update of the same scenario");
    g_assert_cmpuint (active_switches (w, at, to, 4), ==, 2);
    sim_world_summary (w, &s);
    sim_world_summary (wr, &r);
    held = SIM_TIME_TO_SEC (at[1] - sc->rollout_at
                            + sim_blue_green_settings (sc)->scale_down_delay);
    g_assert_cmpint (s.peak_pods, ==, 2 * sc->replicas);
    g_assert_cmpfloat (s.extra_pod_seconds, >=, sc->replicas * held - 1e-6);
    g_assert_cmpint (r.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpint (r.peak_pods, <, s.peak_pods);
    g_assert_cmpfloat (r.extra_pod_seconds, <, s.extra_pod_seconds);
    sim_world_free (w);
    sim_world_free (wr);
}

/* --- Invariants over random settings ------------------------------------- */

/* Replay @w's timeline and check what section A2 promises whatever the
 * settings: production is switched to green only when green is saturated
 * (spec = available = replicas); blue is scaled down only scale_down_delay
 * after green was promoted; an abort leaves production on blue. */
static void
check_timeline (SimWorld *w, const char *label)
{
    const SimScenario *sc = sim_world_scenario (w);
    const char *green = sc->versions[sc->rollout_to_index].name;
    const char *blue = sc->versions[sc->version_index].name;
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GHashTable) avail = g_hash_table_new (g_str_hash, g_str_equal);
    gint green_spec = 0;
    SimTime promoted = -1;
    gboolean aborted = FALSE;
    const char *active = NULL;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        gboolean is_green = g_strcmp0 (r->version, green) == 0;

        switch (r->kind) {
        case SIM_EVENT_POD_AVAILABLE:
            if (is_green)
                g_hash_table_add (avail, r->object);
            break;
        case SIM_EVENT_POD_TERMINATING:
            g_hash_table_remove (avail, r->object);
            break;
        case SIM_EVENT_REPLICASET_CREATED:
        case SIM_EVENT_REPLICASET_SCALED:
            if (is_green)
                green_spec = (gint) r->value;
            else if (r->value < sc->replicas) {
                /* Blue goes only after the promotion plus the delay. */
                if (promoted < 0
                    || r->time < promoted
                                     + sim_blue_green_settings (sc)
                                           ->scale_down_delay)
                    g_test_message ("%s: blue scaled at %g", label,
                                    SIM_TIME_TO_SEC (r->time));
                g_assert_cmpint (promoted, >=, 0);
                g_assert_cmpint (
                    r->time, >=,
                    promoted + sim_blue_green_settings (sc)->scale_down_delay);
            }
            break;
        case SIM_EVENT_SERVICE_SWITCHED:
            if (g_strcmp0 (r->object, "active") != 0)
                break;
            active = r->version;
            if (g_strcmp0 (active, green) == 0) {
                if (green_spec != sc->replicas
                    || (gint) g_hash_table_size (avail) != sc->replicas)
                    g_test_message ("%s: switched at %g with %d/%d", label,
                                    SIM_TIME_TO_SEC (r->time),
                                    g_hash_table_size (avail), green_spec);
                g_assert_false (aborted);
                g_assert_cmpint (green_spec, ==, sc->replicas);
                g_assert_cmpint (g_hash_table_size (avail), ==, sc->replicas);
            }
            break;
        case SIM_EVENT_PROMOTED:
            g_assert_cmpstr (active, ==, green);
            promoted = r->time;
            break;
        case SIM_EVENT_ABORTED:
            g_assert_cmpint (promoted, <, 0);
            aborted = TRUE;
            break;
        default:
            break;
        }
    }
    if (aborted)
        g_assert_cmpstr (active, ==, blue);
}

static void
test_property (void)
{
    SimRng rng;
    gint outcomes[SIM_OUTCOME_STALLED + 1] = { 0 };

    g_test_summary ("Section A2 over random settings (replicas, preview "
                    "size, pause, analyses, preview traffic, bad and "
                    "crashing releases, delays): the switch only when "
                    "green is saturated, blue kept until scale_down_delay "
                    "after the promotion, an abort ends on blue, and "
                    "requests are conserved");
    sim_rng_init (&rng, 20261127, 5);
    for (gint n = 0; n < 60; n++) {
        gint r = 1 + (gint) sim_rng_below (&rng, 6);
        gint preview = (gint) sim_rng_below (&rng, (guint32) r + 2) - 1;
        static const char *const after[] = { "0s", "5s", "20s" };
        static const char *const bools[] = { "false", "true" };
        g_autofree char *set_r = g_strdup_printf ("deployment.replicas=%d", r);
        g_autofree char *set_p =
            preview < 0
                ? g_strdup ("strategy.bluegreen.preview_replicas=all")
                : g_strdup_printf ("strategy.bluegreen.preview_replicas=%d",
                                   preview);
        g_autofree char *set_a = g_strdup_printf (
            "strategy.bluegreen.auto_promotion_after=%s",
            after[sim_rng_below (&rng, 3)]);
        g_autofree char *set_pre = g_strdup_printf (
            "strategy.bluegreen.pre_promotion_analysis=%s",
            bools[sim_rng_below (&rng, 2)]);
        g_autofree char *set_post = g_strdup_printf (
            "strategy.bluegreen.post_promotion_analysis=%s",
            bools[sim_rng_below (&rng, 2)]);
        g_autofree char *set_seed = g_strdup_printf ("scenario.seed=%d", n + 1);
        const char *sets[] = {
            set_r,
            set_p,
            set_a,
            set_pre,
            set_post,
            set_seed,
            sim_rng_below (&rng, 2) ? "traffic.preview_rate=10"
                                    : "traffic.preview_rate=0",
            sim_rng_below (&rng, 3) ? "version.v2.error_rate=0"
                                    : "version.v2.error_rate=0.3",
            sim_rng_below (&rng, 3) ? "version.v2.crash_rate=0"
                                    : "version.v2.crash_rate=0.3",
            sim_rng_below (&rng, 2) ? "cluster.controller_delay=0s"
                                    : "cluster.controller_delay=500ms",
            sim_rng_below (&rng, 2) ? "cluster.endpoint_delay=0s"
                                    : "cluster.endpoint_delay=1s",
            sim_rng_below (&rng, 2) ? "strategy.bluegreen.scale_down_delay=0s"
                                    : "strategy.bluegreen.scale_down_delay=30s",
            sim_rng_below (&rng, 2) ? "deployment.min_ready=0s"
                                    : "deployment.min_ready=5s",
            "version.v2.startup=uniform(2s,15s)",
            "scenario.duration=400s",
            NULL
        };
        g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
        g_autofree char *label = g_strjoinv (" ", (char **) sets);
        SimWorld *w = sim_test_run (sc);
        SimSummary s;

        check_timeline (w, label);
        sim_world_summary (w, &s);
        g_assert_cmpuint (s.total.arrivals, ==,
                          s.total.ok + s.total.errors
                              + (guint64) s.in_flight_end);
        outcomes[s.outcome]++;
        sim_world_free (w);
    }
    g_test_message ("completed %d, aborted %d, unfinished %d, stalled %d",
                    outcomes[SIM_OUTCOME_COMPLETED],
                    outcomes[SIM_OUTCOME_ABORTED],
                    outcomes[SIM_OUTCOME_UNFINISHED],
                    outcomes[SIM_OUTCOME_STALLED]);
    /* The settings reach both ends of the table. */
    g_assert_cmpint (outcomes[SIM_OUTCOME_COMPLETED], >, 0);
    g_assert_cmpint (outcomes[SIM_OUTCOME_ABORTED], >, 0);
}

/* --- Conservation and determinism ----------------------------------------- */

static const char *const shipped[] = {
    "scenarios/bluegreen-seed.ini",
    "scenarios/bluegreen-bad.ini",
    "scenarios/bluegreen-small-cluster.ini",
};

static char *
write_run (const SimScenario *sc, const char *dir, const char *name)
{
    SimWorld *w = sim_test_run (sc);
    g_autoptr (GError) error = NULL;
    char *out = g_build_filename (dir, name, NULL);
    g_autoptr (SimOutput) output = sim_output_claim (out, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (sim_report_write (w, output, FALSE, &error));
    g_assert_no_error (error);
    sim_world_free (w);
    return out;
}

static void
assert_same_file (const char *a, const char *b, const char *name)
{
    g_autofree char *pa = g_build_filename (a, name, NULL);
    g_autofree char *pb = g_build_filename (b, name, NULL);
    g_autofree char *ta = NULL, *tb = NULL;

    g_assert_true (g_file_get_contents (pa, &ta, NULL, NULL));
    g_assert_true (g_file_get_contents (pb, &tb, NULL, NULL));
    g_assert_cmpstr (ta, ==, tb);
}

static void
test_conservation (void)
{
    g_test_summary ("docs/design.md 1 and 8: over every shipped "
                    "blue-green scenario, arrivals = ok + errors + in "
                    "flight at the end, overall and summed over versions "
                    "plus requests that found no endpoint");
    for (guint i = 0; i < G_N_ELEMENTS (shipped); i++) {
        g_autoptr (SimScenario) sc = load_file (shipped[i], NULL);
        SimWorld *w = sim_test_run (sc);
        SimSummary s;

        sim_world_summary (w, &s);
        g_assert_cmpuint (s.total.arrivals, >, 0);
        sim_test_assert_conserved (w, shipped[i]);
        sim_world_free (w);
    }
}

static void
test_determinism (void)
{
    static const char *const files[] = {
        "scenario.ini", "events.csv",  "timeseries.csv",
        "versions.csv", "summary.csv",
    };
    g_autofree char *dir = g_dir_make_tmp ("bluegreen-XXXXXX", NULL);

    g_test_summary ("docs/design.md 8.1: the same scenario and seed give "
                    "byte-identical outputs, and so does the resolved "
                    "scenario.ini of a run");
    g_assert_nonnull (dir);
    for (guint i = 0; i < G_N_ELEMENTS (shipped); i++) {
        g_autoptr (SimScenario) sc = load_file (shipped[i], NULL);
        g_autofree char *na = g_strdup_printf ("a%u", i);
        g_autofree char *nb = g_strdup_printf ("b%u", i);
        g_autofree char *nc = g_strdup_printf ("c%u", i);
        g_autofree char *a = write_run (sc, dir, na);
        g_autofree char *b = write_run (sc, dir, nb);
        g_autofree char *ini = g_build_filename (a, "scenario.ini", NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (SimScenario)
            again = sim_scenario_load (sim_cli_schema (), ini, NULL, &error);
        g_autofree char *c = NULL;

        g_assert_no_error (error);
        c = write_run (again, dir, nc);
        for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
            assert_same_file (a, b, files[f]);
            if (!g_str_equal (files[f], "scenario.ini"))
                assert_same_file (a, c, files[f]);
        }
    }
    {
        g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
        g_assert_cmpint (system (rm), ==, 0);
    }
}

/* --- Validation ----------------------------------------------------------- */

static void
test_validate (void)
{
    const char *sets[] = { "strategy.bluegreen.preview_replicas=4", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario)
        sc = sim_scenario_load_data (sim_cli_schema (), base_ini, "test.ini",
                                     sets, &error);

    g_test_summary ("A preview larger than the Deployment is rejected, "
                    "naming the key and the accepted values");
    g_assert_null (sc);
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message,
                              "strategy.bluegreen.preview_replicas"));
    g_assert_nonnull (strstr (error->message, "accepted: an integer from 0 "
                                              "to 3, or all"));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (scripts); i++) {
        g_autofree char *path = g_strdup_printf ("/bluegreen/step-table/%s",
                                                 scripts[i].name);

        g_test_add_data_func (path, &scripts[i], test_step_table);
    }
    g_test_add_func ("/bluegreen/traffic/switch", test_traffic_switch);
    g_test_add_func ("/bluegreen/traffic/preview", test_traffic_preview);
    g_test_add_func ("/bluegreen/post-promotion/switch-back", test_switch_back);
    g_test_add_func ("/bluegreen/capacity/too-small", test_capacity);
    g_test_add_func ("/bluegreen/capacity/price", test_price);
    g_test_add_func ("/bluegreen/property/invariants", test_property);
    g_test_add_func ("/bluegreen/conservation", test_conservation);
    g_test_add_func ("/bluegreen/determinism", test_determinism);
    g_test_add_func ("/bluegreen/validate/preview-replicas", test_validate);
    return g_test_run ();
}
