import GRDB
import GRDBSQLite

extension Database {
    /// The database file this connection has open, for error messages.
    var filePath: String {
        guard let connection = sqliteConnection, let name = sqlite3_db_filename(connection, "main") else {
            return "the store"
        }
        return String(cString: name)
    }
}
