/* keytab.c - the kinds of value, row and group lookups, and hints.
 *
 * Every kind parses the text of one value into one field and formats it
 * back canonically; parse(format(v)) == v for every value a kind
 * accepts, which is what lets the resolved scenario reproduce a run.
 * Errors say what is wrong with the value only; the loader adds the
 * place and the key (scenario-place.c).  Nothing here keeps state.
 */
/* open (O_CLOEXEC), fstat, read: POSIX.1-2008. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "keytab.h"
#include "dist.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-scenario-error-quark, sim_scenario_error)
/* clang-format on */

/* Enum fields and gbooleans are read and written as int. */
G_STATIC_ASSERT (sizeof (gboolean) == sizeof (int));

#define NAME_CHARS \
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* --- Files --------------------------------------------------------------------- */

static char *file_error (GError **error, const char *path, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static char *
file_error (GError **error, const char *path, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_IO, "%s: %s",
                 path, msg);
    return NULL;
}

char *
sim_key_read_file (const char *path, const char *what, gsize max, gsize *len,
                   GError **error)
{
    g_autoptr (GString) data = NULL;
    struct stat st;
    char buf[65536];
    int fd, saved;
    ssize_t n;

    /* O_NONBLOCK: opening a FIFO with no writer returns at once, and
     * fstat then refuses it. */
    fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        saved = errno;
        return file_error (error, path, "cannot read: %s", g_strerror (saved));
    }
    if (fstat (fd, &st) != 0) {
        saved = errno;
        close (fd);
        return file_error (error, path, "cannot read: %s", g_strerror (saved));
    }
    if (S_ISDIR (st.st_mode)) {
        close (fd);
        return file_error (error, path, "cannot read: %s", g_strerror (EISDIR));
    }
    if (!S_ISREG (st.st_mode)) {
        close (fd);
        return file_error (error, path,
                           "not a regular file (a FIFO, a device or a "
                           "socket): name %s file",
                           what);
    }
    if ((guint64) st.st_size > max) {
        close (fd);
        return file_error (error, path,
                           "too large for %s (%" G_GUINT64_FORMAT
                           " bytes; at most %" G_GSIZE_FORMAT ")",
                           what, (guint64) st.st_size, max);
    }
    data = g_string_sized_new ((gsize) st.st_size + 1);
    /* The size may change while reading: never read past @max. */
    while ((n = read (fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            saved = errno;
            close (fd);
            return file_error (error, path, "cannot read: %s",
                               g_strerror (saved));
        }
        if (data->len + (gsize) n > max) {
            close (fd);
            return file_error (error, path,
                               "too large for %s (more than %" G_GSIZE_FORMAT
                               " bytes)",
                               what, max);
        }
        g_string_append_len (data, buf, n);
    }
    close (fd);
    *len = data->len;
    return g_string_free (g_steal_pointer (&data), FALSE);
}

/* --- Text helpers ------------------------------------------------------------ */

gboolean
sim_key_valid_name (const char *name)
{
    return name[0] != '\0' && strlen (name) <= SIM_KEY_NAME_MAX
           && strspn (name, NAME_CHARS) == strlen (name);
}

gboolean
sim_key_has_control_chars (const char *s)
{
    for (; *s != '\0'; s++)
        if ((guchar) *s < 0x20 || *s == 0x7f)
            return TRUE;
    return FALSE;
}

/* GKeyFile keeps "4   # comment" whole, so anything from a '#' that
 * starts the value or follows a blank goes.  The price: a value cannot
 * hold " #". */
char *
sim_key_clean_value (const char *raw)
{
    char *v = g_strdup (raw);

    for (char *p = v; *p != '\0'; p++) {
        if (*p == '#' && (p == v || *(p - 1) == ' ' || *(p - 1) == '\t')) {
            *p = '\0';
            break;
        }
    }
    return g_strstrip (v);
}

gboolean
sim_key_to_int64 (const char *s, gint64 *out)
{
    return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out, NULL);
}

gboolean
sim_key_to_double (const char *s, double *out)
{
    char *end;

    if (*s == '\0' || g_ascii_isspace (*s))
        return FALSE;
    errno = 0;
    *out = g_ascii_strtod (s, &end);
    return *end == '\0' && errno == 0 && isfinite (*out);
}

char *
sim_key_number_text (double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    char fmt[8];

    /* 15 digits print every decimal a person writes as written, without
     * an exponent below 1e15; 17 always read back exactly. */
    for (int prec = 15; prec <= 17; prec++) {
        g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
        g_ascii_formatd (buf, sizeof buf, fmt, v);
        if (g_ascii_strtod (buf, NULL) == v)
            break;
    }
    return g_strdup (buf);
}

GStrv
sim_key_words (const char *text)
{
    g_auto (GStrv) parts = g_strsplit_set (text, " \t", -1);
    GPtrArray *out = g_ptr_array_new ();

    for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
            g_ptr_array_add (out, g_strdup (parts[i]));
    g_ptr_array_add (out, NULL);
    return (GStrv) g_ptr_array_free (out, FALSE);
}

/* Optimal string alignment distance (Levenshtein plus transpositions),
 * ASCII case-insensitive.  Names are short, so the full matrix is fine. */
static guint
edit_distance (const char *a, const char *b)
{
    gsize n = strlen (a), m = strlen (b);
    g_autofree guint *d = g_new (guint, (n + 1) * (m + 1));

#define D(i, j) d[(i) * (m + 1) + (j)]
    for (gsize i = 0; i <= n; i++)
        D (i, 0) = (guint) i;
    for (gsize j = 0; j <= m; j++)
        D (0, j) = (guint) j;
    for (gsize i = 1; i <= n; i++) {
        for (gsize j = 1; j <= m; j++) {
            guint cost = g_ascii_tolower (a[i - 1])
                         != g_ascii_tolower (b[j - 1]);
            guint best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);

            best = MIN (best, D (i - 1, j - 1) + cost);
            if (i > 1 && j > 1
                && g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 2])
                && g_ascii_tolower (a[i - 2]) == g_ascii_tolower (b[j - 1]))
                best = MIN (best, D (i - 2, j - 2) + 1);
            D (i, j) = best;
        }
    }
    guint result = D (n, m);
#undef D
    return result;
}

/* Near enough to be a typo: within 2 edits, or a third of the word, or
 * one is a prefix of the other. */
const char *
sim_key_closest (const char *word, const char *const *candidates)
{
    const char *best = NULL;
    guint best_d = G_MAXUINT;
    gsize len = strlen (word);

    for (guint i = 0; candidates[i] != NULL; i++) {
        const char *c = candidates[i];
        guint d = edit_distance (word, c);
        gboolean near = d <= 2 || d * 3 <= len
                        || (len >= 3
                            && (g_str_has_prefix (c, word)
                                || g_str_has_prefix (word, c)));

        if (near && d < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}

/* --- Kinds ---------------------------------------------------------------------- */

static gpointer
field (gpointer base, const SimKeyRow *row)
{
    return (guint8 *) base + row->offset;
}

static gconstpointer
cfield (gconstpointer base, const SimKeyRow *row)
{
    return (const guint8 *) base + row->offset;
}

static gboolean why (SimKeyParse *p, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
why (SimKeyParse *p, const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    g_free (p->why);
    p->why = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    return FALSE;
}

/* A units or dist error: its message names the value and lists what is
 * accepted. */
static gboolean
take_error (SimKeyParse *p, GError *err)
{
    g_free (p->why);
    p->why = g_strdup (err->message);
    p->explained = TRUE;
    g_error_free (err);
    return FALSE;
}

static void
replace_string (gpointer dst, const char *value)
{
    char **s = dst;

    g_free (*s);
    *s = g_strdup (value);
}

static void
string_dup (const SimKeyRow *row, gpointer f)
{
    char **s = f;

    *s = g_strdup (*s);
}

static void
string_clear (const SimKeyRow *row, gpointer f)
{
    g_clear_pointer ((char **) f, g_free);
}

static gboolean
parse_string (const SimKeyRow *row, gpointer f, const char *text,
              SimKeyParse *p)
{
    if (sim_key_has_control_chars (text))
        return why (p, "must be one line of printable text");
    replace_string (f, text);
    return TRUE;
}

static char *
format_string (const SimKeyRow *row, gconstpointer f)
{
    const char *const *s = f;

    if (*s == NULL && row->word != NULL)
        return g_strdup (row->word);
    return g_strdup (*s != NULL ? *s : "");
}

const SimKeyKind sim_key_string = {
    parse_string,
    format_string,
    string_dup,
    string_clear,
};

static gboolean
parse_name (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    if (text[0] == '\0' || strchr (text, '/') != NULL || strcmp (text, ".") == 0
        || strcmp (text, "..") == 0 || sim_key_has_control_chars (text))
        return why (p, "\"%s\" cannot name an output directory", text);
    replace_string (f, text);
    return TRUE;
}

const SimKeyKind sim_key_name = {
    parse_name,
    format_string,
    string_dup,
    string_clear,
};

static gboolean
parse_uint64 (const SimKeyRow *row, gpointer f, const char *text,
              SimKeyParse *p)
{
    guint64 v;

    if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, NULL))
        return why (p, "\"%s\" is not an integer", text);
    *(guint64 *) f = v;
    return TRUE;
}

static char *
format_uint64 (const SimKeyRow *row, gconstpointer f)
{
    return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) f);
}

const SimKeyKind sim_key_uint64 = { parse_uint64, format_uint64, NULL, NULL };

static gboolean
parse_int (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    gint64 v;

    if (row->word != NULL && strcmp (text, row->word) == 0) {
        *(gint *) f = -1;
        return TRUE;
    }
    if (!sim_key_to_int64 (text, &v))
        return why (p, "\"%s\" is not an integer", text);
    if (v < row->min)
        return why (p, "%s is too small", text);
    if (v > row->max)
        return why (p, "%s is too large", text);
    *(gint *) f = (gint) v;
    return TRUE;
}

static char *
format_int (const SimKeyRow *row, gconstpointer f)
{
    gint v = *(const gint *) f;

    if (row->word != NULL && v == -1)
        return g_strdup (row->word);
    return g_strdup_printf ("%d", v);
}

const SimKeyKind sim_key_int = { parse_int, format_int, NULL, NULL };

static gboolean
parse_number (const SimKeyRow *row, gpointer f, const char *text,
              SimKeyParse *p)
{
    double v;

    if (!sim_key_to_double (text, &v))
        return why (p, "\"%s\" is not a number", text);
    if (v < row->dmin || v > row->dmax)
        return why (p, "%s is out of range", text);
    *(double *) f = v;
    return TRUE;
}

static char *
format_number (const SimKeyRow *row, gconstpointer f)
{
    return sim_key_number_text (*(const double *) f);
}

const SimKeyKind sim_key_number = { parse_number, format_number, NULL, NULL };

/* A duration of at least row->min. */
static gboolean
duration_value (const SimKeyRow *row, const char *text, SimTime *out,
                SimKeyParse *p)
{
    GError *err = NULL;

    if (!sim_units_parse_duration (text, out, &err))
        return take_error (p, err);
    if (*out < row->min) {
        g_autofree char *least = sim_units_format_duration (row->min);

        return row->min == 1 ? why (p, "%s: must be greater than 0", text)
                             : why (p, "%s: must be at least %s", text, least);
    }
    return TRUE;
}

static gboolean
parse_duration (const SimKeyRow *row, gpointer f, const char *text,
                SimKeyParse *p)
{
    SimTime t;

    if (row->word != NULL && strcmp (text, row->word) == 0) {
        *(SimTime *) f = SIM_TIME_NEVER;
        return TRUE;
    }
    if (!duration_value (row, text, &t, p))
        return FALSE;
    *(SimTime *) f = t;
    return TRUE;
}

static char *
format_duration (const SimKeyRow *row, gconstpointer f)
{
    SimTime t = *(const SimTime *) f;

    if (row->word != NULL && t == SIM_TIME_NEVER)
        return g_strdup (row->word);
    return sim_units_format_duration (t);
}

const SimKeyKind sim_key_duration = {
    parse_duration,
    format_duration,
    NULL,
    NULL,
};

static gboolean
parse_opt_duration (const SimKeyRow *row, gpointer f, const char *text,
                    SimKeyParse *p)
{
    SimKeyOptDuration *o = f;
    SimTime t;

    if (strcmp (text, row->word) == 0) {
        o->set = FALSE;
        o->value = 0;
        return TRUE;
    }
    if (!duration_value (row, text, &t, p))
        return FALSE;
    o->set = TRUE;
    o->value = t;
    return TRUE;
}

static char *
format_opt_duration (const SimKeyRow *row, gconstpointer f)
{
    const SimKeyOptDuration *o = f;

    return o->set ? sim_units_format_duration (o->value) : g_strdup (row->word);
}

const SimKeyKind sim_key_opt_duration = {
    parse_opt_duration,
    format_opt_duration,
    NULL,
    NULL,
};

/* CPU and memory: a Kubernetes quantity, at least row->min. */
typedef gboolean (*QuantityParser) (const char *s, gint64 *out, GError **error);

static gboolean
parse_quantity (const SimKeyRow *row, gpointer f, const char *text,
                QuantityParser parser, SimKeyParse *p)
{
    GError *err = NULL;
    gint64 v;

    if (!parser (text, &v, &err))
        return take_error (p, err);
    if (v < row->min)
        return why (p, "%s: must be greater than 0", text);
    *(gint64 *) f = v;
    return TRUE;
}

/* A row's word (none) is -1. */
static gboolean
parse_cpu (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    if (row->word != NULL && strcmp (text, row->word) == 0) {
        *(gint64 *) f = -1;
        return TRUE;
    }
    return parse_quantity (row, f, text, sim_units_parse_cpu, p);
}

static char *
format_cpu (const SimKeyRow *row, gconstpointer f)
{
    gint64 v = *(const gint64 *) f;

    if (v < 0 && row->word != NULL)
        return g_strdup (row->word);
    return sim_units_format_cpu (v);
}

const SimKeyKind sim_key_cpu = { parse_cpu, format_cpu, NULL, NULL };

static gboolean
parse_memory (const SimKeyRow *row, gpointer f, const char *text,
              SimKeyParse *p)
{
    return parse_quantity (row, f, text, sim_units_parse_memory, p);
}

static char *
format_memory (const SimKeyRow *row, gconstpointer f)
{
    return sim_units_format_memory (*(const gint64 *) f);
}

const SimKeyKind sim_key_memory = { parse_memory, format_memory, NULL, NULL };

static gboolean
parse_dist (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    GError *err = NULL;
    SimDist d = { 0 };

    /* A row's word stands for a duration that never ends. */
    if (row->word != NULL && strcmp (text, row->word) == 0) {
        d.kind = SIM_DIST_NEVER;
        *(SimDist *) f = d;
        return TRUE;
    }
    if (!sim_dist_parse (text, &d, &err))
        return take_error (p, err);
    /* dist.c should refuse these already; the loader promises it. */
    if (d.kind == SIM_DIST_UNIFORM && d.a > d.b)
        return why (p, "%s: low is above high", text);
    *(SimDist *) f = d;
    return TRUE;
}

static char *
format_dist (const SimKeyRow *row, gconstpointer f)
{
    const SimDist *d = f;

    if (d->kind == SIM_DIST_NEVER && row->word != NULL)
        return g_strdup (row->word);
    return sim_dist_format (f);
}

const SimKeyKind sim_key_dist = { parse_dist, format_dist, NULL, NULL };

static gboolean
parse_bool (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    static const char *const yes[] = { "true", "yes", "1" };
    static const char *const no[] = { "false", "no", "0" };

    for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
        if (g_ascii_strcasecmp (text, yes[i]) == 0) {
            *(gboolean *) f = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp (text, no[i]) == 0) {
            *(gboolean *) f = FALSE;
            return TRUE;
        }
    }
    return why (p, "\"%s\" is not a boolean", text);
}

static char *
format_bool (const SimKeyRow *row, gconstpointer f)
{
    return g_strdup (*(const gboolean *) f ? "true" : "false");
}

const SimKeyKind sim_key_bool = { parse_bool, format_bool, NULL, NULL };

static gboolean
parse_enum (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    const char *best;

    for (guint i = 0; row->names[i] != NULL; i++) {
        if (strcmp (text, row->names[i]) == 0) {
            *(int *) f = (int) i;
            return TRUE;
        }
    }
    best = sim_key_closest (text, row->names);
    if (best != NULL)
        return why (p, "unknown value \"%s\" (did you mean %s?)", text, best);
    return why (p, "unknown value \"%s\"", text);
}

static char *
format_enum (const SimKeyRow *row, gconstpointer f)
{
    return g_strdup (row->names[*(const int *) f]);
}

const SimKeyKind sim_key_enum = { parse_enum, format_enum, NULL, NULL };

static gboolean
parse_percent (const SimKeyRow *row, gpointer f, const char *text,
               SimKeyParse *p)
{
    GError *err = NULL;
    SimIntOrPercent v;

    /* A row's word: not set (value -1). */
    if (row->word != NULL && strcmp (text, row->word) == 0) {
        v.percent = FALSE;
        v.value = -1;
        *(SimIntOrPercent *) f = v;
        return TRUE;
    }
    if (!sim_units_parse_int_or_percent (text, &v, &err))
        return take_error (p, err);
    if (v.percent && v.value > row->max)
        return why (p, "%s: may not be more than %" G_GINT64_FORMAT "%%", text,
                    row->max);
    *(SimIntOrPercent *) f = v;
    return TRUE;
}

static char *
format_percent (const SimKeyRow *row, gconstpointer f)
{
    const SimIntOrPercent *v = f;

    if (v->value < 0 && row->word != NULL)
        return g_strdup (row->word);
    return sim_units_format_int_or_percent (*v);
}

const SimKeyKind sim_key_percent = {
    parse_percent,
    format_percent,
    NULL,
    NULL,
};

/* The file is resolved to an absolute path, so the resolved scenario
 * finds it again wherever it is written. */
static gboolean
parse_path (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    char **s = f;
    g_autofree char *path = NULL;
    g_autofree char *back = NULL;

    if (strcmp (text, row->word) == 0 || text[0] == '\0') {
        g_clear_pointer (s, g_free);
        return TRUE;
    }
    path = g_canonicalize_filename (text, p->dir);
    if (g_file_test (path, G_FILE_TEST_EXISTS)
        && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return why (p,
                    "\"%s\" (%s) is not a regular file (a directory, a "
                    "FIFO or a device)",
                    text, path);
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return why (p, "cannot find the file \"%s\" (%s)", text, path);
    /* The resolved scenario writes the absolute path as a value, which
     * must read back as itself: a directory named "a #b" would lose its
     * tail to the comment rule. */
    back = sim_key_clean_value (path);
    if (strcmp (back, path) != 0 || sim_key_has_control_chars (path)
        || !g_utf8_validate (path, -1, NULL))
        return why (p,
                    "the file's path \"%s\" cannot be written in a "
                    "scenario file (it holds \" #\", a control character "
                    "or non-UTF-8 bytes)",
                    path);
    g_free (*s);
    *s = g_steal_pointer (&path);
    return TRUE;
}

const SimKeyKind sim_key_path = {
    parse_path,
    format_string,
    string_dup,
    string_clear,
};

/* Only the form is checked here; that the version exists is a check of
 * the whole scenario. */
static gboolean
parse_version (const SimKeyRow *row, gpointer f, const char *text,
               SimKeyParse *p)
{
    if (!sim_key_valid_name (text))
        return why (p, "\"%s\" is not a version name", text);
    replace_string (f, text);
    return TRUE;
}

const SimKeyKind sim_key_version = {
    parse_version,
    format_string,
    string_dup,
    string_clear,
};

static gboolean
parse_choice (const SimKeyRow *row, gpointer f, const char *text,
              SimKeyParse *p)
{
    const char *best;

    g_assert (p->choices != NULL);
    if (g_strv_contains (p->choices, text)) {
        replace_string (f, text);
        return TRUE;
    }
    best = sim_key_closest (text, p->choices);
    return why (p, "unknown %s \"%s\"%s%s%s", row->type, text,
                best ? " (did you mean " : "", best ? best : "",
                best ? "?)" : "");
}

const SimKeyKind sim_key_choice = {
    parse_choice,
    format_string,
    string_dup,
    string_clear,
};

/* Empty items (";;", a trailing ';') are skipped; positions count the
 * items only.  The stored text is the canonical form. */
static gboolean
parse_list (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    const SimKeyItem *it = row->item;
    SimKeyList *list = f;
    const char *sep = it->separator != NULL ? it->separator : ";";
    g_auto (GStrv) items = g_strsplit (text, sep, -1);
    g_autoptr (GByteArray) parsed = g_byte_array_new ();
    g_autoptr (GString) canon = g_string_new (NULL);
    g_autofree guint8 *one = g_malloc0 (it->size);
    guint pos = 0;

    for (guint i = 0; items[i] != NULL; i++) {
        char *item = g_strstrip (items[i]);
        g_autofree char *what = NULL;

        if (item[0] == '\0')
            continue;
        pos++;
        if (pos > 1)
            g_string_append_printf (canon, "%s ", sep);
        memset (one, 0, it->size);
        if (!it->parse (item, one, canon, &what))
            return why (p, "%s %u \"%s\": %s", it->what, pos, item, what);
        g_byte_array_append (parsed, one, (guint) it->size);
    }
    g_free (list->items);
    list->n = (gint) pos;
    list->items = pos > 0 ? g_byte_array_free (g_steal_pointer (&parsed), FALSE)
                          : NULL;
    g_free (list->text);
    list->text = g_strdup (canon->str);
    return TRUE;
}

static char *
format_list (const SimKeyRow *row, gconstpointer f)
{
    const SimKeyList *list = f;

    return g_strdup (list->text != NULL ? list->text : "");
}

static void
list_dup (const SimKeyRow *row, gpointer f)
{
    SimKeyList *list = f;

    list->items = list->n > 0 ? g_memdup2 (list->items,
                                           row->item->size * (gsize) list->n)
                              : NULL;
    list->text = g_strdup (list->text);
}

static void
list_clear (const SimKeyRow *row, gpointer f)
{
    SimKeyList *list = f;

    g_clear_pointer (&list->items, g_free);
    g_clear_pointer (&list->text, g_free);
    list->n = 0;
}

const SimKeyKind sim_key_list = {
    parse_list,
    format_list,
    list_dup,
    list_clear,
};

/* --- Values --------------------------------------------------------------------- */

gboolean
sim_key_parse (const SimKeyRow *row, gpointer base, const char *text,
               SimKeyParse *p)
{
    return row->kind->parse (row, field (base, row), text, p);
}

char *
sim_key_format (const SimKeyRow *row, gconstpointer base)
{
    return row->kind->format (row, cfield (base, row));
}

void
sim_key_rows_defaults (const SimKeyRow *rows, gpointer base)
{
    for (const SimKeyRow *row = rows; row->key != NULL; row++) {
        SimKeyParse p = { 0 };

        if (row->def == NULL || row->def_is_prose)
            continue;
        /* Choices come from the schema; their default is checked when
         * the scenario is. */
        if (row->kind == &sim_key_choice) {
            replace_string (field (base, row), row->def);
            continue;
        }
        if (!sim_key_parse (row, base, row->def, &p))
            g_error ("keytab: the default of %s does not parse: %s", row->key,
                     p.why);
    }
}

void
sim_key_rows_dup (const SimKeyRow *rows, gpointer base)
{
    for (const SimKeyRow *row = rows; row->key != NULL; row++)
        if (row->kind->dup != NULL)
            row->kind->dup (row, field (base, row));
}

void
sim_key_rows_clear (const SimKeyRow *rows, gpointer base)
{
    for (const SimKeyRow *row = rows; row->key != NULL; row++)
        if (row->kind->clear != NULL)
            row->kind->clear (row, field (base, row));
}

/* --- Groups --------------------------------------------------------------------- */

gboolean
sim_key_group_is_pattern (const SimKeyGroup *g)
{
    return g_str_has_suffix (g->name, ".*");
}

gboolean
sim_key_group_matches (const SimKeyGroup *g, const char *name)
{
    gsize prefix = strlen (g->name) - 1; /* "version." */

    if (!sim_key_group_is_pattern (g))
        return strcmp (g->name, name) == 0;
    return strncmp (g->name, name, prefix) == 0 && name[prefix] != '\0';
}

const char *
sim_key_group_display (const SimKeyGroup *g)
{
    /* Patterns read as PREFIX.NAME; only version.* exists so far. */
    if (sim_key_group_is_pattern (g))
        return strcmp (g->name, "version.*") == 0 ? "version.NAME" : g->name;
    return g->name;
}

const SimKeyRow *
sim_key_group_row (const SimKeyGroup *g, const char *key)
{
    for (const SimKeyRow *row = g->rows; row->key != NULL; row++)
        if (strcmp (row->key, key) == 0)
            return row;
    return NULL;
}

const SimKeyGroup *
sim_key_find_group (const SimKeyGroup *const *groups, const char *name)
{
    for (guint i = 0; groups[i] != NULL; i++)
        if (sim_key_group_matches (groups[i], name))
            return groups[i];
    return NULL;
}

const SimKeyRow *
sim_key_find_row (const SimKeyGroup *const *groups, const char *group,
                  const char *key)
{
    const SimKeyGroup *g = sim_key_find_group (groups, group);

    return g != NULL ? sim_key_group_row (g, key) : NULL;
}

/* "version.hello2" for a pattern's rows when @written is one of its
 * instances, else the group's display name. */
static const char *
row_group_name (const SimKeyGroup *g, const char *written)
{
    if (sim_key_group_is_pattern (g) && sim_key_group_matches (g, written))
        return written;
    return sim_key_group_display (g);
}

char *
sim_key_hint_key (const SimKeyGroup *const *groups, const char *group,
                  const char *key)
{
    g_autoptr (GPtrArray) same = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *full = g_strconcat (group, ".", key, NULL);
    const SimKeyGroup *own = sim_key_find_group (groups, group);
    const char *best;

    /* A key written in the wrong group is the likeliest mistake. */
    for (guint i = 0; groups[i] != NULL; i++)
        if (groups[i] != own && sim_key_group_row (groups[i], key) != NULL)
            return g_strdup_printf (" (did you mean %s.%s?)",
                                    row_group_name (groups[i], group), key);
    for (guint i = 0; groups[i] != NULL; i++) {
        for (const SimKeyRow *row = groups[i]->rows; row->key != NULL; row++) {
            g_ptr_array_add (all,
                             g_strconcat (row_group_name (groups[i], group),
                                          ".", row->key, NULL));
            if (groups[i] == own)
                g_ptr_array_add (same, g_strdup (row->key));
        }
    }
    g_ptr_array_add (same, NULL);
    g_ptr_array_add (all, NULL);
    best = sim_key_closest (key, (const char *const *) same->pdata);
    if (best != NULL)
        return g_strdup_printf (" (did you mean %s.%s?)", group, best);
    best = sim_key_closest (full, (const char *const *) all->pdata);
    if (best != NULL)
        return g_strdup_printf (" (did you mean %s?)", best);
    if (same->len > 1) {
        g_autofree char *list = g_strjoinv (", ", (char **) same->pdata);

        return g_strdup_printf (" (accepted: %s)", list);
    }
    if (own != NULL && !sim_key_group_is_pattern (own))
        return g_strdup_printf (" (accepted: no keys in [%s])", group);
    return g_strdup ("");
}

char *
sim_key_hint_group (const SimKeyGroup *const *groups, const char *group)
{
    g_autoptr (GPtrArray) cands = g_ptr_array_new_with_free_func (g_free);
    const char *dot = strchr (group, '.');
    const char *best;
    GString *acc;

    for (guint i = 0; groups[i] != NULL; i++)
        if (!sim_key_group_is_pattern (groups[i]))
            g_ptr_array_add (cands, g_strdup (groups[i]->name));
    /* "versoin.v2" is likelier a misspelt version group than anything. */
    for (guint i = 0; groups[i] != NULL; i++) {
        if (sim_key_group_is_pattern (groups[i]) && dot != NULL
            && sim_key_valid_name (dot + 1)) {
            g_autofree char *prefix = g_strndup (groups[i]->name,
                                                 strlen (groups[i]->name) - 1);

            g_ptr_array_add (cands, g_strconcat (prefix, dot + 1, NULL));
        }
    }
    g_ptr_array_add (cands, NULL);
    best = sim_key_closest (group, (const char *const *) cands->pdata);
    if (best != NULL)
        return g_strdup_printf (" (did you mean [%s]?)", best);
    acc = g_string_new (" (accepted: ");
    for (guint i = 0; groups[i] != NULL; i++)
        g_string_append_printf (acc, "%s%s", i > 0 ? ", " : "",
                                sim_key_group_display (groups[i]));
    g_string_append_c (acc, ')');
    return g_string_free (acc, FALSE);
}
