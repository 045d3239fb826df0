import Foundation
import OmnihubCore

/// Reads the postal areas file: `country,prefix,lat,lon`, one area a row, with a header.
enum PostalAreaFile {
    static func load(_ path: String, node: YAMLNode) throws(ConfigurationError) -> [Configuration.PostalArea] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw node.error("the postal areas file \(path) does not exist or cannot be read")
        }
        var reader = CSVReader(
            source: InMemoryBytes(Array(data)), dialect: CSVDialect(), encoding: .utf8, fileName: path)
        var areas: [Configuration.PostalArea] = []
        do {
            while let row = try reader.next() {
                guard let country = try row.field(0), let prefix = try row.field(1),
                    let lat = try row.field(2).flatMap(Double.init),
                    let lon = try row.field(3).flatMap(Double.init)
                else {
                    throw node.error("\(path) line \(row.position.line): expected country,prefix,lat,lon with numbers")
                }
                areas.append(Configuration.PostalArea(country: country, prefix: prefix, latitude: lat, longitude: lon))
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw node.error("the postal areas file \(path) cannot be read: \(error)")
        }
        return areas
    }
}
