/* html-report.c - report.html of a run, compare or sweep directory.
 * See html-report.h; the page's look and script are report/report.css
 * and report/report.js, compiled in.
 */
#define _POSIX_C_SOURCE 200809L /* O_NOFOLLOW, O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "html-report.h"
#include "csv-table.h"
#include "plot.h"

/* clang-format off */
G_DEFINE_QUARK (sim-html-report-error-quark, sim_html_report_error)
/* clang-format on */

extern const char sim_report_css_text[];
extern const char sim_report_js_text[];

/* What a page shows at most: a run's timeline can be long. */
#define MAX_EVENTS 200000
#define MAX_TRACE_BYTES (48u << 20)
#define MAX_TEXT_BYTES (4u << 20)
#define MAX_IMAGE_BYTES (32u << 20)

/* --- Reading what DIR holds, never through a link ------------------------- */

/* @dir/@name, a regular file that is not a link, up to @max bytes
 * (*@cut: it was longer).  NULL when it is missing or not such a file. */
static char *
read_file (const char *dir, const char *name, gsize max, gsize *len,
           gboolean *cut)
{
    g_autofree char *path = g_build_filename (dir, name, NULL);
    int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    GString *text;
    char buf[65536];
    ssize_t got;

    if (cut != NULL)
        *cut = FALSE;
    if (fd < 0)
        return NULL;
    if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
        close (fd);
        return NULL;
    }
    text = g_string_new (NULL);
    while ((got = read (fd, buf, sizeof buf)) > 0) {
        if (text->len + (gsize) got > max) {
            g_string_append_len (text, buf, (gssize) (max - text->len));
            if (cut != NULL)
                *cut = TRUE;
            break;
        }
        g_string_append_len (text, buf, got);
    }
    close (fd);
    if (len != NULL)
        *len = text->len;
    return g_string_free (text, FALSE);
}

/* --- Escaping -------------------------------------------------------------- */

/* @s as HTML text or attribute value: valid UTF-8, no markup, no control
 * character but newline and tab. */
static void
esc (GString *o, const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);

    for (const char *p = valid; *p != '\0'; p++) {
        switch (*p) {
        case '&':
            g_string_append (o, "&amp;");
            break;
        case '<':
            g_string_append (o, "&lt;");
            break;
        case '>':
            g_string_append (o, "&gt;");
            break;
        case '"':
            g_string_append (o, "&quot;");
            break;
        case '\'':
            g_string_append (o, "&#39;");
            break;
        default:
            if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t')
                g_string_append (o, "\xef\xbf\xbd");
            else
                g_string_append_c (o, *p);
        }
    }
}

/* @s as a JSON string for a <script type="application/json"> block:
 * nothing in it can end the block ('<' is \u003c) or the string. */
static void
json_str (GString *o, const char *s)
{
    g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);

    g_string_append_c (o, '"');
    for (const char *p = valid; *p != '\0'; p++) {
        guchar c = (guchar) *p;

        if (c == '"' || c == '\\') {
            g_string_append_c (o, '\\');
            g_string_append_c (o, (char) c);
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            g_string_append_printf (o, "\\u%04x", c);
        } else if (c == 0xe2 && (guchar) p[1] == 0x80
                   && ((guchar) p[2] == 0xa8 || (guchar) p[2] == 0xa9)) {
            /* U+2028, U+2029: line ends to older JavaScript. */
            g_string_append_printf (o, "\\u20%s",
                                    (guchar) p[2] == 0xa8 ? "28" : "29");
            p += 2;
        } else {
            g_string_append_c (o, (char) c);
        }
    }
    g_string_append_c (o, '"');
}

/* A plain decimal as a run writes it (digits, one point, a sign). */
static gboolean
number (const char *text, double *out)
{
    char *end = NULL;

    if (text == NULL || *text == '\0'
        || strspn (text, "0123456789.-") != strlen (text) || strlen (text) > 30)
        return FALSE;
    *out = g_ascii_strtod (text, &end);
    return end != NULL && *end == '\0' && isfinite (*out);
}

static void
json_num (GString *o, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append (o, g_ascii_formatd (buf, sizeof buf, "%.3f", v));
}

/* --- The page's frame ------------------------------------------------------ */

static void
page_head (GString *o, const char *title)
{
    g_string_append (
        o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
           "charset=\"utf-8\">\n"
           /* Nothing may be fetched: images are data: URIs, the style
            * and the script are in the page. */
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
           "'none'; img-src data:; style-src 'unsafe-inline'; script-src "
           "'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\">\n<title>");
    esc (o, title);
    g_string_append (o, "</title>\n<style>\n");
    g_string_append (o, sim_report_css_text);
    g_string_append (o, "</style>\n</head>\n<body>\n");
}

static void
page_foot (GString *o)
{
    g_string_append (o, "<footer>Written by rollsim " ROLLSIM_VERSION
                        " from the files of this directory (rollsim "
                        "report DIR draws it again).</footer>\n");
    g_string_append (o, "<script>\n");
    g_string_append (o, sim_report_js_text);
    g_string_append (o, "</script>\n</body>\n</html>\n");
}

/* A section of preformatted text from @name, escaped. */
static void
text_section (GString *o, const char *dir, const char *id, const char *title,
              const char *name)
{
    gboolean cut;
    g_autofree char *text = read_file (dir, name, MAX_TEXT_BYTES, NULL, &cut);

    g_string_append_printf (o, "<section id=\"%s\">\n<h2>%s</h2>\n", id, title);
    if (text == NULL) {
        g_string_append_printf (o, "<p class=\"note\">No %s here.</p>\n", name);
    } else {
        g_string_append_printf (o, "<p class=\"note\">%s%s</p>\n<pre>", name,
                                cut ? " (its first 4 MiB)" : "");
        esc (o, text);
        g_string_append (o, "</pre>\n");
    }
    g_string_append (o, "</section>\n");
}

/* plots/NAME.svg (or .png) as an image in the page. */
static gboolean
figure (GString *o, const char *dir, const char *name, const char *caption)
{
    static const char *const types[][2] = { { "svg", "image/svg+xml" },
                                            { "png", "image/png" } };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++) {
        g_autofree char *file = g_strdup_printf ("plots/%s.%s", name,
                                                 types[i][0]);
        gboolean cut;
        gsize len;
        g_autofree char *data = read_file (dir, file, MAX_IMAGE_BYTES, &len,
                                           &cut);
        g_autofree char *b64 = NULL;

        if (data == NULL || cut || len == 0)
            continue;
        b64 = g_base64_encode ((const guchar *) data, len);
        g_string_append_printf (o,
                                "<figure data-plot=\"%s\">\n<img alt=\"%s\" "
                                "src=\"data:%s;base64,",
                                name, caption, types[i][1]);
        g_string_append (o, b64);
        g_string_append_printf (o,
                                "\">\n<figcaption>%s (plots/%s.%s)"
                                "</figcaption>\n</figure>\n",
                                caption, name, types[i][0]);
        return TRUE;
    }
    return FALSE;
}

/* A small CSV file as a table, every cell escaped; @keep (NULL: all)
 * names the columns shown. */
static void
csv_table (GString *o, const char *dir, const char *name,
           const char *const *keep)
{
    gsize len;
    g_autofree char *text = read_file (dir, name, MAX_TEXT_BYTES, &len, NULL);
    g_autoptr (SimCsvTable) t = NULL;
    g_autoptr (GArray) cols = g_array_new (FALSE, FALSE, sizeof (gint));

    if (text != NULL)
        t = sim_csv_table_parse (name, text, len, NULL);
    if (t == NULL) {
        g_string_append_printf (o, "<p class=\"note\">No readable %s.</p>\n",
                                name);
        return;
    }
    for (guint c = 0; c < t->header->len; c++) {
        const char *h = g_ptr_array_index (t->header, c);
        gint ci = (gint) c;

        if (keep == NULL || g_strv_contains (keep, h))
            g_array_append_val (cols, ci);
    }
    g_string_append (o, "<div class=\"scroll\"><table>\n<thead><tr>");
    for (guint c = 0; c < cols->len; c++) {
        g_string_append (o, "<th>");
        esc (o, g_ptr_array_index (t->header, g_array_index (cols, gint, c)));
        g_string_append (o, "</th>");
    }
    g_string_append (o, "</tr></thead>\n<tbody>\n");
    for (guint r = 0; r < t->rows->len && r < 5000; r++) {
        g_string_append (o, "<tr>");
        for (guint c = 0; c < cols->len; c++) {
            const char *cell = sim_csv_table_cell (
                t, r, g_array_index (cols, gint, c));
            double v;

            g_string_append (o,
                             number (cell, &v) ? "<td class=\"num\">" : "<td>");
            esc (o, cell);
            g_string_append (o, "</td>");
        }
        g_string_append (o, "</tr>\n");
    }
    g_string_append (o, "</tbody></table></div>\n");
}

/* --- A run ----------------------------------------------------------------- */

typedef struct {
    GPtrArray *versions; /* char*: the first time's, in order */
    char *first_time;
    gboolean names_done;
    double end;
    gint time_col, version_col;
} Versions;

static gboolean
versions_row (const SimCsvTable *t, gpointer user, GError **error)
{
    Versions *v = user;
    const char *time = sim_csv_table_cell (t, 0, v->time_col);
    const char *name = sim_csv_table_cell (t, 0, v->version_col);
    double d;

    if (v->first_time == NULL)
        v->first_time = g_strdup (time);
    if (!v->names_done && strcmp (time, v->first_time) != 0)
        v->names_done = TRUE;
    if (!v->names_done && v->versions->len < 64)
        g_ptr_array_add (v->versions, g_strdup (name));
    if (number (time, &d))
        v->end = MAX (v->end, d);
    return TRUE;
}

/* The versions in versions.csv's order (the plots' colours) and the
 * last time. */
static gboolean
read_versions (const char *dir, Versions *v, GError **error)
{
    g_autofree char *path = g_build_filename (dir, "versions.csv", NULL);
    g_autoptr (SimCsvTable) head = NULL;
    g_autoptr (SimCsvTable) t = NULL;
    gsize len;
    g_autofree char *first = read_file (dir, "versions.csv", 4096, &len, NULL);

    /* The header first, for the columns. */
    if (first != NULL) {
        char *nl = memchr (first, '\n', len);

        if (nl != NULL)
            head = sim_csv_table_parse ("versions.csv", first,
                                        (gsize) (nl - first) + 1, NULL);
    }
    if (head == NULL
        || (v->time_col = sim_csv_table_column (head, "time_s")) < 0
        || (v->version_col = sim_csv_table_column (head, "version")) < 0) {
        g_set_error (error, SIM_HTML_REPORT_ERROR, SIM_HTML_REPORT_ERROR_DATA,
                     "%s/versions.csv: not a run's (no time_s and version "
                     "columns, or a link)",
                     dir);
        return FALSE;
    }
    t = sim_csv_table_stream (path, versions_row, v, error);
    return t != NULL;
}

typedef struct {
    GString *o;
    GPtrArray *kinds; /* char* */
    gint col[6];
    guint64 rows, shown, skipped;
} Events;

static gboolean
events_row (const SimCsvTable *t, gpointer user, GError **error)
{
    Events *e = user;
    const char *kind = sim_csv_table_cell (t, 0, e->col[1]);
    const char *value = sim_csv_table_cell (t, 0, e->col[4]);
    double time, v;
    guint k;

    e->rows++;
    if (e->shown >= MAX_EVENTS)
        return TRUE;
    if (!number (sim_csv_table_cell (t, 0, e->col[0]), &time) || time < 0) {
        e->skipped++;
        return TRUE;
    }
    for (k = 0; k < e->kinds->len; k++)
        if (strcmp (g_ptr_array_index (e->kinds, k), kind) == 0)
            break;
    if (k == e->kinds->len) {
        if (e->kinds->len >= 256) {
            e->skipped++;
            return TRUE;
        }
        g_ptr_array_add (e->kinds, g_strdup (kind));
    }
    g_string_append (e->o, e->shown > 0 ? ",\n[" : "\n[");
    json_num (e->o, time);
    g_string_append_printf (e->o, ",%u,", k);
    json_str (e->o, sim_csv_table_cell (t, 0, e->col[2]));
    g_string_append_c (e->o, ',');
    json_str (e->o, sim_csv_table_cell (t, 0, e->col[3]));
    g_string_append_c (e->o, ',');
    if (number (value, &v) && v == floor (v) && fabs (v) < 1e15)
        g_string_append_printf (e->o, "%.0f", v);
    else
        g_string_append (e->o, "null");
    g_string_append_c (e->o, ',');
    json_str (e->o, sim_csv_table_cell (t, 0, e->col[5]));
    g_string_append_c (e->o, ']');
    e->shown++;
    return TRUE;
}

/* "events":[...],"kinds":[...] from events.csv. */
static gboolean
json_events (GString *o, const char *dir, Events *e, GError **error)
{
    static const char *const names[] = { "time_s",  "kind",  "object",
                                         "version", "value", "detail" };
    g_autofree char *path = g_build_filename (dir, "events.csv", NULL);
    gsize len;
    g_autofree char *first = read_file (dir, "events.csv", 4096, &len, NULL);
    g_autoptr (SimCsvTable) head = NULL;
    g_autoptr (SimCsvTable) t = NULL;
    char *nl = first != NULL ? memchr (first, '\n', len) : NULL;

    if (nl != NULL)
        head = sim_csv_table_parse ("events.csv", first,
                                    (gsize) (nl - first) + 1, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (head == NULL
            || (e->col[i] = sim_csv_table_column (head, names[i])) < 0) {
            g_set_error (error, SIM_HTML_REPORT_ERROR,
                         SIM_HTML_REPORT_ERROR_DATA,
                         "%s/events.csv: not a run's (no column %s, or a "
                         "link)",
                         dir, names[i]);
            return FALSE;
        }
    e->o = o;
    g_string_append (o, "\"events\":[");
    t = sim_csv_table_stream (path, events_row, e, error);
    if (t == NULL)
        return FALSE;
    g_string_append (o, "],\n\"kinds\":[");
    for (guint k = 0; k < e->kinds->len; k++) {
        if (k > 0)
            g_string_append_c (o, ',');
        json_str (o, g_ptr_array_index (e->kinds, k));
    }
    g_string_append (o, "]");
    return TRUE;
}

/* "trace":[[t,"line"],...] from trace.txt's "t=SECONDSs TEXT" lines. */
static void
json_trace (GString *o, const char *dir)
{
    gsize len;
    g_autofree char *text = read_file (dir, "trace.txt", MAX_TRACE_BYTES, &len,
                                       NULL);
    gboolean first = TRUE;

    g_string_append (o, "\"trace\":[");
    for (char *p = text, *end = text + (text != NULL ? len : 0);
         p != NULL && p < end;) {
        char *nl = memchr (p, '\n', (gsize) (end - p));
        char *line_end = nl != NULL ? nl : end;
        char *s;
        double t;

        *line_end = '\0';
        s = strchr (p, 's');
        if (g_str_has_prefix (p, "t=") && s != NULL && s[1] == ' ') {
            *s = '\0';
            if (number (p + 2, &t)) {
                g_string_append (o, first ? "\n[" : ",\n[");
                json_num (o, t);
                g_string_append_c (o, ',');
                json_str (o, s + 2);
                g_string_append_c (o, ']');
                first = FALSE;
            }
        }
        p = line_end + 1;
    }
    g_string_append (o, "]");
}

/* The number of nodes the run began with ([cluster] nodes), 0 if unsure. */
static gint
initial_nodes (GKeyFile *kf)
{
    g_autofree char *v = kf != NULL ? g_key_file_get_value (kf, "cluster",
                                                            "nodes", NULL)
                                    : NULL;
    double n;

    if (v == NULL)
        return 0;
    g_strstrip (v);
    return number (v, &n) && n >= 0 && n <= 5000 && n == floor (n) ? (gint) n
                                                                   : 0;
}

/* One verdict card: @value shown as it is (escaped), with a note. */
static void
card (GString *o, const char *cls, const char *label, const char *value,
      const char *sub)
{
    g_string_append_printf (o, "<div class=\"card%s%s\" data-card=\"",
                            cls != NULL ? " " : "", cls != NULL ? cls : "");
    esc (o, label);
    g_string_append (o, "\"><div class=\"label\">");
    esc (o, label);
    g_string_append (o, "</div><div class=\"value\">");
    esc (o, value);
    g_string_append (o, "</div>");
    if (sub != NULL && *sub != '\0') {
        g_string_append (o, "<div class=\"sub\">");
        esc (o, sub);
        g_string_append (o, "</div>");
    }
    g_string_append (o, "</div>\n");
}

/* Summary cell @name, "" when missing. */
static const char *
cell (const SimCsvTable *t, const char *name)
{
    if (t == NULL || t->rows->len == 0)
        return "";
    return sim_csv_table_cell (t, 0, sim_csv_table_column (t, name));
}

static void
verdict (GString *o, const SimCsvTable *s)
{
    static const char *const causes[] = {
        "app_error", "no_endpoint", "refused", "rejected", "killed", "timeout"
    };
    const char *outcome = cell (s, "outcome");
    g_autofree char *cls = NULL;
    g_autoptr (GString) by = g_string_new (NULL);
    g_autofree char *a = NULL, *b = NULL;
    double v, w;

    g_string_append (o, "<section id=\"verdict\">\n<h2>Verdict</h2>\n"
                        "<div class=\"cards\">\n");
    if (strspn (outcome, "abcdefghijklmnopqrstuvwxyz") == strlen (outcome))
        cls = g_strdup_printf ("outcome-%s", outcome);
    a = number (cell (s, "rollout_start_s"), &v)
            ? g_strdup_printf ("from %.3f s", v)
            : g_strdup ("");
    card (o, cls, "outcome", *outcome != '\0' ? outcome : "?", a);
    g_clear_pointer (&a, g_free);
    if (number (cell (s, "rollout_duration_s"), &v)) {
        a = g_strdup_printf ("%.3f s", v);
        b = g_strdup_printf ("%s s to %s s", cell (s, "rollout_start_s"),
                             cell (s, "rollout_end_s"));
        card (o, NULL, "rollout duration", a, b);
    } else {
        card (o, NULL, "rollout duration", "did not end",
              "no rollout, or it did not complete");
    }
    g_clear_pointer (&a, g_free);
    g_clear_pointer (&b, g_free);
    b = g_strdup_printf ("%s not terminating; %s pod-seconds above replicas",
                         cell (s, "peak_active_pods"),
                         cell (s, "extra_pod_seconds"));
    card (o, NULL, "peak pods", cell (s, "peak_pods"), b);
    g_clear_pointer (&b, g_free);
    a = g_strdup_printf ("%s cores", cell (s, "peak_cpu"));
    b = number (cell (s, "peak_memory"), &v)
            ? g_strdup_printf ("%.0f MiB requested at the peak", v / 1048576.0)
            : g_strdup ("");
    card (o, NULL, "peak CPU", a, b);
    g_clear_pointer (&a, g_free);
    g_clear_pointer (&b, g_free);
    for (guint k = 0; k < G_N_ELEMENTS (causes); k++)
        if (number (cell (s, causes[k]), &v) && v > 0)
            g_string_append_printf (by, "%s%s %s", by->len > 0 ? ", " : "",
                                    causes[k], cell (s, causes[k]));
    a = g_strdup_printf ("%s of %s requests", cell (s, "errors"),
                         cell (s, "arrivals"));
    card (o, NULL, "errors", a, by->len > 0 ? by->str : "none");
    g_clear_pointer (&a, g_free);
    if (number (cell (s, "availability"), &v))
        a = g_strdup_printf ("%.3f %%", 100 * v);
    card (o, NULL, "availability", a != NULL ? a : "-",
          "ok / arrivals over the run");
    g_clear_pointer (&a, g_free);
    b = g_strdup_printf ("%s requests answered by a version other than the "
                         "first",
                         cell (s, "bad_version_requests"));
    card (o, NULL, "users who hit the new version",
          cell (s, "bad_version_users"), b);
    g_clear_pointer (&b, g_free);
    if (number (cell (s, "detection_s"), &v)) {
        a = g_strdup_printf ("%.3f s", v);
        card (o, NULL, "detection time", a,
              "from the new version's first answer to the abort");
    } else {
        card (o, NULL, "detection time", "-", "nothing was aborted");
    }
    g_clear_pointer (&a, g_free);
    if (number (cell (s, "p99_ms_before"), &v)
        && number (cell (s, "p99_ms_during"), &w))
        a = g_strdup_printf ("%.1f ms -> %.1f ms", v, w);
    card (o, NULL, "p99 latency before -> during", a != NULL ? a : "-",
          "successful requests");
    g_string_append (o, "</div>\n</section>\n");
}

static const char *const run_plots[][2] = {
    { "pods", "Pods per version over the run" },
    { "pods-rollout", "Pods per version, zoomed on the rollout" },
    { "traffic", "Traffic share, request rate and errors per second" },
    { "errors", "Errors by cause" },
    { "latency", "Latency of successful requests" },
    { "scaling", "What the autoscalers did" },
};

static gboolean
run_page (GString *o, const char *dir, GError **error)
{
    Versions v = {
        g_ptr_array_new_with_free_func (g_free), NULL, FALSE, 0, 0, 0
    };
    Events e = {
        NULL, g_ptr_array_new_with_free_func (g_free), { 0 }, 0, 0, 0
    };
    gsize len;
    g_autofree char *summary_text = read_file (dir, "summary.csv", 1 << 20,
                                               &len, NULL);
    g_autoptr (SimCsvTable) s = NULL;
    g_autofree char *ini = read_file (dir, "scenario.ini", MAX_TEXT_BYTES, NULL,
                                      NULL);
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    g_autofree char *desc = NULL;
    g_autoptr (GString) json = g_string_new ("{");
    g_autoptr (GString) title = g_string_new ("rollsim: ");
    gint nodes;
    gboolean ok = TRUE, any_plot = FALSE;

    if (summary_text != NULL)
        s = sim_csv_table_parse ("summary.csv", summary_text, len, NULL);
    if (ini == NULL || !g_key_file_load_from_data (kf, ini, -1, 0, NULL))
        g_clear_pointer (&kf, g_key_file_unref);
    if (kf != NULL)
        desc = g_key_file_get_value (kf, "scenario", "description", NULL);
    nodes = initial_nodes (kf);
    ok = read_versions (dir, &v, error) && json_events (json, dir, &e, error);
    if (ok) {
        g_string_append (json, ",\n");
        json_trace (json, dir);
        g_string_append (json, ",\n\"end\":");
        json_num (json, v.end);
        g_string_append (json, ",\n\"versions\":[");
        for (guint i = 0; i < v.versions->len; i++) {
            if (i > 0)
                g_string_append_c (json, ',');
            json_str (json, g_ptr_array_index (v.versions, i));
        }
        g_string_append (json, "],\n\"colours\":[");
        for (guint i = 0; i < 8; i++)
            g_string_append_printf (json, "%s\"%s\"", i > 0 ? "," : "",
                                    sim_plot_version_colour (i));
        g_string_append (json, "],\n\"nodes\":[");
        for (gint i = 0; i < nodes; i++)
            g_string_append_printf (json, "%s\"node-%d\"", i > 0 ? "," : "",
                                    i + 1);
        g_string_append (json, "]}");
    }
    if (!ok)
        goto out;

    g_string_append (title, *cell (s, "scenario") != '\0' ? cell (s, "scenario")
                                                          : "run");
    page_head (o, title->str);
    g_string_append (o, "<header>\n<h1>");
    esc (o, title->str);
    g_string_append (o, "</h1>\n");
    if (desc != NULL) {
        g_string_append (o, "<p class=\"desc\">");
        esc (o, g_strstrip (desc));
        g_string_append (o, "</p>\n");
    }
    g_string_append (o, "<p class=\"meta\">strategy ");
    esc (o, cell (s, "strategy"));
    g_string_append (o, ", seed ");
    esc (o, cell (s, "seed"));
    g_string_append (o, ", ");
    json_num (o, v.end);
    g_string_append (o, " s simulated</p>\n</header>\n<nav><ul>"
                        "<li><a href=\"#verdict\">Verdict</a></li>"
                        "<li><a href=\"#replay\">Replay</a></li>"
                        "<li><a href=\"#plots\">Plots</a></li>"
                        "<li><a href=\"#events\">Events</a></li>"
                        "<li><a href=\"#scenario\">Scenario</a></li>"
                        "</ul></nav>\n<main>\n");
    verdict (o, s);

    /* The replay: the script fills it (report.js). */
    g_string_append (
        o, "<section id=\"replay\">\n<h2>Replay</h2>\n"
           "<p class=\"note\">The cluster at the time the slider shows, from "
           "events.csv: every event at or before it. A link to this page "
           "ending in <code>#t=42.5</code> opens it at 42.5 s.</p>\n");
    /* Past the rows the page holds, the board would stand still
     * without a word: say so where it is seen. */
    if (e.shown < e.rows)
        g_string_append_printf (o,
                                "<p class=\"note warn\">This page holds the "
                                "first %" G_GUINT64_FORMAT
                                " of the %" G_GUINT64_FORMAT
                                " rows of events.csv: after "
                                "the last of them the board stops changing. "
                                "events.csv has them all.</p>\n",
                                e.shown, e.rows);
    g_string_append (
        o, "<div class=\"controls\"><button id=\"play\" "
           "type=\"button\">Play</button><button id=\"prev-event\" "
           "type=\"button\" title=\"previous event\">&#9664;</button><button "
           "id=\"next-event\" type=\"button\" title=\"next "
           "event\">&#9654;</button><input id=\"slider\" type=\"range\" "
           "min=\"0\" max=\"");
    json_num (o, v.end);
    g_string_append (
        o, "\" step=\"0.001\" value=\"0\" aria-label=\"time in seconds\">"
           "<output id=\"clock\">0.000 s</output><label>speed <select "
           "id=\"speed\"><option value=\"1\">1x</option><option "
           "value=\"2\">2x</option><option value=\"5\">5x</option><option "
           "value=\"10\">10x</option><option value=\"30\">30x</option>"
           "<option value=\"100\">100x</option><option "
           "value=\"1000\">1000x</option><option "
           "value=\"10000\">10000x</option></select></label></div>\n"
           "<div id=\"narration\" class=\"narration\" "
           "aria-live=\"polite\"></div>\n"
           "<div class=\"cluster\"><div id=\"services\"></div>"
           "<table id=\"replicasets\"><thead><tr><th>version</th>"
           "<th>ReplicaSets</th><th class=\"num\">desired</th><th "
           "class=\"num\">pods</th><th class=\"num\">ready</th><th "
           "class=\"num\">available</th><th "
           "class=\"num\">terminating</th></tr></thead><tbody></tbody>"
           "</table></div>\n<div id=\"board\"></div>\n"
           "<div class=\"legend\"><span><span class=\"pod\" "
           "data-state=\"pending\"></span>pending</span><span><span "
           "class=\"pod\" data-state=\"pulling\"></span>pulling</span>"
           "<span><span class=\"pod\" "
           "data-state=\"starting\"></span>starting</span><span><span "
           "class=\"pod\" "
           "data-state=\"crash-backoff\"></span>crash-backoff</span>"
           "<span><span class=\"pod\" "
           "data-state=\"not-ready\"></span>not ready</span><span><span "
           "class=\"pod\" data-state=\"ready\"></span>ready</span><span>"
           "<span class=\"pod\" "
           "data-state=\"available\"></span>available</span><span><span "
           "class=\"pod\" "
           "data-state=\"terminating\"></span>terminating</span><span>"
           "<span class=\"pod\" data-state=\"ready\" "
           "data-endpoint=\"true\"></span>in the load balancers</span>"
           "<span>colour: version</span></div>\n</section>\n");

    g_string_append (o, "<section id=\"plots\">\n<h2>Plots</h2>\n");
    for (guint i = 0; i < G_N_ELEMENTS (run_plots); i++)
        any_plot |= figure (o, dir, run_plots[i][0], run_plots[i][1]);
    if (!any_plot)
        g_string_append (o, "<p class=\"note\">No plots were drawn "
                            "(--no-plots); rollsim report DIR draws them "
                            "and this page again.</p>\n");
    g_string_append (o, "</section>\n");

    g_string_append (o, "<section id=\"events\">\n<h2>Events</h2>\n"
                        "<div class=\"filters\"><label>kind <select "
                        "id=\"kind-filter\"><option "
                        "value=\"\">all</option></select></label><label>"
                        "object or version <input id=\"object-filter\" "
                        "type=\"search\" placeholder=\"hello2-1, node-2, "
                        "...\"></label><span id=\"event-count\" "
                        "class=\"note\"></span></div>\n");
    if (e.shown < e.rows || e.skipped > 0)
        g_string_append_printf (o,
                                "<p class=\"note\">%" G_GUINT64_FORMAT
                                " of the %" G_GUINT64_FORMAT
                                " rows of events.csv are here.</p>\n",
                                e.shown, e.rows);
    g_string_append (o, "<div class=\"scroll\"><table id=\"events-table\">"
                        "<thead><tr><th class=\"num\">time (s)</th>"
                        "<th>kind</th><th>object</th><th>version</th>"
                        "<th class=\"num\">value</th><th>detail</th></tr>"
                        "</thead><tbody></tbody></table></div>\n"
                        "<p><button id=\"more-events\" type=\"button\" "
                        "hidden>show more</button></p>\n</section>\n");
    text_section (o, dir, "scenario", "Scenario (as resolved)", "scenario.ini");
    g_string_append (o, "</main>\n<script type=\"application/json\" "
                        "id=\"rollsim-data\">");
    g_string_append_len (o, json->str, (gssize) json->len);
    g_string_append (o, "</script>\n");
    page_foot (o);
out:
    g_ptr_array_unref (v.versions);
    g_free (v.first_time);
    g_ptr_array_unref (e.kinds);
    return ok;
}

/* --- compare and sweep ----------------------------------------------------- */

/* g_ptr_array_sort passes pointers to the elements. */
static gint
by_name (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The variants as a reader wants them: the variant (or the sweep's
 * keys), the replications, the outcomes, then "mean +- half-width" of
 * the metrics that answer the first questions. */
static void
variants_table (GString *o, const SimCsvTable *t, gboolean compare)
{
    static const char *const metrics[][2] = {
        { "rollout_duration_s", "rollout (s)" },
        { "errors", "errors" },
        { "availability", "availability" },
        { "bad_version_users", "users on the new version" },
        { "detection_s", "detection (s)" },
        { "peak_pods", "peak pods" },
        { "pod_seconds", "pod-seconds" },
        { "p99_ms", "p99 (ms)" },
    };
    static const char *const outcomes[] = { "completed", "aborted", "stalled",
                                            "unfinished" };
    g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint));

    for (guint c = 0; c < t->header->len; c++) {
        const char *h = g_ptr_array_index (t->header, c);
        gint ci = (gint) c;

        if (strcmp (h, compare ? "variant" : "replications") == 0) {
            if (compare)
                g_array_append_val (keys, ci);
            break;
        }
        if (!compare)
            g_array_append_val (keys, ci);
    }
    g_string_append (o, "<div class=\"scroll\"><table id=\"variant-table\">"
                        "\n<thead><tr>");
    for (guint k = 0; k < keys->len; k++) {
        g_string_append (o, "<th>");
        esc (o, g_ptr_array_index (t->header, g_array_index (keys, gint, k)));
        g_string_append (o, "</th>");
    }
    g_string_append (o, "<th class=\"num\">replications</th><th>outcomes</th>");
    for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
        g_string_append_printf (o, "<th class=\"num\">%s</th>", metrics[m][1]);
    g_string_append (o, "</tr></thead>\n<tbody>\n");
    for (guint r = 0; r < t->rows->len && r < 5000; r++) {
        g_autoptr (GString) outs = g_string_new (NULL);

        g_string_append (o, "<tr>");
        for (guint k = 0; k < keys->len; k++) {
            g_string_append (o, "<td>");
            esc (o, sim_csv_table_cell (t, r, g_array_index (keys, gint, k)));
            g_string_append (o, "</td>");
        }
        g_string_append (o, "<td class=\"num\">");
        esc (o, sim_csv_table_cell (t, r,
                                    sim_csv_table_column (t, "replications")));
        g_string_append (o, "</td><td>");
        for (guint k = 0; k < G_N_ELEMENTS (outcomes); k++) {
            const char *n = sim_csv_table_cell (
                t, r, sim_csv_table_column (t, outcomes[k]));
            double v;

            if (number (n, &v) && v > 0)
                g_string_append_printf (outs, "%s%.0f %s",
                                        outs->len > 0 ? ", " : "", v,
                                        outcomes[k]);
        }
        esc (o, outs->str);
        g_string_append (o, "</td>");
        for (guint m = 0; m < G_N_ELEMENTS (metrics); m++) {
            g_autofree char *mc = g_strconcat (metrics[m][0], "_mean", NULL);
            g_autofree char *hc = g_strconcat (metrics[m][0], "_hw", NULL);
            const char *mean = sim_csv_table_cell (
                t, r, sim_csv_table_column (t, mc));
            const char *hw = sim_csv_table_cell (t, r,
                                                 sim_csv_table_column (t, hc));

            double mv, hv;

            g_string_append (o, "<td class=\"num\">");
            {
                /* Four significant digits: enough to compare, short to read. */
                char buf[G_ASCII_DTOSTR_BUF_SIZE];

                if (number (mean, &mv))
                    g_string_append (o, g_ascii_formatd (buf, sizeof buf,
                                                         "%.4g", mv));
                else
                    esc (o, *mean != '\0' ? mean : "-");
                if (number (hw, &hv))
                    g_string_append_printf (o, " &plusmn; %s",
                                            g_ascii_formatd (buf, sizeof buf,
                                                             "%.2g", hv));
            }
            g_string_append (o, "</td>");
        }
        g_string_append (o, "</tr>\n");
    }
    g_string_append (o, "</tbody></table></div>\n");
}

static gboolean
experiment_page (GString *o, const char *dir, gboolean compare, GError **error)
{
    const char *what = compare ? "compare" : "sweep";
    g_autofree char *title = g_strdup_printf ("rollsim %s", what);
    g_autofree char *csv = g_strdup_printf ("%s.csv", what);
    g_autoptr (GDir) plots = NULL;
    g_autofree char *plots_path = g_build_filename (dir, "plots", NULL);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    gsize len;
    g_autofree char *text = read_file (dir, csv, MAX_TEXT_BYTES, &len, NULL);
    g_autoptr (SimCsvTable) t = NULL;

    if (text != NULL)
        t = sim_csv_table_parse (csv, text, len, NULL);
    if (t == NULL) {
        g_set_error (error, SIM_HTML_REPORT_ERROR, SIM_HTML_REPORT_ERROR_DATA,
                     "%s/%s: cannot be read", dir, csv);
        return FALSE;
    }
    page_head (o, title);
    g_string_append (o, "<header>\n<h1>");
    esc (o, title);
    g_string_append_printf (o,
                            "</h1>\n<p class=\"meta\">Each figure is the "
                            "mean over the replications &plusmn; the "
                            "half-width of its 95%% confidence interval; "
                            "%s has every metric.</p>\n"
                            "</header>\n<main>\n<section "
                            "id=\"variants\">\n<h2>Variants</h2>\n",
                            csv);
    variants_table (o, t, compare);
    g_string_append (o, "</section>\n");
    if (compare) {
        g_autofree char *diff = g_build_filename (dir, "differences.csv", NULL);

        if (g_file_test (diff, G_FILE_TEST_IS_REGULAR)) {
            g_string_append (o, "<section id=\"differences\">\n<h2>"
                                "Differences against the first "
                                "variant</h2>\n");
            csv_table (o, dir, "differences.csv", NULL);
            g_string_append (o, "</section>\n");
        }
    }
    g_string_append (o, "<section id=\"plots\">\n<h2>Plots</h2>\n");
    plots = g_dir_open (plots_path, 0, NULL);
    for (const char *n; plots != NULL && (n = g_dir_read_name (plots));)
        if ((g_str_has_prefix (n, "compare-") || g_str_has_prefix (n, "sweep-"))
            && g_str_has_suffix (n, ".svg"))
            g_ptr_array_add (names, g_strndup (n, strlen (n) - 4));
    g_ptr_array_sort (names, by_name);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index (names, i);
        g_autoptr (GString) cap = g_string_new (NULL);

        if (strspn (n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789._-")
            != strlen (n))
            continue;
        esc (cap, n);
        figure (o, dir, n, cap->str);
    }
    if (names->len == 0)
        g_string_append (o, "<p class=\"note\">No plots (--no-plots, or a "
                            "shard).</p>\n");
    g_string_append (o, "</section>\n");
    text_section (o, dir, "experiment", "What ran", "experiment.ini");
    g_string_append (o, "</main>\n");
    page_foot (o);
    return TRUE;
}

/* --- Writing --------------------------------------------------------------- */

gboolean
sim_html_report_write (const char *dir, GError **error)
{
    g_autoptr (GString) page = g_string_sized_new (1 << 20);
    g_autofree char *versions = g_build_filename (dir, "versions.csv", NULL);
    g_autofree char *compare = g_build_filename (dir, "compare.csv", NULL);
    g_autofree char *sweep = g_build_filename (dir, "sweep.csv", NULL);
    g_autofree char *path = g_build_filename (dir, "report.html", NULL);
    g_autoptr (GError) local = NULL;
    gboolean ok;

    if (g_file_test (versions, G_FILE_TEST_EXISTS))
        ok = run_page (page, dir, error);
    else if (g_file_test (compare, G_FILE_TEST_EXISTS))
        ok = experiment_page (page, dir, TRUE, error);
    else if (g_file_test (sweep, G_FILE_TEST_EXISTS))
        ok = experiment_page (page, dir, FALSE, error);
    else {
        g_set_error (error, SIM_HTML_REPORT_ERROR, SIM_HTML_REPORT_ERROR_DATA,
                     "%s: not the directory of a run, compare or sweep (no "
                     "versions.csv, compare.csv or sweep.csv)",
                     dir);
        return FALSE;
    }
    if (!ok) {
        if (error != NULL && *error != NULL
            && (*error)->domain != SIM_HTML_REPORT_ERROR) {
            GError *e = g_error_new_literal (SIM_HTML_REPORT_ERROR,
                                             SIM_HTML_REPORT_ERROR_DATA,
                                             (*error)->message);

            g_clear_error (error);
            g_propagate_error (error, e);
        }
        return FALSE;
    }
    /* Written beside it and renamed over it: a link is replaced. */
    if (!g_file_set_contents (path, page->str, (gssize) page->len, &local)) {
        g_set_error (error, SIM_HTML_REPORT_ERROR, SIM_HTML_REPORT_ERROR_IO,
                     "%s", local->message);
        return FALSE;
    }
    return TRUE;
}
