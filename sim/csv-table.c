/* csv-table.c - reading a whole CSV file with libcsv.  See csv-table.h.
 *
 * The text is fed to libcsv one line at a time, so that each row knows
 * the line it ends on: messages about a row can name FILE:LINE.
 */
#include <errno.h>
#include <stdio.h>
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

/* --- Streaming ---------------------------------------------------------------- */

typedef struct {
    SimCsvTable *t;
    GString *buf;    /* the current row's fields, each NUL-ended */
    GArray *offsets; /* gsize: where each field starts in buf */
    GPtrArray *row;  /* pointers into buf, no free function */
    char **fields;   /* split_plain's, fields_cap of them */
    guint fields_cap;
    guint line; /* the line being read, from 1 */
    SimCsvRowFunc fn;
    gpointer user;
    GError *error; /* fn's */
} Stream;

static void
stream_field (Stream *s, const char *data, gsize len)
{
    gsize at = s->buf->len;

    g_array_append_val (s->offsets, at);
    g_string_append_len (s->buf, data != NULL ? data : "", (gssize) len);
    g_string_append_c (s->buf, '\0');
}

/* s->row holds a row's fields: the header, or one for fn (t->rows holds
 * it alone meanwhile, and t->lines its line). */
static void
deliver_row (Stream *s)
{
    if (G_UNLIKELY (s->t->header == NULL)) {
        s->t->header = g_ptr_array_new_with_free_func (g_free);
        for (guint i = 0; i < s->row->len; i++)
            g_ptr_array_add (s->t->header,
                             g_strdup (g_ptr_array_index (s->row, i)));
    } else if (G_LIKELY (s->error == NULL)) {
        if (s->t->rows->len == 0) {
            g_ptr_array_add (s->t->rows, s->row);
            g_array_set_size (s->t->lines, 1);
        }
        g_array_index (s->t->lines, guint, 0) = s->line;
        s->t->n_rows++;
        if (!s->fn (s->t, s->user, &s->error) && s->error == NULL)
            g_set_error (&s->error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                         "line %u refused", s->line);
    }
}

/* The fields libcsv gathered make a row. */
static void
stream_row (Stream *s)
{
    if (s->offsets->len == 0)
        return;
    g_ptr_array_set_size (s->row, s->offsets->len);
    for (guint i = 0; i < s->offsets->len; i++)
        s->row->pdata[i] = s->buf->str + g_array_index (s->offsets, gsize, i);
    deliver_row (s);
    g_string_truncate (s->buf, 0);
    g_array_set_size (s->offsets, 0);
}

static void
stream_on_field (void *data, size_t len, void *user)
{
    stream_field (user, data, len);
}

static void
stream_on_row (int c, void *user)
{
    stream_row (user);
}

/* The top bit of each byte of @v below @c (at most 0x80), exactly: no
 * borrow crosses bytes. */
static inline guint64
bytes_below (guint64 v, guint8 c)
{
    guint64 t = (v & 0x7f7f7f7f7f7f7f7fULL)
                + 0x0101010101010101ULL * (0x80 - c);

    return ~(t | v) & 0x8080808080808080ULL;
}

/* The top bit of each byte of @v equal to @c, exactly. */
static inline guint64
bytes_equal (guint64 v, guint8 c)
{
    guint64 x = v ^ (0x0101010101010101ULL * c);

    return ~(((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | x)
           & 0x8080808080808080ULL;
}

/* Line @p (@n bytes, its newline excluded, which may be overwritten)
 * split on commas in place, when that is what libcsv would make of it:
 * no quote, no carriage return, no field with a space or tab at either
 * end (libcsv trims those).  FALSE: let libcsv read it (the line is
 * then as it was). */
static gboolean
split_plain (Stream *s, char *p, gsize n)
{
    char *end = p + n, *f = p;
    char **fields = s->fields;
    guint nf = 0;
    gboolean blank = FALSE;

    /* One pass, eight bytes at a time: the commas of a word as a mask
     * of its bytes, and the other bytes below '-' (a quote, a carriage
     * return, a space ...) looked at one by one, which plain numbers
     * never need.  The last word is padded with '-', which is nothing
     * here. */
    for (char *q = p; q < end; q += 8) {
        guint64 v = 0x2d2d2d2d2d2d2d2dULL, comma, other;

        if (G_LIKELY (end - q >= 8))
            memcpy (&v, q, 8);
        else
            memcpy (&v, q, (gsize) (end - q));
        /* The first byte in memory as the lowest of the word. */
        v = GUINT64_FROM_LE (v);
        comma = bytes_equal (v, ',');
        other = bytes_below (v, '-') & ~comma;
        while (G_UNLIKELY (other != 0)) {
            char c = q[__builtin_ctzll (other) >> 3];

            if (c == '"' || c == '\r')
                goto refuse;
            blank |= c == ' ' || c == '\t';
            other &= other - 1;
        }
        if (G_UNLIKELY (nf + 8 >= s->fields_cap)) {
            s->fields_cap *= 2;
            s->fields = g_renew (char *, s->fields, s->fields_cap);
            fields = s->fields;
        }
        /* Each comma ends a field (and becomes its NUL). */
        for (; comma != 0; comma &= comma - 1) {
            char *c = q + (__builtin_ctzll (comma) >> 3);

            fields[nf++] = f;
            *c = '\0';
            f = c + 1;
        }
    }
    fields[nf++] = f;
    for (guint i = 0; blank && i < nf; i++) {
        char *fs = fields[i];
        char *fe = i + 1 < nf ? fields[i + 1] - 1 : end;

        if (fe > fs
            && (*fs == ' ' || *fs == '\t' || fe[-1] == ' ' || fe[-1] == '\t'))
            goto refuse;
    }
    *end = '\0';
    /* The same length row after row: no call then. */
    if (s->row->len != nf)
        g_ptr_array_set_size (s->row, nf);
    memcpy (s->row->pdata, fields, nf * sizeof (char *));
    deliver_row (s);
    return TRUE;
refuse:
    /* The line as it was, for libcsv: each comma cut so far began a
     * field, the last of them @f. */
    for (guint i = 1; i < nf; i++)
        fields[i][-1] = ',';
    if (f != p)
        f[-1] = ',';
    return FALSE;
}

SimCsvTable *
sim_csv_table_stream (const char *path, SimCsvRowFunc fn, gpointer user,
                      GError **error)
{
    g_autoptr (SimCsvTable) t = g_new0 (SimCsvTable, 1);
    Stream s = { .t = t,
                 .buf = g_string_new (NULL),
                 .offsets = g_array_new (FALSE, FALSE, sizeof (gsize)),
                 .row = g_ptr_array_new (),
                 .fields = g_new (char *, 64),
                 .fields_cap = 64,
                 .fn = fn,
                 .user = user };
    g_autoptr (GString) carry = g_string_new (NULL);
    struct csv_parser p;
    gboolean ok = TRUE, last_nl = FALSE;
    g_autofree char *chunk = g_malloc (1 << 20);
    FILE *fp;
    gsize got;

    if (g_file_test (path, G_FILE_TEST_EXISTS)
        && !g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO,
                     "%s: not a regular file", path);
        return NULL;
    }
    fp = fopen (path, "rb");
    if (fp == NULL) {
        int e = errno;

        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO,
                     "Failed to open file \u201c%s\u201d: %s", path,
                     g_strerror (e));
        return NULL;
    }
    t->rows = g_ptr_array_new ();
    t->lines = g_array_new (FALSE, FALSE, sizeof (guint));
    csv_init (&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
    while (ok && s.error == NULL && (got = fread (chunk, 1, 1 << 20, fp)) > 0) {
        gsize at = 0;

        last_nl = chunk[got - 1] == '\n';
        while (ok && s.error == NULL && at < got) {
            const char *nl = memchr (chunk + at, '\n', got - at);
            gsize n = nl != NULL ? (gsize) (nl - (chunk + at)) + 1 : got - at;
            char *line = chunk + at;

            at += n;
            if (nl == NULL) {
                /* The rest of this line comes with the next chunk. */
                g_string_append_len (carry, line, (gssize) n);
                break;
            }
            if (carry->len > 0) {
                g_string_append_len (carry, line, (gssize) n);
                line = carry->str;
                n = carry->len;
            }
            s.line++;
            /* A row libcsv has begun (a quoted field over several lines)
             * is its to finish. */
            if (p.pstate != 0 || n == 1 || !split_plain (&s, line, n - 1))
                ok = csv_parse (&p, line, n, stream_on_field, stream_on_row, &s)
                     == n;
            g_string_truncate (carry, 0);
        }
    }
    if (ferror (fp) && ok && s.error == NULL) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO, "%s: cannot read",
                     path);
        ok = FALSE;
        s.line = 0;
    }
    fclose (fp);
    if (ok && s.error == NULL && carry->len > 0) {
        s.line++;
        ok = csv_parse (&p, carry->str, carry->len, stream_on_field,
                        stream_on_row, &s)
             == carry->len;
    }
    ok = ok
         && (s.error != NULL
             || csv_fini (&p, stream_on_field, stream_on_row, &s) == 0);
    if (!ok && s.line > 0 && s.error == NULL)
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s:%u: not valid CSV (%s)", path, s.line,
                     csv_strerror (csv_error (&p)));
    csv_free (&p);
    t->complete = last_nl && carry->len == 0;
    /* The table the caller gets has no rows. */
    g_ptr_array_set_size (t->rows, 0);
    g_array_set_size (t->lines, 0);
    g_string_free (s.buf, TRUE);
    g_array_unref (s.offsets);
    g_ptr_array_unref (s.row);
    g_free (s.fields);
    if (s.error != NULL) {
        g_propagate_error (error, s.error);
        return NULL;
    }
    if (!ok)
        return NULL;
    if (t->header == NULL) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s: empty file", path);
        return NULL;
    }
    return g_steal_pointer (&t);
}
