/* dist.c - duration distributions: parsing, canonical text, sampling.
 *
 * A SimDist is plain data filled in by sim_dist_parse() or
 * sim_dist_const(); it owns nothing.  Its parameters are whole
 * microseconds (they come from durations) of at most PARAM_MAX, so a
 * double holds them exactly, which is what makes sim_dist_format()
 * exact: the canonical text parses back to a SimDist with the same
 * fields, lognormal's precomputed mu and sigma included.
 *
 * Sampling draws from the caller's SimRng with our own samplers (no GSL
 * rng, no allocation), rounds to the nearest microsecond and clamps at 0
 * below and at SAMPLE_MAX above, so a sample can always be added to a
 * clock without overflow.
 */
#include "dist.h"

#include <math.h>
#include <string.h>

#define DIST_FORMS \
    "const(D), exp(MEAN), uniform(LOW,HIGH), normal(MEAN,SD), " \
    "lognormal(MEAN,SD), erlang(K,MEAN), or a duration"

/* The largest sample: 2^62 us, about 146 000 years. */
#define SAMPLE_MAX ((double) (G_GINT64_CONSTANT (1) << 62))

/* The largest parameter, 1000000 h (about 114 years): below 2^53 us,
 * so every parameter is a whole number of microseconds in a double.  A
 * duration near G_MAXINT64 would round up to 2^63 there, and its
 * canonical text would be wrong (negative). */
#define PARAM_MAX (1000000 * SIM_HOUR)
#define PARAM_MAX_TEXT "1000000h"

/* erlang(k, ...) draws k uniforms per sample; bound the cost. */
#define ERLANG_MAX_K 1000

typedef struct {
    const char *name;
    SimDistKind kind;
    guint n_args;
    const char *args; /* for messages */
} DistForm;

static const DistForm forms[] = {
    { "const", SIM_DIST_CONST, 1, "const(D)" },
    { "exp", SIM_DIST_EXP, 1, "exp(MEAN)" },
    { "uniform", SIM_DIST_UNIFORM, 2, "uniform(LOW,HIGH)" },
    { "normal", SIM_DIST_NORMAL, 2, "normal(MEAN,SD)" },
    { "lognormal", SIM_DIST_LOGNORMAL, 2, "lognormal(MEAN,SD)" },
    { "erlang", SIM_DIST_ERLANG, 2, "erlang(K,MEAN)" },
};

static gboolean
fail_form (GError **error, const char *input, const char *reason)
{
    g_set_error (error, SIM_UNITS_ERROR, SIM_UNITS_ERROR_INVALID,
                 "invalid distribution \"%s\": %s (accepted: %s)", input,
                 reason, DIST_FORMS);
    return FALSE;
}

/* An argument that is a duration: the units message already lists the
 * accepted duration forms, so it is passed on with the context. */
static gboolean
parse_arg (const char *input, const DistForm *form, guint i, const char *arg,
           SimTime *out, GError **error)
{
    GError *local = NULL;

    if (sim_units_parse_duration (arg, out, &local)) {
        g_autofree char *reason = NULL;

        if (*out <= PARAM_MAX)
            return TRUE;
        reason = g_strdup_printf ("argument %u of %s is above " PARAM_MAX_TEXT
                                  ", the largest parameter",
                                  i + 1, form->args);
        return fail_form (error, input, reason);
    }
    g_set_error (error, SIM_UNITS_ERROR, SIM_UNITS_ERROR_INVALID,
                 "invalid distribution \"%s\": argument %u of %s: %s", input,
                 i + 1, form->args, local->message);
    g_error_free (local);
    return FALSE;
}

static void
set_lognormal (SimDist *d)
{
    /* Moments of the value, not of its log:
     * sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2. */
    double var_log = log1p ((d->b * d->b) / (d->a * d->a));

    d->sigma = sqrt (var_log);
    d->mu = log (d->a) - var_log / 2.0;
}

gboolean
sim_dist_parse (const char *s, SimDist *out, GError **error)
{
    g_autofree char *copy = NULL;
    g_auto (GStrv) args = NULL;
    const DistForm *form = NULL;
    char *open, *close;
    SimTime v[2] = { 0, 0 };
    SimDist d = { 0 };

    g_return_val_if_fail (s != NULL, FALSE);
    g_return_val_if_fail (out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    copy = g_strstrip (g_strdup (s));
    if (*copy == '\0')
        return fail_form (error, copy, "empty");

    open = strchr (copy, '(');
    if (open == NULL && strchr (copy, ')') == NULL) {
        SimTime t;

        if (!sim_units_parse_duration (copy, &t, NULL))
            return fail_form (error, copy, "not a distribution or a duration");
        if (t > PARAM_MAX)
            return fail_form (error, copy,
                              "above " PARAM_MAX_TEXT
                              ", the largest parameter");
        *out = sim_dist_const (t);
        return TRUE;
    }

    close = strrchr (copy, ')');
    if (open == NULL || close == NULL || close < open || close[1] != '\0')
        return fail_form (error, copy, "expected NAME(ARGUMENTS)");

    {
        g_autofree char *name = g_strstrip (g_strndup (copy,
                                                       (gsize) (open - copy)));
        g_autofree char *inner = g_strndup (open + 1,
                                            (gsize) (close - open - 1));

        for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
            if (strcmp (name, forms[i].name) == 0)
                form = &forms[i];
        if (form == NULL)
            return fail_form (error, copy, "unknown distribution");
        args = g_strsplit (inner, ",", -1);
    }

    if (g_strv_length (args) != form->n_args) {
        g_autofree char *reason = g_strdup_printf ("%s takes %u argument%s",
                                                   form->args, form->n_args,
                                                   form->n_args == 1 ? ""
                                                                     : "s");
        return fail_form (error, copy, reason);
    }

    d.kind = form->kind;
    if (form->kind == SIM_DIST_ERLANG) {
        char *k = g_strstrip (args[0]);
        char *end = NULL;
        guint64 kv = 0;

        if (!g_ascii_isdigit (*k)
            || (kv = g_ascii_strtoull (k, &end, 10), *end != '\0') || kv < 1
            || kv > ERLANG_MAX_K) {
            g_autofree char *reason = g_strdup_printf (
                "K in erlang(K,MEAN) must be an integer "
                "from 1 to %d",
                ERLANG_MAX_K);
            return fail_form (error, copy, reason);
        }
        if (!parse_arg (copy, form, 1, args[1], &v[1], error))
            return FALSE;
        d.a = (double) v[1];
        d.b = (double) kv;
    } else {
        for (guint i = 0; i < form->n_args; i++)
            if (!parse_arg (copy, form, i, args[i], &v[i], error))
                return FALSE;
        d.a = (double) v[0];
        d.b = (double) v[1];
    }

    switch (d.kind) {
    case SIM_DIST_UNIFORM:
        if (v[0] > v[1])
            return fail_form (error, copy, "LOW must not be greater than HIGH");
        break;
    case SIM_DIST_EXP:
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_ERLANG:
        if (d.a <= 0)
            return fail_form (error, copy, "MEAN must be greater than 0");
        if (d.kind == SIM_DIST_LOGNORMAL)
            set_lognormal (&d);
        break;
    case SIM_DIST_CONST:
    case SIM_DIST_NORMAL:
    case SIM_DIST_NEVER:
        break;
    }
    *out = d;
    return TRUE;
}

char *
sim_dist_format (const SimDist *d)
{
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    g_return_val_if_fail (d != NULL, NULL);

    a = sim_units_format_duration ((SimTime) llround (d->a));
    switch (d->kind) {
    case SIM_DIST_CONST:
        return g_strdup_printf ("const(%s)", a);
    case SIM_DIST_EXP:
        return g_strdup_printf ("exp(%s)", a);
    case SIM_DIST_ERLANG:
        return g_strdup_printf ("erlang(%d,%s)", (int) d->b, a);
    case SIM_DIST_NEVER:
        return g_strdup ("never");
    case SIM_DIST_UNIFORM:
    case SIM_DIST_NORMAL:
    case SIM_DIST_LOGNORMAL:
        b = sim_units_format_duration ((SimTime) llround (d->b));
        return g_strdup_printf ("%s(%s,%s)",
                                d->kind == SIM_DIST_UNIFORM  ? "uniform"
                                : d->kind == SIM_DIST_NORMAL ? "normal"
                                                             : "lognormal",
                                a, b);
    }
    g_return_val_if_reached (NULL);
}

static inline SimTime
round_clamp (double x)
{
    if (!(x > 0.0)) /* also catches NaN */
        return 0;
    if (x >= SAMPLE_MAX)
        return (SimTime) SAMPLE_MAX;
    return (SimTime) (x + 0.5);
}

/* Sum of k exponentials of mean 1: -ln of a product of k uniforms.  The
 * product is taken 16 factors at a time (each >= 2^-53, so a partial
 * product stays above 2^-848 and never underflows), one log per 16. */
static double
gamma_int (SimRng *rng, guint k)
{
    double sum = 0.0;

    while (k > 0) {
        guint n = MIN (k, 16u);
        double prod = 1.0;

        for (guint i = 0; i < n; i++)
            prod *= sim_rng_uniform_pos (rng);
        sum -= log (prod);
        k -= n;
    }
    return sum;
}

SimTime
sim_dist_sample (const SimDist *d, SimRng *rng)
{
    switch (d->kind) {
    case SIM_DIST_CONST:
        return round_clamp (d->a);
    case SIM_DIST_EXP:
        return round_clamp (sim_rng_exp (rng, d->a));
    case SIM_DIST_UNIFORM:
        return round_clamp (d->a + (d->b - d->a) * sim_rng_uniform (rng));
    case SIM_DIST_NORMAL:
        return round_clamp (d->a + d->b * sim_rng_normal (rng));
    case SIM_DIST_LOGNORMAL:
        return round_clamp (exp (d->mu + d->sigma * sim_rng_normal (rng)));
    case SIM_DIST_ERLANG:
        return round_clamp (d->a / d->b * gamma_int (rng, (guint) d->b));
    case SIM_DIST_NEVER:
        return SIM_TIME_NEVER;
    }
    g_return_val_if_reached (0);
}

double
sim_dist_mean (const SimDist *d)
{
    g_return_val_if_fail (d != NULL, 0.0);

    if (d->kind == SIM_DIST_UNIFORM)
        return (d->a + d->b) / 2.0;
    if (d->kind == SIM_DIST_NEVER)
        return INFINITY;
    return d->a;
}

SimDist
sim_dist_const (SimTime t)
{
    SimDist d = { 0 };

    d.kind = SIM_DIST_CONST;
    d.a = (double) t;
    return d;
}
