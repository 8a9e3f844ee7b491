/* units.c - parsing and formatting of durations, CPU and memory
 * quantities and integer-or-percentage values.
 *
 * Every parser works on exact integers: a number is read as a decimal
 * mantissa and a count of fractional digits, then scaled by its unit in
 * 64-bit arithmetic that checks for overflow.  Nothing goes through a
 * double, so "1.1s" is exactly 1100000 us and "1.5Gi" exactly 1610612736
 * bytes.  A value that does not come out as a whole number of the target
 * unit (a duration finer than a microsecond, a CPU finer than a millicore,
 * a fraction of a byte) is rejected rather than rounded, so what the user
 * wrote is what runs.  Leading and trailing white space is ignored;
 * white space inside a value is not.
 *
 * Formatting gives the canonical text, and every formatted value parses
 * back to itself.
 */
#include "units.h"

#include <string.h>

/* The first argument is the quark's name: not an expression. */
/* clang-format off */
G_DEFINE_QUARK (sim-units-error-quark, sim_units_error)
/* clang-format on */

#define DURATION_FORMS \
    "a number with a unit: 250ms, 30s, 5m, 1h, 100us, 1.5s, " \
    "or a sum like 1m30s; or 0"
#define CPU_FORMS "cores: 2, 0.5; or millicores: 500m"
#define MEMORY_FORMS \
    "bytes: 123, 1e3; or a number with a suffix: Ki Mi Gi Ti Pi Ei " \
    "(powers of 1024) or k M G T P E (powers of 1000), e.g. 256Mi, 1G"
#define INT_OR_PERCENT_FORMS \
    "a non-negative integer like 3, or a percentage like 25%"

/* A decimal number as written: mant / 10^frac. */
typedef struct {
    guint64 mant;
    gint frac;
} Decimal;

typedef enum {
    SCALE_OK,
    SCALE_TOO_LARGE,
    SCALE_NOT_WHOLE,
} ScaleResult;

typedef struct {
    const char *suffix;
    guint64 mult;
} Suffix;

static const Suffix duration_units[] = {
    { "us", 1 },
    { "\xc2\xb5s", 1 }, /* "µs", as Go writes it */
    { "ms", 1000 },
    { "s", 1000000 },
    { "m", 60 * G_GUINT64_CONSTANT (1000000) },
    { "h", 3600 * G_GUINT64_CONSTANT (1000000) },
    { NULL, 0 },
};

static const Suffix memory_units[] = {
    { "Ki", G_GUINT64_CONSTANT (1) << 10 },
    { "Mi", G_GUINT64_CONSTANT (1) << 20 },
    { "Gi", G_GUINT64_CONSTANT (1) << 30 },
    { "Ti", G_GUINT64_CONSTANT (1) << 40 },
    { "Pi", G_GUINT64_CONSTANT (1) << 50 },
    { "Ei", G_GUINT64_CONSTANT (1) << 60 },
    { "k", G_GUINT64_CONSTANT (1000) },
    { "M", G_GUINT64_CONSTANT (1000000) },
    { "G", G_GUINT64_CONSTANT (1000000000) },
    { "T", G_GUINT64_CONSTANT (1000000000000) },
    { "P", G_GUINT64_CONSTANT (1000000000000000) },
    { "E", G_GUINT64_CONSTANT (1000000000000000000) },
    { NULL, 0 },
};

static gboolean
is_digit (char c)
{
    return c >= '0' && c <= '9';
}

/* Read "12", "1.5", "0.25", ".5" or "3." at *p.  Trailing fractional
 * zeros are dropped so "1.000" costs no precision.  Sets *too_large when
 * the digits do not fit in 64 bits.  FALSE when there is no digit. */
static gboolean
read_decimal (const char **p, Decimal *out, gboolean *too_large)
{
    const char *s = *p;
    guint64 mant = 0;
    gint frac = 0, pending_zeros = 0;
    gboolean any = FALSE, in_frac = FALSE;

    *too_large = FALSE;
    for (;; s++) {
        if (*s == '.' && !in_frac) {
            in_frac = TRUE;
            continue;
        }
        if (!is_digit (*s))
            break;
        any = TRUE;
        if (in_frac && *s == '0') {
            pending_zeros++; /* only kept if a non-zero digit follows */
            continue;
        }
        for (; pending_zeros > 0; pending_zeros--) {
            if (!g_uint64_checked_mul (&mant, mant, 10))
                *too_large = TRUE;
            frac++;
        }
        if (!g_uint64_checked_mul (&mant, mant, 10)
            || !g_uint64_checked_add (&mant, mant, (guint64) (*s - '0')))
            *too_large = TRUE;
        if (in_frac)
            frac++;
    }
    if (!any)
        return FALSE;
    *p = s;
    out->mant = mant;
    out->frac = frac;
    return TRUE;
}

/* d * mult, exactly, into [0, G_MAXINT64]. */
static ScaleResult
scale_exact (Decimal d, guint64 mult, gint64 *out)
{
    guint64 v, div = 1;
    gint frac = d.frac;

    if (d.mant == 0) {
        *out = 0;
        return SCALE_OK;
    }
    /* Cancel powers of ten first so "1.5h" never overflows on the way. */
    while (frac > 0 && mult % 10 == 0) {
        mult /= 10;
        frac--;
    }
    for (; frac < 0; frac++)
        if (!g_uint64_checked_mul (&mult, mult, 10))
            return SCALE_TOO_LARGE;
    if (!g_uint64_checked_mul (&v, d.mant, mult))
        return SCALE_TOO_LARGE;
    /* v < 2^64 < 10^20, so a divisor that overflows cannot divide it. */
    for (; frac > 0; frac--)
        if (!g_uint64_checked_mul (&div, div, 10))
            return SCALE_NOT_WHOLE;
    if (v % div != 0)
        return SCALE_NOT_WHOLE;
    v /= div;
    if (v > (guint64) G_MAXINT64)
        return SCALE_TOO_LARGE;
    *out = (gint64) v;
    return SCALE_OK;
}

/* The longest suffix in @table that starts @s, so "ms" wins over "m"
 * whatever the table order. */
static const Suffix *
match_suffix (const Suffix *table, const char *s)
{
    const Suffix *best = NULL;
    size_t best_len = 0;

    for (const Suffix *u = table; u->suffix != NULL; u++) {
        size_t n = strlen (u->suffix);
        if (n > best_len && strncmp (s, u->suffix, n) == 0) {
            best = u;
            best_len = n;
        }
    }
    return best;
}

static gboolean
fail (GError **error, const char *what, const char *input, const char *reason,
      const char *forms)
{
    g_set_error (error, SIM_UNITS_ERROR, SIM_UNITS_ERROR_INVALID,
                 "invalid %s \"%s\": %s (accepted: %s)", what, input, reason,
                 forms);
    return FALSE;
}

gboolean
sim_units_parse_duration (const char *s, SimTime *out, GError **error)
{
    g_autofree char *copy = NULL;
    const char *p;
    guint64 total = 0;

    g_return_val_if_fail (s != NULL, FALSE);
    g_return_val_if_fail (out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    copy = g_strstrip (g_strdup (s));
    p = copy;
    if (*p == '\0')
        return fail (error, "duration", copy, "empty", DURATION_FORMS);
    if (*p == '-')
        return fail (error, "duration", copy, "negative", DURATION_FORMS);

    while (*p != '\0') {
        const char *start = p;
        Decimal d;
        gboolean too_large;
        const Suffix *unit;
        gint64 part = 0;

        if (!read_decimal (&p, &d, &too_large))
            return fail (error, "duration", copy, "expected a number",
                         DURATION_FORMS);
        if (too_large)
            return fail (error, "duration", copy, "too large", DURATION_FORMS);
        if (*p == '\0') {
            /* A bare 0 is the same in any unit; any other bare number is
             * a mistake waiting to happen (seconds? milliseconds?). */
            if (start == copy && d.mant == 0)
                break;
            return fail (error, "duration", copy, "a number needs a unit",
                         DURATION_FORMS);
        }
        unit = match_suffix (duration_units, p);
        if (unit != NULL)
            p += strlen (unit->suffix);
        /* A unit ends the value or is followed by the next number. */
        if (unit == NULL || (*p != '\0' && *p != '.' && !is_digit (*p)))
            return fail (error, "duration", copy, "unknown unit",
                         DURATION_FORMS);
        switch (scale_exact (d, unit->mult, &part)) {
        case SCALE_OK:
            break;
        case SCALE_TOO_LARGE:
            return fail (error, "duration", copy, "too large", DURATION_FORMS);
        case SCALE_NOT_WHOLE:
            return fail (error, "duration", copy, "finer than a microsecond",
                         DURATION_FORMS);
        }
        if (!g_uint64_checked_add (&total, total, (guint64) part)
            || total > (guint64) G_MAXINT64)
            return fail (error, "duration", copy, "too large", DURATION_FORMS);
    }
    *out = (SimTime) total;
    return TRUE;
}

/* The number that starts a quantity: not empty, not negative, a decimal
 * that fits.  @p is left on what follows it (the suffix). */
static gboolean
read_quantity (const char *copy, const char **p, Decimal *d, const char *what,
               const char *forms, GError **error)
{
    gboolean too_large;

    if (**p == '\0')
        return fail (error, what, copy, "empty", forms);
    if (**p == '-')
        return fail (error, what, copy, "negative", forms);
    if (!read_decimal (p, d, &too_large))
        return fail (error, what, copy, "expected a number", forms);
    if (too_large)
        return fail (error, what, copy, "too large", forms);
    return TRUE;
}

gboolean
sim_units_parse_cpu (const char *s, gint64 *out_millicores, GError **error)
{
    g_autofree char *copy = NULL;
    const char *p;
    Decimal d;
    guint64 mult = 1000;
    gint64 v = 0;

    g_return_val_if_fail (s != NULL, FALSE);
    g_return_val_if_fail (out_millicores != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    copy = g_strstrip (g_strdup (s));
    p = copy;
    if (!read_quantity (copy, &p, &d, "CPU quantity", CPU_FORMS, error))
        return FALSE;
    if (p[0] == 'm' && p[1] == '\0') {
        mult = 1;
        p++;
    }
    if (*p != '\0')
        return fail (error, "CPU quantity", copy, "unknown suffix", CPU_FORMS);
    switch (scale_exact (d, mult, &v)) {
    case SCALE_OK:
        break;
    case SCALE_TOO_LARGE:
        return fail (error, "CPU quantity", copy, "too large", CPU_FORMS);
    case SCALE_NOT_WHOLE:
        return fail (error, "CPU quantity", copy, "finer than a millicore",
                     CPU_FORMS);
    }
    *out_millicores = v;
    return TRUE;
}

gboolean
sim_units_parse_memory (const char *s, gint64 *out_bytes, GError **error)
{
    g_autofree char *copy = NULL;
    const char *p;
    Decimal d;
    guint64 mult = 1;
    gint64 v = 0;

    g_return_val_if_fail (s != NULL, FALSE);
    g_return_val_if_fail (out_bytes != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    copy = g_strstrip (g_strdup (s));
    p = copy;
    if (!read_quantity (copy, &p, &d, "memory quantity", MEMORY_FORMS, error))
        return FALSE;

    /* "1e3" is an exponent, "1E" is an exabyte: an exponent needs a
     * digit (after an optional sign) right behind the e. */
    if ((p[0] == 'e' || p[0] == 'E')
        && (is_digit (p[1])
            || ((p[1] == '+' || p[1] == '-') && is_digit (p[2])))) {
        gboolean neg = p[1] == '-';
        gint exp = 0;

        p += (p[1] == '+' || p[1] == '-') ? 2 : 1;
        for (; is_digit (*p); p++) {
            if (exp > 1000)
                return fail (error, "memory quantity", copy,
                             "exponent too large", MEMORY_FORMS);
            exp = exp * 10 + (*p - '0');
        }
        d.frac += neg ? exp : -exp;
    } else if (*p != '\0') {
        const Suffix *unit = match_suffix (memory_units, p);

        if (unit == NULL || p[strlen (unit->suffix)] != '\0')
            return fail (error, "memory quantity", copy, "unknown suffix",
                         MEMORY_FORMS);
        mult = unit->mult;
        p += strlen (unit->suffix);
    }
    if (*p != '\0')
        return fail (error, "memory quantity", copy, "unknown suffix",
                     MEMORY_FORMS);
    switch (scale_exact (d, mult, &v)) {
    case SCALE_OK:
        break;
    case SCALE_TOO_LARGE:
        return fail (error, "memory quantity", copy, "too large", MEMORY_FORMS);
    case SCALE_NOT_WHOLE:
        return fail (error, "memory quantity", copy,
                     "not a whole number of bytes", MEMORY_FORMS);
    }
    *out_bytes = v;
    return TRUE;
}

gboolean
sim_units_parse_int_or_percent (const char *s, SimIntOrPercent *out,
                                GError **error)
{
    g_autofree char *copy = NULL;
    const char *p;
    gint64 v = 0;

    g_return_val_if_fail (s != NULL, FALSE);
    g_return_val_if_fail (out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    copy = g_strstrip (g_strdup (s));
    p = copy;
    if (*p == '\0')
        return fail (error, "integer or percentage", copy, "empty",
                     INT_OR_PERCENT_FORMS);
    if (*p == '-')
        return fail (error, "integer or percentage", copy, "negative",
                     INT_OR_PERCENT_FORMS);
    if (!is_digit (*p))
        return fail (error, "integer or percentage", copy, "expected a number",
                     INT_OR_PERCENT_FORMS);
    for (; is_digit (*p); p++) {
        v = v * 10 + (*p - '0');
        if (v > G_MAXINT)
            return fail (error, "integer or percentage", copy, "too large",
                         INT_OR_PERCENT_FORMS);
    }
    out->percent = FALSE;
    if (*p == '%') {
        out->percent = TRUE;
        p++;
    }
    if (*p != '\0')
        return fail (error, "integer or percentage", copy,
                     *p == '.' ? "not an integer" : "unexpected text",
                     INT_OR_PERCENT_FORMS);
    out->value = (gint) v;
    return TRUE;
}

char *
sim_units_format_duration (SimTime t)
{
    static const struct {
        const char *unit;
        guint64 usec;
    } parts[] = {
        { "h", 3600 * G_GUINT64_CONSTANT (1000000) },
        { "m", 60 * G_GUINT64_CONSTANT (1000000) },
        { "s", 1000000 },
        { "ms", 1000 },
        { "us", 1 },
    };
    GString *out;
    guint64 rest;

    if (t == 0)
        return g_strdup ("0s");
    out = g_string_new (NULL);
    /* Negative durations never parse; they are formatted for messages. */
    if (t < 0) {
        g_string_append_c (out, '-');
        rest = (guint64) - (t + 1) + 1;
    } else {
        rest = (guint64) t;
    }
    for (gsize i = 0; i < G_N_ELEMENTS (parts); i++) {
        guint64 n = rest / parts[i].usec;
        if (n == 0)
            continue;
        g_string_append_printf (out, "%" G_GUINT64_FORMAT "%s", n,
                                parts[i].unit);
        rest -= n * parts[i].usec;
    }
    return g_string_free (out, FALSE);
}

char *
sim_units_format_cpu (gint64 millicores)
{
    if (millicores % 1000 == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT, millicores / 1000);
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", millicores);
}

char *
sim_units_format_memory (gint64 bytes)
{
    static const char *const suffix[] = { "Ei", "Pi", "Ti", "Gi", "Mi", "Ki" };

    /* The largest binary suffix that divides exactly, unless that
     * leaves a long number: 2T is 1953125000Ki, which reads worse than
     * the plain bytes. */
    if (bytes > 0) {
        for (gsize i = 0; i < G_N_ELEMENTS (suffix); i++) {
            guint shift = 10 * (guint) (G_N_ELEMENTS (suffix) - i);
            if ((bytes & ((G_GINT64_CONSTANT (1) << shift) - 1)) != 0)
                continue;
            if ((bytes >> shift) < 1000000)
                return g_strdup_printf ("%" G_GINT64_FORMAT "%s",
                                        bytes >> shift, suffix[i]);
            break;
        }
    }
    return g_strdup_printf ("%" G_GINT64_FORMAT, bytes);
}

char *
sim_units_format_int_or_percent (SimIntOrPercent v)
{
    return g_strdup_printf ("%d%s", v.value, v.percent ? "%" : "");
}

gint
sim_units_scaled_value (SimIntOrPercent v, gint total, gboolean round_up)
{
    gint64 n;

    g_return_val_if_fail (v.value >= 0, 0);
    g_return_val_if_fail (total >= 0, 0);

    if (!v.percent)
        return v.value;
    /* Integer form of Kubernetes' math.Ceil / math.Floor of p*total/100;
     * both operands fit in 31 bits, so the product cannot overflow. */
    n = (gint64) v.value * total;
    n = round_up ? (n + 99) / 100 : n / 100;
    return n > G_MAXINT ? G_MAXINT : (gint) n;
}
