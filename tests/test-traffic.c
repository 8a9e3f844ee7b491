/* test-traffic.c - requests from arrival to outcome, checked against
 * queueing theory (Erlang C, M/M/1, Little's law), request conservation,
 * the preStop story, balancer behaviour and rate profiles.
 *
 * Queueing cases run long steady states with fixed seeds, split into
 * independent replications; a figure passes when theory lies within
 * three t-based confidence half-widths of the replications' mean.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gsl/gsl_cdf.h>
#include "testutil.h"
#include "model.h"
#include "metrics.h"

static const char steady_ini[] = "[scenario]\n"
                                 "name = queue\n"
                                 "duration = 3000s\n"
                                 "[cluster]\n"
                                 "nodes = 1\n"
                                 "node_cpu = 64\n"
                                 "[deployment]\n"
                                 "replicas = 1\n"
                                 "version = v1\n"
                                 "concurrency = 10\n"
                                 "queue = unlimited\n"
                                 "[version.v1]\n"
                                 "service = exp(100ms)\n"
                                 "[traffic]\n"
                                 "rate = 80\n"
                                 "timeout = none\n";

typedef double (*Figure) (const SimSummary *s, double duration_s);

/* Mean and 95% half-width of @fig over @reps seeds. */
static void
replicate (const char *ini, const char *const *sets, guint reps, Figure fig,
           double *mean, double *half)
{
    double sum = 0, sum2 = 0;

    for (guint i = 0; i < reps; i++) {
        g_autofree char *seed = g_strdup_printf ("scenario.seed=%u", 100 + i);
        const char *all[16];
        guint n = 0;
        g_autoptr (SimScenario) sc = NULL;
        SimWorld *w;
        SimSummary s;
        double x;

        for (; sets != NULL && sets[n] != NULL; n++)
            all[n] = sets[n];
        all[n++] = seed;
        all[n] = NULL;
        sc = sim_test_scenario (ini, all);
        w = sim_test_run (sc);
        sim_world_summary (w, &s);
        x = fig (&s, SIM_TIME_TO_SEC (sc->duration));
        sum += x;
        sum2 += x * x;
        sim_world_free (w);
    }
    *mean = sum / reps;
    *half = gsl_cdf_tdist_Pinv (0.975, reps - 1)
            * sqrt ((sum2 - reps * *mean * *mean) / (reps - 1) / reps);
}

static void
assert_theory (const char *what, double mean, double half, double theory)
{
    g_test_message ("%s: simulated %.6f +- %.6f, theory %.6f", what, mean, half,
                    theory);
    g_assert_cmpfloat (fabs (mean - theory), <=, 3 * half);
    /* A test that could not fail is a defect: the interval must be tight
     * enough to mean something. */
    g_assert_cmpfloat (half, <, 0.05 * theory);
}

static double
fig_wait_s (const SimSummary *s, double d)
{
    return s->wait_mean_ms / 1e3;
}
static double
fig_wait_prob (const SimSummary *s, double d)
{
    return s->wait_prob;
}
static double
fig_mean_s (const SimSummary *s, double d)
{
    return s->mean_ms / 1e3;
}
static double
fig_little (const SimSummary *s, double d)
{
    /* L - lambda W: zero by Little's law. */
    return s->in_flight_mean - (s->total.arrivals / d) * (s->mean_ms / 1e3);
}

/* Erlang C for c servers at offered load a = lambda / mu. */
static double
erlang_c (gint c, double a)
{
    double term = 1, sum = 1, pc;

    for (gint k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    term *= a / c;
    pc = term * c / (c - a);
    return pc / (sum + pc);
}

static void
test_mmc (void)
{
    double mean, half, pw = erlang_c (10, 8.0);

    g_test_summary ("M/M/10 (one pod, concurrency 10, 80/s, exp 100 ms): "
                    "Erlang C gives P(wait) 0.409180 and mean wait "
                    "0.0204590 s");
    g_assert_cmpfloat (fabs (pw - 0.409180), <, 1e-6);
    replicate (steady_ini, NULL, 10, fig_wait_prob, &mean, &half);
    assert_theory ("P(wait)", mean, half, 0.409180);
    replicate (steady_ini, NULL, 10, fig_wait_s, &mean, &half);
    assert_theory ("mean wait", mean, half, pw / (10 * 10.0 - 80.0));
}

static void
test_mm1_random (void)
{
    const char *sets[] = { "deployment.replicas=10", "deployment.concurrency=1",
                           "traffic.rate=50",        "traffic.balancer=random",
                           "cluster.nodes=10",       NULL };
    double mean, half;

    g_test_summary ("Ten pods of concurrency 1 behind the random balancer at "
                    "50/s are ten M/M/1 queues at 5/s: mean time in system "
                    "1/(mu - lambda) = 0.2 s");
    replicate (steady_ini, sets, 10, fig_mean_s, &mean, &half);
    assert_theory ("M/M/1 time in system", mean, half, 0.2);
}

static void
test_little (void)
{
    const char *sets[] = { "deployment.replicas=10", "deployment.concurrency=1",
                           "traffic.rate=50", "cluster.nodes=10", NULL };
    double mean, half;

    g_test_summary ("Little's law: time-average requests in flight equals "
                    "throughput times mean latency");
    replicate (steady_ini, sets, 8, fig_little, &mean, &half);
    g_test_message ("L - lambda W = %.5f +- %.5f", mean, half);
    g_assert_cmpfloat (fabs (mean), <=, MAX (3 * half, 0.01));
}

/* --- Conservation ----------------------------------------------------------- */

/* The conservation laws, and the time series adding up to the summary,
 * overall and per version, whatever the duration and step. */
static void
assert_conserved (SimWorld *w, const char *label)
{
    SimMetrics *m = sim_world_metrics (w);
    SimSummary s;

    sim_test_assert_conserved (w, label);
    sim_world_summary (w, &s);
    {
        SimCounters ts = { 0 }, vs = { 0 };

        for (guint i = 0; i < m->timeseries->len; i++) {
            const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                        SimTimeseriesRow, i);

            ts.arrivals += r->c.arrivals;
            ts.ok += r->c.ok;
            ts.errors += r->c.errors;
        }
        for (guint i = 0; i < m->versions->len; i++) {
            const SimVersionRow *r = &g_array_index (m->versions, SimVersionRow,
                                                     i);

            vs.arrivals += r->c.arrivals;
            vs.ok += r->c.ok;
            vs.errors += r->c.errors;
        }
        g_assert_cmpuint (ts.arrivals, ==, s.total.arrivals);
        g_assert_cmpuint (ts.ok, ==, s.total.ok);
        g_assert_cmpuint (ts.errors, ==, s.total.errors);
        g_assert_cmpuint (vs.arrivals + s.total.cause[SIM_CAUSE_NO_ENDPOINT],
                          ==, s.total.arrivals);
        g_assert_cmpuint (vs.ok, ==, s.total.ok);
    }
}

static void
test_conservation_scenarios (void)
{
    g_autofree char *dir = sim_test_src ("scenarios");
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    g_test_summary ("Conservation in every scenario of scenarios/: arrivals "
                    "= ok + every error cause + in flight at the end, "
                    "overall and per version");
    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)) != NULL) {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (SimScenario) sc = NULL;
        SimWorld *w;

        /* The benchmarks are figures, not tests: too long to run here. */
        if (!g_str_has_suffix (name, ".ini")
            || g_str_has_prefix (name, "bench"))
            continue;
        sc = sim_scenario_load (sim_cli_schema (), path, NULL, &error);
        g_assert_no_error (error);
        w = sim_world_new (sc, NULL, &error);
        g_assert_no_error (error);
        sim_world_run (w);
        assert_conserved (w, name);
        sim_world_free (w);
        n++;
    }
    g_assert_cmpuint (n, >=, 2);
}

/* Every pod's servers: its busy requests are in distinct slots, and a slot
 * is on its free list (the mask of the inline slots, the stack of the
 * others) exactly when it holds none. */
static void
assert_servers (SimWorld *w, const char *label)
{
    gint conc = w->sc->concurrency;

    for (guint p = 0; p < w->pods->len; p++) {
        SimPod *pod = g_ptr_array_index (w->pods, p);
        g_autoptr (GHashTable) held = g_hash_table_new (NULL, NULL);
        gint inline_n = MIN (conc, SIM_POD_INLINE_SLOTS);
        gint used = 0;

        for (gint i = 0; i < conc; i++) {
            SimRequest *r = *sim_pod_slot (pod, i);

            if (i < inline_n)
                g_assert_cmpint ((pod->inline_free >> i) & 1, ==, r == NULL);
            if (r == NULL)
                continue;
            used++;
            g_assert_false (g_hash_table_contains (held, r));
            g_hash_table_add (held, r);
            g_assert_cmpint (r->slot, ==, i);
        }
        g_assert_cmpint (pod->inline_free >> inline_n, ==, 0);
        if (used != pod->busy)
            g_error ("%s: pod %s: %d requests in slots, busy %d", label,
                     pod->name, used, pod->busy);
        g_assert_cmpint (__builtin_popcount (pod->inline_free)
                             + pod->n_more_free,
                         ==, conc - used);
        for (gint k = 0; k < pod->n_more_free; k++)
            g_assert_null (*sim_pod_slot (pod, pod->more_free[k]));
    }
}

static void
test_conservation_random (void)
{
    SimRng rng;

    g_test_summary ("Conservation in random scenarios: queues, timeouts, "
                    "crashes, tight clusters, every balancer and strategy; "
                    "stopped every 250 ms, every pod's busy requests are in "
                    "distinct server slots and the free ones are listed "
                    "free");
    sim_rng_init (&rng, 7, 1);
    for (gint i = 0; i < 60; i++) {
        static const char *const balancers[] = { "random", "round-robin",
                                                 "least-request" };
        g_autofree char *a = g_strdup_printf ("deployment.replicas=%u",
                                              1 + sim_rng_below (&rng, 8));
        g_autofree char *b = g_strdup_printf ("deployment.concurrency=%u",
                                              1 + sim_rng_below (&rng, 6));
        g_autofree char *c = g_strdup_printf ("deployment.queue=%u",
                                              sim_rng_below (&rng, 5));
        g_autofree char *d = g_strdup_printf ("traffic.rate=%u",
                                              5 + sim_rng_below (&rng, 200));
        g_autofree char *e = g_strdup_printf ("traffic.timeout=%ums",
                                              50 + sim_rng_below (&rng, 500));
        g_autofree char *f = g_strdup_printf (
            "traffic.balancer=%s", balancers[sim_rng_below (&rng, 3)]);
        g_autofree char *g = g_strdup_printf ("deployment.pre_stop=%us",
                                              sim_rng_below (&rng, 3));
        g_autofree char *h = g_strdup_printf ("version.v2.crash_rate=0.%u",
                                              sim_rng_below (&rng, 5));
        g_autofree char *k = g_strdup_printf ("cluster.nodes=%u",
                                              1 + sim_rng_below (&rng, 3));
        g_autofree char *l = g_strdup_printf ("scenario.seed=%d", i);
        g_autofree char *m = g_strdup_printf (
            "deployment.termination_grace=%us", 1 + sim_rng_below (&rng, 4));
        const char *strategy = sim_rng_below (&rng, 2)
                                   ? "strategy.type=rolling"
                                   : "strategy.type=recreate";
        const char *sets[] = { a,
                               b,
                               c,
                               d,
                               e,
                               f,
                               g,
                               h,
                               k,
                               l,
                               m,
                               strategy,
                               "cluster.node_cpu=1",
                               "scenario.duration=91s",
                               "scenario.sample=7s",
                               "rollout.at=20s",
                               "rollout.to=v2",
                               "version.v2.service=lognormal(30ms,40ms)",
                               "version.v2.error_rate=0.1",
                               NULL };
        g_autoptr (SimScenario) sc = sim_test_scenario (steady_ini, sets);
        g_autoptr (GError) error = NULL;
        SimWorld *w = sim_world_new (sc, NULL, &error);

        g_assert_no_error (error);
        for (SimTime t = 0; t < sc->duration; t += 250 * SIM_MSEC) {
            sim_world_run_until (w, t);
            assert_servers (w, l);
        }
        sim_world_run (w);
        g_assert_null (sim_world_error (w));
        assert_servers (w, l);
        assert_conserved (w, l);
        sim_world_free (w);
    }
}

/* --- preStop ------------------------------------------------------------------- */

static guint64
errors_of (const char *scenario)
{
    g_autofree char *path = sim_test_src (scenario);
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario)
        sc = sim_scenario_load (sim_cli_schema (), path, NULL, &error);
    SimWorld *w;
    SimSummary s;

    g_assert_no_error (error);
    w = sim_test_run (sc);
    sim_world_summary (w, &s);
    sim_world_free (w);
    return s.total.errors;
}

static void
test_prestop (void)
{
    g_test_summary ("docs/design.md K14: without a preStop "
                    "sleep a rolling update loses requests at each old pod's "
                    "termination (load balancers learn of it endpoint_delay "
                    "later); with pre_stop longer than endpoint_delay it "
                    "loses none");
    g_assert_cmpuint (errors_of ("scenarios/prestop-none.ini"), >, 0);
    g_assert_cmpuint (errors_of ("scenarios/prestop-sleep.ini"), ==, 0);
}

static void
test_fallback (void)
{
    g_autofree char *path = sim_test_src ("scenarios/prestop-sleep.ini");
    const char *sets[] = { "strategy.type=recreate", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario)
        sc = sim_scenario_load (sim_cli_schema (), path, sets, &error);
    SimWorld *w;
    GArray *rows;
    guint64 ok = 0, lost = 0;

    g_test_summary ("docs/design.md K14.3: with no ready "
                    "endpoint left, balancers fall back to terminating pods "
                    "that still serve: during Recreate's preStop sleep the "
                    "old pods answer, none is reported no_endpoint");
    g_assert_no_error (error);
    w = sim_test_run (sc);
    rows = sim_world_metrics (w)->timeseries;
    /* Rollout at 10 s, endpoint_delay 1 s, pre_stop 5 s: the windows
     * ending at 12..15 s lie inside the preStop sleep. */
    for (guint i = 0; i < rows->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (rows, SimTimeseriesRow, i);

        if (r->time >= 12 * SIM_SEC && r->time <= 15 * SIM_SEC) {
            ok += r->c.ok;
            lost += r->c.cause[SIM_CAUSE_NO_ENDPOINT];
        }
    }
    g_assert_cmpuint (ok, >, 100);
    g_assert_cmpuint (lost, ==, 0);
    sim_world_free (w);
}

/* --- Balancers --------------------------------------------------------------------- */

static void
test_round_robin (void)
{
    const char *sets[] = { "deployment.replicas=7",        "cluster.nodes=7",
                           "traffic.balancer=round-robin", "traffic.rate=70",
                           "scenario.duration=100s",       NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (steady_ini, sets);
    SimWorld *w = sim_test_run (sc);
    guint64 lo = G_MAXUINT64, hi = 0;

    g_test_summary ("Round-robin (IPVS) spreads requests evenly: every pod "
                    "gets the same count, give or take one");
    for (guint i = 0; i < w->pods->len; i++) {
        const SimPod *p = g_ptr_array_index (w->pods, i);

        /* Nothing is refused or rejected here: each request it was
         * sent is one it accepted. */
        lo = MIN (lo, p->accepted);
        hi = MAX (hi, p->accepted);
    }
    g_assert_cmpuint (hi - lo, <=, 1);
    g_assert_cmpuint (lo, >, 900);
    sim_world_free (w);
}

static double
p99_with (const char *balancer)
{
    const char *sets[] = { "deployment.replicas=10",
                           "cluster.nodes=10",
                           "deployment.concurrency=1",
                           "traffic.rate=85",
                           balancer,
                           NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (steady_ini, sets);
    SimWorld *w = sim_test_run (sc);
    SimSummary s;

    sim_world_summary (w, &s);
    sim_world_free (w);
    return s.p99_ms;
}

static void
test_least_request (void)
{
    double random = p99_with ("traffic.balancer=random");
    double lr = p99_with ("traffic.balancer=least-request");

    g_test_summary ("Least-request (power of two choices) beats random on "
                    "p99 under load (ten pods at 85% utilisation)");
    g_test_message ("p99 random %.1f ms, least-request %.1f ms", random, lr);
    g_assert_cmpfloat (lr, <, 0.5 * random);
}

/* A rollout with the endpoint lists changing under the balancers, for
 * test_routes_follow_endpoints: rolling, or blue-green (the selector
 * moves). */
static const char routes_ini[] = "[scenario]\n"
                                 "name = routes\n"
                                 "duration = 80s\n"
                                 "[cluster]\n"
                                 "nodes = 6\n"
                                 "node_cpu = 16\n"
                                 "[deployment]\n"
                                 "replicas = 12\n"
                                 "version = v1\n"
                                 "[version.v1]\n"
                                 "startup = uniform(1s,3s)\n"
                                 "service = exp(20ms)\n"
                                 "[version.v2]\n"
                                 "startup = uniform(1s,3s)\n"
                                 "service = exp(20ms)\n"
                                 "[traffic]\n"
                                 "rate = 50\n"
                                 "[strategy]\n"
                                 "type = rolling\n"
                                 "[strategy.rolling]\n"
                                 "max_surge = 3\n"
                                 "max_unavailable = 1\n"
                                 "[rollout]\n"
                                 "at = 10s\n"
                                 "to = v2\n";

static void
test_routes_follow_endpoints (void)
{
    static const char *const cases[][2] = {
        { "traffic.balancer=random", "strategy.type=rolling" },
        { "traffic.balancer=round-robin", "strategy.type=rolling" },
        { "traffic.balancer=least-request", "strategy.type=rolling" },
        { "traffic.balancer=random", "strategy.type=bluegreen" },
    };

    g_test_summary ("A Service keeps the count of its ready endpoints between "
                    "changes: through a rolling update and a blue-green "
                    "switch, stopped every 100 ms, every pod each balancer "
                    "picks is a ready endpoint of a version the Service "
                    "selects at that moment; random and round-robin reach "
                    "every one of them in 400 picks, and share the picks "
                    "between the versions as the endpoints (within 6 "
                    "sigma)");
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
        const char *sets[] = { cases[c][0], cases[c][1], NULL };
        g_autoptr (SimScenario) sc = sim_test_scenario (routes_ini, sets);
        g_autoptr (GError) error = NULL;
        SimWorld *w = sim_world_new (sc, NULL, &error);
        guint mixed = 0, v2_only = 0;
        gboolean least = strstr (cases[c][0], "least") != NULL;

        g_assert_no_error (error);
        for (SimTime t = 0; t <= sc->duration; t += 100 * SIM_MSEC) {
            const SimServiceState *s = &w->services[SIM_SERVICE_ACTIVE];
            gint n[2], picks[2] = { 0, 0 };
            g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

            sim_world_run_until (w, t);
            for (gint v = 0; v < 2; v++)
                n[v] = (s->mask >> v) & 1 ? w->endpoints[v].n : 0;
            for (gint i = 0; i < 400; i++) {
                SimPod *pod = sim_service_route (w, SIM_SERVICE_ACTIVE, 0);

                if (n[0] + n[1] == 0)
                    continue; /* the fallback's, or none */
                g_assert_nonnull (pod);
                g_assert_cmpint ((s->mask >> pod->version) & 1, ==, 1);
                g_assert_cmpint (pod->lb_index, >=, 0);
                g_assert_true (w->endpoints[pod->version].pods[pod->lb_index]
                               == pod);
                picks[pod->version]++;
                g_hash_table_add (seen, pod);
            }
            mixed += n[0] > 0 && n[1] > 0;
            v2_only += n[0] == 0 && n[1] > 0;
            /* 400 picks among at most 15 endpoints miss one with a
             * probability of 1e-11 (random), never (round-robin).
             * Least-request passes over the pods serving a request,
             * and is left out of these counts. */
            if (least || n[0] + n[1] == 0)
                continue;
            for (gint v = 0; v < 2; v++)
                for (gint i = 0; i < n[v]; i++)
                    g_assert_true (
                        g_hash_table_contains (seen, w->endpoints[v].pods[i]));
            {
                double p = (double) n[1] / (n[0] + n[1]);
                double sd = sqrt (400 * p * (1 - p));

                g_assert_cmpfloat (fabs (picks[1] - 400 * p), <=, 6 * sd);
            }
        }
        g_test_message ("%s, %s: %u stops with both versions ready, %u with "
                        "v2 only",
                        cases[c][0], cases[c][1], mixed, v2_only);
        /* Rolling mixes the versions for a while; blue-green switches the
         * selector at once (never both). */
        if (c < 3)
            g_assert_cmpuint (mixed, >, 10);
        else
            g_assert_cmpuint (mixed, ==, 0);
        g_assert_cmpuint (v2_only, >, 100);
        sim_world_free (w);
    }
}

/* --- Rate profile ------------------------------------------------------------------- */

static void
test_profile (void)
{
    g_autofree char *csv = g_build_filename (g_get_tmp_dir (),
                                             "rollsim-profile-XXXXXX", NULL);
    gint fd = g_mkstemp (csv);
    const char text[] = "time_s,rate\n0,10\n100,100\n200,0\n";
    g_autofree char *set = g_strdup_printf ("traffic.profile=%s", csv);
    const char *sets[] = { set, "scenario.duration=300s",
                           "scenario.sample=100s", NULL };
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w;
    const SimTimeseriesRow *rows;

    g_test_summary ("A rate profile (time_s,rate, piecewise constant) sets "
                    "the arrival rate step by step");
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (write (fd, text, sizeof text - 1), ==, sizeof text - 1);
    close (fd);
    sc = sim_test_scenario (steady_ini, sets);
    w = sim_test_run (sc);
    rows = (const SimTimeseriesRow *) sim_world_metrics (w)->timeseries->data;
    /* Rows at 100, 200, 300 close [0,100), [100,200), [200,300). */
    g_assert_cmpfloat (fabs (rows[1].c.arrivals - 1000.0), <, 4 * sqrt (1000));
    g_assert_cmpfloat (fabs (rows[2].c.arrivals - 10000.0), <,
                       4 * sqrt (10000));
    g_assert_cmpuint (rows[3].c.arrivals, ==, 0);
    sim_world_free (w);
    g_unlink (csv);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/traffic/queueing/mmc-erlang-c", test_mmc);
    g_test_add_func ("/traffic/queueing/mm1-random", test_mm1_random);
    g_test_add_func ("/traffic/queueing/little", test_little);
    g_test_add_func ("/traffic/conservation/scenarios",
                     test_conservation_scenarios);
    g_test_add_func ("/traffic/conservation/random", test_conservation_random);
    g_test_add_func ("/traffic/termination/prestop", test_prestop);
    g_test_add_func ("/traffic/termination/fallback", test_fallback);
    g_test_add_func ("/traffic/balancer/round-robin", test_round_robin);
    g_test_add_func ("/traffic/balancer/least-request", test_least_request);
    g_test_add_func ("/traffic/balancer/routes-follow-endpoints",
                     test_routes_follow_endpoints);
    g_test_add_func ("/traffic/arrivals/profile", test_profile);
    return g_test_run ();
}
