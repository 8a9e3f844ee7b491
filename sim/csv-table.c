/* csv-table.c - reading a whole CSV file with libcsv.  See csv-table.h.
 *
 * The text is fed to libcsv one line at a time, so that each row knows
 * the line it ends on: messages about a row can name FILE:LINE.
 */
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
    guint line; /* the line being fed, from 1 */
} Reader;

static void
on_field (void *data, size_t len, void *user)
{
    Reader *r = user;

    if (r->current == NULL)
        r->current = g_ptr_array_new_with_free_func (g_free);
    /* A NUL inside a field would cut it short as a C string: the field
     * keeps its bytes up to it, and the row is not what it seems, which
     * the readers' own checks then refuse. */
    g_ptr_array_add (r->current, g_strndup (data != NULL ? data : "", len));
}

static void
on_row (int c, void *user)
{
    Reader *r = user;

    if (r->current == NULL)
        return;
    if (r->t->header == NULL)
        r->t->header = r->current;
    else {
        g_ptr_array_add (r->t->rows, r->current);
        g_array_append_val (r->t->lines, r->line);
    }
    r->current = NULL;
}

SimCsvTable *
sim_csv_table_parse (const char *name, const char *text, gsize len,
                     GError **error)
{
    g_autoptr (SimCsvTable) t = g_new0 (SimCsvTable, 1);
    Reader r = { t, NULL, 0 };
    struct csv_parser p;
    gboolean ok = TRUE;
    gsize at = 0;

    t->rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_ptr_array_unref);
    t->lines = g_array_new (FALSE, FALSE, sizeof (guint));
    t->complete = len > 0 && text[len - 1] == '\n';
    csv_init (&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
    while (ok && at < len) {
        const char *nl = memchr (text + at, '\n', len - at);
        gsize n = nl != NULL ? (gsize) (nl - (text + at)) + 1 : len - at;

        r.line++;
        ok = csv_parse (&p, text + at, n, on_field, on_row, &r) == n;
        at += n;
    }
    ok = ok && csv_fini (&p, on_field, on_row, &r) == 0;
    if (!ok)
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s:%u: not valid CSV (%s)", name, r.line,
                     csv_strerror (csv_error (&p)));
    csv_free (&p);
    g_clear_pointer (&r.current, g_ptr_array_unref);
    if (!ok)
        return NULL;
    if (t->header == NULL) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s: empty file", name);
        return NULL;
    }
    return g_steal_pointer (&t);
}

SimCsvTable *
sim_csv_table_load (const char *path, GError **error)
{
    g_autoptr (GError) io = NULL;
    g_autofree char *text = NULL;
    gsize len;

    /* A FIFO or a device would be read for ever (or block). */
    if (g_file_test (path, G_FILE_TEST_EXISTS)
        && !g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO,
                     "%s: not a regular file", path);
        return NULL;
    }
    if (!g_file_get_contents (path, &text, &len, &io)) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO, "%s", io->message);
        return NULL;
    }
    return sim_csv_table_parse (path, text, len, error);
}

void
sim_csv_table_free (SimCsvTable *t)
{
    if (t == NULL)
        return;
    g_clear_pointer (&t->header, g_ptr_array_unref);
    g_clear_pointer (&t->rows, g_ptr_array_unref);
    g_clear_pointer (&t->lines, g_array_unref);
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

guint
sim_csv_table_line (const SimCsvTable *t, guint row)
{
    g_return_val_if_fail (row < t->lines->len, 0);
    return g_array_index (t->lines, guint, row);
}
