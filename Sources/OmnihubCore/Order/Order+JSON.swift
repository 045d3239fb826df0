extension Order {
    /// The canonical JSON of the order, keys sorted, as `omnihub map` prints it and the store keeps it.
    ///
    /// - Parameter includingSource: `false` leaves out `source`, for the stored content that two
    ///   re-sends of the same order share.
    /// - Parameter compact: leaves out null fields and empty discount lists, for the store; the
    ///   decoder reads them back as null and empty.
    public func canonicalJSON(includingSource: Bool = true, compact: Bool = false) -> [UInt8] {
        var json = JSONWriter(capacity: compact ? 512 : 640 + lines.count * 200, omitsNulls: compact)
        json.beginObject()
        json.key("bill_to")
        write(billTo, to: &json)
        json.key("channel")
        json.string(channel)
        json.key("currency")
        json.string(currency.code)
        json.key("customer")
        json.beginObject()
        json.key("email")
        json.string(customer.email)
        json.key("language")
        json.string(customer.language)
        json.key("name")
        json.string(customer.name)
        json.key("phone")
        json.string(customer.phone)
        json.endObject()
        json.key("delivery")
        json.beginObject()
        json.key("method")
        json.string(delivery.method.rawValue)
        json.key("pickup_node")
        json.string(delivery.pickupNode)
        json.key("promised_by")
        json.string(delivery.promisedBy?.description)
        json.key("service")
        json.string(delivery.service)
        json.endObject()
        if !compact || !discounts.isEmpty {
            json.key("discounts")
            write(discounts, to: &json)
        }
        json.key("external_id")
        json.string(externalID)
        json.key("lines")
        json.beginArray()
        for line in lines {
            json.beginObject()
            if !compact || !line.discounts.isEmpty {
                json.key("discounts")
                write(line.discounts, to: &json)
            }
            json.key("gtin")
            json.string(line.gtin)
            json.key("line_id")
            json.string(line.lineID)
            json.key("quantity")
            json.integer(line.quantity)
            json.key("sku")
            json.string(line.sku)
            json.key("tax_rate")
            json.string(line.taxRate?.description)
            json.key("title")
            json.string(line.title)
            json.key("unit_price")
            json.string(line.unitPrice.description)
            json.endObject()
        }
        json.endArray()
        json.key("payment")
        if let payment {
            json.beginObject()
            json.key("amount")
            json.string(payment.amount?.description)
            json.key("method")
            json.string(payment.method)
            json.key("reference")
            json.string(payment.reference)
            json.endObject()
        } else {
            json.null()
        }
        json.key("placed_at")
        json.string(placedAt.description)
        if prices == .net {
            json.key("prices")
            json.string(prices.rawValue)
        }
        json.key("ship_to")
        write(shipTo, to: &json)
        json.key("shipping")
        if let shipping {
            json.beginObject()
            json.key("amount")
            json.string(shipping.amount.description)
            if let discount = shipping.discount {
                json.key("discount")
                json.string(discount.description)
            }
            json.key("tax_rate")
            json.string(shipping.taxRate?.description)
            json.endObject()
        } else {
            json.null()
        }
        if includingSource {
            json.key("source")
            json.source(source)
        }
        json.endObject()
        return json.bytes
    }

    private func write(_ address: Address?, to json: inout JSONWriter) {
        guard let address else {
            json.null()
            return
        }
        json.beginObject()
        json.key("city")
        json.string(address.city)
        json.key("company")
        json.string(address.company)
        json.key("country")
        json.string(address.country)
        json.key("line1")
        json.string(address.line1)
        json.key("line2")
        json.string(address.line2)
        json.key("name")
        json.string(address.name)
        json.key("postal_code")
        json.string(address.postalCode)
        json.key("region")
        json.string(address.region)
        json.endObject()
    }

    private func write(_ discounts: [Discount], to json: inout JSONWriter) {
        json.beginArray()
        for discount in discounts {
            json.beginObject()
            json.key("amount")
            json.string(discount.amount.description)
            json.key("code")
            json.string(discount.code)
            json.endObject()
        }
        json.endArray()
    }
}
