/* report.c - writes a run's CSV files with libcsv's quoting, into a
 * temporary directory that replaces the target only when complete.  See
 * report.h.  Number formats are fixed ("%.3f" for seconds and
 * milliseconds) so outputs are byte-identical from run to run.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <csv.h>
#include "report.h"
#include "plot.h"
#include "html-report.h"

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-report-error-quark, sim_report_error)
/* clang-format on */

/* --- CSV helpers ------------------------------------------------------------ */

void
sim_report_write_row (FILE *fp, const char *const *fields, guint n)
{
    for (guint i = 0; i < n; i++) {
        const char *f = fields[i] != NULL ? fields[i] : "";

        if (i > 0)
            fputc (',', fp);
        if (strpbrk (f, ",\"\r\n") != NULL)
            csv_fwrite (fp, f, strlen (f));
        else
            fputs (f, fp);
    }
    fputc ('\n', fp);
}

/* --- Numbers as text -------------------------------------------------------- */

/* A replication's summary row is some forty numbers, a run's timeseries
 * a dozen per sample step.  Through printf each cost a format parse and,
 * for "%.3f", a multi-precision conversion: about 3,000 instructions, a
 * tenth of what a small experiment spends outside its event loops.
 * These write printf's text from integer digits in about 150; printf
 * is left only infinities and values too large for 52-bit integers. */

/* The decimal digits of @n, at least @width of them (leading zeros),
 * written backwards so that they end at @end; returns the first. */
static char *
put_digits (char *end, guint64 n, gint width)
{
    do {
        *--end = (char) ('0' + n % 10);
        n /= 10;
    } while (--width > 0 || n > 0);
    return end;
}

/* "%" G_GINT64_FORMAT (so also "%d"), newly allocated. */
static char *
int_text (gint64 n)
{
    char buf[24];
    char *p;

    buf[sizeof buf - 1] = '\0';
    p = put_digits (&buf[sizeof buf - 1], n < 0 ? -(guint64) n : (guint64) n,
                    1);
    if (n < 0)
        *--p = '-';
    return g_strdup (p);
}

/* "%" G_GUINT64_FORMAT (so also "%u"), newly allocated. */
static char *
count_text (guint64 n)
{
    char buf[24];

    buf[sizeof buf - 1] = '\0';
    return g_strdup (put_digits (&buf[sizeof buf - 1], n, 1));
}

static const guint64 powers_of_ten[] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000
};

/* "%.*f" of @value, as printf writes it, into @buf (returned); NULL for
 * what is left to printf: infinities, values of 2^52 and more once
 * scaled, more decimals than the table has.  printf rounds the exact
 * binary value at @decimals places, a tie to even; so does this, from
 * the exact product value * 10^decimals, which is the rounded product
 * plus its error (fma gives that error exactly).  The sign is printed
 * whenever it is set, as printf does: "-0.000" for -0.0001. */
static char *
fixed_text (char buf[G_ASCII_DTOSTR_BUF_SIZE], double value, gint decimals)
{
    double a = fabs (value), scale, scaled, whole, above;
    guint64 n;
    char *p;

    if (decimals < 0 || decimals >= (gint) G_N_ELEMENTS (powers_of_ten))
        return NULL;
    scale = (double) powers_of_ten[decimals];
    scaled = a * scale;
    if (!(scaled < 0x1p52))
        return NULL;
    whole = floor (scaled);
    /* The exact product less (whole + 1/2), rounded: its sign is exact.
     * scaled - whole - 0.5 is exact below 2^52; near the half, whole is
     * the exact product's floor too. */
    above = (scaled - whole - 0.5) + fma (a, scale, -scaled);
    n = (guint64) whole;
    if (above > 0 || (above == 0 && n % 2 == 1))
        n++;
    p = &buf[G_ASCII_DTOSTR_BUF_SIZE - 1];
    *p = '\0';
    if (decimals > 0) {
        p = put_digits (p, n % powers_of_ten[decimals], decimals);
        *--p = '.';
        n /= powers_of_ten[decimals];
    }
    p = put_digits (p, n, 1);
    if (signbit (value))
        *--p = '-';
    return p;
}

char *
sim_report_number (double value, gint decimals)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    char fmt[8];
    const char *text;

    if (isnan (value))
        return g_strdup ("");
    text = fixed_text (buf, value, decimals);
    if (text != NULL)
        return g_strdup (text);
    g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
    return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, value));
}

static char *
seconds (SimTime t)
{
    return t < 0 ? g_strdup ("") : sim_report_number (t / 1e6, 3);
}

/* --- events.csv ------------------------------------------------------------- */

static void
events_header (FILE *fp)
{
    static const char *const header[] = { "time_s",  "kind",  "object",
                                          "version", "value", "detail" };

    sim_report_write_row (fp, header, G_N_ELEMENTS (header));
}

static void
event_row (FILE *fp, const SimEventRow *r)
{
    g_autofree char *t = seconds (r->time);
    g_autofree char *v = r->has_value ? int_text (r->value) : g_strdup ("");
    const char *f[] = { t,         sim_event_kind_name (r->kind),
                        r->object, r->version,
                        v,         r->detail };

    sim_report_write_row (fp, f, G_N_ELEMENTS (f));
}

static void
write_events (SimWorld *w, FILE *fp)
{
    SimEventLog *log = sim_world_events (w);

    events_header (fp);
    for (guint i = 0; i < sim_event_log_len (log); i++)
        event_row (fp, sim_event_log_row (log, i));
}

/* trace.txt: the narration --trace prints, every line "t=SECONDSs ...". */
static void
write_trace (SimWorld *w, FILE *fp)
{
    sim_event_log_write_trace (sim_world_events (w), fp);
}

/* --- timeseries.csv and versions.csv ------------------------------------------ */

static void
cause_fields (GPtrArray *f, const SimCounters *c)
{
    for (gint k = 0; k < SIM_N_CAUSES; k++)
        g_ptr_array_add (f, count_text (c->cause[k]));
}

/* Append the counter fields (arrivals, ok, errors, each cause). */
static void
counter_fields (GPtrArray *f, const SimCounters *c, gboolean causes)
{
    g_ptr_array_add (f, count_text (c->arrivals));
    g_ptr_array_add (f, count_text (c->ok));
    g_ptr_array_add (f, count_text (c->errors));
    if (causes)
        cause_fields (f, c);
}

static void
write_ptr_row (FILE *fp, GPtrArray *f)
{
    sim_report_write_row (fp, (const char *const *) f->pdata, f->len);
    g_ptr_array_set_size (f, 0);
}

static void
timeseries_header (FILE *fp, GPtrArray *f)
{
    g_ptr_array_add (f, g_strdup ("time_s"));
    g_ptr_array_add (f, g_strdup ("arrivals"));
    g_ptr_array_add (f, g_strdup ("ok"));
    g_ptr_array_add (f, g_strdup ("errors"));
    for (gint k = 0; k < SIM_N_CAUSES; k++)
        g_ptr_array_add (f, g_strdup (sim_cause_name (k)));
    for (const char *const *h =
             (const char *const[]) {
                 "availability", "p50_ms", "p95_ms", "p99_ms", "pods", "ready",
                 "in_flight", "desired", "pending", "starting", "terminating",
                 "hpa_desired", "nodes", "cpu_utilization", "cpu_used", NULL };
         *h; h++)
        g_ptr_array_add (f, g_strdup (*h));
    write_ptr_row (fp, f);
}

static void
timeseries_row (FILE *fp, GPtrArray *f, const SimTimeseriesRow *r)
{
    {
        g_ptr_array_add (f, seconds (r->time));
        counter_fields (f, &r->c, TRUE);
        /* Of the requests answered in the step, the share that was ok:
         * arrivals and answers of one step differ by what is in flight
         * across its edges, so ok / arrivals could pass 1. */
        g_ptr_array_add (
            f, sim_report_number (r->c.ok + r->c.errors > 0
                                      ? (double) r->c.ok
                                            / (double) (r->c.ok + r->c.errors)
                                      : NAN,
                                  6));
        g_ptr_array_add (f, sim_report_number (r->p50_ms, 3));
        g_ptr_array_add (f, sim_report_number (r->p95_ms, 3));
        g_ptr_array_add (f, sim_report_number (r->p99_ms, 3));
        g_ptr_array_add (f, int_text (r->pods));
        g_ptr_array_add (f, int_text (r->ready));
        g_ptr_array_add (f, int_text (r->in_flight));
        g_ptr_array_add (f, int_text (r->desired));
        g_ptr_array_add (f, int_text (r->pending));
        g_ptr_array_add (f, int_text (r->starting));
        g_ptr_array_add (f, int_text (r->terminating));
        g_ptr_array_add (f, r->hpa_desired >= 0 ? int_text (r->hpa_desired)
                                                : g_strdup (""));
        g_ptr_array_add (f, int_text (r->nodes));
        g_ptr_array_add (f, sim_report_number (r->cpu_utilization, 0));
        g_ptr_array_add (f, sim_report_number (r->cpu_used, 3));
        write_ptr_row (fp, f);
    }
}

static void
write_timeseries (SimWorld *w, FILE *fp)
{
    SimMetrics *m = sim_world_metrics (w);
    g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);

    timeseries_header (fp, f);
    for (guint i = 0; i < m->timeseries->len; i++)
        timeseries_row (fp, f,
                        &g_array_index (m->timeseries, SimTimeseriesRow, i));
}

static void
versions_header (FILE *fp)
{
    static const char *const header[] = {
        "time_s",           "version",    "desired",        "pods",
        "pending",          "starting",   "ready",          "available",
        "terminating",      "endpoints",  "arrivals",       "ok",
        "errors",           "share",      "app_error",      "no_endpoint",
        "refused",          "rejected",   "killed",         "timeout",
        "preview_arrivals", "preview_ok", "preview_errors", "mirrored"
    };

    G_STATIC_ASSERT (SIM_N_CAUSES == 6);
    sim_report_write_row (fp, header, G_N_ELEMENTS (header));
}

static void
versions_row (FILE *fp, GPtrArray *f, const SimScenario *sc,
              const SimVersionRow *r)
{
    {
        g_ptr_array_add (f, seconds (r->time));
        g_ptr_array_add (f, g_strdup (sc->versions[r->version].name));
        g_ptr_array_add (f, int_text (r->desired));
        g_ptr_array_add (f, int_text (r->pods));
        g_ptr_array_add (f, int_text (r->pending));
        g_ptr_array_add (f, int_text (r->starting));
        g_ptr_array_add (f, int_text (r->ready));
        g_ptr_array_add (f, int_text (r->available));
        g_ptr_array_add (f, int_text (r->terminating));
        g_ptr_array_add (f, int_text (r->endpoints));
        counter_fields (f, &r->c, FALSE);
        g_ptr_array_add (f, sim_report_number (r->share, 6));
        cause_fields (f, &r->c);
        counter_fields (f, &r->preview, FALSE);
        g_ptr_array_add (f, count_text (r->mirrored.arrivals));
        write_ptr_row (fp, f);
    }
}

static void
write_versions (SimWorld *w, FILE *fp)
{
    const SimScenario *sc = sim_world_scenario (w);
    SimMetrics *m = sim_world_metrics (w);
    g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);

    versions_header (fp);
    for (guint i = 0; i < m->versions->len; i++)
        versions_row (fp, f, sc,
                      &g_array_index (m->versions, SimVersionRow, i));
}

/* --- Streaming: rows written as the run makes them ----------------------------- */

struct SimReportStream {
    const SimScenario *sc;
    char *dir;
    FILE *fp[4];
    char *path[4];
    GPtrArray *f; /* a row's fields, reused */
};

enum { S_EVENTS, S_TIMESERIES, S_VERSIONS, S_TRACE };
static const char *const stream_files[] = { "events.csv", "timeseries.csv",
                                            "versions.csv", "trace.txt" };

static void
stream_event (gpointer data, const SimEventRow *row)
{
    SimReportStream *st = data;

    event_row (st->fp[S_EVENTS], row);
}

static void
stream_rows (gpointer data, const SimTimeseriesRow *row,
             const SimVersionRow *versions, gint n)
{
    SimReportStream *st = data;

    timeseries_row (st->fp[S_TIMESERIES], st->f, row);
    for (gint v = 0; v < n; v++)
        versions_row (st->fp[S_VERSIONS], st->f, st->sc, &versions[v]);
}

SimReportStream *
sim_report_stream_open (SimWorld *w, SimOutput *out, GError **error)
{
    SimReportStream *st = g_new0 (SimReportStream, 1);

    st->sc = sim_world_scenario (w);
    st->f = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < G_N_ELEMENTS (stream_files); i++) {
        st->fp[i] = sim_report_open_file (sim_output_tmp (out), stream_files[i],
                                          &st->path[i], error);
        if (st->fp[i] == NULL) {
            sim_output_restate_error (out, error != NULL ? *error : NULL);
            sim_report_stream_free (st);
            return NULL;
        }
    }
    events_header (st->fp[S_EVENTS]);
    timeseries_header (st->fp[S_TIMESERIES], st->f);
    versions_header (st->fp[S_VERSIONS]);
    sim_event_log_stream (sim_world_events (w), stream_event, st,
                          st->fp[S_TRACE]);
    sim_metrics_stream (sim_world_metrics (w), stream_rows, st);
    return st;
}

/* Close the streamed files; FALSE with @error on the first that failed
 * to write. */
static gboolean
stream_close (SimReportStream *st, GError **error)
{
    gboolean ok = TRUE;

    for (guint i = 0; i < G_N_ELEMENTS (stream_files); i++) {
        if (st->fp[i] == NULL)
            continue;
        if (!sim_report_close_file (st->fp[i], st->path[i], ok ? error : NULL))
            ok = FALSE;
        st->fp[i] = NULL;
    }
    return ok;
}

void
sim_report_stream_free (SimReportStream *st)
{
    if (st == NULL)
        return;
    stream_close (st, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (stream_files); i++)
        g_free (st->path[i]);
    g_ptr_array_unref (st->f);
    g_free (st);
}

/* --- summary.csv ------------------------------------------------------------- */

static const char *const summary_header[] = {
    /* The contract's columns (docs/design.md 7), in its order ... */
    "scenario", "strategy", "seed", "rollout_start_s", "rollout_end_s",
    "rollout_duration_s", "outcome", "arrivals", "ok", "errors", "app_error",
    "no_endpoint", "refused", "rejected", "killed", "timeout", "in_flight_end",
    "availability", "mean_ms", "wait_mean_ms", "p50_ms", "p99_ms", "min_ready",
    "peak_pods", "pod_seconds", "extra_pod_seconds", "p99_ms_before",
    "p99_ms_during", "bad_version_requests", "detection_s",
    /* ... then ours, appended so positions never move. */
    "p95_ms", "wait_prob", "in_flight_mean", "unschedulable_pods",
    "preview_arrivals", "preview_ok", "preview_errors", "rollouts",
    "peak_active_pods", "peak_cpu", "peak_memory", "peak_replicas",
    "peak_nodes", "node_seconds", "bad_version_users", "peak_pods_s", NULL
};

/* The columns never left empty (sim_report_summary_values). */
static const char *const summary_always[] = { "scenario",
                                              "strategy",
                                              "seed",
                                              "outcome",
                                              "arrivals",
                                              "ok",
                                              "errors",
                                              "app_error",
                                              "no_endpoint",
                                              "refused",
                                              "rejected",
                                              "killed",
                                              "timeout",
                                              "in_flight_end",
                                              "peak_pods",
                                              "pod_seconds",
                                              "extra_pod_seconds",
                                              "bad_version_requests",
                                              "unschedulable_pods",
                                              "preview_arrivals",
                                              "preview_ok",
                                              "preview_errors",
                                              "rollouts",
                                              "peak_active_pods",
                                              "peak_cpu",
                                              "peak_memory",
                                              "peak_nodes",
                                              "node_seconds",
                                              "bad_version_users",
                                              "peak_pods_s",
                                              NULL };

const char *const *
sim_report_summary_header (void)
{
    return summary_header;
}

gboolean
sim_report_summary_always (const char *name)
{
    return g_strv_contains (summary_always, name);
}

GPtrArray *
sim_report_summary_values (SimWorld *w, const SimSummary *s)
{
    const SimScenario *sc = sim_world_scenario (w);
    GPtrArray *f = g_ptr_array_new_with_free_func (g_free);
    SimEventLog *log = sim_world_events (w);
    guint unschedulable = sim_event_log_count (log,
                                               SIM_EVENT_POD_UNSCHEDULABLE);

    g_ptr_array_add (f, g_strdup (sc->name));
    g_ptr_array_add (f, g_strdup (sc->strategy));
    g_ptr_array_add (f, count_text (sc->seed));
    g_ptr_array_add (f, seconds (s->rollout_start));
    g_ptr_array_add (f, seconds (s->rollout_end));
    g_ptr_array_add (f, s->rollout_end >= 0 && s->rollout_start >= 0
                            ? seconds (s->rollout_end - s->rollout_start)
                            : g_strdup (""));
    g_ptr_array_add (f, g_strdup (sim_outcome_name (s->outcome)));
    counter_fields (f, &s->total, TRUE);
    g_ptr_array_add (f, int_text (s->in_flight_end));
    g_ptr_array_add (f, sim_report_number (s->availability, 6));
    g_ptr_array_add (f, sim_report_number (s->mean_ms, 3));
    g_ptr_array_add (f, sim_report_number (s->wait_mean_ms, 3));
    g_ptr_array_add (f, sim_report_number (s->p50_ms, 3));
    g_ptr_array_add (f, sim_report_number (s->p99_ms, 3));
    g_ptr_array_add (f, s->min_ready >= 0 ? int_text (s->min_ready)
                                          : g_strdup (""));
    g_ptr_array_add (f, int_text (s->peak_pods));
    g_ptr_array_add (f, sim_report_number (s->pod_seconds, 3));
    g_ptr_array_add (f, sim_report_number (s->extra_pod_seconds, 3));
    g_ptr_array_add (f, sim_report_number (s->p99_ms_before, 3));
    g_ptr_array_add (f, sim_report_number (s->p99_ms_during, 3));
    g_ptr_array_add (f, count_text (s->bad_version_requests));
    g_ptr_array_add (f, sim_report_number (s->detection_s, 3));
    g_ptr_array_add (f, sim_report_number (s->p95_ms, 3));
    g_ptr_array_add (f, sim_report_number (s->wait_prob, 6));
    g_ptr_array_add (f, sim_report_number (s->in_flight_mean, 3));
    g_ptr_array_add (f, count_text (unschedulable));
    counter_fields (f, &s->preview, FALSE);
    g_ptr_array_add (f, int_text (s->rollouts));
    g_ptr_array_add (f, int_text (s->peak_active_pods));
    g_ptr_array_add (f, sim_report_number (s->peak_cpu, 3));
    g_ptr_array_add (f, int_text (s->peak_memory));
    g_ptr_array_add (f, s->peak_replicas >= 0 ? int_text (s->peak_replicas)
                                              : g_strdup (""));
    g_ptr_array_add (f, int_text (s->peak_nodes));
    g_ptr_array_add (f, sim_report_number (s->node_seconds, 3));
    g_ptr_array_add (f, count_text (s->bad_version_users));
    g_ptr_array_add (f, sim_report_number (s->peak_pods_s, 3));
    g_assert (f->len == g_strv_length ((char **) summary_header));
    return f;
}

static void
write_summary (SimWorld *w, const SimSummary *s, FILE *fp)
{
    g_autoptr (GPtrArray) f = sim_report_summary_values (w, s);

    sim_report_write_row (fp, summary_header,
                          g_strv_length ((char **) summary_header));
    sim_report_write_row (fp, (const char *const *) f->pdata, f->len);
}

/* --- Writing --------------------------------------------------------------------- */

gboolean
sim_report_check_gnuplot (GError **error)
{
    const char *argv[] = { "gnuplot", "-e", "set terminal pngcairo", NULL };
    g_autofree char *err_text = NULL;
    g_autoptr (GError) local = NULL;
    gint status = 0;

    if (!sim_output_spawn (NULL, argv, &err_text, &status, &local)) {
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO,
                     "cannot run gnuplot (install gnuplot-nox, or pass "
                     "--no-plots): %s",
                     local->message);
        return FALSE;
    }
    if (!g_spawn_check_wait_status (status, NULL)) {
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO,
                     "gnuplot cannot draw PNGs (install gnuplot-nox, or "
                     "pass --no-plots): %s",
                     g_strstrip (err_text));
        return FALSE;
    }
    return TRUE;
}

FILE *
sim_report_open_file (const char *dir, const char *name, char **path,
                      GError **error)
{
    FILE *fp;

    *path = g_build_filename (dir, name, NULL);
    fp = fopen (*path, "w");
    if (fp == NULL) {
        int e = errno;

        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s: %s",
                     *path, g_strerror (e));
    }
    return fp;
}

gboolean
sim_report_close_file (FILE *fp, const char *path, GError **error)
{
    gboolean ok = !ferror (fp);
    int saved;

    /* errno of the failed write (a full disk, or past `ulimit -f`:
     * EFBIG), or of the close that flushed it. */
    saved = ok ? 0 : errno;
    if (fclose (fp) != 0) {
        ok = FALSE;
        saved = errno;
    }
    if (!ok)
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO,
                     "%s: write failed: %s", path,
                     saved != 0 ? g_strerror (saved) : "unknown error");
    return ok;
}

gboolean
sim_report_make_dir (const char *path, GError **error)
{
    /* Not with its parents: a directory removed on a signal is not made
     * again (output.h). */
    if (g_mkdir (path, 0755) != 0) {
        int e = errno;

        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO, "%s: %s",
                     path, g_strerror (e));
        return FALSE;
    }
    return TRUE;
}

typedef void (*Writer) (SimWorld *w, FILE *fp);

static gboolean
write_file (const char *dir, const char *name, SimWorld *w, const SimSummary *s,
            Writer writer, GError **error)
{
    g_autofree char *path = NULL;
    FILE *fp = sim_report_open_file (dir, name, &path, error);

    if (fp == NULL)
        return FALSE;
    if (writer != NULL)
        writer (w, fp);
    else
        write_summary (w, s, fp);
    return sim_report_close_file (fp, path, error);
}

gboolean
sim_report_write (SimWorld *w, SimOutput *out, gboolean plots, GError **error)
{
    return sim_report_write_full (w, out, plots, TRUE, NULL, error);
}

gboolean
sim_report_write_full (SimWorld *w, SimOutput *out, gboolean plots,
                       gboolean html, SimReportStream *stream, GError **error)
{
    const char *tmp = sim_output_tmp (out);
    g_autofree char *ini = NULL;
    g_autofree char *ini_path = NULL;
    SimSummary s;

    sim_world_summary (w, &s);
    ini = sim_scenario_to_ini (sim_world_scenario (w));
    ini_path = g_build_filename (tmp, "scenario.ini", NULL);
    if (!g_file_set_contents (ini_path, ini, -1, NULL)) {
        g_set_error (error, SIM_REPORT_ERROR, SIM_REPORT_ERROR_IO,
                     "%s/scenario.ini: cannot write", sim_output_dir (out));
        return FALSE;
    }
    if ((stream != NULL
             ? !stream_close (stream, error)
             : (!write_file (tmp, "events.csv", w, &s, write_events, error)
                || !write_file (tmp, "timeseries.csv", w, &s, write_timeseries,
                                error)
                || !write_file (tmp, "versions.csv", w, &s, write_versions,
                                error)))
        || !write_file (tmp, "summary.csv", w, &s, NULL, error)
        || (stream == NULL
            && !write_file (tmp, "trace.txt", w, &s, write_trace, error))
        || (plots && !sim_plot_draw (tmp, error))
        || (html && !sim_html_report_write (tmp, error))) {
        sim_output_restate_error (out, error != NULL ? *error : NULL);
        return FALSE;
    }
    return sim_output_commit (out, error);
}
