// libFuzzer's driver, for a fuzz target whose main is its own (SwiftPM names an executable's main).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
