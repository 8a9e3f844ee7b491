/* import-cli.c - manifests on the command line: `rollsim import`, and
 * the in-memory import behind run, check, compare and sweep (cli.h).
 *
 * Both go the same way: read the manifests (yaml-reader.h), import them
 * (import.h), load the overlay's text with the import's assignments and
 * the --set overrides (sim_scenario_load_assignments), so the loader's
 * checks name the YAML lines.  `rollsim import` then writes the
 * resolved scenario with the origin of every key, atomically: on any
 * failure nothing is written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "import.h"
#include "scenario-place.h"

void
sim_cli_input_entries (GOptionContext *ctx, SimCliInput *in)
{
    GOptionEntry entries[] = {
        { "overlay", 0, 0, G_OPTION_ARG_FILENAME, &in->overlay,
          "Manifests: a scenario with what they do not say (traffic, "
          "versions, cluster); it wins where both say",
          "FILE.ini" },
        { "workload", 0, 0, G_OPTION_ARG_STRING, &in->workload,
          "Manifests: the workload to simulate", "KIND/NAME" },
        { "to", 0, 0, G_OPTION_ARG_STRING, &in->to,
          "Manifests: roll out to this image or overlay version (default: "
          "VERSION-next, the same settings)",
          "IMAGE_OR_VERSION" },
        { "strict", 0, 0, G_OPTION_ARG_NONE, &in->strict,
          "Manifests: an unsupported field is an error", NULL },
        { NULL }
    };

    g_option_context_add_main_entries (ctx, entries, NULL);
}

void
sim_cli_input_clear (SimCliInput *in)
{
    g_clear_pointer (&in->overlay, g_free);
    g_clear_pointer (&in->workload, g_free);
    g_clear_pointer (&in->to, g_free);
    g_clear_pointer (&in->path, g_free);
    g_clear_pointer (&in->overlay_text, g_free);
    g_clear_pointer (&in->import, sim_import_free);
}

char *
sim_cli_input_summary (const SimCliInput *in)
{
    if (in == NULL || in->import == NULL)
        return NULL;
    return g_strdup_printf (
        "imported %s from %s: %u fields mapped, %u ignored, %u unsupported "
        "(`rollsim import` shows them)",
        sim_import_workload (in->import), in->path,
        sim_import_count (in->import, SIM_IMPORT_MAPPED),
        sim_import_count (in->import, SIM_IMPORT_IGNORED),
        sim_import_count (in->import, SIM_IMPORT_UNSUPPORTED));
}

char *
sim_cli_input_report (const SimCliInput *in)
{
    return in != NULL && in->import != NULL ? sim_import_report (in->import)
                                            : NULL;
}

/* The overlay, read as a scenario file is (a regular file, of a
 * scenario's size). */
static char *
read_text (const char *path, GError **error)
{
    gsize len;
    char *text = sim_key_read_file (path, "an overlay", SIM_KEY_FILE_MAX, &len,
                                    error);

    if (text != NULL && memchr (text, '\0', len) != NULL) {
        g_free (text);
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s: not a text file (it holds a NUL byte)", path);
        return NULL;
    }
    return text;
}

/* Import @paths into @in (unless the same path is imported already). */
static gboolean
import_paths (SimCliInput *in, const char *const *paths, GError **error)
{
    g_autoptr (SimYamlStream) st = sim_yaml_stream_new (NULL);
    g_autofree char *joined = g_strjoinv (" ", (char **) paths);
    SimImportOptions opt = { 0 };

    if (in->import != NULL && g_strcmp0 (in->path, joined) == 0)
        return TRUE;
    g_clear_pointer (&in->import, sim_import_free);
    g_clear_pointer (&in->overlay_text, g_free);
    g_free (in->path);
    in->path = g_steal_pointer (&joined);
    for (guint i = 0; paths[i] != NULL; i++)
        if (!sim_yaml_stream_add_path (st, paths[i], error))
            return FALSE;
    if (in->overlay != NULL
        && (in->overlay_text = read_text (in->overlay, error)) == NULL)
        return FALSE;
    opt.workload = in->workload;
    opt.to = in->to;
    opt.overlay = in->overlay_text;
    opt.overlay_path = in->overlay;
    opt.strict = in->strict;
    in->import = sim_import_new (g_steal_pointer (&st), &opt, error);
    return in->import != NULL;
}

static SimScenario *
load_import (SimCliInput *in, const char *const *overrides, GError **error)
{
    gsize n;
    const SimAssignment *a = sim_import_assignments (in->import, &n);
    const char *name = in->overlay != NULL ? in->overlay : in->path;

    return sim_scenario_load_assignments (
        sim_cli_schema (), in->overlay_text != NULL ? in->overlay_text : "",
        strcmp (name, "-") == 0 ? "(stdin)" : name, a, n, overrides, error);
}

SimScenario *
sim_cli_load_manifests (const char *path, SimCliInput *in,
                        const char *const *overrides, GError **error)
{
    const char *paths[2] = { path, NULL };
    SimCliInput none = { 0 };

    if (in == NULL)
        in = &none;
    if (!sim_import_is_manifest_path (path)) {
        g_set_error (error, SIM_IMPORT_ERROR, SIM_IMPORT_ERROR_OPTION,
                     "%s: --overlay, --workload and --to go with manifests "
                     "(.yaml, .yml, a directory or -), not a scenario file",
                     path);
        return NULL;
    }
    if (!import_paths (in, paths, error))
        return NULL;
    return load_import (in, overrides, error);
}

SimScenario *
sim_cli_load_variant (gpointer data, const char *path, const char *const *sets,
                      GError **error)
{
    return sim_cli_load (path, data, sets, NULL, error);
}

/* --- rollsim import -------------------------------------------------------- */

/* Write @text to @path through a temporary file renamed into place. */
static gboolean
write_atomically (const char *path, const char *text, GError **error)
{
    g_autoptr (GError) err = NULL;

    if (g_file_set_contents (path, text, -1, &err))
        return TRUE;
    g_set_error (error, G_FILE_ERROR, err->code, "%s: cannot write: %s", path,
                 err->message);
    return FALSE;
}

int
sim_cli_import (int argc, char **argv)
{
    SimCliInput in = { 0 };
    g_autofree char *out = NULL;
    g_autofree char *table = NULL;
    gboolean quiet = FALSE;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Write the scenario to FILE (default: standard output); nothing "
          "is written on failure",
          "FILE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "No mapping report on standard error", NULL },
        { "table", 0, 0, G_OPTION_ARG_STRING, &table,
          "Print the mapping table (markdown: as docs/import.md; tsv: "
          "KINDS, FIELD, FATE) and nothing else",
          "markdown|tsv" },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "FILE... - turn Kubernetes manifests into a scenario");
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) sc = NULL;
    g_autoptr (SimScenario) again = NULL;
    g_autofree char *ini = NULL;
    g_autofree char *text = NULL;
    g_autofree char *report = NULL;
    int rc = SIM_EXIT_OK;

    g_option_context_add_main_entries (ctx, entries, NULL);
    sim_cli_input_entries (ctx, &in);
    g_option_context_set_description (
        ctx,
        "FILE is a YAML file (documents separated by ---, or a kind: List),\n"
        "a directory (its .yaml and .yml files, sorted) or - (standard\n"
        "input: kustomize build . | rollsim import -).  The scenario runs\n"
        "the manifest's version at t = 0 and rolls out to --to (default\n"
        "VERSION-next, the same settings: kubectl rollout restart).  Every\n"
        "key says where its value came from.  The report on standard error\n"
        "says, field by field, what was mapped, ignored or unsupported\n"
        "(docs/import.md has the table).\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        sim_cli_input_clear (&in);
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "import: %s (see rollsim import --help)",
                             error->message);
    }
    if (table != NULL) {
        g_autofree char *t = NULL;

        sim_cli_input_clear (&in);
        if (strcmp (table, "markdown") != 0 && strcmp (table, "tsv") != 0)
            return sim_cli_fail (SIM_EXIT_USAGE,
                                 "import: --table %s: unknown format "
                                 "(accepted: markdown, tsv)",
                                 table);
        t = sim_import_table (strcmp (table, "markdown") == 0);
        fputs (t, stdout);
        return SIM_EXIT_OK;
    }
    if (argc < 2) {
        sim_cli_input_clear (&in);
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "import: name the manifests (a file, a "
                             "directory, or - for standard input)");
    }
    if (!import_paths (&in, (const char *const *) argv + 1, &error)
        || (sc = load_import (&in, NULL, &error)) == NULL) {
        /* When the manifests were read but the scenario they make is
         * refused, what was mapped where helps to see why: the report
         * first, then the error (which names the field). */
        if (!quiet && in.import != NULL) {
            g_autofree char *so_far = sim_import_report (in.import);

            fputs (so_far, stderr);
        }
        rc = sim_cli_error (error);
        sim_cli_input_clear (&in);
        return rc;
    }
    ini = sim_scenario_to_ini (sc);
    text = sim_import_annotate (in.import, ini);
    /* What is written must load as it was meant: anything else is a bug
     * of the annotation. */
    again = sim_scenario_load_data (sim_cli_schema (), text,
                                    out != NULL ? out : "(output)", NULL,
                                    &error);
    if (again == NULL)
        g_error ("import: the scenario written does not load: %s",
                 error->message);
    report = sim_import_report (in.import);
    if (!quiet)
        fputs (report, stderr);
    if (out != NULL) {
        if (!write_atomically (out, text, &error))
            rc = sim_cli_fail (SIM_EXIT_RUNTIME, "import: %s", error->message);
    } else {
        fputs (text, stdout);
    }
    sim_cli_input_clear (&in);
    return rc;
}
