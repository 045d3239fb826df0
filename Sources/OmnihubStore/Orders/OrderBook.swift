/// The store's topic of the orders: their canonical documents, lines, status and lineage.
package struct OrderBook: StoreTopic {
    let database: StoreDatabase
}
