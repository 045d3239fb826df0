extension JSONWriter {
    /// Where a document came from, as its canonical JSON writes it: `file`, `line`, `record`, or
    /// null when it has no source.
    mutating func source(_ source: SourceLocation?) {
        guard let source else {
            null()
            return
        }
        beginObject()
        key("file")
        string(source.file)
        key("line")
        integer(source.line)
        key("record")
        integer(source.record)
        endObject()
    }
}
