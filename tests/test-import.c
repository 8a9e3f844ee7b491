/* test-import.c - manifests mapped onto scenario keys: version names from
 * images, a pod's effective requests, analysis conditions recognised
 * from provider queries, the overlay winning, --strict, and the
 * annotated scenario loading back.
 *
 * Each case imports a small manifest given inline and looks at the
 * assignments the loader would get (group, key, value, origin).  The
 * fixtures of tests/data/import/ are checked field by field by
 * tests/cli-import.sh.
 */
#include <glib.h>
#include <string.h>

#include "import-private.h"
#include "cli.h"

static SimImport *
import_text (const char *yaml, const SimImportOptions *opt, GError **error)
{
    SimYamlStream *st = sim_yaml_stream_new (NULL);
    SimImportOptions none = { 0 };

    if (!sim_yaml_stream_add_data (st, "m.yaml", yaml, strlen (yaml), error)) {
        sim_yaml_stream_free (st);
        return NULL;
    }
    return sim_import_new (st, opt != NULL ? opt : &none, error);
}

static SimImport *
import_ok (const char *yaml, const SimImportOptions *opt)
{
    g_autoptr (GError) error = NULL;
    SimImport *imp = import_text (yaml, opt, &error);

    g_assert_no_error (error);
    return imp;
}

/* The value assigned to GROUP.KEY (the last), and its origin. */
static const SimAssignment *
assigned (const SimImport *imp, const char *group, const char *key)
{
    gsize n;
    const SimAssignment *a = sim_import_assignments (imp, &n);

    for (gsize i = n; i-- > 0;)
        if (strcmp (a[i].group, group) == 0 && g_strcmp0 (a[i].key, key) == 0)
            return &a[i];
    return NULL;
}

static void
assert_value (const SimImport *imp, const char *group, const char *key,
              const char *value, const char *origin)
{
    const SimAssignment *a = assigned (imp, group, key);
    g_autofree char *o = NULL;

    if (a == NULL)
        g_error ("%s.%s: not assigned", group, key);
    g_assert_cmpstr (a->value, ==, value);
    o = sim_origin_format (a->origin);
    if (origin != NULL && strcmp (o, origin) != 0)
        g_error ("%s.%s: origin \"%s\", expected \"%s\"", group, key, o,
                 origin);
}

static void
test_version_names (void)
{
    static const struct {
        const char *image, *name;
    } cases[] = {
        { "nginx:1.25.3", "1.25.3" },
        { "registry.example.com:5000/team/web:v2.0.1", "v2.0.1" },
        { "registry.example.com:5000/team/web", "web" },
        { "web:latest", "web" },
        { "ghcr.io/org/api@sha256:ABCDEF0123456789abcdef", "abcdef012345" },
        { "api:1.0@sha256:0123456789abcdef0123", "0123456789ab" },
        { "web:"
          "a123456789b123456789c123456789d123456789e12345",
          "a123456789b123456789c123456789d123456789" },
        { "web:1.0+build.7", "1.0-build.7" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *n = sim_import_version_name (cases[i].image);

        g_assert_cmpstr (n, ==, cases[i].name);
    }
}

#define POD_HEAD \
    "apiVersion: apps/v1\n" \
    "kind: Deployment\n" \
    "metadata: {name: w}\n" \
    "spec:\n" \
    "  selector: {matchLabels: {app: w}}\n" \
    "  template:\n" \
    "    metadata: {labels: {app: w}}\n" \
    "    spec:\n"

/* Kubernetes' effective request: max(sum of containers + sidecars,
 * each init container + the sidecars before it); a limit stands in for
 * a request not written. */
static void
test_requests (void)
{
    g_autoptr (SimImport) a = import_ok (
        POD_HEAD "      initContainers:\n"
                 "      - {name: i1, image: x, resources: {requests: {cpu: "
                 "900m}}}\n"
                 "      - {name: side, image: x, restartPolicy: Always,\n"
                 "         resources: {requests: {cpu: 200m, memory: 1Gi}}}\n"
                 "      - {name: i2, image: x, resources: {requests: {cpu: "
                 "700m}}}\n"
                 "      containers:\n"
                 "      - {name: c1, image: 'w:1', resources: {requests: "
                 "{cpu: 300m}, limits: {memory: 512Mi}}}\n"
                 "      - {name: c2, image: x, resources: {limits: {cpu: "
                 "100m}}}\n",
        NULL);
    g_autoptr (SimImport) none = import_ok (
        POD_HEAD "      containers: [{name: c, image: 'w:1'}]\n", NULL);

    /* Init: 900; 200 (sidecar); 700 + 200 = 900.  Containers: 300 + 100
     * + 200 = 600.  The pod: 900m.  Memory: 512Mi + 1Gi. */
    assert_value (a, "deployment", "cpu", "900m", NULL);
    assert_value (a, "deployment", "memory", "1536Mi", NULL);
    assert_value (none, "deployment", "cpu", "0",
                  "m.yaml:9 (spec.template.spec.containers: no cpu request, "
                  "so 0 as Kubernetes counts it)");
}

#define ROLLOUT_HEAD \
    "apiVersion: argoproj.io/v1alpha1\n" \
    "kind: Rollout\n" \
    "metadata: {name: r}\n" \
    "spec:\n" \
    "  selector: {matchLabels: {app: r}}\n" \
    "  template:\n" \
    "    metadata: {labels: {app: r}}\n" \
    "    spec: {containers: [{name: r, image: 'r:3'}]}\n" \
    "  strategy:\n" \
    "    canary:\n" \
    "      steps: [{setWeight: 10}, {experiment: {}}, {analysis: " \
    "{templates: [{templateName: t}]}}]\n" \
    "      analysis: {templates: [{templateName: t}], startingStep: 2}\n" \
    "---\n" \
    "apiVersion: argoproj.io/v1alpha1\n" \
    "kind: AnalysisTemplate\n" \
    "metadata: {name: t}\n" \
    "spec:\n" \
    "  metrics:\n"

/* Conditions recognised from the provider's query, in rollsim's units;
 * the step index counted over the steps kept. */
static void
test_conditions (void)
{
    static const struct {
        const char *metric; /* the rest of a metrics[] item */
        const char *metrics;
    } cases[] = {
        { "successCondition: result[0] >= 0.95\n"
          "    provider: {prometheus: {query: 'sum(rate(x{code!~\"5..\"}[1m])) "
          "/ sum(rate(x[1m]))'}}\n",
          "success_rate >= 0.95" },
        { "failureCondition: result[0] > 1\n"
          "    provider: {prometheus: {query: 'sum(rate(x{code=~\"5..\"}[1m])) "
          "/ sum(rate(x[1m])) * 100'}}\n",
          "error_rate <= 0.01" },
        { "successCondition: 'isNaN(result[0]) || result[0] <= 0.3'\n"
          "    provider: {prometheus: {query: 'histogram_quantile(0.99, "
          "sum(rate(h_seconds_bucket[1m])) by (le))'}}\n",
          "p99_ms <= 300" },
        { "successCondition: result < 450\n"
          "    provider: {datadog: {query: "
          "'p95:trace.http.request_ms{s:r}'}}\n",
          "p95_ms < 450" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *yaml = g_strconcat (ROLLOUT_HEAD "  - name: m\n    ",
                                             cases[i].metric, NULL);
        g_autoptr (SimImport) imp = import_ok (yaml, NULL);

        assert_value (imp, "analysis", "metrics", cases[i].metrics, NULL);
        assert_value (imp, "analysis", "start_step", "1", NULL);
        assert_value (imp, "strategy.canary", "steps",
                      "set-weight 10; analysis", NULL);
        /* Neither count nor interval: one measurement, as Argo. */
        assert_value (imp, "analysis", "count", "1", NULL);
    }
}

static void
test_overlay_and_strict (void)
{
    const char *yaml = POD_HEAD "      containers:\n"
                                "      - name: c\n"
                                "        image: w:1\n"
                                "        lifecycle: {postStart: {exec: "
                                "{command: [x]}}}\n"
                                "  replicas: 4\n";
    SimImportOptions opt = {
        .overlay = "[deployment]\nreplicas = 9\n[version.1]\nerror_rate = "
                   "0.1 # bad\n",
        .overlay_path = "o.ini",
    };
    g_autoptr (SimImport) imp = import_ok (yaml, &opt);
    g_autoptr (SimImport) no = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *report = sim_import_report (imp);

    /* The overlay's replicas win: not applied, and said. */
    g_assert_null (assigned (imp, "deployment", "replicas"));
    g_assert_nonnull (strstr (report, "m.yaml:13: Deployment/w: spec.replicas: "
                                      "mapped -> deployment.replicas = 4 (the "
                                      "overlay's value wins)\n"));
    /* The next version runs what the running one does. */
    assert_value (imp, "version.1-next", "error_rate", "0.1",
                  "o.ini:4 (version.1.error_rate, the running version's, for "
                  "1-next)");
    g_assert_cmpuint (sim_import_count (imp, SIM_IMPORT_UNSUPPORTED), ==, 1);

    opt.strict = TRUE;
    no = import_text (yaml, &opt, &error);
    g_assert_null (no);
    g_assert_error (error, SIM_IMPORT_ERROR, SIM_IMPORT_ERROR_UNSUPPORTED);
    g_assert_true (g_str_has_prefix (
        error->message, "m.yaml:12: Deployment/w: "
                        "spec.template.spec.containers[0].lifecycle.postStart: "
                        "unsupported"));
}

/* What import writes loads back into the scenario it came from. */
static void
test_annotate (void)
{
    g_autoptr (SimImport) imp = import_ok (
        ROLLOUT_HEAD "  - {name: m, interval: 1m, count: 2, successCondition: "
                     "'result[0] < 0.5',\n"
                     "     provider: {prometheus: {query: 'p50 latency in "
                     "milliseconds'}}}\n",
        NULL);
    /* An interval and no count: until the rollout ends (which the loader
     * refuses beside an analysis step, as Argo would never end it). */
    g_autoptr (SimImport) endless = import_ok (
        ROLLOUT_HEAD "  - {name: m, interval: 1m, successCondition: "
                     "'result[0] < 0.5',\n"
                     "     provider: {prometheus: {query: 'p50_ms'}}}\n",
        NULL);
    gsize n;
    const SimAssignment *a = sim_import_assignments (imp, &n);
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario)
        sc = sim_scenario_load_assignments (sim_cli_schema (), "", "m.yaml", a,
                                            n, NULL, &error);
    g_autofree char *ini = NULL;
    g_autofree char *text = NULL;
    g_autofree char *again = NULL;
    g_autoptr (SimScenario) back = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (sc->strategy, ==, "canary");
    assert_value (endless, "analysis", "count", "0",
                  "m.yaml:19 (spec.metrics: an interval and no count, so "
                  "until the rollout ends)");
    ini = sim_scenario_to_ini (sc);
    text = sim_import_annotate (imp, ini);
    g_assert_nonnull (strstr (text,
                              "\nsteps = set-weight 10; analysis # "
                              "m.yaml:11 (spec.strategy.canary.steps)\n"));
    g_assert_nonnull (strstr (text, "\ncount = 2               # m.yaml:19 "
                                    "(spec.metrics[0].count)\n"));
    g_assert_nonnull (strstr (text, "\nmetrics = p50_ms < 0.5  # m.yaml:19"));
    back = sim_scenario_load_data (sim_cli_schema (), text, "back.ini", NULL,
                                   &error);
    g_assert_no_error (error);
    again = sim_scenario_to_ini (back);
    g_assert_cmpstr (again, ==, ini);
}

/* A quoted YAML string may hold a newline: the report and the
 * scenario's comments stay one line each (found by fuzz-yaml: an image
 * with a newline broke the scenario's heading). */
static void
test_one_line (void)
{
    g_autoptr (SimImport)
        imp = import_ok (POD_HEAD
                         "      containers: [{name: c, image: \"w:1\\nx\"}]\n"
                         "      \"odd\\nkey\": 1\n",
                         NULL);
    gsize n;
    const SimAssignment *a = sim_import_assignments (imp, &n);
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario)
        sc = sim_scenario_load_assignments (sim_cli_schema (), "", "m.yaml", a,
                                            n, NULL, &error);
    g_autofree char *ini = NULL;
    g_autofree char *text = NULL;
    g_autofree char *report = sim_import_report (imp);
    g_autoptr (SimScenario) back = NULL;

    g_assert_no_error (error);
    ini = sim_scenario_to_ini (sc);
    text = sim_import_annotate (imp, ini);
    g_assert_nonnull (strstr (text, "from image w:1?x.\n"));
    g_assert_nonnull (strstr (report, "spec.template.spec.odd?key: ignored"));
    back = sim_scenario_load_data (sim_cli_schema (), text, "back.ini", NULL,
                                   &error);
    g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_summary ("Manifests mapped onto scenario keys: versions, "
                    "requests, conditions, the overlay, --strict, the "
                    "scenario written.");
    g_test_add_func ("/import/version-names", test_version_names);
    g_test_add_func ("/import/requests", test_requests);
    g_test_add_func ("/import/conditions", test_conditions);
    g_test_add_func ("/import/overlay-and-strict", test_overlay_and_strict);
    g_test_add_func ("/import/annotate", test_annotate);
    g_test_add_func ("/import/one-line", test_one_line);
    return g_test_run ();
}
