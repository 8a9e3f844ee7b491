/* profile.c - reads a rate profile CSV with libcsv.  See profile.h. */
#include <csv.h>
#include <math.h>
#include "profile.h"
#include "keytab.h"

/* The latest time a row may set, in seconds (about 31700 years): its
 * microseconds fit a SimTime with room to spare. */
#define TIME_MAX 1e12

typedef struct {
    GArray *steps; /* SimRateStep */
    const char *path;
    guint line, field;
    double time, rate;
    gboolean header_done;
    GError *error;
} ProfileReader;

static void
profile_field (void *data, size_t len, void *user)
{
    ProfileReader *pr = user;
    g_autofree char *text = g_strndup (data, len);
    char *end = NULL;
    double value;

    if (pr->error != NULL)
        return;
    g_strstrip (text);
    value = g_ascii_strtod (text, &end);
    if (pr->line == 0 && (end == text || *end != '\0')) {
        pr->header_done = TRUE; /* a header row: time_s,rate */
        pr->field++;
        return;
    }
    /* g_ascii_strtod reads "nan" and "inf" too: neither is a rate or a
     * time. */
    if (end == text || *end != '\0' || !isfinite (value) || value < 0) {
        g_set_error (&pr->error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "%s:%u: \"%s\" is not a non-negative number "
                     "(accepted: rows of time_s,rate)",
                     pr->path, pr->line + 1, text);
        return;
    }
    if (pr->field == 1 && value > 1e6) {
        g_set_error (&pr->error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "%s:%u: rate %s is above 1000000 requests/s (accepted: "
                     "rows of time_s,rate)",
                     pr->path, pr->line + 1, text);
        return;
    }
    if (pr->field == 0 && value > TIME_MAX) {
        g_set_error (&pr->error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_INVALID,
                     "%s:%u: time %s is above 1000000000000 s (accepted: "
                     "rows of time_s,rate)",
                     pr->path, pr->line + 1, text);
        return;
    }
    if (pr->field == 0)
        pr->time = value;
    else if (pr->field == 1)
        pr->rate = value;
    pr->field++;
}

static void
profile_row (int c, void *user)
{
    ProfileReader *pr = user;

    if (pr->error == NULL && !(pr->line == 0 && pr->header_done)) {
        SimRateStep step = { (SimTime) (pr->time * 1e6 + 0.5), pr->rate };

        if (pr->field != 2)
            g_set_error (&pr->error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID,
                         "%s:%u: expected 2 fields, found %u "
                         "(accepted: rows of time_s,rate)",
                         pr->path, pr->line + 1, pr->field);
        else if (pr->steps->len > 0
                 && step.time <= g_array_index (pr->steps, SimRateStep,
                                                pr->steps->len - 1)
                                     .time)
            g_set_error (&pr->error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_INVALID,
                         "%s:%u: times must increase (accepted: rows of "
                         "time_s,rate in time order)",
                         pr->path, pr->line + 1);
        else
            g_array_append_val (pr->steps, step);
    }
    pr->line++;
    pr->field = 0;
}

SimRateStep *
sim_profile_load (const char *path, gint *n_steps, GError **error)
{
    ProfileReader pr = { .path = path };
    struct csv_parser p;
    g_autofree char *text = NULL;
    g_autoptr (GError) io = NULL;
    gsize len;

    if (!g_file_get_contents (path, &text, &len, &io)) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_IO, "%s",
                     io->message);
        return NULL;
    }
    pr.steps = g_array_new (FALSE, FALSE, sizeof (SimRateStep));
    csv_init (&p, CSV_APPEND_NULL);
    if (csv_parse (&p, text, len, profile_field, profile_row, &pr) != len
        && pr.error == NULL)
        g_set_error (&pr.error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s: %s", path, csv_strerror (csv_error (&p)));
    csv_fini (&p, profile_field, profile_row, &pr);
    csv_free (&p);
    if (pr.error != NULL) {
        g_propagate_error (error, pr.error);
        g_array_unref (pr.steps);
        return NULL;
    }
    *n_steps = (gint) pr.steps->len;
    return (SimRateStep *) g_array_free (pr.steps, FALSE);
}
