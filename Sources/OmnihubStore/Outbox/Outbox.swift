/// The store's topic of the outbox ledger: every outbound document with its bytes, and which facts each told its destination of.
package struct Outbox: StoreTopic {
    let database: StoreDatabase
}
