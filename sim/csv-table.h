/* csv-table.h - a small CSV file read whole with libcsv: a header row and
 * rows of strings.  For the outputs rollsim reads back (plots, merge) and
 * for tests; never on the simulation path.
 *
 * What it checks is the syntax only (libcsv's strict mode: a quote
 * inside an unquoted field, or a quoted field never closed, is an
 * error).  Whether the rows make sense is the reader's business; the
 * table keeps what a reader needs to say where a row came from (its
 * line) and whether the file was cut short (no newline at its end).
 */
#ifndef SIM_CSV_TABLE_H
#define SIM_CSV_TABLE_H

#include <glib.h>

#define SIM_CSV_ERROR (sim_csv_error_quark ())
GQuark sim_csv_error_quark (void);
typedef enum {
    SIM_CSV_ERROR_IO,     /* the file cannot be read */
    SIM_CSV_ERROR_SYNTAX, /* not CSV, or empty */
} SimCsvError;

typedef struct SimCsvTable {
    GPtrArray *header; /* char* */
    GPtrArray *rows;   /* GPtrArray* of char*, one per row */
    GArray *lines;     /* guint per row: the line that ends it (from 1) */
    gboolean complete; /* the text ends with a newline */
    guint64 n_rows;    /* sim_csv_table_stream: the rows it read */
} SimCsvTable;

/* Read @path.  NULL with @error (SIM_CSV_ERROR, the path in the message)
 * when it cannot be read (or is not a regular file), is not CSV or has
 * no header row. */
SimCsvTable *sim_csv_table_load (const char *path, GError **error);
/* The same from @len bytes of @text (NUL bytes included); @name is what
 * messages call it. */
SimCsvTable *sim_csv_table_parse (const char *name, const char *text, gsize len,
                                  GError **error);
void sim_csv_table_free (SimCsvTable *t); /* NULL ok */

/* Read @path row by row, in memory that does not grow with its length
 * (the longest line, not the file): @fn is called on each row after the
 * header, with @t holding the header and that row alone (row 0, its
 * line sim_csv_table_line (t, 0)).  Lines without a quote are split
 * without libcsv, with the same result, for speed.  Returns the table
 * with its header, no rows, complete and n_rows set; NULL with @error
 * as sim_csv_table_load, or when @fn fails (its error).
 *
 * In @fn, SIM_CSV_SLACK bytes may be read from any byte of a field up
 * to its NUL, past the NUL (what they hold is unspecified): room for
 * reading a number a word at a time. */
#define SIM_CSV_SLACK 8
typedef gboolean (*SimCsvRowFunc) (const SimCsvTable *t, gpointer user,
                                   GError **error);
SimCsvTable *sim_csv_table_stream (const char *path, SimCsvRowFunc fn,
                                   gpointer user, GError **error);
/* In @fn: the row's fields, without a call (as many as its length,
 * ((GPtrArray *) t->rows->pdata[0])->len). */
static inline char *const *
sim_csv_table_fields (const SimCsvTable *t)
{
    return (char *const *) ((GPtrArray *) t->rows->pdata[0])->pdata;
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimCsvTable, sim_csv_table_free)

/* The index of column @name, or -1. */
gint sim_csv_table_column (const SimCsvTable *t, const char *name);
/* Row @row's field @col; "" when the row is shorter or @col is -1. */
const char *sim_csv_table_cell (const SimCsvTable *t, guint row, gint col);
/* The line of the file that row @row ends on (the header is line 1). */
guint sim_csv_table_line (const SimCsvTable *t, guint row);

#endif /* SIM_CSV_TABLE_H */
