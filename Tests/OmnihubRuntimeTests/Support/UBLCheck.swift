import Foundation
import FoundationXML
import OmnihubCore

/// The totals and lines of a written UBL Invoice or CreditNote, read back with XPath.
struct UBLInvoice {
    struct Line {
        var quantity: String
        var net: Amount
    }

    /// What the document is worth, VAT included (TaxInclusiveAmount).
    let payable: String
    /// What was paid before it (PrepaidAmount), and what is still to pay (PayableAmount).
    let prepaid: String
    let due: String
    let chargeTotal: String
    let lineExtension: Amount
    let taxExclusive: Amount
    let taxInclusive: Amount
    let taxTotal: Amount
    let taxableSum: Amount
    let lines: [Line]

    init(_ data: Data) throws {
        let document = try XMLDocument(data: data)
        func texts(_ path: String) throws -> [String] {
            try document.nodes(forXPath: path).map { $0.stringValue ?? "" }
        }
        func text(_ path: String) throws -> String { try texts(path).first ?? "" }
        func amount(_ path: String) throws -> Amount { Amount(parsing: try text(path)) ?? Amount(-1) }
        let total = "/*/*[local-name()='LegalMonetaryTotal']/*[local-name()="
        payable = try text(total + "'TaxInclusiveAmount']")
        prepaid = try text(total + "'PrepaidAmount']")
        due = try text(total + "'PayableAmount']")
        chargeTotal = try text(total + "'ChargeTotalAmount']")
        lineExtension = try amount(total + "'LineExtensionAmount']")
        taxExclusive = try amount(total + "'TaxExclusiveAmount']")
        taxInclusive = try amount(total + "'TaxInclusiveAmount']")
        taxTotal = try amount("/*/*[local-name()='TaxTotal']/*[local-name()='TaxAmount']")
        taxableSum = try texts("//*[local-name()='TaxSubtotal']/*[local-name()='TaxableAmount']")
            .compactMap { Amount(parsing: $0) }.reduce(Amount.zero, +)
        let quantities = try texts(
            "/*/*[local-name()='InvoiceLine' or local-name()='CreditNoteLine']/*[local-name()='InvoicedQuantity' "
                + "or local-name()='CreditedQuantity']")
        let nets = try texts(
            "/*/*[local-name()='InvoiceLine' or local-name()='CreditNoteLine']/*[local-name()='LineExtensionAmount']")
        lines = zip(quantities, nets).map { Line(quantity: $0, net: Amount(parsing: $1) ?? Amount(-1)) }
    }
}

/// The order UBL 2.1's schemas give the children of the elements omnihub's formats write (the
/// elements of each `xsd:sequence` that the formats use, in schema order). The official XSDs are
/// not available to the tests, so this encodes their sequences for these elements.
enum UBLOrder {
    static let sequences: [String: [String]] = [
        "Invoice": [
            "UBLVersionID", "CustomizationID", "ProfileID", "ID", "IssueDate", "InvoiceTypeCode", "Note",
            "DocumentCurrencyCode", "BuyerReference", "OrderReference", "BillingReference",
            "AccountingSupplierParty", "AccountingCustomerParty", "Delivery", "PaymentMeans", "PaymentTerms",
            "AllowanceCharge", "TaxTotal", "LegalMonetaryTotal", "InvoiceLine",
        ],
        "CreditNote": [
            "UBLVersionID", "CustomizationID", "ProfileID", "ID", "IssueDate", "CreditNoteTypeCode", "Note",
            "DocumentCurrencyCode", "BuyerReference", "OrderReference", "BillingReference",
            "AccountingSupplierParty", "AccountingCustomerParty", "Delivery", "PaymentMeans", "PaymentTerms",
            "AllowanceCharge", "TaxTotal", "LegalMonetaryTotal", "CreditNoteLine",
        ],
        "OrderReference": ["ID", "IssueDate"],
        "Delivery": ["ActualDeliveryDate", "DeliveryLocation", "DeliveryParty"],
        "PayeeFinancialAccount": ["ID", "Name", "FinancialInstitutionBranch"],
        "PaymentMeans": [
            "PaymentMeansCode", "PaymentDueDate", "PaymentChannelCode", "PaymentID", "PayeeFinancialAccount",
        ],
        "BillingReference": ["InvoiceDocumentReference"],
        "InvoiceDocumentReference": ["ID", "IssueDate"],
        "AccountingSupplierParty": ["Party"],
        "AccountingCustomerParty": ["Party"],
        "Party": [
            "EndpointID", "PartyIdentification", "PartyName", "PostalAddress", "PartyTaxScheme", "PartyLegalEntity",
            "Contact",
        ],
        "PartyName": ["Name"],
        "PostalAddress": [
            "StreetName", "AdditionalStreetName", "CityName", "PostalZone", "CountrySubentity", "AddressLine",
            "Country",
        ],
        "Country": ["IdentificationCode"],
        "PartyTaxScheme": ["CompanyID", "TaxScheme"],
        "TaxScheme": ["ID"],
        "PartyLegalEntity": ["RegistrationName", "CompanyID"],
        "Contact": ["Name", "Telephone", "ElectronicMail"],
        "AllowanceCharge": [
            "ChargeIndicator", "AllowanceChargeReasonCode", "AllowanceChargeReason", "Amount", "BaseAmount",
            "TaxCategory",
        ],
        "TaxCategory": ["ID", "Percent", "TaxExemptionReasonCode", "TaxExemptionReason", "TaxScheme"],
        "ClassifiedTaxCategory": ["ID", "Percent", "TaxScheme"],
        "TaxTotal": ["TaxAmount", "TaxSubtotal"],
        "TaxSubtotal": ["TaxableAmount", "TaxAmount", "Percent", "TaxCategory"],
        "LegalMonetaryTotal": [
            "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount",
            "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount", "PayableAmount",
        ],
        "InvoiceLine": [
            "ID", "Note", "InvoicedQuantity", "LineExtensionAmount", "OrderLineReference", "AllowanceCharge", "Item",
            "Price",
        ],
        "CreditNoteLine": [
            "ID", "Note", "CreditedQuantity", "LineExtensionAmount", "OrderLineReference", "AllowanceCharge", "Item",
            "Price",
        ],
        "OrderLineReference": ["LineID"],
        "Item": [
            "Description", "Name", "SellersItemIdentification", "StandardItemIdentification", "ClassifiedTaxCategory",
        ],
        "SellersItemIdentification": ["ID"],
        "Price": ["PriceAmount", "BaseQuantity"],
    ]

    static let basicNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    static let aggregateNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"

    /// Elements out of order, unknown to the parent, in the wrong namespace, or mandatory and missing.
    static func problems(in element: XMLElement, path: String = "") -> [String] {
        let name = element.localName ?? ""
        let here = path + "/" + name
        let children = element.children?.compactMap { $0 as? XMLElement } ?? []
        guard let sequence = sequences[name] else {
            return children.isEmpty ? [] : ["\(here) has children the check does not know"]
        }
        var problems: [String] = []
        var last = -1
        for child in children {
            let childName = child.localName ?? ""
            guard let index = sequence.firstIndex(of: childName) else {
                problems.append("\(here) may not contain \(childName)")
                continue
            }
            if index < last { problems.append("\(here): \(childName) comes too late") }
            last = max(last, index)
            let expected = sequences[childName] == nil ? basicNamespace : aggregateNamespace
            if child.uri != expected { problems.append("\(here)/\(childName) is in \(child.uri ?? "no namespace")") }
            problems += Self.problems(in: child, path: here)
        }
        for mandatory in [
            "ID", "IssueDate", "AccountingSupplierParty", "AccountingCustomerParty", "LegalMonetaryTotal",
        ]
        where path.isEmpty && !children.contains(where: { $0.localName == mandatory }) {
            problems.append("\(here) lacks \(mandatory)")
        }
        return problems
    }
}
