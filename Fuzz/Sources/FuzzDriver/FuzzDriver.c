/* Declarations only: libFuzzer (-sanitize=fuzzer) defines LLVMFuzzerRunDriver. */
#include "FuzzDriver.h"
