/* testutil.c - see testutil.h. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include "testutil.h"
#include "metrics.h"

SimScenario *
sim_test_scenario (const char *ini, const char *const *sets)
{
    g_autoptr (GError) error = NULL;
    SimScenario *sc = sim_scenario_load_data (sim_cli_schema (), ini,
                                              "test.ini", sets, &error);

    g_assert_no_error (error);
    g_assert_nonnull (sc);
    return sc;
}

SimWorld *
sim_test_run (const SimScenario *sc)
{
    g_autoptr (GError) error = NULL;
    SimWorld *w = sim_world_new (sc,
                                 g_getenv ("SIM_TEST_TRACE") ? stderr : NULL,
                                 &error);

    g_assert_no_error (error);
    g_assert_nonnull (w);
    sim_world_run (w);
    g_assert_null (sim_world_error (w));
    return w;
}

void
sim_test_assert_conserved (SimWorld *w, const char *label)
{
    g_autofree char *why = NULL;
    SimSummary s;

    sim_world_summary (w, &s);
    if (!sim_metrics_conserved (sim_world_metrics (w), &why))
        g_error ("%s: not conserved: %s", label, why);
}

char *
sim_test_src (const char *relative)
{
    const char *src = g_getenv ("SRCDIR");

    return g_build_filename (src != NULL ? src : ".", relative, NULL);
}

SimTestCsv *
sim_test_csv_load (const char *path)
{
    g_autoptr (GError) error = NULL;
    SimTestCsv *csv = sim_csv_table_load (path, &error);

    g_assert_no_error (error);
    return csv;
}

void
sim_test_csv_free (SimTestCsv *csv)
{
    sim_csv_table_free (csv);
}

gint
sim_test_csv_col (const SimTestCsv *csv, const char *name)
{
    return sim_csv_table_column (csv, name);
}

const char *
sim_test_csv_get (const SimTestCsv *csv, guint row, const char *name)
{
    gint col = sim_csv_table_column (csv, name);

    g_assert_cmpint (col, >=, 0);
    g_assert_cmpuint (row, <, csv->rows->len);
    g_assert_cmpuint ((guint) col, <,
                      ((GPtrArray *) g_ptr_array_index (csv->rows, row))->len);
    return sim_csv_table_cell (csv, row, col);
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

void
sim_test_pod_extremes (SimWorld *w, gint *max_active, gint *min_available)
{
    SimEventLog *log = sim_world_events (w);
    g_autoptr (GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable) avail = g_hash_table_new (g_str_hash, g_str_equal);

    *max_active = 0;
    *min_available = G_MAXINT;
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        switch (r->kind) {
        case SIM_EVENT_POD_CREATED:
            g_hash_table_add (active, r->object);
            break;
        case SIM_EVENT_POD_AVAILABLE:
            g_hash_table_add (avail, r->object);
            break;
        case SIM_EVENT_POD_TERMINATING:
            g_hash_table_remove (active, r->object);
            g_hash_table_remove (avail, r->object);
            break;
        default:
            continue;
        }
        if (r->time == 0)
            continue;
        *max_active = MAX (*max_active, (gint) g_hash_table_size (active));
        *min_available = MIN (*min_available, (gint) g_hash_table_size (avail));
    }
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
                                SIM_TIME_TO_SEC (r->time), r->object, r->value);
    }
    return g_string_free (s, FALSE);
}

void
sim_test_fenceposts (gint replicas, gboolean surge_pct, gint surge,
                     gboolean unavail_pct, gint unavail, gint *max_surge,
                     gint *max_unavailable)
{
    /* Integers only: (a * b + 99) / 100 is the ceiling of a * b / 100. */
    gint s = surge_pct ? (replicas * surge + 99) / 100 : surge;
    gint u = unavail_pct ? replicas * unavail / 100 : unavail;

    if (s == 0 && u == 0)
        u = 1;
    *max_surge = s;
    *max_unavailable = MIN (u, replicas);
}
