/* csv-table.h - a small CSV file read whole with libcsv: a header row and
 * rows of strings.  For the outputs rollsim reads back (plots, merge) and
 * for tests; never on the simulation path.
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
} SimCsvTable;

/* Read @path.  NULL with @error (SIM_CSV_ERROR, the path in the message)
 * when it cannot be read, is not CSV or has no header row. */
SimCsvTable *sim_csv_table_load (const char *path, GError **error);
void sim_csv_table_free (SimCsvTable *t); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimCsvTable, sim_csv_table_free)

/* The index of column @name, or -1. */
gint sim_csv_table_column (const SimCsvTable *t, const char *name);
/* Row @row's field @col; "" when the row is shorter or @col is -1. */
const char *sim_csv_table_cell (const SimCsvTable *t, guint row, gint col);

#endif /* SIM_CSV_TABLE_H */
