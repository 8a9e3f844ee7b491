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
                    SimAnalysisPhase *per_condition, char **text)
{
    GString *s = g_string_new (NULL);
    gboolean any_failed = FALSE, any_inconclusive = FALSE;

    /* No data is never a verdict (Argo counts it an error, tolerated
     * several times in a row): inconclusive, whatever min_requests. */
    if (reading->requests == 0
        || reading->requests < (guint64) sc->analysis_min_requests) {
        for (gint i = 0; per_condition != NULL
                         && i < sc->n_analysis_metrics; i++)
            per_condition[i] = SIM_ANALYSIS_INCONCLUSIVE;
        g_string_printf (s, "inconclusive: %" G_GUINT64_FORMAT
                         " requests < min_requests %d", reading->requests,
                         MAX (sc->analysis_min_requests, 1));
        *text = g_string_free (s, FALSE);
        return SIM_ANALYSIS_INCONCLUSIVE;
    }
    for (gint i = 0; i < sc->n_analysis_metrics; i++) {
        const SimAnalysisCondition *c = &sc->analysis_metrics[i];
        double v = metric_value (c->metric, reading);
        SimAnalysisPhase p;
        const char *op;

        /* No value (a latency without a successful request): it cannot
         * be judged either way. */
        if (isnan (v)) {
            p = SIM_ANALYSIS_INCONCLUSIVE;
            op = "?";
        } else if (holds (c->op, v, c->threshold)) {
            p = SIM_ANALYSIS_SUCCESSFUL;
            op = sim_scenario_op_name (c->op);
        } else {
            p = SIM_ANALYSIS_FAILED;
            op = op_negated[c->op];
        }
        any_failed |= p == SIM_ANALYSIS_FAILED;
        any_inconclusive |= p == SIM_ANALYSIS_INCONCLUSIVE;
        if (per_condition != NULL)
            per_condition[i] = p;
        g_string_append_printf (s, "%s%s %.4g %s %g", i > 0 ? "; " : "",
                                sim_scenario_metric_name (c->metric), v, op,
                                c->threshold);
    }
    g_string_prepend (s, any_failed ? "failed: "
                         : any_inconclusive ? "inconclusive: " : "passed: ");
    g_string_append_printf (s, " (%" G_GUINT64_FORMAT " requests)",
                            reading->requests);
    *text = g_string_free (s, FALSE);
    return any_failed ? SIM_ANALYSIS_FAILED
           : any_inconclusive ? SIM_ANALYSIS_INCONCLUSIVE
                              : SIM_ANALYSIS_SUCCESSFUL;
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
    run->taken = 0;
    run->failed = g_new0 (gint, MAX (sc->n_analysis_metrics, 1));
    run->inconclusive = g_new0 (gint, MAX (sc->n_analysis_metrics, 1));
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
        g_autofree char *text = NULL;
        g_autofree SimAnalysisPhase *per = g_new0 (SimAnalysisPhase,
                                                   MAX (sc->n_analysis_metrics,
                                                        1));
        SimAnalysisPhase phase;

        if (run->probe >= 0) {
            sim_world_probe_read (w, run->probe, &r);
            sim_world_probe_reset (w, run->probe);
        }
        sim_analysis_judge (sc, &r, per, &text);
        run->taken++;
        g_free (run->last);
        run->last = g_strdup (text);
        /* The row is narrated under --trace like every other. */
        sim_world_log (w, SIM_EVENT_ANALYSIS, run->label, run->version, TRUE,
                       run->taken, text);

        for (gint i = 0; i < sc->n_analysis_metrics; i++) {
            run->failed[i] += per[i] == SIM_ANALYSIS_FAILED;
            run->inconclusive[i] += per[i] == SIM_ANALYSIS_INCONCLUSIVE;
        }
        phase = sim_analysis_limits (sc, run->taken, run->failed,
                                     run->inconclusive,
                                     sc->n_analysis_metrics);
        if (phase != SIM_ANALYSIS_RUNNING)
            finish (run, w, phase);
        else
            run->next_at += sc->analysis_interval;
    }
    if (run->phase == SIM_ANALYSIS_RUNNING && run->woken_for != run->next_at) {
        run->woken_for = run->next_at;
        sim_world_wake_at (w, run->next_at);
    }
    return run->phase;
}

SimAnalysisPhase
sim_analysis_limits (const SimScenario *sc, gint taken, const gint *failed,
                     const gint *inconclusive, gint n)
{
    gboolean any_failed = FALSE, any_inconclusive = FALSE;

    /* Each metric against its own limits, as Argo counts them; the run
     * takes the worst: failed before inconclusive. */
    for (gint i = 0; i < n; i++) {
        any_failed |= sc->analysis_failure_limit >= 0
                      && failed[i] > sc->analysis_failure_limit;
        any_inconclusive |= inconclusive[i] > sc->analysis_inconclusive_limit;
    }
    if (any_failed)
        return SIM_ANALYSIS_FAILED;
    if (any_inconclusive)
        return SIM_ANALYSIS_INCONCLUSIVE;
    if (sc->analysis_count > 0 && taken >= sc->analysis_count)
        return SIM_ANALYSIS_SUCCESSFUL;
    return SIM_ANALYSIS_RUNNING;
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
    g_clear_pointer (&run->failed, g_free);
    g_clear_pointer (&run->inconclusive, g_free);
}
