/* analysis.c - AnalysisRun semantics over the world's probes, and the
 * [analysis] group: its keys and the condition grammar.  See
 * analysis.h. */
#include <math.h>
#include <string.h>
#include "analysis.h"

static const char *const metric_names[] = {
#define SIM_METRIC_NAME(id, name) name,
    SIM_METRICS (SIM_METRIC_NAME)
#undef SIM_METRIC_NAME
};

static const char *const op_names[] = {
#define SIM_OP_NAME(id, name) name,
    SIM_COMPARE_OPS (SIM_OP_NAME)
#undef SIM_OP_NAME
};

const char *
sim_analysis_metric_name (SimMetricKind metric)
{
    g_return_val_if_fail (metric < G_N_ELEMENTS (metric_names), "?");
    return metric_names[metric];
}

const char *
sim_analysis_op_name (SimCompareOp op)
{
    g_return_val_if_fail (op < G_N_ELEMENTS (op_names), "?");
    return op_names[op];
}

/* The negation, for the narration of a failed condition. */
static const char *const op_negated[] = {
    [SIM_OP_LT] = ">=",
    [SIM_OP_LE] = ">",
    [SIM_OP_GT] = "<=",
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
sim_analysis_judge (const SimAnalysisSettings *as,
                    const SimProbeReading *reading,
                    SimAnalysisPhase *per_condition, char **text)
{
    GString *s = g_string_new (NULL);
    gboolean any_failed = FALSE, any_inconclusive = FALSE;

    /* No data is no verdict: Argo's provider returns nothing and the
     * measurement is an Error ("no data returned from the metric
     * provider"), retried and tolerated consecutive_error_limit times. */
    if (reading->requests == 0) {
        for (gint i = 0; per_condition != NULL && i < as->metrics.n; i++)
            per_condition[i] = SIM_ANALYSIS_ERROR;
        g_string_printf (s, "error: no data (0 requests)");
        *text = g_string_free (s, FALSE);
        return SIM_ANALYSIS_ERROR;
    }
    /* rollsim's own guard, off unless written. */
    if (reading->requests < (guint64) as->min_requests) {
        for (gint i = 0; per_condition != NULL && i < as->metrics.n; i++)
            per_condition[i] = SIM_ANALYSIS_INCONCLUSIVE;
        g_string_printf (s,
                         "inconclusive: %" G_GUINT64_FORMAT
                         " requests < min_requests %d",
                         reading->requests, as->min_requests);
        *text = g_string_free (s, FALSE);
        return SIM_ANALYSIS_INCONCLUSIVE;
    }
    for (gint i = 0; i < as->metrics.n; i++) {
        const SimAnalysisCondition *c = &sim_analysis_conditions (as)[i];
        double v = metric_value (c->metric, reading);
        SimAnalysisPhase p;
        const char *op;

        /* No value (a latency when every request failed): like Argo's
         * NaN, the success condition does not hold. */
        if (isnan (v)) {
            p = SIM_ANALYSIS_FAILED;
            op = "?";
        } else if (holds (c->op, v, c->threshold)) {
            p = SIM_ANALYSIS_SUCCESSFUL;
            op = sim_analysis_op_name (c->op);
        } else {
            p = SIM_ANALYSIS_FAILED;
            op = op_negated[c->op];
        }
        any_failed |= p == SIM_ANALYSIS_FAILED;
        any_inconclusive |= p == SIM_ANALYSIS_INCONCLUSIVE;
        if (per_condition != NULL)
            per_condition[i] = p;
        g_string_append_printf (s, "%s%s %.4g %s %g", i > 0 ? "; " : "",
                                sim_analysis_metric_name (c->metric), v, op,
                                c->threshold);
    }
    g_string_prepend (s, any_failed         ? "failed: "
                         : any_inconclusive ? "inconclusive: "
                                            : "passed: ");
    g_string_append_printf (s, " (%" G_GUINT64_FORMAT " requests)",
                            reading->requests);
    *text = g_string_free (s, FALSE);
    return any_failed         ? SIM_ANALYSIS_FAILED
           : any_inconclusive ? SIM_ANALYSIS_INCONCLUSIVE
                              : SIM_ANALYSIS_SUCCESSFUL;
}

void
sim_analysis_start (SimAnalysisRun *run, SimWorld *w, gint v, const char *label)
{
    const SimScenario *sc = sim_world_scenario (w);
    const SimAnalysisSettings *as = sim_analysis_settings (sc);

    sim_analysis_clear (run);
    run->phase = SIM_ANALYSIS_RUNNING;
    run->label = label;
    run->version = v;
    run->taken = 0;
    run->counted = 0;
    run->errors = 0;
    run->failed = g_new0 (gint, MAX (as->metrics.n, 1));
    run->inconclusive = g_new0 (gint, MAX (as->metrics.n, 1));
    /* The probe opens after the initial delay, at the first measurement's
     * window; until then nothing is counted. */
    run->probe = -1;
    run->next_at = sim_world_now (w) + as->initial_delay + as->interval;
    if (as->initial_delay == 0)
        run->probe = sim_world_probe_open (w, v);
    run->woken_for = run->next_at;
    sim_world_wake_at (w, run->next_at);
    if (as->initial_delay > 0)
        sim_world_wake_at (w, run->next_at - as->interval);
    if (as->count > 0)
        sim_world_narrate (w, "%s started on %s: %d measurement(s) every %.0fs",
                           label, sc->versions[v].name, as->count,
                           SIM_TIME_TO_SEC (as->interval));
    else
        sim_world_narrate (w,
                           "%s started on %s: a measurement every %.0fs "
                           "until the rollout ends (count 0)",
                           label, sc->versions[v].name,
                           SIM_TIME_TO_SEC (as->interval));
}

static void
finish (SimAnalysisRun *run, SimWorld *w, SimAnalysisPhase phase)
{
    run->phase = phase;
    sim_world_probe_close (w, run->probe);
    run->probe = -1;
}

/* The trace says which limit decided, after each measurement that
 * failed or was inconclusive, and when the run ends. */
static void
narrate_rule (const SimAnalysisRun *run, SimWorld *w,
              const SimAnalysisSettings *as, SimAnalysisPhase phase)
{
    gint failed = 0, inconclusive = 0;

    for (gint i = 0; i < as->metrics.n; i++) {
        failed = MAX (failed, run->failed[i]);
        inconclusive = MAX (inconclusive, run->inconclusive[i]);
    }
    switch (phase) {
    case SIM_ANALYSIS_FAILED:
        sim_world_narrate (w,
                           "%s fails: %d failed measurement(s) > failure "
                           "limit %d (Argo: the analysis run fails, and the "
                           "rollout aborts)",
                           run->label, failed, as->failure_limit);
        break;
    case SIM_ANALYSIS_INCONCLUSIVE:
        sim_world_narrate (w,
                           "%s is inconclusive: %d inconclusive measurement(s) "
                           "> inconclusive limit %d (Argo: the rollout "
                           "pauses for a person to decide)",
                           run->label, inconclusive, as->inconclusive_limit);
        break;
    case SIM_ANALYSIS_ERROR:
        sim_world_narrate (w,
                           "%s errors: %d measurement(s) in a row without "
                           "data > consecutive error limit %d",
                           run->label, run->errors,
                           as->consecutive_error_limit);
        break;
    case SIM_ANALYSIS_SUCCESSFUL:
        sim_world_narrate (w,
                           "%s succeeds: %d of %d measurement(s) taken, "
                           "%d failed <= failure limit %d",
                           run->label, run->counted, as->count, failed,
                           as->failure_limit);
        break;
    default:
        if (failed > 0 || inconclusive > 0)
            sim_world_narrate (w,
                               "%s goes on: %d failed <= failure limit %d, %d "
                               "inconclusive <= inconclusive limit %d",
                               run->label, failed, as->failure_limit,
                               inconclusive, as->inconclusive_limit);
        break;
    }
}


SimAnalysisPhase
sim_analysis_poll (SimAnalysisRun *run, SimWorld *w)
{
    const SimAnalysisSettings *as = sim_analysis_settings (
        sim_world_scenario (w));
    SimTime now = sim_world_now (w);

    if (run->phase != SIM_ANALYSIS_RUNNING)
        return run->phase;
    /* Open the probe when the initial delay is over. */
    if (run->probe < 0 && now >= run->next_at - as->interval)
        run->probe = sim_world_probe_open (w, run->version);
    while (run->phase == SIM_ANALYSIS_RUNNING && now >= run->next_at) {
        SimProbeReading r = { 0 };
        g_autofree char *text = NULL;
        g_autofree SimAnalysisPhase *per = g_new0 (SimAnalysisPhase,
                                                   MAX (as->metrics.n, 1));
        SimAnalysisPhase phase;

        if (run->probe >= 0) {
            sim_world_probe_read (w, run->probe, &r);
            sim_world_probe_reset (w, run->probe);
        }
        phase = sim_analysis_judge (as, &r, per, &text);
        run->taken++;
        g_free (run->last);
        run->last = g_strdup (text);
        /* The row is narrated under --trace like every other. */
        sim_world_log (w, SIM_EVENT_ANALYSIS, run->label, run->version, TRUE,
                       run->taken, text);

        if (phase == SIM_ANALYSIS_ERROR) {
            /* Not counted; retried DefaultErrorRetryInterval later. */
            run->errors++;
        } else {
            run->errors = 0;
            run->counted++;
            for (gint i = 0; i < as->metrics.n; i++) {
                run->failed[i] += per[i] == SIM_ANALYSIS_FAILED;
                run->inconclusive[i] += per[i] == SIM_ANALYSIS_INCONCLUSIVE;
            }
        }
        run->next_at += phase == SIM_ANALYSIS_ERROR ? SIM_ANALYSIS_ERROR_RETRY
                                                    : as->interval;
        phase = sim_analysis_limits (as, run->counted, run->errors, run->failed,
                                     run->inconclusive, as->metrics.n);
        narrate_rule (run, w, as, phase);
        if (phase != SIM_ANALYSIS_RUNNING)
            finish (run, w, phase);
    }
    if (run->phase == SIM_ANALYSIS_RUNNING && run->woken_for != run->next_at) {
        run->woken_for = run->next_at;
        sim_world_wake_at (w, run->next_at);
    }
    return run->phase;
}

SimAnalysisPhase
sim_analysis_limits (const SimAnalysisSettings *as, gint counted, gint errors,
                     const gint *failed, const gint *inconclusive, gint n)
{
    gboolean any_failed = FALSE, any_inconclusive = FALSE;

    /* Each metric against its own limits, as Argo counts them; the run
     * takes the worst: failed before inconclusive. */
    for (gint i = 0; i < n; i++) {
        any_failed |= as->failure_limit >= 0 && failed[i] > as->failure_limit;
        any_inconclusive |= inconclusive[i] > as->inconclusive_limit;
    }
    if (any_failed)
        return SIM_ANALYSIS_FAILED;
    if (errors > as->consecutive_error_limit)
        return SIM_ANALYSIS_ERROR;
    if (any_inconclusive)
        return SIM_ANALYSIS_INCONCLUSIVE;
    if (as->count > 0 && counted >= as->count)
        return SIM_ANALYSIS_SUCCESSFUL;
    return SIM_ANALYSIS_RUNNING;
}

void
sim_analysis_stop (SimAnalysisRun *run, SimWorld *w)
{
    if (run->phase == SIM_ANALYSIS_RUNNING)
        finish (run, w, SIM_ANALYSIS_SUCCESSFUL);
}

char *
sim_analysis_why (const SimAnalysisRun *run)
{
    if (run->phase == SIM_ANALYSIS_ERROR)
        return g_strdup_printf ("%s errored: %d measurements in a row "
                                "without data > consecutive_error_limit %d",
                                run->label, run->errors, run->errors - 1);
    return g_strdup_printf ("%s %d %s", run->label, run->taken,
                            run->last != NULL ? run->last : "");
}

void
sim_analysis_clear (SimAnalysisRun *run)
{
    g_clear_pointer (&run->last, g_free);
    g_clear_pointer (&run->failed, g_free);
    g_clear_pointer (&run->inconclusive, g_free);
}

/* --- [analysis]: the condition grammar and the keys ------------------------ */

#define ACCEPT_METRICS \
    "conditions METRIC OP NUMBER separated by ';'; " \
    "METRIC: error_rate, success_rate, p50_ms, p95_ms, p99_ms, mean_ms; " \
    "OP: <, <=, >, >="

/* "METRIC OP NUMBER", blanks optional around OP. */
static gboolean
parse_condition (const char *item, gpointer out, GString *canon, char **why)
{
    SimAnalysisCondition *c = out;
    const char *p = item;
    gsize len = strspn (p, "abcdefghijklmnopqrstuvwxyz0123456789_");
    g_autofree char *num = NULL;
    guint i;

    for (i = 0; i < G_N_ELEMENTS (metric_names); i++)
        if (len == strlen (metric_names[i])
            && strncmp (p, metric_names[i], len) == 0)
            break;
    if (i == G_N_ELEMENTS (metric_names)) {
        g_autofree char *m = g_strndup (p, len);

        *why = g_strdup_printf ("unknown metric \"%s\"", m);
        return FALSE;
    }
    c->metric = i;
    p += len;
    while (g_ascii_isspace (*p))
        p++;
    if (p[0] != '<' && p[0] != '>') {
        *why = g_strdup ("expected an operator <, <=, >, >= after the "
                         "metric");
        return FALSE;
    }
    if (p[1] == '=')
        c->op = p[0] == '<' ? SIM_OP_LE : SIM_OP_GE;
    else
        c->op = p[0] == '<' ? SIM_OP_LT : SIM_OP_GT;
    p += p[1] == '=' ? 2 : 1;
    while (g_ascii_isspace (*p))
        p++;
    if (!sim_key_to_double (p, &c->threshold)) {
        *why = g_strdup_printf ("\"%s\" is not a number", p);
        return FALSE;
    }
    num = sim_key_number_text (c->threshold);
    g_string_append_printf (canon, "%s %s %s", metric_names[c->metric],
                            op_names[c->op], num);
    return TRUE;
}

static const SimKeyItem condition_item = {
    .what = "condition",
    .size = sizeof (SimAnalysisCondition),
    .parse = parse_condition,
};

#define A SimAnalysisSettings

static const SimKeyRow analysis_rows[] = {
    SIM_KEY ("metrics", "error_rate < 0.01", "", ACCEPT_METRICS,
             "Conditions a measurement must meet to pass (see below).",
             SIM_KEY_T_LIST (A, metrics, "conditions", &condition_item)),
    SIM_KEY ("interval", "30s", "", SIM_KEY_ACCEPT_POSITIVE,
             "Time between measurements (each covers the requests since "
             "the previous one).",
             SIM_KEY_T_DURATION (A, interval, 1)),
    SIM_KEY ("count", "3", "measurements", "an integer >= 0",
             "Number of measurements; 0 = until the rollout ends.",
             SIM_KEY_T_INT (A, count, 0, G_MAXINT)),
    SIM_KEY ("initial_delay", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "Delay before the first measurement.",
             SIM_KEY_T_DURATION (A, initial_delay, 0)),
    SIM_KEY ("failure_limit", "0", "measurements", "an integer >= -1",
             "failureLimit: the analysis fails when more measurements than "
             "this fail; -1 = never.",
             SIM_KEY_T_INT (A, failure_limit, -1, G_MAXINT)),
    SIM_KEY ("inconclusive_limit", "0", "measurements", "an integer >= 0",
             "inconclusiveLimit: the analysis is inconclusive when more "
             "measurements than this are.",
             SIM_KEY_T_INT (A, inconclusive_limit, 0, G_MAXINT)),
    SIM_KEY ("consecutive_error_limit", "4", "measurements", "an integer >= 0",
             "consecutiveErrorLimit: the analysis errs, which aborts, when "
             "more measurements than this in a row have no data (not a "
             "single request answered).",
             SIM_KEY_T_INT (A, consecutive_error_limit, 0, G_MAXINT)),
    SIM_KEY ("min_requests", "0", "requests", "an integer >= 0",
             "A measurement over fewer requests than this (but at least "
             "one) is inconclusive; 0 = off, as in Argo, which has no such "
             "setting.",
             SIM_KEY_T_INT (A, min_requests, 0, G_MAXINT)),
    SIM_KEY ("background", "false", "", SIM_KEY_ACCEPT_BOOL,
             "Also run the analysis in the background through the canary "
             "steps, from start_step on.",
             SIM_KEY_T_BOOL (A, background)),
    SIM_KEY ("start_step", "0", "", "an integer >= 0",
             "Index of the canary step at which the background analysis "
             "starts.",
             SIM_KEY_T_INT (A, start_step, 0, G_MAXINT)),
    SIM_KEY_END,
};

#undef A

const SimKeyGroup sim_analysis_settings_group = {
    .name = "analysis",
    .doc = "The analysis used by canary `analysis` steps, the background "
           "analysis and blue-green pre- and post-promotion analysis.",
    .notes =
        "Conditions are separated by `;`; each is `METRIC OP NUMBER` and "
        "a measurement passes when every condition holds:\n"
        "\n"
        "| metric | meaning |\n"
        "| --- | --- |\n"
        "| `error_rate` | errors / requests of the version analysed, "
        "0..1 |\n"
        "| `success_rate` | ok / requests of the version analysed, 0..1 |\n"
        "| `p50_ms`, `p95_ms`, `p99_ms` | latency percentiles, ms |\n"
        "| `mean_ms` | mean latency, ms |\n"
        "\n"
        "OP is one of `<`, `<=`, `>`, `>=`.  Example: `metrics = "
        "error_rate < 0.01; p99_ms <= 500`\n",
    .rows = analysis_rows,
    .size = sizeof (SimAnalysisSettings),
};
