/* experiment.c - compare, sweep and merge (issue 6).  Not implemented
 * yet: each command says so and exits 2. */
#include <stdio.h>
#include "cli.h"

static int
not_yet (const char *name)
{
    fprintf (stderr, "rollsim: %s is not implemented yet\n", name);
    return 2;
}

int
sim_cli_compare (int argc, char **argv)
{
    return not_yet ("compare");
}

int
sim_cli_sweep (int argc, char **argv)
{
    return not_yet ("sweep");
}

int
sim_cli_merge (int argc, char **argv)
{
    return not_yet ("merge");
}
