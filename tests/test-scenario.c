/* test-scenario.c - the scenario loader: defaults, every unit and type,
 * the resolved round trip, --set, the built-in scenario, the reference,
 * and every rejection in tests/data/bad/.
 *
 * Each tests/data/bad/NAME.ini opens with one or more "# expect: TEXT"
 * lines; loading the file must fail with a message containing each TEXT
 * (which names the file, line and key).  Files are found under $SRCDIR
 * (default ".").  Scenarios here use only the recreate and rolling
 * strategies, which every build registers.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "scenario.h"
#include "cli.h"
#include "strategy.h"
#include "rolling.h"
#include "canary.h"
#include "blue-green.h"
#include "analysis.h"
#include "scenario-place.h"

/* Two versions, no rollout: the smallest useful scenario. */
static const char minimal[] = "[deployment]\n"
                              "version = v1\n"
                              "\n"
                              "[version.v1]\n"
                              "[version.v2]\n";

/* Every row of every group of the program's schema. */
#define FOR_EACH_KEY(g, k) \
    for (const SimKeyGroup *const *g = sim_schema_groups (sim_cli_schema ()); \
         *g != NULL; g++) \
        for (const SimKeyRow *k = (*g)->rows; k->key != NULL; k++)

static const char *
srcdir (void)
{
    const char *dir = g_getenv ("SRCDIR");

    return dir != NULL && dir[0] != '\0' ? dir : ".";
}

static SimScenario *
load_ok (const char *text, const char *const *overrides)
{
    GError *error = NULL;
    SimScenario *s = sim_scenario_load_data (sim_cli_schema (), text,
                                             "test/minimal.ini", overrides,
                                             &error);

    g_assert_no_error (error);
    g_assert_nonnull (s);
    return s;
}

/* Loading must fail with a message containing @expect. */
static void
assert_load_fails (const char *text, const char *const *overrides,
                   SimScenarioError code, const char *expect)
{
    GError *error = NULL;
    SimScenario *s = sim_scenario_load_data (sim_cli_schema (), text, "t.ini",
                                             overrides, &error);

    g_assert_null (s);
    g_assert_error (error, SIM_SCENARIO_ERROR, (gint) code);
    if (strstr (error->message, expect) == NULL)
        g_error ("message \"%s\" lacks \"%s\"", error->message, expect);
    g_error_free (error);
}

static void
assert_dist (const SimDist *d, SimDistKind kind, double a, double b)
{
    g_assert_cmpint (d->kind, ==, kind);
    g_assert_cmpfloat_with_epsilon (d->a, a, 1e-6);
    g_assert_cmpfloat_with_epsilon (d->b, b, 1e-6);
}

/* What a run depends on: every key's value (the key tables walked by
 * to_ini, so a new key is compared without being listed here), and what
 * the loader derives from them. */
static void
assert_scenarios_equal (const SimScenario *a, const SimScenario *b)
{
    g_autofree char *ta = sim_scenario_to_ini (a);
    g_autofree char *tb = sim_scenario_to_ini (b);

    g_assert_cmpstr (ta, ==, tb);
    g_assert_cmpint (a->version_index, ==, b->version_index);
    g_assert_cmpint (a->rollout_to_index, ==, b->rollout_to_index);
    g_assert_true (a->strategy_class == b->strategy_class);
    g_assert_cmpint (a->n_profile_steps, ==, b->n_profile_steps);
    if (a->n_profile_steps > 0)
        g_assert_cmpmem (a->profile_steps,
                         sizeof (SimRateStep) * (gsize) a->n_profile_steps,
                         b->profile_steps,
                         sizeof (SimRateStep) * (gsize) b->n_profile_steps);
}

/* to_ini -> load -> equal scenario, and to_ini again byte-identical. */
static void
assert_round_trip (const SimScenario *s)
{
    GError *error = NULL;
    g_autofree char *text = sim_scenario_to_ini (s);
    g_autoptr (SimScenario)
        again = sim_scenario_load_data (sim_cli_schema (), text, "resolved.ini",
                                        NULL, &error);
    g_autofree char *text2 = NULL;

    g_assert_no_error (error);
    assert_scenarios_equal (s, again);
    text2 = sim_scenario_to_ini (again);
    g_assert_cmpstr (text, ==, text2);
}

static void
test_defaults (void)
{
    g_autoptr (SimScenario) s = NULL;
    const SimVersionSpec *v;

    g_test_summary ("A scenario naming only its version gets the documented "
                    "default of every other key");
    s = load_ok (minimal, NULL);

    g_assert_cmpstr (s->path, ==, "test/minimal.ini");
    g_assert_cmpstr (s->name, ==, "minimal");
    g_assert_cmpstr (s->description, ==, "");
    g_assert_cmpint (s->duration, ==, 5 * SIM_MIN);
    g_assert_cmpuint (s->seed, ==, 1);
    g_assert_cmpint (s->sample, ==, SIM_SEC);

    g_assert_cmpint (s->nodes, ==, 3);
    g_assert_cmpint (s->node_cpu, ==, 4000);
    g_assert_cmpint (s->node_memory, ==, G_GINT64_CONSTANT (8) << 30);
    g_assert_cmpint (s->controller_delay, ==, 0);
    g_assert_cmpint (s->endpoint_delay, ==, SIM_SEC);
    g_assert_cmpint (s->schedule_delay, ==, 0);

    g_assert_cmpint (s->replicas, ==, 1);
    g_assert_cmpstr (s->version, ==, "v1");
    g_assert_cmpint (s->version_index, ==, 0);
    g_assert_cmpint (s->cpu, ==, 100);
    g_assert_cmpint (s->memory, ==, 128 << 20);
    g_assert_cmpint (s->min_ready, ==, 0);
    g_assert_cmpint (s->progress_deadline, ==, 600 * SIM_SEC);
    g_assert_cmpint (s->termination_grace, ==, 30 * SIM_SEC);
    g_assert_cmpint (s->pre_stop, ==, 0);
    g_assert_cmpint (s->concurrency, ==, 10);
    g_assert_cmpint (s->queue, ==, 100);

    g_assert_cmpint (s->n_versions, ==, 2);
    v = &s->versions[1];
    g_assert_cmpstr (v->name, ==, "v2");
    assert_dist (&v->pull, SIM_DIST_CONST, 2e6, 0);
    assert_dist (&v->startup, SIM_DIST_CONST, 5e6, 0);
    assert_dist (&v->service, SIM_DIST_EXP, 20e3, 0);
    g_assert_cmpfloat (v->error_rate, ==, 0.0);
    g_assert_cmpfloat (v->crash_rate, ==, 0.0);

    g_assert_cmpfloat (s->rate, ==, 50.0);
    g_assert_cmpint (s->arrivals, ==, SIM_ARRIVALS_POISSON);
    g_assert_null (s->profile);
    g_assert_cmpint (s->timeout, ==, 10 * SIM_SEC);
    g_assert_cmpint (s->balancer, ==, SIM_BALANCER_RANDOM);
    g_assert_cmpfloat (s->preview_rate, ==, 0.0);

    g_assert_cmpstr (s->strategy, ==, "rolling");
    g_assert_true (sim_rolling_settings (s)->max_surge.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_surge.value, ==, 25);
    g_assert_true (sim_rolling_settings (s)->max_unavailable.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_unavailable.value, ==, 25);

    g_assert_cmpint (sim_canary_settings (s)->steps.n, ==, 0);
    g_assert_null (sim_canary_settings (s)->steps.items);
    g_assert_cmpstr (sim_canary_settings (s)->steps.text, ==, "");
    g_assert_cmpint (sim_canary_settings (s)->max_surge.value, ==, 25);
    g_assert_cmpint (sim_canary_settings (s)->max_unavailable.value, ==, 25);
    g_assert_cmpint (sim_canary_settings (s)->traffic_routing, ==,
                     SIM_TRAFFIC_ROUTING_NONE);
    g_assert_false (sim_canary_settings (s)->dynamic_stable_scale);
    /* Not written: unset, and Argo's 30 s in force. */
    g_assert_false (sim_canary_settings (s)->scale_down_delay.set);
    g_assert_false (sim_canary_settings (s)->abort_scale_down_delay.set);
    g_assert_cmpint (
        sim_canary_delay (sim_canary_settings (s)->scale_down_delay), ==,
        30 * SIM_SEC);
    g_assert_cmpint (
        sim_canary_delay (sim_canary_settings (s)->abort_scale_down_delay), ==,
        30 * SIM_SEC);
    g_assert_cmpint (sim_canary_settings (s)->progress_deadline, ==,
                     600 * SIM_SEC);
    g_assert_false (sim_canary_settings (s)->progress_deadline_abort);

    g_assert_cmpint (sim_blue_green_settings (s)->preview_replicas, ==, -1);
    g_assert_true (sim_blue_green_settings (s)->auto_promotion);
    g_assert_cmpint (sim_blue_green_settings (s)->auto_promotion_after, ==, 0);
    g_assert_cmpint (sim_blue_green_settings (s)->scale_down_delay, ==,
                     30 * SIM_SEC);
    g_assert_cmpint (sim_blue_green_settings (s)->abort_scale_down_delay, ==,
                     30 * SIM_SEC);
    g_assert_false (sim_blue_green_settings (s)->pre_promotion_analysis);
    g_assert_false (sim_blue_green_settings (s)->post_promotion_analysis);

    g_assert_cmpint (sim_analysis_settings (s)->metrics.n, ==, 1);
    g_assert_cmpint (
        sim_analysis_conditions (sim_analysis_settings (s))[0].metric, ==,
        SIM_METRIC_ERROR_RATE);
    g_assert_cmpint (sim_analysis_conditions (sim_analysis_settings (s))[0].op,
                     ==, SIM_OP_LT);
    g_assert_cmpfloat (
        sim_analysis_conditions (sim_analysis_settings (s))[0].threshold, ==,
        0.01);
    g_assert_cmpstr (sim_analysis_settings (s)->metrics.text, ==,
                     "error_rate < 0.01");
    g_assert_cmpint (sim_analysis_settings (s)->interval, ==, 30 * SIM_SEC);
    g_assert_cmpint (sim_analysis_settings (s)->count, ==, 3);
    g_assert_cmpint (sim_analysis_settings (s)->initial_delay, ==, 0);
    g_assert_cmpint (sim_analysis_settings (s)->failure_limit, ==, 0);
    g_assert_cmpint (sim_analysis_settings (s)->inconclusive_limit, ==, 0);
    g_assert_cmpint (sim_analysis_settings (s)->min_requests, ==, 0);
    g_assert_cmpint (sim_analysis_settings (s)->consecutive_error_limit, ==, 4);
    g_assert_false (sim_analysis_settings (s)->background);
    g_assert_cmpint (sim_analysis_settings (s)->start_step, ==, 0);

    g_assert_false (s->has_rollout);
    g_assert_null (s->rollout_to);
    g_assert_cmpint (s->rollout_to_index, ==, -1);
}

static void
test_defaults_rollout (void)
{
    g_autoptr (SimScenario) s = NULL;
    g_autoptr (SimScenario) named = NULL;
    GError *error = NULL;

    g_test_summary ("[rollout] needs only `to`; `at` defaults to 30s; the "
                    "name defaults to the file name without .ini");
    s = load_ok ("[deployment]\nversion = v1\n[version.v1]\n[version.v2]\n"
                 "[rollout]\nto = v2\n",
                 NULL);
    g_assert_true (s->has_rollout);
    g_assert_cmpint (s->rollout_at, ==, 30 * SIM_SEC);
    g_assert_cmpstr (s->rollout_to, ==, "v2");
    g_assert_cmpint (s->rollout_to_index, ==, 1);

    named = sim_scenario_load_data (sim_cli_schema (), minimal,
                                    "/a/b/canary.test.ini", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (named->name, ==, "canary.test");
}

static void
test_builtin (void)
{
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("The built-in scenario is the seed of docs/design.md 5.3: "
                    "3 replicas of hello1 rolled to hello2 with max_surge 1, "
                    "max_unavailable 0");
    s = sim_scenario_load_builtin (sim_cli_schema (), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (s->name, ==, "seed-rolling");
    g_assert_cmpstr (s->path, ==, "(built-in)");
    g_assert_cmpint (s->duration, ==, 2 * SIM_MIN);
    g_assert_cmpuint (s->seed, ==, 1);
    g_assert_cmpint (s->nodes, ==, 3);
    g_assert_cmpint (s->replicas, ==, 3);
    g_assert_cmpint (s->n_versions, ==, 2);
    g_assert_cmpstr (s->versions[0].name, ==, "hello1");
    g_assert_cmpstr (s->versions[1].name, ==, "hello2");
    for (gint i = 0; i < 2; i++) {
        assert_dist (&s->versions[i].pull, SIM_DIST_CONST, 2e6, 0);
        assert_dist (&s->versions[i].startup, SIM_DIST_CONST, 5e6, 0);
        assert_dist (&s->versions[i].service, SIM_DIST_EXP, 20e3, 0);
    }
    g_assert_cmpfloat (s->rate, ==, 20.0);
    g_assert_cmpstr (s->strategy, ==, "rolling");
    g_assert_false (sim_rolling_settings (s)->max_surge.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_surge.value, ==, 1);
    g_assert_false (sim_rolling_settings (s)->max_unavailable.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_unavailable.value, ==, 0);
    g_assert_true (s->has_rollout);
    g_assert_cmpint (s->rollout_at, ==, 10 * SIM_SEC);
    g_assert_cmpstr (s->rollout_to, ==, "hello2");
    g_assert_cmpint (s->version_index, ==, 0);
    g_assert_cmpint (s->rollout_to_index, ==, 1);
}

static void
test_builtin_file (void)
{
    g_autofree char *path = g_build_filename (srcdir (), "scenarios",
                                              "seed-rolling.ini", NULL);
    g_autofree char *text = NULL;
    g_autoptr (SimScenario) file = NULL;
    g_autoptr (SimScenario) builtin = NULL;
    GError *error = NULL;

    g_test_summary ("The built-in text is scenarios/seed-rolling.ini, byte "
                    "for byte, and both load to the same scenario");
    g_assert_true (g_file_get_contents (path, &text, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (sim_scenario_builtin_text (), ==, text);

    file = sim_scenario_load (sim_cli_schema (), path, NULL, &error);
    g_assert_no_error (error);
    builtin = sim_scenario_load_builtin (sim_cli_schema (), NULL, &error);
    g_assert_no_error (error);
    assert_scenarios_equal (file, builtin);
}

static void
test_units (void)
{
    g_autoptr (SimScenario) s = NULL;

    g_test_summary ("Every unit and type a key can have is read: durations, "
                    "CPU, memory, percentages, `none`, `unlimited`, `all`, "
                    "numbers, booleans, choices, distributions");
    s = load_ok ("[scenario]\n"
                 "description = a test  # a trailing comment\n"
                 "duration = 1h\n"
                 "seed = 18446744073709551615\n"
                 "sample = 250ms\n"
                 "[cluster]\n"
                 "node_cpu = 500m\n"
                 "node_memory = 1G\n"
                 "endpoint_delay = 1m30s\n"
                 "[deployment]\n"
                 "version = v1\n"
                 "cpu = 0.5\n"
                 "memory = 256Mi\n"
                 "progress_deadline = none\n"
                 "queue = unlimited\n"
                 "replicas = 0\n"
                 "[version.v1]\n"
                 "pull = uniform(2s,8s)\n"
                 "startup = normal(1s,200ms)\n"
                 "service = lognormal(20ms,5ms)\n"
                 "error_rate = 0.05\n"
                 "crash_rate = 1e-3\n"
                 "[version.v2]\n"
                 "pull = 3s\n"
                 "startup = erlang(3,1s)\n"
                 "[traffic]\n"
                 "rate = 12.5\n"
                 "arrivals = uniform\n"
                 "timeout = none\n"
                 "balancer = least-request\n"
                 "[strategy.rolling]\n"
                 "max_surge = 2\n"
                 "max_unavailable = 100%\n"
                 "[strategy.canary]\n"
                 "traffic_routing = weighted\n"
                 "dynamic_stable_scale = yes\n"
                 "progress_deadline_abort = 1\n"
                 "[strategy.bluegreen]\n"
                 "preview_replicas = 2\n"
                 "auto_promotion = no\n"
                 "pre_promotion_analysis = True\n"
                 "post_promotion_analysis = 0\n",
                 NULL);

    g_assert_cmpstr (s->description, ==, "a test");
    g_assert_cmpint (s->duration, ==, SIM_HOUR);
    g_assert_cmpuint (s->seed, ==, G_MAXUINT64);
    g_assert_cmpint (s->sample, ==, 250 * SIM_MSEC);
    g_assert_cmpint (s->node_cpu, ==, 500);
    g_assert_cmpint (s->node_memory, ==, 1000000000);
    g_assert_cmpint (s->endpoint_delay, ==, 90 * SIM_SEC);
    g_assert_cmpint (s->cpu, ==, 500);
    g_assert_cmpint (s->memory, ==, 256 << 20);
    g_assert_cmpint (s->progress_deadline, ==, SIM_TIME_NEVER);
    g_assert_cmpint (s->queue, ==, -1);
    g_assert_cmpint (s->replicas, ==, 0);
    assert_dist (&s->versions[0].pull, SIM_DIST_UNIFORM, 2e6, 8e6);
    assert_dist (&s->versions[0].startup, SIM_DIST_NORMAL, 1e6, 2e5);
    assert_dist (&s->versions[0].service, SIM_DIST_LOGNORMAL, 2e4, 5e3);
    g_assert_cmpfloat (s->versions[0].error_rate, ==, 0.05);
    g_assert_cmpfloat (s->versions[0].crash_rate, ==, 0.001);
    assert_dist (&s->versions[1].pull, SIM_DIST_CONST, 3e6, 0);
    assert_dist (&s->versions[1].startup, SIM_DIST_ERLANG, 1e6, 3);
    g_assert_cmpfloat (s->rate, ==, 12.5);
    g_assert_cmpint (s->arrivals, ==, SIM_ARRIVALS_UNIFORM);
    g_assert_cmpint (s->timeout, ==, SIM_TIME_NEVER);
    g_assert_cmpint (s->balancer, ==, SIM_BALANCER_LEAST_REQUEST);
    g_assert_false (sim_rolling_settings (s)->max_surge.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_surge.value, ==, 2);
    g_assert_true (sim_rolling_settings (s)->max_unavailable.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_unavailable.value, ==, 100);
    g_assert_cmpint (sim_canary_settings (s)->traffic_routing, ==,
                     SIM_TRAFFIC_ROUTING_WEIGHTED);
    g_assert_true (sim_canary_settings (s)->dynamic_stable_scale);
    g_assert_true (sim_canary_settings (s)->progress_deadline_abort);
    g_assert_cmpint (sim_blue_green_settings (s)->preview_replicas, ==, 2);
    g_assert_false (sim_blue_green_settings (s)->auto_promotion);
    g_assert_true (sim_blue_green_settings (s)->pre_promotion_analysis);
    g_assert_false (sim_blue_green_settings (s)->post_promotion_analysis);
    assert_round_trip (s);
}

static void
test_choices (void)
{
    static const struct {
        const char *text;
        SimBalancer balancer;
    } balancers[] = {
        { "random", SIM_BALANCER_RANDOM },
        { "round-robin", SIM_BALANCER_ROUND_ROBIN },
        { "least-request", SIM_BALANCER_LEAST_REQUEST },
    };

    g_test_summary ("Each balancer name maps to its value and is written "
                    "back under the same name");
    for (guint i = 0; i < G_N_ELEMENTS (balancers); i++) {
        g_autofree char *set = g_strdup_printf ("traffic.balancer=%s",
                                                balancers[i].text);
        const char *overrides[] = { set, NULL };
        g_autoptr (SimScenario) s = load_ok (minimal, overrides);
        g_autofree char *ini = sim_scenario_to_ini (s);
        g_autofree char *line = g_strdup_printf ("\nbalancer = %s\n",
                                                 balancers[i].text);

        g_assert_cmpint (s->balancer, ==, balancers[i].balancer);
        g_assert_nonnull (strstr (ini, line));
    }
}

static void
test_comments (void)
{
    g_autoptr (SimScenario) s = NULL;

    g_test_summary ("A '#' after a blank starts a comment (GKeyFile keeps "
                    "it); a '#' inside a word is part of the value");
    s = load_ok ("# leading comment\n"
                 "[scenario]\n"
                 "    # an indented comment line\n"
                 "description = build#5 is fine   # but this goes\n"
                 "[deployment]\n"
                 "version = v1\t# tab before the comment\n"
                 "replicas = 4   # four\n"
                 "[version.v1]\n"
                 "error_rate = 0.5 #half\n"
                 "[analysis]\n"
                 "count = 4   # comment\n"
                 "metrics = p99_ms <= 500 # latency\n"
                 "[strategy.canary]\n"
                 "steps = set-weight 10; pause   # for ever\n",
                 NULL);
    g_assert_cmpstr (s->description, ==, "build#5 is fine");
    g_assert_cmpstr (s->version, ==, "v1");
    g_assert_cmpint (s->replicas, ==, 4);
    g_assert_cmpfloat (s->versions[0].error_rate, ==, 0.5);
    g_assert_cmpint (sim_analysis_settings (s)->count, ==, 4);
    g_assert_cmpstr (sim_analysis_settings (s)->metrics.text, ==,
                     "p99_ms <= 500");
    g_assert_cmpint (sim_canary_settings (s)->steps.n, ==, 2);
}

static void
test_canary_steps (void)
{
    g_autoptr (SimScenario) s = NULL;
    const SimCanaryStep *st;

    g_test_summary ("Every canary step form is read, whitespace-tolerant, "
                    "and kept as canonical text");
    s = load_ok ("[deployment]\nversion = v1\n[version.v1]\n"
                 "[strategy.canary]\n"
                 "steps = set-weight 20 ;pause 1m;  pause ; "
                 "set-canary-scale   replicas 2;set-canary-scale weight 50;"
                 " set-canary-scale match-traffic-weight; analysis;"
                 "set-weight\t100;\n",
                 NULL);
    g_assert_cmpint (sim_canary_settings (s)->steps.n, ==, 8);
    st = sim_canary_settings (s)->steps.items;
    g_assert_cmpint (st[0].kind, ==, SIM_STEP_SET_WEIGHT);
    g_assert_cmpint (st[0].value, ==, 20);
    g_assert_cmpint (st[1].kind, ==, SIM_STEP_PAUSE);
    g_assert_cmpint (st[1].duration, ==, SIM_MIN);
    g_assert_cmpint (st[2].kind, ==, SIM_STEP_PAUSE);
    g_assert_cmpint (st[2].duration, ==, SIM_TIME_NEVER);
    g_assert_cmpint (st[3].kind, ==, SIM_STEP_SET_CANARY_SCALE);
    g_assert_cmpint (st[3].scale_kind, ==, SIM_CANARY_SCALE_REPLICAS);
    g_assert_cmpint (st[3].value, ==, 2);
    g_assert_cmpint (st[4].scale_kind, ==, SIM_CANARY_SCALE_WEIGHT);
    g_assert_cmpint (st[4].value, ==, 50);
    g_assert_cmpint (st[5].scale_kind, ==, SIM_CANARY_SCALE_MATCH_TRAFFIC);
    g_assert_cmpint (st[6].kind, ==, SIM_STEP_ANALYSIS);
    g_assert_cmpint (st[7].kind, ==, SIM_STEP_SET_WEIGHT);
    g_assert_cmpint (st[7].value, ==, 100);
    g_assert_cmpstr (sim_canary_settings (s)->steps.text, ==,
                     "set-weight 20; pause 1m; pause; "
                     "set-canary-scale replicas 2; set-canary-scale weight 50; "
                     "set-canary-scale match-traffic-weight; analysis; "
                     "set-weight 100");
    assert_round_trip (s);
}

static void
test_analysis_metrics (void)
{
    g_autoptr (SimScenario) s = NULL;
    const SimAnalysisCondition *c;

    g_test_summary ("Every analysis metric and operator is read, with or "
                    "without blanks around the operator");
    s = load_ok ("[deployment]\nversion = v1\n[version.v1]\n"
                 "[analysis]\n"
                 "metrics = error_rate<0.05; success_rate >= 0.99;"
                 "p50_ms > 1; p95_ms<=250 ; p99_ms < 1e3; mean_ms >= 0.5\n",
                 NULL);
    g_assert_cmpint (sim_analysis_settings (s)->metrics.n, ==, 6);
    c = sim_analysis_conditions (sim_analysis_settings (s));
    g_assert_cmpint (c[0].metric, ==, SIM_METRIC_ERROR_RATE);
    g_assert_cmpint (c[0].op, ==, SIM_OP_LT);
    g_assert_cmpfloat (c[0].threshold, ==, 0.05);
    g_assert_cmpint (c[1].metric, ==, SIM_METRIC_SUCCESS_RATE);
    g_assert_cmpint (c[1].op, ==, SIM_OP_GE);
    g_assert_cmpint (c[2].metric, ==, SIM_METRIC_P50_MS);
    g_assert_cmpint (c[2].op, ==, SIM_OP_GT);
    g_assert_cmpint (c[3].metric, ==, SIM_METRIC_P95_MS);
    g_assert_cmpint (c[3].op, ==, SIM_OP_LE);
    g_assert_cmpfloat (c[3].threshold, ==, 250.0);
    g_assert_cmpint (c[4].metric, ==, SIM_METRIC_P99_MS);
    g_assert_cmpfloat (c[4].threshold, ==, 1000.0);
    g_assert_cmpint (c[5].metric, ==, SIM_METRIC_MEAN_MS);
    g_assert_cmpstr (sim_analysis_settings (s)->metrics.text, ==,
                     "error_rate < 0.05; success_rate >= 0.99; p50_ms > 1; "
                     "p95_ms <= 250; p99_ms < 1000; mean_ms >= 0.5");
    assert_round_trip (s);
}

static void
test_profile (void)
{
    g_autofree char *dir = NULL;
    g_autofree char *csv = NULL;
    g_autofree char *ini = NULL;
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("traffic.profile is found relative to the scenario "
                    "file and recorded as an absolute path");
    dir = g_dir_make_tmp ("test-scenario-XXXXXX", &error);
    g_assert_no_error (error);
    csv = g_build_filename (dir, "rate.csv", NULL);
    ini = g_build_filename (dir, "p.ini", NULL);
    g_assert_true (g_file_set_contents (csv, "time_s,rate\n0,10\n", -1,
                                        &error));
    g_assert_true (g_file_set_contents (ini,
                                        "[deployment]\nversion = v1\n"
                                        "[version.v1]\n[traffic]\n"
                                        "profile = rate.csv\n",
                                        -1, &error));
    g_assert_no_error (error);

    s = sim_scenario_load (sim_cli_schema (), ini, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (s->profile, ==, csv);
    assert_round_trip (s);

    g_assert_cmpint (g_remove (csv), ==, 0);
    g_assert_cmpint (g_remove (ini), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Rate profiles as a user may write them, against what the file says:
 * robustness review F7.  @message NULL: accepted with @rows rows whose
 * first rate is @rate0; else refused with @message in the error (LINE
 * is the line in the file). */
typedef struct {
    const char *name;
    const char *csv;
    const char *message;
    gint rows;
    double rate0;
} ProfileCase;

static const ProfileCase profile_cases[] = {
    { "plain", "0,10\n60,20\n", NULL, 2, 10 },
    { "header", "time_s,rate\n0,10\n", NULL, 1, 10 },
    { "header-case", "Time_s, Rate\n0,10\n", NULL, 1, 10 },
    { "bom",
      "\xEF\xBB\xBF"
      "0,10\n",
      NULL, 1, 10 },
    { "bom-header", "\xEF\xBB\xBFtime_s,rate\n0,10\n", NULL, 1, 10 },
    { "crlf-blank", "time_s,rate\r\n\r\n0,10\r\n60,20\r\n", NULL, 2, 10 },
    { "no-newline", "0,10", NULL, 1, 10 },
    { "empty", "", "rate.csv: no rows", 0, 0 },
    { "blank-lines", "\n\n", "rate.csv: no rows", 0, 0 },
    { "header-only", "time_s,rate\n", "rate.csv: no rows", 0, 0 },
    { "typo-first", "0,1O\n60,10\n", "rate.csv:1: rate \"1O\" is not a number",
      0, 0 },
    { "typo-time", "O,10\n", "rate.csv:1: time \"O\" is not a number", 0, 0 },
    { "other-header", "t,r\n0,10\n", "rate.csv:1: time \"t\" is not a number",
      0, 0 },
    { "trailing-comma", "0,10,\n", "rate.csv:1: expected 2 fields, found 3", 0,
      0 },
    { "decimal-comma", "0,\"10,5\"\n", "write a dot for decimals", 0, 0 },
    { "unterminated-quote", "0,\"10\n", "rate.csv:1: a quote is not closed", 0,
      0 },
    { "not-increasing", "0,10\n\n60,10\r\n60,20\n",
      "rate.csv:4: time 60 is not after the previous row's", 0, 0 },
    { "nan", "0,nan\n", "rate.csv:1: rate \"nan\" is not a number", 0, 0 },
    { "hex", "0x10,5\n", "rate.csv:1: time \"0x10\" is not a number", 0, 0 },
    { "negative", "0,-1\n", "rate.csv:1: rate \"-1\" is not a number", 0, 0 },
};

static void
test_profile_case (gconstpointer data)
{
    const ProfileCase *pc = data;
    g_autofree char *dir = NULL;
    g_autofree char *csv = NULL;
    g_autofree char *ini = NULL;
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("Robustness review F7: a rate profile is read as "
                    "written or refused naming FILE:LINE; never a row "
                    "taken for a header or a profile quietly ignored");
    dir = g_dir_make_tmp ("test-scenario-XXXXXX", &error);
    g_assert_no_error (error);
    csv = g_build_filename (dir, "rate.csv", NULL);
    ini = g_build_filename (dir, "p.ini", NULL);
    g_assert_true (g_file_set_contents (csv, pc->csv, -1, &error));
    g_assert_true (g_file_set_contents (ini,
                                        "[deployment]\nversion = v1\n"
                                        "[version.v1]\n[traffic]\n"
                                        "profile = rate.csv\n",
                                        -1, &error));
    g_assert_no_error (error);

    s = sim_scenario_load (sim_cli_schema (), ini, NULL, &error);
    if (pc->message == NULL) {
        g_assert_no_error (error);
        g_assert_cmpint (s->n_profile_steps, ==, pc->rows);
        g_assert_cmpfloat (s->profile_steps[0].rate, ==, pc->rate0);
        g_assert_cmpint (s->profile_steps[0].time, ==, 0);
    } else {
        g_assert_null (s);
        g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID);
        if (strstr (error->message, pc->message) == NULL)
            g_error ("expected \"%s\" in: %s", pc->message, error->message);
        g_assert_nonnull (strstr (error->message, "p.ini:5: traffic.profile"));
        g_clear_error (&error);
    }
    g_assert_cmpint (g_remove (csv), ==, 0);
    g_assert_cmpint (g_remove (ini), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Found while fuzzing: the resolved scenario writes the profile's
 * absolute path, and in a directory named "a #b" the comment rule cut it
 * short, so the resolved file did not load.  Such a path is refused. */
static void
test_profile_path_comment (void)
{
    g_autofree char *dir = NULL;
    g_autofree char *sub = NULL;
    g_autofree char *csv = NULL;
    g_autofree char *ini = NULL;
    SimScenario *s;
    GError *error = NULL;

    g_test_summary ("A profile whose absolute path cannot be written back "
                    "(it holds \" #\") is refused, so every resolved "
                    "scenario loads again");
    dir = g_dir_make_tmp ("test-scenario-XXXXXX", &error);
    g_assert_no_error (error);
    sub = g_build_filename (dir, "a #b", NULL);
    g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
    csv = g_build_filename (sub, "rate.csv", NULL);
    ini = g_build_filename (sub, "p.ini", NULL);
    g_assert_true (g_file_set_contents (csv, "time_s,rate\n0,10\n", -1,
                                        &error));
    g_assert_true (g_file_set_contents (ini,
                                        "[deployment]\nversion = v1\n"
                                        "[version.v1]\n[traffic]\n"
                                        "profile = rate.csv\n",
                                        -1, &error));
    g_assert_no_error (error);

    s = sim_scenario_load (sim_cli_schema (), ini, NULL, &error);
    g_assert_null (s);
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "p.ini:5: traffic.profile: "
                                              "the file's path"));
    g_assert_nonnull (strstr (error->message, "cannot be written in a "
                                              "scenario file"));
    g_clear_error (&error);

    g_assert_cmpint (g_remove (csv), ==, 0);
    g_assert_cmpint (g_remove (ini), ==, 0);
    g_assert_cmpint (g_rmdir (sub), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A scenario that writes every group, with values away from the
 * defaults. */
static const char every_group[] =
    "[scenario]\n"
    "name = everything\n"
    "description = every group, nothing default\n"
    "duration = 10m\n"
    "seed = 42\n"
    "sample = 500ms\n"
    "[cluster]\n"
    "nodes = 5\n"
    "node_cpu = 8\n"
    "node_memory = 16Gi\n"
    "controller_delay = 100ms\n"
    "endpoint_delay = 2s\n"
    "schedule_delay = 50ms\n"
    "[deployment]\n"
    "replicas = 10\n"
    "version = blue\n"
    "cpu = 250m\n"
    "memory = 512Mi\n"
    "min_ready = 5s\n"
    "progress_deadline = 5m\n"
    "termination_grace = 45s\n"
    "pre_stop = 3s\n"
    "concurrency = 4\n"
    "queue = 0\n"
    "[version.blue]\n"
    "pull = const(1s)\n"
    "startup = uniform(2s,4s)\n"
    "service = exp(15ms)\n"
    "[version.green]\n"
    "pull = exp(3s)\n"
    "startup = normal(6s,1s)\n"
    "service = lognormal(25ms,10ms)\n"
    "error_rate = 0.1\n"
    "crash_rate = 0.2\n"
    "[version.1.2-rc_3]\n"
    "service = erlang(2,30ms)\n"
    "[traffic]\n"
    "rate = 0.3\n"
    "arrivals = uniform\n"
    "timeout = 2500ms\n"
    "balancer = round-robin\n"
    "preview_rate = 1.5\n"
    "[strategy]\n"
    "type = recreate\n"
    "[strategy.rolling]\n"
    "max_surge = 0\n"
    "max_unavailable = 1\n"
    "[strategy.recreate]\n"
    "[strategy.canary]\n"
    "steps = set-weight 10; pause 30s; analysis; set-weight 100\n"
    "max_surge = 50%\n"
    "max_unavailable = 0\n"
    "traffic_routing = weighted\n"
    "dynamic_stable_scale = true\n"
    "scale_down_delay = 10s\n"
    "abort_scale_down_delay = 0s\n"
    "progress_deadline = none\n"
    "progress_deadline_abort = true\n"
    "[strategy.bluegreen]\n"
    "preview_replicas = 1\n"
    "auto_promotion = false\n"
    "auto_promotion_after = 1m\n"
    "scale_down_delay = 5s\n"
    "abort_scale_down_delay = 6s\n"
    "pre_promotion_analysis = true\n"
    "post_promotion_analysis = true\n"
    "[analysis]\n"
    "metrics = error_rate < 0.02; p99_ms < 300\n"
    "interval = 10s\n"
    "count = 0\n"
    "initial_delay = 20s\n"
    "failure_limit = -1\n"
    "inconclusive_limit = 2\n"
    "min_requests = 10\n"
    "background = true\n"
    "start_step = 1\n"
    "[rollout]\n"
    "at = 1m\n"
    "to = green\n";

static void
test_round_trip_builtin (void)
{
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("The resolved built-in scenario loads again into an "
                    "equal scenario whose resolved text is byte-identical");
    s = sim_scenario_load_builtin (sim_cli_schema (), NULL, &error);
    g_assert_no_error (error);
    assert_round_trip (s);
}

static void
test_round_trip_every_group (void)
{
    g_autoptr (SimScenario) s = NULL;
    g_autofree char *ini = NULL;

    g_test_summary ("A scenario writing every group with non-default values "
                    "survives to_ini -> load -> to_ini byte for byte");
    s = load_ok (every_group, NULL);
    g_assert_cmpint (s->n_versions, ==, 3);
    g_assert_cmpstr (s->versions[2].name, ==, "1.2-rc_3");
    g_assert_cmpint (s->rollout_to_index, ==, 1);
    g_assert_cmpint (sim_analysis_settings (s)->failure_limit, ==, -1);
    g_assert_cmpint (s->queue, ==, 0);
    g_assert_cmpint (sim_canary_settings (s)->progress_deadline, ==,
                     SIM_TIME_NEVER);
    assert_round_trip (s);

    ini = sim_scenario_to_ini (s);
    g_assert_nonnull (strstr (ini, "\n[version.1.2-rc_3]\n"));
    g_assert_nonnull (strstr (ini, "\nseed = 42\n"));
    g_assert_nonnull (strstr (ini, "\n[strategy.recreate]\n"));
    g_assert_nonnull (strstr (ini, "\nprogress_deadline = none\n"));
    g_assert_nonnull (strstr (ini, "\nfailure_limit = -1\n"));
}

static void
test_resolved_lists_every_key (void)
{
    g_autoptr (SimScenario) s = load_ok (minimal, NULL);
    g_autofree char *ini = sim_scenario_to_ini (s);
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    GError *error = NULL;

    g_test_summary ("The resolved scenario writes every key of the table in "
                    "its group, even when every value is a default");
    g_assert_true (g_key_file_load_from_data (kf, ini, (gsize) -1,
                                              G_KEY_FILE_NONE, &error));
    g_assert_no_error (error);
    FOR_EACH_KEY (g, k)
    {
        if (strcmp ((*g)->name, "rollout") == 0)
            continue; /* written only when there is a rollout */
        if (strcmp ((*g)->name, "version.*") == 0) {
            g_assert_true (g_key_file_has_key (kf, "version.v1", k->key, NULL));
            g_assert_true (g_key_file_has_key (kf, "version.v2", k->key, NULL));
        } else if (!g_key_file_has_key (kf, (*g)->name, k->key, NULL)) {
            g_error ("%s.%s missing from the resolved scenario", (*g)->name,
                     k->key);
        }
    }
    g_assert_false (g_key_file_has_group (kf, "rollout"));
    g_assert_true (g_key_file_has_group (kf, "strategy.recreate"));
}

static void
test_set_overrides (void)
{
    const char *overrides[] = {
        "strategy.rolling.max_surge=25%",
        "version.hello2.error_rate=0.05",
        "traffic.rate = 7",
        "deployment.replicas=4  ",
        "scenario.seed=99",
        NULL,
    };
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("--set overrides replace file values, in order; the last "
                    "dot separates group and key");
    s = sim_scenario_load_builtin (sim_cli_schema (), overrides, &error);
    g_assert_no_error (error);
    g_assert_true (sim_rolling_settings (s)->max_surge.percent);
    g_assert_cmpint (sim_rolling_settings (s)->max_surge.value, ==, 25);
    g_assert_cmpfloat (s->versions[1].error_rate, ==, 0.05);
    g_assert_cmpfloat (s->versions[0].error_rate, ==, 0.0);
    g_assert_cmpfloat (s->rate, ==, 7.0);
    g_assert_cmpint (s->replicas, ==, 4);
    g_assert_cmpuint (s->seed, ==, 99);
}

/* Robustness review F21: a command line has no comments, and the value
 * after " #" could not be written into the resolved scenario either. */
static void
test_set_comment (void)
{
    const char *cut[] = { "scenario.description=build #42", NULL };
    const char *lead[] = { "scenario.description=#42", NULL };
    const char *word[] = { "scenario.description=build#42", NULL };
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("A --set value holding \" #\" is refused, never cut at "
                    "the '#'; a '#' inside a word is kept");
    g_assert_null (sim_scenario_load_builtin (sim_cli_schema (), cut, &error));
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message,
                              "--set scenario.description=build #42: "
                              "scenario.description: a value cannot hold"));
    g_clear_error (&error);
    g_assert_null (sim_scenario_load_builtin (sim_cli_schema (), lead, &error));
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID);
    g_clear_error (&error);
    s = sim_scenario_load_builtin (sim_cli_schema (), word, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (s->description, ==, "build#42");
}

static void
test_set_last_dot (void)
{
    const char *overrides[] = { "version.1.2.error_rate=0.5", NULL };
    g_autoptr (SimScenario) s = NULL;
    GError *error = NULL;

    g_test_summary ("A version whose name holds dots is reached by --set: "
                    "only the last dot splits group and key");
    s = load_ok ("[deployment]\nversion = 1.2\n[version.1.2]\n", overrides);
    g_assert_cmpfloat (s->versions[0].error_rate, ==, 0.5);
    g_assert_true (sim_scenario_set (s, "version.1.2.crash_rate=0.25", &error));
    g_assert_no_error (error);
    g_assert_cmpfloat (s->versions[0].crash_rate, ==, 0.25);
    g_assert_cmpfloat (s->versions[0].error_rate, ==, 0.5);
}

static void
test_set_creates_groups (void)
{
    const char *rollout[] = { "rollout.to=v2", NULL };
    const char *version[] = { "version.v3.error_rate=0.1", NULL };
    g_autoptr (SimScenario) s = NULL;
    g_autoptr (SimScenario) v = NULL;
    g_autoptr (SimScenario) steady = NULL;
    GError *error = NULL;

    g_test_summary ("--set may create a group the file lacks: [rollout] "
                    "(so a steady-state file can be rolled), a new version");
    s = load_ok (minimal, rollout);
    g_assert_true (s->has_rollout);
    g_assert_cmpint (s->rollout_at, ==, 30 * SIM_SEC);
    g_assert_cmpint (s->rollout_to_index, ==, 1);

    v = load_ok (minimal, version);
    g_assert_cmpint (v->n_versions, ==, 3);
    g_assert_cmpstr (v->versions[2].name, ==, "v3");
    g_assert_cmpfloat (v->versions[2].error_rate, ==, 0.1);
    assert_dist (&v->versions[2].startup, SIM_DIST_CONST, 5e6, 0);

    steady = load_ok (minimal, NULL);
    g_assert_false (steady->has_rollout);
    g_assert_true (sim_scenario_set (steady, "rollout.to=v2", &error));
    g_assert_no_error (error);
    g_assert_true (steady->has_rollout);
    g_assert_cmpint (steady->rollout_to_index, ==, 1);
    g_assert_cmpstr (steady->path, ==, "test/minimal.ini");
}

static void
test_set_errors (void)
{
    static const char two[] =
        "[deployment]\nversion = v1\n[version.v1]\n[version.v2]\n"
        "[strategy.rolling]\nmax_surge = 0\n";
    static const struct {
        const char *text;
        const char *set;
        SimScenarioError code;
        const char *expect;
    } cases[] = {
        { two, "strategy.rolling.max_surge=abc", SIM_SCENARIO_ERROR_INVALID,
          "--set strategy.rolling.max_surge=abc: "
          "strategy.rolling.max_surge: " },
        { two, "deployment.replicsa=3", SIM_SCENARIO_ERROR_UNKNOWN,
          "--set deployment.replicsa=3: deployment.replicsa: unknown key "
          "(did you mean deployment.replicas?)" },
        { two, "deploymnet.replicas=3", SIM_SCENARIO_ERROR_UNKNOWN,
          "--set deploymnet.replicas=3: deploymnet.replicas: unknown key "
          "(did you mean deployment.replicas?)" },
        { two, "traffic.ratee=3", SIM_SCENARIO_ERROR_UNKNOWN,
          "(did you mean traffic.rate?)" },
        { two, "replicas=3", SIM_SCENARIO_ERROR_INVALID,
          "--set replicas=3: expected GROUP.KEY=VALUE" },
        { two, "deployment.replicas", SIM_SCENARIO_ERROR_INVALID,
          "--set deployment.replicas: expected GROUP.KEY=VALUE" },
        { two, "strategy.rolling.max_unavailable=0",
          SIM_SCENARIO_ERROR_CONFLICT,
          "--set strategy.rolling.max_unavailable=0: "
          "strategy.rolling.max_unavailable: may not be 0 when max_surge "
          "is 0" },
        { two, "rollout.to=nope", SIM_SCENARIO_ERROR_INVALID,
          "--set rollout.to=nope: rollout.to: no [version.nope] group" },
        { two, "rollout.to=v1", SIM_SCENARIO_ERROR_CONFLICT,
          "--set rollout.to=v1: rollout.to: v1 is already running" },
        { two, "version.bad name.pull=1s", SIM_SCENARIO_ERROR_INVALID,
          "--set version.bad name.pull=1s: [version.bad name]: bad "
          "version name" },
        { two, "rollout.at=5s", SIM_SCENARIO_ERROR_INVALID,
          "--set rollout.at=5s: rollout.to: required key is missing" },
        /* The file is wrong, not the override: the file's line is named. */
        { "[deployment]\nversion = v0\n[version.v1]\n", "version.v3.pull=1s",
          SIM_SCENARIO_ERROR_INVALID,
          "t.ini:2: deployment.version: no [version.v0] group" },
    };

    g_test_summary ("A bad --set names the assignment instead of FILE:LINE, "
                    "then the key, with a did-you-mean for unknown keys");
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        const char *overrides[] = { cases[i].set, NULL };

        assert_load_fails (cases[i].text, overrides, cases[i].code,
                           cases[i].expect);
    }
}

static void
test_set_keeps_on_error (void)
{
    g_autoptr (SimScenario) s = NULL;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    GError *error = NULL;

    g_test_summary ("sim_scenario_set leaves the scenario unchanged when the "
                    "assignment is refused, and applies it when it is not");
    s = sim_scenario_load_builtin (sim_cli_schema (), NULL, &error);
    g_assert_no_error (error);
    before = sim_scenario_to_ini (s);

    g_assert_false (sim_scenario_set (s, "strategy.rolling.max_surge=0",
                                      &error));
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message,
                              "--set strategy.rolling.max_surge=0: "
                              "strategy.rolling.max_surge: may not be 0 when "
                              "max_unavailable is 0"));
    g_clear_error (&error);
    g_assert_false (sim_scenario_set (s, "strategy.type=blue", &error));
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID);
    g_clear_error (&error);
    after = sim_scenario_to_ini (s);
    g_assert_cmpstr (before, ==, after);

    g_assert_true (sim_scenario_set (s, "strategy.type=recreate", &error));
    g_assert_no_error (error);
    g_assert_cmpstr (s->strategy, ==, "recreate");
    g_assert_cmpstr (s->path, ==, "(built-in)");
    g_assert_cmpstr (s->name, ==, "seed-rolling");
    g_assert_cmpint (sim_rolling_settings (s)->max_surge.value, ==, 1);
}

static void
test_copy (void)
{
    g_autoptr (SimScenario) c = NULL;
    g_autofree char *text = NULL;
    g_autofree char *copied = NULL;
    SimScenario *s;

    g_test_summary ("A copy is deep: it outlives the original and resolves "
                    "to the same text");
    s = load_ok (every_group, NULL);
    text = sim_scenario_to_ini (s);
    c = sim_scenario_copy (s);
    g_assert_true (c->name != s->name);
    g_assert_true (sim_canary_settings (c)->steps.items
                   != sim_canary_settings (s)->steps.items);
    g_assert_true (c->versions[0].name != s->versions[0].name);
    assert_scenarios_equal (s, c);
    sim_scenario_free (s);
    copied = sim_scenario_to_ini (c);
    g_assert_cmpstr (text, ==, copied);
    g_assert_cmpstr (c->path, ==, "test/minimal.ini");
    sim_scenario_free (NULL);
}

static void
test_find_version (void)
{
    g_autoptr (SimScenario) s = load_ok (every_group, NULL);

    g_test_summary ("Versions are indexed in file order; unknown names "
                    "give -1");
    g_assert_cmpint (sim_scenario_find_version (s, "blue"), ==, 0);
    g_assert_cmpint (sim_scenario_find_version (s, "green"), ==, 1);
    g_assert_cmpint (sim_scenario_find_version (s, "1.2-rc_3"), ==, 2);
    g_assert_cmpint (sim_scenario_find_version (s, "red"), ==, -1);
    g_assert_cmpint (s->version_index, ==, 0);
}

static void
test_missing_file (void)
{
    GError *error = NULL;
    SimScenario *s;

    g_test_summary ("A file that cannot be read is an I/O error naming the "
                    "file");
    s = sim_scenario_load (sim_cli_schema (), "no/such/scenario.ini", NULL,
                           &error);
    g_assert_null (s);
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message,
                                     "no/such/scenario.ini: cannot read: "));
    g_error_free (error);
}

static void
test_error_codes (void)
{
    g_test_summary ("Errors carry the code of their kind: syntax, unknown, "
                    "invalid, and conflict for valid values that do not go "
                    "together");
    assert_load_fails ("[deployment\nversion = v1\n", NULL,
                       SIM_SCENARIO_ERROR_SYNTAX, "t.ini:1: ");
    assert_load_fails ("[deployment]\nversion = v1\n[version.v1]\n[bogus]\n",
                       NULL, SIM_SCENARIO_ERROR_UNKNOWN,
                       "t.ini:4: [bogus]: unknown group (accepted: ");
    assert_load_fails ("[deployment]\nversion = v1\nreplicas = x\n"
                       "[version.v1]\n",
                       NULL, SIM_SCENARIO_ERROR_INVALID,
                       "t.ini:3: deployment.replicas: \"x\" is not an "
                       "integer");
    assert_load_fails ("[deployment]\nversion = v1\n[version.v1]\n[version]\n",
                       NULL, SIM_SCENARIO_ERROR_UNKNOWN,
                       "t.ini:4: [version]: a version group needs a name");
    assert_load_fails ("[scenario]\nduration = 10s\n[deployment]\n"
                       "version = v1\n[version.v1]\n[version.v2]\n"
                       "[rollout]\nat = 20s\nto = v2\n",
                       NULL, SIM_SCENARIO_ERROR_CONFLICT,
                       "t.ini:8: rollout.at: the rollout would start after "
                       "the run ends");
    assert_load_fails ("[deployment]\nversion = v1\ncpu = 3\n[cluster]\n"
                       "node_cpu = 2\n[version.v1]\n",
                       NULL, SIM_SCENARIO_ERROR_CONFLICT,
                       "t.ini:3: deployment.cpu: a pod asks for more CPU "
                       "than a node has");
    assert_load_fails ("[deployment]\nversion = v1\nmin_ready = 10m\n"
                       "[version.v1]\n",
                       NULL, SIM_SCENARIO_ERROR_CONFLICT,
                       "deployment.min_ready: 10m: must be less than "
                       "deployment.progress_deadline");
}

static void
test_key_table (void)
{
    g_autoptr (GHashTable)
        seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint n = 0;

    g_test_summary ("Every row of the key table is complete and names a "
                    "distinct GROUP.KEY");
    FOR_EACH_KEY (g, k)
    {
        char *full = g_strconcat ((*g)->name, ".", k->key, NULL);

        g_assert_nonnull (k->type);
        g_assert_nonnull (k->unit);
        g_assert_nonnull (k->accepted);
        g_assert_cmpstr (k->accepted, !=, "");
        g_assert_nonnull (k->doc);
        g_assert_cmpstr (k->doc, !=, "");
        if (k->def == NULL)
            g_assert_true (g_str_equal (full, "deployment.version")
                           || g_str_equal (full, "rollout.to"));
        g_assert_false (g_hash_table_contains (seen, full));
        g_hash_table_add (seen, full);
        n++;
    }
    g_assert_cmpuint (n, >=, 60);
}

/* The text of the "## [GROUP]" section of @md, up to the next section. */
static char *
md_section (const char *md, const char *group)
{
    g_autofree char *head = g_strdup_printf ("\n## [%s]\n", group);
    const char *start = strstr (md, head);
    const char *end;

    if (start == NULL)
        return NULL;
    end = strstr (start + strlen (head), "\n## ");
    return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static void
test_markdown (void)
{
    g_autofree char *md = sim_scenario_reference_markdown (sim_cli_schema ());

    g_test_summary ("The reference has a section per group, a table row "
                    "for every key in it, and the syntax of distributions, "
                    "units and errors");
    FOR_EACH_KEY (g, k)
    {
        const char *group = strcmp ((*g)->name, "version.*") == 0
                                ? "version.NAME"
                                : (*g)->name;
        g_autofree char *section = md_section (md, group);
        g_autofree char *row = g_strdup_printf ("\n| `%s` | %s |", k->key,
                                                k->type);

        if (section == NULL)
            g_error ("no section [%s] in the reference", group);
        if (strstr (section, row) == NULL)
            g_error ("no row for %s.%s in the reference", (*g)->name, k->key);
    }
    g_assert_nonnull (strstr (md, "\n## [strategy.recreate]\n"));
    g_assert_nonnull (strstr (md, "\n## Distributions\n"));
    g_assert_nonnull (strstr (md, "`lognormal(1s,500ms)`"));
    g_assert_nonnull (strstr (md, "\n## Units\n"));
    g_assert_nonnull (strstr (md, "\n## Errors\n"));
    g_assert_nonnull (strstr (md, "FILE:LINE: GROUP.KEY: what is wrong "
                                  "(accepted: ...)"));
    g_assert_nonnull (strstr (md, "`set-canary-scale match-traffic-weight`"));
    g_assert_nonnull (strstr (md, sim_strategy_names ()));
}

/* --- tests/data/bad --------------------------------------------------- */

static void
test_bad_file (gconstpointer data)
{
    const char *path = data;
    g_autofree char *text = NULL;
    g_auto (GStrv) lines = NULL;
    GError *error = NULL;
    SimScenario *s;
    guint n_expect = 0;

    g_test_summary ("A bad scenario is refused with a message that names "
                    "its file, line and key (the file's `# expect:` "
                    "lines)");
    g_assert_true (g_file_get_contents (path, &text, NULL, &error));
    g_assert_no_error (error);

    s = sim_scenario_load (sim_cli_schema (), path, NULL, &error);
    if (s != NULL)
        g_error ("%s loaded, but must be refused", path);
    g_assert_nonnull (error);
    g_assert_true (error->domain == SIM_SCENARIO_ERROR);
    g_assert_true (g_str_has_prefix (error->message, path));

    lines = g_strsplit (text, "\n", -1);
    for (guint i = 0;
         lines[i] != NULL && g_str_has_prefix (lines[i], "# expect:"); i++) {
        const char *want = g_strstrip (lines[i] + strlen ("# expect:"));

        g_assert_cmpstr (want, !=, "");
        if (strstr (error->message, want) == NULL)
            g_error ("%s: message \"%s\" lacks \"%s\"", path, error->message,
                     want);
        n_expect++;
    }
    g_assert_cmpuint (n_expect, >, 0);
    g_error_free (error);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static guint
add_bad_files (void)
{
    g_autofree char *dir = g_build_filename (srcdir (), "tests", "data", "bad",
                                             NULL);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GDir) d = NULL;
    GError *error = NULL;
    const char *name;

    d = g_dir_open (dir, 0, &error);
    g_assert_no_error (error);
    while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ".ini"))
            g_ptr_array_add (names, g_strdup (name));
    /* g_dir_read_name has no order; the test list should. */
    g_ptr_array_sort (names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        const char *file = g_ptr_array_index (names, i);
        g_autofree char *base = g_strndup (file, strlen (file) - 4);
        g_autofree char *test = g_strdup_printf ("/scenario/bad/%s", base);

        g_test_add_data_func_full (test, g_build_filename (dir, file, NULL),
                                   test_bad_file, g_free);
    }
    return names->len;
}

/* Assignments from an imported file: applied as --set is, before the
 * --set overrides, and named by their origin in every message. */
static void
test_assignments (void)
{
    const char *text = "[deployment]\nversion = a\n[version.a]\n";
    g_autoptr (SimOrigin)
        rep = sim_origin_new_import ("web.yaml", 14, "spec.replicas");
    g_autoptr (SimOrigin)
        img = sim_origin_new_import ("web.yaml", 20,
                                     "spec.template.spec.containers[0].image");
    SimAssignment good[] = {
        { "deployment", "replicas", "4", rep },
        { "version.b", NULL, NULL, img },
        { "rollout", "to", "b", img },
    };
    SimAssignment bad[] = {
        { "deployment", "replicas", "-2", rep },
    };
    SimAssignment unknown[] = {
        { "deployment", "replicaz", "2", rep },
    };
    const char *sets[] = { "deployment.replicas=6", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) sc = NULL;
    g_autoptr (SimScenario) over = NULL;

    sc = sim_scenario_load_assignments (sim_cli_schema (), text, "o.ini", good,
                                        G_N_ELEMENTS (good), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sc->replicas, ==, 4);
    g_assert_cmpint (sc->n_versions, ==, 2);
    g_assert_cmpstr (sc->versions[sc->rollout_to_index].name, ==, "b");
    over = sim_scenario_load_assignments (sim_cli_schema (), text, "o.ini",
                                          good, G_N_ELEMENTS (good), sets,
                                          &error);
    g_assert_no_error (error);
    g_assert_cmpint (over->replicas, ==, 6);

    g_assert_null (sim_scenario_load_assignments (
        sim_cli_schema (), text, "o.ini", bad, 1, NULL, &error));
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (
        error->message, "web.yaml:14 (spec.replicas): deployment.replicas: "));
    g_clear_error (&error);
    g_assert_null (sim_scenario_load_assignments (
        sim_cli_schema (), text, "o.ini", unknown, 1, NULL, &error));
    g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_UNKNOWN);
    g_assert_nonnull (strstr (error->message, "web.yaml:14 (spec.replicas): "
                                              "deployment.replicaz: unknown "
                                              "key"));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/scenario/defaults", test_defaults);
    g_test_add_func ("/scenario/defaults/rollout", test_defaults_rollout);
    g_test_add_func ("/scenario/builtin", test_builtin);
    g_test_add_func ("/scenario/builtin/matches-file", test_builtin_file);
    g_test_add_func ("/scenario/types/units", test_units);
    g_test_add_func ("/scenario/types/choices", test_choices);
    g_test_add_func ("/scenario/types/comments", test_comments);
    g_test_add_func ("/scenario/types/canary-steps", test_canary_steps);
    g_test_add_func ("/scenario/types/analysis-metrics", test_analysis_metrics);
    g_test_add_func ("/scenario/types/profile", test_profile);
    for (guint i = 0; i < G_N_ELEMENTS (profile_cases); i++) {
        g_autofree char *path = g_strdup_printf ("/scenario/profile/%s",
                                                 profile_cases[i].name);

        g_test_add_data_func (path, &profile_cases[i], test_profile_case);
    }
    g_test_add_func ("/scenario/types/profile-path-comment",
                     test_profile_path_comment);
    g_test_add_func ("/scenario/round-trip/builtin", test_round_trip_builtin);
    g_test_add_func ("/scenario/round-trip/every-group",
                     test_round_trip_every_group);
    g_test_add_func ("/scenario/round-trip/every-key",
                     test_resolved_lists_every_key);
    g_test_add_func ("/scenario/set/overrides", test_set_overrides);
    g_test_add_func ("/scenario/set/comment", test_set_comment);
    g_test_add_func ("/scenario/set/last-dot", test_set_last_dot);
    g_test_add_func ("/scenario/set/creates-groups", test_set_creates_groups);
    g_test_add_func ("/scenario/set/errors", test_set_errors);
    g_test_add_func ("/scenario/set/unchanged-on-error",
                     test_set_keeps_on_error);
    g_test_add_func ("/scenario/copy", test_copy);
    g_test_add_func ("/scenario/find-version", test_find_version);
    g_test_add_func ("/scenario/errors/missing-file", test_missing_file);
    g_test_add_func ("/scenario/errors/codes", test_error_codes);
    g_test_add_func ("/scenario/keys/table", test_key_table);
    g_test_add_func ("/scenario/keys/markdown", test_markdown);
    g_test_add_func ("/scenario/assignments", test_assignments);
    g_assert_cmpuint (add_bad_files (), >=, 20);

    return g_test_run ();
}
