/// The store's topic of stock levels, reservations and shipments: the facts sourcing decides on.
package struct StockLedger: StoreTopic {
    let database: StoreDatabase
}
