import CProcessMemory
import Foundation

/// How many arenas glibc's allocator keeps: one per core (at least two), where it keeps up to
/// eight per core.
///
/// Each thread that allocates while another holds an arena gets one of its own, and what is freed
/// in an arena stays with the process. A cycle's stages start threads for each part (rendering on
/// every core, reading the next part ahead, writing files), so their arenas add up: the
/// 100,000-order benchmark's second cycle peaked at 106-108 MB with glibc's default and at 94-96 MB
/// with one arena per core, the million's cycles at 122 and 110 MB, in the same time
/// (BENCHMARKS.md, "Peak day"). `MALLOC_ARENA_MAX` in the environment (glibc's own setting) still
/// decides when it is set.
enum MallocArenas {
    static func limitToCores() {
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = omnihub_limit_malloc_arenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    }
}
