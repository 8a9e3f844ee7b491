/* test-csv-stream-swar.c - test-csv-stream.c on the streaming reader
 * built with SIM_CSV_NO_SIMD: its scan eight bytes a word, what it uses
 * where there is no SSE2 (csv-table.c), is tested on every machine.
 * The reader is compiled in here, in place of librollsim.a's.
 */
#define SIM_CSV_NO_SIMD 1
#include "csv-table.c"
#include "test-csv-stream.c"
