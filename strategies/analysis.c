/* analysis.c - AnalysisRun semantics over the world's probes.  See
 * analysis.h. */
#include <math.h>
#include "analysis.h"

/* The negation, for the narration of a failed condition. */
static const char *const op_negated[] = {
    [SIM_OP_LT] = ">=", [SIM_OP_LE] = ">", [SIM_OP_GT] = "<=",
    [SIM_OP_GE] = "<",
};

static double
metric_value (SimMetricKind m, const SimProbeReading *r)
{
    double n = (double) r->requests;

    switch (m) {
    case SIM_METRIC_ERROR_RATE:
        return n > 0 ? (double) r->errors / n : NAN;
    case SIM_METRIC_SUCCESS_RATE:
        return n > 0 ? (double) r->ok / n : NAN;
    case SIM_METRIC_P50_MS:
        return r->p50_ms;
    case SIM_METRIC_P95_MS:
        return r->p95_ms;
    case SIM_METRIC_P99_MS:
        return r->p99_ms;
    case SIM_METRIC_MEAN_MS:
        return r->mean_ms;
    }
    return NAN;
}

static gboolean
holds (SimCompareOp op, double value, double threshold)
{
    switch (op) {
    case SIM_OP_LT:
        return value < threshold;
    case SIM_OP_LE:
        return value <= threshold;
    case SIM_OP_GT:
        return value > threshold;
    case SIM_OP_GE:
        return value >= threshold;
    }
    return FALSE;
}

SimAnalysisPhase
sim_analysis_judge (const SimScenario *sc, const SimProbeReading *reading,
                    char **text)
{
    GString *s = g_string_new (NULL);
    gboolean pass = TRUE;

    /* No data is never a verdict (Argo counts it an error, tolerated
     * several times in a row): inconclusive, whatever min_requests. */
    if (reading->requests == 0
        || reading->requests < (guint64) sc->analysis_min_requests) {
        g_string_printf (s, "inconclusive: %" G_GUINT64_FORMAT
                         " requests < min_requests %d", reading->requests,
                         sc->analysis_min_requests);
        *text = g_string_free (s, FALSE);
        return SIM_ANALYSIS_INCONCLUSIVE;
    }
    for (gint i = 0; i < sc->n_analysis_metrics; i++) {
        const SimAnalysisCondition *c = &sc->analysis_metrics[i];
        double v = metric_value (c->metric, reading);
        /* No successful request: latency cannot be judged, so the
         * condition does not hold. */
        gboolean ok = !isnan (v) && holds (c->op, v, c->threshold);

        pass &= ok;
        g_string_append_printf (s, "%s%s %.4g %s %g", i > 0 ? "; " : "",
                                sim_scenario_metric_name (c->metric), v,
                                ok ? sim_scenario_op_name (c->op) : op_negated[c->op],
                                c->threshold);
    }
    g_string_prepend (s, pass ? "passed: " : "failed: ");
    g_string_append_printf (s, " (%" G_GUINT64_FORMAT " requests)",
                            reading->requests);
    *text = g_string_free (s, FALSE);
    return pass ? SIM_ANALYSIS_SUCCESSFUL : SIM_ANALYSIS_FAILED;
}

void
sim_analysis_start (SimAnalysisRun *run, SimWorld *w, gint v,
                    const char *label)
{
    const SimScenario *sc = sim_world_scenario (w);

    sim_analysis_clear (run);
    run->phase = SIM_ANALYSIS_RUNNING;
    run->label = label;
    run->version = v;
    run->taken = run->failed = run->inconclusive = 0;
    /* The probe opens after the initial delay, at the first measurement's
     * window; until then nothing is counted. */
    run->probe = -1;
    run->next_at = sim_world_now (w) + sc->analysis_initial_delay
                   + sc->analysis_interval;
    if (sc->analysis_initial_delay == 0)
        run->probe = sim_world_probe_open (w, v);
    run->woken_for = run->next_at;
    sim_world_wake_at (w, run->next_at);
    if (sc->analysis_initial_delay > 0)
        sim_world_wake_at (w, run->next_at - sc->analysis_interval);
    sim_world_narrate (w, "%s started on %s: %d measurement(s) every %.0fs",
                       label, sc->versions[v].name, sc->analysis_count,
                       SIM_TIME_TO_SEC (sc->analysis_interval));
}

static void
finish (SimAnalysisRun *run, SimWorld *w, SimAnalysisPhase phase)
{
    run->phase = phase;
    sim_world_probe_close (w, run->probe);
    run->probe = -1;
}

SimAnalysisPhase
sim_analysis_poll (SimAnalysisRun *run, SimWorld *w)
{
    const SimScenario *sc = sim_world_scenario (w);
    SimTime now = sim_world_now (w);

    if (run->phase != SIM_ANALYSIS_RUNNING)
        return run->phase;
    /* Open the probe when the initial delay is over. */
    if (run->probe < 0 && now >= run->next_at - sc->analysis_interval)
        run->probe = sim_world_probe_open (w, run->version);
    while (run->phase == SIM_ANALYSIS_RUNNING && now >= run->next_at) {
        SimProbeReading r = { 0 };
        SimAnalysisPhase m;
        g_autofree char *text = NULL;

        if (run->probe >= 0) {
            sim_world_probe_read (w, run->probe, &r);
            sim_world_probe_reset (w, run->probe);
        }
        m = sim_analysis_judge (sc, &r, &text);
        run->taken++;
        run->failed += m == SIM_ANALYSIS_FAILED;
        run->inconclusive += m == SIM_ANALYSIS_INCONCLUSIVE;
        g_free (run->last);
        run->last = g_strdup (text);
        /* The row is narrated under --trace like every other. */
        sim_world_log (w, SIM_EVENT_ANALYSIS, run->label, run->version, TRUE,
                       run->taken, text);

        if (sc->analysis_failure_limit >= 0
            && run->failed > sc->analysis_failure_limit)
            finish (run, w, SIM_ANALYSIS_FAILED);
        else if (run->inconclusive > sc->analysis_inconclusive_limit)
            finish (run, w, SIM_ANALYSIS_INCONCLUSIVE);
        else if (sc->analysis_count > 0 && run->taken >= sc->analysis_count)
            finish (run, w, SIM_ANALYSIS_SUCCESSFUL);
        else
            run->next_at += sc->analysis_interval;
    }
    if (run->phase == SIM_ANALYSIS_RUNNING && run->woken_for != run->next_at) {
        run->woken_for = run->next_at;
        sim_world_wake_at (w, run->next_at);
    }
    return run->phase;
}

void
sim_analysis_stop (SimAnalysisRun *run, SimWorld *w)
{
    if (run->phase == SIM_ANALYSIS_RUNNING)
        finish (run, w, SIM_ANALYSIS_SUCCESSFUL);
}

void
sim_analysis_clear (SimAnalysisRun *run)
{
    g_clear_pointer (&run->last, g_free);
}
