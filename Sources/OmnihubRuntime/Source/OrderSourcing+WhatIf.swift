package import OmnihubCore
import OmnihubStore

extension OrderSourcing {
    /// What one strategy would make of the open orders.
    package struct WhatIf: Sendable {
        package var strategy: SourcingStrategy
        package var summary: SourcingSummary
        /// Whether it is the strategy omnihub.yaml sources with.
        package var current: Bool
    }

    /// Every strategy's plan for the first batch of open orders with something to source
    /// (`batch_orders` of them), on the stock and capacity there are now; nothing is reserved.
    /// The orders' count comes first.
    package func whatIf(at time: Timestamp) throws -> (orders: Int, plans: [WhatIf]) {
        var state = try store.stock.sourcingState(at: time, after: 0, limit: sourcing.batchOrders)
        while state.orders.isEmpty {
            guard let through = state.through else { return (0, []) }
            state = try store.stock.sourcingState(at: time, after: through, limit: sourcing.batchOrders)
        }
        let network = SourcingNetwork(problem(state, switchedOff: try switchedOff(), at: time))
        let plans = SourcingStrategy.allCases.map { strategy in
            let plan: SourcingPlan
            switch strategy {
            case .optimize: plan = BatchOptimizer().plan(network)
            case .priority: plan = RuleBasedSourcing.plan(network, rule: .priority)
            case .distance: plan = RuleBasedSourcing.plan(network, rule: .distance)
            }
            return WhatIf(
                strategy: strategy, summary: SourcingSummary(plan, network), current: strategy == sourcing.strategy)
        }
        return (state.orders.count, plans)
    }
}
