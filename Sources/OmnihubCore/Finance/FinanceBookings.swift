public import Foundation

/// A batch of bookings for the ERP's general ledger (a DATEV Buchungsstapel, for example): per
/// invoice or credit note and VAT rate, one gross booking against the customer, debit for an
/// invoice and credit for a credit note, with the document's number and date.
public struct FinanceBookings: FormattedDocument {
    /// One booking.
    public struct Line: Sendable, Hashable {
        /// Gross amount, never negative; ``side`` says which way it goes.
        public var amount: Amount
        /// `S` (debit the customer: an invoice) or `H` (credit: a credit note).
        public var side: String
        public var taxRate: Amount
        public var documentNumber: String
        public var documentKind: Invoice.Kind
        public var issuedAt: Timestamp
        public var channel: String
        public var orderNumber: String
        public var currency: Currency
    }

    public var type: String { "bookings" }
    public var number: String
    public var destination: String
    /// When the batch was made.
    public var wave: Timestamp
    public var lines: [Line]
    public var lineCount: Int { lines.count }
    /// The zone the ledger keeps its dates in; the fiscal year starts on 1 January there.
    public var zone: TimeZone

    /// The bookings of `documents`, in their order, one per document and VAT rate.
    public init(
        number: String, destination: String, createdAt: Timestamp, documents: [Invoice],
        zone: TimeZone = TimeZone(identifier: "UTC")!
    ) {
        self.number = number
        self.destination = destination
        self.wave = createdAt
        self.zone = zone
        self.lines = documents.flatMap { document in
            document.taxes.map { tax in
                Line(
                    amount: tax.gross, side: document.kind == .invoice ? "S" : "H", taxRate: tax.rate,
                    documentNumber: document.number, documentKind: document.kind, issuedAt: document.wave,
                    channel: document.channel, orderNumber: document.orderNumber, currency: document.currency)
            }
        }
    }

    /// The first and last document dates of the batch.
    public var period: (first: Timestamp, last: Timestamp)? {
        guard let first = lines.map(\.issuedAt).min(), let last = lines.map(\.issuedAt).max() else { return nil }
        return (first, last)
    }

    public func value(_ name: String, line index: Int) -> String? {
        switch name {
        case "document_type": return type
        case "number": return number
        case "created_at": return wave.description
        case "period_start": return period?.first.description
        case "period_end": return period?.last.description
        case "fiscal_year_start": return period.map { fiscalYearStart(of: $0.first).description }
        case "currency": return lines.first?.currency.code
        default: break
        }
        guard index < lines.count else { return nil }
        let line = lines[index]
        switch name {
        case "position": return String(index + 1)
        case "amount": return line.amount.description
        case "side": return line.side
        case "tax_rate": return line.taxRate.description
        case "document_number": return line.documentNumber
        case "document_kind": return line.documentKind.rawValue
        case "issued_at": return line.issuedAt.description
        case "channel": return line.channel
        case "order": return line.orderNumber
        case "line_currency": return line.currency.code
        case "text":
            return (line.documentKind == .invoice ? "Invoice " : "Credit note ") + "\(line.orderNumber) \(line.channel)"
        default: return nil
        }
    }

    /// Midnight of 1 January, in the ledger's zone, of the year `date` falls in there.
    func fiscalYearStart(of date: Timestamp) -> Timestamp {
        let year = Int(DateTimeFormat.year.write(date, zone: zone)) ?? 1970
        let guess = Timestamp(year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0, offsetSeconds: 0)
        let offset = zone.secondsFromGMT(
            for: Date(timeIntervalSince1970: Double(guess.millisecondsSince1970) / 1000))
        return Timestamp(year: year, month: 1, day: 1, hour: 0, minute: 0, second: 0, offsetSeconds: offset)
    }

    /// Every name ``value(_:line:)`` knows.
    public static let fieldNames = [
        "document_type", "number", "created_at", "period_start", "period_end", "fiscal_year_start", "currency",
        "position", "amount", "side", "tax_rate", "document_number", "document_kind", "issued_at", "channel", "order",
        "line_currency", "text",
    ]

    public static let amountFields: Set<String> = ["amount", "tax_rate"]
}
