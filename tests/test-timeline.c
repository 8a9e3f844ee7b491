/* test-timeline.c - [timeline] (issue 12) on Kubernetes Deployments,
 * scenario-level: a scaling event mid-rollout (docs/design.md K10
 * example F), a rollover at each stage of a rolling update, undo to the
 * previous revision keeping its pods (K9.2), pause and resume (K7) and the
 * progress deadline frozen by a pause, a restart (a second ReplicaSet of
 * one version), the refusals (check time and `action-refused` rows); and
 * scale() of a scaling event row by row against Kubernetes' own
 * TestScale table (K11.10).  Every expected sequence is worked out from
 * the design chapters, never from the code under test.
 */
#include <math.h>
#include <string.h>
#include "testutil.h"
#include "metrics.h"
#include "k8s-deployment.h"
#include "disruption.h"

/* Every delay 0, start-up const(D = 10 s), no traffic: the idealised
 * model of K10. */
static const char base_ini[] = "[scenario]\n"
                               "name = timeline-test\n"
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
                               "[version.v2]\n"
                               "pull = const(0s)\n"
                               "startup = const(10s)\n"
                               "[version.v3]\n"
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

/* The rows of @kind as "t=SECONDS OBJECT [VALUE] [DETAIL]" lines. */
static char *
rows_of (SimWorld *w, SimEventKind kind)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind != kind)
            continue;
        g_string_append_printf (s, "t=%g %s", SIM_TIME_TO_SEC (r->time),
                                r->object);
        if (r->has_value)
            g_string_append_printf (s, " %" G_GINT64_FORMAT, r->value);
        if (r->detail != NULL)
            g_string_append_printf (s, " %s", r->detail);
        g_string_append_c (s, '\n');
    }
    return g_string_free (s, FALSE);
}

typedef struct {
    const char *name;
    const char *doc;
    const char *sets[10];
    const char *scalings; /* sim_test_scalings */
    double complete_s;    /* the last rollout's end */
    SimOutcome outcome;
} Case;

static void
run_case (gconstpointer data)
{
    const Case *c = data;
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, c->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *scalings = sim_test_scalings (w);
    SimSummary s;

    g_test_message ("%s", c->doc);
    g_assert_cmpstr (scalings, ==, c->scalings);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, c->outcome);
    if (c->outcome == SIM_OUTCOME_COMPLETED)
        g_assert_cmpfloat_with_epsilon (s.rollout_end / 1e6, c->complete_s,
                                        1e-9);
    sim_test_assert_conserved (w, c->name);
    sim_world_free (w);
}

/* --- K10 example F: spec.replicas 10 -> 20 at t = 0.5D ------------------------ */

static const Case example_f = {
    "example-F",
    "R 10, 25%/25% (surge 3, unavailable 2), scaled to 20 (surge 5, "
    "unavailable 5) at 0.5D: proportional scaling gives old 8 -> 15 and "
    "new 5 -> 10 (allowed 25, toAdd 12: old 8*25/13 = 15.38 -> 15, new "
    "5*25/13 = 9.62 -> 10); at 1D cleanupUnhealthyReplicas removes the 5 "
    "not-yet-available old pods (maxScaledDown 25-15-5); then the table "
    "of example F, complete at 2.5D",
    { "deployment.replicas=10", "strategy.rolling.max_surge=25%",
      "strategy.rolling.max_unavailable=25%", "timeline.actions=15s scale 20",
      NULL },
    "t=0 v1=10\nt=10 v2=3\nt=10 v1=8\nt=10 v2=5\nt=15 v1=15\nt=15 v2=10\n"
    "t=20 v1=10\nt=20 v2=15\nt=25 v1=5\nt=25 v2=20\nt=30 v1=0\n",
    35.0,
    SIM_OUTCOME_COMPLETED,
};

static void
test_example_f (void)
{
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, example_f.sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *changed = rows_of (w, SIM_EVENT_REPLICAS_CHANGED);

    g_test_summary ("docs/design.md K10 example F and K6: a scale from 10 "
                    "to 20 replicas mid-rollout is a scaling event, "
                    "proportional between the ReplicaSets, and the rollout "
                    "goes on from there");
    g_assert_cmpstr (changed, ==, "t=15 deployment 20 from 10\n");
    sim_world_free (w);
    run_case (&example_f);
}

/* --- Rollover at each stage of example A (R 3, surge 1, unavailable 0) ------- */

/* Example A at D = 10 s: v2 1 (t=10), v1 2 / v2 2 (20), v1 1 / v2 3
 * (30), v1 0 (40).  A new template v3 while v2 rolls out (K4.2, K9.2):
 * v3 is created at NewRSNewReplicas = 0 (3 + 1 pods exist already), the
 * same sync's old step (maxScaledDown = 4 - 3 - 0 = 1) cleans one
 * unavailable v2 pod up (oldest ReplicaSet first, v1 having none), and v3
 * then takes the freed room; old ReplicaSets shrink oldest first as v3's
 * pods become available. */
static const Case rollovers[] = {
    { "rollover-at-start",
      "v3 in the instant v2 begins: v2's only pod, not yet available, is "
      "cleaned up at once; then v1 -> v3 as example A, 10 s a wave",
      { "timeline.actions=10s set-image v3", NULL },
      "t=0 v1=3\nt=10 v2=1\nt=10 v3=0\nt=10 v2=0\nt=10 v3=1\nt=20 v1=2\n"
      "t=20 v3=2\nt=30 v1=1\nt=30 v3=3\nt=40 v1=0\n",
      40.0,
      SIM_OUTCOME_COMPLETED },
    { "rollover-mid-first-wave",
      "v3 at t=15: v2 1 (starting), v1 3: v2 goes to 0, v3 1, then three "
      "waves of 10 s from 15",
      { "timeline.actions=15s set-image v3", NULL },
      "t=0 v1=3\nt=10 v2=1\nt=15 v3=0\nt=15 v2=0\nt=15 v3=1\nt=25 v1=2\n"
      "t=25 v3=2\nt=35 v1=1\nt=35 v3=3\nt=45 v1=0\n",
      45.0,
      SIM_OUTCOME_COMPLETED },
    { "rollover-second-wave",
      "v3 at t=25: v1 2, v2 2 (1 available): v2 loses its starting pod; "
      "v1 shrinks first (oldest), v2's available pod goes last",
      { "timeline.actions=25s set-image v3", NULL },
      "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=25 v3=0\nt=25 v2=1\n"
      "t=25 v3=1\nt=35 v1=1\nt=35 v3=2\nt=45 v1=0\nt=45 v3=3\nt=55 v2=0\n",
      55.0,
      SIM_OUTCOME_COMPLETED },
    { "rollover-last-wave",
      "v3 at t=35: v1 1, v2 3 (2 available): v2 3 -> 2, v3 1; v1 goes at "
      "45, v2 at 55 and 65",
      { "timeline.actions=35s set-image v3", NULL },
      "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=30 v1=1\nt=30 v2=3\n"
      "t=35 v3=0\nt=35 v2=2\nt=35 v3=1\nt=45 v1=0\nt=45 v3=2\nt=55 v2=1\n"
      "t=55 v3=3\nt=65 v2=0\n",
      65.0,
      SIM_OUTCOME_COMPLETED },
    { "after-completion",
      "v3 at t=50, v2 complete since 40: not a rollover, an ordinary "
      "rollout v2 -> v3 (v3 created at 1, as example A)",
      { "timeline.actions=50s set-image v3", NULL },
      "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=30 v1=1\nt=30 v2=3\n"
      "t=40 v1=0\nt=50 v3=1\nt=60 v2=2\nt=60 v3=2\nt=70 v2=1\nt=70 v3=3\n"
      "t=80 v2=0\n",
      80.0,
      SIM_OUTCOME_COMPLETED },
};

static void
test_rollover (gconstpointer data)
{
    const Case *c = data;
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, c->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *rows = rows_of (w, SIM_EVENT_ROLLOVER);
    SimSummary s;

    g_test_summary ("docs/design.md K4.2-K4.4 and K9.2: a new template "
                    "while a rolling update is under way (a rollover), at "
                    "each stage of K10 example A: the ReplicaSet sizes and "
                    "the completion time worked out by hand");
    sim_world_summary (w, &s);
    if (strcmp (c->name, "after-completion") == 0) {
        g_assert_cmpstr (rows, ==, "");
        g_assert_cmpint (s.rollouts, ==, 2);
    } else {
        g_assert_cmpstr (
            rows, ==,
            strstr (c->sets[0], "35s") != NULL   ? "t=35 deployment v2\n"
            : strstr (c->sets[0], "25s") != NULL ? "t=25 deployment v2\n"
            : strstr (c->sets[0], "15s") != NULL ? "t=15 deployment v2\n"
                                                 : "t=10 deployment v2\n");
    }
    sim_world_free (w);
    run_case (c);
}

/* --- rate, error-rate, delete-pods ------------------------------------------------ */

/* Evenly spaced arrivals at 50/s from t = 100 s (the base has no
 * traffic): 100 s x 50/s = 5000 requests; stopped again at 150 s: 2500.
 * An error rate of 1 on v1 from t = 60 s: every request after it fails
 * as app_error - v1 serves alone up to the end, since v2's first pod,
 * created at 190 s, is ready at 200 s: 140 s x 50/s = 7000. */
static void
test_rate_actions (void)
{
    const char *more[] = { "timeline.actions=100s rate 50", "rollout.at=190s",
                           "traffic.arrivals=uniform", NULL };
    const char *less[] = { "timeline.actions=100s rate 50; 150s rate 0",
                           "rollout.at=190s", "traffic.arrivals=uniform",
                           NULL };
    const char *errs[] = { "traffic.rate=50", "traffic.arrivals=uniform",
                           "timeline.actions=60s error-rate v1 1",
                           "rollout.at=190s", NULL };
    const char **sets[] = { more, less, errs };
    const guint64 arrivals[] = { 5000, 2500, 10000 };
    const guint64 errors[] = { 0, 0, 7000 };

    g_test_summary ("the rate and error-rate actions change the traffic "
                    "from their instant on");
    for (guint i = 0; i < G_N_ELEMENTS (sets); i++) {
        g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets[i]);
        SimWorld *w = sim_test_run (sc);
        SimSummary s;

        sim_world_summary (w, &s);
        g_test_message ("case %u: arrivals %" G_GUINT64_FORMAT
                        " errors %" G_GUINT64_FORMAT,
                        i, s.total.arrivals, s.total.errors);
        /* One arrival either side for where the first and last fall. */
        g_assert_cmpuint (s.total.arrivals + 1, >=, arrivals[i]);
        g_assert_cmpuint (s.total.arrivals, <=, arrivals[i] + 1);
        if (errors[i] == 0) {
            g_assert_cmpuint (s.total.errors, ==, 0);
        } else {
            g_assert_cmpuint (s.total.errors + 1, >=, errors[i]);
            g_assert_cmpuint (s.total.errors, <=, errors[i] + 1);
            g_assert_cmpuint (s.total.errors, ==,
                              s.total.cause[SIM_CAUSE_APP_ERROR]);
        }
        sim_world_free (w);
    }
}

/* delete-pods deletes at once, with no budget asked; the ReplicaSet
 * controller (every delay 0) replaces them in the same instant, ready
 * D = 10 s later.  Asking for more pods than exist deletes them all. */
static void
test_delete_pods (void)
{
    const char *two[] = { "timeline.actions=30s delete-pods v1 2",
                          "rollout.at=150s", NULL };
    const char *all[] = { "timeline.actions=30s delete-pods v1 5",
                          "rollout.at=150s", NULL };
    const char **sets[] = { two, all };
    const guint deleted[] = { 2, 3 };

    g_test_summary ("delete-pods N: N pods of the version terminate at the "
                    "action's instant and are replaced at once");
    for (guint i = 0; i < G_N_ELEMENTS (sets); i++) {
        g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets[i]);
        SimWorld *w = sim_test_run (sc);
        SimEventLog *log = sim_world_events (w);
        guint term = 0, created = 0, ready = 0;

        for (guint j = 0; j < sim_event_log_len (log); j++) {
            const SimEventRow *r = sim_event_log_row (log, j);

            if (r->time != (30 * SIM_SEC) && r->time != (40 * SIM_SEC))
                continue;
            if (r->kind == SIM_EVENT_POD_TERMINATING
                && r->time == (30 * SIM_SEC))
                term++;
            if (r->kind == SIM_EVENT_POD_CREATED && r->time == (30 * SIM_SEC))
                created++;
            if (r->kind == SIM_EVENT_POD_READY && r->time == (40 * SIM_SEC))
                ready++;
        }
        g_assert_cmpuint (term, ==, deleted[i]);
        g_assert_cmpuint (created, ==, deleted[i]);
        g_assert_cmpuint (ready, ==, deleted[i]);
        sim_test_assert_conserved (w, "delete-pods");
        sim_world_free (w);
    }
}

/* --- Undo keeps its pods (K9.2) ------------------------------------------------- */

static void
test_undo_keeps_pods (void)
{
    const char *sets[] = { "timeline.actions=25s undo", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *terminating = rows_of (w, SIM_EVENT_POD_TERMINATING);
    g_autofree char *created = rows_of (w, SIM_EVENT_POD_CREATED);
    SimReplicaSet *v1 = sim_world_replica_set (w, 0);
    SimSummary s;

    g_test_summary ("docs/design.md K9.2: undo mid-rollout (t=25: v1 2 "
                    "available, v2 2 with 1 available) makes v1's "
                    "ReplicaSet the new one again with revision 3 and its "
                    "two running pods: NewRSNewReplicas has no room (4 "
                    "pods), the old step cleans up v2's starting pod "
                    "(maxScaledDown 4-3-0), v1 grows by one new pod, and "
                    "v2's available pod goes once it is ready (t=35)");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=25 "
                     "v2=1\nt=25 v1=3\nt=35 v2=0\n");
    /* v1-3 went at t=20 (example A); v1-1 and v1-2 ran throughout. */
    g_assert_cmpstr (terminating, ==, "t=20 v1-3\nt=25 v2-2\nt=35 v2-1\n");
    g_assert_nonnull (strstr (created, "t=25 v1-4\n"));
    g_assert_null (strstr (created, "v1-5"));
    g_assert_cmpint (sim_replica_set_revision (v1), ==, 3);
    g_assert_cmpint (sim_replica_set_revision (sim_world_replica_set (w, 1)),
                     ==, 2);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_COMPLETED);
    g_assert_cmpfloat (s.rollout_end / 1e6, ==, 35.0);
    g_assert_cmpint (s.rollouts, ==, 2);
    sim_world_free (w);
}

/* --- Pause and resume (K7) ---------------------------------------------------- */

static void
test_pause_resume (void)
{
    const char *sets[] = { "timeline.actions=15s pause; 60s resume", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *conditions = rows_of (w, SIM_EVENT_CONDITION);
    g_autofree char *paused = rows_of (w, SIM_EVENT_PAUSED);
    g_autofree char *resumed = rows_of (w, SIM_EVENT_RESUMED);

    g_test_summary ("docs/design.md K7: a paused Deployment runs no rollout "
                    "step (v2's first pod is available at 20, but v1 keeps "
                    "3 pods until the resume at 60), Progressing=Unknown "
                    "DeploymentPaused then DeploymentResumed; the rollout "
                    "then goes on as example A from 60");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=3\nt=10 v2=1\nt=60 v1=2\nt=60 v2=2\nt=70 "
                     "v1=1\nt=70 v2=3\nt=80 v1=0\n");
    g_assert_cmpstr (paused, ==, "t=15 deployment spec.paused = true\n");
    g_assert_cmpstr (resumed, ==, "t=60 deployment spec.paused = false\n");
    g_assert_cmpstr (conditions, ==,
                     "t=15 deployment Progressing=Unknown DeploymentPaused\n"
                     "t=60 deployment Progressing=Unknown "
                     "DeploymentResumed\n");
    sim_world_free (w);
}

static void
test_pause_freezes_deadline (void)
{
    const char *crash[] = { "version.v2.crash_rate=1",
                            "deployment.progress_deadline=30s", NULL };
    const char *paused[] = { "version.v2.crash_rate=1",
                             "deployment.progress_deadline=30s",
                             "timeline.actions=20s pause; 80s resume", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (base_ini, crash);
    g_autoptr (SimScenario) b = sim_test_scenario (base_ini, paused);
    SimWorld *wa = sim_test_run (a), *wb = sim_test_run (b);
    g_autofree char *ra = rows_of (wa, SIM_EVENT_PROGRESS_DEADLINE);
    g_autofree char *rb = rows_of (wb, SIM_EVENT_PROGRESS_DEADLINE);
    SimSummary s;

    g_test_summary ("docs/design.md K7 and K8: v2 crash-loops, so no "
                    "progress after its ReplicaSet's pod appears at t=10; "
                    "the deadline (30 s) is exceeded at 10 + 30 + 1 s "
                    "(requeueStuckDeployment).  Paused at 20 and resumed "
                    "at 80, a paused Deployment never times out and the "
                    "clock restarts from the DeploymentResumed update: "
                    "80 + 30 + 1 = 111");
    g_assert_cmpstr (ra, ==,
                     "t=41 deployment Progressing=False "
                     "ProgressDeadlineExceeded\n");
    g_assert_cmpstr (rb, ==,
                     "t=111 deployment Progressing=False "
                     "ProgressDeadlineExceeded\n");
    sim_world_summary (wb, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_STALLED);
    sim_world_free (wa);
    sim_world_free (wb);
}

static void
test_paused_at_start (void)
{
    const char *sets[] = { "deployment.paused=true",
                           "timeline.actions=60s resume", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *scalings = sim_test_scalings (w);
    g_autofree char *started = rows_of (w, SIM_EVENT_ROLLOUT_STARTED);

    g_test_summary ("docs/design.md K7: deployment.paused (spec.paused at "
                    "t = 0): the template changes at 10 (the rollout "
                    "starts) but no new ReplicaSet is created until the "
                    "resume at 60; then example A from 60");
    g_assert_cmpstr (started, ==, "t=10 deployment rolling\n");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=3\nt=60 v2=1\nt=70 v1=2\nt=70 v2=2\nt=80 "
                     "v1=1\nt=80 v2=3\nt=90 v1=0\n");
    sim_world_free (w);
}

/* --- Restart: a second ReplicaSet of one version ------------------------------- */

static void
test_restart (void)
{
    const char *sets[] = { "timeline.actions=50s restart", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *scalings = sim_test_scalings (w);
    SimVersionStatus vs;
    SimSummary s;

    g_test_summary ("kubectl rollout restart (design.md H7.1): a new "
                    "restartedAt annotation is a new "
                    "template of the same version, so a second ReplicaSet "
                    "v2#2 and an ordinary rolling update to it; versions "
                    "add up their ReplicaSets");
    g_assert_cmpstr (scalings, ==,
                     "t=0 v1=3\nt=10 v2=1\nt=20 v1=2\nt=20 v2=2\nt=30 "
                     "v1=1\nt=30 v2=3\nt=40 v1=0\nt=50 v2#2=1\nt=60 "
                     "v2=2\nt=60 v2#2=2\nt=70 v2=1\nt=70 v2#2=3\nt=80 "
                     "v2=0\n");
    sim_world_version_status (w, 1, &vs);
    g_assert_cmpint (vs.desired, ==, 3);
    g_assert_cmpint (vs.st.available, ==, 3);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.rollouts, ==, 2);
    g_assert_cmpfloat (s.rollout_end / 1e6, ==, 80.0);
    sim_world_free (w);
}

/* --- Refusals ------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *sets[4];
    const char *message; /* a part of the error */
} Refusal;

static const Refusal refusals[] = {
    { "resume-not-paused",
      { "timeline.actions=20s resume", NULL },
      "action 1 \"20s resume\": deployments.apps/app is not paused" },
    { "pause-twice",
      { "timeline.actions=20s pause; 30s pause", NULL },
      "action 2 \"30s pause\": deployments.apps/app is already paused" },
    { "undo-paused",
      { "timeline.actions=20s pause; 30s undo", NULL },
      "action 2 \"30s undo\": you cannot rollback a paused deployment; "
      "resume it first with 'kubectl rollout resume deployment/app' and "
      "try again" },
    { "restart-paused",
      { "timeline.actions=20s pause; 30s restart", NULL },
      "deployments.apps/app can't restart paused deployment (run rollout "
      "resume first)" },
    { "undo-no-history",
      { "timeline.actions=5s undo", NULL },
      "no rollout history found for deployment \"app\"" },
    { "promote-deployment",
      { "timeline.actions=20s promote", NULL },
      "action 1 \"20s promote\": rollouts.argoproj.io \"app\" not found" },
    { "unknown-version",
      { "timeline.actions=20s set-image v9", NULL },
      "unknown version \"v9\"" },
    { "node-missing",
      { "timeline.actions=20s node-fail node-21", NULL },
      "action 1 \"20s node-fail node-21\": nodes \"node-21\" not found" },
    { "node-before-added",
      { "timeline.actions=20s node-cordon node-21; 30s node-add 1", NULL },
      "nodes \"node-21\" not found" },
    { "past-the-end",
      { "timeline.actions=10m scale 4", NULL },
      "at 10m, not before the end of the run (scenario.duration 3m20s)" },
};

static void
test_refusal (gconstpointer data)
{
    const Refusal *r = data;
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) sc = NULL;

    g_test_summary ("What upstream refuses and can be known before the run "
                    "is an error of rollsim check, in kubectl's words");
    sc = sim_scenario_load_data (sim_cli_schema (), base_ini, "test.ini",
                                 r->sets, &error);
    if (r->message == NULL) {
        /* rollout.to = v1 is refused by [rollout] itself. */
        g_assert_nonnull (error);
        return;
    }
    g_assert_null (sc);
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, r->message));
}

static void
test_refused_at_run_time (void)
{
    const char *sets[] = {
        "timeline.actions=20s pause if-unfinished; 30s pause; 90s resume; "
        "150s pause if-unfinished",
        NULL
    };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *actions = rows_of (w, SIM_EVENT_ACTION);
    g_autofree char *refused = rows_of (w, SIM_EVENT_ACTION_REFUSED);

    g_test_summary ("An if-unfinished action makes what follows unknown "
                    "before the run: the second pause is refused at run "
                    "time, an action-refused row in kubectl's words; an "
                    "if-unfinished action after the rollout completed (at "
                    "110: paused from 20 to 90, then two waves of example "
                    "A) is skipped, and says so");
    g_assert_cmpstr (refused, ==,
                     "t=30 deployment deployments.apps/app is already "
                     "paused\n");
    g_assert_cmpstr (actions, ==,
                     "t=20 deployment 20s pause if-unfinished\n"
                     "t=30 deployment 30s pause\n"
                     "t=90 deployment 1m30s resume\n"
                     "t=150 deployment 2m30s pause if-unfinished (skipped: "
                     "the rollout completed at 110.000s)\n");
    sim_world_free (w);
}

/* --- scale() against TestScale (K11.10) ------------------------------------------ */

typedef struct {
    const char *name;
    gint r, surge;
    gint n;              /* ReplicaSets, oldest first */
    gint new_index;      /* -1: none */
    gint spec[3];        /* oldest first */
    gint ann_max[3];     /* -1: from the previous R + surge */
    gint available[3];   /* -1: spec */
    gint ann_desired[3]; /* -1: the previous R */
    gint old_r, old_surge;
    gint want[3];
} ScaleRow;

/* Rows of K11.10, old ReplicaSets oldest first here (the table lists
 * them newest first), the new one last. */
static const ScaleRow scale_rows[] = {
    { "normal-up", 12, 0, 1, 0, { 10 }, { -1 }, { -1 }, { -1 }, 10, 0, { 12 } },
    { "normal-down", 5, 0, 1, 0, { 10 }, { -1 }, { -1 }, { -1 }, 10, 0, { 5 } },
    { "proportional-up",
      10,
      0,
      2,
      1,
      { 3, 2 },
      { -1, -1 },
      { -1, -1 },
      { -1, -1 },
      5,
      0,
      { 6, 4 } },
    { "proportional-down",
      3,
      0,
      2,
      1,
      { 3, 2 },
      { -1, -1 },
      { -1, -1 },
      { -1, -1 },
      5,
      0,
      { 2, 1 } },
    { "proportional-9-4",
      4,
      0,
      2,
      1,
      { 1, 8 },
      { -1, -1 },
      { -1, -1 },
      { -1, -1 },
      9,
      0,
      { 0, 4 } },
    { "proportional-7-10",
      10,
      0,
      3,
      2,
      { 2, 3, 2 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      7,
      0,
      { 3, 4, 3 } },
    { "proportional-13-8",
      8,
      0,
      3,
      2,
      { 3, 8, 2 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      13,
      0,
      { 2, 5, 1 } },
    { "leftover-up",
      4,
      0,
      3,
      2,
      { 1, 1, 1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      3,
      0,
      { 1, 1, 2 } },
    { "leftover-down",
      2,
      0,
      3,
      2,
      { 1, 1, 1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      3,
      0,
      { 0, 1, 1 } },
    { "no-new-rs",
      5,
      0,
      2,
      -1,
      { 2, 2 },
      { -1, -1 },
      { -1, -1 },
      { -1, -1 },
      4,
      0,
      { 2, 3 } },
    { "to-zero",
      0,
      0,
      3,
      2,
      { 1, 2, 3 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      6,
      0,
      { 0, 0, 0 } },
    { "from-zero",
      6,
      0,
      3,
      2,
      { 0, 0, 0 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      { -1, -1, -1 },
      6,
      0,
      { 0, 0, 6 } },
    { "failed-rs-update",
      5,
      0,
      3,
      2,
      { 1, 1, 2 },
      { -1, 3, -1 },
      { -1, -1, -1 },
      { -1, 3, -1 },
      5,
      0,
      { 1, 2, 2 } },
    { "with-surge",
      20,
      2,
      2,
      1,
      { 6, 6 },
      { 12, 12 },
      { -1, -1 },
      { -1, -1 },
      10,
      2,
      { 11, 11 } },
    { "change-surge-and-size",
      50,
      6,
      2,
      1,
      { 8, 5 },
      { 13, 13 },
      { -1, -1 },
      { -1, -1 },
      10,
      3,
      { 34, 22 } },
    { "no-rs-matches",
      14,
      0,
      2,
      -1,
      { 3, 7 },
      { -1, -1 },
      { -1, -1 },
      { -1, -1 },
      10,
      0,
      { 4, 10 } },
    { "saturated-looking",
      2,
      1,
      2,
      1,
      { 1, 2 },
      { -1, -1 },
      { -1, 0 },
      { -1, -1 },
      2,
      1,
      { 1, 2 } },
};

static void
test_scale_rows (void)
{
    g_test_summary ("docs/design.md K6 and K11.10 (Kubernetes' TestScale): "
                    "scale() of a scaling event, every row of the table");
    for (guint i = 0; i < G_N_ELEMENTS (scale_rows); i++) {
        const ScaleRow *row = &scale_rows[i];
        SimK8sScaleRs rs[3];
        gint status = 0;

        for (gint j = 0; j < row->n; j++) {
            rs[j].spec = row->spec[j];
            rs[j].ann_max = row->ann_max[j] >= 0 ? row->ann_max[j]
                                                 : row->old_r + row->old_surge;
            rs[j].ann_desired = row->ann_desired[j] >= 0 ? row->ann_desired[j]
                                                         : row->old_r;
            rs[j].available = row->available[j] >= 0 ? row->available[j]
                                                     : row->spec[j];
            status += row->spec[j];
        }
        sim_k8s_scale_event (rs, (guint) row->n, row->new_index, row->r,
                             row->surge, TRUE, status);
        for (gint j = 0; j < row->n; j++) {
            if (rs[j].spec != row->want[j])
                g_test_message ("%s: ReplicaSet %d got %d, want %d", row->name,
                                j, rs[j].spec, row->want[j]);
            g_assert_cmpint (rs[j].spec, ==, row->want[j]);
        }
    }
}

/* --- Argo Rollouts: promote, promote-full, abort, retry, pause, scale ---------- */

/* R 10, default 25%/25% (surge 3, unavailable 2), steps with indefinite
 * pauses so that a promote is needed, canary pods available 10 s after
 * creation, every delay 0: the idealised model of design.md A1.5. */
static const char canary_ini[] = "[scenario]\n"
                                 "name = argo-test\n"
                                 "duration = 200s\n"
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
                                 "[version.v3]\n"
                                 "pull = const(0s)\n"
                                 "startup = const(10s)\n"
                                 "[traffic]\n"
                                 "rate = 0\n"
                                 "[strategy]\n"
                                 "type = canary\n"
                                 "[strategy.canary]\n"
                                 "steps = set-weight 30; pause; set-weight "
                                 "60; pause; set-weight 100\n"
                                 "[rollout]\n"
                                 "at = 10s\n"
                                 "to = v2\n";

typedef struct {
    const char *name;
    const char *doc;
    const char *sets[6];
    const char *walk; /* ReplicaSet scalings and router weights */
    double end_s;     /* NAN: the last rollout did not end */
    SimOutcome outcome;
    gint rollouts;
} ArgoCase;

/* ReplicaSet scalings ("t=S NAME=N") and router weights ("t=S weight
 * VERSION N"), in order. */
static char *
argo_walk (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_REPLICASET_SCALED
            || r->kind == SIM_EVENT_REPLICASET_CREATED)
            g_string_append_printf (s, "t=%g %s=%" G_GINT64_FORMAT "\n",
                                    SIM_TIME_TO_SEC (r->time), r->object,
                                    r->value);
        else if (r->kind == SIM_EVENT_WEIGHT_SET
                 && g_strcmp0 (r->object, "router") == 0)
            g_string_append_printf (s, "t=%g weight %s %" G_GINT64_FORMAT "\n",
                                    SIM_TIME_TO_SEC (r->time), r->version,
                                    r->value);
    }
    return g_string_free (s, FALSE);
}

/* Canary walks worked out from design.md A1.5 (basic: the replica
 * arithmetic with its budget, one ReplicaSet change per reconcile,
 * stable first) and A1.6 (router: canary ceil(w * R / 100), stable R;
 * the weight moves once the canary is at its count), with the commands
 * of design.md H7.2.  Without any
 * command the rollout stops at step 2, a pause with no duration, at
 * t=20: basic (canary 3, stable 7), routed (canary 3 at 30%). */
static const ArgoCase argo_cases[] = {
    { "canary-basic-promote",
      "promote at 40 ends the pause step: set-weight 60 from (3, 7) as the "
      "derived illustration of A1.5 (stable 5, canary 6; stable 4 when the "
      "canary is available at 50); promote at 70: stable 2, canary 10, "
      "stable 0 at 80, promoted",
      { "timeline.actions=40s promote; 70s promote", NULL },
      "t=0 v1=10\nt=10 v2=0\nt=10 v1=8\nt=10 v2=3\nt=20 v1=7\nt=40 v1=5\n"
      "t=40 v2=6\nt=50 v1=4\nt=70 v1=2\nt=70 v2=10\nt=80 v1=0\n",
      80.0,
      SIM_OUTCOME_COMPLETED,
      1 },
    { "canary-router-promote",
      "with a router the stable keeps 10 pods; canary 6 at 40, weight 60 "
      "once available (50), canary 10 at 70, weight 100 at 80, promoted "
      "there, and the old stable goes scale_down_delay (30 s) later",
      { "timeline.actions=40s promote; 70s promote",
        "strategy.canary.traffic_routing=weighted", NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=20 weight v2 "
      "30\nt=40 v2=6\nt=50 weight v2 60\nt=70 v2=10\nt=80 weight v2 "
      "100\nt=110 v1=0\n",
      110.0,
      SIM_OUTCOME_COMPLETED,
      1 },
    { "canary-basic-promote-full",
      "promote --full at 25 from (3, 7): weight 100, steps skipped; the "
      "budget (max total 13, min available 8) gives stable 5 (budget 2), "
      "then canary 8 (room 5); at 35 (canary 8 available) stable 0 "
      "(budget 5), canary 10; promoted at 45 when all 10 are available",
      { "timeline.actions=25s promote-full", NULL },
      "t=0 v1=10\nt=10 v2=0\nt=10 v1=8\nt=10 v2=3\nt=20 v1=7\nt=25 v1=5\n"
      "t=25 v2=8\nt=35 v1=0\nt=35 v2=10\n",
      45.0,
      SIM_OUTCOME_COMPLETED,
      1 },
    { "canary-router-promote-full",
      "promote --full at 25 with a router: canary to 10 at once, the weight "
      "kept at 30 until the promotion at 35, then 100; the old stable goes "
      "at 65",
      { "timeline.actions=25s promote-full",
        "strategy.canary.traffic_routing=weighted", NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=20 weight v2 "
      "30\nt=25 v2=10\nt=35 weight v2 100\nt=65 v1=0\n",
      65.0,
      SIM_OUTCOME_COMPLETED,
      1 },
    { "canary-basic-abort-retry",
      "abort at 25 from (3, 7): weight 0; stable first to 10 (room 3), "
      "then canary down within the budget (toDown 3 + 7 = 10, min 8: "
      "canary 1); at 35 the stable's new pods are available and the canary "
      "goes to 0.  retry at 60: step 1 again from (0, 10): stable 8, canary "
      "3, stable 7 at 70, paused; the run ends unfinished, two rollouts",
      { "timeline.actions=25s abort; 60s retry", NULL },
      "t=0 v1=10\nt=10 v2=0\nt=10 v1=8\nt=10 v2=3\nt=20 v1=7\nt=25 v1=10\n"
      "t=25 v2=1\nt=35 v2=0\nt=60 v1=8\nt=60 v2=3\nt=70 v1=7\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      2 },
    { "canary-router-abort-retry",
      "abort at 25 with a router and a static stable: weight 0 at once, the "
      "canary kept abort_scale_down_delay (30 s) after the stable is full "
      "(it always was): 0 at 55.  retry at 100: canary 3, weight 30 at 110",
      { "timeline.actions=25s abort; 100s retry",
        "strategy.canary.traffic_routing=weighted", NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=20 weight v2 "
      "30\nt=25 weight v2 0\nt=55 v2=0\nt=100 v2=3\nt=110 weight v2 30\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      2 },
    { "canary-router-rollover",
      "set-image v3 at 25 with a router: resetRolloutStatus, v3 created "
      "empty; with no v3 pod available the router sends v3 0 and the stable "
      "everything (it is full), so v2 is no longer referenced and goes to 0 "
      "after v3 gets its 3 pods (one change per reconcile); weight 30 to v3 "
      "at 35",
      { "timeline.actions=25s set-image v3",
        "strategy.canary.traffic_routing=weighted", NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=20 weight v2 "
      "30\nt=25 v3=0\nt=25 weight v3 0\nt=25 v3=3\nt=25 v2=0\nt=35 weight "
      "v3 30\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      2 },
    { "canary-basic-rollover",
      "set-image v3 at 25 without a router: v3 at (3, 7) within the surge "
      "(room 3) while the other ReplicaSet v2 holds pods; then v2 shrinks "
      "by available(all) - (R - unavailable) = 10 - 8 = 2, and to 0 when "
      "v3's pods are available at 35",
      { "timeline.actions=25s set-image v3", NULL },
      "t=0 v1=10\nt=10 v2=0\nt=10 v1=8\nt=10 v2=3\nt=20 v1=7\nt=25 v3=0\n"
      "t=25 v3=3\nt=25 v2=1\nt=35 v2=0\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      2 },
    { "canary-router-undo-fast-rollback",
      "undo at 25 with a router: the previous revision is the stable's "
      "template, a fast rollback (no steps): everything to v1 at once, and "
      "v2, no longer referenced, to 0; the second rollout completes at "
      "once",
      { "timeline.actions=25s undo", "strategy.canary.traffic_routing=weighted",
        NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=20 weight v2 "
      "30\nt=25 weight v1 100\nt=25 v2=0\n",
      25.0,
      SIM_OUTCOME_COMPLETED,
      2 },
    { "canary-router-scale-pause",
      "scale to 20 at 25 (routed, no dynamic stable scale): stable 20, "
      "canary ceil(30% x 20) = 6; a user pause from 40 to 60 moves "
      "nothing; promote at 70 ends the pause step: canary 12, weight 60 "
      "at 80",
      { "timeline.actions=25s scale 20; 40s pause; 60s resume; 70s promote",
        "strategy.canary.traffic_routing=weighted", NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=20 weight v2 "
      "30\nt=25 v1=20\nt=25 v2=6\nt=70 v2=12\nt=80 weight v2 60\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      1 },
    { "canary-router-paused-halts",
      "a user pause at 15, before the canary's pods are available (20): "
      "neither the weight nor any ReplicaSet moves until the resume at 50; "
      "then weight 30 at once (the canary is at its count)",
      { "timeline.actions=15s pause; 50s resume",
        "strategy.canary.traffic_routing=weighted", NULL },
      "t=0 v1=10\nt=10 weight v2 0\nt=10 v2=0\nt=10 v2=3\nt=50 weight v2 "
      "30\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      1 },
};

/* Run case @c on @ini and compare what @walk reads of the run, the
 * outcome, the rollouts and the end with the case's. */
static void
check_argo_case (const ArgoCase *c, const char *ini,
                 char *(*walk_of) (SimWorld *w))
{
    g_autoptr (SimScenario) sc = sim_test_scenario (ini, c->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *walk = walk_of (w);
    SimSummary s;

    g_test_message ("%s", c->doc);
    g_assert_cmpstr (walk, ==, c->walk);
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, c->outcome);
    g_assert_cmpint (s.rollouts, ==, c->rollouts);
    if (!isnan (c->end_s))
        g_assert_cmpfloat (s.rollout_end / 1e6, ==, c->end_s);
    sim_test_assert_conserved (w, c->name);
    sim_world_free (w);
}

static void
test_argo (gconstpointer data)
{
    g_test_summary ("design.md H7.2 on an Argo "
                    "canary: the ReplicaSet sizes and router weights after "
                    "promote, promote --full, abort, retry, a rollover, "
                    "scale and pause, worked out by hand");
    check_argo_case (data, canary_ini, argo_walk);
}

/* Blue-green: R 3, pods available 10 s after creation, pre-promotion
 * analysis on 20 requests/s of preview traffic, every 10 s, 2 passes. */
static const char bg_ini[] = "[scenario]\n"
                             "name = argo-bg-test\n"
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
                             "[version.v2]\n"
                             "pull = const(0s)\n"
                             "startup = const(10s)\n"
                             "[traffic]\n"
                             "rate = 20\n"
                             "preview_rate = 20\n"
                             "[strategy]\n"
                             "type = bluegreen\n"
                             "[strategy.bluegreen]\n"
                             "pre_promotion_analysis = true\n"
                             "[analysis]\n"
                             "metrics = error_rate < 0.01\n"
                             "interval = 10s\n"
                             "count = 2\n"
                             "[rollout]\n"
                             "at = 10s\n"
                             "to = v2\n";

/* Services switched, ReplicaSets scaled, and the milestones. */
static char *
bg_walk (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        const char *what = NULL;

        switch (r->kind) {
        case SIM_EVENT_REPLICASET_SCALED:
        case SIM_EVENT_REPLICASET_CREATED:
            g_string_append_printf (s, "t=%g %s=%" G_GINT64_FORMAT "\n",
                                    SIM_TIME_TO_SEC (r->time), r->object,
                                    r->value);
            continue;
        case SIM_EVENT_SERVICE_SWITCHED:
            g_string_append_printf (s, "t=%g %s->%s\n",
                                    SIM_TIME_TO_SEC (r->time), r->object,
                                    r->version);
            continue;
        case SIM_EVENT_ANALYSIS:
            what = "analysis";
            break;
        case SIM_EVENT_PAUSED:
            what = "paused";
            break;
        case SIM_EVENT_PROMOTED:
            what = "promoted";
            break;
        case SIM_EVENT_ABORTED:
            what = "aborted";
            break;
        case SIM_EVENT_ROLLOUT_STARTED:
            what = "started";
            break;
        default:
            continue;
        }
        g_string_append_printf (s, "t=%g %s\n", SIM_TIME_TO_SEC (r->time),
                                what);
    }
    return g_string_free (s, FALSE);
}

/* Worked out from design.md A2 ("What the active Service sends where"):
 * green (all 3) is available at 20, the pre-promotion analysis measures
 * at 30 and 40, then the pause. */
static const ArgoCase bg_cases[] = {
    { "bluegreen-promote",
      "auto_promotion false: paused at 40 waiting for a promote; promote "
      "at 50 ends the BlueGreenPause, green is saturated: the active "
      "Service switches at once, green is stable (no post-promotion "
      "analysis) and blue goes scale_down_delay (30 s) later",
      { "strategy.bluegreen.auto_promotion=false",
        "timeline.actions=50s promote", NULL },
      "t=0 v1=3\nt=10 started\nt=10 v2=3\nt=10 active->v1\nt=10 "
      "preview->v2\nt=30 analysis\nt=40 analysis\nt=40 paused\nt=50 "
      "active->v2\nt=50 promoted\nt=80 v1=0\n",
      50.0,
      SIM_OUTCOME_COMPLETED,
      1 },
    { "bluegreen-promote-full",
      "preview_replicas 1, promote --full at 15: green to full size at "
      "once (no pre-promotion analysis, no pause); its first pod is "
      "available at 20, the two added at 15 at 25: saturated, switched and "
      "stable at 25; blue goes at 55",
      { "strategy.bluegreen.preview_replicas=1",
        "timeline.actions=15s promote-full", NULL },
      "t=0 v1=3\nt=10 started\nt=10 v2=1\nt=10 active->v1\nt=10 "
      "preview->v2\nt=15 v2=3\nt=25 active->v2\nt=25 promoted\nt=55 "
      "v1=0\n",
      25.0,
      SIM_OUTCOME_COMPLETED,
      1 },
    { "bluegreen-pre-analysis-keeps-running",
      "issue 11, finding F5: a green pod deleted at 25 while the "
      "pre-promotion analysis runs (started at 20); its replacement is "
      "Ready at 35; the run is not restarted (Argo v1.10+, "
      "skipPrePromotionAnalysisRun): measurements 1 and 2 at 30 and 40, "
      "then the pause",
      { "strategy.bluegreen.auto_promotion=false",
        "timeline.actions=25s delete-pods v2 1", NULL },
      "t=0 v1=3\nt=10 started\nt=10 v2=3\nt=10 active->v1\nt=10 "
      "preview->v2\nt=30 analysis\nt=40 analysis\nt=40 paused\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      1 },
    { "bluegreen-abort-retry",
      "abort at 50 while paused: production stays on blue, green is held "
      "abort_scale_down_delay (30 s; blue is full) and goes at 80; retry "
      "at 100: green back to 3 pods (available at 110), the "
      "pre-promotion analysis again (120, 130), paused again at 130",
      { "strategy.bluegreen.auto_promotion=false",
        "timeline.actions=50s abort; 100s retry", NULL },
      "t=0 v1=3\nt=10 started\nt=10 v2=3\nt=10 active->v1\nt=10 "
      "preview->v2\nt=30 analysis\nt=40 analysis\nt=40 paused\nt=50 "
      "aborted\nt=80 v2=0\nt=100 started\nt=100 v2=3\nt=120 analysis\n"
      "t=130 analysis\nt=130 paused\n",
      NAN,
      SIM_OUTCOME_UNFINISHED,
      2 },
};

static void
test_bluegreen (gconstpointer data)
{
    g_test_summary ("design.md H7.2 and A2 on an Argo "
                    "blue-green: promote, promote --full, abort and retry "
                    "as the Services, ReplicaSets and analyses show them");
    check_argo_case (data, bg_ini, bg_walk);
}

/* --- Node failure (design.md H5, worked example N1) ---------------------------- */

/* Three nodes, one pod each (the scheduler spreads them), v1.28
 * defaults: monitor passes every 5 s from t = 0, grace 40 s,
 * tolerationSeconds 300; 30 requests/s, client timeout 10 s, endpoint
 * changes reach the balancers 1 s later. */
static const char node_ini[] = "[scenario]\n"
                               "name = node-test\n"
                               "duration = 400s\n"
                               "[cluster]\n"
                               "nodes = 3\n"
                               "controller_delay = 0s\n"
                               "schedule_delay = 0s\n"
                               "[deployment]\n"
                               "replicas = 3\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "pull = const(0s)\n"
                               "startup = const(5s)\n"
                               "[version.v2]\n"
                               "pull = fail\n"
                               "[traffic]\n"
                               "rate = 30\n"
                               "[strategy]\n"
                               "type = rolling\n";

/* Rows about nodes, and pod rows of @pod, as "t=S KIND OBJECT". */
static char *
node_rows (SimWorld *w, const char *pod)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        const char *kind = sim_event_kind_name (r->kind);

        if (g_str_has_prefix (kind, "node-")
            || (pod != NULL && strcmp (r->object, pod) == 0))
            g_string_append_printf (s, "t=%g %s %s\n",
                                    SIM_TIME_TO_SEC (r->time), kind, r->object);
    }
    return g_string_free (s, FALSE);
}

typedef struct {
    const char *name;
    const char *doc;
    const char *sets[6];
    const char *rows; /* node_rows for v1-1 */
} NodeCase;

static const NodeCase node_cases[] = {
    { "N1",
      "design.md H5 example N1: node-1 fails at t=0, its heartbeat then; "
      "the first pass strictly after 0 + 40 s is at 45 (5 s spacing): "
      "Ready=Unknown and its pod not ready, out of the endpoints 1 s later "
      "(46); the next pass queues the NoExecute taint (50, the rate "
      "limiter's token is there); tolerationSeconds 300 later (350) the "
      "taint manager evicts the pod, which stays Terminating (the kubelet "
      "is gone) while its ReplicaSet replaces it on another node",
      { "timeline.actions=0s node-fail node-1", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=45 node-not-ready node-1\nt=46 endpoint-removed v1-1\nt=50 "
      "node-tainted node-1\nt=350 pod-evicted v1-1\nt=350 pod-terminating "
      "v1-1\n" },
    { "N1-1.32",
      "Kubernetes 1.32+: grace 50 s, so every time 10 s later (55, 60, "
      "360)",
      { "timeline.actions=0s node-fail node-1",
        "cluster.node_monitor_grace=50s", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=55 node-not-ready node-1\nt=56 endpoint-removed v1-1\nt=60 "
      "node-tainted node-1\nt=360 pod-evicted v1-1\nt=360 pod-terminating "
      "v1-1\n" },
    { "N1-toleration-30s",
      "tolerationSeconds 30: the eviction at 50 + 30 = 80",
      { "timeline.actions=0s node-fail node-1",
        "deployment.toleration_seconds=30s", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=45 node-not-ready node-1\nt=46 endpoint-removed v1-1\nt=50 "
      "node-tainted node-1\nt=80 pod-evicted v1-1\nt=80 pod-terminating "
      "v1-1\n" },
    { "N1-heartbeat-later",
      "the node fails at 12: the first pass after 52 is 55; taint 60, "
      "eviction 360",
      { "timeline.actions=12s node-fail node-1", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=55 node-not-ready node-1\nt=56 endpoint-removed v1-1\nt=60 "
      "node-tainted node-1\nt=360 pod-evicted v1-1\nt=360 pod-terminating "
      "v1-1\n" },
    { "recovered-before-detection",
      "node-1 back at 20, before any pass saw it late: never NotReady; its "
      "pod's container starts again (not ready from 20, ready at 25)",
      { "timeline.actions=0s node-fail node-1; 20s node-recover node-1", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=20 pod-started v1-1\nt=21 endpoint-removed v1-1\nt=25 pod-ready "
      "v1-1\nt=25 pod-available v1-1\nt=26 endpoint-added v1-1\n" },
    { "recovered-after-eviction",
      "node-1 back at 380 (after the eviction at 350): the deleted pod is "
      "gone at once; the next pass (380) sees the heartbeat: Ready, taints "
      "removed",
      { "timeline.actions=0s node-fail node-1; 380s node-recover node-1",
        NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=45 node-not-ready node-1\nt=46 endpoint-removed v1-1\nt=50 "
      "node-tainted node-1\nt=350 pod-evicted v1-1\nt=350 pod-terminating "
      "v1-1\nt=380 pod-deleted v1-1\nt=380 node-ready node-1\n" },
    { "two-nodes-rate-limited",
      "node-1 and node-2 of 5 fail at 0 (40%, a healthy zone): both "
      "NotReady at 45 and queued at 50; the taint queue's rate 0.1 node/s "
      "(burst 1) taints node-1 at 50 and node-2 at 60",
      { "timeline.actions=0s node-fail node-1; 0s node-fail node-2",
        "cluster.nodes=5", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=45 node-not-ready node-1\nt=45 node-not-ready node-2\nt=46 "
      "endpoint-removed v1-1\nt=50 node-tainted node-1\nt=60 node-tainted "
      "node-2\nt=350 pod-evicted v1-1\nt=350 pod-terminating v1-1\n" },
    { "zone-partly-disrupted",
      "3 of 5 nodes fail (60%, at least 55% with more than 2 nodes and at "
      "most 50): the secondary rate is 0, nothing is tainted, nothing "
      "evicted",
      { "timeline.actions=0s node-fail node-1; 0s node-fail node-2; 0s "
        "node-fail node-3",
        "cluster.nodes=5", NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=45 node-not-ready node-1\nt=45 node-not-ready node-2\nt=45 "
      "node-not-ready node-3\nt=46 endpoint-removed v1-1\n" },
    { "zone-fully-disrupted",
      "every node fails: full disruption, no taint at all",
      { "timeline.actions=0s node-fail node-1; 0s node-fail node-2; 0s "
        "node-fail node-3",
        NULL },
      "t=0 pod-created v1-1\nt=0 pod-scheduled v1-1\nt=0 pod-ready v1-1\n"
      "t=0 pod-available v1-1\n"
      "t=45 node-not-ready node-1\nt=45 node-not-ready node-2\nt=45 "
      "node-not-ready node-3\nt=46 endpoint-removed v1-1\n" },
};

static void
test_node (gconstpointer data)
{
    const NodeCase *c = data;
    g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, c->sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *rows = node_rows (w, "v1-1");

    g_test_summary ("docs/design.md H5 (and its example "
                    "N1): a node failure's timeline, pinned by the node "
                    "lifecycle controller's passes from t = 0");
    g_test_message ("%s", c->doc);
    g_assert_cmpstr (rows, ==, c->rows);
    sim_test_assert_conserved (w, c->name);
    sim_world_free (w);
}

static void
test_node_requests (void)
{
    const char *sets[] = { "timeline.actions=0s node-fail node-1", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimEventLog *log = sim_world_events (w);
    const SimMetrics *m = sim_world_metrics (w);
    SimTime last_timeout = -1;
    SimSummary s;

    g_test_summary ("docs/design.md H5.1 and H5.3: requests sent to a dead "
                    "node's pod get no answer until its endpoint is "
                    "removed (46 s): they time out at the client (10 s), "
                    "the last at 56 s; after that, and before the "
                    "replacement is needed, nothing fails");
    sim_world_summary (w, &s);
    for (guint i = 0; i < m->timeseries->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                    SimTimeseriesRow, i);

        if (r->c.cause[SIM_CAUSE_TIMEOUT] > 0)
            last_timeout = r->time;
    }
    g_assert_cmpuint (s.total.cause[SIM_CAUSE_TIMEOUT], >, 0);
    g_assert_cmpuint (s.total.errors, ==, s.total.cause[SIM_CAUSE_TIMEOUT]);
    g_assert_cmpint (last_timeout, >, 50 * SIM_SEC);
    g_assert_cmpint (last_timeout, <=, 57 * SIM_SEC);
    (void) log;
    sim_world_free (w);
}

static void
test_node_add_busiest (void)
{
    const char *sets[] = { "timeline.actions=10s node-add 2; 20s node-cordon "
                           "node-5; 30s node-fail busiest",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *rows = node_rows (w, NULL);

    g_test_summary ("node-add makes node-4 and node-5 (named in order), a "
                    "node added earlier in the timeline may be named; "
                    "busiest is the node with most pods of the application, "
                    "ties to the lowest number: node-1 of three holding one "
                    "pod each");
    g_assert_cmpstr (rows, ==,
                     "t=10 node-added node-4\nt=10 node-added node-5\n"
                     "t=20 node-cordoned node-5\nt=75 node-not-ready "
                     "node-1\nt=80 node-tainted node-1\n");
    sim_world_free (w);
}

static void
test_pull_fail (void)
{
    const char *sets[] = { "rollout.at=10s",
                           "rollout.to=v2",
                           "deployment.progress_deadline=60s",
                           "strategy.rolling.max_surge=1",
                           "strategy.rolling.max_unavailable=0",
                           NULL };
    g_autoptr (SimScenario) sc = NULL;
    g_autofree char *ini = g_strconcat (node_ini, "[rollout]\n", NULL);
    SimWorld *w;
    g_autofree char *pulls = NULL;
    g_autofree char *deadline = NULL;
    SimSummary s;

    g_test_summary ("pull = fail: ErrImagePull, then ImagePullBackOff 10 s "
                    "doubling to 300 s (attempts at 10, 20, 40, 80, 160, "
                    "320); no progress after the new pod appears at 10, so "
                    "the 60 s deadline is exceeded at 10 + 60 + 1 = 71 and "
                    "the rollout ends stalled");
    sc = sim_test_scenario (ini, sets);
    w = sim_test_run (sc);
    pulls = rows_of (w, SIM_EVENT_POD_PULL_FAILED);
    deadline = rows_of (w, SIM_EVENT_PROGRESS_DEADLINE);
    g_assert_cmpstr (
        pulls, ==,
        "t=10 v2-1 ErrImagePull: v2 cannot be pulled (attempt 1); "
        "ImagePullBackOff, next attempt in 10s\n"
        "t=20 v2-1 ErrImagePull: v2 cannot be pulled (attempt 2); "
        "ImagePullBackOff, next attempt in 20s\n"
        "t=40 v2-1 ErrImagePull: v2 cannot be pulled (attempt 3); "
        "ImagePullBackOff, next attempt in 40s\n"
        "t=80 v2-1 ErrImagePull: v2 cannot be pulled (attempt 4); "
        "ImagePullBackOff, next attempt in 80s\n"
        "t=160 v2-1 ErrImagePull: v2 cannot be pulled (attempt 5); "
        "ImagePullBackOff, next attempt in 160s\n"
        "t=320 v2-1 ErrImagePull: v2 cannot be pulled (attempt 6); "
        "ImagePullBackOff, next attempt in 300s\n");
    g_assert_cmpstr (deadline, ==,
                     "t=71 deployment Progressing=False "
                     "ProgressDeadlineExceeded\n");
    sim_world_summary (w, &s);
    g_assert_cmpint (s.outcome, ==, SIM_OUTCOME_STALLED);
    sim_world_free (w);
}

/* --- PodDisruptionBudget, evictions, drain (design.md H6) ---------------------- */

typedef struct {
    const char *name;
    const char *budget; /* --set */
    gint pods, healthy, scale;
    gint desired, allowed;
} PdbRow;

/* design.md H6 examples P1-P7 (R = 5, five Ready pods unless said). */
static const PdbRow pdb_rows[] = {
    { "P1", "disruption.min_available=80%", 5, 5, 5, 4, 1 },
    { "P2", "disruption.max_unavailable=30%", 5, 5, 5, 3, 2 },
    { "P3", "disruption.min_available=50%", 5, 5, 5, 3, 2 },
    { "P4", "disruption.min_available=4", 5, 5, 5, 4, 1 },
    { "P5", "disruption.max_unavailable=0", 5, 5, 5, 5, 0 },
    { "P6", "disruption.max_unavailable=1", 5, 4, 5, 4, 0 },
    { "P7", "disruption.min_available=80%", 6, 6, 5, 4, 2 },
};

static void
test_pdb_rows (void)
{
    g_test_summary ("design.md H6 examples P1-P7: the "
                    "disruption controller's desired healthy pods and "
                    "allowed disruptions; percentages round up in both "
                    "fields; P6 one pod NotReady; P7 a rollout's surge pod "
                    "Ready counts as healthy against R's budget");
    for (guint i = 0; i < G_N_ELEMENTS (pdb_rows); i++) {
        const PdbRow *row = &pdb_rows[i];
        const char *sets[] = { row->budget, NULL };
        g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, sets);
        const SimDisruptionSettings *ds = sim_scenario_group (
            sc, &sim_disruption_settings_group);
        SimPdbStatus st;

        sim_pdb_compute (ds, row->pods, row->healthy, row->scale, &st);
        g_test_message ("%s: desired %d allowed %d", row->name,
                        st.desired_healthy, st.allowed);
        g_assert_cmpint (st.desired_healthy, ==, row->desired);
        g_assert_cmpint (st.allowed, ==, row->allowed);
    }
}

/* Pod rows of the drain: evictions, refusals, deletions. */
static char *
drain_rows (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_POD_EVICTED
            || r->kind == SIM_EVENT_EVICTION_REFUSED
            || r->kind == SIM_EVENT_POD_DELETED
            || r->kind == SIM_EVENT_NODE_CORDONED)
            g_string_append_printf (s, "t=%g %s %s\n",
                                    SIM_TIME_TO_SEC (r->time),
                                    sim_event_kind_name (r->kind), r->object);
    }
    return g_string_free (s, FALSE);
}

static void
test_d1 (void)
{
    const char *sets[] = { "deployment.replicas=6",
                           "version.v1.startup=const(20s)",
                           "deployment.pre_stop=30s",
                           "traffic.rate=0",
                           "disruption.max_unavailable=1",
                           "timeline.actions=10s node-drain node-1",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *rows = drain_rows (w);
    g_autofree char *refused = rows_of (w, SIM_EVENT_EVICTION_REFUSED);

    g_test_summary ("design.md H6 example D1: drain of "
                    "node-1 holding 2 of 6 pods, maxUnavailable 1, a "
                    "replacement Ready 20 s after its eviction, pods taking "
                    "their 30 s grace: at 10 v1-1 is evicted (allowed 1 -> "
                    "0) and v1-4 refused; v1-4 retried every 5 s, refused at "
                    "15, 20, 25, evicted at 30 once v1-1's replacement is "
                    "Ready (the budget is read fresh); v1-1 gone at 40, "
                    "v1-4 at 60, when the drain returns");
    g_assert_cmpstr (rows, ==,
                     "t=10 node-cordoned node-1\nt=10 pod-evicted v1-1\n"
                     "t=10 eviction-refused v1-4\nt=15 eviction-refused "
                     "v1-4\nt=20 eviction-refused v1-4\nt=25 "
                     "eviction-refused v1-4\nt=30 pod-evicted v1-4\nt=40 "
                     "pod-deleted v1-1\nt=60 pod-deleted v1-4\n");
    g_assert_true (g_str_has_prefix (
        refused, "t=10 v1-4 PDB allows 0 disruptions, 5 healthy of 5 "
                 "desired\n"));
    sim_world_free (w);
}

static void
test_p5_drain_blocked (void)
{
    const char *sets[] = { "disruption.max_unavailable=0",
                           "timeline.actions=10s node-drain node-1",
                           "scenario.duration=60s", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *rows = drain_rows (w);

    g_test_summary ("design.md H6 example P5: maxUnavailable 0 allows no "
                    "disruption: every eviction is refused (429) and the "
                    "drain retries every 5 s for ever (here to the run's end "
                    "at 60, inclusive); the pod stays");
    g_assert_cmpstr (rows, ==,
                     "t=10 node-cordoned node-1\nt=10 eviction-refused "
                     "v1-1\nt=15 eviction-refused v1-1\nt=20 "
                     "eviction-refused v1-1\nt=25 eviction-refused v1-1\n"
                     "t=30 eviction-refused v1-1\nt=35 eviction-refused "
                     "v1-1\nt=40 eviction-refused v1-1\nt=45 "
                     "eviction-refused v1-1\nt=50 eviction-refused v1-1\n"
                     "t=55 eviction-refused v1-1\nt=60 eviction-refused "
                     "v1-1\n");
    sim_world_free (w);
}

static void
test_p6_not_ready (void)
{
    const char *sets[] = { "cluster.nodes=5",
                           "deployment.replicas=5",
                           "disruption.max_unavailable=1",
                           "timeline.actions=0s node-fail node-1; 50s "
                           "node-drain node-2; 51s node-drain node-1",
                           "scenario.duration=100s",
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (node_ini, sets);
    SimWorld *w = sim_test_run (sc);
    g_autofree char *rows = drain_rows (w);

    g_test_summary ("design.md H6 example P6: maxUnavailable 1, R 5, one "
                    "pod NotReady (its node failed: marked at 45): healthy "
                    "4, desired 4, allowed 0: a Ready pod's eviction gets "
                    "429 (drain of node-2 at 50, retried at 55), the "
                    "NotReady pod's goes through (drain of node-1 at 51: "
                    "4 >= 4 > 0, IfHealthyBudget; it stays Terminating on "
                    "its dead node); once its replacement is Ready (56) "
                    "the retry at 60 succeeds");
    g_assert_cmpstr (rows, ==,
                     "t=50 node-cordoned node-2\nt=50 eviction-refused "
                     "v1-2\nt=51 node-cordoned node-1\nt=51 pod-evicted "
                     "v1-1\nt=55 eviction-refused v1-2\nt=60 pod-evicted "
                     "v1-2\nt=60 pod-deleted v1-2\n");
    sim_world_free (w);
}

static void
test_argo_restart (void)
{
    const char *blocked[] = { "timeline.actions=20s restart",
                              "disruption.max_unavailable=0",
                              "scenario.duration=90s", NULL };
    static const char ini[] = "[deployment]\n"
                              "replicas = 4\n"
                              "version = v1\n"
                              "[version.v1]\n"
                              "pull = const(0s)\n"
                              "startup = const(5s)\n"
                              "[cluster]\n"
                              "controller_delay = 0s\n"
                              "[traffic]\n"
                              "rate = 0\n"
                              "[strategy]\n"
                              "type = canary\n"
                              "[strategy.canary]\n"
                              "steps = set-weight 50\n";
    g_autoptr (SimScenario) a = NULL;
    g_autoptr (SimScenario) b = sim_test_scenario (ini, blocked);
    SimWorld *wa, *wb;
    g_autofree char *ra = NULL, *rb = NULL;

    g_test_summary ("kubectl argo rollouts restart (rollout/restart.go, "
                    "design.md H7.3): pods created before restartAt evicted "
                    "max(maxUnavailable 25% of 4 = 1, 1) at a time while "
                    "available - (max(R, total) - 1) > 0: one every 5 s as "
                    "each replacement becomes ready (20, 25, 30, 35); with "
                    "a budget of 0 every eviction is refused and retried "
                    "30 s later (restartPodCheckTime)");
    a = sim_test_scenario (ini,
                           (const char *[]) { "timeline.actions=20s "
                                              "restart",
                                              "scenario.duration=90s", NULL });
    wa = sim_test_run (a);
    wb = sim_test_run (b);
    ra = drain_rows (wa);
    rb = drain_rows (wb);
    g_assert_cmpstr (ra, ==,
                     "t=20 pod-evicted v1-1\nt=20 pod-deleted v1-1\nt=25 "
                     "pod-evicted v1-2\nt=25 pod-deleted v1-2\nt=30 "
                     "pod-evicted v1-3\nt=30 pod-deleted v1-3\nt=35 "
                     "pod-evicted v1-4\nt=35 pod-deleted v1-4\n");
    /* A refused eviction leaves the allowance unspent: the loop tries
     * the next old pod, so each attempt refuses all four. */
    g_assert_cmpstr (rb, ==,
                     "t=20 eviction-refused v1-1\nt=20 eviction-refused "
                     "v1-2\nt=20 eviction-refused v1-3\nt=20 "
                     "eviction-refused v1-4\nt=50 eviction-refused v1-1\n"
                     "t=50 eviction-refused v1-2\nt=50 eviction-refused "
                     "v1-3\nt=50 eviction-refused v1-4\nt=80 "
                     "eviction-refused v1-1\nt=80 eviction-refused v1-2\n"
                     "t=80 eviction-refused v1-3\nt=80 eviction-refused "
                     "v1-4\n");
    sim_world_free (wa);
    sim_world_free (wb);
}

/* --- Invariants under random timelines (design.md 8.2) ---------------------- */

/* Random rollout, settings and actions; the same stream every run. */
static char *
random_actions (SimRng *rng, const char *const *pool, guint n_pool, gint n,
                SimTime span, gboolean *paused_at_end)
{
    GString *s = g_string_new (NULL);
    gboolean paused = FALSE;

    for (gint i = 0; i < n; i++) {
        SimTime t = 11 * SIM_SEC
                    + (SimTime) sim_rng_below (rng, (guint32) (span / SIM_SEC))
                          * SIM_SEC;
        const char *a = pool[sim_rng_below (rng, n_pool)];
        g_autofree char *ts = sim_units_format_duration (t);

        /* Guarded, so that a pause or resume the state does not allow is
         * an action-refused row, never a check error. */
        g_string_append_printf (s, "%s%s %s if-unfinished", i ? "; " : "", ts,
                                a);
        if (strcmp (a, "pause") == 0)
            paused = TRUE;
        if (strcmp (a, "resume") == 0)
            paused = FALSE;
    }
    *paused_at_end = paused;
    return g_string_free (s, FALSE);
}

/* Every pod of the application, at the end, on one version, R of them
 * available, nothing else left running. */
static void
assert_converged (SimWorld *w, const char *label)
{
    const SimDeploymentSpec *spec = sim_world_spec (w);
    gint on = -1;

    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);
        SimReplicaSetStatus st;

        sim_replica_set_status (rs, &st);
        if (st.replicas == 0 && sim_replica_set_spec (rs) == 0)
            continue;
        if (on >= 0 || st.available != spec->replicas
            || sim_replica_set_spec (rs) != spec->replicas)
            g_error ("%s: not converged: %s spec %d, %d available of %d "
                     "pods, R %d",
                     label, sim_replica_set_name (rs),
                     sim_replica_set_spec (rs), st.available, st.replicas,
                     spec->replicas);
        on = (gint) i;
    }
    g_assert_cmpint (on, >=, 0);
}

static void
test_property_rolling (void)
{
    static const char *const spec_actions[] = {
        "pause",        "resume", "set-image v2", "set-image v3",
        "set-image v1", "undo",   "restart",
    };
    static const char *const any_actions[] = {
        "pause",
        "resume",
        "set-image v2",
        "set-image v3",
        "undo",
        "restart",
        "scale 2",
        "scale 7",
        "scale 12",
        "delete-pods v2 2",
        "rate 100",
        "error-rate v3 0.5",
        "node-fail node-2",
        "node-recover node-2",
        "node-drain node-3",
        "node-uncordon node-3",
    };
    SimRng rng;

    g_test_summary ("design.md 8.2 under random timelines (rolling): "
                    "requests are conserved; with spec actions only "
                    "(pause, resume, set-image, undo, restart) "
                    "non-terminating pods never exceed R + maxSurge and "
                    "available pods never drop below R - maxUnavailable, "
                    "as the Deployment controller guarantees; with any "
                    "actions (scale, faults, drains) the Deployment still "
                    "converges to R available pods of one template once "
                    "the actions stop");
    sim_rng_init (&rng, 20261207, 2);
    for (gint n = 0; n < 60; n++) {
        gboolean faults = n % 2 == 1, paused;
        gint r = 2 + (gint) sim_rng_below (&rng, 8);
        gint vs = (gint) sim_rng_below (&rng, 3),
             vu = (gint) sim_rng_below (&rng, 3);
        g_autofree char *label = NULL;
        g_autofree char *actions = NULL;
        g_autofree char *a_set = NULL, *r_set = NULL, *s_set = NULL,
                        *u_set = NULL, *resume = NULL;
        gint surge, unavailable, max_active, min_available;
        g_autoptr (SimScenario) sc = NULL;
        SimWorld *w;

        if (vs == 0 && vu == 0)
            vu = 1;
        actions = random_actions (&rng, faults ? any_actions : spec_actions,
                                  faults ? G_N_ELEMENTS (any_actions)
                                         : G_N_ELEMENTS (spec_actions),
                                  1 + (gint) sim_rng_below (&rng, 6),
                                  120 * SIM_SEC, &paused);
        /* Whatever happened, end resumed, the node back and uncordoned,
         * so the Deployment can converge. */
        resume = g_strdup_printf ("%s; 140s resume if-unfinished%s", actions,
                                  faults ? "; 141s node-recover node-2; 142s "
                                           "node-uncordon node-3"
                                         : "");
        a_set = g_strconcat ("timeline.actions=", resume, NULL);
        r_set = g_strdup_printf ("deployment.replicas=%d", r);
        s_set = g_strdup_printf ("strategy.rolling.max_surge=%d", vs);
        u_set = g_strdup_printf ("strategy.rolling.max_unavailable=%d", vu);
        {
            const char *sets[] = { a_set,
                                   r_set,
                                   s_set,
                                   u_set,
                                   "scenario.duration=20m",
                                   "traffic.rate=20",
                                   "deployment.toleration_seconds=30s",
                                   "cluster.nodes=6",
                                   NULL };

            label = g_strdup_printf ("rolling %d: R %d, surge %d, "
                                     "unavailable %d, %s",
                                     n, r, vs, vu, resume);
            sc = sim_test_scenario (base_ini, sets);
        }
        w = sim_test_run (sc);
        sim_test_assert_conserved (w, label);
        if (!faults) {
            sim_test_fenceposts (r, FALSE, vs, FALSE, vu, &surge, &unavailable);
            sim_test_pod_extremes (w, &max_active, &min_available);
            if (max_active > r + surge || min_available < r - unavailable)
                g_test_message ("%s: max active %d, min available %d", label,
                                max_active, min_available);
            g_assert_cmpint (max_active, <=, r + surge);
            g_assert_cmpint (min_available, >=, r - unavailable);
        }
        assert_converged (w, label);
        sim_world_free (w);
    }
}

static void
test_property_canary (void)
{
    static const char *const argo_actions[] = {
        "pause",   "resume",   "promote",      "promote-full",
        "abort",   "retry",    "set-image v3", "undo",
        "scale 6", "scale 12", "restart",      "delete-pods v2 1",
    };
    SimRng rng;

    g_test_summary ("design.md 8.2 under random timelines (canary with and "
                    "without a router, and blue-green): requests are "
                    "conserved, and once a final promote-full (or the "
                    "abort that is in force) has had its way, every pod "
                    "is on one version, R of them available");
    sim_rng_init (&rng, 20261207, 3);
    for (gint n = 0; n < 36; n++) {
        gboolean paused;
        const char *strategy = n % 3 == 2 ? "bluegreen" : "canary";
        const char *routing = n % 3 == 1 ? "weighted" : "none";
        g_autofree char *actions = random_actions (
            &rng, argo_actions, G_N_ELEMENTS (argo_actions),
            1 + (gint) sim_rng_below (&rng, 6), 120 * SIM_SEC, &paused);
        g_autofree char *all = g_strdup_printf (
            "%s; 140s resume if-unfinished; 141s promote-full", actions);
        g_autofree char *a_set = g_strconcat ("timeline.actions=", all, NULL);
        g_autofree char *t_set = g_strconcat ("strategy.type=", strategy, NULL);
        g_autofree char *r_set = g_strconcat (
            "strategy.canary.traffic_routing=", routing, NULL);
        g_autofree char *label = g_strdup_printf ("%s %s %d: %s", strategy,
                                                  routing, n, all);
        const char *sets[] = { a_set,
                               t_set,
                               r_set,
                               "scenario.duration=20m",
                               "traffic.rate=20",
                               "strategy.canary.steps=set-weight 30; pause "
                               "20s; set-weight 60; pause; set-weight 100",
                               "disruption.max_unavailable=1",
                               NULL };
        g_autoptr (SimScenario) sc = sim_test_scenario (canary_ini, sets);
        SimWorld *w = sim_test_run (sc);

        sim_test_assert_conserved (w, label);
        assert_converged (w, label);
        sim_world_free (w);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/timeline/scale/example-F", test_example_f);
    g_test_add_func ("/timeline/scale/test-scale-rows", test_scale_rows);
    for (guint i = 0; i < G_N_ELEMENTS (rollovers); i++) {
        g_autofree char *path = g_strdup_printf ("/timeline/rollover/%s",
                                                 rollovers[i].name);

        g_test_add_data_func (path, &rollovers[i], test_rollover);
    }
    g_test_add_func ("/timeline/undo/keeps-its-pods", test_undo_keeps_pods);
    g_test_add_func ("/timeline/traffic/rate-and-error-rate",
                     test_rate_actions);
    g_test_add_func ("/timeline/traffic/delete-pods", test_delete_pods);
    g_test_add_func ("/timeline/pause/resume", test_pause_resume);
    g_test_add_func ("/timeline/pause/at-start", test_paused_at_start);
    g_test_add_func ("/timeline/pause/freezes-deadline",
                     test_pause_freezes_deadline);
    g_test_add_func ("/timeline/restart/second-replicaset", test_restart);
    for (guint i = 0; i < G_N_ELEMENTS (refusals); i++) {
        g_autofree char *path = g_strdup_printf ("/timeline/refused/check/%s",
                                                 refusals[i].name);

        g_test_add_data_func (path, &refusals[i], test_refusal);
    }
    g_test_add_func ("/timeline/refused/run-time", test_refused_at_run_time);
    for (guint i = 0; i < G_N_ELEMENTS (argo_cases); i++) {
        g_autofree char *path = g_strdup_printf ("/timeline/argo/%s",
                                                 argo_cases[i].name);

        g_test_add_data_func (path, &argo_cases[i], test_argo);
    }
    for (guint i = 0; i < G_N_ELEMENTS (bg_cases); i++) {
        g_autofree char *path = g_strdup_printf ("/timeline/argo/%s",
                                                 bg_cases[i].name);

        g_test_add_data_func (path, &bg_cases[i], test_bluegreen);
    }
    for (guint i = 0; i < G_N_ELEMENTS (node_cases); i++) {
        g_autofree char *path = g_strdup_printf ("/timeline/node/%s",
                                                 node_cases[i].name);

        g_test_add_data_func (path, &node_cases[i], test_node);
    }
    g_test_add_func ("/timeline/node/requests-until-endpoints-go",
                     test_node_requests);
    g_test_add_func ("/timeline/node/add-and-busiest", test_node_add_busiest);
    g_test_add_func ("/timeline/pull-fail/backoff-and-deadline",
                     test_pull_fail);
    g_test_add_func ("/timeline/disruption/P1-P7", test_pdb_rows);
    g_test_add_func ("/timeline/disruption/D1", test_d1);
    g_test_add_func ("/timeline/disruption/P5-drain-blocked",
                     test_p5_drain_blocked);
    g_test_add_func ("/timeline/disruption/P6-not-ready", test_p6_not_ready);
    g_test_add_func ("/timeline/argo/restart-evictions", test_argo_restart);
    g_test_add_func ("/timeline/property/rolling", test_property_rolling);
    g_test_add_func ("/timeline/property/argo", test_property_canary);
    return g_test_run ();
}
