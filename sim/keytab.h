/* keytab.h - the key-table machinery: kinds of value, rows, groups, and
 * the lookups and hints over a list of groups.
 *
 * A settings group ("[strategy.canary]") is a table of rows.  Each row
 * names a key and says what users see of it (type, default, unit,
 * accepted values, meaning) and how its text becomes a field of the
 * group's settings struct: a kind (parse, format, and for kinds that own
 * memory, dup and clear) and the field's offset.  Loading, default
 * filling, --set, "did you mean", the resolved scenario.ini and
 * docs/scenario-reference.md all walk these tables, so adding a key is
 * one row in the table of the module that uses it.
 *
 * This layer knows no group.  The loader (scenario.c) owns the core
 * groups and is handed the others (each strategy's, analysis', ...) by
 * whoever assembles the program (cli.c), so the loader never reaches up
 * into the modules that own settings.
 *
 * A group whose name ends in ".*" is a pattern: "version.*" stands for
 * every [version.NAME] group, each an instance with its own settings.
 */
#ifndef SIM_KEYTAB_H
#define SIM_KEYTAB_H

#include <stddef.h>
#include <glib.h>
#include "units.h"

/* Errors of loading and checking a scenario.  Defined here, at the
 * bottom of the loader, so that every part of it can raise them. */
#define SIM_SCENARIO_ERROR (sim_scenario_error_quark ())
GQuark sim_scenario_error_quark (void);
typedef enum {
    SIM_SCENARIO_ERROR_IO,       /* file cannot be read */
    SIM_SCENARIO_ERROR_SYNTAX,   /* not a key file */
    SIM_SCENARIO_ERROR_UNKNOWN,  /* unknown group or key */
    SIM_SCENARIO_ERROR_INVALID,  /* a value out of range or malformed */
    SIM_SCENARIO_ERROR_CONFLICT, /* valid values that do not go together */
} SimScenarioError;

typedef struct SimScenario SimScenario;
typedef struct SimPlaces SimPlaces; /* scenario-place.h */
typedef struct SimKeyRow SimKeyRow;
typedef struct SimKeyKind SimKeyKind;
typedef struct SimKeyItem SimKeyItem;
typedef struct SimKeyGroup SimKeyGroup;

/* What parsing one value may need, and what it says when it fails. */
typedef struct SimKeyParse {
    const char *dir;            /* base of relative paths; NULL:
                                   the current directory */
    const char *const *choices; /* SIM_KEY_T_CHOICE: the names
                                   accepted (NULL-terminated) */
    char *why;                  /* out: what is wrong, without place
                                   or key; newly allocated */
    gboolean explained;         /* out: @why lists what is accepted
                                   already */
} SimKeyParse;

/* A kind of value.  parse() fills the field at @field from @text or sets
 * p->why and leaves the field as it was; format() gives the canonical
 * text, which parses back to the same value. */
struct SimKeyKind {
    gboolean (*parse) (const SimKeyRow *row, gpointer field, const char *text,
                       SimKeyParse *p);
    char *(*format) (const SimKeyRow *row, gconstpointer field);
    /* Kinds that own memory: replace the byte copy at @field by a deep
     * copy, and release what @field owns.  NULL: plain data. */
    void (*dup) (const SimKeyRow *row, gpointer field);
    void (*clear) (const SimKeyRow *row, gpointer field);
};

/* One item of a list value ("set-weight 20", "error_rate < 0.01"). */
struct SimKeyItem {
    const char *what; /* "step", "condition": for messages */
    gsize size;       /* of one parsed item */
    /* Parse one item (blank-trimmed, not empty) into @item and append
     * its canonical text to @canon; FALSE with *@why. */
    gboolean (*parse) (const char *text, gpointer item, GString *canon,
                       char **why);
    /* What separates items: NULL for ';' (written "; "), or "," (written
     * ", ") for lists of numbers written as upstream writes them. */
    const char *separator;
};

/* A list value: items separated by ';' (or the item's separator), as
 * written canonically. */
typedef struct SimKeyList {
    gpointer items; /* n items of the row's item size; owned */
    gint n;
    char *text; /* canonical text; owned */
} SimKeyList;

/* "Set or not": a value, or the word `default` when the key was not
 * written.  Settings whose meaning upstream depends on presence (Argo
 * distinguishes an unset field from one set to its default value) use
 * this, so presence is recorded, never guessed from the value. */
typedef struct SimKeyOptDuration {
    gboolean set;
    SimTime value; /* 0 when not set */
} SimKeyOptDuration;

struct SimKeyRow {
    const char *key;
    const char *def;      /* default as text; NULL: required */
    const char *unit;     /* "s", "requests/s", "" */
    const char *accepted; /* accepted values, for messages */
    const char *doc;      /* one sentence */
    const char *type;     /* human name: "duration", ... */
    const SimKeyKind *kind;
    gsize offset;             /* of the field in the settings */
    gint64 min, max;          /* integers; durations and quantities
                                 use min only; int-or-percent uses
                                 max as the largest percentage */
    double dmin, dmax;        /* numbers */
    const char *word;         /* special value: "none" (never, or
                                 no file), "unlimited", "all" (-1) */
    const char *const *names; /* enum values, index = value */
    const SimKeyItem *item;   /* list kinds */
    gboolean def_is_prose;    /* def describes, does not parse
                                 ("(file name)") */
};

/* Checks across keys.  @settings is the group's settings (the scenario
 * itself for core groups); @s the whole scenario, every value parsed.
 * Errors name places through @places (scenario-place.h). */
typedef gboolean (*SimKeyCheckFunc) (const SimPlaces *places,
                                     gconstpointer settings,
                                     const SimScenario *s, GError **error);
/* Settings that load but will not do what they say (the run survives
 * them): each adds a warning to @out (a GPtrArray of strings it owns),
 * naming the place and the key, as scenario.h's warnings read. */
typedef void (*SimKeyWarnFunc) (const SimPlaces *places, gconstpointer settings,
                                const SimScenario *s, GPtrArray *out);

struct SimKeyGroup {
    const char *name;      /* "strategy.canary"; "version.*" */
    const char *doc;       /* for the reference */
    const char *notes;     /* more reference text after the
                              table; may be NULL */
    const SimKeyRow *rows; /* key == NULL ends */
    gsize size;            /* of the settings struct the loader
                              allocates; 0: the fields are the
                              scenario's own (core groups) */
    /* Always run once every value is parsed; may be NULL. */
    SimKeyCheckFunc check;
    /* Run only when this group's strategy is the one that runs (the
     * settings Argo or Kubernetes would refuse for it); may be NULL.
     * Errors are SIM_SCENARIO_ERROR_CONFLICT; the loader names the
     * place. */
    SimKeyCheckFunc validate;
    /* Run, when this group's strategy is the one that runs, once the
     * scenario is valid; may be NULL. */
    SimKeyWarnFunc warn;
};

/* --- Row initialisers ------------------------------------------------------
 *
 * A row is SIM_KEY (key, default, unit, accepted, meaning, KIND), KIND
 * one of the SIM_KEY_T_* below, given the settings struct and field. */
#define SIM_KEY(k, d, u, a, m, ...) \
    { \
        .key = (k), .def = (d), .unit = (u), .accepted = (a), .doc = (m), \
        __VA_ARGS__ \
    }
#define SIM_KEY_END \
    { \
        .key = NULL \
    }

#define SIM_KEY_OFF(st, f) .offset = offsetof (st, f)
#define SIM_KEY_T_STRING(st, f) \
    .type = "text", .kind = &sim_key_string, SIM_KEY_OFF (st, f)
#define SIM_KEY_T_NAME(st, f) \
    .type = "text", .kind = &sim_key_name, SIM_KEY_OFF (st, f), \
    .def_is_prose = TRUE
#define SIM_KEY_T_UINT64(st, f) \
    .type = "integer", .kind = &sim_key_uint64, SIM_KEY_OFF (st, f)
#define SIM_KEY_T_INT(st, f, lo, hi) \
    .type = "integer", .kind = &sim_key_int, SIM_KEY_OFF (st, f), .min = (lo), \
    .max = (hi)
#define SIM_KEY_T_INT_OR(st, f, lo, hi, w) \
    .type = "integer or " w, .kind = &sim_key_int, SIM_KEY_OFF (st, f), \
    .min = (lo), .max = (hi), .word = (w)
#define SIM_KEY_T_NUMBER(st, f, lo, hi) \
    .type = "number", .kind = &sim_key_number, SIM_KEY_OFF (st, f), \
    .dmin = (lo), .dmax = (hi)
#define SIM_KEY_T_DURATION(st, f, lo) \
    .type = "duration", .kind = &sim_key_duration, SIM_KEY_OFF (st, f), \
    .min = (lo)
#define SIM_KEY_T_DURATION_OR_NONE(st, f) \
    .type = "duration or none", .kind = &sim_key_duration, \
    SIM_KEY_OFF (st, f), .word = "none"
#define SIM_KEY_T_OPT_DURATION(st, f, lo) \
    .type = "duration or default", .kind = &sim_key_opt_duration, \
    SIM_KEY_OFF (st, f), .min = (lo), .word = "default"
#define SIM_KEY_T_CPU(st, f, lo) \
    .type = "cpu", .kind = &sim_key_cpu, SIM_KEY_OFF (st, f), .min = (lo)
/* A CPU quantity, or @w for none (-1). */
#define SIM_KEY_T_CPU_OR(st, f, lo, w) \
    .type = "cpu or " w, .kind = &sim_key_cpu, SIM_KEY_OFF (st, f), \
    .min = (lo), .word = (w)
#define SIM_KEY_T_MEMORY(st, f, lo) \
    .type = "memory", .kind = &sim_key_memory, SIM_KEY_OFF (st, f), .min = (lo)
#define SIM_KEY_T_DIST(st, f) \
    .type = "distribution", .kind = &sim_key_dist, SIM_KEY_OFF (st, f)
/* A distribution, or @w for one that never ends. */
#define SIM_KEY_T_DIST_OR(st, f, w) \
    .type = "distribution or " w, .kind = &sim_key_dist, SIM_KEY_OFF (st, f), \
    .word = (w)
#define SIM_KEY_T_BOOL(st, f) \
    .type = "boolean", .kind = &sim_key_bool, SIM_KEY_OFF (st, f)
#define SIM_KEY_T_ENUM(st, f, list) \
    .type = "choice", .kind = &sim_key_enum, SIM_KEY_OFF (st, f), \
    .names = (list)
#define SIM_KEY_T_PERCENT(st, f, maxpct) \
    .type = "int-or-percent", .kind = &sim_key_percent, SIM_KEY_OFF (st, f), \
    .max = (maxpct)
/* The same, or @w for "not set" (value -1). */
#define SIM_KEY_T_PERCENT_OR(st, f, maxpct, w) \
    .type = "int-or-percent or " w, .kind = &sim_key_percent, \
    SIM_KEY_OFF (st, f), .max = (maxpct), .word = (w)
#define SIM_KEY_T_PATH(st, f) \
    .type = "path or none", .kind = &sim_key_path, SIM_KEY_OFF (st, f), \
    .word = "none"
#define SIM_KEY_T_VERSION(st, f) \
    .type = "version", .kind = &sim_key_version, SIM_KEY_OFF (st, f)
/* A name among SimKeyParse.choices (the registered strategies). */
#define SIM_KEY_T_CHOICE(st, f, typename) \
    .type = (typename), .kind = &sim_key_choice, SIM_KEY_OFF (st, f)
#define SIM_KEY_T_LIST(st, f, typename, it) \
    .type = (typename), .kind = &sim_key_list, SIM_KEY_OFF (st, f), .item = (it)

/* Accepted-value texts several tables share. */
#define SIM_KEY_DURATIONS "(250ms, 30s, 5m, 1h)"
#define SIM_KEY_ACCEPT_DURATION "a duration " SIM_KEY_DURATIONS
#define SIM_KEY_ACCEPT_POSITIVE "a duration > 0 " SIM_KEY_DURATIONS
#define SIM_KEY_ACCEPT_BOOL "true, false (also yes, no, 1, 0)"
#define SIM_KEY_ACCEPT_SURGE \
    "an integer >= 0 or a percentage of " \
    "replicas (rounded up): 1, 25%; not 0 when max_unavailable is 0"
#define SIM_KEY_ACCEPT_UNAVAILABLE \
    "an integer >= 0 or a percentage " \
    "0%..100% of replicas (rounded down): 0, 25%; not 0 when max_surge " \
    "is 0"

extern const SimKeyKind sim_key_string, sim_key_name, sim_key_uint64,
    sim_key_int, sim_key_number, sim_key_duration, sim_key_opt_duration,
    sim_key_cpu, sim_key_memory, sim_key_dist, sim_key_bool, sim_key_enum,
    sim_key_percent, sim_key_path, sim_key_version, sim_key_choice,
    sim_key_list;

/* --- Values ------------------------------------------------------------------- */

/* Parse @text into @row's field of @base.  FALSE with p->why set. */
gboolean sim_key_parse (const SimKeyRow *row, gpointer base, const char *text,
                        SimKeyParse *p);
/* The canonical text of @row's field of @base.  Newly allocated. */
char *sim_key_format (const SimKeyRow *row, gconstpointer base);

/* Fill every row of @rows that has a default (a programming error, and
 * an abort, if one does not parse). */
void sim_key_rows_defaults (const SimKeyRow *rows, gpointer base);
/* Deep-copy, after a byte copy of @base, what @rows' fields own. */
void sim_key_rows_dup (const SimKeyRow *rows, gpointer base);
/* Release what @rows' fields of @base own. */
void sim_key_rows_clear (const SimKeyRow *rows, gpointer base);

/* --- Groups --------------------------------------------------------------------- */

gboolean sim_key_group_is_pattern (const SimKeyGroup *g);
/* Whether the group written as @name is @g (or one of its instances). */
gboolean sim_key_group_matches (const SimKeyGroup *g, const char *name);
/* "version.NAME" for a pattern, else the name (static). */
const char *sim_key_group_display (const SimKeyGroup *g);
/* @g's row for @key, or NULL. */
const SimKeyRow *sim_key_group_row (const SimKeyGroup *g, const char *key);

/* Over a NULL-terminated list of groups: the group written as @name
 * and its row for @key (either may be NULL). */
const SimKeyGroup *sim_key_find_group (const SimKeyGroup *const *groups,
                                       const char *name);
const SimKeyRow *sim_key_find_row (const SimKeyGroup *const *groups,
                                   const char *group, const char *key);

/* Hints for an unknown key GROUP.KEY or group: " (did you mean X?)", or
 * what is accepted, or "".  Newly allocated. */
char *sim_key_hint_key (const SimKeyGroup *const *groups, const char *group,
                        const char *key);
char *sim_key_hint_group (const SimKeyGroup *const *groups, const char *group);

/* --- Files the loader reads -------------------------------------------- */

/* Largest scenario file and rate profile read, in bytes: a scenario is a
 * few kB, a profile of one row a second for a month a few MB.  A
 * larger file (or /dev/zero) is refused before it fills memory. */
#define SIM_KEY_FILE_MAX (16 * 1024 * 1024)

/* The contents of @path, NUL-terminated, its length in *@len.  Only a
 * regular file of at most @max bytes is read: a FIFO would block for
 * ever, a device never end.  NULL with SIM_SCENARIO_ERROR_IO ("PATH:
 * ..."), @what naming the file in messages ("a scenario"). */
char *sim_key_read_file (const char *path, const char *what, gsize max,
                         gsize *len, GError **error);

/* --- Text helpers shared by the loader and the grammars of list kinds --- */

/* A value as GKeyFile hands it over, minus a trailing comment (from a
 * '#' that starts the value or follows a blank) and blanks.  Newly
 * allocated. */
char *sim_key_clean_value (const char *raw);
gboolean sim_key_has_control_chars (const char *s);
/* Letters, digits, '.', '_', '-', at most SIM_KEY_NAME_MAX: what names
 * a version (and so a ReplicaSet, a pod, a file). */
#define SIM_KEY_NAME_MAX 40
gboolean sim_key_valid_name (const char *name);
/* Strict decimal integer / finite number: all of @s, nothing else. */
gboolean sim_key_to_int64 (const char *s, gint64 *out);
gboolean sim_key_to_double (const char *s, double *out);
/* The shortest text that reads back as exactly @v.  Newly allocated. */
char *sim_key_number_text (double v);
/* The words of @text split on blanks.  Newly allocated. */
GStrv sim_key_words (const char *text);
/* The candidate nearest to @word if it is near enough to be a typo, or
 * NULL.  @candidates is NULL-terminated. */
const char *sim_key_closest (const char *word, const char *const *candidates);

#endif /* SIM_KEYTAB_H */
