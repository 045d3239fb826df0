import CCurl
import CLibXML2
import GRDBSQLite

/// The versions of the C libraries this build of omnihub runs on, for support and bug reports.
package enum LinkedLibraries {
    /// Name and version of each library, as the library itself reports it at run time.
    package static var versions: [(name: String, version: String)] {
        [
            ("SQLite", String(cString: sqlite3_libversion())),
            ("libxml2", String(cString: omnihub_xml_parser_version())),
            ("libcurl", String(cString: curl_version())),
        ]
    }
}
