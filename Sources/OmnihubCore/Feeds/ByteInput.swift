/// A byte at a time from a ``ByteSource``, with the line and column it is at, for hand-written
/// feed readers.
struct ByteInput {
    private var source: any ByteSource
    private let fileName: String?
    private var buffer: [UInt8]
    private var end = 0
    private var position = 0
    private var exhausted = false

    /// The line of the next byte, from 1.
    private(set) var line = 1
    /// The column of the next byte, from 1, counted in bytes.
    private(set) var column = 1

    init(source: any ByteSource, fileName: String?, chunkSize: Int = 1 << 20) {
        self.source = source
        self.fileName = fileName
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    mutating func skipByteOrderMark() throws(MappingIssue) {
        guard try peek() == 0xEF else { return }
        if position + 3 <= end && buffer[position + 1] == 0xBB && buffer[position + 2] == 0xBF {
            position += 3
        }
    }

    /// The next two bytes, without reading them; `nil` when fewer are in the buffer (at the start
    /// of a file, that is when the file has fewer).
    mutating func peekPair() throws(MappingIssue) -> (UInt8, UInt8)? {
        guard try peek() != nil, position + 2 <= end else { return nil }
        return (buffer[position], buffer[position + 1])
    }

    @inline(__always)
    mutating func peek() throws(MappingIssue) -> UInt8? {
        if position == end {
            if exhausted { return nil }
            try fill()
            if position == end { return nil }
        }
        return buffer[position]
    }

    @inline(__always)
    mutating func advance() {
        if buffer[position] == 10 {
            line &+= 1
            column = 1
        } else {
            column &+= 1
        }
        position &+= 1
    }

    @inline(__always)
    mutating func next() throws(MappingIssue) -> UInt8? {
        guard let byte = try peek() else { return nil }
        advance()
        return byte
    }

    private mutating func fill() throws(MappingIssue) {
        do {
            let count = try buffer.withUnsafeMutableBytes { bytes in try source.read(into: bytes) }
            position = 0
            end = count
            if count == 0 { exhausted = true }
        } catch {
            throw MappingIssue(.fileRejected, file: fileName, message: "the file could not be read: \(error)")
        }
    }
}
