/// The store's topic of the file ledger: which files came, what became of them, their import errors, and the files in hand.
package struct FileLedger: StoreTopic {
    let database: StoreDatabase
}
