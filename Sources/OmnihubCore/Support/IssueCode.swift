/// A stable code for everything that can be wrong with an inbound record or file.
///
/// Programs match on the code (it is in every `.errors.json` report and in `--json` output); people
/// read the message that comes with it.
public enum IssueCode: String, Sendable, Hashable, Codable, CaseIterable {
    // Values that break the canonical order's rules.
    case missingField = "missing_field"
    case emptySKU = "empty_sku"
    case quantityBelowOne = "quantity_below_one"
    case negativePrice = "negative_price"
    case negativeAmount = "negative_amount"
    case unknownCurrency = "unknown_currency"
    case unknownCountry = "unknown_country"
    case tooManyDecimals = "too_many_decimals"
    case taxRateOutOfRange = "tax_rate_out_of_range"
    case amountOutOfRange = "amount_out_of_range"
    case quantityOutOfRange = "quantity_out_of_range"
    case invalidGTIN = "invalid_gtin"
    case discountExceedsTotal = "discount_exceeds_total"
    case duplicateLineID = "duplicate_line_id"
    case noLines = "no_lines"
    case missingShipTo = "missing_ship_to"
    case missingPickupNode = "missing_pickup_node"
    // Values the mapping could not convert.
    case invalidValue = "invalid_value"
    case invalidDateTime = "invalid_date_time"
    case unknownEnumValue = "unknown_enum_value"
    case lineTotalNotDivisible = "line_total_not_divisible"
    case checkFailed = "check_failed"
    case lookupMissing = "lookup_missing"
    // The shape of the file.
    case malformedCSV = "malformed_csv"
    case malformedJSON = "malformed_json"
    case malformedXML = "malformed_xml"
    case invalidEncoding = "invalid_encoding"
    case missingColumn = "missing_column"
    case scatteredGroup = "scattered_group"
    case emptyFile = "empty_file"
    case fieldTooLong = "field_too_long"
    /// The mapping's records path matches nothing in the file.
    case recordsNotFound = "records_not_found"
    // Exactly-once.
    case duplicateFile = "duplicate_file"
    case changedResend = "changed_resend"
    // Stock.
    case unknownNode = "unknown_node"
    case staleSnapshot = "stale_snapshot"
    case deltaBeforeSnapshot = "delta_before_snapshot"
    case fileRejected = "file_rejected"
    /// An event about an order that does not fit its state (a return of more than shipped).
    case eventRefused = "event_refused"
    // Containment.
    case poisonFile = "poison_file"
}
