/* import-table.c - the mapping table: every manifest field rollsim
 * reads, ignores or cannot say, with its key and converter
 * (import-private.h explains the walk).  docs/import.md prints it.
 *
 * A field that a later feature will map (probes, autoscalers,
 * disruption budgets, Flagger) is an unsupported row whose reason names
 * the missing key: mapping it is changing that one row.
 */
#include <stdlib.h>
#include <string.h>

#include "import-private.h"
#include "units.h"

#define WORKLOADS "Deployment Rollout"
#define TEMPLATES "AnalysisTemplate ClusterAnalysisTemplate"
#define AROUND \
    "Service AnalysisTemplate ClusterAnalysisTemplate " \
    "HorizontalPodAutoscaler PodDisruptionBudget Canary"
#define POD "spec.template.spec."
#define CTR POD "containers[]."
#define INIT POD "initContainers[]."
#define CANARY "spec.strategy.canary."
#define BG "spec.strategy.blueGreen."

/* --- Helpers ------------------------------------------------------------------ */

static gboolean
wrong_type (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const char *want)
{
    const char *t = sim_yaml_text (node);

    if (t != NULL)
        return sim_import_fail (c, obj, node, path, SIM_IMPORT_ERROR_INVALID,
                                "expected %s, got %s \"%s\"", want,
                                sim_yaml_describe (node), t);
    return sim_import_fail (c, obj, node, path, SIM_IMPORT_ERROR_INVALID,
                            "expected %s, got %s", want,
                            sim_yaml_describe (node));
}

/* The index in brackets after @name in @path ("steps[3]" -> 3), or -1. */
static gint
index_after (const char *path, const char *name)
{
    const char *p = strstr (path, name);

    if (p == NULL || p[strlen (name)] != '[')
        return -1;
    return atoi (p + strlen (name) + 1);
}

/* The container (or init container) whose field @path is. */
static const SimYamlNode *
container_of (SimImportCtx *c, const char *path)
{
    gboolean init = strstr (path, "initContainers[") != NULL;
    gint i = index_after (path, init ? "initContainers" : "containers");
    const SimYamlNode *list = sim_yaml_path (
        c->pod_source->node, init ? "spec.template.spec.initContainers"
                                  : "spec.template.spec.containers");

    if (i < 0 || list == NULL || list->kind != SIM_YAML_SEQUENCE
        || (guint) i >= list->n)
        return NULL;
    return list->items[i];
}

/* --- Plain values ------------------------------------------------------------- */

static gboolean
conv_int (SimImportCtx *c, const SimImportObject *obj, const SimYamlNode *node,
          const char *path, const SimImportRow *row)
{
    gint64 v;
    g_autofree char *text = NULL;

    if (!sim_yaml_int (node, &v))
        return wrong_type (c, obj, node, path, "an integer");
    text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

static gboolean
conv_seconds (SimImportCtx *c, const SimImportObject *obj,
              const SimYamlNode *node, const char *path,
              const SimImportRow *row)
{
    gint64 v;
    g_autofree char *text = NULL;

    if (!sim_yaml_int (node, &v))
        return wrong_type (c, obj, node, path, "an integer (seconds)");
    /* Negative seconds reach the loader, which says what it accepts. */
    text = v >= 0 && v < G_MAXINT64 / SIM_SEC
               ? sim_units_format_duration (v * SIM_SEC)
               : g_strdup_printf ("%" G_GINT64_FORMAT "s", v);
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

static gboolean
conv_bool (SimImportCtx *c, const SimImportObject *obj, const SimYamlNode *node,
           const char *path, const SimImportRow *row)
{
    gboolean v;

    if (!sim_yaml_bool (node, &v))
        return wrong_type (c, obj, node, path, "true or false");
    sim_import_assign (c, obj, node, path, row->target, v ? "true" : "false",
                       NULL);
    return TRUE;
}

/* IntOrString: 1 or "25%". */
static gboolean
conv_intstr (SimImportCtx *c, const SimImportObject *obj,
             const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    if (sim_yaml_text (node) == NULL)
        return wrong_type (c, obj, node, path,
                           "an integer or a percentage (\"25%\")");
    sim_import_assign (c, obj, node, path, row->target, sim_yaml_text (node),
                       NULL);
    return TRUE;
}

/* Argo's durations: an integer of seconds, or a number with a unit
 * ("30s", "5m", "1h"). */
static char *
duration_text (const SimYamlNode *node)
{
    gint64 v;
    SimTime t;

    if (sim_yaml_int (node, &v))
        return v >= 0 && v < G_MAXINT64 / SIM_SEC
                   ? sim_units_format_duration (v * SIM_SEC)
                   : NULL;
    if (sim_yaml_text (node) == NULL
        || !sim_units_parse_duration (sim_yaml_text (node), &t, NULL))
        return NULL;
    return sim_units_format_duration (t);
}

/* --- The workload --------------------------------------------------------------- */

/* The object's name names the Deployment (in kubectl's messages) and
 * the scenario (its output directory). */
static gboolean
conv_name (SimImportCtx *c, const SimImportObject *obj, const SimYamlNode *node,
           const char *path, const SimImportRow *row)
{
    if (sim_yaml_text (node) == NULL)
        return wrong_type (c, obj, node, path, "a name");
    sim_import_assign_as (c, obj, node, path, "scenario.name",
                          sim_yaml_text (node));
    sim_import_assign (c, obj, node, path, row->target, sim_yaml_text (node),
                       NULL);
    return TRUE;
}

static gboolean
conv_strategy_type (SimImportCtx *c, const SimImportObject *obj,
                    const SimYamlNode *node, const char *path,
                    const SimImportRow *row)
{
    const char *t = sim_yaml_text (node);

    if (t == NULL
        || (strcmp (t, "RollingUpdate") != 0 && strcmp (t, "Recreate") != 0))
        return wrong_type (c, obj, node, path, "RollingUpdate or Recreate");
    if (c->flagger != NULL) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "a Flagger Canary manages this Deployment: "
                         "strategy.type = flagger");
        return TRUE;
    }
    sim_import_assign (c, obj, node, path, row->target,
                       strcmp (t, "Recreate") == 0 ? "recreate" : "rolling",
                       NULL);
    return TRUE;
}

static gboolean
conv_canary (SimImportCtx *c, const SimImportObject *obj,
             const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    c->strategy = "canary";
    sim_import_assign_as (c, obj, node, path, "strategy.canary.", NULL);
    sim_import_assign (c, obj, node, path, row->target, "canary", NULL);
    return TRUE;
}

static gboolean
conv_bluegreen (SimImportCtx *c, const SimImportObject *obj,
                const SimYamlNode *node, const char *path,
                const SimImportRow *row)
{
    c->strategy = "bluegreen";
    sim_import_assign_as (c, obj, node, path, "strategy.bluegreen.", NULL);
    sim_import_assign (c, obj, node, path, row->target, "bluegreen", NULL);
    return TRUE;
}

static gboolean
is_bluegreen (const SimImportCtx *c)
{
    return sim_yaml_path (c->workload->node, "spec.strategy.blueGreen") != NULL;
}

/* A Rollout's deadline: the canary's own key, or the Deployment's,
 * which blue-green reads. */
static gboolean
conv_deadline (SimImportCtx *c, const SimImportObject *obj,
               const SimYamlNode *node, const char *path,
               const SimImportRow *row)
{
    SimImportRow r = *row;

    r.target = is_bluegreen (c) ? "deployment.progress_deadline"
                                : "strategy.canary.progress_deadline";
    return conv_seconds (c, obj, node, path, &r);
}

static gboolean
conv_deadline_abort (SimImportCtx *c, const SimImportObject *obj,
                     const SimYamlNode *node, const char *path,
                     const SimImportRow *row)
{
    gboolean v;

    if (!sim_yaml_bool (node, &v))
        return wrong_type (c, obj, node, path, "true or false");
    if (is_bluegreen (c) && v) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim's blue-green does not abort on the "
                         "deadline: no strategy.bluegreen key for it");
        return TRUE;
    }
    if (is_bluegreen (c)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "false: rollsim's blue-green does not abort on the "
                         "deadline either");
        return TRUE;
    }
    return conv_bool (c, obj, node, path, row);
}

static gboolean
conv_image (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    if (sim_yaml_text (node) == NULL)
        return wrong_type (c, obj, node, path, "an image name");
    if (index_after (path, "containers") != 0) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "the first container's image names the version");
        return TRUE;
    }
    g_free (c->version);
    g_free (c->image);
    c->version = sim_import_version_name (sim_yaml_text (node));
    c->image = g_strdup (sim_yaml_text (node));
    /* The assignment itself is assign_versions' (with the version's
     * group). */
    sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target, NULL,
                     "the image's tag names the version");
    return TRUE;
}

static gboolean
check_quantity (SimImportCtx *c, const SimImportObject *obj,
                const SimYamlNode *node, const char *path, gboolean cpu)
{
    const char *t = sim_yaml_text (node);
    g_autoptr (GError) err = NULL;
    gint64 v;

    if (t == NULL)
        return wrong_type (c, obj, node, path, "a quantity");
    if (cpu ? sim_units_parse_cpu (t, &v, &err)
            : sim_units_parse_memory (t, &v, &err))
        return TRUE;
    return sim_import_fail (c, obj, node, path, SIM_IMPORT_ERROR_INVALID, "%s",
                            err->message);
}

static gboolean
conv_request (SimImportCtx *c, const SimImportObject *obj,
              const SimYamlNode *node, const char *path,
              const SimImportRow *row)
{
    gboolean cpu = g_str_has_suffix (path, ".cpu");
    const SimYamlNode *ctr = container_of (c, path);
    const char *p = sim_yaml_text (sim_yaml_get (ctr, "restartPolicy"));
    gboolean init = strstr (path, "initContainers[") != NULL;

    if (!check_quantity (c, obj, node, path, cpu))
        return FALSE;
    sim_import_line (
        c, obj, node, path, SIM_IMPORT_MAPPED, row->target, NULL,
        !init ? "the containers' requests add up"
        : p != NULL && strcmp (p, "Always") == 0
            ? "a sidecar: its request adds to the containers'"
            : "an init container: the pod requests at least as much");
    return TRUE;
}

/* Whether every container of the pod template has a CPU limit: the pod's
 * limit is then their sum (deployment.cpu_limit); with some only, part
 * of the pod is unbounded, which rollsim's one limit cannot say. */
static gboolean
every_container_limited (SimImportCtx *c)
{
    const SimYamlNode *ctrs = sim_yaml_path (c->pod_source->node,
                                             "spec.template.spec.containers");

    for (guint i = 0;
         ctrs != NULL && ctrs->kind == SIM_YAML_SEQUENCE && i < ctrs->n; i++)
        if (sim_yaml_path (ctrs->items[i], "resources.limits.cpu") == NULL)
            return FALSE;
    return ctrs != NULL;
}

/* A limit without a request is the request (Kubernetes copies it).  A
 * CPU limit throttles (deployment.cpu_limit, the pod's); a memory limit
 * kills a pod that uses more, which rollsim does not model; an init
 * container's limit bounds nothing once the pod runs. */
static gboolean
conv_limit (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    gboolean cpu = g_str_has_suffix (path, ".cpu");
    gboolean init = strstr (path, "initContainers[") != NULL;
    const SimYamlNode *req = sim_yaml_get (
        sim_yaml_path (container_of (c, path), "resources.requests"),
        cpu ? "cpu" : "memory");

    if (!check_quantity (c, obj, node, path, cpu))
        return FALSE;
    if (cpu && !init && every_container_limited (c))
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED,
                         "deployment.cpu_limit", NULL,
                         req == NULL ? "the containers' limits add up; "
                                       "and no request: Kubernetes takes the "
                                       "limit as the request"
                                     : "the containers' limits add up");
    else if (req == NULL)
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED,
                         cpu ? "deployment.cpu" : "deployment.memory", NULL,
                         "no request: Kubernetes takes the limit as the "
                         "request");
    else if (cpu && !init)
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "only some containers have a CPU limit; rollsim's "
                         "deployment.cpu_limit is the whole pod's");
    else if (cpu)
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "an init container's limit bounds nothing once the "
                         "pod runs");
    else
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "a memory limit kills a pod that uses more; rollsim "
                         "kills no pod for its memory");
    return TRUE;
}

/* --- Probes --------------------------------------------------------------------- */

/* A probe makes its period (Kubernetes' default 10 s when not written)
 * and its fields the version's; rollsim probes one container per pod,
 * the first that has the probe. */
static gboolean
conv_probe (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    gint ctr = index_after (path, "containers");
    const char *kind = strrchr (path, '.') + 1;
    gint *first = kind[0] == 'r'   ? &c->probe_container[0]
                  : kind[0] == 'l' ? &c->probe_container[1]
                                   : &c->probe_container[2];

    if (node->kind != SIM_YAML_MAPPING)
        return wrong_type (c, obj, node, path, "a probe (a mapping)");
    if (*first >= 0 && *first != ctr) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim probes one container per pod: the first "
                         "one with this probe");
        c->skip_children = TRUE;
        return TRUE;
    }
    *first = ctr;
    sim_import_assign (c, obj, node, path, row->target, "10s",
                       sim_yaml_get (node, "periodSeconds") == NULL
                           ? "10s (periodSeconds not written: Kubernetes' "
                             "default)"
                           : NULL);
    return TRUE;
}

/* --- Tolerations ------------------------------------------------------------------ */

/* A toleration of the not-ready or unreachable NoExecute taints: how
 * long a pod stays on a failed node (deployment.toleration_seconds, one
 * for both taints). */
static gboolean
conv_toleration (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path,
                 const SimImportRow *row)
{
    const char *key = sim_yaml_text (sim_yaml_get (node, "key"));
    const char *effect = sim_yaml_text (sim_yaml_get (node, "effect"));
    const char *op = sim_yaml_text (sim_yaml_get (node, "operator"));
    const SimYamlNode *secs = sim_yaml_get (node, "tolerationSeconds");
    gboolean node_taint = key != NULL
                          && (strcmp (key, "node.kubernetes.io/not-ready") == 0
                              || strcmp (key, "node.kubernetes.io/unreachable")
                                     == 0);
    gboolean all = key == NULL && op != NULL && strcmp (op, "Exists") == 0;
    g_autofree char *value = NULL;
    gint64 v;

    if (node->kind != SIM_YAML_MAPPING)
        return wrong_type (c, obj, node, path, "a toleration (a mapping)");
    if ((!node_taint && !all)
        || (effect != NULL && strcmp (effect, "NoExecute") != 0)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "a taint rollsim does not put on nodes");
        return TRUE;
    }
    if (secs == NULL)
        value = g_strdup ("none");
    else if (sim_yaml_int (secs, &v) && v >= 0 && v < G_MAXINT64 / SIM_SEC)
        value = sim_units_format_duration (v * SIM_SEC);
    else
        return wrong_type (c, obj, secs, path, "an integer (seconds)");
    if (c->toleration != NULL && strcmp (c->toleration, value) == 0) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target,
                         NULL, "the same as the other taint's");
        return TRUE;
    }
    if (c->toleration != NULL) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim has one toleration for the not-ready and "
                         "unreachable taints: the first one's is used");
        return TRUE;
    }
    c->toleration = g_strdup (value);
    sim_import_assign (c, obj, node, path, row->target, value,
                       secs == NULL ? "none (no tolerationSeconds: for ever)"
                                    : NULL);
    return TRUE;
}

/* --- HorizontalPodAutoscaler ------------------------------------------------------ */

/* autoscaling/v1: a CPU utilization target. */
static gboolean
conv_hpa_v1 (SimImportCtx *c, const SimImportObject *obj,
             const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    gint64 v;
    g_autofree char *text = NULL;

    if (!sim_yaml_int (node, &v))
        return wrong_type (c, obj, node, path, "an integer (percent)");
    text = g_strdup_printf ("%" G_GINT64_FORMAT "%%", v);
    sim_import_assign_as (c, obj, node, path, "autoscaling.metric", "cpu");
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

/* autoscaling/v2: a Resource metric with a Utilization target is
 * rollsim's; the first one is read. */
static gboolean
conv_hpa_metric (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path,
                 const SimImportRow *row)
{
    const char *type = sim_yaml_text (sim_yaml_get (node, "type"));
    const char *name = sim_yaml_text (sim_yaml_path (node, "resource.name"));
    const char *ttype = sim_yaml_text (sim_yaml_path (node,
                                                      "resource.target.type"));
    const SimYamlNode *util = sim_yaml_path (
        node, "resource.target.averageUtilization");
    g_autofree char *text = NULL;
    gint64 v;

    if (node->kind != SIM_YAML_MAPPING || type == NULL)
        return wrong_type (c, obj, node, path, "a metric with a type");
    if (strcmp (type, "Resource") != 0) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "a metric other than a pod resource: if it is "
                         "requests per second per pod, write "
                         "autoscaling.metric = requests_per_pod and its "
                         "target in the overlay");
        return TRUE;
    }
    if (name == NULL || ttype == NULL || strcmp (ttype, "Utilization") != 0
        || (strcmp (name, "cpu") != 0 && strcmp (name, "memory") != 0)
        || !sim_yaml_int (util, &v)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim's resource target is a utilization of "
                         "the request of cpu or memory");
        return TRUE;
    }
    if (sim_import_assigned (c, row->target)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim's HPA reads one metric: the first one");
        return TRUE;
    }
    text = g_strdup_printf ("%" G_GINT64_FORMAT "%%", v);
    sim_import_assign_as (c, obj, node, path, "autoscaling.metric", name);
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

/* behavior.*.policies: [{type: Pods|Percent, value: N, periodSeconds:
 * S}] -> "pods N per Ss; percent N per Ss". */
static gboolean
conv_hpa_policies (SimImportCtx *c, const SimImportObject *obj,
                   const SimYamlNode *node, const char *path,
                   const SimImportRow *row)
{
    g_autoptr (GString) text = g_string_new (NULL);

    if (node->kind != SIM_YAML_SEQUENCE)
        return wrong_type (c, obj, node, path, "a list of policies");
    for (guint i = 0; i < node->n; i++) {
        const SimYamlNode *p = node->items[i];
        const char *type = sim_yaml_text (sim_yaml_get (p, "type"));
        gint64 value, period;
        g_autofree char *d = NULL;

        if (type == NULL
            || (strcmp (type, "Pods") != 0 && strcmp (type, "Percent") != 0)
            || !sim_yaml_int (sim_yaml_get (p, "value"), &value)
            || !sim_yaml_int (sim_yaml_get (p, "periodSeconds"), &period)
            || period < 0 || period > 3600)
            return wrong_type (c, obj, p, path,
                               "a policy {type: Pods or Percent, value, "
                               "periodSeconds}");
        d = sim_units_format_duration (period * SIM_SEC);
        g_string_append_printf (text, "%s%s %" G_GINT64_FORMAT " per %s",
                                i > 0 ? "; " : "",
                                strcmp (type, "Pods") == 0 ? "pods" : "percent",
                                value, d);
    }
    sim_import_assign (c, obj, node, path, row->target, text->str, NULL);
    return TRUE;
}

static gboolean
conv_select (SimImportCtx *c, const SimImportObject *obj,
             const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    const char *t = sim_yaml_text (node);

    if (t == NULL
        || (strcmp (t, "Max") != 0 && strcmp (t, "Min") != 0
            && strcmp (t, "Disabled") != 0))
        return wrong_type (c, obj, node, path, "Max, Min or Disabled");
    sim_import_assign (c, obj, node, path, row->target,
                       strcmp (t, "Max") == 0   ? "max"
                       : strcmp (t, "Min") == 0 ? "min"
                                                : "disabled",
                       NULL);
    return TRUE;
}

/* --- Flagger ----------------------------------------------------------------------- */

/* Under a Flagger Canary the Deployment is the template of Flagger's
 * primary, which rolls with the Deployment's surge settings. */
static gboolean
conv_surge (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    SimImportRow r = *row;

    if (c->flagger != NULL)
        r.target = g_str_has_suffix (path, "maxSurge")
                       ? "strategy.flagger.primary_max_surge"
                       : "strategy.flagger.primary_max_unavailable";
    return conv_intstr (c, obj, node, path, &r);
}

static gboolean
conv_flagger (SimImportCtx *c, const SimImportObject *obj,
              const SimYamlNode *node, const char *path,
              const SimImportRow *row)
{
    if (node->kind != SIM_YAML_MAPPING)
        return wrong_type (c, obj, node, path, "a mapping");
    sim_import_assign_as (c, obj, node, path, "strategy.flagger.", NULL);
    sim_import_assign (c, obj, node, path, row->target, "flagger", NULL);
    return TRUE;
}

static gboolean
conv_flagger_provider (SimImportCtx *c, const SimImportObject *obj,
                       const SimYamlNode *node, const char *path,
                       const SimImportRow *row)
{
    const char *t = sim_yaml_text (node);

    if (t == NULL)
        return wrong_type (c, obj, node, path, "a provider name");
    sim_import_assign (c, obj, node, path, row->target,
                       strcmp (t, "kubernetes") == 0 ? "kubernetes" : "istio",
                       strcmp (t, "kubernetes") == 0
                           ? NULL
                           : "istio (a router that splits by weight)");
    return TRUE;
}

/* Flagger's durations are Go's: "30s", "1m", "1m30s". */
static gboolean
conv_go_duration (SimImportCtx *c, const SimImportObject *obj,
                  const SimYamlNode *node, const char *path,
                  const SimImportRow *row)
{
    g_autofree char *text = duration_text (node);

    if (text == NULL)
        return wrong_type (c, obj, node, path, "a duration (30s, 1m)");
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

static gboolean
conv_int_list (SimImportCtx *c, const SimImportObject *obj,
               const SimYamlNode *node, const char *path,
               const SimImportRow *row)
{
    g_autoptr (GString) text = g_string_new (NULL);

    if (node->kind != SIM_YAML_SEQUENCE)
        return wrong_type (c, obj, node, path, "a list of integers");
    for (guint i = 0; i < node->n; i++) {
        gint64 v;

        if (!sim_yaml_int (node->items[i], &v))
            return wrong_type (c, obj, node->items[i], path, "an integer");
        g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                v);
    }
    sim_import_assign (c, obj, node, path, row->target, text->str, NULL);
    return TRUE;
}

static gboolean
conv_suspend (SimImportCtx *c, const SimImportObject *obj,
              const SimYamlNode *node, const char *path,
              const SimImportRow *row)
{
    gboolean v;

    if (!sim_yaml_bool (node, &v))
        return wrong_type (c, obj, node, path, "true or false");
    sim_import_line (c, obj, node, path,
                     v ? SIM_IMPORT_UNSUPPORTED : SIM_IMPORT_IGNORED, NULL,
                     NULL,
                     v ? "a suspended Canary: rollsim runs the analysis"
                       : "false: not suspended");
    return TRUE;
}

/* A match rule (headers, cookies) names which requests go to the
 * canary; how many is a fact of the traffic, the overlay's. */
static gboolean
conv_match (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    if (c->overlay != NULL
        && g_key_file_has_key (c->overlay, "strategy.flagger", "match", NULL))
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "which requests, not how many: the share is the "
                         "overlay's strategy.flagger.match");
    else
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "which requests, not how many: write the share of "
                         "users it matches as strategy.flagger.match in the "
                         "overlay");
    return TRUE;
}

/* The built-in checks, in rollsim's units: request-success-rate is a
 * percentage (min 99: success_rate >= 0.99), request-duration the P99
 * in milliseconds (max 500: p99_ms <= 500). */
static gboolean
conv_flagger_metric (SimImportCtx *c, const SimImportObject *obj,
                     const SimYamlNode *node, const char *path,
                     const SimImportRow *row)
{
    const char *name = sim_yaml_text (sim_yaml_get (node, "name"));
    const SimYamlNode *range = sim_yaml_get (node, "thresholdRange");
    const SimYamlNode *lo = sim_yaml_get (range, "min");
    const SimYamlNode *hi = sim_yaml_get (range, "max");
    g_autoptr (GString) conds = g_string_new (NULL);
    g_autofree char *window = duration_text (sim_yaml_get (node, "interval"));
    double v;

    if (node->kind != SIM_YAML_MAPPING || name == NULL)
        return wrong_type (c, obj, node, path, "a metric with a name");
    if (sim_yaml_get (node, "templateRef") != NULL
        || (strcmp (name, "request-success-rate") != 0
            && strcmp (name, "request-duration") != 0)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "a metric of a MetricTemplate: write its condition "
                         "in the overlay's analysis.metrics");
        return TRUE;
    }
    if (strcmp (name, "request-success-rate") == 0 && sim_yaml_text (lo) != NULL
        && sim_key_to_double (sim_yaml_text (lo), &v)) {
        g_autofree char *n = sim_key_number_text (v / 100.0);

        g_string_append_printf (conds, "success_rate >= %s", n);
    }
    if (strcmp (name, "request-duration") == 0 && sim_yaml_text (hi) != NULL
        && sim_key_to_double (sim_yaml_text (hi), &v)) {
        g_autofree char *n = sim_key_number_text (v);

        g_string_append_printf (conds, "p99_ms <= %s", n);
    }
    if (conds->len == 0) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "request-success-rate takes thresholdRange.min, "
                         "request-duration thresholdRange.max");
        return TRUE;
    }
    if (window != NULL
        && !sim_import_assigned (c, "strategy.flagger.metric_window"))
        sim_import_assign_as (c, obj, node, path,
                              "strategy.flagger.metric_window", window);
    if (c->conditions->len > 0)
        g_string_append (c->conditions, "; ");
    g_string_append (c->conditions, conds->str);
    if (c->conditions_node == NULL) {
        c->conditions_node = node;
        c->conditions_obj = obj;
        c->conditions_path = g_strdup (path);
    }
    sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target,
                     conds->str, NULL);
    return TRUE;
}

/* --- PodDisruptionBudget ---------------------------------------------------------- */

static gboolean
conv_eviction_policy (SimImportCtx *c, const SimImportObject *obj,
                      const SimYamlNode *node, const char *path,
                      const SimImportRow *row)
{
    const char *t = sim_yaml_text (node);

    if (t != NULL && strcmp (t, "IfHealthyBudget") == 0)
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "IfHealthyBudget, the rule rollsim's evictions "
                         "follow");
    else
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim's evictions follow IfHealthyBudget (the "
                         "default): an unhealthy pod is evicted only "
                         "within the budget");
    return TRUE;
}

/* The seconds of a preStop hook: `sleep: {seconds: N}`, or an exec of
 * `sleep N` (directly or through a shell); -1 for anything else. */
static gint64
pre_stop_seconds (const SimYamlNode *hook)
{
    const SimYamlNode *cmd = sim_yaml_path (hook, "exec.command");
    g_autoptr (GString) line = g_string_new (NULL);
    g_auto (GStrv) words = NULL;
    gint64 v;
    guint n;

    if (sim_yaml_int (sim_yaml_path (hook, "sleep.seconds"), &v))
        return v;
    if (cmd == NULL || cmd->kind != SIM_YAML_SEQUENCE)
        return -1;
    for (guint i = 0; i < cmd->n; i++) {
        const char *w = sim_yaml_text (cmd->items[i]);

        if (w == NULL)
            return -1;
        g_string_append_printf (line, "%s ", w);
    }
    words = g_strsplit_set (g_strstrip (line->str), " \t;", -1);
    n = g_strv_length (words);
    for (guint i = 0; i + 1 < n; i++) {
        const char *w = words[i];

        if ((strcmp (w, "sleep") == 0 || g_str_has_suffix (w, "/sleep"))
            && sim_key_to_int64 (words[i + 1], &v) && v >= 0)
            return v;
    }
    return -1;
}

static gboolean
conv_prestop (SimImportCtx *c, const SimImportObject *obj,
              const SimYamlNode *node, const char *path,
              const SimImportRow *row)
{
    gint64 s = pre_stop_seconds (node);
    const SimYamlNode *ctrs = sim_yaml_path (c->pod_source->node,
                                             "spec.template.spec.containers");
    gint64 longest = s;
    g_autofree char *text = NULL;

    if (s < 0) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "only a sleep, or an exec of sleep N, has a known "
                         "length; write deployment.pre_stop in the overlay");
        return TRUE;
    }
    /* The containers stop together: the pod waits for the longest. */
    for (guint i = 0;
         ctrs != NULL && ctrs->kind == SIM_YAML_SEQUENCE && i < ctrs->n; i++)
        longest = MAX (longest, pre_stop_seconds (sim_yaml_path (
                                    ctrs->items[i], "lifecycle.preStop")));
    text = g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
    if (s < longest || sim_import_assigned (c, row->target)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target,
                         text,
                         "another container's hook is as long or "
                         "longer: the pod waits for the longest");
        return TRUE;
    }
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

/* --- Canary steps -------------------------------------------------------------- */

/* Steps met so far: Argo's index -> whether rollsim keeps it. */
static void
keep_step (SimImportCtx *c, const SimImportObject *obj, const char *path,
           const char *text, const SimYamlNode *node)
{
    g_autofree char *shown = NULL;
    guint kept = 0;

    for (const char *p = c->steps->str; *p != '\0'; p++)
        kept += *p == ';';
    kept += c->steps->len > 0;
    if (c->steps->len > 0)
        g_string_append (c->steps, "; ");
    g_string_append (c->steps, text);
    shown = g_strdup_printf ("%s (index %u)", text, kept);
    sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED,
                     "strategy.canary.steps", shown, NULL);
}

static gboolean
conv_steps (SimImportCtx *c, const SimImportObject *obj,
            const SimYamlNode *node, const char *path, const SimImportRow *row)
{
    if (node->kind != SIM_YAML_SEQUENCE && !sim_yaml_is_null (node))
        return wrong_type (c, obj, node, path, "a list of steps");
    c->steps_node = node;
    c->steps_obj = obj;
    if (node->kind != SIM_YAML_SEQUENCE || node->n == 0)
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target,
                         NULL, "no steps: a rolling update to weight 100");
    else
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target,
                         NULL, "the steps rollsim keeps, below");
    return TRUE;
}

static gboolean
conv_step_weight (SimImportCtx *c, const SimImportObject *obj,
                  const SimYamlNode *node, const char *path,
                  const SimImportRow *row)
{
    gint64 v;
    g_autofree char *text = NULL;

    if (!sim_yaml_int (node, &v))
        return wrong_type (c, obj, node, path, "an integer (percent)");
    text = g_strdup_printf ("set-weight %" G_GINT64_FORMAT, v);
    keep_step (c, obj, path, text, node);
    return TRUE;
}

static gboolean
conv_step_pause (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path,
                 const SimImportRow *row)
{
    const SimYamlNode *d = sim_yaml_get (node, "duration");
    g_autofree char *dur = NULL;
    g_autofree char *text = NULL;
    g_autofree char *dpath = g_strconcat (path, ".duration", NULL);

    if (node->kind != SIM_YAML_MAPPING && !sim_yaml_is_null (node))
        return wrong_type (c, obj, node, path, "a mapping ({} or duration)");
    if (d == NULL) {
        keep_step (c, obj, path, "pause", node);
        return TRUE;
    }
    dur = duration_text (d);
    if (dur == NULL)
        return wrong_type (c, obj, d, dpath,
                           "a duration (seconds, or 30s, 5m, 1h)");
    text = g_strconcat ("pause ", dur, NULL);
    keep_step (c, obj, path, text, node);
    return TRUE;
}

static gboolean
conv_step_scale (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path,
                 const SimImportRow *row)
{
    gint64 v;
    gboolean match = FALSE;
    g_autofree char *text = NULL;

    if (sim_yaml_int (sim_yaml_get (node, "replicas"), &v))
        text = g_strdup_printf ("set-canary-scale replicas %" G_GINT64_FORMAT,
                                v);
    else if (sim_yaml_int (sim_yaml_get (node, "weight"), &v))
        text = g_strdup_printf ("set-canary-scale weight %" G_GINT64_FORMAT, v);
    else if (sim_yaml_bool (sim_yaml_get (node, "matchTrafficWeight"), &match)
             && match)
        text = g_strdup ("set-canary-scale match-traffic-weight");
    else
        return wrong_type (c, obj, node, path,
                           "replicas: N, weight: N or matchTrafficWeight: "
                           "true");
    keep_step (c, obj, path, text, node);
    return TRUE;
}

/* templates: [{templateName: X, clusterScope: B}]: each must be in the
 * input; every analysis shares rollsim's one [analysis]. */
static gboolean
add_templates (SimImportCtx *c, const SimImportObject *obj,
               const SimYamlNode *node, const char *path, gboolean *differs)
{
    *differs = FALSE;
    if (node == NULL || node->kind != SIM_YAML_SEQUENCE)
        return wrong_type (c, obj, node, path, "a list of templates");
    for (guint i = 0; i < node->n; i++) {
        const SimYamlNode *t = node->items[i];
        const char *name = sim_yaml_text (sim_yaml_get (t, "templateName"));
        gboolean cluster = FALSE;
        SimImportObject *tmpl;
        gboolean known = FALSE;
        g_autofree char *tpath = g_strdup_printf ("%s[%u].templateName", path,
                                                  i);

        if (name == NULL)
            return wrong_type (c, obj, t, tpath, "a template name");
        sim_yaml_bool (sim_yaml_get (t, "clusterScope"), &cluster);
        tmpl = sim_import_find (
            c, cluster ? "ClusterAnalysisTemplate" : "AnalysisTemplate", name);
        if (tmpl == NULL)
            return sim_import_fail (c, obj, t, tpath, SIM_IMPORT_ERROR_MISSING,
                                    "names %s/%s, which is not in the input",
                                    cluster ? "ClusterAnalysisTemplate"
                                            : "AnalysisTemplate",
                                    name);
        for (guint j = 0; j < c->templates->len; j++)
            known |= c->templates->pdata[j] == tmpl;
        if (!known) {
            *differs = c->templates->len > 0;
            g_ptr_array_add (c->templates, tmpl);
        }
    }
    return TRUE;
}

static gboolean
conv_templates (SimImportCtx *c, const SimImportObject *obj,
                const SimYamlNode *node, const char *path,
                const SimImportRow *row)
{
    gboolean differs;

    if (!add_templates (c, obj, node, path, &differs))
        return FALSE;
    if (differs)
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim has one [analysis] for every analysis of "
                         "a rollout: the conditions of all the templates are "
                         "judged together");
    else
        sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target,
                         NULL, "the templates' conditions");
    return TRUE;
}

static gboolean
conv_step_analysis (SimImportCtx *c, const SimImportObject *obj,
                    const SimYamlNode *node, const char *path,
                    const SimImportRow *row)
{
    g_autofree char *tpath = g_strconcat (path, ".templates", NULL);
    gboolean differs;

    if (!add_templates (c, obj, sim_yaml_get (node, "templates"), tpath,
                        &differs))
        return FALSE;
    keep_step (c, obj, path, "analysis", node);
    if (differs)
        sim_import_line (c, obj, node, tpath, SIM_IMPORT_UNSUPPORTED, NULL,
                         NULL,
                         "rollsim has one [analysis] for every analysis of "
                         "a rollout: the conditions of all the templates are "
                         "judged together");
    return TRUE;
}

static gboolean
conv_starting_step (SimImportCtx *c, const SimImportObject *obj,
                    const SimYamlNode *node, const char *path,
                    const SimImportRow *row)
{
    const SimYamlNode *steps = sim_yaml_path (c->workload->node,
                                              CANARY "steps");
    gint64 v, kept = 0;
    g_autofree char *text = NULL;

    if (!sim_yaml_int (node, &v))
        return wrong_type (c, obj, node, path, "an integer (a step index)");
    /* Argo counts every step; rollsim only those it keeps. */
    for (gint64 i = 0; steps != NULL && steps->kind == SIM_YAML_SEQUENCE
                       && i < v && i < (gint64) steps->n;
         i++) {
        const SimYamlNode *s = steps->items[i];

        kept += sim_yaml_get (s, "setWeight") != NULL
                || sim_yaml_get (s, "pause") != NULL
                || sim_yaml_get (s, "setCanaryScale") != NULL
                || sim_yaml_get (s, "analysis") != NULL;
    }
    if (kept < v && steps != NULL && v <= (gint64) steps->n)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, kept);
    else
        text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

static gboolean
conv_true (SimImportCtx *c, const SimImportObject *obj, const SimYamlNode *node,
           const char *path, const SimImportRow *row)
{
    sim_import_assign (c, obj, node, path, row->target, "true", NULL);
    return TRUE;
}

static gboolean
conv_routing (SimImportCtx *c, const SimImportObject *obj,
              const SimYamlNode *node, const char *path,
              const SimImportRow *row)
{
    if (node->kind != SIM_YAML_MAPPING || node->n == 0) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "no router named: a basic canary");
        return TRUE;
    }
    sim_import_assign (c, obj, node, path, row->target, "weighted",
                       "weighted (any router splits by weight)");
    return TRUE;
}

static gboolean
conv_max_weight (SimImportCtx *c, const SimImportObject *obj,
                 const SimYamlNode *node, const char *path,
                 const SimImportRow *row)
{
    gint64 v;

    if (!sim_yaml_int (node, &v))
        return wrong_type (c, obj, node, path, "an integer");
    if (v == 100)
        sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL,
                         "100, the scale rollsim's weights use");
    else
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim's weights are percentages (a maximum of "
                         "100): scale the setWeight steps by hand");
    return TRUE;
}

/* --- AnalysisTemplates ------------------------------------------------------------ */

/* interval, count, ...: per metric in Argo, one for all in rollsim: the
 * first metric's value, and a line for each that differs. */
static gboolean
conv_metric_value (SimImportCtx *c, const SimImportObject *obj,
                   const SimYamlNode *node, const char *path,
                   const SimImportRow *row)
{
    g_autofree char *text = NULL;
    gint64 v;
    const char *key = strrchr (row->pattern, '.') + 1;

    if (strcmp (key, "interval") == 0 || strcmp (key, "initialDelay") == 0)
        text = duration_text (node);
    else if (sim_yaml_int (node, &v))
        text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
    if (text == NULL) {
        /* "{{args.count}}": filled by arguments rollsim does not have. */
        if (sim_yaml_text (node) != NULL
            && strstr (sim_yaml_text (node), "{{") != NULL) {
            sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL,
                             NULL,
                             "set by an argument: write the value in the "
                             "overlay's [analysis]");
            return TRUE;
        }
        return wrong_type (c, obj, node, path,
                           strcmp (key, "interval") == 0
                                   || strcmp (key, "initialDelay") == 0
                               ? "a duration (30s, 5m)"
                               : "an integer");
    }
    if (sim_import_assigned (c, row->target)) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "rollsim measures every condition on one schedule: "
                         "the first metric's value is used");
        return TRUE;
    }
    sim_import_assign (c, obj, node, path, row->target, text, NULL);
    return TRUE;
}

/* What a provider query measures: METRIC (success_rate, error_rate,
 * p50_ms, ...), and how to scale a threshold into rollsim's unit; NULL
 * with *@why when it is not recognisable. */
static const char *
recognise (const char *query, double *scale, const char **why)
{
    g_autofree char *q = g_ascii_strdown (query, -1);
    const char *h = strstr (q, "histogram_quantile(");
    const char *quant = NULL;

    *scale = 1.0;
    if (h != NULL || strstr (q, "quantile") != NULL || strstr (q, "p99") != NULL
        || strstr (q, "p95") != NULL || strstr (q, "p50") != NULL) {
        double qv = 0;

        if (h != NULL)
            qv = g_ascii_strtod (h + strlen ("histogram_quantile("), NULL);
        if (qv == 0.99 || strstr (q, "p99") != NULL)
            quant = "p99_ms";
        else if (qv == 0.95 || strstr (q, "p95") != NULL)
            quant = "p95_ms";
        else if (qv == 0.5 || strstr (q, "p50") != NULL)
            quant = "p50_ms";
        if (quant == NULL) {
            *why = "a latency quantile other than 0.5, 0.95 or 0.99";
            return NULL;
        }
        /* "milliseconds" holds "second": milliseconds first. */
        if (strstr (q, "_ms") != NULL || strstr (q, "milli") != NULL)
            *scale = 1.0;
        else if (strstr (q, "second") != NULL)
            *scale = 1000.0;
        else {
            *why = "a latency whose unit (seconds or milliseconds) the query "
                   "does not say";
            return NULL;
        }
        return quant;
    }
    if (strchr (q, '/') != NULL) {
        gboolean neg = strstr (q, "!~\"5") != NULL
                       || strstr (q, "!=\"5") != NULL
                       || strstr (q, "!~'5") != NULL;
        gboolean five = neg || strstr (q, "=~\"5") != NULL
                        || strstr (q, "=\"5") != NULL
                        || strstr (q, "5xx") != NULL
                        || strstr (q, ">=500") != NULL
                        || strstr (q, ">= 500") != NULL
                        || strstr (q, "error") != NULL;
        gboolean two = strstr (q, "=~\"2") != NULL
                       || strstr (q, "success") != NULL;

        if (strstr (q, "* 100") != NULL || strstr (q, "*100") != NULL)
            *scale = 0.01;
        if (five)
            return neg ? "success_rate" : "error_rate";
        if (two)
            return "success_rate";
    }
    *why = "the query is not recognisable as a success rate, an error rate "
           "or a latency quantile";
    return NULL;
}

/* The first query string under a provider (prometheus.query,
 * datadog.query, newRelic.query, ...). */
static const char *
find_query (const SimYamlNode *n, guint depth)
{
    for (guint i = 0; n != NULL && n->kind == SIM_YAML_MAPPING && i < n->n;
         i++) {
        const SimYamlNode *v = n->items[2 * i + 1];
        const char *t;

        if (strcmp (n->items[2 * i]->text, "query") == 0
            && (t = sim_yaml_text (v)) != NULL)
            return t;
        if (depth < 3 && (t = find_query (v, depth + 1)) != NULL)
            return t;
    }
    return NULL;
}

/* "result[0] >= 0.95", "result >= 0.95", "asFloat(result) < 5", with an
 * optional "len(result) == 0 || " or "isNaN(result) || " in front. */
static gboolean
parse_condition (const char *text, char *op, double *num)
{
    g_autofree char *s = g_strstrip (g_strdup (text));
    const char *p = s;
    const char *bar = strstr (p, "||");
    char *end;
    static const char *const subjects[] = { "result[0]", "asfloat(result[0])",
                                            "asfloat(result)", "result", NULL };
    g_autofree char *low = NULL;
    guint i;

    if (bar != NULL) {
        if (strstr (p, "len(result)") == NULL && strstr (p, "isNaN") == NULL)
            return FALSE;
        p = bar + 2;
    }
    while (g_ascii_isspace (*p))
        p++;
    low = g_ascii_strdown (p, -1);
    for (i = 0; subjects[i] != NULL; i++)
        if (g_str_has_prefix (low, subjects[i]))
            break;
    if (subjects[i] == NULL)
        return FALSE;
    p += strlen (subjects[i]);
    while (g_ascii_isspace (*p))
        p++;
    if (p[0] != '<' && p[0] != '>')
        return FALSE;
    op[0] = p[0];
    op[1] = p[1] == '=' ? '=' : '\0';
    op[2] = '\0';
    p += p[1] == '=' ? 2 : 1;
    *num = g_ascii_strtod (p, &end);
    while (g_ascii_isspace (*end))
        end++;
    return end != p && *end == '\0';
}

static gboolean
conv_condition (SimImportCtx *c, const SimImportObject *obj,
                const SimYamlNode *node, const char *path,
                const SimImportRow *row)
{
    gint m = index_after (path, "metrics");
    const SimYamlNode *metrics = sim_yaml_path (obj->node, "spec.metrics");
    const SimYamlNode *metric = metrics != NULL && m >= 0
                                        && (guint) m < metrics->n
                                    ? metrics->items[m]
                                    : NULL;
    gboolean failure = g_str_has_suffix (path, "failureCondition");
    const char *query = find_query (sim_yaml_get (metric, "provider"), 0);
    const char *why = "no query to recognise";
    const char *what = NULL;
    char op[3];
    double num, scale;
    g_autofree char *cond = NULL;
    g_autofree char *n = NULL;

    if (sim_yaml_text (node) == NULL)
        return wrong_type (c, obj, node, path, "a condition");
    if (failure && sim_yaml_get (metric, "successCondition") != NULL) {
        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         "with both conditions Argo calls a measurement "
                         "that meets neither inconclusive; rollsim judges by "
                         "the successCondition alone");
        return TRUE;
    }
    if (query != NULL)
        what = recognise (query, &scale, &why);
    if (what != NULL && !parse_condition (sim_yaml_text (node), op, &num)) {
        what = NULL;
        why = "the condition is not RESULT OP NUMBER";
    }
    if (what == NULL) {
        g_autofree char *msg = g_strdup_printf (
            "%s: write the condition in the overlay's analysis.metrics", why);

        sim_import_line (c, obj, node, path, SIM_IMPORT_UNSUPPORTED, NULL, NULL,
                         msg);
        return TRUE;
    }
    /* A failure condition fails the measurement: rollsim's condition is
     * the one that passes it. */
    if (failure) {
        op[0] = op[0] == '<' ? '>' : '<';
        op[1] = op[1] == '=' ? '\0' : '=';
    }
    n = sim_key_number_text (num * scale);
    cond = g_strdup_printf ("%s %s %s", what, op, n);
    if (c->conditions->len > 0)
        g_string_append (c->conditions, "; ");
    g_string_append (c->conditions, cond);
    if (c->conditions_node == NULL) {
        c->conditions_node = node;
        c->conditions_obj = obj;
        c->conditions_path = g_strdup (path);
    }
    sim_import_line (c, obj, node, path, SIM_IMPORT_MAPPED, row->target, cond,
                     failure ? "the failureCondition turned round: the "
                               "condition a measurement passes"
                             : NULL);
    return TRUE;
}

/* --- Services ----------------------------------------------------------------------- */

static gboolean
conv_service_selector (SimImportCtx *c, const SimImportObject *obj,
                       const SimYamlNode *node, const char *path,
                       const SimImportRow *row)
{
    g_autofree char *why = g_strdup_printf (
        "checked: selects the pods of %s; rollsim's Services route to them",
        c->workload->label);

    sim_import_line (c, obj, node, path, SIM_IMPORT_IGNORED, NULL, NULL, why);
    return TRUE;
}

/* --- The table ---------------------------------------------------------------------- */

#define MAP(k, p, t, conv, why) \
    { \
        k, p, SIM_IMPORT_MAPPED, t, conv, why, 0 \
    }
#define MAP_IN(k, p, t, conv, why) \
    { \
        k, p, SIM_IMPORT_MAPPED, t, conv, why, SIM_IMPORT_ROW_DESCEND \
    }
#define IGNORE(k, p, why) \
    { \
        k, p, SIM_IMPORT_IGNORED, NULL, NULL, why, 0 \
    }
#define UNSUPPORTED(k, p, why) \
    { \
        k, p, SIM_IMPORT_UNSUPPORTED, NULL, NULL, why, 0 \
    }
/* Ignored after a converter's check, or unsupported when it says so. */
#define IGNORE_BY(k, p, conv, why) \
    { \
        k, p, SIM_IMPORT_IGNORED, NULL, conv, why, 0 \
    }

#define NOT_PLACED "rollsim places pods by room alone"
#define HPA "HorizontalPodAutoscaler"

/* A probe's rows: the probe (its period) and its fields, keys of the
 * version's (SIM_IMPORT_VERSION until the version is named). */
#define PROBE_ROWS(P, K) \
    MAP_IN (WORKLOADS, CTR P, SIM_IMPORT_VERSION "." K "_period", conv_probe, \
            "a " K " probe: its period, 10s when periodSeconds is not " \
            "written; the first container's with one"), \
        MAP (WORKLOADS, CTR P ".periodSeconds", \
             SIM_IMPORT_VERSION "." K "_period", conv_seconds, "seconds"), \
        MAP (WORKLOADS, CTR P ".initialDelaySeconds", \
             SIM_IMPORT_VERSION "." K "_initial_delay", conv_seconds, \
             "seconds"), \
        MAP (WORKLOADS, CTR P ".failureThreshold", \
             SIM_IMPORT_VERSION "." K "_failure_threshold", conv_int, NULL), \
        MAP (WORKLOADS, CTR P ".successThreshold", \
             SIM_IMPORT_VERSION "." K "_success_threshold", conv_int, NULL), \
        MAP (WORKLOADS, CTR P ".timeoutSeconds", \
             SIM_IMPORT_VERSION "." K "_timeout", conv_seconds, "seconds"), \
        IGNORE (WORKLOADS, CTR P ".*", \
                "the handler (httpGet, tcpSocket, exec, grpc): rollsim's " \
                "probe asks the pod (version.NAME.probe_path)")
#define ARGS \
    "arguments fill in the templates' queries; rollsim measures its own " \
    "requests"

const SimImportRow sim_import_rows[] = {
    /* The workload's object. */
    MAP (WORKLOADS, "metadata.name", "deployment.name", conv_name,
         "and scenario.name"),
    IGNORE (WORKLOADS, "metadata.namespace", "one namespace is simulated"),
    IGNORE (WORKLOADS, "metadata.labels", "labels only select"),
    IGNORE (WORKLOADS, "metadata.annotations",
            "annotations do not change a rollout"),
    IGNORE (WORKLOADS, "metadata.*", "object bookkeeping"),
    IGNORE (WORKLOADS " " AROUND, "status",
            "the state of an earlier rollout, not an input"),
    MAP (WORKLOADS, "spec.replicas", "deployment.replicas", conv_int, NULL),
    IGNORE (WORKLOADS, "spec.selector",
            "checked: it must select the pod template's labels"),
    MAP (WORKLOADS, "spec.minReadySeconds", "deployment.min_ready",
         conv_seconds, "seconds"),
    IGNORE (WORKLOADS, "spec.revisionHistoryLimit",
            "old ReplicaSets kept at 0 pods take no room"),
    MAP (WORKLOADS, "spec.paused", "deployment.paused", conv_bool,
         "true: nothing is rolled out until a resume in [timeline]"),

    /* Deployment. */
    MAP ("Deployment", "spec.progressDeadlineSeconds",
         "deployment.progress_deadline", conv_seconds, "seconds"),
    MAP ("Deployment", "spec.strategy.type", "strategy.type",
         conv_strategy_type,
         "RollingUpdate: rolling; Recreate: recreate; under a Flagger "
         "Canary, ignored (flagger)"),
    MAP ("Deployment", "spec.strategy.rollingUpdate.maxSurge",
         "strategy.rolling.max_surge", conv_surge,
         "under a Flagger Canary, strategy.flagger.primary_max_surge"),
    MAP ("Deployment", "spec.strategy.rollingUpdate.maxUnavailable",
         "strategy.rolling.max_unavailable", conv_surge,
         "under a Flagger Canary, strategy.flagger.primary_max_unavailable"),

    /* Rollout. */
    MAP ("Rollout", "spec.progressDeadlineSeconds",
         "strategy.canary.progress_deadline", conv_deadline,
         "seconds; blue-green: deployment.progress_deadline"),
    MAP ("Rollout", "spec.progressDeadlineAbort",
         "strategy.canary.progress_deadline_abort", conv_deadline_abort,
         "canary; blue-green has no key for it (unsupported when true)"),
    IGNORE ("Rollout", "spec.workloadRef",
            "the Deployment it names holds the pod template, mapped from "
            "there"),
    IGNORE ("Rollout", "spec.restartAt", "a restart asked for earlier"),
    UNSUPPORTED ("Rollout", "spec.rollbackWindow",
                 "rollsim rolls forward only: no rollback window"),
    IGNORE ("Rollout", "spec.analysis", "history limits of analysis runs"),

    MAP_IN ("Rollout", "spec.strategy.canary", "strategy.type", conv_canary,
            "canary"),
    MAP_IN ("Rollout", CANARY "steps", "strategy.canary.steps", conv_steps,
            "the steps rollsim keeps, in order"),
    MAP ("Rollout", CANARY "steps[].setWeight", "strategy.canary.steps",
         conv_step_weight, "set-weight N"),
    MAP ("Rollout", CANARY "steps[].pause", "strategy.canary.steps",
         conv_step_pause, "pause, or pause DURATION"),
    MAP ("Rollout", CANARY "steps[].setCanaryScale", "strategy.canary.steps",
         conv_step_scale,
         "set-canary-scale replicas N, weight N or "
         "match-traffic-weight"),
    MAP ("Rollout", CANARY "steps[].analysis", "strategy.canary.steps",
         conv_step_analysis, "analysis, with [analysis] from the templates"),
    UNSUPPORTED ("Rollout", CANARY "steps[].experiment",
                 "experiments (extra ReplicaSets with analyses of their "
                 "own) are not simulated; the step is left out"),
    UNSUPPORTED ("Rollout", CANARY "steps[].setHeaderRoute",
                 "a header route sends requests by content; rollsim splits "
                 "by weight only; the step is left out"),
    UNSUPPORTED ("Rollout", CANARY "steps[].setMirrorRoute",
                 "mirrored requests are not simulated; the step is left out"),
    UNSUPPORTED ("Rollout", CANARY "steps[].plugin",
                 "a step plugin runs outside the controller; the step is "
                 "left out"),
    MAP ("Rollout", CANARY "maxSurge", "strategy.canary.max_surge", conv_intstr,
         NULL),
    MAP ("Rollout", CANARY "maxUnavailable", "strategy.canary.max_unavailable",
         conv_intstr, NULL),
    MAP_IN ("Rollout", CANARY "trafficRouting",
            "strategy.canary.traffic_routing", conv_routing,
            "weighted, whichever the router"),
    IGNORE_BY ("Rollout", CANARY "trafficRouting.maxTrafficWeight",
               conv_max_weight,
               "100, the scale of rollsim's weights; any other value is "
               "unsupported"),
    IGNORE ("Rollout", CANARY "trafficRouting.*",
            "the router's own objects are not simulated, only the weights "
            "it is given"),
    MAP ("Rollout", CANARY "dynamicStableScale",
         "strategy.canary.dynamic_stable_scale", conv_bool, NULL),
    MAP ("Rollout", CANARY "scaleDownDelaySeconds",
         "strategy.canary.scale_down_delay", conv_seconds, "seconds"),
    MAP ("Rollout", CANARY "abortScaleDownDelaySeconds",
         "strategy.canary.abort_scale_down_delay", conv_seconds, "seconds"),
    IGNORE ("Rollout", CANARY "scaleDownDelayRevisionLimit",
            "one rollout leaves one old ReplicaSet"),
    MAP_IN ("Rollout", CANARY "analysis", "analysis.background", conv_true,
            "true: a background analysis"),
    MAP ("Rollout", CANARY "analysis.templates", "analysis.metrics",
         conv_templates, "the templates' conditions"),
    MAP ("Rollout", CANARY "analysis.startingStep", "analysis.start_step",
         conv_starting_step, "counted over the steps rollsim keeps"),
    IGNORE ("Rollout", CANARY "analysis.args", ARGS),
    UNSUPPORTED ("Rollout", CANARY "analysis.dryRun",
                 "a dry-run metric never fails the rollout; rollsim judges "
                 "every condition"),
    IGNORE ("Rollout", CANARY "analysis.*", "analysis run bookkeeping"),
    IGNORE ("Rollout", CANARY "stableService",
            "checked: the Service must select the workload's pods"),
    IGNORE ("Rollout", CANARY "canaryService",
            "checked: the Service must select the workload's pods"),
    IGNORE ("Rollout", CANARY "canaryMetadata", "labels of the canary pods"),
    IGNORE ("Rollout", CANARY "stableMetadata", "labels of the stable pods"),
    UNSUPPORTED ("Rollout", CANARY "antiAffinity", NOT_PLACED),
    UNSUPPORTED ("Rollout", CANARY "minPodsPerReplicaSet",
                 "no key for a minimum of pods per ReplicaSet"),
    UNSUPPORTED ("Rollout", CANARY "replicaProgressThreshold",
                 "rollsim waits for every pod of a step"),
    IGNORE ("Rollout", CANARY "pingPong",
            "ping-pong swaps Service names; the split is the same"),

    MAP_IN ("Rollout", "spec.strategy.blueGreen", "strategy.type",
            conv_bluegreen, "bluegreen"),
    IGNORE ("Rollout", BG "activeService",
            "checked: the Service must select the workload's pods"),
    IGNORE ("Rollout", BG "previewService",
            "the preview Service's requests are traffic.preview_rate, from "
            "the overlay"),
    MAP ("Rollout", BG "previewReplicaCount",
         "strategy.bluegreen.preview_replicas", conv_int, NULL),
    MAP ("Rollout", BG "autoPromotionEnabled",
         "strategy.bluegreen.auto_promotion", conv_bool, NULL),
    MAP ("Rollout", BG "autoPromotionSeconds",
         "strategy.bluegreen.auto_promotion_after", conv_seconds, "seconds"),
    MAP ("Rollout", BG "scaleDownDelaySeconds",
         "strategy.bluegreen.scale_down_delay", conv_seconds, "seconds"),
    MAP ("Rollout", BG "abortScaleDownDelaySeconds",
         "strategy.bluegreen.abort_scale_down_delay", conv_seconds, "seconds"),
    IGNORE ("Rollout", BG "scaleDownDelayRevisionLimit",
            "one rollout leaves one old ReplicaSet"),
    MAP_IN ("Rollout", BG "prePromotionAnalysis",
            "strategy.bluegreen.pre_promotion_analysis", conv_true, "true"),
    MAP ("Rollout", BG "prePromotionAnalysis.templates", "analysis.metrics",
         conv_templates, "the templates' conditions"),
    IGNORE ("Rollout", BG "prePromotionAnalysis.*", ARGS),
    MAP_IN ("Rollout", BG "postPromotionAnalysis",
            "strategy.bluegreen.post_promotion_analysis", conv_true, "true"),
    MAP ("Rollout", BG "postPromotionAnalysis.templates", "analysis.metrics",
         conv_templates, "the templates' conditions"),
    IGNORE ("Rollout", BG "postPromotionAnalysis.*", ARGS),
    IGNORE ("Rollout", BG "previewMetadata", "labels of the preview pods"),
    IGNORE ("Rollout", BG "activeMetadata", "labels of the active pods"),
    IGNORE ("Rollout", BG "maxUnavailable",
            "used only when pods restart in place"),
    UNSUPPORTED ("Rollout", BG "antiAffinity", NOT_PLACED),

    /* The pod template (a Rollout's, or its workloadRef's). */
    IGNORE (WORKLOADS, "spec.template.metadata.labels",
            "checked against the selector and the Services"),
    IGNORE (WORKLOADS, "spec.template.metadata.*",
            "annotations and names of the pods"),
    IGNORE (WORKLOADS, CTR "name", "a container's name"),
    MAP (WORKLOADS, CTR "image", "deployment.version", conv_image,
         "the first container's: its tag, a digest's first 12 hex digits, "
         "or the image's name; the rollout goes to --to"),
    IGNORE (WORKLOADS, CTR "imagePullPolicy",
            "pull times are version.NAME.pull, from the overlay"),
    MAP (WORKLOADS, CTR "resources.requests.cpu", "deployment.cpu",
         conv_request,
         "summed over the containers (and the init containers "
         "as Kubernetes counts them)"),
    MAP (WORKLOADS, CTR "resources.requests.memory", "deployment.memory",
         conv_request, "summed as the CPU"),
    IGNORE (WORKLOADS, CTR "resources.requests.*",
            "only CPU and memory take room on rollsim's nodes"),
    MAP (WORKLOADS, CTR "resources.limits.cpu", "deployment.cpu_limit",
         conv_limit,
         "summed over the containers when each has one (else unsupported); "
         "also the request when none is written"),
    MAP (WORKLOADS, CTR "resources.limits.memory", "deployment.memory",
         conv_limit,
         "the request when none is written; else ignored (rollsim kills "
         "no pod for its memory)"),
    IGNORE (WORKLOADS, CTR "resources.limits.*",
            "only CPU and memory take room on rollsim's nodes"),
    IGNORE (WORKLOADS, CTR "resources.*", "resource claims are not simulated"),
    MAP (WORKLOADS, CTR "lifecycle.preStop", "deployment.pre_stop",
         conv_prestop,
         "a sleep, or an exec of sleep N; the longest of the containers'"),
    UNSUPPORTED (WORKLOADS, CTR "lifecycle.postStart",
                 "a postStart hook delays readiness: fold it into "
                 "version.NAME.startup in the overlay"),
    PROBE_ROWS ("readinessProbe", "readiness"),
    PROBE_ROWS ("livenessProbe", "liveness"),
    PROBE_ROWS ("startupProbe", "startup"),
    UNSUPPORTED (WORKLOADS, CTR "livenessProbe.terminationGracePeriodSeconds",
                 "a probe's own grace period: rollsim's is "
                 "deployment.termination_grace"),
    UNSUPPORTED (WORKLOADS, CTR "startupProbe.terminationGracePeriodSeconds",
                 "a probe's own grace period: rollsim's is "
                 "deployment.termination_grace"),
    IGNORE (WORKLOADS, CTR "*",
            "does not change how the rollout runs (ports, environment, "
            "volumes, commands)"),
    MAP (WORKLOADS, INIT "resources.requests.cpu", "deployment.cpu",
         conv_request,
         "the pod requests the most of any init container, "
         "with the sidecars started before it"),
    MAP (WORKLOADS, INIT "resources.requests.memory", "deployment.memory",
         conv_request, "as the CPU"),
    MAP (WORKLOADS, INIT "resources.limits.cpu", "deployment.cpu", conv_limit,
         "the request when none is written; else ignored"),
    MAP (WORKLOADS, INIT "resources.limits.memory", "deployment.memory",
         conv_limit, "as a container's"),
    IGNORE (WORKLOADS, INIT "restartPolicy",
            "Always: a sidecar, whose requests add to the containers'"),
    IGNORE (WORKLOADS, INIT "*",
            "an init container's time to run belongs in "
            "version.NAME.startup; only its requests are read"),
    MAP (WORKLOADS, POD "terminationGracePeriodSeconds",
         "deployment.termination_grace", conv_seconds, "seconds"),
    MAP (WORKLOADS, POD "tolerations[]", "deployment.toleration_seconds",
         conv_toleration,
         "of the not-ready and unreachable NoExecute taints (none: "
         "tolerationSeconds not written); other taints are ignored"),
    UNSUPPORTED (WORKLOADS, POD "affinity", NOT_PLACED),
    UNSUPPORTED (WORKLOADS, POD "nodeSelector", NOT_PLACED),
    UNSUPPORTED (WORKLOADS, POD "topologySpreadConstraints", NOT_PLACED),
    UNSUPPORTED (WORKLOADS, POD "priorityClassName",
                 "rollsim has no priorities and no preemption"),
    IGNORE (WORKLOADS, POD "*",
            "does not change how the rollout runs (volumes, accounts, "
            "security, DNS)"),

    /* What goes with the workload. */
    IGNORE (AROUND, "metadata.*", "names and labels"),
    IGNORE_BY ("Service", "spec.selector", conv_service_selector,
               "checked against the pod labels (an error if a Service the "
               "Rollout names selects none)"),
    IGNORE ("Service", "spec.*",
            "ports and type: rollsim's Services route every request"),
    IGNORE (TEMPLATES, "spec.args", ARGS),
    IGNORE (TEMPLATES, "spec.metrics[].name", "a metric's name"),
    MAP (TEMPLATES, "spec.metrics[].interval", "analysis.interval",
         conv_metric_value, "the first metric's (one schedule for all)"),
    MAP (TEMPLATES, "spec.metrics[].count", "analysis.count", conv_metric_value,
         "the first metric's; neither count nor interval: 1, interval "
         "alone: 0 (until the rollout ends)"),
    MAP (TEMPLATES, "spec.metrics[].initialDelay", "analysis.initial_delay",
         conv_metric_value, "the first metric's"),
    MAP (TEMPLATES, "spec.metrics[].failureLimit", "analysis.failure_limit",
         conv_metric_value, "the first metric's"),
    MAP (TEMPLATES, "spec.metrics[].inconclusiveLimit",
         "analysis.inconclusive_limit", conv_metric_value,
         "the first metric's"),
    MAP (TEMPLATES, "spec.metrics[].consecutiveErrorLimit",
         "analysis.consecutive_error_limit", conv_metric_value,
         "the first metric's"),
    MAP (TEMPLATES, "spec.metrics[].successCondition", "analysis.metrics",
         conv_condition,
         "a condition on success_rate, error_rate or pNN_ms when the "
         "provider's query is recognisable as one; else unsupported"),
    MAP (TEMPLATES, "spec.metrics[].failureCondition", "analysis.metrics",
         conv_condition,
         "turned round (the condition that passes); unsupported beside a "
         "successCondition"),
    IGNORE (TEMPLATES, "spec.metrics[].provider",
            "read to recognise the metric; rollsim measures its own "
            "requests"),
    UNSUPPORTED (TEMPLATES, "spec.metrics[].consecutiveSuccessLimit",
                 "rollsim takes count measurements, never stops early on "
                 "success"),
    UNSUPPORTED (TEMPLATES, "spec.metrics[].*",
                 "not a field of an Argo Rollouts v1.6 metric that rollsim "
                 "knows: a misspelling, or a field of an older "
                 "or newer Argo"),
    UNSUPPORTED (TEMPLATES, "spec.dryRun",
                 "a dry-run metric never fails the rollout; rollsim judges "
                 "every condition"),
    IGNORE (TEMPLATES, "spec.*", "analysis run bookkeeping"),
    IGNORE (HPA, "spec.scaleTargetRef", "checked: it names the workload"),
    MAP (HPA, "spec.minReplicas", "autoscaling.min_replicas", conv_int, NULL),
    MAP (HPA, "spec.maxReplicas", "autoscaling.max_replicas", conv_int, NULL),
    MAP (HPA, "spec.targetCPUUtilizationPercentage", "autoscaling.target",
         conv_hpa_v1, "autoscaling/v1: N%, and autoscaling.metric = cpu"),
    MAP (HPA, "spec.metrics[]", "autoscaling.target", conv_hpa_metric,
         "the first Resource metric with a Utilization target: N%, and "
         "autoscaling.metric = cpu or memory; other metrics unsupported"),
    MAP (HPA, "spec.behavior.scaleUp.stabilizationWindowSeconds",
         "autoscaling.scale_up_window", conv_seconds, "seconds"),
    MAP (HPA, "spec.behavior.scaleDown.stabilizationWindowSeconds",
         "autoscaling.scale_down_window", conv_seconds, "seconds"),
    MAP (HPA, "spec.behavior.scaleUp.policies", "autoscaling.scale_up_policies",
         conv_hpa_policies, "pods N per DURATION, percent N per DURATION"),
    MAP (HPA, "spec.behavior.scaleDown.policies",
         "autoscaling.scale_down_policies", conv_hpa_policies,
         "pods N per DURATION, percent N per DURATION"),
    MAP (HPA, "spec.behavior.scaleUp.selectPolicy",
         "autoscaling.scale_up_select", conv_select, "max, min, disabled"),
    MAP (HPA, "spec.behavior.scaleDown.selectPolicy",
         "autoscaling.scale_down_select", conv_select, "max, min, disabled"),
    UNSUPPORTED (HPA, "spec.behavior.scaleUp.tolerance",
                 "one tolerance for both directions: autoscaling.tolerance"),
    UNSUPPORTED (HPA, "spec.behavior.scaleDown.tolerance",
                 "one tolerance for both directions: autoscaling.tolerance"),
    MAP ("PodDisruptionBudget", "spec.minAvailable", "disruption.min_available",
         conv_intstr, NULL),
    MAP ("PodDisruptionBudget", "spec.maxUnavailable",
         "disruption.max_unavailable", conv_intstr, NULL),
    IGNORE ("PodDisruptionBudget", "spec.selector",
            "checked: it selects the workload's pods"),
    IGNORE_BY ("PodDisruptionBudget", "spec.unhealthyPodEvictionPolicy",
               conv_eviction_policy,
               "IfHealthyBudget, rollsim's rule; AlwaysAllow unsupported"),
    MAP_IN ("Canary", "spec", "strategy.type", conv_flagger,
            "flagger: the Canary that targets the workload"),
    IGNORE ("Canary", "spec.targetRef", "checked: it names the workload"),
    IGNORE ("Canary", "spec.autoscalerRef",
            "the HorizontalPodAutoscaler it names is mapped to "
            "[autoscaling]"),
    IGNORE ("Canary", "spec.service",
            "the Services Flagger makes: rollsim's route every request"),
    MAP ("Canary", "spec.progressDeadlineSeconds",
         "strategy.flagger.progress_deadline", conv_seconds, "seconds"),
    MAP ("Canary", "spec.skipAnalysis", "strategy.flagger.skip_analysis",
         conv_bool, NULL),
    MAP ("Canary", "spec.provider", "strategy.flagger.provider",
         conv_flagger_provider,
         "kubernetes; any mesh or ingress router: istio (weighted)"),
    IGNORE ("Canary", "spec.revertOnDeletion",
            "what happens when the Canary is deleted"),
    IGNORE_BY ("Canary", "spec.suspend", conv_suspend,
               "false; true is unsupported (rollsim runs the analysis)"),
    MAP ("Canary", "spec.analysis.interval", "strategy.flagger.interval",
         conv_go_duration, NULL),
    MAP ("Canary", "spec.analysis.threshold", "strategy.flagger.threshold",
         conv_int, NULL),
    MAP ("Canary", "spec.analysis.maxWeight", "strategy.flagger.max_weight",
         conv_int, NULL),
    MAP ("Canary", "spec.analysis.stepWeight", "strategy.flagger.step_weight",
         conv_int, NULL),
    MAP ("Canary", "spec.analysis.stepWeights", "strategy.flagger.step_weights",
         conv_int_list, "1, 2, 10, ..."),
    MAP ("Canary", "spec.analysis.stepWeightPromotion",
         "strategy.flagger.step_weight_promotion", conv_int, NULL),
    MAP ("Canary", "spec.analysis.iterations", "strategy.flagger.iterations",
         conv_int, NULL),
    /* Unsupported unless the overlay gives the share. */
    { "Canary", "spec.analysis.match", SIM_IMPORT_UNSUPPORTED, NULL, conv_match,
      "which requests, not how many: write the share of users it matches "
      "as the overlay's strategy.flagger.match (then ignored)",
      0 },
    MAP ("Canary", "spec.analysis.mirror", "strategy.flagger.mirror", conv_bool,
         NULL),
    MAP ("Canary", "spec.analysis.mirrorWeight",
         "strategy.flagger.mirror_weight", conv_int, NULL),
    MAP ("Canary", "spec.analysis.sessionAffinity",
         "strategy.flagger.session_affinity", conv_true,
         "true (the cookie's name and age are not simulated)"),
    MAP ("Canary", "spec.analysis.primaryReadyThreshold",
         "strategy.flagger.primary_ready_threshold", conv_int, NULL),
    MAP ("Canary", "spec.analysis.canaryReadyThreshold",
         "strategy.flagger.canary_ready_threshold", conv_int, NULL),
    MAP ("Canary", "spec.analysis.metrics[]", "analysis.metrics",
         conv_flagger_metric,
         "request-success-rate min N: success_rate >= N/100; "
         "request-duration max N: p99_ms <= N; the first one's interval is "
         "strategy.flagger.metric_window; other metrics unsupported"),
    UNSUPPORTED ("Canary", "spec.analysis.webhooks[]",
                 "webhooks run outside rollsim: a load test is the "
                 "overlay's strategy.flagger.load_test_rate, a gate is not "
                 "simulated"),
    IGNORE ("Canary", "spec.analysis.alerts",
            "alerts notify; they do not steer the run"),
    { NULL },
};

/* --- After the walk ---------------------------------------------------------------- */

/* Argo's counts when a template says neither count nor interval (one
 * measurement) or an interval alone (until the rollout ends). */
void
sim_import_finish_analysis (SimImportCtx *c)
{
    const SimImportObject *t;
    const SimYamlNode *metrics;

    if (c->templates->len == 0)
        return;
    t = c->templates->pdata[0];
    metrics = sim_yaml_path (t->node, "spec.metrics");
    /* No condition rollsim could read (a Job, a web jsonPath, Kayenta):
     * what the analysis judges is the overlay's to say, not a default
     * taken without a word. */
    if (c->conditions->len == 0
        && !(c->overlay != NULL
             && g_key_file_has_key (c->overlay, "analysis", "metrics", NULL)))
        sim_import_line (c, t, metrics, "spec.metrics", SIM_IMPORT_UNSUPPORTED,
                         NULL, NULL,
                         "no successCondition or failureCondition rollsim "
                         "can read: analysis.metrics keeps its default "
                         "(error_rate < 0.01); say what to judge in the "
                         "overlay's [analysis] metrics");
    if (sim_import_assigned (c, "analysis.count"))
        return;
    if (sim_import_assigned (c, "analysis.interval"))
        sim_import_assign_as (c, t, metrics,
                              "spec.metrics: an interval and no count, so "
                              "until the rollout ends",
                              "analysis.count", "0");
    else
        sim_import_assign_as (c, t, metrics,
                              "spec.metrics: no count and no interval, so "
                              "one measurement",
                              "analysis.count", "1");
}
