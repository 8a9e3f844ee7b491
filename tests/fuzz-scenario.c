/* fuzz-scenario.c - a libFuzzer harness for the scenario loader and the
 * unit and distribution parsers (`make fuzz`, docs/fuzzing.md).
 *
 * One input drives two things.  The whole text is a scenario: it is
 * loaded with sim_scenario_load_data(), and a scenario that loads must
 * survive the round trip its header promises (sim_scenario_to_ini() loads
 * again, and gives the same text again), a copy, a --set and a free.
 * Then every line of the text, and the value after a line's '=', is fed
 * to each units parser and to sim_dist_parse(): a value that parses must
 * format to canonical text that parses back to the same value.  Anything
 * else that goes wrong (a refusal without a GError, an error that names
 * no place, a GLib critical) aborts, and libFuzzer keeps the input.
 *
 * An input whose first byte is 0x01..0x08 picks a fixed set of --set
 * overrides with it (a strategy, a rollout, a seed, distributions,
 * settings that conflict), and the scenario text is the rest; any other
 * first byte is text, with no overrides.
 *
 * The loader reads nothing but traffic.profile files.  The scenario's
 * path puts its directory at the seed corpus (tests/fuzz/corpus/, when
 * run from the top of the tree), so a relative profile name reads one of
 * those small files; a text that mentions "profile" and holds a '/' is
 * not loaded, so the fuzzer cannot point the loader at a large file.  No
 * state is kept between inputs.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "cli.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Relative paths in the scenario are looked up next to it. */
#define FUZZ_PATH "tests/fuzz/corpus/fuzz.ini"

/* Lines fed to the units parsers per input, and their longest length:
 * enough for every value a scenario holds, without quadratic cost on a
 * large input. */
#define MAX_LINES 64
#define MAX_LINE_LEN 256

static const char *const set_none[] = { NULL };
static const char *const set_canary[] = { "strategy.type=canary", NULL };
static const char *const set_bluegreen[] = { "strategy.type=bluegreen", NULL };
static const char *const set_rollout[] = { "rollout.to=v2",
                                           "deployment.replicas=3", NULL };
static const char *const set_seed[] = {
    "scenario.seed=18446744073709551615",
    "traffic.rate=0",
    NULL,
};
static const char *const set_version[] = { "deployment.version=v1", NULL };
static const char *const set_dist[] = { "version.v2.pull=uniform(1s,2s)",
                                        "version.v2.service=erlang(3,1ms)",
                                        NULL };
/* Settings that may conflict with the file's: the errors name the --set. */
static const char *const set_conflict[] = {
    "strategy.rolling.max_surge=0",
    "deployment.min_ready=15m",
    NULL,
};
static const char *const set_recreate[] = { "strategy.type=recreate",
                                            "rollout.at=0", NULL };

/* Index = the selector byte, 0x01..0x08. */
static const char *const *const override_sets[] = {
    set_none,    set_canary, set_bluegreen, set_rollout,  set_seed,
    set_version, set_dist,   set_conflict,  set_recreate,
};

static void die (const char *fmt, ...) G_GNUC_NORETURN G_GNUC_PRINTF (1, 2);

static void
die (const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    fputs ("fuzz-scenario: ", stderr);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
    abort ();
}

/* A refusal must say why, in the module's own domain. */
static void
check_error (const GError *error, GQuark domain, const char *what)
{
    if (error == NULL)
        die ("%s failed without a GError", what);
    if (error->domain != domain || error->message == NULL
        || error->message[0] == '\0')
        die ("%s failed with a foreign or empty GError: %s", what,
             error->message != NULL ? error->message : "(null)");
}

/* --- The scenario ---------------------------------------------------- */

static void
fuzz_scenario (const char *text, const char *const *overrides)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) s = NULL;
    g_autoptr (SimScenario) again = NULL;
    g_autoptr (SimScenario) copy = NULL;
    g_autofree char *ini = NULL;
    g_autofree char *ini_again = NULL;
    g_autofree char *ini_copy = NULL;

    s = sim_scenario_load_data (sim_cli_schema (), text, FUZZ_PATH, overrides,
                                &error);
    if (s == NULL) {
        check_error (error, SIM_SCENARIO_ERROR, "sim_scenario_load_data");
        /* Every message names its place: the file or a --set. */
        if (!g_str_has_prefix (error->message, FUZZ_PATH)
            && !g_str_has_prefix (error->message, "--set "))
            die ("error names no place: %s", error->message);
        return;
    }

    ini = sim_scenario_to_ini (s);
    again = sim_scenario_load_data (sim_cli_schema (), ini, FUZZ_PATH, NULL,
                                    &error);
    if (again == NULL)
        die ("the resolved scenario does not load: %s\n--- resolved:\n%s",
             error != NULL ? error->message : "(no error)", ini);
    ini_again = sim_scenario_to_ini (again);
    if (strcmp (ini, ini_again) != 0)
        die ("the resolved scenario changes when loaded again\n"
             "--- first:\n%s\n--- again:\n%s",
             ini, ini_again);

    copy = sim_scenario_copy (s);
    ini_copy = sim_scenario_to_ini (copy);
    if (strcmp (ini, ini_copy) != 0)
        die ("a copy resolves differently\n--- scenario:\n%s\n--- copy:\n%s",
             ini, ini_copy);
    /* A --set that is always valid goes through the same reload. */
    if (!sim_scenario_set (copy, "scenario.description=fuzz", &error))
        die ("--set of the description fails: %s",
             error != NULL ? error->message : "(no error)");
}

/* --- Units and distributions ----------------------------------------- */

static void
fuzz_duration (const char *text)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *canon = NULL;
    g_autofree char *canon2 = NULL;
    SimTime t = -1, t2 = -1;

    if (!sim_units_parse_duration (text, &t, &error)) {
        check_error (error, SIM_UNITS_ERROR, "sim_units_parse_duration");
        return;
    }
    if (t < 0)
        die ("duration \"%s\" parses to %" G_GINT64_FORMAT, text, t);
    canon = sim_units_format_duration (t);
    if (!sim_units_parse_duration (canon, &t2, &error) || t2 != t)
        die ("duration \"%s\" = %" G_GINT64_FORMAT " formats to \"%s\", "
             "which does not parse back",
             text, t, canon);
    canon2 = sim_units_format_duration (t2);
    if (strcmp (canon, canon2) != 0)
        die ("duration \"%s\" is not canonical (\"%s\")", canon, canon2);
}

static void
fuzz_cpu (const char *text)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *canon = NULL;
    gint64 v = -1, v2 = -1;

    if (!sim_units_parse_cpu (text, &v, &error)) {
        check_error (error, SIM_UNITS_ERROR, "sim_units_parse_cpu");
        return;
    }
    if (v < 0)
        die ("CPU \"%s\" parses to %" G_GINT64_FORMAT, text, v);
    canon = sim_units_format_cpu (v);
    if (!sim_units_parse_cpu (canon, &v2, &error) || v2 != v)
        die ("CPU \"%s\" = %" G_GINT64_FORMAT "m formats to \"%s\", which "
             "does not parse back",
             text, v, canon);
}

static void
fuzz_memory (const char *text)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *canon = NULL;
    gint64 v = -1, v2 = -1;

    if (!sim_units_parse_memory (text, &v, &error)) {
        check_error (error, SIM_UNITS_ERROR, "sim_units_parse_memory");
        return;
    }
    if (v < 0)
        die ("memory \"%s\" parses to %" G_GINT64_FORMAT, text, v);
    canon = sim_units_format_memory (v);
    if (!sim_units_parse_memory (canon, &v2, &error) || v2 != v)
        die ("memory \"%s\" = %" G_GINT64_FORMAT " formats to \"%s\", which "
             "does not parse back",
             text, v, canon);
}

static void
fuzz_int_or_percent (const char *text)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *canon = NULL;
    SimIntOrPercent v, v2;

    if (!sim_units_parse_int_or_percent (text, &v, &error)) {
        check_error (error, SIM_UNITS_ERROR, "sim_units_parse_int_or_percent");
        return;
    }
    if (v.value < 0)
        die ("\"%s\" parses to %d", text, v.value);
    canon = sim_units_format_int_or_percent (v);
    if (!sim_units_parse_int_or_percent (canon, &v2, &error)
        || v2.value != v.value || v2.percent != v.percent)
        die ("\"%s\" formats to \"%s\", which does not parse back", text,
             canon);
    /* Kubernetes' arithmetic on it must not overflow. */
    (void) sim_units_scaled_value (v, 100000, TRUE);
    (void) sim_units_scaled_value (v, 100000, FALSE);
}

static void
fuzz_dist (const char *text)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *canon = NULL;
    g_autofree char *canon2 = NULL;
    SimDist d, d2;
    SimRng rng;

    if (!sim_dist_parse (text, &d, &error)) {
        check_error (error, SIM_UNITS_ERROR, "sim_dist_parse");
        return;
    }
    canon = sim_dist_format (&d);
    if (canon == NULL || !sim_dist_parse (canon, &d2, &error))
        die ("distribution \"%s\" formats to \"%s\", which does not parse: "
             "%s",
             text, canon != NULL ? canon : "(null)",
             error != NULL ? error->message : "(no error)");
    if (d2.kind != d.kind || d2.a != d.a || d2.b != d.b || d2.mu != d.mu
        || d2.sigma != d.sigma)
        die ("distribution \"%s\" formats to \"%s\", which parses to "
             "another distribution",
             text, canon);
    canon2 = sim_dist_format (&d2);
    if (strcmp (canon, canon2) != 0)
        die ("distribution \"%s\" is not canonical (\"%s\")", canon, canon2);
    /* Sampling must stay in range whatever the parameters. */
    sim_rng_init (&rng, 1, 0);
    for (int i = 0; i < 4; i++)
        if (sim_dist_sample (&d, &rng) < 0)
            die ("distribution \"%s\" samples below 0", canon);
    (void) sim_dist_mean (&d);
}

static void
fuzz_value (const char *text)
{
    fuzz_duration (text);
    fuzz_cpu (text);
    fuzz_memory (text);
    fuzz_int_or_percent (text);
    fuzz_dist (text);
}

/* Each line, and the value of a "key = value" line. */
static void
fuzz_units (const char *text)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", MAX_LINES + 1);

    for (guint i = 0; lines[i] != NULL && i < MAX_LINES; i++) {
        const char *eq;

        if (strlen (lines[i]) > MAX_LINE_LEN)
            lines[i][MAX_LINE_LEN] = '\0';
        fuzz_value (lines[i]);
        eq = strchr (lines[i], '=');
        if (eq != NULL)
            fuzz_value (eq + 1);
    }
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
    const char *const *overrides = NULL;
    g_autofree char *text = NULL;

    if (size > 0 && data[0] >= 0x01 && data[0] <= 0x08) {
        overrides = override_sets[data[0]];
        data++;
        size--;
    }
    /* A NUL ends the text, as it would end a C string from a file. */
    text = g_strndup ((const char *) data, size);

    if (!(strstr (text, "profile") != NULL && strchr (text, '/') != NULL))
        fuzz_scenario (text, overrides);
    fuzz_units (text);
    return 0;
}
