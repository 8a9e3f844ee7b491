/* fuzz-yaml.c - a libFuzzer harness for the YAML reader and the import
 * (`make fuzz`, docs/fuzzing.md).
 *
 * Each input is a YAML stream.  The reader must either keep documents
 * or refuse with a SIM_YAML_ERROR whose message starts "yaml:LINE:COL: "
 * - never crash, leak, or take long: alias bombs and merge-key bombs
 * are refused by weight, so the limits here are the defaults scaled down
 * to keep each input fast.  Every node kept is walked (its weight must
 * account for what the walk meets).  Then the import runs on the
 * documents: it must succeed or fail with SIM_IMPORT_ERROR naming a
 * place; an import that succeeds must load (or be refused by the
 * loader with a message that names a place), and what it writes must
 * load back into the same scenario.  Anything else aborts, and
 * libFuzzer keeps the input.  No state is kept between inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml-reader.h"
#include "import.h"
#include "cli.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const SimYamlLimits limits = {
    .file_bytes = 1 << 20,
    .doc_bytes = 256 << 10,
    .doc_weight = 20000,
    .total_weight = 100000,
    .depth = 64,
};

static void
fail (const char *what, const char *message)
{
    fprintf (stderr, "fuzz-yaml: %s: %s\n", what, message);
    abort ();
}

/* Nodes met walking @n with aliases expanded: at most its weight. */
static guint64
walk (const SimYamlNode *n, guint depth)
{
    guint64 met = 1;
    guint per = n->kind == SIM_YAML_MAPPING ? 2 : 1;

    if (depth > limits.depth + 1)
        fail ("walk", "deeper than the depth limit");
    if (n->kind == SIM_YAML_SCALAR) {
        if (n->text == NULL || n->n != 0)
            fail ("walk", "a scalar without text, or with items");
        return 1;
    }
    for (guint i = 0; i < n->n * per; i++) {
        if (per == 2 && i % 2 == 0 && n->items[i]->kind != SIM_YAML_SCALAR)
            fail ("walk", "a mapping key that is not a scalar");
        met += walk (n->items[i], depth + 1);
    }
    if (met > n->weight)
        fail ("walk", "a node heavier than its weight says");
    return met;
}

static void
check_message (const GError *error, GQuark domain, const char *prefix)
{
    if (error == NULL)
        fail ("error", "a refusal without a GError");
    if (error->domain != domain)
        fail ("error domain", error->message);
    if (prefix != NULL && !g_str_has_prefix (error->message, prefix))
        fail ("error place", error->message);
}

int
LLVMFuzzerInitialize (int *argc, char **argv[])
{
    /* Criticals are bugs: make them fatal, so libFuzzer sees them. */
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    (void) sim_cli_schema ();
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    SimYamlStream *st = sim_yaml_stream_new (&limits);
    g_autoptr (GError) error = NULL;
    g_autoptr (SimImport) imp = NULL;
    g_autoptr (SimScenario) sc = NULL;
    g_autoptr (SimScenario) back = NULL;
    SimImportOptions opt = { 0 };
    const SimAssignment *a;
    gsize n;
    g_autofree char *report = NULL;
    g_autofree char *ini = NULL;
    g_autofree char *text = NULL;
    g_autofree char *again = NULL;

    if (!sim_yaml_stream_add_data (st, "yaml", (const char *) data, size,
                                   &error)) {
        check_message (error, SIM_YAML_ERROR, "yaml:");
        sim_yaml_stream_free (st);
        return 0;
    }
    for (guint i = 0; i < sim_yaml_stream_n_docs (st); i++)
        walk (sim_yaml_stream_doc (st, i)->root, 0);

    imp = sim_import_new (st, &opt, &error);
    if (imp == NULL) {
        check_message (error, SIM_IMPORT_ERROR, NULL);
        return 0;
    }
    report = sim_import_report (imp);
    a = sim_import_assignments (imp, &n);
    sc = sim_scenario_load_assignments (sim_cli_schema (), "", "yaml", a, n,
                                        NULL, &error);
    if (sc == NULL) {
        check_message (error, SIM_SCENARIO_ERROR, "yaml");
        return 0;
    }
    ini = sim_scenario_to_ini (sc);
    text = sim_import_annotate (imp, ini);
    back = sim_scenario_load_data (sim_cli_schema (), text, "back.ini", NULL,
                                   &error);
    if (back == NULL)
        fail ("the scenario written does not load", error->message);
    again = sim_scenario_to_ini (back);
    if (strcmp (again, ini) != 0)
        fail ("the scenario written", "loads into another scenario");
    return 0;
}
