/* metrics.c - counters, latency histograms, integrals over time and the
 * rows of timeseries.csv and versions.csv.  See metrics.h.
 *
 * Invariant kept for every window, overall and per version:
 * arrivals counted = answers counted + change in unanswered requests, so
 * over the run arrivals = ok + errors + in flight at the end.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include "metrics.h"

/* Apply @fn to each latency histogram. */
static void
each_histogram (SimMetrics *m, void (*fn) (SimHistogram *h))
{
    fn (&m->win_latency);
    fn (&m->latency_all);
    fn (&m->latency_before);
    fn (&m->latency_during);
    fn (&m->seg_latency);
}

/* Set the plain members of @m, all zero, for a run of @sc. */
static void
init (SimMetrics *m, const SimScenario *sc)
{
    m->n_versions = sc->n_versions;
    m->replicas = sc->replicas;
    m->pod_cpu = sc->cpu;
    m->pod_memory = sc->memory;
    m->min_ready = -1;
    m->peak_replicas = -1;
    m->cluster.hpa_desired = -1;
    m->cluster.cpu_utilization = NAN;
    m->cluster.cpu_used = NAN;
    /* The blast radius counts requests answered by any version other
     * than the one running at t = 0: with a timeline a release may turn
     * bad at any time (error-rate), and a rollover or an undo brings
     * several versions in. */
    for (gint v = 0; v < sc->n_versions; v++)
        if (v != sc->version_index)
            m->bad_versions |= 1u << v;
    m->initial_version = sc->version_index;
    m->n_users = (guint) sc->users;
    m->users_hit = g_new0 (guint64, (m->n_users + 63) / 64);
}

SimMetrics *
sim_metrics_new (const SimScenario *sc)
{
    SimMetrics *m = g_new0 (SimMetrics, 1);

    m->timeseries = g_array_new (FALSE, TRUE, sizeof (SimTimeseriesRow));
    m->versions = g_array_new (FALSE, TRUE, sizeof (SimVersionRow));
    each_histogram (m, sim_histogram_init_zeroed);
    init (m, sc);
    return m;
}

SimMetrics *
sim_metrics_renew (SimMetrics *m, const SimScenario *sc)
{
    g_free (m->users_hit);
    memset (m, 0, offsetof (SimMetrics, timeseries));
    g_array_set_size (m->timeseries, 0);
    g_array_set_size (m->versions, 0);
    /* A histogram's non-zero buckets lie between its min's and max's
     * (histogram.h): reset clears those alone. */
    each_histogram (m, sim_histogram_reset);
    init (m, sc);
    return m;
}

void
sim_metrics_free (SimMetrics *m)
{
    if (m == NULL)
        return;
    g_array_unref (m->timeseries);
    g_array_unref (m->versions);
    g_free (m->users_hit);
    g_free (m);
}

/* An answer to someone other than a user: counted for its version,
 * apart from users. */
static void
side_answer (SimMetrics *m, SimTraffic kind, gint version, gint cause)
{
    SimCounters *cs[3] = { &m->side[kind].total, NULL, NULL };

    if (version >= 0) {
        cs[1] = &m->side[kind].win_v[version];
        cs[2] = &m->side[kind].total_v[version];
    }
    for (gint i = 0; i < 3; i++) {
        if (cs[i] == NULL)
            continue;
        if (cause < 0) {
            cs[i]->ok++;
        } else {
            cs[i]->errors++;
            cs[i]->cause[cause]++;
        }
    }
}

enum { PHASE_BEFORE, PHASE_DURING, PHASE_AFTER };

/* Merge the segment's latencies where recording them one by one would
 * have put them: the window, the run, and the rollout phase's.  Exact:
 * merging adds bucket counts, sums, minima and maxima. */
static void
flush_segment (SimMetrics *m)
{
    if (sim_histogram_count (&m->seg_latency) == 0)
        return;
    sim_histogram_merge (&m->win_latency, &m->seg_latency);
    sim_histogram_merge (&m->latency_all, &m->seg_latency);
    if (m->seg_phase == PHASE_BEFORE)
        sim_histogram_merge (&m->latency_before, &m->seg_latency);
    else if (m->seg_phase == PHASE_DURING)
        sim_histogram_merge (&m->latency_during, &m->seg_latency);
    sim_histogram_reset (&m->seg_latency);
}

void
sim_metrics_ok (SimMetrics *m, gint version, SimTime latency,
                gboolean during_rollout, gboolean before_rollout,
                SimTraffic kind)
{
    gint phase;

    if (kind != SIM_TRAFFIC_USER) {
        side_answer (m, kind, version, -1);
        return;
    }
    m->win.ok++;
    m->total.ok++;
    m->win_v[version].ok++;
    m->total_v[version].ok++;
    phase = before_rollout   ? PHASE_BEFORE
            : during_rollout ? PHASE_DURING
                             : PHASE_AFTER;
    if (G_UNLIKELY (phase != m->seg_phase)) {
        flush_segment (m);
        m->seg_phase = phase;
    }
    sim_histogram_record (&m->seg_latency, latency);
    if (m->bad_versions & (1u << version))
        m->bad_version_requests++;
}

void
sim_metrics_error (SimMetrics *m, gint version, SimCause cause, SimTraffic kind)
{
    if (kind != SIM_TRAFFIC_USER) {
        side_answer (m, kind, version, cause);
        return;
    }
    m->win.errors++;
    m->win.cause[cause]++;
    m->total.errors++;
    m->total.cause[cause]++;
    if (version >= 0) {
        m->win_v[version].errors++;
        m->win_v[version].cause[cause]++;
        m->total_v[version].errors++;
        m->total_v[version].cause[cause]++;
        /* Only answers count towards the blast radius: a version that
         * answered (even with a 5xx) was reached by the user. */
        if (cause == SIM_CAUSE_APP_ERROR && (m->bad_versions & (1u << version)))
            m->bad_version_requests++;
    }
}

void
sim_metrics_pods (SimMetrics *m, SimTime now, gint pods, gint active,
                  gint ready, gint replicas, gboolean track_min)
{
    double dt = (double) (now - m->last_change) / 1e6;

    m->pod_seconds += m->pods_now * dt;
    if (m->pods_now == m->peak_pods)
        m->peak_pods_seconds += dt;
    if (m->pods_now > replicas)
        m->extra_pod_seconds += (m->pods_now - replicas) * dt;
    m->last_change = now;
    m->pods_now = pods;
    m->active_now = active;
    m->ready_now = ready;
    if (pods > m->peak_pods) {
        m->peak_pods = pods;
        m->peak_pods_seconds = 0;
    }
    if (active > m->peak_active_pods)
        m->peak_active_pods = active;
    if (track_min && (m->min_ready < 0 || ready < m->min_ready))
        m->min_ready = ready;
}

static double
quantile_ms (const SimHistogram *h, double q)
{
    if (sim_histogram_count (h) == 0)
        return NAN;
    return sim_histogram_quantile (h, q) / 1000.0;
}

/* p50, p95 and p99 in ms, in one walk; NaN when empty. */
static void
quantiles_ms (const SimHistogram *h, double *p50, double *p95, double *p99)
{
    static const double q[] = { 0.50, 0.95, 0.99 };
    double v[3];

    sim_histogram_quantiles (h, 3, q, v);
    *p50 = v[0] / 1000.0;
    *p95 = v[1] / 1000.0;
    *p99 = v[2] / 1000.0;
}

void
sim_metrics_stream (SimMetrics *m, SimRowSink sink, gpointer data)
{
    gint n = m->n_versions;

    g_return_if_fail (m->sink == NULL);
    for (guint i = 0; i < m->timeseries->len; i++)
        sink (data, &g_array_index (m->timeseries, SimTimeseriesRow, i),
              &g_array_index (m->versions, SimVersionRow, i * (guint) n), n);
    g_array_set_size (m->timeseries, 0);
    g_array_set_size (m->versions, 0);
    m->sink = sink;
    m->sink_data = data;
}

void
sim_metrics_sample (SimMetrics *m, SimTime now, const SimVersionStatus *vs)
{
    SimTimeseriesRow row = { .time = now };
    SimVersionRow vrows[SIM_MAX_VERSIONS];

    flush_segment (m);
    for (gint v = 0; v < m->n_versions; v++) {
        SimVersionRow r = {
            .time = now,
            .version = v,
            .desired = vs[v].desired,
            .pods = vs[v].st.replicas,
            .pending = vs[v].st.pending,
            .starting = vs[v].st.starting,
            .ready = vs[v].st.ready,
            .available = vs[v].st.available,
            .terminating = vs[v].st.terminating,
            .endpoints = vs[v].endpoints,
            .c = m->win_v[v],
            .preview = m->side[SIM_TRAFFIC_PREVIEW].win_v[v],
            .mirrored = m->side[SIM_TRAFFIC_MIRROR].win_v[v],
        };

        r.share = m->win.arrivals > 0
                      ? (double) r.c.arrivals / (double) m->win.arrivals
                      : NAN;
        row.desired += r.desired;
        row.pods += r.pods;
        row.pending += r.pending;
        row.starting += r.starting;
        row.ready += r.ready;
        row.terminating += r.terminating;
        vrows[v] = r;
    }
    row.c = m->win;
    quantiles_ms (&m->win_latency, &row.p50_ms, &row.p95_ms, &row.p99_ms);
    row.in_flight = m->in_flight_now;
    row.hpa_desired = m->cluster.hpa_desired;
    row.nodes = m->cluster.nodes;
    row.cpu_utilization = m->cluster.cpu_utilization;
    row.cpu_used = m->cluster.cpu_used;
    if (m->sink != NULL) {
        m->sink (m->sink_data, &row, vrows, m->n_versions);
    } else {
        g_array_append_vals (m->versions, vrows, (guint) m->n_versions);
        g_array_append_val (m->timeseries, row);
    }

    memset (&m->win, 0, sizeof m->win);
    memset (m->win_v, 0, sizeof m->win_v);
    for (gint k = 0; k < SIM_TRAFFIC_N; k++)
        memset (m->side[k].win_v, 0, sizeof m->side[k].win_v);
    sim_histogram_reset (&m->win_latency);
}

void
sim_metrics_nodes (SimMetrics *m, SimTime now, gint nodes)
{
    m->node_seconds += (double) m->nodes_now * (double) (now - m->nodes_changed)
                       / 1e6;
    m->nodes_changed = now;
    m->nodes_now = nodes;
    m->peak_nodes = MAX (m->peak_nodes, nodes);
}

void
sim_metrics_hpa_scaled (SimMetrics *m, gint replicas)
{
    m->peak_replicas = MAX (m->peak_replicas, replicas);
}

void
sim_metrics_cluster (SimMetrics *m, const SimClusterSample *cs)
{
    m->cluster = *cs;
}

void
sim_metrics_summary (SimMetrics *m, SimTime end, const SimRolloutRecord *r,
                     SimSummary *out)
{
    /* Close the integrals at the end of the run. */
    sim_metrics_pods (m, end, m->pods_now, m->active_now, m->ready_now,
                      m->replicas, FALSE);
    sim_metrics_in_flight (m, end, 0, SIM_TRAFFIC_USER);
    sim_metrics_nodes (m, end, m->nodes_now);
    flush_segment (m);

    memset (out, 0, sizeof *out);
    out->rollout_start = r->start;
    out->rollout_end = r->end;
    out->rollouts = r->count;
    out->outcome = r->outcome;
    /* Past its progress deadline and never recovered: stalled. */
    if (r->outcome == SIM_OUTCOME_UNFINISHED && r->stalled)
        out->outcome = SIM_OUTCOME_STALLED;
    out->total = m->total;
    out->preview = m->side[SIM_TRAFFIC_PREVIEW].total;
    out->mirrored = m->side[SIM_TRAFFIC_MIRROR].total;
    out->in_flight_end = m->in_flight_now;
    out->availability = m->total.arrivals > 0
                            ? (double) m->total.ok / (double) m->total.arrivals
                            : NAN;
    out->mean_ms = sim_histogram_count (&m->latency_all) > 0
                       ? sim_histogram_mean (&m->latency_all) / 1000.0
                       : NAN;
    out->wait_mean_ms = m->wait_n > 0 ? m->wait_sum / m->wait_n * 1000.0 : NAN;
    out->wait_prob = m->wait_n > 0 ? (double) m->waited / m->wait_n : NAN;
    quantiles_ms (&m->latency_all, &out->p50_ms, &out->p95_ms, &out->p99_ms);
    out->p99_ms_before = quantile_ms (&m->latency_before, 0.99);
    out->p99_ms_during = quantile_ms (&m->latency_during, 0.99);
    out->in_flight_mean = end > 0
                              ? (double) m->in_flight_integral / (double) end
                              : NAN;
    out->min_ready = m->min_ready;
    out->peak_pods = m->peak_pods;
    out->peak_pods_s = m->peak_pods_seconds;
    out->peak_active_pods = m->peak_active_pods;
    /* Every pod requests the same (deployment.cpu, .memory), so the
     * most requested at once is the most pods at once times that.  A
     * model where pods differ would sum their requests as they change. */
    out->peak_cpu = (double) m->peak_pods * (double) m->pod_cpu / 1000.0;
    out->peak_memory = (gint64) m->peak_pods * m->pod_memory;
    out->pod_seconds = m->pod_seconds;
    out->extra_pod_seconds = m->extra_pod_seconds;
    out->bad_version_requests = m->bad_version_requests;
    out->peak_replicas = m->peak_replicas;
    out->peak_nodes = m->peak_nodes;
    out->node_seconds = m->node_seconds;
    for (guint i = 0; i < (m->n_users + 63) / 64; i++)
        out->bad_version_users += (guint) __builtin_popcountll (
            m->users_hit[i]);
    out->detection_s = NAN;
    if (r->aborted_at >= 0 && r->first_new_request >= 0)
        out->detection_s = (r->aborted_at - r->first_new_request) / 1e6;
}

gboolean
sim_metrics_conserved (const SimMetrics *m, char **why)
{
    const SimCounters *t = &m->total;
    guint64 causes = 0, per_version = 0;
    gint64 held = 0;

    if (t->arrivals != t->ok + t->errors + (guint64) m->in_flight_now) {
        *why = g_strdup_printf (
            "arrivals %" G_GUINT64_FORMAT " != ok %" G_GUINT64_FORMAT
            " + errors %" G_GUINT64_FORMAT " + in flight %" G_GINT64_FORMAT,
            t->arrivals, t->ok, t->errors, m->in_flight_now);
        return FALSE;
    }
    for (gint k = 0; k < SIM_N_CAUSES; k++)
        causes += t->cause[k];
    if (causes != t->errors) {
        *why = g_strdup_printf ("causes add up to %" G_GUINT64_FORMAT
                                ", errors are %" G_GUINT64_FORMAT,
                                causes, t->errors);
        return FALSE;
    }
    for (gint v = 0; v < m->n_versions; v++) {
        const SimCounters *c = &m->total_v[v];

        if (c->arrivals < c->ok + c->errors) {
            *why = g_strdup_printf ("version %d answered more than it "
                                    "received",
                                    v);
            return FALSE;
        }
        held += (gint64) (c->arrivals - c->ok - c->errors);
        per_version += c->arrivals;
    }
    if (held != m->in_flight_now) {
        *why = g_strdup_printf ("versions hold %" G_GINT64_FORMAT
                                " requests, %" G_GINT64_FORMAT " are in flight",
                                held, m->in_flight_now);
        return FALSE;
    }
    if (per_version + t->cause[SIM_CAUSE_NO_ENDPOINT] != t->arrivals) {
        *why = g_strdup_printf ("versions received %" G_GUINT64_FORMAT
                                " + no endpoint %" G_GUINT64_FORMAT " != "
                                "arrivals %" G_GUINT64_FORMAT,
                                per_version, t->cause[SIM_CAUSE_NO_ENDPOINT],
                                t->arrivals);
        return FALSE;
    }
    for (gint k = SIM_TRAFFIC_PREVIEW; k < SIM_TRAFFIC_N; k++) {
        const SimCounters *p = &m->side[k].total;
        const char *what = k == SIM_TRAFFIC_PREVIEW ? "preview" : "mirrored";
        guint64 received = 0;

        if (p->arrivals != p->ok + p->errors + (guint64) m->side[k].in_flight) {
            *why = g_strdup_printf ("%s arrivals != ok + errors + in flight",
                                    what);
            return FALSE;
        }
        for (gint v = 0; v < m->n_versions; v++)
            received += m->side[k].total_v[v].arrivals;
        if (received + p->cause[SIM_CAUSE_NO_ENDPOINT] != p->arrivals) {
            *why = g_strdup_printf ("%s: versions received %" G_GUINT64_FORMAT
                                    " + no endpoint != arrivals",
                                    what, received);
            return FALSE;
        }
    }
    return TRUE;
}
