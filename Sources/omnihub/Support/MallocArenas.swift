import CProcessMemory
import Foundation

/// How many arenas glibc's allocator keeps: one per core, where it keeps up to eight per core.
///
/// Each thread that allocates while another holds an arena gets one of its own, and what is freed
/// in an arena stays with the process. A cycle's stages start threads for each part (rendering,
/// recording, writing files), so their arenas add up: the 100,000-order benchmark's second cycle
/// held 127 MB at its peak with glibc's default and 101 MB with one arena per core, in the same
/// time. `MALLOC_ARENA_MAX` in the environment (glibc's own setting) still decides when it is set.
enum MallocArenas {
    static func limitToCores() {
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = omnihub_limit_malloc_arenas(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    }
}
