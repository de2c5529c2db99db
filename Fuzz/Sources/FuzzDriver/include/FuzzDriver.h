/* libFuzzer's entry for programs that bring their own main: SwiftPM names an
 * executable's entry point <Target>_main and points main at it, so each
 * harness's entry hands its LLVMFuzzerTestOneInput to libFuzzer's driver. */
#include <stddef.h>
#include <stdint.h>

typedef int (*edupipe_fuzz_input)(const uint8_t *data, size_t size);

int LLVMFuzzerRunDriver(int *argc, char ***argv, edupipe_fuzz_input input);

/* Runs libFuzzer with the program's arguments and one harness. */
static inline int edupipe_fuzz_main(int argc, char **argv, edupipe_fuzz_input input) {
    return LLVMFuzzerRunDriver(&argc, &argv, input);
}
