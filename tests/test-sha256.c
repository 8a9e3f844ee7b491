/* test-sha256.c - SHA-256 (sha256.h): the FIPS 180-4 examples, GLib's
 * digest for every length around the block and padding boundaries
 * however the bytes are fed, and a copied state hashing on as the
 * original would.
 */
#include <glib.h>
#include <string.h>

#include "sha256.h"

static char *
hex_of (const void *data, gsize len)
{
    SimSha256 s;
    char hex[SIM_SHA256_HEX_LEN + 1];

    sim_sha256_init (&s);
    sim_sha256_update (&s, data, len);
    sim_sha256_hex (&s, hex);
    return g_strdup (hex);
}

static void
test_fips (void)
{
    g_autofree char *million = g_strnfill (1000000, 'a');
    g_autofree char *empty = sim_sha256_string ("");
    g_autofree char *abc = sim_sha256_string ("abc");
    g_autofree char *two_blocks = sim_sha256_string (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
    g_autofree char *a_million = sim_sha256_string (million);

    g_test_summary ("The digests of FIPS 180-4's examples: the empty "
                    "string, \"abc\", the 448-bit message and a million "
                    "\"a\"");
    g_assert_cmpstr (
        empty, ==,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    g_assert_cmpstr (
        abc, ==,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    g_assert_cmpstr (
        two_blocks, ==,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    g_assert_cmpstr (
        a_million, ==,
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_glib (void)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (256);
    guint8 data[300];

    g_test_summary ("Every length from 0 to 300 bytes, fed whole and in "
                    "three random pieces, hashes to GLib's digest");
    for (guint i = 0; i < sizeof data; i++)
        data[i] = (guint8) g_rand_int (rand);
    for (gsize len = 0; len <= sizeof data; len++) {
        g_autofree char *want = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                             data, len);
        g_autofree char *whole = hex_of (data, len);

        g_assert_cmpstr (whole, ==, want);
        for (gint round = 0; round < 20; round++) {
            gsize a = (gsize) g_rand_int_range (rand, 0, (gint) len + 1);
            gsize b = (gsize) g_rand_int_range (rand, (gint) a, (gint) len + 1);
            char pieces[SIM_SHA256_HEX_LEN + 1];
            SimSha256 s;

            sim_sha256_init (&s);
            sim_sha256_update (&s, data, a);
            sim_sha256_update (&s, data + a, b - a);
            sim_sha256_update (&s, data + b, len - b);
            sim_sha256_hex (&s, pieces);
            g_assert_cmpstr (pieces, ==, want);
        }
    }
}

static void
test_copy (void)
{
    static const char head[] = "[scenario]\nname = copy\n";
    SimSha256 common, fork;
    char hex[SIM_SHA256_HEX_LEN + 1];

    g_test_summary ("A state copied after a common start hashes each ending "
                    "as hashing the whole text does");
    sim_sha256_init (&common);
    sim_sha256_update (&common, head, strlen (head));
    for (gint seed = 0; seed < 100; seed++) {
        g_autofree char *tail = g_strdup_printf ("seed = %d\n%s", seed,
                                                 seed % 2 ? "" : head);
        g_autofree char *text = g_strconcat (head, tail, NULL);
        g_autofree char *want = sim_sha256_string (text);

        fork = common;
        sim_sha256_update (&fork, tail, strlen (tail));
        sim_sha256_hex (&fork, hex);
        g_assert_cmpstr (hex, ==, want);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/sha256/fips", test_fips);
    g_test_add_func ("/sha256/glib", test_glib);
    g_test_add_func ("/sha256/copy", test_copy);

    return g_test_run ();
}
