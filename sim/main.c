/* main.c - the rollsim command line (docs/design.md 6): run, check,
 * plot, keys; compare, sweep and merge live in experiment-cli.c, and
 * what every command shares (the schema, loading, exit statuses) in
 * cli.c.
 *
 * Exit status: 0 success; 1 a run-time failure (I/O, gnuplot missing when
 * plots were asked for); 2 a usage error or an invalid scenario.  Errors
 * go to stderr as "rollsim: FILE:LINE: GROUP.KEY: what is wrong".
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <math.h>
#include "scenario.h"
#include "units.h"
#include "world.h"
#include "metrics.h"
#include "report.h"
#include "plot.h"
#include "html-report.h"
#include "output.h"
#include "strategy.h"
#include "cli.h"
#include "memory.h"
#include "timeline.h"

#ifndef ROLLSIM_VERSION
#define ROLLSIM_VERSION "0.0.0"
#endif

/* --- run ------------------------------------------------------------------ */

/* "p50 14.0 ms, p99 87.6 ms (p99 before the rollout 77.3, during 84.5)":
 * never "nan": a part without a successful request says so, and there
 * is no before or during without a rollout. */
static void
print_latency (const SimScenario *sc, const SimSummary *s)
{
    gboolean equal = FALSE;

    printf ("  latency   p50 %.1f ms, p99 %.1f ms", s->p50_ms, s->p99_ms);
    if (s->rollout_start >= 0) {
        if (isnan (s->p99_ms_before))
            printf (" (no successful request before the rollout");
        else
            printf (" (p99 before the rollout %.1f", s->p99_ms_before);
        if (isnan (s->p99_ms_during))
            printf (", no successful request during it)");
        else
            printf (", during %.1f)", s->p99_ms_during);
        equal = s->p99_ms_before == s->p99_ms || s->p99_ms_during == s->p99_ms
                || s->p99_ms_before == s->p99_ms_during;
    }
    /* Percentiles are read from histogram buckets (histogram.h): two
     * that fall in one bucket print the same. */
    if (equal)
        printf ("; equal figures lie in one histogram bucket (within 0.8 %%)");
    printf ("\n");
}

/* A memory size for people: exact when a binary suffix divides it and
 * leaves a short number (512Mi, as scenario.ini writes it), else as the
 * budget's messages say sizes (15.3 TiB).  summary.csv keeps the bytes. */
static char *
memory_words (gint64 bytes)
{
    g_autofree char *exact = sim_units_format_memory (bytes);

    return strlen (exact) <= 7 ? g_steal_pointer (&exact)
                               : sim_memory_text (bytes);
}

static void
print_summary (SimWorld *w, const char *dir, gboolean plots, gboolean report)
{
    const SimScenario *sc = sim_world_scenario (w);
    SimSummary s;
    SimEventLog *log = sim_world_events (w);
    const SimEventRow *first_unschedulable = sim_event_log_first (
        log, SIM_EVENT_POD_UNSCHEDULABLE);
    const char *short_of = first_unschedulable != NULL
                               ? first_unschedulable->detail
                               : NULL;
    const SimEventRow *last_pause = sim_event_log_last (log, SIM_EVENT_PAUSED);
    const SimEventRow *last_abort = sim_event_log_last (log, SIM_EVENT_ABORTED);
    const SimEventRow *last_step = sim_event_log_last (log, SIM_EVENT_STEP);
    /* A pause is still on at the end when nothing that moves a rollout
     * on came after it: a canary step, a resume, a Service switch (a
     * blue-green promotion), a promotion. */
    static const SimEventKind moves_on[] = { SIM_EVENT_STEP, SIM_EVENT_RESUMED,
                                             SIM_EVENT_SERVICE_SWITCHED,
                                             SIM_EVENT_PROMOTED };
    guint pause_at = sim_event_log_last_at (log, SIM_EVENT_PAUSED);
    gboolean paused_at_end = last_pause != NULL;

    for (guint k = 0; k < G_N_ELEMENTS (moves_on); k++)
        paused_at_end &= sim_event_log_last_at (log, moves_on[k]) < pause_at;
    guint unschedulable = sim_event_log_count (log,
                                               SIM_EVENT_POD_UNSCHEDULABLE);

    sim_world_summary (w, &s);

    printf ("%s: %s", sc->name, sc->strategy);
    if (sc->has_rollout)
        printf (" of %s -> %s", sc->versions[sc->version_index].name,
                sc->versions[sc->rollout_to_index].name);
    printf (", %d replicas, %.0fs simulated, seed %" G_GUINT64_FORMAT "\n",
            sc->replicas, SIM_TIME_TO_SEC (sc->duration), sc->seed);
    /* A rollout of [rollout] or of a timeline action (set-image). */
    if (sc->has_rollout || s.outcome != SIM_OUTCOME_NONE) {
        printf ("  rollout   %s", sim_outcome_name (s.outcome));
        if (s.rollout_end >= 0)
            printf (" in %.3fs (%.3fs -> %.3fs)",
                    SIM_TIME_TO_SEC (s.rollout_end - s.rollout_start),
                    SIM_TIME_TO_SEC (s.rollout_start),
                    SIM_TIME_TO_SEC (s.rollout_end));
        else if (s.rollout_start >= 0)
            printf (" (started at %.3fs; not done when the run ended)",
                    SIM_TIME_TO_SEC (s.rollout_start));
        else
            printf (" (never started)");
        printf ("\n");
        /* Why an unfinished rollout stopped: the pause it is in says;
         * with none, the run was too short (and the step it is at). */
        if (s.outcome == SIM_OUTCOME_UNFINISHED && paused_at_end)
            printf ("  paused    at %.3fs: %s\n",
                    SIM_TIME_TO_SEC (last_pause->time),
                    last_pause->detail != NULL ? last_pause->detail : "");
        else if (s.outcome == SIM_OUTCOME_UNFINISHED && s.rollout_start >= 0) {
            if (last_step != NULL && last_step->has_value)
                printf ("  step      %" G_GINT64_FORMAT " since %.3fs: %s\n",
                        last_step->value, SIM_TIME_TO_SEC (last_step->time),
                        last_step->detail != NULL ? last_step->detail : "");
            printf ("  hint      still progressing at the end: a longer "
                    "scenario.duration (now %.0fs) lets it finish\n",
                    SIM_TIME_TO_SEC (sc->duration));
        }
        /* Why it was aborted: the last abort says (an analysis, a
         * timeline action). */
        if (s.outcome == SIM_OUTCOME_ABORTED && last_abort != NULL
            && last_abort->detail != NULL)
            printf ("  aborted   at %.3fs: %s\n",
                    SIM_TIME_TO_SEC (last_abort->time), last_abort->detail);
    }
    {
        g_autofree char *mem = memory_words (s.peak_memory);

        gint end_replicas = sim_world_spec (w)->replicas;

        printf ("  pods      peak %d at once for %.3fs in all (%d not "
                "terminating; replicas %d",
                s.peak_pods, s.peak_pods_s, s.peak_active_pods, sc->replicas);
        /* A scale action or an HPA may have changed the spec. */
        if (end_replicas != sc->replicas)
            printf (", %d at the end", end_replicas);
        printf (")");
        if (s.min_ready >= 0)
            printf (", min ready %d during the rollout", s.min_ready);
        printf (", %.1f pod-seconds (%.1f above replicas)\n", s.pod_seconds,
                s.extra_pod_seconds);
        printf ("  requests  %.3f CPU and %s at the peak\n", s.peak_cpu, mem);
    }
    if (unschedulable > 0)
        printf ("  capacity  %u pod(s) could not be placed: %s\n",
                unschedulable, short_of);
    if (s.total.arrivals > 0) {
        gboolean first = TRUE;

        printf ("  traffic   %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                " ok (%.3f%%), %" G_GUINT64_FORMAT " errors",
                s.total.arrivals, s.total.ok, 100.0 * s.availability,
                s.total.errors);
        for (gint k = 0; k < SIM_N_CAUSES; k++) {
            if (s.total.cause[k] == 0)
                continue;
            printf ("%s%s %" G_GUINT64_FORMAT, first ? ": " : ", ",
                    sim_cause_name (k), s.total.cause[k]);
            first = FALSE;
        }
        if (s.in_flight_end > 0)
            printf (", %" G_GINT64_FORMAT " in flight at the end",
                    s.in_flight_end);
        printf ("\n");
        if (s.preview.arrivals > 0)
            printf ("  preview   %" G_GUINT64_FORMAT
                    " smoke-test requests, %" G_GUINT64_FORMAT
                    " ok (not counted above)\n",
                    s.preview.arrivals, s.preview.ok);
        if (!isnan (s.p50_ms))
            print_latency (sc, &s);
        if (s.bad_version_requests > 0)
            printf ("  blast     %" G_GUINT64_FORMAT " requests answered by "
                    "a version other than the initial one\n",
                    s.bad_version_requests);
        if (s.bad_version_users > 0)
            printf ("  users     %u of %d met a version other than the "
                    "initial one\n",
                    s.bad_version_users, sc->users);
        if (!isnan (s.detection_s))
            printf ("  detection %.3fs from the first request the new "
                    "version served to the abort\n",
                    s.detection_s);
    }
    printf ("  outputs   %s/ (%ssummary.csv, events.csv, timeseries.csv, "
            "versions.csv, trace.txt%s)\n",
            dir, report ? "report.html, " : "", plots ? ", plots/" : "");
}

/* "1:05" or "2:03:04". */
static char *
clock_text (double seconds)
{
    guint64 s = (guint64) (seconds + 0.5);

    if (s >= 3600)
        return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600,
                                (guint) (s / 60 % 60), (guint) (s % 60));
    return g_strdup_printf ("%u:%02u", (guint) (s / 60), (guint) (s % 60));
}

/* The progress line: simulated time done, wall time so far and, once
 * there is a pace to go by (a second and 1 %), the rest at that pace. */
static void
progress_line (const SimScenario *sc, SimTime at, gint64 wall_us)
{
    double f = (double) at / (double) sc->duration;
    double elapsed = wall_us / 1e6;
    g_autofree char *sim = sim_units_format_duration (sc->duration);
    g_autofree char *spent = clock_text (elapsed);

    fprintf (stderr, "\rrollsim: simulating %s: %.1f%% of %s, %s so far",
             sc->name, 100 * f, sim, spent);
    if (elapsed >= 1 && f >= 0.01 && f < 1) {
        g_autofree char *left = clock_text (elapsed * (1 - f) / f);

        /* The pace follows the traffic (a profile's peak is slower to
         * simulate): an estimate, and said to be one. */
        fprintf (stderr, ", about %s left at this pace", left);
    }
    fprintf (stderr, "\033[K");
}

/* Run @w to its end in chunks of about 50 ms of wall time (a chunk's
 * boundary changes nothing: events run in time order whatever the
 * chunks), with the progress line every quarter second if @progress. */
static void
simulate (SimWorld *w, const SimScenario *sc, gboolean progress)
{
    SimTime at = 0, chunk = MAX (sc->duration / 10000, 1);
    gint64 start = g_get_monotonic_time (), next = start;

    while (at < sc->duration && sim_world_error (w) == NULL) {
        gint64 before = g_get_monotonic_time (), now;

        at += MIN (chunk, sc->duration - at);
        sim_world_run_until (w, at);
        now = g_get_monotonic_time ();
        if (now - before < 25000 && chunk < sc->duration)
            chunk *= 2;
        else if (now - before > 100000 && chunk > 1)
            chunk /= 2;
        if (progress && now >= next) {
            progress_line (sc, at, now - start);
            next = now + G_TIME_SPAN_SECOND / 4;
        }
    }
    if (progress)
        fprintf (stderr, "\r\033[K");
}

/* Speed, for `make bench`: wall-clock figures belong here, never in the
 * model or its outputs. */
static void
print_stats (SimWorld *w, gint64 wall_us)
{
    SimMetrics *m = sim_world_metrics (w);
    double wall = MAX (wall_us, 1) / 1e6;
    guint64 events = sim_world_events_executed (w);
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    fprintf (stderr,
             "rollsim: %" G_GUINT64_FORMAT " events, %" G_GUINT64_FORMAT
             " requests in %.3f s of wall time: "
             "%.0f events/s, %.0f requests/s; peak memory %.1f MiB\n",
             events, m->total.arrivals, wall, events / wall,
             m->total.arrivals / wall, ru.ru_maxrss / 1024.0);
}

static int
cmd_run (int argc, char **argv)
{
    g_autofree char *out = NULL;
    g_autofree char *seed = NULL;
    g_auto (GStrv) sets = NULL;
    g_auto (GStrv) ats = NULL;
    g_auto (GStrv) all_sets = NULL;
    gboolean no_plots = FALSE, quiet = FALSE, trace = FALSE, stats = FALSE;
    gboolean no_report = FALSE;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Output directory (default out/<scenario name>)", "DIR" },
        { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
          "Random seed (overrides scenario.seed)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a key, e.g. strategy.rolling.max_surge=25%",
          "GROUP.KEY=VALUE" },
        { "at", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ats,
          "Append an action to [timeline], e.g. \"90s abort\"",
          "\"TIME ACTION\"" },
        { "no-plots", 0, 0, G_OPTION_ARG_NONE, &no_plots,
          "Do not draw plots (no gnuplot needed)", NULL },
        { "no-report", 0, 0, G_OPTION_ARG_NONE, &no_report,
          "Do not write report.html", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "Print nothing on success", NULL },
        { "trace", 0, 0, G_OPTION_ARG_NONE, &trace,
          "Narrate the timeline on stderr as it happens", NULL },
        { "stats", 0, 0, G_OPTION_ARG_NONE, &stats,
          "Print speed figures on stderr (events and requests per wall "
          "second, peak memory)",
          NULL },
        { NULL }
    };
    g_autoptr (GOptionContext)
        ctx = g_option_context_new ("[SCENARIO] - run one simulation");
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) sc = NULL;
    g_auto (SimCliInput) in = { 0 };
    g_autofree char *summary = NULL;
    g_autoptr (SimOutput) output = NULL;
    g_autoptr (SimReportStream) stream = NULL;
    gboolean default_out = FALSE;
    SimWorld *w;
    gboolean progress;
    gint64 t0;

    g_option_context_add_main_entries (ctx, entries, NULL);
    sim_cli_input_entries (ctx, &in);
    g_option_context_set_description (
        ctx,
        "Without SCENARIO, runs the built-in seed scenario (3 replicas of\n"
        "hello1 rolled to hello2, max_surge 1, max_unavailable 0).\n"
        "SCENARIO may be Kubernetes manifests (.yaml, .yml, a directory,\n"
        "or - for standard input), imported as `rollsim import` does.\n"
        "Writes scenario.ini, summary.csv, events.csv, timeseries.csv,\n"
        "versions.csv, trace.txt, plots/ (PNG and SVG) and report.html\n"
        "(open it in a browser) into the output directory.\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return sim_cli_fail (SIM_EXIT_USAGE, "run: %s (see rollsim run --help)",
                             error->message);
    if (argc > 2)
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "run: one scenario at a time (got %d)", argc - 1);
    all_sets = sim_cli_sets_with_at ((const char *const *) sets,
                                     (const char *const *) ats);
    sc = sim_cli_load (argc == 2 ? argv[1] : NULL, &in,
                       (const char *const *) all_sets, seed, &error);
    if (sc == NULL)
        return sim_cli_error (error);
    summary = sim_cli_input_summary (&in);
    if (summary != NULL && !quiet)
        fprintf (stderr, "rollsim: %s\n", summary);
    sim_cli_warn (sc);
    if (out == NULL) {
        out = g_build_filename ("out", sc->name, NULL);
        default_out = TRUE;
    }
    /* Every output problem is found before the run, not after it. */
    if (!no_plots && !sim_report_check_gnuplot (&error))
        return sim_cli_fail (SIM_EXIT_RUNTIME, "run: %s", error->message);
    {
        /* What the run reads: never inside what it replaces. */
        const char *inputs[4];
        guint n = 0;

        if (argc == 2)
            inputs[n++] = argv[1];
        if (sc->profile != NULL)
            inputs[n++] = sc->profile;
        if (in.overlay != NULL)
            inputs[n++] = in.overlay;
        inputs[n] = NULL;
        output = sim_output_claim (out, inputs, &error);
    }
    if (output == NULL)
        return sim_cli_error (error);
    if (default_out && sim_output_replaces (output) && !quiet)
        fprintf (stderr,
                 "rollsim: %s holds an earlier run: replacing it (give "
                 "-o DIR to keep both)\n",
                 out);

    /* Long runs show how far they are when someone is watching. */
    progress = !quiet && !trace && !stats && isatty (STDERR_FILENO);
    /* Placing many pods takes a while before the first simulated
     * second: say so. */
    if (progress)
        fprintf (stderr, "rollsim: %s: placing %d pods on %d nodes\033[K",
                 sc->name, sc->replicas, sc->nodes);
    w = sim_world_new (sc, trace ? stderr : NULL, &error);
    if (progress)
        fprintf (stderr, "\r\033[K");
    if (w == NULL)
        return sim_cli_error (error);
    /* Rows go to the output as they happen: memory flat in duration. */
    stream = sim_report_stream_open (w, output, &error);
    if (stream == NULL) {
        sim_world_free (w);
        return sim_cli_error (error);
    }
    t0 = g_get_monotonic_time ();
    simulate (w, sc, progress);
    /* Over its memory budget the run stopped: no outputs from half a
     * run. */
    if (sim_world_error (w) != NULL) {
        int status = sim_cli_fail (SIM_EXIT_RUNTIME, "%s",
                                   sim_world_error (w)->message);

        sim_world_free (w);
        return status;
    }
    if (stats)
        print_stats (w, g_get_monotonic_time () - t0);
    if (!sim_report_write_full (w, output, !no_plots, !no_report, stream,
                                &error)) {
        sim_world_free (w);
        return sim_cli_error (error);
    }
    if (!quiet)
        print_summary (w, out, !no_plots, !no_report);
    sim_world_free (w);
    return SIM_EXIT_OK;
}

/* --- check, plot, keys ------------------------------------------------------------ */

static int
cmd_check (int argc, char **argv)
{
    g_auto (GStrv) sets = NULL;
    g_auto (GStrv) ats = NULL;
    g_auto (GStrv) all_sets = NULL;
    GOptionEntry entries[] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a key before validating", "GROUP.KEY=VALUE" },
        { "at", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ats,
          "Append an action to [timeline], e.g. \"90s abort\"",
          "\"TIME ACTION\"" },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "SCENARIO - validate a scenario file (or manifests), run nothing");
    g_autoptr (GError) error = NULL;
    g_autoptr (SimScenario) sc = NULL;
    g_auto (SimCliInput) in = { 0 };
    g_autofree char *report = NULL;

    g_option_context_add_main_entries (ctx, entries, NULL);
    sim_cli_input_entries (ctx, &in);
    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return sim_cli_fail (SIM_EXIT_USAGE, "check: %s", error->message);
    if (argc != 2)
        return sim_cli_fail (SIM_EXIT_USAGE, "check: name one scenario file "
                                             "(see rollsim check --help)");
    all_sets = sim_cli_sets_with_at ((const char *const *) sets,
                                     (const char *const *) ats);
    sc = sim_cli_load (argv[1], &in, (const char *const *) all_sets, NULL,
                       &error);
    if (sc == NULL)
        return sim_cli_error (error);
    /* Checking manifests is reading how they were mapped. */
    report = sim_cli_input_report (&in);
    if (report != NULL)
        fputs (report, stderr);
    sim_cli_warn (sc);
    {
        const SimTimelineSettings *ts = sim_timeline_settings (sc);
        gint actions = ts != NULL ? ts->actions.n : 0;

        /* Without [rollout], a timeline (set-image, undo) may still
         * start one: not "steady state" then. */
        printf ("%s: ok (%s, %d replicas, %d versions%s", argv[1], sc->strategy,
                sc->replicas, sc->n_versions,
                sc->has_rollout ? ", with a rollout"
                : actions > 0   ? ", no [rollout]"
                                : ", steady state");
        if (actions > 0)
            printf (", %d timeline action(s)", actions);
        printf (")\n");
    }
    return SIM_EXIT_OK;
}

static int
cmd_plot (int argc, char **argv)
{
    g_autoptr (GOptionContext)
        ctx = g_option_context_new ("DIR - redraw the plots of a finished run");
    g_autoptr (GError) error = NULL;

    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return sim_cli_fail (SIM_EXIT_USAGE, "plot: %s", error->message);
    if (argc != 2)
        return sim_cli_fail (SIM_EXIT_USAGE, "plot: name one run directory");
    /* The directory is the user's input: not a run is a usage error. */
    if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
        return sim_cli_fail (SIM_EXIT_USAGE, "plot: %s: %s", argv[1],
                             g_file_test (argv[1], G_FILE_TEST_EXISTS)
                                 ? "not a directory"
                                 : "no such directory");
    for (const char *const *f =
             (const char *const[]) { "versions.csv", "events.csv",
                                     "timeseries.csv", NULL };
         *f != NULL; f++) {
        g_autofree char *path = g_build_filename (argv[1], *f, NULL);

        if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            return sim_cli_fail (
                SIM_EXIT_USAGE,
                "plot: %s: not the directory of a run "
                "(no %s; compare and sweep draw their own plots)",
                argv[1], *f);
    }
    if (!sim_plot_draw (argv[1], &error))
        return sim_cli_fail (g_error_matches (error, SIM_PLOT_ERROR,
                                              SIM_PLOT_ERROR_DATA)
                                 ? SIM_EXIT_USAGE
                                 : SIM_EXIT_RUNTIME,
                             "plot: %s", error->message);
    printf ("%s/plots: redrawn\n", argv[1]);
    return SIM_EXIT_OK;
}

static int
cmd_report (int argc, char **argv)
{
    gboolean no_plots = FALSE;
    GOptionEntry entries[] = {
        { "no-plots", 0, 0, G_OPTION_ARG_NONE, &no_plots,
          "Do not redraw a run's plots first (the page shows the plots "
          "already there)",
          NULL },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "DIR - write DIR/report.html again (a run's plots are redrawn "
        "first)");
    g_autoptr (GError) error = NULL;
    g_autofree char *versions = NULL;

    g_option_context_add_main_entries (ctx, entries, NULL);
    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return sim_cli_fail (SIM_EXIT_USAGE, "report: %s", error->message);
    if (argc != 2)
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "report: name one run, compare or sweep "
                             "directory");
    if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
        return sim_cli_fail (SIM_EXIT_USAGE, "report: %s: %s", argv[1],
                             g_file_test (argv[1], G_FILE_TEST_EXISTS)
                                 ? "not a directory"
                                 : "no such directory");
    versions = g_build_filename (argv[1], "versions.csv", NULL);
    if (!no_plots && g_file_test (versions, G_FILE_TEST_EXISTS)) {
        if (!sim_report_check_gnuplot (&error))
            return sim_cli_fail (SIM_EXIT_RUNTIME,
                                 "report: %s (or pass --no-plots)",
                                 error->message);
        if (!sim_plot_draw (argv[1], &error))
            return sim_cli_fail (g_error_matches (error, SIM_PLOT_ERROR,
                                                  SIM_PLOT_ERROR_DATA)
                                     ? SIM_EXIT_USAGE
                                     : SIM_EXIT_RUNTIME,
                                 "report: %s", error->message);
    }
    if (!sim_html_report_write (argv[1], &error))
        return sim_cli_fail (g_error_matches (error, SIM_HTML_REPORT_ERROR,
                                              SIM_HTML_REPORT_ERROR_DATA)
                                 ? SIM_EXIT_USAGE
                                 : SIM_EXIT_RUNTIME,
                             "report: %s", error->message);
    printf ("%s/report.html: written\n", argv[1]);
    return SIM_EXIT_OK;
}

static int
cmd_keys (int argc, char **argv)
{
    gboolean markdown = FALSE;
    GOptionEntry entries[] = { { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
                                 "Print docs/scenario-reference.md", NULL },
                               { NULL } };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "- list every scenario key with its default");
    g_autoptr (GError) error = NULL;

    g_option_context_add_main_entries (ctx, entries, NULL);
    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return sim_cli_fail (SIM_EXIT_USAGE, "keys: %s", error->message);
    if (argc > 1)
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "keys: takes no argument (got \"%s\"; it lists "
                             "every key: filter with grep)",
                             argv[1]);
    if (markdown) {
        g_autofree char *md = sim_scenario_reference_markdown (
            sim_cli_schema ());

        fputs (md, stdout);
        return SIM_EXIT_OK;
    }
    for (const SimKeyGroup *const *g = sim_schema_groups (sim_cli_schema ());
         *g != NULL; g++)
        for (const SimKeyRow *k = (*g)->rows; k->key != NULL; k++)
            printf ("%s.%s = %s\n", (*g)->name, k->key,
                    k->def != NULL ? k->def : "(required)");
    return SIM_EXIT_OK;
}

/* --- Dispatch ----------------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*fn) (int argc, char **argv);
    const char *summary;
} commands[] = {
    { "run", cmd_run, "run one simulation and write its outputs" },
    { "check", cmd_check, "validate a scenario file" },
    { "plot", cmd_plot, "redraw the plots of a finished run" },
    { "report", cmd_report,
      "write report.html of a run, compare or sweep directory again" },
    { "compare", sim_cli_compare,
      "compare strategies or scenarios over many seeds" },
    { "sweep", sim_cli_sweep, "run a grid of settings over many seeds" },
    { "merge", sim_cli_merge,
      "combine the results of sharded compare/sweep runs" },
    { "import", sim_cli_import,
      "turn Kubernetes manifests into a scenario, field by field" },
    { "keys", cmd_keys, "list every scenario key (--markdown: the reference)" },
};

static void
usage (FILE *fp)
{
    fprintf (fp, "Usage: rollsim COMMAND [OPTIONS]\n\n"
                 "A discrete-event simulator of Kubernetes deployment "
                 "strategies.\n\nCommands:\n");
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        fprintf (fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf (fp, "\nStrategies: %s\n", sim_strategy_names ());
    {
        g_autofree char *dir = sim_cli_scenarios_dir ();

        if (dir != NULL)
            fprintf (fp, "Shipped scenarios: %s\n", dir);
    }
    fprintf (fp, "\n`rollsim COMMAND --help` for a command's options; "
                 "`rollsim run` alone runs the seed scenario.\n"
                 "Exit status: 0 ok, 1 run-time failure, 2 usage error or "
                 "invalid scenario.\n");
}

int
main (int argc, char **argv)
{
    /* Before any thread: signals leave nothing behind, and past
     * `ulimit -f` a write fails with EFBIG (SIGXFSZ ignored), reported
     * as an I/O error (output.h). */
    sim_output_init_signals ();
    /* The character type only, for GLib's help text ("[OPTION…]" in a
     * UTF-8 locale, not "[OPTION?]"); numbers stay in the C locale, so
     * no output ever has a decimal comma. */
    setlocale (LC_CTYPE, "");
    if (argc < 2) {
        usage (stderr);
        return SIM_EXIT_USAGE;
    }
    if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
        || strcmp (argv[1], "help") == 0
        || strcmp (argv[1], "--version") == 0) {
        /* Nothing is ignored without a word (newcomer audit D15). */
        if (argc > 2)
            return sim_cli_fail (SIM_EXIT_USAGE,
                                 "%s takes no argument (got "
                                 "\"%s\")",
                                 argv[1], argv[2]);
        if (strcmp (argv[1], "--version") == 0)
            printf ("rollsim %s\n", ROLLSIM_VERSION);
        else
            usage (stdout);
        return SIM_EXIT_OK;
    }
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
        if (strcmp (argv[1], commands[i].name) == 0) {
            g_autofree char *prg = g_strdup_printf ("rollsim %s", argv[1]);

            g_set_prgname (prg);
            argv[1] = prg;
            return commands[i].fn (argc - 1, argv + 1);
        }
    }
    fprintf (stderr, "rollsim: unknown command '%s'\n\n", argv[1]);
    usage (stderr);
    return SIM_EXIT_USAGE;
}
