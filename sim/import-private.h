/* import-private.h - what import.c (objects, walk, report, assignments)
 * and import-table.c (the mapping table and its converters) share.
 * Nothing else includes it.
 *
 * The walk visits every node of a manifest it imports, with the node's
 * path ("spec.template.spec.containers[0].image") and its pattern, the
 * path with indices blanked ("spec.template.spec.containers[].image").
 * A row of the table (SimImportRow) names a pattern, for some kinds;
 * the most specific row that matches a node decides it:
 *
 *   - a converter row calls its converter, which assigns keys and
 *     writes the node's report line (or fails);
 *   - an ignored or unsupported row writes the line with its reason.
 *
 * A row on a mapping or list covers everything below it (one line)
 * unless it is SIM_IMPORT_ROW_DESCEND, whose converter sees the node
 * and the walk goes on into its children.  A pattern ending ".*" matches
 * every field below its prefix that no longer pattern matches.  A leaf
 * that no row names is ignored, "not used by rollsim".
 */
#ifndef SIM_IMPORT_PRIVATE_H
#define SIM_IMPORT_PRIVATE_H

#include "import.h"
#include "scenario-place.h"

/* One object of the input (a document, or an item of a `kind: List`). */
typedef struct SimImportObject {
    const SimYamlDoc *doc;
    const SimYamlNode *node;
    const char *kind; /* borrowed from the tree; "" when absent */
    const char *name;
    const char *api;
    char *label;   /* "Kind/name" */
    gboolean seen; /* reported, as imported or skipped */
} SimImportObject;

typedef struct SimImportRow SimImportRow;
typedef struct SimImportCtx SimImportCtx;

/* Map @node (at @path, in @obj) as @row says.  FALSE: ctx->error set. */
typedef gboolean (*SimImportConv) (SimImportCtx *c, const SimImportObject *obj,
                                   const SimYamlNode *node, const char *path,
                                   const SimImportRow *row);

enum {
    SIM_IMPORT_ROW_DESCEND = 1 << 0, /* convert, then walk the children */
};

struct SimImportRow {
    const char *kinds;   /* space-separated kinds the row is for */
    const char *pattern; /* "spec.replicas", "spec.template.spec.
                            containers[].image", "metadata.labels.*" */
    SimImportFate fate;
    const char *target; /* "deployment.replicas", for the table;
                           what converter-less mapped rows assign */
    SimImportConv conv; /* NULL: the value as it is (mapped rows), or
                           a line with @why (the others) */
    const char *why;    /* the reason, or for mapped rows how */
    guint flags;
};

/* The group of a version's keys before the version is known (probes are
 * met before the image, or without it): the running version's, and the
 * next one's, once named. */
#define SIM_IMPORT_VERSION "version.NAME"

/* The table: NULL-terminated by a row with pattern NULL. */
extern const SimImportRow sim_import_rows[];

/* A resource request summed as Kubernetes computes a pod's. */
typedef struct SimImportRequest {
    gint64 containers; /* sum over containers */
    gint64 sidecars;   /* sum over init containers that keep running */
    gint64 init_peak;  /* largest init container + sidecars before it */
    guint n;           /* requests met */
    const SimYamlNode *first;
    char *first_path;
    const SimImportObject *obj;
} SimImportRequest;

struct SimImportCtx {
    const SimImportOptions *opt;
    GPtrArray *objects; /* SimImportObject* */
    SimImportObject *workload;
    SimImportObject *pod_source;    /* holds spec.template */
    const char *strategy;           /* rolling, recreate, canary, bluegreen */
    const SimImportObject *flagger; /* the Flagger Canary that targets the
                                       workload, or NULL */
    GPtrArray *lines;               /* report lines */
    GPtrArray *assigns;             /* SimImportAssign* */
    GKeyFile *overlay;              /* NULL: none */
    SimPlaces overlay_places;       /* its lines, when there is one */
    GError *error;

    /* Accumulated over several fields, assigned after the walk. */
    SimImportRequest cpu, memory;
    GString *steps;
    const SimYamlNode *steps_node;
    const SimImportObject *steps_obj;
    GPtrArray *templates; /* SimImportObject* referenced, in order */
    GString *conditions;  /* analysis.metrics */
    const SimYamlNode *conditions_node;
    const SimImportObject *conditions_obj;
    char *conditions_path;
    char *version; /* the running version's name */
    char *image;   /* and its image */
    /* The node walked and its key: lines name a field by its key. */
    const SimYamlNode *key, *value;
    gboolean skip_children;  /* a converter says: not below this node */
    char *toleration;        /* the first one's seconds */
    gint probe_container[3]; /* readiness, liveness, startup: the
                                container probed, or -1 */
};

/* Assign GROUP.KEY = @value from @node (at @path of @obj) and report it
 * mapped.  @shown: what the line shows instead of the key's final value
 * (for a part of a list value), or NULL. */
void sim_import_assign (SimImportCtx *c, const SimImportObject *obj,
                        const SimYamlNode *node, const char *path,
                        const char *target, const char *value,
                        const char *shown);
/* The same with an origin saying more than the path ("..., sum of 2"). */
void sim_import_assign_as (SimImportCtx *c, const SimImportObject *obj,
                           const SimYamlNode *node, const char *what,
                           const char *target, const char *value);
/* A report line: mapped into @target (no assignment: the value is
 * assigned later, or is part of a list) with @why, or ignored or
 * unsupported with @why. */
void sim_import_line (SimImportCtx *c, const SimImportObject *obj,
                      const SimYamlNode *node, const char *path,
                      SimImportFate fate, const char *target, const char *shown,
                      const char *why);
/* Set c->error "FILE:LINE: KIND/NAME: PATH: MESSAGE", return FALSE. */
gboolean sim_import_fail (SimImportCtx *c, const SimImportObject *obj,
                          const SimYamlNode *node, const char *path,
                          SimImportError code, const char *fmt, ...)
    G_GNUC_PRINTF (6, 7);
/* Walk @node of @obj at @path through the table; @key is the mapping key
 * it is the value of (its line names the field), or NULL.  FALSE:
 * c->error set. */
gboolean sim_import_walk (SimImportCtx *c, const SimImportObject *obj,
                          const SimYamlNode *key, const SimYamlNode *node,
                          const char *path);
/* The object of @kind (space-separated kinds) named @name, or NULL. */
SimImportObject *sim_import_find (SimImportCtx *c, const char *kinds,
                                  const char *name);
/* Whether @key was assigned already. */
gboolean sim_import_assigned (SimImportCtx *c, const char *target);

/* After the templates' walk: Argo's counts where they say none. */
void sim_import_finish_analysis (SimImportCtx *c);

/* Version names from images: the tag reduced to the characters a
 * version name takes, a digest's first 12 hex digits, or without a tag
 * (or with `latest`) the image's last path component.  Newly
 * allocated. */
char *sim_import_version_name (const char *image);

#endif /* SIM_IMPORT_PRIVATE_H */
