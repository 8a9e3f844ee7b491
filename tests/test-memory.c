/* test-memory.c - the memory budget, [scenario] max_memory (memory.h):
 * the estimate `check` makes against what a run then holds, and a run
 * that outgrows its budget stopping, the same way every time. */
#include <string.h>
#include "testutil.h"
#include "memory.h"

static const char base_ini[] = "[scenario]\n"
                               "duration = 20s\n"
                               "[deployment]\n"
                               "replicas = 3\n"
                               "version = v1\n"
                               "queue = unlimited\n"
                               "[version.v1]\n"
                               "service = exp(1ms)\n"
                               "[version.v2]\n"
                               "service = const(1000h)\n"
                               "[traffic]\n"
                               "rate = 20000\n"
                               "timeout = 1s\n"
                               "[strategy]\n"
                               "type = recreate\n";

/* The pool's size a run ended with. */
static gint64
requests_held (const SimScenario *sc)
{
    SimWorld *w = sim_test_run (sc);
    SimMemoryUse use;
    gint64 held;

    sim_world_memory (w, &use);
    held = use.count[SIM_MEMORY_REQUESTS];
    sim_world_free (w);
    return held;
}

static void
test_estimate (void)
{
    /* v1 serves 3 x 10 / 1 ms = 30000/s: nothing piles up at 20000/s; a
     * service that never ends piles up every request. */
    const char *fast[] = { NULL };
    const char *slow[] = { "version.v1.service=const(1000h)", NULL };
    g_autoptr (SimScenario) a = sim_test_scenario (base_ini, fast);
    g_autoptr (SimScenario) b = sim_test_scenario (base_ini, slow);
    SimMemoryUse ea, eb;
    gint64 held_a, held_b;

    g_test_summary ("Robustness review F3: the estimate `check` makes of the "
                    "requests in flight matches what the run holds, within "
                    "the pool's chunk (4096) and a factor 1.2");
    sim_memory_estimate (a, &ea);
    sim_memory_estimate (b, &eb);
    held_a = requests_held (a);
    held_b = requests_held (b);
    g_test_message ("fast: estimated %" G_GINT64_FORMAT
                    ", held %" G_GINT64_FORMAT
                    "; slow: estimated %" G_GINT64_FORMAT
                    ", held %" G_GINT64_FORMAT,
                    ea.count[SIM_MEMORY_REQUESTS], held_a,
                    eb.count[SIM_MEMORY_REQUESTS], held_b);
    g_assert_cmpint (ea.count[SIM_MEMORY_REQUESTS], <=, 4096);
    g_assert_cmpint (held_a, <=, 4096);
    /* 20000/s for 20 s: 400000 requests. */
    g_assert_cmpint (eb.count[SIM_MEMORY_REQUESTS], >=, 400000);
    g_assert_cmpint (eb.count[SIM_MEMORY_REQUESTS], <=, 400100);
    g_assert_cmpint (held_b, >=, 400000 * 0.95);
    g_assert_cmpint (held_b, <=, 400000 * 1.2 + 4096);
    /* And the budget refuses it when it cannot hold that much. */
    {
        const char *small[] = { "version.v1.service=const(1000h)",
                                "scenario.max_memory=16Mi", NULL };
        g_autoptr (GError) error = NULL;
        g_autoptr (SimScenario)
            c = sim_scenario_load_data (sim_cli_schema (), base_ini, "m.ini",
                                        small, &error);

        g_assert_null (c);
        g_assert_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT);
        g_assert_nonnull (strstr (error->message, "m.ini:6: deployment.queue: "
                                                  "about 400"));
    }
}

/* What the run outgrows can only be seen during it: here the new
 * version, not the one `check` estimates from, never answers. */
static void
test_stop (void)
{
    const char *sets[] = { "scenario.duration=200s", "rollout.to=v2",
                           "rollout.at=1s", "scenario.max_memory=32Mi", NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (base_ini, sets);
    SimTime stopped[2];

    g_test_summary ("Robustness review F3: a run that outgrows "
                    "scenario.max_memory stops, saying what grew and which "
                    "key bounds it, at the same point every time");
    for (gint i = 0; i < 2; i++) {
        g_autoptr (GError) error = NULL;
        SimWorld *w = sim_world_new (sc, NULL, &error);
        const GError *why;
        SimMemoryUse use;

        g_assert_no_error (error);
        sim_world_run (w);
        why = sim_world_error (w);
        g_assert_nonnull (why);
        g_assert_error (why, SIM_MEMORY_ERROR, SIM_MEMORY_ERROR_BUDGET);
        g_assert_nonnull (strstr (why->message, "the requests held"));
        g_assert_nonnull (strstr (why->message, "deployment.queue bounds"));
        g_assert_nonnull (strstr (why->message, "scenario.max_memory (32Mi)"));
        stopped[i] = sim_world_now (w);
        g_assert_cmpint (stopped[i], <, sc->duration);
        /* Nothing runs after the stop. */
        sim_world_run (w);
        g_assert_cmpint (sim_world_now (w), ==, stopped[i]);
        sim_world_memory (w, &use);
        g_assert_cmpint (sim_memory_total (&use), >, sc->max_memory);
        g_assert_cmpint (sim_memory_total (&use), <,
                         sc->max_memory + 4 * 1024 * 1024);
        sim_world_free (w);
    }
    g_assert_cmpint (stopped[0], ==, stopped[1]);
}

/* The shipped scenarios are far from the budget. */
static void
test_shipped (void)
{
    g_autoptr (GDir) dir = NULL;
    g_autofree char *path = sim_test_src ("scenarios");
    const char *name;

    g_test_summary ("Every shipped scenario's estimate is under 1% of the "
                    "default budget (bench-scale, sized to be large, 5%)");
    dir = g_dir_open (path, 0, NULL);
    g_assert_nonnull (dir);
    while ((name = g_dir_read_name (dir)) != NULL) {
        g_autofree char *file = g_build_filename (path, name, NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (SimScenario) sc = NULL;
        SimMemoryUse use;

        if (!g_str_has_suffix (name, ".ini"))
            continue;
        sc = sim_scenario_load (sim_cli_schema (), file, NULL, &error);
        g_assert_no_error (error);
        sim_memory_estimate (sc, &use);
        g_assert_cmpint (sim_memory_total (&use), <,
                         sc->max_memory
                             / (strcmp (name, "bench-scale.ini") == 0 ? 20
                                                                      : 100));
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/memory/estimate/requests", test_estimate);
    g_test_add_func ("/memory/run/stop", test_stop);
    g_test_add_func ("/memory/estimate/shipped", test_shipped);
    return g_test_run ();
}
