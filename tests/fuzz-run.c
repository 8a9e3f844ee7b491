/* fuzz-run.c - a libFuzzer harness that loads a scenario from the input,
 * runs it, and checks what every run must satisfy (`make fuzz`,
 * docs/fuzzing.md).
 *
 * The loader's own harness (fuzz-scenario.c) stops where a scenario is
 * accepted; this one goes on.  A scenario that loads is run to its end,
 * and then:
 *
 * - conservation (sim_metrics_conserved): every arrival answered once or
 *   still in flight, causes summing to errors, series rows to totals;
 * - the outcome is one a run can have: none exactly when there is no
 *   rollout; never aborted for rolling and recreate, which have no
 *   analysis;
 * - for rolling with healthy versions (no crash, probe, hang or other
 *   version setting that takes a ready pod away, no cluster autoscaler,
 *   the initial pods all placed), the limits of the Deployment
 *   controller after t = 0: pods
 *   not terminating never exceed replicas + maxSurge, available pods
 *   never drop below replicas - maxUnavailable, both computed here from
 *   the keys (docs/design.md K2.2), not by the code under test;
 * - a run stopped by its memory budget says so in SIM_MEMORY_ERROR.
 *
 * Runs are kept short so the fuzzer explores: a scenario over the bounds
 * below (replicas, nodes, duration, samples, requests) is skipped, the
 * memory budget is 64Mi (--set scenario.max_memory), and a run is
 * abandoned past MAX_EVENTS engine events (a microsecond analysis
 * interval).  Relative profile names read the corpus, as in
 * fuzz-scenario.c, and a text naming a profile with a '/' is skipped.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "memory.h"
#include "metrics.h"
#include "scenario.h"
#include "world.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_PATH "tests/fuzz/corpus/fuzz.ini"

/* What a run may be, to stay well under a second. */
#define MAX_REPLICAS 40
#define MAX_NODES 40
#define MAX_DURATION (30 * SIM_MIN)
#define MAX_SAMPLES 3000
#define MAX_REQUESTS 30000.0
#define MAX_CONCURRENCY 1000
#define MAX_EVENTS 2000000
#define SLICES 20

/* Groups whose defaults keep the rolling limits as computed below: the
 * core groups, the strategies' and [analysis].  Any other group (a
 * timeline, faults, an autoscaler) written away from its defaults may
 * change replicas or pods mid-run, and the limits are not checked. */
static const char *const plain_groups[] = {
    "scenario",
    "cluster",
    "deployment",
    "version.*",
    "traffic",
    "strategy",
    "strategy.rolling",
    "strategy.recreate",
    "strategy.canary",
    "strategy.bluegreen",
    "analysis",
    "rollout",
    NULL,
};

static const char *const overrides[] = { "scenario.max_memory=64Mi", NULL };

static void die (const char *fmt, ...) G_GNUC_NORETURN G_GNUC_PRINTF (1, 2);

static void
die (const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    fputs ("fuzz-run: ", stderr);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
    abort ();
}

/* --- Bounds ------------------------------------------------------------- */

static double
top_rate (const SimScenario *sc)
{
    double top = sc->rate;

    for (gint i = 0; i < sc->n_profile_steps; i++)
        top = MAX (top, sc->profile_steps[i].rate);
    return top + sc->preview_rate;
}

static gboolean
small_enough (const SimScenario *sc)
{
    return sc->replicas <= MAX_REPLICAS && sc->nodes <= MAX_NODES
           && sc->duration <= MAX_DURATION
           && sc->duration / sc->sample <= MAX_SAMPLES
           && sc->concurrency <= MAX_CONCURRENCY
           && top_rate (sc) * SIM_TIME_TO_SEC (sc->duration) <= MAX_REQUESTS;
}

/* --- The limits of a rolling update ------------------------------------------ */

/* The defaults of every group, to tell which groups a scenario changed. */
static const SimScenario *
defaults (void)
{
    static SimScenario *def;

    if (def == NULL) {
        g_autoptr (GError) error = NULL;

        def = sim_scenario_load_data (sim_cli_schema (),
                                      "[deployment]\nversion = a\n"
                                      "[version.a]\n",
                                      FUZZ_PATH, NULL, &error);
        if (def == NULL)
            die ("the defaults do not load: %s", error->message);
    }
    return def;
}

/* Every group outside plain_groups at its defaults. */
static gboolean
plain (const SimScenario *sc)
{
    const SimKeyGroup *const *groups = sim_schema_groups (sim_cli_schema ());

    for (guint i = 0; groups[i] != NULL; i++) {
        const SimKeyGroup *g = groups[i];
        gconstpointer a, b;

        if (g_strv_contains (plain_groups, g->name) || g->size == 0)
            continue;
        a = sim_scenario_group (sc, g);
        b = sim_scenario_group (defaults (), g);
        for (const SimKeyRow *row = g->rows; row->key != NULL; row++) {
            g_autofree char *va = sim_key_format (row, a);
            g_autofree char *vb = sim_key_format (row, b);

            if (strcmp (va, vb) != 0)
                return FALSE;
        }
    }
    return TRUE;
}

/* maxSurge and maxUnavailable for @replicas, from the keys' text: a
 * percentage of surge rounds up, of unavailability down; both 0 makes
 * unavailability 1 (K2.2). */
static void
fenceposts (const SimScenario *sc, gint64 *surge, gint64 *unavailable)
{
    const SimKeyGroup *g = NULL;
    const SimKeyGroup *const *groups = sim_schema_groups (sim_cli_schema ());
    gint64 v[2];

    for (guint i = 0; groups[i] != NULL; i++)
        if (strcmp (groups[i]->name, "strategy.rolling") == 0)
            g = groups[i];
    for (gint k = 0; k < 2; k++) {
        const SimKeyRow *row = sim_key_group_row (g, k == 0
                                                         ? "max_surge"
                                                         : "max_unavailable");
        g_autofree char *text = sim_key_format (row,
                                                sim_scenario_group (sc, g));
        gint64 n = g_ascii_strtoll (text, NULL, 10);

        if (g_str_has_suffix (text, "%"))
            n = k == 0 ? (n * sc->replicas + 99) / 100 : n * sc->replicas / 100;
        v[k] = n;
    }
    if (v[0] == 0 && v[1] == 0)
        v[1] = 1;
    *surge = v[0];
    *unavailable = MIN (v[1], sc->replicas);
}

/* Keys of [version.NAME] that leave a pod ready once it is: the times
 * and the error rate.  Any other (a crash rate, probes, a hang, memory
 * use) may take a ready pod away, and maxUnavailable bounds only what
 * the controller deletes. */
static const char *const calm_version_keys[] = {
    "pull", "startup", "service", "error_rate", "cpu_per_request", NULL,
};

/* @group's keys, those of @keys only (NULL: all), as in the defaults. */
static gboolean
as_default (const char *group, gconstpointer a, gconstpointer b,
            const char *const *keys, gboolean except)
{
    const SimKeyGroup *g = sim_key_find_group (
        sim_schema_groups (sim_cli_schema ()), group);

    for (const SimKeyRow *row = g->rows; row->key != NULL; row++) {
        g_autofree char *va = NULL;
        g_autofree char *vb = NULL;

        if (keys != NULL && g_strv_contains (keys, row->key) == except)
            continue;
        va = sim_key_format (row, a);
        vb = sim_key_format (row, b);
        if (strcmp (va, vb) != 0)
            return FALSE;
    }
    return TRUE;
}

static gboolean
healthy (const SimScenario *sc, SimWorld *w)
{
    static const char *const autoscaler[] = { "autoscaler", NULL };
    SimEventLog *log = sim_world_events (w);

    for (gint v = 0; v < sc->n_versions; v++)
        if (!as_default ("version.x", &sc->versions[v],
                         &defaults ()->versions[0], calm_version_keys, TRUE))
            return FALSE;
    /* No node removed under the pods. */
    if (!as_default ("cluster", sc, defaults (), autoscaler, FALSE))
        return FALSE;
    /* The warm start placed every initial pod. */
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->time > 0)
            break;
        if (r->kind == SIM_EVENT_POD_UNSCHEDULABLE)
            return FALSE;
    }
    return TRUE;
}

static void
check_rolling (const SimScenario *sc, SimWorld *w, const char *text)
{
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) avail = g_hash_table_new (g_str_hash, g_str_equal);
    gint64 surge, unavailable;

    fenceposts (sc, &surge, &unavailable);
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        switch (r->kind) {
        case SIM_EVENT_POD_CREATED:
            g_hash_table_add (active, r->object);
            break;
        case SIM_EVENT_POD_AVAILABLE:
            g_hash_table_add (avail, r->object);
            break;
        case SIM_EVENT_POD_TERMINATING:
            g_hash_table_remove (active, r->object);
            g_hash_table_remove (avail, r->object);
            break;
        default:
            continue;
        }
        if (r->time == 0)
            continue;
        if ((gint64) g_hash_table_size (active) > sc->replicas + surge)
            die ("t=%.6fs: %u pods not terminating > replicas %d + surge "
                 "%" G_GINT64_FORMAT "\n--- scenario:\n%s",
                 SIM_TIME_TO_SEC (r->time), g_hash_table_size (active),
                 sc->replicas, surge, text);
        if ((gint64) g_hash_table_size (avail) < sc->replicas - unavailable)
            die ("t=%.6fs: %u pods available < replicas %d - unavailable "
                 "%" G_GINT64_FORMAT "\n--- scenario:\n%s",
                 SIM_TIME_TO_SEC (r->time), g_hash_table_size (avail),
                 sc->replicas, unavailable, text);
    }
}

/* --- One input ------------------------------------------------------------ */

static void
check_run (const SimScenario *sc, SimWorld *w, const char *text)
{
    SimMetrics *m = sim_world_metrics (w);
    g_autofree char *why = NULL;
    SimSummary s;
    gboolean deployment = strcmp (sc->strategy, "rolling") == 0
                          || strcmp (sc->strategy, "recreate") == 0;

    if (!sim_metrics_conserved (m, &why))
        die ("not conserved: %s\n--- scenario:\n%s", why, text);
    sim_world_summary (w, &s);
    if (s.outcome < SIM_OUTCOME_NONE || s.outcome > SIM_OUTCOME_STALLED)
        die ("outcome %d is none of the known ones\n--- scenario:\n%s",
             (int) s.outcome, text);
    /* A rollout comes from [rollout] or from a timeline action
     * (set-image): it has an outcome exactly when one began or was due. */
    if ((s.outcome == SIM_OUTCOME_NONE)
        != (!sc->has_rollout && s.rollout_start < 0))
        die ("outcome %s with%s a [rollout] and rollout_start %" G_GINT64_FORMAT
             "\n--- scenario:\n%s",
             sim_outcome_name (s.outcome), sc->has_rollout ? "" : "out",
             (gint64) s.rollout_start, text);
    if (deployment && s.outcome == SIM_OUTCOME_ABORTED)
        die ("a %s rollout aborted: it has no analysis\n--- scenario:\n%s",
             sc->strategy, text);
    if (strcmp (sc->strategy, "rolling") == 0 && plain (sc) && healthy (sc, w))
        check_rolling (sc, w, text);
}

static void
fuzz_run (const char *text)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) sc = NULL;
    SimWorld *w;
    const GError *stopped;

    sc = sim_scenario_load_data (sim_cli_schema (), text, FUZZ_PATH, overrides,
                                 &error);
    if (sc == NULL) {
        if (error == NULL || error->domain != SIM_SCENARIO_ERROR)
            die ("refused without a scenario error: %s",
                 error != NULL ? error->message : "(none)");
        return;
    }
    if (!small_enough (sc))
        return;
    w = sim_world_new (sc, NULL, &error);
    if (w == NULL)
        die ("a scenario that loads makes no world: %s\n--- scenario:\n%s",
             error != NULL ? error->message : "(no error)", text);
    for (gint i = 1; i <= SLICES; i++) {
        sim_world_run_until (w,
                             sc->duration / SLICES * i
                                 + (i == SLICES ? sc->duration % SLICES : 0));
        if (sim_world_events_executed (w) > MAX_EVENTS)
            break;
    }
    stopped = sim_world_error (w);
    if (stopped != NULL) {
        if (stopped->domain != SIM_MEMORY_ERROR
            || strstr (stopped->message, "over scenario.max_memory") == NULL)
            die ("a run stopped with a foreign error: %s", stopped->message);
    } else if (sim_world_now (w) == sc->duration) {
        check_run (sc, w, text);
    }
    sim_world_free (w);
}

/* --- libFuzzer -------------------------------------------------------- */

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    /* A failed g_return_if_fail() is a bug: make it a crash. */
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    g_autofree char *text = NULL;

    /* A scenario is a few kB; longer inputs only slow the search. */
    if (size > 8192)
        return 0;
    text = g_strndup ((const char *) data, size);
    if (strstr (text, "profile") != NULL && strchr (text, '/') != NULL)
        return 0;
    fuzz_run (text);
    return 0;
}
