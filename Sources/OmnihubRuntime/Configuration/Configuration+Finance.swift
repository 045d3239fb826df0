import Foundation
package import OmnihubCore

extension Configuration {
    /// Where invoices, credit notes and ledger bookings go (the `finance:` section): the ERP's
    /// outbox folder, number prefixes, the VAT rate of lines that carry none, and the formats.
    package struct Finance: Sendable {
        /// The outbox folder's name, e.g. `erp` for `outbox/erp/`.
        package var destination: String
        package var invoicePrefix: String
        package var creditNotePrefix: String
        /// The VAT rate of order lines (and shipping) whose feed gives none.
        package var defaultTaxRate: Amount
        /// One file per invoice (e.g. UBL 2.1 Invoice).
        package var invoiceFormat: OutputFormat?
        /// One file per credit note (e.g. UBL 2.1 CreditNote).
        package var creditNoteFormat: OutputFormat?
        /// One file per cycle with the bookings of its invoices and credit notes (e.g. DATEV).
        package var bookingsFormat: OutputFormat?
        /// One file per refund for the payment side, in `refundDestination`.
        package var refundFormat: OutputFormat?
        /// The outbox folder of refund documents, e.g. `payments`.
        package var refundDestination: String
    }

    static func parseFinance(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError) -> Finance {
        try node.allowOnly([
            "destination", "invoice_prefix", "credit_note_prefix", "default_tax_rate", "invoice_format",
            "credit_note_format", "bookings_format", "refund_format", "refund_destination",
        ])
        let rateNode = try node.required("default_tax_rate", "the VAT rate in percent of lines without one, e.g. 19")
        let rateText = try rateNode.text()
        guard let rate = Amount(parsing: rateText), !rate.isNegative, rate <= Amount(100) else {
            throw rateNode.error("'\(rateText)' is not a VAT rate; write a percentage such as 19 or 7")
        }
        let destination = try node.optional("destination")?.text() ?? "erp"
        return Finance(
            destination: destination,
            invoicePrefix: try node.optional("invoice_prefix")?.text() ?? "INV-",
            creditNotePrefix: try node.optional("credit_note_prefix")?.text() ?? "CN-",
            defaultTaxRate: rate,
            invoiceFormat: try format(node.optional("invoice_format"), writing: "invoice", resolve: resolve),
            creditNoteFormat: try format(node.optional("credit_note_format"), writing: "credit_note", resolve: resolve),
            bookingsFormat: try format(node.optional("bookings_format"), writing: "bookings", resolve: resolve),
            refundFormat: try format(node.optional("refund_format"), writing: "refund", resolve: resolve),
            refundDestination: try node.optional("refund_destination")?.text() ?? destination)
    }

    /// The output format a key names, checked to write `document`.
    static func format(_ node: YAMLNode?, writing document: String, resolve: (String) -> String)
        throws(ConfigurationError) -> OutputFormat?
    {
        guard let node else { return nil }
        let format = try OutputFormatFile.load(resolve(try node.text()))
        guard format.document == document else {
            throw node.error("the format writes \(format.document), not \(document)")
        }
        return format
    }
}
