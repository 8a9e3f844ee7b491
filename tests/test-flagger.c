/* test-flagger.c - Flagger's Canary as the worked timelines of
 * docs/design.md F9 give it, tick by tick from events.csv; the user
 * cohort of A/B testing, mirrored copies and session affinity; Flagger's
 * arithmetic (maxWeight, nextStepWeight) against upstream's test tables.
 *
 * Every expected table is written from the worked timelines (Flagger
 * v1.44.0's scheduler), never computed by the code under test: one line
 * per tick from the one that detects the revision (K = 0), "K PHASE
 * failedChecks WEIGHT" with WEIGHT the canary's weight on the router after
 * the tick, "mirror" when the route mirrors, "promoted" on the tick that
 * copies the spec.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "strategy.h"
#include "flagger.h"
#include "metrics.h"
#include "report.h"

/* Pods ready at once, every check passing, interval 1m, the revision
 * applied at 1m and seen at once (t0 = 60 s): the common settings of the
 * worked timelines, with 9.1's threshold 5, max_weight 50, step 10. */
static const char base_ini[] = "[scenario]\n"
                               "name = flagger-test\n"
                               "duration = 20m\n"
                               "[cluster]\n"
                               "nodes = 10\n"
                               "controller_delay = 0s\n"
                               "endpoint_delay = 0s\n"
                               "schedule_delay = 0s\n"
                               "[deployment]\n"
                               "replicas = 4\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "pull = const(0s)\n"
                               "startup = const(0s)\n"
                               "service = exp(20ms)\n"
                               "[version.v2]\n"
                               "pull = const(0s)\n"
                               "startup = const(0s)\n"
                               "service = exp(20ms)\n"
                               "[version.v3]\n"
                               "pull = const(0s)\n"
                               "startup = const(0s)\n"
                               "service = exp(20ms)\n"
                               "[traffic]\n"
                               "rate = 50\n"
                               "[strategy]\n"
                               "type = flagger\n"
                               "[strategy.flagger]\n"
                               "interval = 1m\n"
                               "threshold = 5\n"
                               "max_weight = 50\n"
                               "step_weight = 10\n"
                               "detection_delay = 0s\n"
                               "[analysis]\n"
                               "metrics = success_rate >= 0.99; p99_ms <= 500\n"
                               "[rollout]\n"
                               "at = 1m\n"
                               "to = v2\n";

#define T0 (60 * SIM_SEC)

/* The tick table of a run (see the top of the file); @upto: ticks
 * K <= upto only (-1: all). */
static char *
tick_table (SimWorld *w, SimTime interval, gint upto)
{
    SimEventLog *log = sim_world_events (w);
    GString *out = g_string_new (NULL);
    gboolean mirror = FALSE, promoted = FALSE;
    SimTime t0 = -1;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        gint64 k;

        if (r->kind == SIM_EVENT_WEIGHT_SET)
            mirror = strstr (r->detail, "mirror") != NULL;
        if (r->kind == SIM_EVENT_PROMOTED)
            promoted = TRUE;
        if (r->kind != SIM_EVENT_TICK)
            continue;
        if (t0 < 0)
            t0 = r->time;
        k = (r->time - t0) / interval;
        g_assert_cmpint ((r->time - t0) % interval, ==, 0);
        if (upto >= 0 && k > upto)
            break;
        /* "Progressing failed=2" -> "Progressing 2" */
        g_string_append_printf (
            out, "%" G_GINT64_FORMAT " %.*s %s %" G_GINT64_FORMAT "%s%s\n", k,
            (int) strcspn (r->detail, " "), r->detail,
            strchr (r->detail, '=') + 1, r->value, mirror ? " mirror" : "",
            promoted ? " promoted" : "");
        promoted = FALSE;
    }
    return g_string_free (out, FALSE);
}

typedef struct {
    const char *name;
    const char *doc;
    const char *sets[8];
    gint upto; /* compare ticks up to this one; -1 all */
    const char *table;
    SimOutcome outcome;
} Timeline;

static const Timeline timelines[] = {
    { "9.1-canary",
      "F9.1: stepWeight 10, maxWeight 50: five steps, the "
      "spec copied at 6:00, traffic back at 7:00, done at "
      "8:00",
      { NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 0 20\n"
      "3 Progressing 0 30\n"
      "4 Progressing 0 40\n"
      "5 Progressing 0 50\n"
      "6 Promoting 0 50 promoted\n"
      "7 Finalising 0 0\n"
      "8 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.2-one-failure",
      "F9.2: analysis 2 (3:00) fails: the weight stays "
      "one tick, failedChecks stays 1 to the end",
      { "timeline.actions=3m error-rate v2 1; 4m error-rate v2 0", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 0 20\n"
      "3 Progressing 1 20\n"
      "4 Progressing 1 30\n"
      "5 Progressing 1 40\n"
      "6 Progressing 1 50\n"
      "7 Promoting 1 50 promoted\n"
      "8 Finalising 1 0\n"
      "9 Succeeded 1 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.3-five-failures",
      "F9.3: five failures from the first analysis: "
      "the rollback comes one tick after the fifth, "
      "failedChecks shows 0 after it",
      { "version.v2.error_rate=0.5", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 1 10\n"
      "3 Progressing 2 10\n"
      "4 Progressing 3 10\n"
      "5 Progressing 4 10\n"
      "6 Progressing 5 10\n"
      "7 Failed 0 0\n",
      SIM_OUTCOME_ABORTED },
    { "9.3-not-consecutive",
      "F9.3: analyses 1, 3, 5, 7 and 9 fail, the "
      "others pass: failures add up, the weight "
      "climbs every other tick, rollback from 50% "
      "at 11:00",
      { "timeline.actions=2m error-rate v2 1; 3m error-rate v2 0; "
        "4m error-rate v2 1; 5m error-rate v2 0; 6m error-rate v2 1; "
        "7m error-rate v2 0; 8m error-rate v2 1; 9m error-rate v2 0; "
        "10m error-rate v2 1; 11m error-rate v2 0",
        NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 1 10\n"
      "3 Progressing 1 20\n"
      "4 Progressing 2 20\n"
      "5 Progressing 2 30\n"
      "6 Progressing 3 30\n"
      "7 Progressing 3 40\n"
      "8 Progressing 4 40\n"
      "9 Progressing 4 50\n"
      "10 Progressing 5 50\n"
      "11 Failed 0 0\n",
      SIM_OUTCOME_ABORTED },
    { "9.4-step-weights",
      "F9.4: stepWeights 1, 2, 10, 80: the maximum is "
      "the last entry",
      { "strategy.flagger.step_weight=0",
        "strategy.flagger.step_weights=1, 2, 10, 80", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 1\n"
      "2 Progressing 0 2\n"
      "3 Progressing 0 10\n"
      "4 Progressing 0 80\n"
      "5 Promoting 0 80 promoted\n"
      "6 Finalising 0 0\n"
      "7 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.5-step-weight-promotion",
      "F9.5: stepWeightPromotion 20: the "
      "traffic comes back 20% a tick",
      { "strategy.flagger.step_weight=20", "strategy.flagger.max_weight=60",
        "strategy.flagger.step_weight_promotion=20", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 20\n"
      "2 Progressing 0 40\n"
      "3 Progressing 0 60\n"
      "4 Promoting 0 60 promoted\n"
      "5 Promoting 0 40\n"
      "6 Promoting 0 20\n"
      "7 Finalising 0 0\n"
      "8 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.6-primary-rolls-90s",
      "F9.6: the primary's rolling update takes "
      "90 s (two waves of 45 s, surge 1, none "
      "unavailable): the 7:00 tick halts at 50%",
      { "deployment.replicas=2", "version.v2.startup=const(45s)",
        "strategy.flagger.primary_max_surge=1",
        "strategy.flagger.primary_max_unavailable=0", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 0 20\n"
      "3 Progressing 0 30\n"
      "4 Progressing 0 40\n"
      "5 Progressing 0 50\n"
      "6 Promoting 0 50 promoted\n"
      "7 Promoting 0 50\n"
      "8 Finalising 0 0\n"
      "9 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.7-canary-slow",
      "F9.7: the canary is ready 150 s after its "
      "scale-up: two ticks halt, counting nothing; the "
      "promotion comes at 8:00",
      { "version.v2.startup=const(150s)", NULL },
      8,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0\n"
      "2 Progressing 0 0\n"
      "3 Progressing 0 10\n"
      "4 Progressing 0 20\n"
      "5 Progressing 0 30\n"
      "6 Progressing 0 40\n"
      "7 Progressing 0 50\n"
      "8 Promoting 0 50 promoted\n",
      SIM_OUTCOME_COMPLETED },
    { "9.8-canary-never-ready",
      "F9.8: the canary never becomes ready: "
      "every tick halts, the first tick after "
      "t0 + 600 s rolls back",
      { "version.v2.startup=const(1h)", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0\n"
      "2 Progressing 0 0\n"
      "3 Progressing 0 0\n"
      "4 Progressing 0 0\n"
      "5 Progressing 0 0\n"
      "6 Progressing 0 0\n"
      "7 Progressing 0 0\n"
      "8 Progressing 0 0\n"
      "9 Progressing 0 0\n"
      "10 Progressing 0 0\n"
      "11 Failed 0 0\n",
      SIM_OUTCOME_ABORTED },
    { "9.9-ab",
      "F9.9: A/B testing, iterations 10, threshold 2, 5% of "
      "users matched: the matched rule to the canary from 1:00, "
      "ten analyses, promotion at 11:00",
      { "strategy.flagger.iterations=10", "strategy.flagger.threshold=2",
        "strategy.flagger.match=5%", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 100\n"
      "2 Progressing 0 100\n"
      "3 Progressing 0 100\n"
      "4 Progressing 0 100\n"
      "5 Progressing 0 100\n"
      "6 Progressing 0 100\n"
      "7 Progressing 0 100\n"
      "8 Progressing 0 100\n"
      "9 Progressing 0 100\n"
      "10 Progressing 0 100\n"
      "11 Promoting 0 100 promoted\n"
      "12 Finalising 0 0\n"
      "13 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.10-blue-green",
      "F9.10: blue/green, iterations 10, with a load "
      "test: ten iterations at 0/100, all traffic to the "
      "canary at 11:00, one more analysis, promotion at "
      "12:00",
      { "strategy.flagger.iterations=10", "strategy.flagger.threshold=2",
        "strategy.flagger.load_test_rate=10", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0\n"
      "2 Progressing 0 0\n"
      "3 Progressing 0 0\n"
      "4 Progressing 0 0\n"
      "5 Progressing 0 0\n"
      "6 Progressing 0 0\n"
      "7 Progressing 0 0\n"
      "8 Progressing 0 0\n"
      "9 Progressing 0 0\n"
      "10 Progressing 0 0\n"
      "11 Progressing 0 100\n"
      "12 Promoting 0 100 promoted\n"
      "13 Finalising 0 0\n"
      "14 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.10-blue-green-no-load-test",
      "F9.10: without a load test the "
      "canary gets no request: analyses 1 "
      "and 2 find no values, rollback at "
      "4:00",
      { "strategy.flagger.iterations=10", "strategy.flagger.threshold=2",
        NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0\n"
      "2 Progressing 1 0\n"
      "3 Progressing 2 0\n"
      "4 Failed 0 0\n",
      SIM_OUTCOME_ABORTED },
    { "9.11-blue-green-mirror",
      "F9.11: blue/green with mirroring 50%: "
      "mirrored from 1:00 to 10:00, no load test "
      "needed; 100% to the canary at 11:00",
      { "strategy.flagger.iterations=10", "strategy.flagger.mirror=true",
        "strategy.flagger.mirror_weight=50", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0 mirror\n"
      "2 Progressing 0 0 mirror\n"
      "3 Progressing 0 0 mirror\n"
      "4 Progressing 0 0 mirror\n"
      "5 Progressing 0 0 mirror\n"
      "6 Progressing 0 0 mirror\n"
      "7 Progressing 0 0 mirror\n"
      "8 Progressing 0 0 mirror\n"
      "9 Progressing 0 0 mirror\n"
      "10 Progressing 0 0 mirror\n"
      "11 Progressing 0 100\n"
      "12 Promoting 0 100 promoted\n"
      "13 Finalising 0 0\n"
      "14 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.12-canary-mirror",
      "F9.12: a canary with mirror: one mirrored "
      "tick before 10%, the spec copied at 7:00",
      { "strategy.flagger.mirror=true", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0 mirror\n"
      "2 Progressing 0 10\n"
      "3 Progressing 0 20\n"
      "4 Progressing 0 30\n"
      "5 Progressing 0 40\n"
      "6 Progressing 0 50\n"
      "7 Promoting 0 50 promoted\n"
      "8 Finalising 0 0\n"
      "9 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.13-kubernetes",
      "F9.13: the kubernetes provider turns 9.1 into a "
      "blue/green of 10 iterations; live traffic stays "
      "on the primary (a load test feeds the checks)",
      { "strategy.flagger.provider=kubernetes",
        "strategy.flagger.load_test_rate=10", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 0\n"
      "2 Progressing 0 0\n"
      "3 Progressing 0 0\n"
      "4 Progressing 0 0\n"
      "5 Progressing 0 0\n"
      "6 Progressing 0 0\n"
      "7 Progressing 0 0\n"
      "8 Progressing 0 0\n"
      "9 Progressing 0 0\n"
      "10 Progressing 0 0\n"
      "11 Progressing 0 0\n"
      "12 Promoting 0 0 promoted\n"
      "13 Finalising 0 0\n"
      "14 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.14-new-revision",
      "F9.14: v3 applied at 3:30 during 9.1: the 4:00 "
      "tick restarts at 0/100, the weights climb again "
      "from 5:00, the spec copied at 10:00",
      { "timeline.actions=4m30s set-image v3", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 0 20\n"
      "3 Progressing 0 30\n"
      "4 Progressing 0 0\n"
      "5 Progressing 0 10\n"
      "6 Progressing 0 20\n"
      "7 Progressing 0 30\n"
      "8 Progressing 0 40\n"
      "9 Progressing 0 50\n"
      "10 Promoting 0 50 promoted\n"
      "11 Finalising 0 0\n"
      "12 Succeeded 0 0\n",
      SIM_OUTCOME_COMPLETED },
    { "9.17-skip-analysis",
      "F9.17: skipAnalysis: detected at 0:00, "
      "promoted and Succeeded at 1:00 in one tick",
      { "strategy.flagger.skip_analysis=true", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Succeeded 0 0 promoted\n",
      SIM_OUTCOME_COMPLETED },
    { "9.18-primary-stuck",
      "F9.18: the primary cannot roll (no room for "
      "its surge pod): ticks halt until 17:00, the "
      "first after its 600 s deadline, which sends "
      "100% to the canary and fails",
      { "cluster.nodes=1", "cluster.node_cpu=800m", "deployment.cpu=100m",
        "strategy.flagger.primary_max_surge=1",
        "strategy.flagger.primary_max_unavailable=0", NULL },
      -1,
      "0 Progressing 0 0\n"
      "1 Progressing 0 10\n"
      "2 Progressing 0 20\n"
      "3 Progressing 0 30\n"
      "4 Progressing 0 40\n"
      "5 Progressing 0 50\n"
      "6 Promoting 0 50 promoted\n"
      "7 Promoting 0 50\n"
      "8 Promoting 0 50\n"
      "9 Promoting 0 50\n"
      "10 Promoting 0 50\n"
      "11 Promoting 0 50\n"
      "12 Promoting 0 50\n"
      "13 Promoting 0 50\n"
      "14 Promoting 0 50\n"
      "15 Promoting 0 50\n"
      "16 Promoting 0 50\n"
      "17 Failed 0 100\n",
      SIM_OUTCOME_ABORTED },
};

static void
test_timeline (gconstpointer data)
{
    const Timeline *tl = data;
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, tl->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *table = NULL;
    const SimFlaggerSettings *fs = sim_flagger_settings (sc);

    g_test_summary ("docs/design.md F9: a worked timeline, tick by tick "
                    "from events.csv (phase, failedChecks, the canary's "
                    "weight, the promotion), as the page gives it");
    g_test_message ("%s", tl->doc);
    table = tick_table (w, sim_flagger_interval (fs), tl->upto);
    g_assert_cmpstr (table, ==, tl->table);
    g_assert_cmpint (sim_world_rollout (w)->outcome, ==, tl->outcome);
    sim_test_assert_conserved (w, tl->name);
    sim_world_free (w);
}

/* --- The ticker and the user's actions --------------------------------- */

static void
test_detection_delay (void)
{
    GHashTable *seen = g_hash_table_new (g_int64_hash, g_int64_equal);
    SimTime delays[12];

    g_test_summary ("F3: with detection_delay random the detection tick "
                    "comes within one interval of the revision, at a phase "
                    "drawn from the seed; written, exactly that late; an "
                    "interval below 10 s ticks every 10 s");
    for (gint i = 0; i < 12; i++) {
        g_autofree char *seed = g_strdup_printf ("scenario.seed=%d", i + 1);
        const char *sets[] = { seed, "strategy.flagger.detection_delay=random",
                               "scenario.duration=3m", NULL };
        g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
        SimWorld *w = sim_test_run (sc);
        SimEventLog *log = sim_world_events (w);

        delays[i] = -1;
        for (guint j = 0; j < sim_event_log_len (log); j++)
            if (sim_event_log_row (log, j)->kind == SIM_EVENT_TICK) {
                delays[i] = sim_event_log_row (log, j)->time - T0;
                break;
            }
        g_assert_cmpint (delays[i], >=, 0);
        g_assert_cmpint (delays[i], <, 60 * SIM_SEC);
        g_hash_table_add (seen, &delays[i]);
        sim_world_free (w);
    }
    g_assert_cmpuint (g_hash_table_size (seen), >=, 10);
    g_hash_table_unref (seen);
    {
        const char *sets[] = { "strategy.flagger.detection_delay=7s",
                               "strategy.flagger.interval=5s",
                               "scenario.duration=2m", NULL };
        g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
        SimWorld *w = sim_test_run (sc);
        g_autofree char *table = tick_table (w, 10 * SIM_SEC, 2);
        SimEventLog *log = sim_world_events (w);

        for (guint j = 0; j < sim_event_log_len (log); j++)
            if (sim_event_log_row (log, j)->kind == SIM_EVENT_TICK) {
                g_assert_cmpint (sim_event_log_row (log, j)->time, ==,
                                 T0 + 7 * SIM_SEC);
                break;
            }
        g_assert_cmpstr (table, ==,
                         "0 Progressing 0 0\n"
                         "1 Progressing 0 10\n"
                         "2 Progressing 0 20\n");
        sim_world_free (w);
    }
}

static void
test_suspend (void)
{
    const char *sets[] = { "timeline.actions=3m30s pause; 6m30s resume", NULL };
    const char *argo[] = { "strategy.type=flagger",
                           "timeline.actions=7m promote", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *table = tick_table (w, 60 * SIM_SEC, -1);
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) refused = NULL;

    g_test_summary ("F3 step 1: pause is Flagger's suspend: the ticks in "
                    "between do nothing, the run goes on from where it "
                    "stood; Argo's promote is refused");
    g_assert_cmpstr (table, ==,
                     "0 Progressing 0 0\n"
                     "1 Progressing 0 10\n"
                     "2 Progressing 0 20\n"
                     "6 Progressing 0 30\n"
                     "7 Progressing 0 40\n"
                     "8 Progressing 0 50\n"
                     "9 Promoting 0 50 promoted\n"
                     "10 Finalising 0 0\n"
                     "11 Succeeded 0 0\n");
    sim_world_free (w);
    /* Flagger's target is a Deployment: kubectl argo rollouts finds no
     * Rollout, as for any Deployment. */
    refused = sim_scenario_load_data (sim_scenario_schema (sc), base_ini,
                                      "test.ini", argo, &error);
    g_assert_null (refused);
    g_assert_nonnull (strstr (error->message,
                              "rollouts.argoproj.io \"app\" not found"));
}

/* --- Flagger's arithmetic ---------------------------------------------- */

/* The weights of successive passing ticks, as runCanary applies
 * nextStepWeight, up to the promotion ("P") or 8 steps. */
static char *
weights (gint step_weight, gint max_weight, const gint *sw, gint n)
{
    SimFlaggerSettings fs = {
        .step_weight = step_weight,
        .max_weight = max_weight,
        .step_weights = { .items = (gpointer) sw, .n = n },
    };
    GString *out = g_string_new (NULL);
    gint w = 0;

    for (gint i = 0; i < 8; i++) {
        if (w >= sim_flagger_max_weight (&fs)) {
            g_string_append (out, "P");
            break;
        }
        w = MIN (w + sim_flagger_next_step (&fs, w), 100);
        g_string_append_printf (out, "%d ", w);
    }
    return g_string_free (out, FALSE);
}

static void
test_arithmetic (void)
{
    static const gint happy[] = { 1, 2, 10, 80 };
    static const gint overflow[] = { 1, 2, 10, 200 };
    static const gint down[] = { 10, 5, 50 };
    struct {
        const char *name;
        gint step, max;
        const gint *sw;
        gint n;
        const char *want;
    } cases[] = {
        /* docs/design.md F6.1's table, from scheduler_svc_test.go */
        { "stepWeight 20, maxWeight 50 overshoots", 20, 50, NULL, 0,
          "20 40 60 P" },
        { "stepWeight 50, maxWeight 100", 50, 0, NULL, 0, "50 100 P" },
        { "stepWeights 1, 2, 10, 80", 0, 0, happy, 4, "1 2 10 80 P" },
        { "stepWeights 1, 2, 10, 200 capped", 0, 0, overflow, 4,
          "1 2 10 100 P" },
        { "stepWeight 30 capped at 100", 30, 0, NULL, 0, "30 60 90 100 P" },
        { "maxWeight 150 never promotes", 50, 150, NULL, 0,
          "50 100 100 100 100 100 100 100 " },
        /* stepWeight wins over stepWeights; the maximum stays the list's */
        { "both set: stepWeight steps, stepWeights' maximum", 30, 0, happy, 4,
          "30 60 90 P" },
    };

    g_test_summary ("docs/design.md F6.1: maxWeight and nextStepWeight give "
                    "upstream's weight sequences (scheduler_svc_test.go), "
                    "stepWeight winning over stepWeights");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *got = weights (cases[i].step, cases[i].max,
                                        cases[i].sw, cases[i].n);

        g_test_message ("%s", cases[i].name);
        g_assert_cmpstr (got, ==, cases[i].want);
    }
    {
        SimFlaggerSettings fs = { .step_weights = { .items = (gpointer) down,
                                                    .n = 3 } };

        /* A list that goes down: the step at 10 is -5, nothing moves. */
        g_assert_cmpint (sim_flagger_next_step (&fs, 10), ==, -5);
        fs.threshold = 0;
        g_assert_cmpint (sim_flagger_threshold (&fs), ==, 1);
        fs.interval = 5 * SIM_SEC;
        g_assert_cmpint (sim_flagger_interval (&fs), ==, 10 * SIM_SEC);
    }
}

/* --- Users ------------------------------------------------------------- */

static void
test_ab_cohort (void)
{
    const char *sets[] = { "strategy.flagger.iterations=10",
                           "strategy.flagger.match=5%", "traffic.users=1000",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    g_autoptr (GError) error = NULL;
    SimWorld *w = sim_world_new (sc, NULL, &error);
    SimEventLog *log = sim_world_events (w);
    SimSummary s;
    gint64 share = -1;

    g_test_summary ("F6.3: A/B testing sends a fixed cohort of users (5% of "
                    "1000: 50) to the canary and nobody else, until the "
                    "promotion; the weight-set row says 5% of users' "
                    "requests");
    g_assert_no_error (error);
    /* The promotion at t0 + 11 min: the primary starts running v2. */
    sim_world_run_until (w, T0 + 11 * 60 * SIM_SEC - 1);
    sim_world_summary (w, &s);
    /* 30000 requests: every one of the 50 met the canary (about 30 each),
     * and no other user ever did. */
    g_assert_cmpuint (s.bad_version_users, ==, 50);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_WEIGHT_SET && share < 0)
            share = r->value;
    }
    g_assert_cmpint (share, ==, 5);
    sim_world_free (w);
}

/* The canary's (v2's) share of users' requests from @from to @to. */
static double
v2_share (SimWorld *w, SimTime from, SimTime to)
{
    const SimMetrics *m = sim_world_metrics (w);
    guint64 v2 = 0, all = 0;

    for (guint i = 0; i < m->versions->len; i++) {
        const SimVersionRow *r = &g_array_index (m->versions, SimVersionRow, i);

        if (r->time <= from || r->time > to)
            continue;
        all += r->c.arrivals;
        if (r->version == 1)
            v2 += r->c.arrivals;
    }
    return all > 0 ? (double) v2 / (double) all : 0;
}

static void
test_session_affinity (void)
{
    const char *sticky[] = { "traffic.users=1",
                             "strategy.flagger.session_affinity=true", NULL };
    const char *plain[] = { "traffic.users=1", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (base_ini, sticky);
    g_autoptr (SimScenario) b = sim_test_scenario (base_ini, plain);
    SimWorld *wa = sim_test_run (a), *wb = sim_test_run (b);
    /* The weights 10 .. 50 hold from t0 + 1 min to t0 + 7 min; one user
     * sends every request. */
    SimTime from = T0 + 2 * 60 * SIM_SEC, to = T0 + 7 * 60 * SIM_SEC;

    g_test_summary ("F6.6: with session affinity a user once sent to the "
                    "canary stays on it while its weight is above 0 (one "
                    "user: every request after the first canary answer); "
                    "without, each request is drawn at the weight");
    g_assert_cmpfloat (v2_share (wa, from, to), ==, 1.0);
    g_assert_cmpfloat (v2_share (wb, from, to), <, 0.5);
    g_assert_cmpfloat (v2_share (wb, from, to), >, 0.1);
    sim_world_free (wa);
    sim_world_free (wb);
}

static void
test_mirror_users (void)
{
    /* 9.11's blue/green with mirroring, with a canary that fails every
     * request: the mirrored copies fail the checks, never a user. */
    const char *bad[] = {
        "strategy.flagger.iterations=10",    "strategy.flagger.mirror=true",
        "strategy.flagger.mirror_weight=50", "strategy.flagger.threshold=1",
        "version.v2.error_rate=1",           NULL
    };
    const char *none[] = { "strategy.flagger.iterations=10",
                           "strategy.flagger.threshold=1",
                           "version.v2.error_rate=1", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (base_ini, bad);
    g_autoptr (SimScenario) b = sim_test_scenario (base_ini, none);
    SimWorld *wa = sim_test_run (a), *wb = sim_test_run (b);
    const SimMetrics *m = sim_world_metrics (wa);
    SimSummary sa, sb;
    guint64 mirrored = 0, v2_users = 0;

    g_test_summary ("F6.5: mirrored copies load the canary and fail its "
                    "checks (rolled back one tick after the first failure, "
                    "threshold 1) but are never users' requests: the same "
                    "user arrivals as without mirroring, no user answered "
                    "by the canary or failed, requests conserved with the "
                    "copies counted apart (versions.csv mirrored)");
    sim_world_summary (wa, &sa);
    sim_world_summary (wb, &sb);
    g_assert_cmpuint (sa.total.arrivals, ==, sb.total.arrivals);
    g_assert_cmpuint (sa.total.errors, ==, 0);
    g_assert_cmpuint (sa.bad_version_users, ==, 0);
    g_assert_cmpuint (sa.bad_version_requests, ==, 0);
    g_assert_cmpint (sim_world_rollout (wa)->outcome, ==, SIM_OUTCOME_ABORTED);
    for (guint i = 0; i < m->versions->len; i++) {
        const SimVersionRow *r = &g_array_index (m->versions, SimVersionRow, i);

        mirrored += r->mirrored.arrivals;
        if (r->version == 1)
            v2_users += r->c.arrivals;
    }
    g_assert_cmpuint (v2_users, ==, 0);
    /* Half of the primary's requests from 1:00 (t0 + 1 min) to the
     * rollback at 3:00 (analysis 1 fails at 2:00): about 3000 of 6000. */
    g_assert_cmpuint (mirrored, >, 2500);
    g_assert_cmpuint (mirrored, <, 3500);
    g_assert_cmpuint (sa.mirrored.arrivals, ==, mirrored);
    g_assert_cmpuint (sa.mirrored.errors, ==, mirrored - sa.mirrored.ok);
    sim_test_assert_conserved (wa, "mirror");
    sim_world_free (wa);
    sim_world_free (wb);
}

/* --- The shipped scenarios --------------------------------------------- */

static const struct {
    const char *file;
    SimOutcome outcome;
} shipped[] = {
    { "scenarios/flagger-canary-good.ini", SIM_OUTCOME_COMPLETED },
    { "scenarios/flagger-canary-bad.ini", SIM_OUTCOME_ABORTED },
    { "scenarios/flagger-ab.ini", SIM_OUTCOME_COMPLETED },
    { "scenarios/flagger-bluegreen.ini", SIM_OUTCOME_COMPLETED },
    { "scenarios/flagger-mirror.ini", SIM_OUTCOME_ABORTED },
    { "scenarios/flagger-vs-argo.ini", SIM_OUTCOME_ABORTED },
};

static SimScenario *
load_file (const char *file, const char *const *sets)
{
    g_autofree char *path = sim_test_src (file);
    g_autoptr (GError) error = NULL;
    SimScenario *sc = sim_scenario_load (sim_cli_schema (), path, sets, &error);

    g_assert_no_error (error);
    return sc;
}

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
test_shipped (void)
{
    static const char *const files[] = { "events.csv", "timeseries.csv",
                                         "versions.csv", "summary.csv" };
    g_autofree char *dir = g_dir_make_tmp ("flagger-XXXXXX", NULL);

    g_test_summary ("docs/design.md 1, 8.1 and 8.2: every shipped Flagger "
                    "scenario ends as its comments say, conserves requests "
                    "(mirrored copies and load tests counted apart) and "
                    "gives byte-identical outputs twice");
    g_assert_nonnull (dir);
    for (guint i = 0; i < G_N_ELEMENTS (shipped); i++) {
        g_autoptr (SimScenario) sc = load_file (shipped[i].file, NULL);
        SimWorld *w = sim_test_run (sc);
        g_autofree char *na = g_strdup_printf ("a%u", i);
        g_autofree char *nb = g_strdup_printf ("b%u", i);
        g_autofree char *a = NULL, *b = NULL;

        g_test_message ("%s", shipped[i].file);
        g_assert_cmpint (sim_world_rollout (w)->outcome, ==,
                         shipped[i].outcome);
        sim_test_assert_conserved (w, shipped[i].file);
        sim_world_free (w);
        a = write_run (sc, dir, na);
        b = write_run (sc, dir, nb);
        for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
            g_autofree char *pa = g_build_filename (a, files[f], NULL);
            g_autofree char *pb = g_build_filename (b, files[f], NULL);
            g_autofree char *ta = NULL, *tb = NULL;

            g_assert_true (g_file_get_contents (pa, &ta, NULL, NULL));
            g_assert_true (g_file_get_contents (pb, &tb, NULL, NULL));
            g_assert_cmpstr (ta, ==, tb);
        }
    }
    {
        g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

        g_assert_cmpint (system (cmd), ==, 0);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_set_nonfatal_assertions ();
    for (gsize i = 0; i < G_N_ELEMENTS (timelines); i++) {
        g_autofree char *path = g_strdup_printf ("/flagger/timeline/%s",
                                                 timelines[i].name);

        g_test_add_data_func (path, &timelines[i], test_timeline);
    }
    g_test_add_func ("/flagger/arithmetic", test_arithmetic);
    g_test_add_func ("/flagger/ticker/detection-delay", test_detection_delay);
    g_test_add_func ("/flagger/ticker/suspend", test_suspend);
    g_test_add_func ("/flagger/users/ab-cohort", test_ab_cohort);
    g_test_add_func ("/flagger/users/session-affinity", test_session_affinity);
    g_test_add_func ("/flagger/users/mirror", test_mirror_users);
    g_test_add_func ("/flagger/shipped", test_shipped);
    return g_test_run ();
}
