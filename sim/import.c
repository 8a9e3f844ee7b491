/* import.c - an import: the objects of the input, the workload chosen,
 * the walk through the mapping table (import-table.c), the report, the
 * assignments and the annotated scenario (import.h).
 *
 * An import runs in this order: list the objects (opening `kind: List`),
 * choose the workload and what holds its pod template, walk the
 * workload, then the AnalysisTemplates it references (found on the
 * walk), then the Services, autoscalers, disruption budgets and Flagger
 * Canaries that concern it; then assign what several fields make
 * together (the pod's requests, the steps, the analysis conditions, the
 * versions, the background), and drop the assignments the overlay
 * overrides.  The first error stops it.
 */
#include <stdio.h>
#include <string.h>

#include "import-private.h"
#include "background.h"
#include "units.h"

G_DEFINE_QUARK (sim - import - error - quark, sim_import_error)

typedef struct {
    char *group;
    char *key;
    char *value;
    SimOrigin *origin;
    gboolean overlaid; /* the overlay sets it: not applied */
} Assign;

typedef struct {
    char *where; /* FILE:LINE */
    char *label; /* Kind/name */
    char *path;
    SimImportFate fate;
    char *target;
    char *shown;
    char *why;
} Line;

struct SimImport {
    SimImportCtx c;
    SimYamlStream *stream; /* the trees c points into; owned */
    SimImportOptions opt;  /* a copy, its strings owned */
    GArray *applied;       /* SimAssignment, pointing into c.assigns */
    char *workload;
    char *next; /* the version rolled out to */
    char *skipped;
};

static void
assign_free (gpointer p)
{
    Assign *a = p;

    g_free (a->group);
    g_free (a->key);
    g_free (a->value);
    sim_origin_free (a->origin);
    g_free (a);
}

static void
line_free (gpointer p)
{
    Line *l = p;

    g_free (l->where);
    g_free (l->label);
    g_free (l->path);
    g_free (l->target);
    g_free (l->shown);
    g_free (l->why);
    g_free (l);
}

static void
object_free (gpointer p)
{
    SimImportObject *o = p;

    g_free (o->label);
    g_free (o);
}

/* --- Lines, assignments, failures ------------------------------------------ */

/* @text on one line: a quoted YAML key or value may hold a newline,
 * which a report line or a comment of the scenario must not.  Newly
 * allocated. */
static char *
one_line (const char *text)
{
    char *t = g_strdup (text != NULL ? text : "");

    for (char *p = t; *p != '\0'; p++)
        if ((unsigned char) *p < 0x20 || *p == 0x7f)
            *p = '?';
    return t;
}

/* The line that names @node: its key's when the walk reached it as a
 * mapping's value (a value on the lines below its key starts there). */
static guint
line_of (const SimImportCtx *c, const SimImportObject *obj,
         const SimYamlNode *node)
{
    if (node == NULL)
        return obj->node->line;
    if (node == c->value && c->key != NULL)
        return c->key->line;
    return node->line;
}

static char *
where (const SimImportCtx *c, const SimImportObject *obj,
       const SimYamlNode *node)
{
    return g_strdup_printf ("%s:%u", obj->doc->file, line_of (c, obj, node));
}

void
sim_import_line (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path, SimImportFate fate,
                 const char *target, const char *shown, const char *why)
{
    Line *l = g_new0 (Line, 1);

    l->where = where (c, obj, node);
    l->label = g_strdup (obj->label);
    l->path = g_strdup (path);
    l->fate = fate;
    l->target = g_strdup (target);
    l->shown = g_strdup (shown);
    l->why = g_strdup (why);
    g_ptr_array_add (c->lines, l);
}

static void
split_target (const char *target, char **group, char **key)
{
    const char *dot = strrchr (target, '.');

    g_assert (dot != NULL);
    *group = g_strndup (target, dot - target);
    *key = g_strdup (dot + 1);
}

static void
add_assign (SimImportCtx *c, const char *target, const char *value,
            SimOrigin *origin)
{
    Assign *a = g_new0 (Assign, 1);

    if (target[strlen (target) - 1] == '.') {
        /* "version.X." creates the group alone. */
        a->group = g_strndup (target, strlen (target) - 1);
    } else {
        /* A converter checks its field has a value first. */
        g_assert (value != NULL);
        split_target (target, &a->group, &a->key);
        a->value = g_strdup (value);
    }
    a->origin = origin;
    g_ptr_array_add (c->assigns, a);
}

void
sim_import_assign_as (SimImportCtx *c, const SimImportObject *obj,
                      const SimYamlNode *node, const char *what,
                      const char *target, const char *value)
{
    add_assign (c, target, value,
                sim_origin_new_import (obj->doc->file, line_of (c, obj, node),
                                       what));
}

void
sim_import_assign (SimImportCtx *c, const SimImportObject *obj,
                   const SimYamlNode *node, const char *path,
                   const char *target, const char *value, const char *shown)
{
    sim_import_assign_as (c, obj, node, path, target, value);
    sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, target, shown,
                     NULL);
}

static const Assign *
find_assign (const SimImportCtx *c, const char *target)
{
    g_autofree char *group = NULL;
    g_autofree char *key = NULL;

    split_target (target, &group, &key);
    for (guint i = c->assigns->len; i-- > 0;) {
        const Assign *a = c->assigns->pdata[i];

        if (a->key != NULL && strcmp (a->group, group) == 0
            && strcmp (a->key, key) == 0)
            return a;
    }
    return NULL;
}

gboolean
sim_import_assigned (SimImportCtx *c, const char *target)
{
    return find_assign (c, target) != NULL;
}

gboolean
sim_import_fail (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path, SimImportError code,
                 const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *w = where (c, obj, node);
    va_list ap;

    if (c->error != NULL)
        return FALSE;
    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    if (path != NULL && *path != '\0')
        g_set_error (&c->error, SIM_IMPORT_ERROR, code, "%s: %s: %s: %s", w,
                     obj->label, path, msg);
    else
        g_set_error (&c->error, SIM_IMPORT_ERROR, code, "%s: %s: %s", w,
                     obj->label, msg);
    return FALSE;
}

/* --- The walk ---------------------------------------------------------------- */

static gboolean
kind_in (const char *kinds, const char *kind)
{
    gsize n = strlen (kind);

    if (n == 0)
        return FALSE;
    for (const char *p = kinds; (p = strstr (p, kind)) != NULL; p += n)
        if ((p == kinds || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return TRUE;
    return FALSE;
}

/* The row for pattern @pat of @kind: an exact one, else the wildcard
 * with the longest prefix. */
static const SimImportRow *
find_row (const char *kind, const char *pat)
{
    const SimImportRow *best = NULL;
    gsize best_len = 0;

    for (const SimImportRow *r = sim_import_rows; r->pattern != NULL; r++) {
        gsize n = strlen (r->pattern);

        if (!kind_in (r->kinds, kind))
            continue;
        if (strcmp (r->pattern, pat) == 0)
            return r;
        if (n > 2 && strcmp (r->pattern + n - 2, ".*") == 0 && n - 2 > best_len
            && strncmp (r->pattern, pat, n - 2) == 0
            && (pat[n - 2] == '.' || pat[n - 2] == '['))
            best = r, best_len = n - 2;
    }
    /* A wildcard covers what no row goes deeper into. */
    for (const SimImportRow *r = sim_import_rows; best != NULL && r->pattern;
         r++) {
        gsize n = strlen (pat);

        if (kind_in (r->kinds, kind) && strncmp (r->pattern, pat, n) == 0
            && (r->pattern[n] == '.' || r->pattern[n] == '['))
            return NULL;
    }
    return best;
}

static gboolean
walk (SimImportCtx *c, const SimImportObject *obj, const SimYamlNode *key,
      const SimYamlNode *node, GString *path, GString *pat)
{
    const SimImportRow *row = find_row (obj->kind, pat->str);
    gsize plen = path->len, qlen = pat->len;

    c->key = key;
    c->value = node;
    if (row != NULL) {
        gboolean ok = TRUE;

        if (row->conv != NULL)
            ok = row->conv (c, obj, node, path->str, row);
        else if (row->fate == SIM_IMPORT_MAPPED && sim_yaml_text (node) == NULL)
            ok = sim_import_fail (c, obj, node, path->str,
                                  SIM_IMPORT_ERROR_INVALID,
                                  "expected a value, got %s",
                                  sim_yaml_describe (node));
        else if (row->fate == SIM_IMPORT_MAPPED)
            sim_import_assign (c, obj, node, path->str, row->target,
                               sim_yaml_text (node), NULL);
        else
            sim_import_line (c, obj, node, path->str, row->fate, NULL, NULL,
                             row->why);
        if (c->skip_children) {
            c->skip_children = FALSE;
            return ok;
        }
        if (!ok || !(row->flags & SIM_IMPORT_ROW_DESCEND))
            return ok;
    } else if (node->kind == SIM_YAML_SCALAR || node->n == 0) {
        sim_import_line (c, obj, node, path->str, SIM_IMPORT_IGNORED, NULL,
                         NULL, "not used by rollsim");
        return TRUE;
    }
    for (guint i = 0; i < node->n; i++) {
        const SimYamlNode *child = node->items[i];
        const SimYamlNode *k_node = NULL;
        gboolean ok;

        if (node->kind == SIM_YAML_MAPPING) {
            const char *k = node->items[2 * i]->text;

            k_node = node->items[2 * i];
            child = node->items[2 * i + 1];
            if (path->len > 0) {
                g_string_append_c (path, '.');
                g_string_append_c (pat, '.');
            }
            g_autofree char *safe = one_line (k);

            g_string_append (path, safe);
            g_string_append (pat, k);
        } else {
            g_string_append_printf (path, "[%u]", i);
            g_string_append (pat, "[]");
        }
        ok = walk (c, obj, k_node, child, path, pat);
        g_string_truncate (path, plen);
        g_string_truncate (pat, qlen);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* The pattern of @path: its indices blanked. */
static char *
pattern_of (const char *path)
{
    GString *s = g_string_new (NULL);

    for (const char *p = path; *p != '\0'; p++) {
        g_string_append_c (s, *p);
        if (*p == '[') {
            while (g_ascii_isdigit (p[1]))
                p++;
        }
    }
    return g_string_free (s, FALSE);
}

gboolean
sim_import_walk (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *key, const SimYamlNode *node,
                 const char *path)
{
    g_autoptr (GString) p = g_string_new (path);
    g_autofree char *q = pattern_of (path);
    g_autoptr (GString) pat = g_string_new (q);

    gboolean ok;

    ok = walk (c, obj, key, node, p, pat);
    c->key = c->value = NULL;
    return ok;
}

/* The top of an object: its fields but apiVersion and kind. */
static gboolean
walk_object (SimImportCtx *c, SimImportObject *obj)
{
    obj->seen = TRUE;
    for (guint i = 0; i < obj->node->n; i++) {
        const char *k = obj->node->items[2 * i]->text;

        if (strcmp (k, "apiVersion") == 0 || strcmp (k, "kind") == 0)
            continue;
        if (!sim_import_walk (c, obj, obj->node->items[2 * i],
                              obj->node->items[2 * i + 1], k))
            return FALSE;
    }
    return TRUE;
}

/* The Deployment a Rollout's workloadRef names: its pod template only. */
static gboolean
walk_pod_source (SimImportCtx *c)
{
    const SimYamlNode *spec = sim_yaml_get (c->pod_source->node, "spec");
    g_autofree char *why = NULL;

    if (c->pod_source == c->workload)
        return TRUE;
    why = g_strdup_printf ("%s's workloadRef takes the pod template alone",
                           c->workload->label);
    for (guint i = 0;
         spec != NULL && spec->kind == SIM_YAML_MAPPING && i < spec->n; i++) {
        const char *k = spec->items[2 * i]->text;
        g_autofree char *path = g_strconcat ("spec.", k, NULL);

        if (strcmp (k, "template") != 0)
            sim_import_line (c, c->pod_source, spec->items[2 * i], path,
                             SIM_IMPORT_IGNORED, NULL, NULL, why);
        else if (!sim_import_walk (c, c->pod_source, spec->items[2 * i],
                                   spec->items[2 * i + 1], path))
            return FALSE;
    }
    return TRUE;
}

/* --- Objects ------------------------------------------------------------------ */

static void
add_object (SimImportCtx *c, const SimYamlDoc *doc, const SimYamlNode *node)
{
    SimImportObject *o = g_new0 (SimImportObject, 1);
    const char *kind = sim_yaml_text (sim_yaml_get (node, "kind"));
    const char *name = sim_yaml_text (sim_yaml_path (node, "metadata.name"));

    o->doc = doc;
    o->node = node;
    o->kind = kind != NULL ? kind : "";
    o->name = name != NULL ? name : "";
    o->api = sim_yaml_text (sim_yaml_get (node, "apiVersion"));
    if (o->api == NULL)
        o->api = "";
    o->label = g_strdup_printf ("%s/%s", *o->kind ? o->kind : "(no kind)",
                                *o->name ? o->name : "(no name)");
    for (char *p = o->label; *p != '\0'; p++)
        if ((unsigned char) *p < 0x20 || *p == 0x7f)
            *p = '?';
    g_ptr_array_add (c->objects, o);
}

static void
list_objects (SimImportCtx *c, const SimYamlStream *st)
{
    for (guint i = 0; i < sim_yaml_stream_n_docs (st); i++) {
        const SimYamlDoc *d = sim_yaml_stream_doc (st, i);
        const SimYamlNode *items = sim_yaml_get (d->root, "items");
        const char *kind = sim_yaml_text (sim_yaml_get (d->root, "kind"));

        if (kind != NULL && g_str_has_suffix (kind, "List") && items != NULL
            && items->kind == SIM_YAML_SEQUENCE) {
            for (guint j = 0; j < items->n; j++)
                add_object (c, d, items->items[j]);
            continue;
        }
        add_object (c, d, d->root);
    }
}

SimImportObject *
sim_import_find (SimImportCtx *c, const char *kinds, const char *name)
{
    for (guint i = 0; i < c->objects->len; i++) {
        SimImportObject *o = c->objects->pdata[i];

        if (o->node->kind == SIM_YAML_MAPPING && *o->kind != '\0'
            && kind_in (kinds, o->kind) && strcmp (o->name, name) == 0)
            return o;
    }
    return NULL;
}

static gboolean
is_workload (const SimImportObject *o)
{
    return (strcmp (o->kind, "Deployment") == 0
            && strcmp (o->api, "apps/v1") == 0)
           || (strcmp (o->kind, "Rollout") == 0
               && g_str_has_prefix (o->api, "argoproj.io/"));
}

/* The Deployment a Rollout's workloadRef names, or NULL. */
static const char *
workload_ref (const SimImportObject *o)
{
    const SimYamlNode *ref = sim_yaml_path (o->node, "spec.workloadRef");

    if (ref == NULL || strcmp (o->kind, "Rollout") != 0)
        return NULL;
    return sim_yaml_text (sim_yaml_get (ref, "name"));
}

/* The names of the Deployments some Rollout's workloadRef names (they
 * are pod sources, not workloads), once: the input may hold thousands
 * of objects. */
static GHashTable *
referenced_names (SimImportCtx *c)
{
    GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < c->objects->len; i++) {
        const char *ref = workload_ref (c->objects->pdata[i]);

        if (ref != NULL)
            g_hash_table_add (names, (gpointer) ref);
    }
    return names;
}

static gboolean
choose_workload (SimImportCtx *c, GError **error)
{
    g_autoptr (GPtrArray) found = g_ptr_array_new ();
    g_autoptr (GString) list = g_string_new (NULL);
    const char *want = c->opt->workload;
    g_autoptr (GHashTable) referenced = referenced_names (c);

    for (guint i = 0; i < c->objects->len; i++) {
        SimImportObject *o = c->objects->pdata[i];

        if (o->node->kind != SIM_YAML_MAPPING || !is_workload (o)
            || (strcmp (o->kind, "Deployment") == 0
                && g_hash_table_contains (referenced, o->name)))
            continue;
        g_ptr_array_add (found, o);
        g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "",
                                o->label);
    }
    if (want != NULL) {
        const char *slash = strchr (want, '/');

        for (guint i = 0; slash != NULL && i < found->len; i++) {
            SimImportObject *o = found->pdata[i];

            if (g_ascii_strncasecmp (o->kind, want, slash - want) == 0
                && strlen (o->kind) == (gsize) (slash - want)
                && strcmp (o->name, slash + 1) == 0)
                c->workload = o;
        }
        if (c->workload == NULL) {
            g_set_error (error, SIM_IMPORT_ERROR, SIM_IMPORT_ERROR_NO_WORKLOAD,
                         "--workload %s: %s (accepted: %s)", want,
                         slash == NULL ? "expected KIND/NAME"
                                       : "no such workload in the input",
                         found->len > 0 ? list->str
                                        : "none: the input has no "
                                          "Deployment (apps/v1) or Rollout");
            return FALSE;
        }
    } else if (found->len == 1) {
        c->workload = found->pdata[0];
    } else if (found->len == 0) {
        g_set_error_literal (error, SIM_IMPORT_ERROR,
                             SIM_IMPORT_ERROR_NO_WORKLOAD,
                             "no workload to simulate: the input has no "
                             "Deployment (apps/v1) or Argo Rollout");
        return FALSE;
    } else {
        g_set_error (error, SIM_IMPORT_ERROR, SIM_IMPORT_ERROR_NO_WORKLOAD,
                     "%u workloads in the input: choose one with --workload "
                     "KIND/NAME (accepted: %s)",
                     found->len, list->str);
        return FALSE;
    }
    c->pod_source = c->workload;
    if (strcmp (c->workload->kind, "Rollout") == 0
        && sim_yaml_path (c->workload->node, "spec.strategy.canary") == NULL
        && sim_yaml_path (c->workload->node, "spec.strategy.blueGreen") == NULL)
        return sim_import_fail (c, c->workload,
                                sim_yaml_get (c->workload->node, "spec"),
                                "spec.strategy", SIM_IMPORT_ERROR_INVALID,
                                "a Rollout needs canary or blueGreen");
    if (workload_ref (c->workload) != NULL) {
        const char *ref = workload_ref (c->workload);

        c->pod_source = sim_import_find (c, "Deployment", ref);
        if (c->pod_source == NULL)
            return sim_import_fail (
                c, c->workload,
                sim_yaml_path (c->workload->node, "spec.workloadRef.name"),
                "spec.workloadRef.name", SIM_IMPORT_ERROR_MISSING,
                "names Deployment/%s, which is not in "
                "the input",
                ref);
    }
    return TRUE;
}

/* --- Labels and selectors ------------------------------------------------------ */

/* Whether every key = value of mapping @selector is in @labels (an empty
 * selector selects nothing here: a Service without one has endpoints
 * set by hand). */
static gboolean
selects (const SimYamlNode *selector, const SimYamlNode *labels)
{
    if (selector == NULL || selector->kind != SIM_YAML_MAPPING
        || selector->n == 0)
        return FALSE;
    for (guint i = 0; i < selector->n; i++) {
        const char *v = sim_yaml_text (selector->items[2 * i + 1]);
        const char *l = sim_yaml_text (
            sim_yaml_get (labels, selector->items[2 * i]->text));

        if (v == NULL || l == NULL || strcmp (v, l) != 0)
            return FALSE;
    }
    return TRUE;
}

static char *
labels_text (const SimYamlNode *m)
{
    GString *s = g_string_new (NULL);

    for (guint i = 0; m != NULL && m->kind == SIM_YAML_MAPPING && i < m->n;
         i++) {
        const char *v = sim_yaml_text (m->items[2 * i + 1]);

        g_string_append_printf (s, "%s%s=%s", i > 0 ? "," : "",
                                m->items[2 * i]->text, v != NULL ? v : "");
    }
    if (s->len == 0)
        g_string_append (s, "none");
    return g_string_free (s, FALSE);
}

static const SimYamlNode *
pod_labels (SimImportCtx *c)
{
    return sim_yaml_path (c->pod_source->node, "spec.template.metadata.labels");
}

/* The workload's selector must select its own pods (the API server
 * refuses it otherwise). */
static gboolean
check_selector (SimImportCtx *c)
{
    const SimYamlNode *sel = sim_yaml_path (c->workload->node,
                                            "spec.selector.matchLabels");
    g_autofree char *want = NULL;
    g_autofree char *have = NULL;

    if (sel == NULL || selects (sel, pod_labels (c)))
        return TRUE;
    want = labels_text (sel);
    have = labels_text (pod_labels (c));
    return sim_import_fail (c, c->workload, sel, "spec.selector.matchLabels",
                            SIM_IMPORT_ERROR_INVALID,
                            "%s does not select the pod template's labels "
                            "(%s)",
                            want, have);
}

/* --- Services, autoscalers, budgets, Flagger ------------------------------------- */

/* The Service names the Rollout's strategy gives. */
static gboolean
service_named (SimImportCtx *c, const char *name)
{
    static const char *const fields[] = {
        "spec.strategy.canary.stableService",
        "spec.strategy.canary.canaryService",
        "spec.strategy.blueGreen.activeService",
        "spec.strategy.blueGreen.previewService",
        NULL,
    };

    for (guint i = 0; fields[i] != NULL; i++) {
        const char *n = sim_yaml_text (sim_yaml_path (c->workload->node,
                                                      fields[i]));

        if (n != NULL && strcmp (n, name) == 0)
            return TRUE;
    }
    return FALSE;
}

static gboolean
walk_services (SimImportCtx *c)
{
    for (guint i = 0; i < c->objects->len; i++) {
        SimImportObject *o = c->objects->pdata[i];
        const SimYamlNode *sel = sim_yaml_path (o->node, "spec.selector");

        if (strcmp (o->kind, "Service") != 0
            || o->node->kind != SIM_YAML_MAPPING)
            continue;
        if (!selects (sel, pod_labels (c))) {
            g_autofree char *want = NULL;
            g_autofree char *have = NULL;

            if (!service_named (c, o->name))
                continue;
            want = labels_text (sel);
            have = labels_text (pod_labels (c));
            return sim_import_fail (c, o, sel, "spec.selector",
                                    SIM_IMPORT_ERROR_INVALID,
                                    "%s selects no pod of %s (its labels: "
                                    "%s), yet %s names this Service",
                                    want, c->workload->label, have,
                                    c->workload->label);
        }
        if (!walk_object (c, o))
            return FALSE;
    }
    return TRUE;
}

/* An object whose reference (@ref_path: kind and name) or selector
 * (@sel_path) points at the workload. */
static gboolean
concerns_workload (SimImportCtx *c, const SimImportObject *o,
                   const char *ref_path, const char *sel_path)
{
    if (ref_path != NULL) {
        const SimYamlNode *ref = sim_yaml_path (o->node, ref_path);
        const char *kind = sim_yaml_text (sim_yaml_get (ref, "kind"));
        const char *name = sim_yaml_text (sim_yaml_get (ref, "name"));

        return kind != NULL && name != NULL
               && ((strcmp (kind, c->workload->kind) == 0
                    && strcmp (name, c->workload->name) == 0)
                   || (strcmp (kind, c->pod_source->kind) == 0
                       && strcmp (name, c->pod_source->name) == 0));
    }
    return selects (sim_yaml_path (o->node, sel_path), pod_labels (c));
}

/* The Flagger Canary whose targetRef names the workload: it makes the
 * strategy flagger, so it is found before the walk. */
static void
find_flagger (SimImportCtx *c)
{
    for (guint i = 0; i < c->objects->len && c->flagger == NULL; i++) {
        const SimImportObject *o = c->objects->pdata[i];

        if (o->node->kind == SIM_YAML_MAPPING && strcmp (o->kind, "Canary") == 0
            && g_str_has_prefix (o->api, "flagger.app/")
            && strcmp (c->workload->kind, "Deployment") == 0
            && concerns_workload (c, o, "spec.targetRef", NULL))
            c->flagger = o;
    }
}

static gboolean
walk_around (SimImportCtx *c)
{
    for (guint i = 0; i < c->objects->len; i++) {
        SimImportObject *o = c->objects->pdata[i];
        gboolean mine = FALSE;

        if (o->node->kind != SIM_YAML_MAPPING)
            continue;
        if (strcmp (o->kind, "HorizontalPodAutoscaler") == 0)
            mine = concerns_workload (c, o, "spec.scaleTargetRef", NULL);
        else if (strcmp (o->kind, "PodDisruptionBudget") == 0)
            mine = concerns_workload (c, o, NULL, "spec.selector.matchLabels");
        else if (strcmp (o->kind, "Canary") == 0
                 && g_str_has_prefix (o->api, "flagger.app/"))
            mine = concerns_workload (c, o, "spec.targetRef", NULL);
        if (mine && !walk_object (c, o))
            return FALSE;
    }
    return TRUE;
}

/* --- What several fields make together ------------------------------------------ */

static gint64
quantity (const SimYamlNode *n, gboolean cpu)
{
    const char *t = sim_yaml_text (n);
    gint64 v = 0;

    if (t != NULL
        && !(cpu ? sim_units_parse_cpu (t, &v, NULL)
                 : sim_units_parse_memory (t, &v, NULL)))
        v = 0;
    return v;
}

/* A container's request: requests, else the limit (Kubernetes copies a
 * limit into a request not written), else 0. */
static gint64
container_request (const SimYamlNode *ctr, const char *res,
                   const SimYamlNode **from)
{
    const SimYamlNode *r = sim_yaml_get (
        sim_yaml_path (ctr, "resources.requests"), res);

    if (r == NULL)
        r = sim_yaml_get (sim_yaml_path (ctr, "resources.limits"), res);
    if (r != NULL && *from == NULL)
        *from = r;
    return r != NULL ? quantity (r, strcmp (res, "cpu") == 0) : 0;
}

static gboolean
is_sidecar (const SimYamlNode *ctr)
{
    const char *p = sim_yaml_text (sim_yaml_get (ctr, "restartPolicy"));

    return p != NULL && strcmp (p, "Always") == 0;
}

/* A pod's effective request, as the scheduler counts it: the larger of
 * the containers' sum (with the sidecars) and the peak of the init
 * containers (each with the sidecars started before it). */
static gint64
pod_request (const SimYamlNode *pod_spec, const char *res,
             const SimYamlNode **from, guint *n_parts)
{
    const SimYamlNode *ctrs = sim_yaml_get (pod_spec, "containers");
    const SimYamlNode *inits = sim_yaml_get (pod_spec, "initContainers");
    gint64 sum = 0, sidecars = 0, peak = 0;

    *from = NULL;
    *n_parts = 0;
    for (guint i = 0;
         inits != NULL && inits->kind == SIM_YAML_SEQUENCE && i < inits->n;
         i++) {
        gint64 r = container_request (inits->items[i], res, from);

        *n_parts += r > 0;
        if (is_sidecar (inits->items[i])) {
            sidecars += r;
            peak = MAX (peak, sidecars);
        } else {
            peak = MAX (peak, sidecars + r);
        }
    }
    for (guint i = 0;
         ctrs != NULL && ctrs->kind == SIM_YAML_SEQUENCE && i < ctrs->n; i++) {
        gint64 r = container_request (ctrs->items[i], res, from);

        *n_parts += r > 0;
        sum += r;
    }
    return MAX (sum + sidecars, peak);
}

/* The pod's CPU limit: the containers' summed, when each has one. */
static void
assign_cpu_limit (SimImportCtx *c, const SimYamlNode *spec)
{
    const SimYamlNode *ctrs = sim_yaml_get (spec, "containers");
    const SimYamlNode *first = NULL;
    g_autofree char *value = NULL;
    g_autofree char *what = NULL;
    gint64 sum = 0;

    for (guint i = 0;
         ctrs != NULL && ctrs->kind == SIM_YAML_SEQUENCE && i < ctrs->n; i++) {
        const SimYamlNode *l = sim_yaml_path (ctrs->items[i],
                                              "resources.limits.cpu");

        if (l == NULL)
            return;
        if (first == NULL)
            first = l;
        sum += quantity (l, TRUE);
    }
    if (first == NULL || sum <= 0)
        return;
    value = sim_units_format_cpu (sum);
    what = ctrs->n > 1 ? g_strdup_printf ("spec.template.spec: the pod's cpu "
                                          "limit from %u containers",
                                          ctrs->n)
                       : g_strdup ("spec.template.spec: the cpu limit");
    sim_import_assign_as (c, c->pod_source, first, what, "deployment.cpu_limit",
                          value);
}

static void
assign_requests (SimImportCtx *c)
{
    const SimYamlNode *spec = sim_yaml_path (c->pod_source->node,
                                             "spec.template.spec");
    static const char *const res[] = { "cpu", "memory" };

    for (guint i = 0; i < G_N_ELEMENTS (res); i++) {
        const SimYamlNode *from = NULL;
        guint parts;
        gint64 v = pod_request (spec, res[i], &from, &parts);
        g_autofree char *value = i == 0 ? sim_units_format_cpu (v)
                                        : sim_units_format_memory (v);
        g_autofree char *target = g_strconcat ("deployment.", res[i], NULL);
        g_autofree char *what = NULL;

        if (from == NULL)
            what = g_strdup_printf ("spec.template.spec.containers: no %s "
                                    "request, so 0 as Kubernetes counts it",
                                    res[i]);
        else if (parts <= 1)
            what = g_strdup_printf ("spec.template.spec: the %s request",
                                    res[i]);
        else
            what = g_strdup_printf ("spec.template.spec: the pod's %s request "
                                    "from %u containers",
                                    res[i], parts);
        sim_import_assign_as (c, c->pod_source,
                              from != NULL
                                  ? from
                                  : sim_yaml_path (c->pod_source->node,
                                                   "spec.template.spec"),
                              what, target, value);
    }
    assign_cpu_limit (c, spec);
}

/* Version names: the tag, the digest's first 12 hex digits, or the last
 * path component. */
char *
sim_import_version_name (const char *image)
{
    const char *at = strchr (image, '@');
    const char *slash = strrchr (image, '/');
    const char *colon;
    const char *name = slash != NULL ? slash + 1 : image;
    g_autofree char *repo = NULL;
    GString *out = g_string_new (NULL);

    if (at != NULL) {
        const char *hex = strchr (at, ':');

        for (hex = hex != NULL ? hex + 1 : at + 1;
             g_ascii_isxdigit (*hex) && out->len < 12; hex++)
            g_string_append_c (out, g_ascii_tolower (*hex));
        if (out->len > 0)
            return g_string_free (out, FALSE);
    }
    repo = g_strndup (name, at != NULL && at > name ? (gsize) (at - name)
                                                    : strlen (name));
    colon = strchr (repo, ':');
    if (colon != NULL && strcmp (colon + 1, "latest") != 0 && colon[1] != '\0')
        name = colon + 1;
    else
        name = repo,
        repo[colon != NULL ? (gsize) (colon - repo) : strlen (repo)] = '\0';
    for (const char *p = name; *p != '\0' && out->len < SIM_KEY_NAME_MAX; p++) {
        gboolean ok = g_ascii_isalnum (*p) || *p == '.' || *p == '_'
                      || *p == '-';

        if (ok)
            g_string_append_c (out, *p);
        else if (out->len > 0 && out->str[out->len - 1] != '-')
            g_string_append_c (out, '-');
    }
    if (out->len == 0)
        g_string_append (out, "v");
    return g_string_free (out, FALSE);
}

static gboolean
overlay_has (const SimImportCtx *c, const char *group, const char *key)
{
    if (c->overlay == NULL)
        return FALSE;
    if (key == NULL)
        return g_key_file_has_group (c->overlay, group);
    return g_key_file_has_key (c->overlay, group, key, NULL);
}

/* Fields of a version (its probes) were assigned to "version.NAME"
 * before the image was known: they are the running version's, and the
 * next version's too (the same pod template, another image). */
static void
name_versions (SimImport *imp)
{
    SimImportCtx *c = &imp->c;
    g_autofree char *v = g_strconcat ("version.", c->version, NULL);
    g_autofree char *n = g_strconcat ("version.", imp->next, NULL);
    guint len = c->assigns->len;

    for (guint i = 0; i < len; i++) {
        Assign *a = c->assigns->pdata[i];
        Assign *copy;

        if (strcmp (a->group, SIM_IMPORT_VERSION) != 0)
            continue;
        g_free (a->group);
        a->group = g_strdup (v);
        copy = g_new0 (Assign, 1);
        copy->group = g_strdup (n);
        copy->key = g_strdup (a->key);
        copy->value = g_strdup (a->value);
        copy->origin = sim_origin_copy (a->origin);
        g_ptr_array_add (c->assigns, copy);
    }
    for (guint i = 0; i < c->lines->len; i++) {
        Line *l = c->lines->pdata[i];

        if (l->target != NULL
            && g_str_has_prefix (l->target, SIM_IMPORT_VERSION ".")) {
            char *t = g_strconcat (v, l->target + strlen (SIM_IMPORT_VERSION),
                                   NULL);

            g_free (l->target);
            l->target = t;
        }
    }
}

/* The versions: the running one (from the image), and the one rolled out
 * to, with the running one's settings from the overlay when it has no
 * group of its own. */
static gboolean
assign_versions (SimImport *imp)
{
    SimImportCtx *c = &imp->c;
    const SimYamlNode *img = sim_yaml_path (c->pod_source->node,
                                            "spec.template.spec.containers");
    g_autofree char *vgroup = NULL;
    g_autofree char *ngroup = NULL;
    const char *what = "spec.template.spec.containers[0].image";
    SimOrigin *origin;

    img = img != NULL && img->kind == SIM_YAML_SEQUENCE && img->n > 0
              ? sim_yaml_get (img->items[0], "image")
              : NULL;
    if (sim_yaml_text (img) == NULL)
        return sim_import_fail (c, c->pod_source, img, what,
                                SIM_IMPORT_ERROR_INVALID,
                                "no image: the first container's image names "
                                "the version");
    if (c->version == NULL) {
        c->version = sim_import_version_name (sim_yaml_text (img));
        c->image = g_strdup (sim_yaml_text (img));
    }
    vgroup = g_strconcat ("version.", c->version, ".", NULL);
    sim_import_assign_as (c, c->pod_source, img, what, vgroup, NULL);
    sim_import_assign_as (c, c->pod_source, img, what, "deployment.version",
                          c->version);

    if (c->opt->to == NULL) {
        g_autofree char *base = g_strndup (c->version, SIM_KEY_NAME_MAX - 5);

        imp->next = g_strconcat (base, "-next", NULL);
        origin = sim_origin_new_import (
            c->pod_source->doc->file, img->line,
            "spec.template.spec.containers[0].image, restarted: the same "
            "settings under a new name, as kubectl rollout restart");
    } else {
        g_autofree char *g = g_strconcat ("version.", c->opt->to, NULL);

        imp->next = overlay_has (c, g, NULL)
                        ? g_strdup (c->opt->to)
                        : sim_import_version_name (c->opt->to);
        origin = sim_origin_new_import ("--to", 0, c->opt->to);
    }
    if (strcmp (imp->next, c->version) == 0) {
        sim_origin_free (origin);
        g_set_error (&c->error, SIM_IMPORT_ERROR, SIM_IMPORT_ERROR_OPTION,
                     "--to %s: version %s is the one running already (the "
                     "image's); name another image or version",
                     c->opt->to, imp->next);
        return FALSE;
    }
    ngroup = g_strconcat ("version.", imp->next, ".", NULL);
    add_assign (c, ngroup, NULL, sim_origin_copy (origin));
    add_assign (c, "rollout.to", imp->next, origin);
    name_versions (imp);

    /* The next version runs the same code unless the overlay says. */
    ngroup[strlen (ngroup) - 1] = '\0';
    vgroup[strlen (vgroup) - 1] = '\0';
    if (c->overlay != NULL && !overlay_has (c, ngroup, NULL)
        && overlay_has (c, vgroup, NULL)) {
        g_auto (GStrv)
            keys = g_key_file_get_keys (c->overlay, vgroup, NULL, NULL);

        for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
            g_autofree char *raw = g_key_file_get_value (c->overlay, vgroup,
                                                         keys[i], NULL);
            g_autofree char *v = sim_key_clean_value (raw);
            g_autofree char *t = g_strconcat (ngroup, ".", keys[i], NULL);
            g_autofree char *w = g_strdup_printf (
                "%s.%s, the running version's, for %s", vgroup, keys[i],
                imp->next);

            g_autofree char *k = g_strconcat (vgroup, "\n", keys[i], NULL);
            guint line = GPOINTER_TO_UINT (
                g_hash_table_lookup (c->overlay_places.lines, k));

            add_assign (c, t, v,
                        sim_origin_new_import (c->opt->overlay_path, line, w));
        }
    }
    return TRUE;
}

/* Other Deployments, Rollouts, StatefulSets and DaemonSets: room taken. */
static void
assign_background (SimImportCtx *c)
{
    g_autoptr (GString) value = g_string_new (NULL);
    const SimImportObject *first = NULL;
    guint n = 0;

    for (guint i = 0; i < c->objects->len; i++) {
        SimImportObject *o = c->objects->pdata[i];
        const SimYamlNode *spec = sim_yaml_path (o->node, "spec.template.spec");
        const SimYamlNode *from;
        guint parts;
        gboolean daemon = strcmp (o->kind, "DaemonSet") == 0;
        gint64 replicas = 1;
        g_autofree char *cpu = NULL;
        g_autofree char *mem = NULL;
        g_autofree char *item = NULL;
        g_autofree char *name = NULL;

        if (o == c->workload || o == c->pod_source
            || o->node->kind != SIM_YAML_MAPPING
            || !kind_in ("Deployment Rollout StatefulSet DaemonSet", o->kind)
            || *o->name == '\0')
            continue;
        if (workload_ref (o) != NULL) {
            const SimImportObject *src = sim_import_find (c, "Deployment",
                                                          workload_ref (o));

            spec = src != NULL ? sim_yaml_path (src->node, "spec.template.spec")
                               : NULL;
        }
        if (spec == NULL)
            continue;
        if (!daemon && sim_yaml_path (o->node, "spec.replicas") != NULL
            && !sim_yaml_int (sim_yaml_path (o->node, "spec.replicas"),
                              &replicas))
            replicas = 1;
        replicas = CLAMP (replicas, 0, 100000);
        cpu = sim_units_format_cpu (pod_request (spec, "cpu", &from, &parts));
        mem = sim_units_format_memory (pod_request (spec, "memory", &from,
                                                    &parts));
        name = g_strndup (o->name, SIM_BACKGROUND_NAME_MAX);
        for (char *p = name; *p != '\0'; p++)
            if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
                *p = '-';
        item = daemon ? g_strdup_printf ("%s per-node %s %s", name, cpu, mem)
                      : g_strdup_printf ("%s %" G_GINT64_FORMAT " %s %s", name,
                                         replicas, cpu, mem);
        g_string_append_printf (value, "%s%s", value->len > 0 ? "; " : "",
                                item);
        o->seen = TRUE;
        sim_import_line (c, o, NULL, "spec", SIM_IMPORT_MAPPED,
                         "background.workloads", item,
                         daemon ? "a DaemonSet: one pod on every node; "
                                  "takes room, not simulated"
                                : "replicas and the pod's requests; takes "
                                  "room, not simulated");
        if (first == NULL)
            first = o;
        n++;
    }
    if (first != NULL) {
        g_autofree char *what = g_strdup_printf (
            "spec of %u other workload%s: replicas and requests", n,
            n > 1 ? "s" : "");

        sim_import_assign_as (c, first, NULL, what, "background.workloads",
                              value->str);
    }
}

/* The lists several fields build: steps, conditions. */
static void
assign_lists (SimImportCtx *c)
{
    if (c->steps_node != NULL)
        sim_import_assign_as (c, c->steps_obj, c->steps_node,
                              "spec.strategy.canary.steps",
                              "strategy.canary.steps", c->steps->str);
    if (c->conditions_node != NULL && c->conditions->len > 0)
        sim_import_assign_as (c, c->conditions_obj, c->conditions_node,
                              c->conditions_path, "analysis.metrics",
                              c->conditions->str);
}

/* --- The whole import ---------------------------------------------------------- */

/* The overlay read as the loader reads it (its line scan and comment
 * rules), for the keys it sets and their lines. */
static gboolean
read_overlay (SimImportCtx *c, GError **error)
{
    if (c->opt->overlay == NULL)
        return TRUE;
    sim_places_init (&c->overlay_places,
                     c->opt->overlay_path != NULL ? c->opt->overlay_path
                                                  : "(overlay)",
                     TRUE);
    c->overlay = sim_places_read (&c->overlay_places, c->opt->overlay, error);
    return c->overlay != NULL;
}

static gint
compare_kinds (gconstpointer a, gconstpointer b)
{
    const SimImportObject *x = *(SimImportObject *const *) a;
    const SimImportObject *y = *(SimImportObject *const *) b;

    return strcmp (x->kind, y->kind);
}

/* "skipped: ConfigMap x2 (a, b): why" per kind, in kind order. */
static char *
skipped_text (SimImportCtx *c)
{
    g_autoptr (GPtrArray) left = g_ptr_array_new ();
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < c->objects->len; i++)
        if (!((SimImportObject *) c->objects->pdata[i])->seen)
            g_ptr_array_add (left, c->objects->pdata[i]);
    g_ptr_array_sort (left, compare_kinds);
    for (guint i = 0; i < left->len;) {
        const SimImportObject *o = left->pdata[i];
        const char *why;
        guint j = i;

        if (*o->kind == '\0')
            why = "not a Kubernetes object (no kind)";
        else if (kind_in ("AnalysisTemplate ClusterAnalysisTemplate", o->kind))
            why = "not referenced by the workload";
        else if (kind_in ("Service HorizontalPodAutoscaler "
                          "PodDisruptionBudget Canary",
                          o->kind))
            why = "does not concern the workload";
        else if (kind_in ("Deployment Rollout", o->kind))
            why = "not a workload rollsim reads (Deployment apps/v1, Rollout "
                  "argoproj.io)";
        else
            why = "rollsim does not use this kind";
        g_string_append_printf (s, "skipped: %s", *o->kind ? o->kind : "?");
        while (j < left->len
               && strcmp (((SimImportObject *) left->pdata[j])->kind, o->kind)
                      == 0)
            j++;
        if (j - i > 1)
            g_string_append_printf (s, " x%u", j - i);
        g_string_append (s, " (");
        for (guint k = i; k < j && k < i + 8; k++) {
            g_autofree char *name = one_line (
                ((SimImportObject *) left->pdata[k])->name);

            g_string_append_printf (s, "%s%s", k > i ? ", " : "", name);
        }
        if (j - i > 8)
            g_string_append (s, ", ...");
        g_string_append_printf (s, "): %s\n", why);
        i = j;
    }
    return g_string_free (s, FALSE);
}

/* Apply what the overlay does not override, in order. */
static void
finish_assignments (SimImport *imp)
{
    SimImportCtx *c = &imp->c;

    imp->applied = g_array_new (FALSE, FALSE, sizeof (SimAssignment));
    /* Groups first: a message about a group names what made it. */
    for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < c->assigns->len; i++) {
            Assign *a = c->assigns->pdata[i];

            if ((a->key == NULL) != (pass == 0))
                continue;
            SimAssignment s = {
                .group = a->group,
                .key = a->key,
                .value = a->value,
                .origin = a->origin,
            };

            a->overlaid = a->key != NULL ? overlay_has (c, a->group, a->key)
                                         : overlay_has (c, a->group, NULL);
            if (!a->overlaid)
                g_array_append_val (imp->applied, s);
        }
}

static gboolean
check_strict (SimImport *imp)
{
    SimImportCtx *c = &imp->c;
    guint n = sim_import_count (imp, SIM_IMPORT_UNSUPPORTED);

    if (!c->opt->strict || n == 0)
        return TRUE;
    for (guint i = 0; i < c->lines->len; i++) {
        const Line *l = c->lines->pdata[i];

        if (l->fate == SIM_IMPORT_UNSUPPORTED) {
            g_set_error (&c->error, SIM_IMPORT_ERROR,
                         SIM_IMPORT_ERROR_UNSUPPORTED,
                         "%s: %s: %s: unsupported (%s); --strict refuses %u "
                         "unsupported field%s (rollsim import shows them all)",
                         l->where, l->label, l->path, l->why, n,
                         n > 1 ? "s" : "");
            return FALSE;
        }
    }
    return TRUE;
}

SimImport *
sim_import_new (SimYamlStream *st, const SimImportOptions *opt, GError **error)
{
    g_autoptr (SimImport) imp = g_new0 (SimImport, 1);
    SimImportCtx *c = &imp->c;

    g_return_val_if_fail (st != NULL && opt != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    imp->stream = st;
    imp->opt.workload = g_strdup (opt->workload);
    imp->opt.to = g_strdup (opt->to);
    imp->opt.overlay = g_strdup (opt->overlay);
    imp->opt.overlay_path = g_strdup (opt->overlay_path);
    imp->opt.strict = opt->strict;
    c->opt = &imp->opt;
    c->objects = g_ptr_array_new_with_free_func (object_free);
    c->lines = g_ptr_array_new_with_free_func (line_free);
    c->assigns = g_ptr_array_new_with_free_func (assign_free);
    c->templates = g_ptr_array_new ();
    c->steps = g_string_new (NULL);
    for (guint i = 0; i < G_N_ELEMENTS (c->probe_container); i++)
        c->probe_container[i] = -1;
    c->conditions = g_string_new (NULL);
    if (!read_overlay (c, error))
        return NULL;
    list_objects (c, st);
    if (!choose_workload (c, error)) {
        if (c->error != NULL)
            g_propagate_error (error, g_steal_pointer (&c->error));
        return NULL;
    }
    imp->workload = g_strdup (c->workload->label);
    c->workload->seen = TRUE;
    c->pod_source->seen = TRUE;
    find_flagger (c);
    if (check_selector (c) && walk_object (c, c->workload)
        && walk_pod_source (c)) {
        /* Templates found on the walk, in the order referenced. */
        for (guint i = 0; c->error == NULL && i < c->templates->len; i++)
            walk_object (c, c->templates->pdata[i]);
        sim_import_finish_analysis (c);
    }
    if (c->error == NULL && walk_services (c) && walk_around (c)
        && assign_versions (imp)) {
        assign_requests (c);
        assign_lists (c);
        assign_background (c);
        finish_assignments (imp);
        check_strict (imp);
    }
    if (c->error != NULL) {
        g_propagate_error (error, g_steal_pointer (&c->error));
        return NULL;
    }
    imp->skipped = skipped_text (c);
    return g_steal_pointer (&imp);
}

void
sim_import_free (SimImport *imp)
{
    SimImportCtx *c;

    if (imp == NULL)
        return;
    c = &imp->c;
    if (c->objects != NULL)
        g_ptr_array_unref (c->objects);
    if (c->lines != NULL)
        g_ptr_array_unref (c->lines);
    if (c->assigns != NULL)
        g_ptr_array_unref (c->assigns);
    if (c->templates != NULL)
        g_ptr_array_unref (c->templates);
    if (c->steps != NULL)
        g_string_free (c->steps, TRUE);
    if (c->conditions != NULL)
        g_string_free (c->conditions, TRUE);
    if (c->overlay != NULL)
        g_key_file_unref (c->overlay);
    sim_places_clear (&c->overlay_places);
    g_clear_error (&c->error);
    g_free (c->conditions_path);
    g_free (c->toleration);
    g_free (c->version);
    g_free (c->image);
    if (imp->applied != NULL)
        g_array_unref (imp->applied);
    g_free (imp->workload);
    g_free (imp->next);
    g_free (imp->skipped);
    sim_yaml_stream_free (imp->stream);
    g_free ((char *) imp->opt.workload);
    g_free ((char *) imp->opt.to);
    g_free ((char *) imp->opt.overlay);
    g_free ((char *) imp->opt.overlay_path);
    g_free (imp);
}

const SimAssignment *
sim_import_assignments (const SimImport *imp, gsize *n)
{
    *n = imp->applied->len;
    return (const SimAssignment *) (gpointer) imp->applied->data;
}

const char *
sim_import_workload (const SimImport *imp)
{
    return imp->workload;
}

guint
sim_import_count (const SimImport *imp, SimImportFate fate)
{
    guint n = 0;

    for (guint i = 0; i < imp->c.lines->len; i++)
        n += ((const Line *) imp->c.lines->pdata[i])->fate == fate;
    return n;
}

static const char *const fate_names[] = { "mapped", "ignored", "unsupported" };

char *
sim_import_report (const SimImport *imp)
{
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < imp->c.lines->len; i++) {
        const Line *l = imp->c.lines->pdata[i];
        const Assign *a = NULL;

        g_string_append_printf (s, "%s: %s: %s: %s", l->where, l->label,
                                l->path, fate_names[l->fate]);
        if (l->fate != SIM_IMPORT_MAPPED) {
            g_string_append_printf (s, " (%s)\n", l->why);
            continue;
        }
        if (l->target[strlen (l->target) - 1] != '.')
            a = find_assign (&imp->c, l->target);
        g_string_append_printf (s, " -> %s = %s", l->target,
                                l->shown != NULL        ? l->shown
                                : a != NULL && a->value ? a->value
                                                        : "");
        if (l->why != NULL && a != NULL && a->overlaid)
            g_string_append_printf (s, " (%s; the overlay's value wins)",
                                    l->why);
        else if (l->why != NULL)
            g_string_append_printf (s, " (%s)", l->why);
        else if (a != NULL && a->overlaid)
            g_string_append (s, " (the overlay's value wins)");
        g_string_append_c (s, '\n');
    }
    g_string_append (s, imp->skipped);
    return g_string_free (s, FALSE);
}

/* --- The annotated scenario ------------------------------------------------------ */

static const Assign *
assign_for (const SimImport *imp, const char *group, const char *key)
{
    for (guint i = imp->c.assigns->len; i-- > 0;) {
        const Assign *a = imp->c.assigns->pdata[i];

        if (!a->overlaid && strcmp (a->group, group) == 0
            && g_strcmp0 (a->key, key) == 0)
            return a;
    }
    return NULL;
}

char *
sim_import_annotate (const SimImport *imp, const char *ini)
{
    const SimImportCtx *c = &imp->c;
    g_auto (GStrv) lines = g_strsplit (ini, "\n", -1);
    GString *s = g_string_new (NULL);
    g_autofree char *group = NULL;

    g_autofree char *workload = one_line (imp->workload);
    g_autofree char *file = one_line (c->workload->doc->file);
    g_autofree char *image = one_line (c->image);
    g_autofree char *overlay = one_line (c->opt->overlay_path);

    g_string_append_printf (
        s,
        "# Imported by rollsim import: %s (%s), version %s from image %s.\n"
        "# Manifests describe one state: %s runs at t = 0, and the rollout "
        "goes\n# to %s%s.\n"
        "# Each key says where its value comes from: a manifest's FILE:LINE "
        "(field),\n# the overlay%s%s%s, or rollsim's default.\n",
        workload, file, c->version, image, c->version, imp->next,
        c->opt->to == NULL ? ", the same settings under a new name (what "
                             "`kubectl\n# rollout restart` does)"
                           : " (--to)",
        c->opt->overlay_path != NULL ? " (" : "",
        c->opt->overlay_path != NULL ? overlay : "",
        c->opt->overlay_path != NULL ? ")" : "");
    for (guint i = 0; lines[i] != NULL; i++) {
        const char *l = lines[i];
        const char *eq = strstr (l, " =");
        g_autofree char *note = NULL;

        if (l[0] == '#')
            continue;
        if (l[0] == '[') {
            const Assign *a;

            g_free (group);
            group = g_strndup (l + 1, strcspn (l + 1, "]"));
            a = assign_for (imp, group, NULL);
            if (a != NULL) {
                g_autofree char *raw = sim_origin_format (a->origin);
                g_autofree char *o = one_line (raw);

                g_string_append_printf (s, "# %s\n%s\n", o, l);
                continue;
            }
        } else if (eq != NULL && group != NULL) {
            g_autofree char *key = g_strndup (l, eq - l);
            const Assign *a = assign_for (imp, group, key);

            if (a != NULL) {
                g_autofree char *raw = sim_origin_format (a->origin);

                note = one_line (raw);
            } else
                note = g_strdup (overlay_has (c, group, key) ? "overlay"
                                                             : "default");
            g_string_append_printf (s, "%-23s # %s\n", l, note);
            continue;
        }
        if (lines[i + 1] != NULL || l[0] != '\0')
            g_string_append_printf (s, "%s\n", l);
    }
    return g_string_free (s, FALSE);
}

gboolean
sim_import_is_manifest_path (const char *path)
{
    return path != NULL
           && (strcmp (path, "-") == 0 || g_str_has_suffix (path, ".yaml")
               || g_str_has_suffix (path, ".yml")
               || g_file_test (path, G_FILE_TEST_IS_DIR));
}

/* --- The table, for the documentation --------------------------------------------- */

char *
sim_import_table (gboolean markdown)
{
    GString *s = g_string_new (NULL);

    if (markdown)
        g_string_append (s, "| kinds | field | rollsim | how, or why not |\n"
                            "| --- | --- | --- | --- |\n");
    for (const SimImportRow *r = sim_import_rows; r->pattern != NULL; r++) {
        if (!markdown) {
            g_string_append_printf (s, "%s\t%s\t%s\n", r->kinds, r->pattern,
                                    fate_names[r->fate]);
            continue;
        }
        g_string_append_printf (
            s, "| %s | `%s` | %s%s%s | %s |\n", r->kinds, r->pattern,
            r->fate == SIM_IMPORT_MAPPED ? "`" : "",
            r->fate == SIM_IMPORT_MAPPED ? r->target : fate_names[r->fate],
            r->fate == SIM_IMPORT_MAPPED ? "`" : "",
            r->why != NULL ? r->why : "as written");
    }
    return g_string_free (s, FALSE);
}
