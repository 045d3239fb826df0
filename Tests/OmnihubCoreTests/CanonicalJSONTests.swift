import Foundation
import OmnihubCore
import Testing

@Suite("Canonical JSON: the fast writer agrees with JSONEncoder")
struct CanonicalJSONTests {
    static func order(tricky: Bool) -> Order {
        var order = OrderValidationTests.validOrder()
        order.source = SourceLocation(file: "amazon-de/a.tsv", record: 3, line: 4)
        if tricky {
            order.customer = Customer(name: "Zoë \"Q\" O'Brien\\", email: nil, phone: "+49\t30\n")
            order.billTo = Address(name: "Ünïcødé 😀", company: "/slash/", country: "DE")
            order.payment = Payment(method: "card", reference: "\u{01}ctl", amount: Amount(parsing: "39.92"))
            order.discounts = [Discount(code: nil, amount: Amount(parsing: "5.00")!)]
            order.delivery = Delivery(method: .collect, service: "pickup", pickupNode: "store-1")
        }
        return order
    }

    @Test("byte for byte what JSONEncoder writes with sorted keys", arguments: [false, true])
    func sameAsEncoder(tricky: Bool) throws {
        let order = Self.order(tricky: tricky)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(
            String(decoding: order.canonicalJSON(), as: UTF8.self)
                == String(decoding: try encoder.encode(order), as: UTF8.self))
    }

    @Test("the compact stored form leaves out nulls and decodes back to the same order", arguments: [false, true])
    func compactRoundTrip(tricky: Bool) throws {
        let order = Self.order(tricky: tricky)
        let compact = order.canonicalJSON(includingSource: false, compact: true)
        #expect(!String(decoding: compact, as: UTF8.self).contains("null"))
        var decoded = try JSONDecoder().decode(Order.self, from: Data(compact))
        decoded.source = order.source
        #expect(decoded == order)
    }
}
