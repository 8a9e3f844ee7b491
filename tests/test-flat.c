/* test-flat.c - a run's memory is flat in simulated duration: with its
 * rows streamed (what `rollsim run` does, report.h), a 7-day run at 1 s
 * samples holds no more heap than a 1-hour one.  Measured as the bytes
 * malloc has handed out and not taken back (glibc's mallinfo2), so the
 * figure counts allocations, not time. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "metrics.h"
#include "event-log.h"
#ifdef __GLIBC__
#include <malloc.h>
#endif

static const char flat_ini[] = "[scenario]\n"
                               "sample = 1s\n"
                               "[cluster]\n"
                               "nodes = 4\n"
                               "[deployment]\n"
                               "replicas = 4\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "service = exp(50ms)\n"
                               "[version.v2]\n"
                               "service = exp(50ms)\n"
                               "[traffic]\n"
                               "rate = 0.5\n"
                               "[strategy]\n"
                               "type = rolling\n"
                               "[rollout]\n"
                               "at = 30m\n"
                               "to = v2\n";

static guint64 rows_seen;

static void
count_event (gpointer data, const SimEventRow *row)
{
    rows_seen++;
}

static void
count_rows (gpointer data, const SimTimeseriesRow *row,
            const SimVersionRow *versions, gint n)
{
    rows_seen += 1 + (guint64) n;
}

#ifdef __GLIBC__
static gint64
heap_in_use (void)
{
    struct mallinfo2 mi = mallinfo2 ();

    return (gint64) (mi.uordblks + mi.hblkhd);
}

/* Whether mallinfo2 sees this process's allocations: not under a
 * sanitizer, whose allocator replaces glibc's (make asan). */
static gboolean
heap_counted (void)
{
    gint64 before = heap_in_use ();
    char *p = g_malloc (64 * 1024);
    gboolean seen;

    p[0] = 1;
    seen = heap_in_use () - before >= 64 * 1024;
    g_free (p);
    return seen;
}
#endif

/* The heap a streamed run of @duration holds when it ends, over what was
 * in use before it. */
static gint64
held_after (const char *duration)
{
#ifdef __GLIBC__
    g_autofree char *set = g_strdup_printf ("scenario.duration=%s", duration);
    const char *sets[] = { set, NULL };
    g_autoptr (SimScenario) sc = sim_test_scenario (flat_ini, sets);
    g_autoptr (GError) error = NULL;
    FILE *trace = fopen ("/dev/null", "w");
    gint64 before, held;
    SimWorld *w;

    g_assert_nonnull (trace);
    before = heap_in_use ();
    w = sim_world_new (sc, NULL, &error);
    g_assert_no_error (error);
    sim_event_log_stream (sim_world_events (w), count_event, NULL, trace);
    sim_metrics_stream (sim_world_metrics (w), count_rows, NULL);
    sim_world_run (w);
    held = heap_in_use () - before;
    sim_world_free (w);
    fclose (trace);
    return held;
#else
    return 0;
#endif
}

static void
test_duration (void)
{
    gint64 hour, week;
    guint64 rows_hour;

    g_test_summary ("A 7-day run at 1 s samples, rows streamed, ends "
                    "holding at most 1.2x the heap of a 1-hour run");
#ifndef __GLIBC__
    g_test_skip ("needs glibc's mallinfo2 to count the heap");
    return;
#else
    if (!heap_counted ()) {
        g_test_skip ("mallinfo2 does not see this allocator's heap (a "
                     "sanitizer's?)");
        return;
    }
#endif
    rows_seen = 0;
    hour = held_after ("1h");
    rows_hour = rows_seen;
    rows_seen = 0;
    week = held_after ("168h");
    g_test_message ("1 h: %" G_GINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
                    " rows; 7 d: %" G_GINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
                    " rows",
                    hour, rows_hour, week, rows_seen);
    /* The rows really were made (168 times as many), and went. */
    g_assert_cmpuint (rows_seen, >, 150 * rows_hour);
    g_assert_cmpint (hour, >, 0);
    g_assert_cmpint (week, <=, hour * 6 / 5);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/memory/flat/duration", test_duration);

    return g_test_run ();
}
