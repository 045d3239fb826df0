/// Stock slots by node and SKU in one flat open-addressing table: the optimizer looks a slot up
/// for every candidate and line of every order it solves, and a `Dictionary` hashes each key with
/// SipHash, which showed as a twentieth of its time.
struct SlotTable: Sendable {
    private var keys: [Int64]
    private var slots: [Int32]
    private let mask: Int

    /// A table for `count` entries, at most half full.
    init(count: Int) {
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        keys = Array(repeating: -1, count: capacity)
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    private static func key(node: Int, sku: Int) -> Int64 { Int64(node) << 32 | Int64(sku) }

    private func start(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    mutating func insert(node: Int, sku: Int, slot: Int) {
        let key = Self.key(node: node, sku: sku)
        var index = start(key)
        while keys[index] != -1 && keys[index] != key { index = (index + 1) & mask }
        keys[index] = key
        slots[index] = Int32(slot)
    }

    func slot(node: Int, sku: Int) -> Int? {
        let key = Self.key(node: node, sku: sku)
        var index = start(key)
        while true {
            let found = keys[index]
            if found == key { return Int(slots[index]) }
            if found == -1 { return nil }
            index = (index + 1) & mask
        }
    }
}
