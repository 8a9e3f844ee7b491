/* csv-table.c - reading a whole CSV file with libcsv.  See csv-table.h. */
#include <string.h>
#include <csv.h>
#include "csv-table.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-csv-error-quark, sim_csv_error)
/* clang-format on */

typedef struct {
    SimCsvTable *t;
    GPtrArray *current;
} Reader;

static void
on_field (void *data, size_t len, void *user)
{
    Reader *r = user;

    if (r->current == NULL)
        r->current = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (r->current, g_strndup (data, len));
}

static void
on_row (int c, void *user)
{
    Reader *r = user;

    if (r->current == NULL)
        return;
    if (r->t->header == NULL)
        r->t->header = r->current;
    else
        g_ptr_array_add (r->t->rows, r->current);
    r->current = NULL;
}

SimCsvTable *
sim_csv_table_load (const char *path, GError **error)
{
    g_autoptr (SimCsvTable) t = g_new0 (SimCsvTable, 1);
    g_autoptr (GError) io = NULL;
    g_autofree char *text = NULL;
    Reader r = { t, NULL };
    struct csv_parser p;
    gboolean ok;
    gsize len;

    t->rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_ptr_array_unref);
    if (!g_file_get_contents (path, &text, &len, &io)) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO, "%s", io->message);
        return NULL;
    }
    csv_init (&p, CSV_APPEND_NULL);
    ok = csv_parse (&p, text, len, on_field, on_row, &r) == len
         && csv_fini (&p, on_field, on_row, &r) == 0;
    if (!ok)
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s: not valid CSV (%s)", path,
                     csv_strerror (csv_error (&p)));
    csv_free (&p);
    g_clear_pointer (&r.current, g_ptr_array_unref);
    if (!ok)
        return NULL;
    if (t->header == NULL) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s: empty file", path);
        return NULL;
    }
    return g_steal_pointer (&t);
}

void
sim_csv_table_free (SimCsvTable *t)
{
    if (t == NULL)
        return;
    g_clear_pointer (&t->header, g_ptr_array_unref);
    g_clear_pointer (&t->rows, g_ptr_array_unref);
    g_free (t);
}

gint
sim_csv_table_column (const SimCsvTable *t, const char *name)
{
    for (guint i = 0; i < t->header->len; i++)
        if (strcmp (g_ptr_array_index (t->header, i), name) == 0)
            return (gint) i;
    return -1;
}

const char *
sim_csv_table_cell (const SimCsvTable *t, guint row, gint col)
{
    GPtrArray *r;

    g_return_val_if_fail (row < t->rows->len, "");
    r = g_ptr_array_index (t->rows, row);
    if (col < 0 || (guint) col >= r->len)
        return "";
    return g_ptr_array_index (r, col);
}
