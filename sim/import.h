/* import.h - Kubernetes manifests mapped onto scenario keys.
 *
 * From the documents of a YAML stream (yaml-reader.h) an import picks the
 * workload to simulate (a Deployment, or an Argo Rollout, with the
 * Deployment its workloadRef names), finds what goes with it (the
 * AnalysisTemplates it references, the Services that select its pods,
 * ...) and turns every field it understands into an assignment: a
 * scenario group, key and value with the field as its origin
 * (`deploy.yaml:14 (spec.replicas)`), which the loader applies as it
 * applies --set, so that every check and message names the YAML line.
 * The other Deployments, StatefulSets and DaemonSets become
 * [background] workloads.
 *
 * Every field met gets a line of the report: mapped (to which key, and
 * the value), ignored (why it does not matter to a simulation), or
 * unsupported (it would matter, and rollsim cannot say it); then the
 * objects skipped.  What is mapped how is one table (import-table.c),
 * which docs/import.md prints.
 *
 * Manifests describe one state: the version running at t = 0 is the
 * manifest's (named by its image), and the rollout goes to the version
 * `--to` names, by default VERSION-next with the same settings (what
 * `kubectl rollout restart` does).  The overlay (an .ini scenario) says
 * what manifests do not - traffic, service times, error rates, the
 * cluster - and wins over the manifests where both say something.
 */
#ifndef SIM_IMPORT_H
#define SIM_IMPORT_H

#include <glib.h>
#include "scenario.h"
#include "yaml-reader.h"

#define SIM_IMPORT_ERROR (sim_import_error_quark ())
GQuark sim_import_error_quark (void);
typedef enum {
    SIM_IMPORT_ERROR_NO_WORKLOAD, /* none, or several and no choice */
    SIM_IMPORT_ERROR_INVALID,     /* a field of the wrong type or form */
    SIM_IMPORT_ERROR_MISSING,     /* a reference to an object not given */
    SIM_IMPORT_ERROR_UNSUPPORTED, /* --strict, and a field unsupported */
    SIM_IMPORT_ERROR_OPTION,      /* --workload or --to malformed */
} SimImportError;

typedef enum {
    SIM_IMPORT_MAPPED,
    SIM_IMPORT_IGNORED,
    SIM_IMPORT_UNSUPPORTED,
} SimImportFate;

typedef struct SimImportOptions {
    const char *workload; /* "KIND/NAME" or NULL: the only one */
    const char *to;       /* an image, or a version of the overlay;
                             NULL: VERSION-next */
    /* The overlay's text and its name, or NULL: it says which keys the
     * overlay sets (they win) and which versions it declares. */
    const char *overlay;
    const char *overlay_path;
    gboolean strict; /* an unsupported field is an error */
} SimImportOptions;

typedef struct SimImport SimImport;

/* Import @st, which the import takes (and frees, also on error).  NULL
 * on error: SIM_IMPORT_ERROR (or SIM_SCENARIO_ERROR
 * when the overlay is not a key file), the message naming
 * FILE:LINE: KIND/NAME: field.path. */
SimImport *sim_import_new (SimYamlStream *st, const SimImportOptions *opt,
                           GError **error);
void sim_import_free (SimImport *imp); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimImport, sim_import_free)

/* The assignments to load the overlay with (static while @imp lives). */
const SimAssignment *sim_import_assignments (const SimImport *imp, gsize *n);
/* "Rollout/web", the workload imported (static). */
const char *sim_import_workload (const SimImport *imp);
/* The report, a line each ("FILE:LINE: KIND/NAME: field: mapped -> ..."),
 * then the objects skipped.  Newly allocated. */
char *sim_import_report (const SimImport *imp);
/* Lines of the report of @fate. */
guint sim_import_count (const SimImport *imp, SimImportFate fate);

/* @ini (sim_scenario_to_ini of the scenario loaded from @imp) with a
 * heading that says what was imported, and a comment on every key: its
 * origin, `# overlay` or `# default`.  Newly allocated. */
char *sim_import_annotate (const SimImport *imp, const char *ini);

/* The mapping table, as docs/import.md shows it (markdown), or as one
 * "KINDS<TAB>FIELD<TAB>FATE" line per row (@markdown FALSE), for the
 * test that every row is exercised.  Newly allocated. */
char *sim_import_table (gboolean markdown);

/* Whether @path names manifests rather than a scenario: it ends in
 * .yaml or .yml, is a directory, or is "-". */
gboolean sim_import_is_manifest_path (const char *path);

#endif /* SIM_IMPORT_H */
