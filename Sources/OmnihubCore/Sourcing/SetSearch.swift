/// The search over sets of an order's candidates (positions, cheapest parcel first) for the
/// cheapest: each line takes its units from the set's cheapest member first, every member must
/// ship something, a line's missing units pay the unfilled penalty.
///
/// Everything it keeps is in one buffer: a solve makes one allocation for its search, not ten
/// (each array an order's solve allocated cost a metadata lookup besides the allocation).
struct SetSearch {
    typealias Cost = SourcingNetwork.Cost
    let lineCount: Int
    /// Candidates.
    let count: Int
    let unfilledPenalty: Cost
    let splitPenalty: Cost
    /// No unit costs less, filled or not.
    var cheapestUnit: Cost = 0
    var totalUnits = 0
    var bestCost: Cost = 0
    /// Members of the set being extended, and of the best set.
    private(set) var setSize = 0
    private(set) var bestSize = 0
    private var data: [Cost]
    // Where each part of `data` starts.
    /// Units each line needs.
    private let needs: Int
    /// Parcel price of each candidate, cheapest first.
    private let prices: Int
    /// `prefix + i`: the sum of the `i` cheapest parcel prices.
    private let prefix: Int
    /// Units of each line at each candidate, at `position * lineCount + line`.
    private let units: Int
    /// What a unit of each line costs at each candidate, surcharge included.
    private let unitCosts: Int
    /// `reach + position * lineCount + line`: the most units of the line any one candidate from
    /// `position` on can give, up to what the line needs.
    private let reach: Int
    /// Units of each line the set being extended gives, up to what the line needs.
    private let covered: Int
    /// Order in which a line draws from candidates of equal unit cost: by unit cost, then priority.
    private let ranks: Int
    private let set: Int
    private let best: Int

    init(lineCount: Int, count: Int, maxSize: Int, unfilledPenalty: Cost, splitPenalty: Cost) {
        self.lineCount = lineCount
        self.count = count
        self.unfilledPenalty = unfilledPenalty
        self.splitPenalty = splitPenalty
        needs = 0
        prices = needs + lineCount
        prefix = prices + count
        units = prefix + count + 1
        unitCosts = units + count * lineCount
        reach = unitCosts + count * lineCount
        covered = reach + (count + 1) * lineCount
        ranks = covered + lineCount
        set = ranks + count
        best = set + maxSize
        data = [Cost](repeating: 0, count: best + maxSize)
    }

    mutating func setNeed(_ line: Int, _ quantity: Int) { data[needs + line] = Cost(quantity) }
    mutating func setPrice(_ position: Int, _ price: Cost) { data[prices + position] = price }
    mutating func setRank(_ position: Int, _ rank: Int32) { data[ranks + position] = Cost(rank) }
    mutating func setUnits(_ position: Int, _ line: Int, _ available: Int, cost: Cost) {
        data[units + position * lineCount + line] = Cost(available)
        data[unitCosts + position * lineCount + line] = cost
    }

    func need(_ line: Int) -> Int { Int(data[needs + line]) }
    func available(_ position: Int, _ line: Int) -> Int { Int(data[units + position * lineCount + line]) }
    func unitCost(_ position: Int, _ line: Int) -> Cost { data[unitCosts + position * lineCount + line] }
    /// The position of the best set's `index`th member.
    func bestMember(_ index: Int) -> Int { Int(data[best + index]) }

    /// Whether a line takes units from candidate `a` before `b`.
    func before(_ a: Int, _ b: Int, line: Int) -> Bool {
        let (ca, cb) = (unitCost(a, line), unitCost(b, line))
        return ca < cb || (ca == cb && data[ranks + a] < data[ranks + b])
    }

    /// Sums and bounds, once every candidate's price and units are in; the best is nothing
    /// shipped.
    mutating func prepare() {
        totalUnits = 0
        for line in 0..<lineCount { totalUnits += need(line) }
        bestCost = unfilledPenalty * Cost(totalUnits)
        for position in 0..<count { data[prefix + position + 1] = data[prefix + position] + data[prices + position] }
        for position in stride(from: count - 1, through: 0, by: -1) {
            for line in 0..<lineCount {
                data[reach + position * lineCount + line] = max(
                    data[reach + (position + 1) * lineCount + line], Cost(min(available(position, line), need(line))))
            }
        }
    }

    /// Extends the set (whose parcels cost `partial`) to `size` members from position `start` on.
    mutating func extend(from start: Int, size: Int, partial: Cost) {
        let missing = size - setSize
        guard start + missing <= count else { return }
        for position in start...(count - missing) {
            // The set's cheapest completion from here: this and the next cheapest candidates'
            // parcels, and the units the set with this one and any others after it cannot give
            // charged as unfilled.
            let parcels =
                partial + data[prefix + position + missing] - data[prefix + position] + splitPenalty * Cost(size - 1)
            var unfilled = 0
            for line in 0..<lineCount {
                let most =
                    Int(data[covered + line]) + min(available(position, line), need(line))
                    + (missing - 1) * Int(data[reach + (position + 1) * lineCount + line])
                unfilled += max(0, need(line) - most)
            }
            let floor = parcels + cheapestUnit * Cost(totalUnits - unfilled) + unfilledPenalty * Cost(unfilled)
            if floor >= bestCost {
                // Later candidates' parcels cost no less, but may give more units: stop only when
                // the parcels alone reach the best.
                if parcels + cheapestUnit * Cost(totalUnits) >= bestCost { return }
                continue
            }
            data[set + setSize] = Cost(position)
            setSize += 1
            if missing == 1 {
                if let cost = evaluate() {
                    bestCost = cost
                    bestSize = setSize
                    for index in 0..<setSize { data[best + index] = data[set + index] }
                }
            } else {
                for line in 0..<lineCount { data[covered + line] += Cost(min(available(position, line), need(line))) }
                extend(from: position + 1, size: size, partial: partial + data[prices + position])
                for line in 0..<lineCount { data[covered + line] -= Cost(min(available(position, line), need(line))) }
            }
            setSize -= 1
        }
    }

    /// The cost of the current set, when it is below the best and every member ships something.
    private func evaluate() -> Cost? {
        var cost = splitPenalty * Cost(setSize - 1)
        for index in 0..<setSize { cost += data[prices + Int(data[set + index])] }
        var used = 0  // a bit per member of the set
        for line in 0..<lineCount {
            var remaining = need(line)
            var taken = 0  // members already drawn from for this line
            while remaining > 0 {
                var pick = -1
                for index in 0..<setSize where taken & (1 << index) == 0 {
                    let member = Int(data[set + index])
                    guard available(member, line) > 0 else { continue }
                    if pick < 0 || before(member, Int(data[set + pick]), line: line) { pick = index }
                }
                if pick < 0 { break }
                taken |= 1 << pick
                let member = Int(data[set + pick])
                let take = min(available(member, line), remaining)
                cost += unitCost(member, line) * Cost(take)
                remaining -= take
                used |= 1 << pick
            }
            cost += unfilledPenalty * Cost(remaining)
            if cost >= bestCost { return nil }
        }
        return used == (1 << setSize) - 1 ? cost : nil
    }
}
