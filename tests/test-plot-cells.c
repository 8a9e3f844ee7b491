/* test-plot-cells.c - plot.c's word-at-a-time number reader of a CSV
 * cell (cell_decimal) gives what its plain one (plain_decimal) gives:
 * the same yes or no and the same double, bit for bit, for texts of
 * digits and points of every length around its eight-byte words, and
 * random ones; and cell_value, of every kind, what it gave with
 * plain_decimal, error messages included.  plot.c is compiled in here,
 * for its static functions.
 */
#include "plot.c"

/* @text in a buffer with SIM_CSV_SLACK bytes of @junk after its NUL, as
 * the CSV reader gives a cell: both readers, the same outcome. */
static void
check_cell (const char *text, char junk)
{
    gsize len = strlen (text);
    g_autofree char *cell = g_malloc (len + 1 + SIM_CSV_SLACK);
    double plain = -1, word = -1;
    gboolean plain_ok, word_ok;

    memcpy (cell, text, len + 1);
    memset (cell + len + 1, junk, SIM_CSV_SLACK);
    plain_ok = plain_decimal (text, &plain);
    word_ok = cell_decimal (cell, &word);
    if (plain_ok != word_ok
        || (plain_ok && memcmp (&plain, &word, sizeof plain) != 0))
        g_error ("\"%s\": plain_decimal %d %.17g, cell_decimal %d %.17g", text,
                 plain_ok, plain, word_ok, word);
}

/* What cell_value did before cell_decimal: plain_decimal, then an empty
 * share or time in ms, then cell_value_other. */
static gboolean
reference_value (const SimCsvTable *t, CellKind kind, double *out,
                 GError **error)
{
    const char *text = sim_csv_table_fields (t)[0];
    double v;

    if (plain_decimal (text, &v) && cell_fits (kind, v)) {
        *out = v;
        return TRUE;
    }
    if (*text == '\0' && (kind == CELL_SHARE || kind == CELL_MS)) {
        *out = NAN;
        return TRUE;
    }
    return cell_value_other (t, "f.csv", 0, kind, out, error);
}

/* cell_value on @text as a streamed row's one cell, of every kind: what
 * reference_value gives, its error message included. */
static void
check_kinds (const char *text)
{
    gsize len = strlen (text);
    g_autofree char *cell = g_malloc0 (len + 1 + SIM_CSV_SLACK);
    g_autoptr (GPtrArray) header = g_ptr_array_new ();
    g_autoptr (GPtrArray) row = g_ptr_array_new ();
    g_autoptr (GPtrArray) rows = g_ptr_array_new ();
    g_autoptr (GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
    guint line = 7;
    SimCsvTable t = { header, rows, lines, TRUE, 1 };

    memcpy (cell, text, len);
    g_ptr_array_add (header, (char *) "x");
    g_ptr_array_add (row, cell);
    g_ptr_array_add (rows, row);
    g_array_append_val (lines, line);
    for (CellKind kind = CELL_TIME; kind <= CELL_WEIGHT; kind++) {
        g_autoptr (GError) e1 = NULL;
        g_autoptr (GError) e2 = NULL;
        double v1 = -1, v2 = -1;
        gboolean ok1 = cell_value (&t, sim_csv_table_fields (&t), "f.csv", 0,
                                   kind, &v1, &e1);
        gboolean ok2 = reference_value (&t, kind, &v2, &e2);

        if (ok1 != ok2 || memcmp (&v1, &v2, sizeof v1) != 0
            || g_strcmp0 (e1 != NULL ? e1->message : NULL,
                          e2 != NULL ? e2->message : NULL)
                   != 0)
            g_error ("\"%s\" as %s: cell_value %d %.17g (%s), before %d "
                     "%.17g (%s)",
                     text, cell_what[kind], ok1, v1,
                     e1 != NULL ? e1->message : "", ok2, v2,
                     e2 != NULL ? e2->message : "");
    }
}

static void
test_shapes (void)
{
    GRand *rng = g_rand_new_with_seed (5);
    static const char junk[] = "0.,\0007a";
    static const char digits[] = "0123456789";

    g_test_summary ("Every count of digits before and after a point (0 to "
                    "17 each, with and without the point), random digits, "
                    "with digits, points, commas or NUL bytes after the "
                    "cell: the same as plain_decimal");
    for (guint k = 0; k <= 17; k++)
        for (guint f = 0; f <= 17; f++)
            for (guint point = 0; point < 2; point++)
                for (guint n = 0; n < 40; n++) {
                    char text[40];
                    guint at = 0;

                    if (!point && f > 0)
                        continue;
                    for (guint i = 0; i < k; i++)
                        text[at++] = digits[g_rand_int_range (rng, 0, 10)];
                    if (point)
                        text[at++] = '.';
                    for (guint i = 0; i < f; i++)
                        text[at++] = digits[g_rand_int_range (rng, 0, 10)];
                    text[at] = '\0';
                    check_cell (text, junk[n % (sizeof junk - 1)]);
                    if (n == 0)
                        check_kinds (text);
                }
    g_rand_free (rng);
}

static void
test_chosen (void)
{
    /* Split at '|'; the first is empty. */
    static const char list[] =
        "|0|9|/|:|.|..|0.|.0|1.2.3|1,2|-1|+1|1e3| 1|1 |nan|inf|0x10"
        "|00000000|0000000|1234567|12345678|123456789012345"
        "|1234567890123456|0.0000001|0.00000001|1234567.1234567"
        "|12345678.1234567|1234567.12345678|302400.000|1.000000"
        "|0.500000|9.664|999999999999999|99999999.9999999"
        "|9999999.99999999|\xb0|1\xb0|1.\xb0|12345\xff|1.5\x01|2|5|1.0|0.5"
        "|100|101|1000000000|1000000001|1000000000000|1000000000001";
    g_auto (GStrv) texts = g_strsplit (list, "|", -1);

    g_test_summary ("Chosen cells (what a run writes, limits of 7, 8 and "
                    "15 digits, signs, exponents, bytes above 127, the "
                    "limits of each kind): the same as plain_decimal, "
                    "and cell_value the same as before");
    g_assert_cmpuint (g_strv_length (texts), ==, 52);
    for (guint i = 0; texts[i] != NULL; i++) {
        check_cell (texts[i], '\0');
        check_cell (texts[i], '5');
        check_kinds (texts[i]);
    }
}

static void
test_random (void)
{
    static const char alphabet[] = "0123456789012345678901234567890.."
                                   ".e-+, \xb0";
    GRand *rng = g_rand_new_with_seed (11);

    g_test_summary ("200,000 random cells of digits, points and a few "
                    "other bytes: the same as plain_decimal");
    for (guint n = 0; n < 200000; n++) {
        char text[24];
        guint len = (guint) g_rand_int_range (rng, 0, 20);

        for (guint i = 0; i < len; i++)
            text[i] = alphabet[g_rand_int_range (rng, 0, sizeof alphabet - 1)];
        text[len] = '\0';
        check_cell (text, (char) g_rand_int_range (rng, 0, 256));
        if (n % 10 == 0)
            check_kinds (text);
    }
    g_rand_free (rng);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/plot-cells/shapes", test_shapes);
    g_test_add_func ("/plot-cells/chosen", test_chosen);
    g_test_add_func ("/plot-cells/random", test_random);
    return g_test_run ();
}
