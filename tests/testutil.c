/* testutil.c - see testutil.h. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <csv.h>
#include "testutil.h"

SimScenario *
sim_test_scenario (const char *ini, const char *const *sets)
{
    g_autoptr (GError) error = NULL;
    SimScenario *sc = sim_scenario_load_data (ini, "test.ini", sets, &error);

    g_assert_no_error (error);
    g_assert_nonnull (sc);
    return sc;
}

SimWorld *
sim_test_run (const SimScenario *sc)
{
    g_autoptr (GError) error = NULL;
    SimWorld *w = sim_world_new (sc, g_getenv ("SIM_TEST_TRACE") ? stderr
                                                                 : NULL,
                                 &error);

    g_assert_no_error (error);
    g_assert_nonnull (w);
    sim_world_run (w);
    return w;
}

char *
sim_test_src (const char *relative)
{
    const char *src = g_getenv ("SRCDIR");

    return g_build_filename (src != NULL ? src : ".", relative, NULL);
}

typedef struct {
    SimTestCsv *csv;
    GPtrArray  *current;
} Reader;

static void
csv_field (void *data, size_t len, void *user)
{
    Reader *r = user;

    if (r->current == NULL)
        r->current = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (r->current, g_strndup (data, len));
}

static void
csv_row (int c, void *user)
{
    Reader *r = user;

    if (r->current == NULL)
        return;
    if (r->csv->header == NULL)
        r->csv->header = r->current;
    else
        g_ptr_array_add (r->csv->rows, r->current);
    r->current = NULL;
}

SimTestCsv *
sim_test_csv_load (const char *path)
{
    g_autofree char *text = NULL;
    gsize len;
    SimTestCsv *csv = g_new0 (SimTestCsv, 1);
    Reader r = { csv, NULL };
    struct csv_parser p;

    g_assert_true (g_file_get_contents (path, &text, &len, NULL));
    csv->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                g_ptr_array_unref);
    csv_init (&p, 0);
    csv_parse (&p, text, len, csv_field, csv_row, &r);
    csv_fini (&p, csv_field, csv_row, &r);
    csv_free (&p);
    g_assert_nonnull (csv->header);
    return csv;
}

void
sim_test_csv_free (SimTestCsv *csv)
{
    if (csv == NULL)
        return;
    g_clear_pointer (&csv->header, g_ptr_array_unref);
    g_ptr_array_unref (csv->rows);
    g_free (csv);
}

gint
sim_test_csv_col (const SimTestCsv *csv, const char *name)
{
    for (guint i = 0; i < csv->header->len; i++)
        if (strcmp (g_ptr_array_index (csv->header, i), name) == 0)
            return (gint) i;
    return -1;
}

const char *
sim_test_csv_get (const SimTestCsv *csv, guint row, const char *name)
{
    gint col = sim_test_csv_col (csv, name);
    GPtrArray *r;

    g_assert_cmpint (col, >=, 0);
    g_assert_cmpuint (row, <, csv->rows->len);
    r = g_ptr_array_index (csv->rows, row);
    g_assert_cmpuint ((guint) col, <, r->len);
    return g_ptr_array_index (r, col);
}

gint
sim_test_rollsim (const char *const *argv, char **out, char **err)
{
    const char *bin = g_getenv ("ROLLSIM");
    g_autoptr (GPtrArray) args = g_ptr_array_new ();
    g_autoptr (GError) error = NULL;
    gint status = 0;

    g_ptr_array_add (args, (gpointer) (bin != NULL ? bin : "build/rollsim"));
    for (const char *const *a = argv; *a != NULL; a++)
        g_ptr_array_add (args, (gpointer) *a);
    g_ptr_array_add (args, NULL);
    g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                  NULL, out, err, &status, &error);
    g_assert_no_error (error);
    if (WIFEXITED (status))
        return WEXITSTATUS (status);
    return -1;
}

char *
sim_test_scalings (SimWorld *w)
{
    SimEventLog *log = sim_world_events (w);
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind != SIM_EVENT_REPLICASET_SCALED
            && r->kind != SIM_EVENT_REPLICASET_CREATED)
            continue;
        g_string_append_printf (s, "t=%g %s=%" G_GINT64_FORMAT "\n",
                                SIM_TIME_TO_SEC (r->time), r->object,
                                r->value);
    }
    return g_string_free (s, FALSE);
}
