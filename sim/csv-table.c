/* csv-table.c - reading a whole CSV file with libcsv, or streaming it
 * row by row.  See csv-table.h.
 *
 * The text is fed to libcsv one line at a time, so that each row knows
 * the line it ends on: messages about a row can name FILE:LINE.  The
 * stream splits lines without a quote itself, a block of bytes at a
 * time (SSE2 where there is, else a word), with what libcsv would make
 * of them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <csv.h>
#if defined(__SSE2__) && !defined(SIM_CSV_NO_SIMD)
#include <emmintrin.h>
#endif
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

/* The file is read into one buffer, as many whole lines as it holds: a
 * line cut by the end of the data read so far is moved to the front and
 * the buffer filled again behind it (made larger when the line fills it
 * alone).  The data is always followed by a newline of ours and PAD
 * bytes, so a scan for the end of a line stops without a bound, and
 * reads a block (below) at any position in the data (which also gives
 * a split line's fields their SIM_CSV_SLACK). */
#define CHUNK (1 << 20)
#define PAD 16
G_STATIC_ASSERT (PAD >= SIM_CSV_SLACK);

typedef struct {
    SimCsvTable *t;
    GString *buf;    /* libcsv's row: its fields, each NUL-ended */
    GArray *offsets; /* gsize: where each field starts in buf */
    GPtrArray *row;  /* pointers into buf or the line, no free function */
    char **fields;   /* split_line's, fields_cap of them */
    guint fields_cap;
    guint n_fields;
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
        if (G_UNLIKELY (s->t->rows->len == 0)) {
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
    /* SIM_CSV_SLACK past the last NUL (buf may move: pointers after). */
    g_string_append_len (s->buf, "\0\0\0\0\0\0\0\0", SIM_CSV_SLACK);
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

/* A block of bytes scanned at once: the bytes below '-' in it (a comma,
 * a newline, a quote, a carriage return, a space ...) and its commas, as
 * masks in which MASK_BYTE finds the first byte.  Sixteen bytes with
 * SSE2; else (or with SIM_CSV_NO_SIMD, which a test builds with) eight
 * in a word, the first byte in memory the lowest. */
#if defined(__SSE2__) && !defined(SIM_CSV_NO_SIMD)
#define BLOCK 16
typedef guint Mask; /* bit k: byte k */
#define MASK_BYTE(m) ((guint) __builtin_ctz (m))

static inline void
scan_block (const char *q, Mask *low, Mask *comma)
{
    __m128i v = _mm_loadu_si128 ((const __m128i *) q);
    /* Not below '-': unchanged by max with '-' (unsigned). */
    __m128i high = _mm_cmpeq_epi8 (_mm_max_epu8 (v, _mm_set1_epi8 ('-')), v);

    *low = (Mask) _mm_movemask_epi8 (high) ^ 0xffff;
    *comma = (Mask) _mm_movemask_epi8 (_mm_cmpeq_epi8 (v, _mm_set1_epi8 (',')));
}
#else
#define BLOCK 8
typedef guint64 Mask; /* bit 8k + 7: byte k */
#define MASK_BYTE(m) ((guint) __builtin_ctzll (m) >> 3)

/* The top bit of each byte of @v below @c (at most 0x80), exactly: no
 * borrow crosses bytes. */
static inline guint64
bytes_below (guint64 v, guint8 c)
{
    guint64 t = (v & 0x7f7f7f7f7f7f7f7fULL)
                + 0x0101010101010101ULL * (0x80 - c);

    return ~(t | v) & 0x8080808080808080ULL;
}

static inline void
scan_block (const char *q, Mask *low, Mask *comma)
{
    guint64 v;

    memcpy (&v, q, 8);
    v = GUINT64_FROM_LE (v);
    *low = bytes_below (v, '-');
    *comma = *low & ~bytes_below (v, ',');
}
#endif
G_STATIC_ASSERT (PAD >= BLOCK);

/* Put back the commas split_line cut: one before each field after the
 * first, up to @last. */
static void
unsplit (char **fields, char **last)
{
    for (char **i = fields + 1; i <= last; i++)
        (*i)[-1] = ',';
}

/* The line at @p, up to the first newline at or after it (there is one:
 * the buffer's own after the data, at @data_end), which is returned.
 * When the line is complete (its newline is not the buffer's) and libcsv
 * would make of it what splitting on commas makes, it is split in place:
 * s->fields holds its s->n_fields fields, each NUL-ended (its newline
 * the last NUL).  That is: no quote, no carriage return, no field with a
 * space or tab at either end (libcsv trims those), not empty (libcsv
 * skips a blank line).  Otherwise s->n_fields is 0 and the line is as it
 * was, for libcsv or for more data. */
static char *
split_line (Stream *s, char *p, const char *data_end)
{
    char **fields = s->fields, **fp = fields; /* fp: the last field begun */
    char **room = fields + s->fields_cap - BLOCK - 1;
    char *nl = NULL;
    gboolean blank = FALSE;

    /* One pass, a block at a time: the commas, and the other bytes below
     * '-' looked at one by one, which the numbers of a row never need
     * but for its newline. */
    *fp = p;
    for (char *q = p; nl == NULL; q += BLOCK) {
        Mask low, comma, other;

        scan_block (q, &low, &comma);
        for (other = low ^ comma; G_UNLIKELY (other != 0); other &= other - 1) {
            char *c = q + MASK_BYTE (other);

            if (*c == '\n') {
                nl = c;
                /* Commas past the newline are the next line's. */
                comma &= (other & -other) - 1;
                break;
            }
            if (*c == '"' || *c == '\r') {
                unsplit (fields, fp);
                s->n_fields = 0;
                return memchr (c, '\n', (gsize) (data_end - c) + 1);
            }
            blank |= *c == ' ' || *c == '\t';
        }
        if (G_UNLIKELY (fp >= room)) {
            gsize n = (gsize) (fp - fields);

            s->fields_cap *= 2;
            s->fields = fields = g_renew (char *, s->fields, s->fields_cap);
            fp = fields + n;
            room = fields + s->fields_cap - BLOCK - 1;
        }
        /* Each comma ends a field (and becomes its NUL). */
        for (; comma != 0; comma &= comma - 1) {
            char *c = q + MASK_BYTE (comma);

            *c = '\0';
            *++fp = c + 1;
        }
    }
    if (G_UNLIKELY (nl == data_end || nl == p))
        goto whole;
    for (char **i = fields; blank && i <= fp; i++) {
        char *fs = *i;
        char *fe = i < fp ? i[1] - 1 : nl;

        if (fe > fs
            && (*fs == ' ' || *fs == '\t' || fe[-1] == ' ' || fe[-1] == '\t'))
            goto whole;
    }
    *nl = '\0';
    s->n_fields = (guint) (fp - fields) + 1;
    return nl;
whole:
    unsplit (fields, fp);
    s->n_fields = 0;
    return nl;
}

/* The line split_line split, to fn. */
static void
deliver_split (Stream *s)
{
    /* The same length row after row: no call then. */
    if (G_UNLIKELY (s->row->len != s->n_fields))
        g_ptr_array_set_size (s->row, s->n_fields);
    memcpy (s->row->pdata, s->fields, s->n_fields * sizeof (char *));
    deliver_row (s);
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
    struct csv_parser p;
    gboolean ok = TRUE, eof = FALSE, last_nl = FALSE, read_error = FALSE;
    gsize cap = CHUNK, len = 0, at = 0;
    g_autofree char *buf = g_malloc0 (cap + PAD);
    FILE *fp;

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
    while (ok && s.error == NULL) {
        char *line = buf + at, *nl;
        gsize got;

        if (at < len) {
            /* A row libcsv has begun (a quoted field over several lines)
             * is its to finish. */
            s.n_fields = 0;
            if (p.pstate == 0)
                nl = split_line (&s, line, buf + len);
            else
                nl = memchr (line, '\n', len - at + 1);
            if (nl < buf + len) {
                gsize n = (gsize) (nl - line) + 1;

                at += n;
                s.line++;
                if (s.n_fields > 0)
                    deliver_split (&s);
                else
                    ok = csv_parse (&p, line, n, stream_on_field, stream_on_row,
                                    &s)
                         == n;
                continue;
            }
        }
        if (eof)
            break;
        /* The rest of this line comes with more data. */
        len -= at;
        memmove (buf, line, len);
        at = 0;
        if (len == cap) {
            cap *= 2;
            buf = g_realloc (buf, cap + PAD);
        }
        got = fread (buf + len, 1, cap - len, fp);
        if (got == 0) {
            eof = TRUE;
            read_error = ferror (fp) != 0;
            if (read_error)
                break;
        } else
            last_nl = buf[len + got - 1] == '\n';
        len += got;
        buf[len] = '\n';
        /* What a scan reads past it is never undefined. */
        memset (buf + len + 1, 0, PAD - 1);
    }
    fclose (fp);
    if (read_error && ok && s.error == NULL) {
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_IO, "%s: cannot read",
                     path);
        ok = FALSE;
        s.line = 0;
    }
    /* The last line, with no newline. */
    if (ok && s.error == NULL && at < len) {
        s.line++;
        ok = csv_parse (&p, buf + at, len - at, stream_on_field, stream_on_row,
                        &s)
             == len - at;
    }
    ok = ok
         && (s.error != NULL
             || csv_fini (&p, stream_on_field, stream_on_row, &s) == 0);
    if (!ok && s.line > 0 && s.error == NULL)
        g_set_error (error, SIM_CSV_ERROR, SIM_CSV_ERROR_SYNTAX,
                     "%s:%u: not valid CSV (%s)", path, s.line,
                     csv_strerror (csv_error (&p)));
    csv_free (&p);
    t->complete = last_nl && at == len;
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
