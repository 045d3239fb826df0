/// The store's topic of invoices and credit notes, the units each covers, and their numbers.
package struct FinanceLedger: StoreTopic {
    let database: StoreDatabase
}
