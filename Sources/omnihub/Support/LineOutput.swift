import Foundation

/// Buffered standard output for commands that print a line per record: one write per 64 KiB,
/// not one per line.
struct LineOutput {
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `line` and a line feed.
    mutating func write(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
