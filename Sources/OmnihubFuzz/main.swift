import CFuzzer
import Glibc

// The target first, so a run without one ends with a message before libFuzzer starts; then
// libFuzzer runs it, its options and corpus folders from the command line.
_ = FuzzTarget.selected
var argumentCount = CommandLine.argc
var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argumentCount, &arguments) { data, size in fuzzOneInput(data, size) })
