/// The rules a mapped document breaks, all of them.
public struct Violations: Error, Sendable {
    /// Each broken rule.
    public let all: [OrderViolation]
}

/// A rule of the canonical order that a mapped order breaks.
public struct OrderViolation: Sendable, Hashable {
    /// What kind of rule.
    public let code: IssueCode
    /// The canonical field, e.g. `lines[2].quantity`.
    public let field: String
    /// The offending value as text, when there is one.
    public let value: String?
    /// What is wrong and what is expected.
    public let message: String

    /// A violation.
    public init(_ code: IssueCode, field: String, value: String?, _ message: String) {
        self.code = code
        self.field = field
        self.value = value
        self.message = message
    }
}
