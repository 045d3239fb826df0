import CLibXML2

/// An XML Schema (XSD), read once, that written XML documents are checked against before they
/// are recorded, so a partner never receives a file its schema refuses.
public final class XMLSchema: @unchecked Sendable {
    // libxml2's parsed schema is only read after parsing; each check has its own context.
    private let schema: xmlSchemaPtr
    /// The schema file.
    public let path: String

    /// Reads the schema at `path` (and every schema it imports, relative to it).
    ///
    /// - Throws: ``ConversionFailure`` naming the file and libxml2's first complaint.
    public init(path: String) throws(ConversionFailure) {
        self.path = path
        let collector = Collector()
        let context = Unmanaged.passRetained(collector)
        defer { context.release() }
        guard let parser = xmlSchemaNewParserCtxt(path) else {
            throw ConversionFailure("the schema \(path) cannot be opened")
        }
        defer { xmlSchemaFreeParserCtxt(parser) }
        xmlSchemaSetParserStructuredErrors(parser, collectError, context.toOpaque())
        guard let schema = xmlSchemaParse(parser) else {
            throw ConversionFailure(
                "the schema \(path) cannot be used: \(collector.messages.first ?? "libxml2 could not read it")")
        }
        self.schema = schema
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// What the schema finds wrong with `bytes`, each with its line; empty when the document is
    /// valid.
    public func problems(in bytes: [UInt8]) -> [String] {
        let collector = Collector()
        let context = Unmanaged.passRetained(collector)
        defer { context.release() }
        guard let validation = xmlSchemaNewValidCtxt(schema) else { return ["libxml2 could not start the check"] }
        defer { xmlSchemaFreeValidCtxt(validation) }
        xmlSchemaSetValidStructuredErrors(validation, collectError, context.toOpaque())
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { text in
                    xmlReadMemory(text, Int32(buffer.count), "document.xml", nil, options)
                }
            }
        }
        guard let document else { return ["the document is not well-formed XML"] }
        defer { xmlFreeDoc(document) }
        let result = xmlSchemaValidateDoc(validation, document)
        if result != 0 && collector.messages.isEmpty { return ["libxml2 refused the document (code \(result))"] }
        return collector.messages
    }

    /// Collects libxml2's messages.
    final class Collector {
        var messages: [String] = []
    }
}

private func collectError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let collector = Unmanaged<XMLSchema.Collector>.fromOpaque(context).takeUnretainedValue()
    let message = error.pointee.message.map { String(cString: $0) } ?? "error"
    let text = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    collector.messages.append(error.pointee.line > 0 ? "line \(error.pointee.line): \(text)" : text)
}
