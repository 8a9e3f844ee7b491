/* test-yaml.c - the YAML reader: documents and their positions, what
 * Kubernetes' reader accepts and refuses, anchors and merge keys, and
 * the limits that keep an alias bomb or a huge document out.
 *
 * Bad inputs are a table: the text, and the "LINE:COLUMN: reason" its
 * message must hold.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "yaml-reader.h"

static SimYamlStream *
read_ok (const char *text)
{
    SimYamlStream *st = sim_yaml_stream_new (NULL);
    g_autoptr (GError) error = NULL;

    if (!sim_yaml_stream_add_data (st, "t.yaml", text, strlen (text), &error))
        g_error ("unexpected: %s", error->message);
    return st;
}

static void
test_documents (void)
{
    g_autoptr (SimYamlStream) st = read_ok ("# a comment\n"
                                            "---\n"
                                            "---\n"
                                            "# only a comment: empty, dropped\n"
                                            "---\n"
                                            "kind: Deployment\n"
                                            "metadata:\n"
                                            "  name: web\n"
                                            "spec:\n"
                                            "  replicas: 3\n"
                                            "  paused: no\n"
                                            "  quoted: \"3\"\n"
                                            "  list: [a, {b: 1}]\n"
                                            "...\n"
                                            "--- ~\n"
                                            "---\n"
                                            "kind: Service\n");
    const SimYamlDoc *d;
    const SimYamlNode *n;
    gint64 v;
    gboolean b;

    g_assert_cmpuint (sim_yaml_stream_n_docs (st), ==, 2);
    d = sim_yaml_stream_doc (st, 0);
    g_assert_cmpstr (d->file, ==, "t.yaml");
    g_assert_cmpuint (d->index, ==, 3);
    g_assert_cmpuint (d->root->line, ==, 6);
    n = sim_yaml_path (d->root, "spec.replicas");
    g_assert_nonnull (n);
    g_assert_cmpuint (n->line, ==, 10);
    g_assert_cmpuint (n->column, ==, 13);
    g_assert_true (sim_yaml_int (n, &v));
    g_assert_cmpint (v, ==, 3);
    g_assert_true (sim_yaml_bool (sim_yaml_path (d->root, "spec.paused"), &b));
    g_assert_false (b);
    /* Quoted, a number is a string: Kubernetes would refuse it. */
    g_assert_false (sim_yaml_int (sim_yaml_path (d->root, "spec.quoted"), &v));
    g_assert_cmpstr (sim_yaml_describe (sim_yaml_path (d->root, "spec.quoted")),
                     ==, "a string");
    n = sim_yaml_path (d->root, "spec.list");
    g_assert_cmpint (n->kind, ==, SIM_YAML_SEQUENCE);
    g_assert_cmpuint (n->n, ==, 2);
    g_assert_cmpuint (n->items[1]->line, ==, 13);
    g_assert_null (sim_yaml_path (d->root, "spec.nothing.deeper"));
    g_assert_cmpstr (sim_yaml_text (sim_yaml_get (
                         sim_yaml_stream_doc (st, 1)->root, "kind")),
                     ==, "Service");
}

static void
test_anchors_and_merge (void)
{
    g_autoptr (SimYamlStream) st = read_ok ("base: &base\n"
                                            "  cpu: 100m\n"
                                            "  memory: 64Mi\n"
                                            "extra: &extra {gpu: 1, cpu: 1}\n"
                                            "one:\n"
                                            "  <<: *base\n"
                                            "  memory: 128Mi\n"
                                            "two:\n"
                                            "  <<: [*extra, *base]\n"
                                            "three: *base\n");
    const SimYamlNode *root = sim_yaml_stream_doc (st, 0)->root;

    /* The mapping's own key wins over the merged one. */
    g_assert_cmpstr (sim_yaml_text (sim_yaml_path (root, "one.memory")), ==,
                     "128Mi");
    g_assert_cmpstr (sim_yaml_text (sim_yaml_path (root, "one.cpu")), ==,
                     "100m");
    g_assert_cmpuint (sim_yaml_get (root, "one")->n, ==, 2);
    /* The first of a list of merged mappings wins. */
    g_assert_cmpstr (sim_yaml_text (sim_yaml_path (root, "two.cpu")), ==, "1");
    g_assert_cmpstr (sim_yaml_text (sim_yaml_path (root, "two.memory")), ==,
                     "64Mi");
    /* An alias shares the node, and its line is the anchor's. */
    g_assert_true (sim_yaml_get (root, "three") == sim_yaml_get (root, "base"));
    g_assert_cmpuint (sim_yaml_path (root, "three.cpu")->line, ==, 2);
}

typedef struct {
    const char *text;
    SimYamlError code;
    const char *message;
} BadCase;

static void
test_bad (void)
{
    static const BadCase bad[] = {
        { "a: b: c\n", SIM_YAML_ERROR_SYNTAX,
          "t.yaml:1:5: mapping values are not allowed" },
        { "a:\n  - x\n  y: 1\n", SIM_YAML_ERROR_SYNTAX, "t.yaml:3:3: " },
        { "a: [1, 2\n", SIM_YAML_ERROR_SYNTAX, "t.yaml:2:1: " },
        { "a: 1\na: 2\n", SIM_YAML_ERROR_SYNTAX,
          "t.yaml:2:1: key \"a\" is repeated (first at line 1)" },
        { "? [a]\n: 1\n", SIM_YAML_ERROR_SYNTAX,
          "t.yaml:1:3: a mapping key must be a scalar" },
        { "a: *nothing\n", SIM_YAML_ERROR_SYNTAX,
          "t.yaml:1:4: alias *nothing names no anchor" },
        { "a: &x [*x]\n", SIM_YAML_ERROR_SYNTAX, "alias *x names no anchor" },
        { "a: {<<: 3}\n", SIM_YAML_ERROR_SYNTAX, "a merge key (<<) takes" },
        { "a: \"x\\0y\"\n", SIM_YAML_ERROR_SYNTAX,
          "t.yaml:1:4: a NUL character" },
        { "a: \x01\n", SIM_YAML_ERROR_SYNTAX,
          "t.yaml:1:4: control characters" },
        { "a: \xff\n", SIM_YAML_ERROR_SYNTAX, "t.yaml:1:4: invalid" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (SimYamlStream) st = sim_yaml_stream_new (NULL);
        g_autoptr (GError) error = NULL;

        g_assert_false (sim_yaml_stream_add_data (
            st, "t.yaml", bad[i].text, strlen (bad[i].text), &error));
        g_assert_error (error, SIM_YAML_ERROR, (gint) bad[i].code);
        if (strstr (error->message, bad[i].message) == NULL)
            g_error ("%u: \"%s\" lacks \"%s\"", i, error->message,
                     bad[i].message);
        g_assert_cmpuint (sim_yaml_stream_n_docs (st), ==, 0);
    }
}

/* The billion laughs, in small: ten levels of ten aliases are 10^10
 * nodes expanded; refused, quickly, and never expanded. */
static void
test_alias_bomb (void)
{
    g_autoptr (GString) text = g_string_new ("a0: &a0 [x, x, x, x, x, x, x, x, "
                                             "x, x]\n");
    g_autoptr (SimYamlStream) st = sim_yaml_stream_new (NULL);
    g_autoptr (GError) error = NULL;
    gint64 t0 = g_get_monotonic_time ();

    for (guint i = 1; i <= 10; i++) {
        g_string_append_printf (text, "a%u: &a%u [", i, i);
        for (guint j = 0; j < 10; j++)
            g_string_append_printf (text, "%s*a%u", j > 0 ? ", " : "", i - 1);
        g_string_append (text, "]\n");
    }
    g_assert_false (sim_yaml_stream_add_data (st, "bomb.yaml", text->str,
                                              text->len, &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT);
    g_assert_nonnull (strstr (error->message, "bomb.yaml:6:5:"));
    g_assert_nonnull (strstr (error->message, "alias bomb"));
    g_assert_cmpint (g_get_monotonic_time () - t0, <, 2 * G_USEC_PER_SEC);

    /* Merge keys expand too: a mapping merged over and over. */
    g_string_assign (text, "base: &b {");
    for (guint i = 0; i < 1000; i++)
        g_string_append_printf (text, "%sk%u: %u", i > 0 ? ", " : "", i, i);
    g_string_append (text, "}\nlist:\n");
    for (guint i = 0; i < 2000; i++)
        g_string_append (text, "  - <<: *b\n");
    g_clear_error (&error);
    g_assert_false (sim_yaml_stream_add_data (st, "merge.yaml", text->str,
                                              text->len, &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT);
}

static void
test_limits (void)
{
    SimYamlLimits lim = sim_yaml_default_limits;
    g_autoptr (SimYamlStream) st = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GString) deep = g_string_new (NULL);
    const char *two = "a: 1\n---\nb: 2\n---\nc: 3\n";
    const char *three = "[1, 2, 3]\n---\n[4, 5, 6]\n---\n[7, 8, 9]\n";

    /* Nesting. */
    lim.depth = 50;
    st = sim_yaml_stream_new (&lim);
    for (guint i = 0; i < 60; i++)
        g_string_append_c (deep, '[');
    g_assert_false (sim_yaml_stream_add_data (st, "d.yaml", deep->str,
                                              deep->len, &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT);
    g_assert_nonnull (strstr (error->message, "d.yaml:1:51: nested more"));

    /* Bytes of a document, and of a file. */
    g_clear_pointer (&st, sim_yaml_stream_free);
    g_clear_error (&error);
    lim = sim_yaml_default_limits;
    lim.doc_bytes = 12;
    st = sim_yaml_stream_new (&lim);
    g_assert_true (sim_yaml_stream_add_data (st, "s.yaml", two, strlen (two),
                                             &error));
    g_assert_cmpuint (sim_yaml_stream_n_docs (st), ==, 3);
    g_assert_false (sim_yaml_stream_add_data (
        st, "l.yaml", "abc: defghijklmnop\n", 19, &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT);
    g_assert_nonnull (strstr (error->message, "larger than 12 bytes"));
    /* The documents read before stay; the refused file adds none. */
    g_assert_cmpuint (sim_yaml_stream_n_docs (st), ==, 3);

    g_clear_pointer (&st, sim_yaml_stream_free);
    g_clear_error (&error);
    lim = sim_yaml_default_limits;
    lim.file_bytes = 10;
    st = sim_yaml_stream_new (&lim);
    g_assert_false (sim_yaml_stream_add_data (st, "f.yaml", two, strlen (two),
                                              &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT);

    /* Nodes in all. */
    g_clear_pointer (&st, sim_yaml_stream_free);
    g_clear_error (&error);
    lim = sim_yaml_default_limits;
    lim.total_weight = 10;
    st = sim_yaml_stream_new (&lim);
    g_assert_false (sim_yaml_stream_add_data (st, "w.yaml", three,
                                              strlen (three), &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT);
    g_assert_nonnull (strstr (error->message, "w.yaml:5:1:"));
}

static void
test_paths (void)
{
    g_autofree char *dir = g_dir_make_tmp ("rollsim-yaml-XXXXXX", NULL);
    g_autofree char *b = g_build_filename (dir, "b.yml", NULL);
    g_autofree char *a = g_build_filename (dir, "a.yaml", NULL);
    g_autofree char *c = g_build_filename (dir, "c.txt", NULL);
    g_autofree char *missing = g_build_filename (dir, "missing.yaml", NULL);
    g_autoptr (SimYamlStream) st = sim_yaml_stream_new (NULL);
    g_autoptr (GError) error = NULL;

    g_assert_true (g_file_set_contents (b, "kind: B\n", -1, NULL));
    g_assert_true (g_file_set_contents (a, "kind: A\n---\nkind: A2\n", -1,
                                        NULL));
    g_assert_true (g_file_set_contents (c, "kind: C\n", -1, NULL));
    g_assert_true (sim_yaml_stream_add_path (st, dir, &error));
    g_assert_no_error (error);
    /* .yaml and .yml, sorted by name; other files left alone. */
    g_assert_cmpuint (sim_yaml_stream_n_docs (st), ==, 3);
    g_assert_cmpstr (sim_yaml_stream_doc (st, 0)->file, ==, a);
    g_assert_cmpuint (sim_yaml_stream_doc (st, 1)->index, ==, 2);
    g_assert_cmpstr (sim_yaml_stream_doc (st, 2)->file, ==, b);
    g_assert_false (sim_yaml_stream_add_path (st, missing, &error));
    g_assert_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, missing));
    g_unlink (a);
    g_unlink (b);
    g_unlink (c);
    g_rmdir (dir);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_summary ("The YAML reader: documents, positions, anchors and "
                    "merge keys, refusals and limits.");
    g_test_add_func ("/yaml/documents", test_documents);
    g_test_add_func ("/yaml/anchors-and-merge", test_anchors_and_merge);
    g_test_add_func ("/yaml/bad", test_bad);
    g_test_add_func ("/yaml/alias-bomb", test_alias_bomb);
    g_test_add_func ("/yaml/limits", test_limits);
    g_test_add_func ("/yaml/paths", test_paths);
    return g_test_run ();
}
