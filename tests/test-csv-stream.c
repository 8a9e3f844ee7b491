/* test-csv-stream.c - sim_csv_table_stream (csv-table.h) reads what
 * sim_csv_table_parse (libcsv, whole) reads: the same header, rows and
 * lines, the same "complete", and an error where it errs - on chosen
 * inputs (quotes, spaces and tabs at field edges, carriage returns,
 * blank lines, a quoted field over lines, a NUL byte, no final newline,
 * a line longer than the reader's chunk, lines at its end) and on random
 * ones; and that SIM_CSV_SLACK bytes past each field can be read.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

#include "csv-table.h"

typedef struct {
    GPtrArray *rows; /* char*: fields joined by '|', then "@LINE" */
} Seen;

static gboolean
collect (const SimCsvTable *t, gpointer user, GError **error)
{
    Seen *s = user;
    GPtrArray *row = g_ptr_array_index (t->rows, 0);
    GString *j = g_string_new (NULL);
    volatile char sink;

    g_assert_true (sim_csv_table_fields (t) == (char *const *) row->pdata);
    for (guint i = 0; i < row->len; i++) {
        const char *f = g_ptr_array_index (row, i);
        char slack[SIM_CSV_SLACK];

        g_string_append_printf (j, "%s%s", i > 0 ? "|" : "", f);
        /* The slack past the NUL can be read (make asan reports a read
         * past the reader's buffer). */
        memcpy (slack, f + strlen (f), SIM_CSV_SLACK);
        sink = slack[SIM_CSV_SLACK - 1];
    }
    (void) sink;
    g_string_append_printf (j, "@%u", sim_csv_table_line (t, 0));
    g_ptr_array_add (s->rows, g_string_free (j, FALSE));
    return TRUE;
}

/* Both readers on @text (@len bytes): the same outcome. */
static void
check_same (const char *text, gsize len)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp ("csv-stream-XXXXXX", &path, NULL);
    g_autoptr (SimCsvTable) whole = NULL;
    g_autoptr (SimCsvTable) streamed = NULL;
    Seen seen = { g_ptr_array_new_with_free_func (g_free) };

    g_assert_cmpint (fd, >=, 0);
    /* Plain writes: g_file_set_contents would sync each file. */
    g_assert_cmpint (write (fd, text, len), ==, (gssize) len);
    close (fd);
    whole = sim_csv_table_parse (path, text, len, NULL);
    streamed = sim_csv_table_stream (path, collect, &seen, NULL);
    g_remove (path);
    if (whole == NULL || streamed == NULL) {
        if ((whole == NULL) != (streamed == NULL)) {
            g_autofree char *shown = g_strescape (text, NULL);

            g_error ("one reader refused \"%s\", the other did not "
                     "(whole %p, streamed %p)",
                     shown, (void *) whole, (void *) streamed);
        }
        g_ptr_array_unref (seen.rows);
        return;
    }
    g_assert_cmpuint (whole->header->len, ==, streamed->header->len);
    for (guint i = 0; i < whole->header->len; i++)
        g_assert_cmpstr (g_ptr_array_index (whole->header, i), ==,
                         g_ptr_array_index (streamed->header, i));
    g_assert_cmpuint (whole->rows->len, ==, seen.rows->len);
    g_assert_cmpuint (streamed->n_rows, ==, seen.rows->len);
    g_assert_cmpint (whole->complete, ==, streamed->complete);
    for (guint r = 0; r < whole->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (whole->rows, r);
        GString *j = g_string_new (NULL);

        for (guint i = 0; i < row->len; i++)
            g_string_append_printf (j, "%s%s", i > 0 ? "|" : "",
                                    (char *) g_ptr_array_index (row, i));
        g_string_append_printf (j, "@%u", sim_csv_table_line (whole, r));
        g_assert_cmpstr (j->str, ==, g_ptr_array_index (seen.rows, r));
        g_string_free (j, TRUE);
    }
    g_ptr_array_unref (seen.rows);
}

static void
test_chosen (void)
{
    static const char *const inputs[] = {
        "a,b,c\n1,2,3\n4,5,6\n",
        "a,b\n1,2",
        "a,b\n\n1,2\n\n",
        "a,b\n \t1,2 \n",
        "a,b\n1 ,\t2\n",
        "a,b\n1,\"x,y\"\n",
        "a,b\n\"multi\nline\",2\n3,4\n",
        "a,b\n1,2\r\n3,4\r\n",
        "a,b\n1,\"unclosed\n",
        "a,b\n1,x\"y\n",
        "a,b\n1,\"\"\n",
        "a,b\n,,\n,\n",
        "h\n0123456789abcdefghij,klmnopqrstuvwxyz-.\n",
        "",
        "\n\n",
        "a,b\n1,2\n\"q\"\"x\",3\n",
        "a,b,c,d,e,f,g,h,i,j\n1,2,3,4,5,6,7,8,9,10\n",
        /* A quote or a space at a field's edge words after the first
         * commas (which the fast split has already cut): libcsv's. */
        "a,b,c,d,e,f\n1,2,3,4,5,6,7,\"8,9\"\n1,2,3,4,5,6,7,8,9,10 \n",
        /* Bytes above 127 and low bytes that are no separator. */
        "a,b\n\xc3\xa9t\xc3\xa9,+1\n#!,$%&'()*+\n",
    };

    g_test_summary ("Chosen inputs: both readers agree on rows, lines, "
                    "completeness and errors");
    for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
        check_same (inputs[i], strlen (inputs[i]));
    /* A NUL byte inside a field. */
    check_same ("a,b\n1,2\0003\n4,5\n", 15);
}

static void
test_long_line (void)
{
    GString *s = g_string_new ("a,b\n");

    g_test_summary ("A line longer than the reader's 1 MiB chunk, and one "
                    "that straddles two chunks");
    for (guint i = 0; i < 300000; i++)
        g_string_append (s, "1234567,");
    g_string_append (s, "8\n5,6\n");
    for (guint i = 0; i < 200000; i++)
        g_string_append (s, "7,8\n");
    check_same (s->str, s->len);
    g_string_free (s, TRUE);
}

/* Lines of 1,000 bytes (few rows to compare), then one of the length
 * that makes @payload begin @before bytes before the reader's first
 * 1 MiB ends; then "9,9\n". */
static void
check_at_boundary (const char *payload, gsize payload_len, gsize before)
{
    gsize target = ((gsize) 1 << 20) - before;
    GString *s = g_string_new ("a,b\n");
    char filler[1001];

    memset (filler, '7', 1000);
    filler[1] = ',';
    filler[999] = '\n';
    filler[1000] = '\0';
    while (s->len + 1000 <= target - 8)
        g_string_append (s, filler);
    g_string_append (s, "1,");
    for (gsize n = target - s->len - 1; n > 0; n--)
        g_string_append_c (s, '5');
    g_string_append_c (s, '\n');
    g_assert_cmpuint (s->len, ==, target);
    g_string_append_len (s, payload, (gssize) payload_len);
    g_string_append (s, "9,9\n");
    check_same (s->str, s->len);
    g_string_free (s, TRUE);
}

static void
test_boundary (void)
{
    /* Each with its length: some hold NUL bytes. */
    static const struct {
        const char *text;
        gsize len;
    } payloads[] = {
        { "7,8\n", 4 },
        { "12345678,87654321\n", 18 },
        { "7,8\r\n", 5 },
        { "\"x\ny\",8\n", 8 },
        { "\"x,\n\ny\",\"8\n\"\n", 14 },
        { "7\0,8\n", 5 },
        { "\n\n7,8\n", 6 },
        { " 7,8\n", 5 },
        { "7,8 \n", 5 },
        { "7,\"8\"\n", 6 },
    };

    g_test_summary ("A plain line, long numbers, CRLF, quoted fields over "
                    "lines, a NUL byte, blank lines, edge spaces and a "
                    "quote, each beginning 0 to its length + 1 bytes "
                    "before the reader's first 1 MiB ends, and a file "
                    "that ends there without a newline");
    for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
        for (gsize before = 0; before <= payloads[i].len + 1; before++)
            check_at_boundary (payloads[i].text, payloads[i].len, before);
    /* The last line without a newline, ending at the chunk's end or
     * just past it. */
    for (gsize extra = 0; extra < 10; extra++) {
        GString *s = g_string_new ("a,b\n");

        while (s->len < ((gsize) 1 << 20) - 4)
            g_string_append (s, "1,2\n");
        g_string_append (s, "3,4");
        for (gsize n = 0; n < extra; n++)
            g_string_append_c (s, '5');
        check_same (s->str, s->len);
        g_string_free (s, TRUE);
    }
}

static void
test_random (void)
{
    static const char alphabet[] = ",,,,\"\r\n\n  \t01.a-+\xc3\x7f";
    GRand *rng = g_rand_new_with_seed (17);

    g_test_summary ("2,000 random texts over an alphabet of commas, quotes, "
                    "carriage returns, newlines, spaces, tabs, digits, bytes "
                    "above 127: the "
                    "same result from both readers");
    for (guint n = 0; n < 2000; n++) {
        gsize len = (gsize) g_rand_int_range (rng, 0, 120);
        g_autofree char *text = g_new (char, len + 1);

        for (gsize i = 0; i < len; i++)
            text[i] = alphabet[g_rand_int_range (rng, 0, sizeof alphabet - 1)];
        text[len] = '\0';
        check_same (text, len);
    }
    g_rand_free (rng);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/csv-stream/chosen", test_chosen);
    g_test_add_func ("/csv-stream/long-line", test_long_line);
    g_test_add_func ("/csv-stream/boundary", test_boundary);
    g_test_add_func ("/csv-stream/random", test_random);
    return g_test_run ();
}
