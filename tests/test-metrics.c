/* test-metrics.c - metrics renewed for another run (sim_metrics_renew,
 * through sim_world_new_reusing, as an experiment's threads make their
 * worlds) measure exactly what new ones do.
 *
 * A renewed SimMetrics keeps its histograms and row arrays and clears
 * the rest; a member left holding the last run's value, or a bucket left
 * counting, would show in the summary or a row of the next run.  Each
 * scenario runs in fresh metrics and in the metrics of every scenario's
 * finished run (other versions, traffic kinds, latencies and lengths),
 * and every summary field and row must be the same.
 */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "metrics.h"
#include "report.h"

static const char *const files[] = {
    "scenarios/seed-rolling.ini",
    "scenarios/canary-bad.ini",
    "scenarios/flagger-mirror.ini",
    "scenarios/bluegreen-bad.ini",
    "scenarios/autoscaling-cluster-surge.ini",
};

static SimScenario *
load (const char *file)
{
    g_autofree char *path = sim_test_src (file);
    g_autoptr (GError) error = NULL;
    SimScenario *sc = sim_scenario_load (sim_cli_schema (), path, NULL, &error);

    g_assert_no_error (error);
    return sc;
}

static void
add_counters (GString *s, const SimCounters *c)
{
    g_string_append_printf (s,
                            " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                            " %" G_GUINT64_FORMAT,
                            c->arrivals, c->ok, c->errors);
    for (gint k = 0; k < SIM_N_CAUSES; k++)
        g_string_append_printf (s, " %" G_GUINT64_FORMAT, c->cause[k]);
}

/* What @w measured, as text: the summary row, then every timeseries
 * and versions row (doubles to the bit). */
static char *
measured (SimWorld *w)
{
    SimMetrics *m = sim_world_metrics (w);
    GString *s = g_string_new (NULL);
    g_autoptr (GPtrArray) values = NULL;
    SimSummary summary;

    sim_world_summary (w, &summary);
    values = sim_report_summary_values (w, &summary);
    for (guint i = 0; i < values->len; i++)
        g_string_append_printf (s, "%s,", (char *) values->pdata[i]);
    g_string_append_c (s, '\n');
    for (guint i = 0; i < m->timeseries->len; i++) {
        const SimTimeseriesRow *r = &g_array_index (m->timeseries,
                                                    SimTimeseriesRow, i);

        g_string_append_printf (s, "%" G_GINT64_FORMAT, r->time);
        add_counters (s, &r->c);
        g_string_append_printf (
            s, " %a %a %a %d %d %d %d %d %d %" G_GINT64_FORMAT " %d %d %a %a\n",
            r->p50_ms, r->p95_ms, r->p99_ms, r->desired, r->pods, r->pending,
            r->starting, r->ready, r->terminating, r->in_flight, r->hpa_desired,
            r->nodes, r->cpu_utilization, r->cpu_used);
    }
    for (guint i = 0; i < m->versions->len; i++) {
        const SimVersionRow *r = &g_array_index (m->versions, SimVersionRow, i);

        g_string_append_printf (s,
                                "%" G_GINT64_FORMAT " %d %d %d %d %d %d %d "
                                "%d %d %a",
                                r->time, r->version, r->desired, r->pods,
                                r->pending, r->starting, r->ready, r->available,
                                r->terminating, r->endpoints, r->share);
        add_counters (s, &r->c);
        add_counters (s, &r->preview);
        add_counters (s, &r->mirrored);
        g_string_append_c (s, '\n');
    }
    return g_string_free (s, FALSE);
}

static void
test_renew (void)
{
    SimScenario *sc[G_N_ELEMENTS (files)];
    char *fresh[G_N_ELEMENTS (files)];

    g_test_summary ("A world made in the metrics of another scenario's "
                    "finished run measures what a world with new metrics "
                    "does: the same summary, timeseries and versions rows");
    for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
        SimWorld *w;

        sc[i] = load (files[i]);
        w = sim_test_run (sc[i]);
        fresh[i] = measured (w);
        sim_world_free (w);
    }
    for (guint before = 0; before < G_N_ELEMENTS (files); before++)
        for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
            g_autoptr (GError) error = NULL;
            SimWorld *first = sim_test_run (sc[before]);
            SimMetrics *spare = sim_world_free_keeping_metrics (first);
            SimWorld *w = sim_world_new_reusing (sc[i], NULL, spare, &error);
            g_autofree char *again = NULL;

            g_assert_no_error (error);
            sim_world_run (w);
            again = measured (w);
            if (strcmp (again, fresh[i]) != 0)
                g_error ("%s after %s measures otherwise than alone", files[i],
                         files[before]);
            sim_test_assert_conserved (w, files[i]);
            sim_world_free (w);
        }
    for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
        sim_scenario_free (sc[i]);
        g_free (fresh[i]);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/metrics/renew/same-as-new", test_renew);

    return g_test_run ();
}
