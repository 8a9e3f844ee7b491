/* profile.c - reads a rate profile CSV with libcsv.  See profile.h.
 *
 * Nothing in the file is guessed at: line 1 is a header only when it is
 * exactly the names time_s,rate; every other line must be two plain
 * numbers.  A typo, a decimal comma, a third field, an unterminated
 * quote, times that do not increase, and a file with no row are errors
 * that name FILE:LINE, never a row quietly taken for a header or a
 * profile quietly ignored.
 */
#include <csv.h>
#include <math.h>
#include <string.h>
#include "profile.h"
#include "keytab.h"

/* The latest time a row may set, in seconds (about 31700 years): its
 * microseconds fit a SimTime with room to spare. */
#define TIME_MAX 1e12

#define ACCEPT \
    "accepted: rows of time_s,rate, plain numbers with a dot for " \
    "decimals; an optional header time_s,rate"

typedef struct {
    GArray *steps; /* SimRateStep */
    const char *path;
    guint line;       /* 1-based line of the row being read */
    gboolean last_cr; /* the previous row ended in CR: a LF next ends
                         the same line */
    guint field;
    char *text[2]; /* the row's first two fields, as written */
    GError *error;
} ProfileReader;

static gboolean problem (ProfileReader *pr, const char *fmt, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
problem (ProfileReader *pr, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (pr->error != NULL)
        return FALSE;
    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_set_error (&pr->error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                 "%s:%u: %s (" ACCEPT ")", pr->path, pr->line, msg);
    return FALSE;
}

static void
profile_field (void *data, size_t len, void *user)
{
    ProfileReader *pr = user;

    if (pr->field < 2)
        pr->text[pr->field] = g_strstrip (g_strndup (data, len));
    pr->field++;
}

/* A plain decimal number >= 0: what a row's fields must be.  "nan",
 * "inf", hex and a decimal comma are not. */
static gboolean
plain_number (const char *text, double *out)
{
    if (text[0] == '\0' || strspn (text, "0123456789.eE+-") != strlen (text))
        return FALSE;
    return sim_key_to_double (text, out) && *out >= 0;
}

static void
read_row (ProfileReader *pr)
{
    const char *t = pr->text[0], *r = pr->text[1];
    SimRateStep step;
    double time, rate;

    /* A blank line. */
    if (pr->field == 0 || (pr->field == 1 && t[0] == '\0'))
        return;
    if (pr->line == 1 && pr->field == 2 && g_ascii_strcasecmp (t, "time_s") == 0
        && g_ascii_strcasecmp (r, "rate") == 0)
        return; /* the header */
    if (pr->field != 2) {
        problem (pr, "expected 2 fields, found %u", pr->field);
        return;
    }
    if (!plain_number (t, &time)) {
        problem (pr, "time \"%s\" is not a number of seconds >= 0%s", t,
                 pr->line == 1 ? " (a header is time_s,rate)" : "");
        return;
    }
    if (!plain_number (r, &rate)) {
        problem (pr, "rate \"%s\" is not a number >= 0%s", r,
                 strchr (r, ',') != NULL ? " (write a dot for decimals)" : "");
        return;
    }
    if (time > TIME_MAX) {
        problem (pr, "time %s is above 1000000000000 s", t);
        return;
    }
    if (rate > 1e6) {
        problem (pr, "rate %s is above 1000000 requests/s", r);
        return;
    }
    step.time = (SimTime) (time * 1e6 + 0.5);
    step.rate = rate;
    if (pr->steps->len > 0
        && step.time
               <= g_array_index (pr->steps, SimRateStep, pr->steps->len - 1)
                      .time) {
        problem (pr, "time %s is not after the previous row's", t);
        return;
    }
    g_array_append_val (pr->steps, step);
}

/* libcsv reports every end of line (CSV_REPALL_NL), blank ones too, so
 * that pr->line is the line in the file; CR LF is one end. */
static void
profile_row (int c, void *user)
{
    ProfileReader *pr = user;
    gboolean cr_lf = c == '\n' && pr->last_cr && pr->field == 0;

    if (!cr_lf && pr->error == NULL)
        read_row (pr);
    g_clear_pointer (&pr->text[0], g_free);
    g_clear_pointer (&pr->text[1], g_free);
    pr->field = 0;
    pr->last_cr = c == '\r';
    if (!cr_lf)
        pr->line++;
}

SimRateStep *
sim_profile_load (const char *path, gint *n_steps, GError **error)
{
    ProfileReader pr = { .path = path, .line = 1 };
    struct csv_parser p;
    g_autofree char *text = NULL;
    const char *data;
    gsize len;

    text = sim_key_read_file (path, "a rate profile", SIM_KEY_FILE_MAX, &len,
                              error);
    if (text == NULL)
        return NULL;
    data = text;
    /* A UTF-8 byte-order mark, as spreadsheets write, is not text. */
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    pr.steps = g_array_new (FALSE, FALSE, sizeof (SimRateStep));
    csv_init (&p,
              CSV_APPEND_NULL | CSV_REPALL_NL | CSV_STRICT | CSV_STRICT_FINI);
    if (csv_parse (&p, data, len, profile_field, profile_row, &pr) != len
        && pr.error == NULL)
        g_set_error (&pr.error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s:%u: %s (" ACCEPT ")", path, pr.line,
                     csv_strerror (csv_error (&p)));
    if (csv_fini (&p, profile_field, profile_row, &pr) != 0 && pr.error == NULL)
        g_set_error (&pr.error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s:%u: %s (" ACCEPT ")", path, pr.line,
                     csv_error (&p) == CSV_EPARSE
                         ? "a quote is not closed"
                         : csv_strerror (csv_error (&p)));
    csv_free (&p);
    g_free (pr.text[0]);
    g_free (pr.text[1]);
    if (pr.error == NULL && pr.steps->len == 0)
        g_set_error (&pr.error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "%s: no rows: a profile needs at least one time_s,rate "
                     "row (" ACCEPT ")",
                     path);
    if (pr.error != NULL) {
        g_propagate_error (error, pr.error);
        g_array_unref (pr.steps);
        return NULL;
    }
    *n_steps = (gint) pr.steps->len;
    return (SimRateStep *) g_array_free (pr.steps, FALSE);
}
