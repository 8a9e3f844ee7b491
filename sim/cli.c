/* cli.c - the program's parts put together: the schema (every
 * registered strategy and the groups they use, handed to the loader),
 * loading with --set/--seed, and how errors become exit statuses.
 *
 * Every command goes through here, so that `run`, `check`, `compare`
 * and `sweep` load a scenario the same way and fail the same way.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "timeline.h"
#include "disruption.h"
#include "strategy.h"
#include "experiment.h"
#include "report.h"
#include "background.h"
#include "hpa.h"
#include "import.h"

/* The settings groups of the model's own modules (a timeline, faults,
 * an autoscaler, ...), placed after the strategies' groups: one line
 * each. */
static const SimKeyGroup *const model_groups[] = {
    &sim_background_group,
    &sim_timeline_settings_group,
    &sim_hpa_group,
    &sim_disruption_settings_group,
    NULL,
};

const SimSchema *
sim_cli_schema (void)
{
    static gsize done;
    static SimSchema *schema;

    if (g_once_init_enter (&done)) {
        schema = sim_schema_new ();
        sim_strategy_register_all (schema);
        for (guint i = 0; model_groups[i] != NULL; i++)
            sim_schema_add_group (schema, model_groups[i]);
        g_once_init_leave (&done, 1);
    }
    return schema;
}

char **
sim_cli_sets_with_at (const char *const *sets, const char *const *ats)
{
    GPtrArray *all = g_ptr_array_new ();

    for (const char *const *s = sets; s != NULL && *s != NULL; s++)
        g_ptr_array_add (all, g_strdup (*s));
    for (const char *const *a = ats; a != NULL && *a != NULL; a++)
        g_ptr_array_add (all, g_strconcat ("timeline.actions+=", *a, NULL));
    g_ptr_array_add (all, NULL);
    return (char **) g_ptr_array_free (all, FALSE);
}

static void hint_shipped (const char *path, GError *error);

SimScenario *
sim_cli_load (const char *path, SimCliInput *in, const char *const *sets,
              const char *seed, GError **error)
{
    g_autoptr (GPtrArray) overrides = g_ptr_array_new_with_free_func (g_free);
    SimScenario *sc;

    for (const char *const *s = sets; s != NULL && *s != NULL; s++)
        g_ptr_array_add (overrides, g_strdup (*s));
    if (seed != NULL)
        g_ptr_array_add (overrides, g_strdup_printf ("scenario.seed=%s", seed));
    g_ptr_array_add (overrides, NULL);
    if (path == NULL)
        return sim_scenario_load_builtin (
            sim_cli_schema (), (const char *const *) overrides->pdata, error);
    if (sim_import_is_manifest_path (path)
        || (in != NULL && in->overlay != NULL))
        sc = sim_cli_load_manifests (path, in,
                                     (const char *const *) overrides->pdata,
                                     error);
    else
        sc = sim_scenario_load (sim_cli_schema (), path,
                                (const char *const *) overrides->pdata, error);
    if (sc == NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
        hint_shipped (path, error != NULL ? *error : NULL);
    return sc;
}

char *
sim_cli_scenarios_dir (void)
{
    g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
    g_autofree char *bin = exe != NULL ? g_path_get_dirname (exe) : NULL;
    /* Installed: PREFIX/bin/rollsim and PREFIX/share/rollsim/scenarios;
     * built: build/rollsim beside the source tree's scenarios/. */
    const char *const rel[] = { "../share/rollsim/scenarios", "../scenarios",
                                NULL };

    for (guint i = 0; bin != NULL && rel[i] != NULL; i++) {
        g_autofree char *d = g_build_filename (bin, rel[i], NULL);
        char *real = NULL;

        if (!g_file_test (d, G_FILE_TEST_IS_DIR))
            continue;
        real = g_canonicalize_filename (d, NULL);
        return real;
    }
    return NULL;
}

/* A scenario file that is not there, whose name is one rollsim ships
 * (`rollsim run canary-bad.ini` outside the source tree): say where the
 * shipped one is. */
static void
hint_shipped (const char *path, GError *error)
{
    g_autofree char *dir = sim_cli_scenarios_dir ();
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *shipped = dir != NULL ? g_build_filename (dir, base, NULL)
                                           : NULL;
    char *message;

    if (error == NULL || shipped == NULL
        || !g_file_test (shipped, G_FILE_TEST_IS_REGULAR))
        return;
    message = g_strdup_printf ("%s (rollsim ships a scenario of that name: "
                               "%s)",
                               error->message, shipped);
    g_free (error->message);
    error->message = message;
}

/* Error domains and the exit status they call for; codes not listed
 * (code -1 is any) fall to a run-time failure. */
static const struct {
    GQuark (*domain) (void);
    gint code;
    int status;
} exit_table[] = {
    { sim_scenario_error_quark, -1, SIM_EXIT_USAGE },
    { sim_units_error_quark, -1, SIM_EXIT_USAGE },
    { sim_yaml_error_quark, -1, SIM_EXIT_USAGE },
    { sim_import_error_quark, -1, SIM_EXIT_USAGE },
    { g_option_error_quark, -1, SIM_EXIT_USAGE },
    { sim_experiment_error_quark, SIM_EXPERIMENT_ERROR_USAGE, SIM_EXIT_USAGE },
    { sim_experiment_error_quark, SIM_EXPERIMENT_ERROR_INPUT, SIM_EXIT_USAGE },
    { sim_report_error_quark, SIM_REPORT_ERROR_INPUT, SIM_EXIT_USAGE },
};

int
sim_cli_exit_status (const GError *error)
{
    for (guint i = 0; i < G_N_ELEMENTS (exit_table); i++)
        if (error->domain == exit_table[i].domain ()
            && (exit_table[i].code < 0 || error->code == exit_table[i].code))
            return exit_table[i].status;
    return SIM_EXIT_RUNTIME;
}

int
sim_cli_fail (int code, const char *fmt, ...)
{
    va_list ap;

    fputs ("rollsim: ", stderr);
    va_start (ap, fmt);
    vfprintf (stderr, fmt, ap);
    va_end (ap);
    fputc ('\n', stderr);
    return code;
}

int
sim_cli_error (GError *error)
{
    return sim_cli_fail (sim_cli_exit_status (error), "%s", error->message);
}

void
sim_cli_warn (const SimScenario *sc)
{
    for (guint i = 0; sc->warnings[i] != NULL; i++)
        fprintf (stderr, "rollsim: warning: %s\n", sc->warnings[i]);
}

void
sim_cli_warn_common (const SimScenario *const *scenarios, guint n)
{
    if (n == 0)
        return;
    for (guint i = 0; scenarios[0]->warnings[i] != NULL; i++) {
        const char *w = scenarios[0]->warnings[i];
        gboolean all = TRUE, seen = FALSE;

        for (guint k = 1; k < n && all; k++)
            all = g_strv_contains ((const char *const *) scenarios[k]->warnings,
                                   w);
        for (guint j = 0; j < i && !seen; j++)
            seen = strcmp (scenarios[0]->warnings[j], w) == 0;
        if (all && !seen)
            fprintf (stderr, "rollsim: warning: %s\n", w);
    }
}
