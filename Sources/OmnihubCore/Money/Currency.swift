/// An ISO 4217 currency, with the number of minor units its amounts carry.
public struct Currency: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The three-letter code, e.g. `EUR`.
    public let code: String

    /// A currency for an ISO 4217 code in upper case; `nil` for anything else.
    ///
    /// Fund and precious-metal units (`XAU`, `XDR`, …) and the testing codes `XTS` and `XXX` are
    /// not currencies an order is paid in and are refused.
    public init?(code: String) {
        guard Currency.minorUnitsByCode[code] != nil else { return nil }
        self.code = code
    }

    /// Digits after the decimal point of an amount in this currency: 2 for EUR, 0 for JPY, 3 for KWD.
    public var minorUnits: Int { Currency.minorUnitsByCode[code] ?? 2 }

    public var description: String { code }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let currency = Currency(code: code) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(code)' is not an ISO 4217 currency code")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    private static let minorUnitsByCode: [String: Int] = {
        // ISO 4217 list one, active codes that are money (26.2 edition).
        let codes = """
            AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD \
            CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL \
            GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW \
            KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD \
            NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP \
            SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS \
            VED VES VND VUV WST XAD XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
            """
        let exceptions: [String: Int] = [
            "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
            "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
            "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
            "CLF": 4, "UYW": 4,
        ]
        var table: [String: Int] = [:]
        for code in codes.split(separator: " ") {
            table[String(code)] = exceptions[String(code)] ?? 2
        }
        return table
    }()
}
