package import OmnihubCore

extension Configuration {
    /// Messages for customers (the `notifications:` section): order confirmed, shipped, ready for
    /// pickup, refund issued, one file each in `outbox/<destination>/` for a mailer.
    package struct Notifications: Sendable {
        /// The outbox folder's name, e.g. `mailer`.
        package var destination: String
        package var format: OutputFormat
        /// The languages the mailer writes; a customer's other language gets the default.
        package var languages: [String]
        package var defaultLanguage: String
        /// Orders imported longer ago than this get no confirmation (so a store that starts
        /// sending notifications does not confirm its old orders).
        package var confirmWithinHours: Int
    }

    static func parseNotifications(_ node: YAMLNode, resolve: (String) -> String) throws(ConfigurationError)
        -> Notifications
    {
        try node.allowOnly(["destination", "format", "languages", "default_language", "confirm_within_hours"])
        let languages =
            try node.optional("languages")?.items().map { item throws(ConfigurationError) in
                try item.text().lowercased()
            } ?? ["en"]
        guard !languages.isEmpty else {
            throw try node.required("languages", "").error("name at least one language, e.g. [de, en]")
        }
        let defaultNode = try node.optional("default_language")
        let defaultLanguage = try defaultNode?.text().lowercased() ?? languages[0]
        guard languages.contains(defaultLanguage) else {
            throw (defaultNode ?? node).error(
                "the default language '\(defaultLanguage)' is not one of languages: \(languages.joined(separator: ", "))"
            )
        }
        let hours = try node.optional("confirm_within_hours")?.integer("hours, e.g. 24") ?? 24
        return Notifications(
            destination: try node.optional("destination")?.text() ?? "mailer",
            format: try format(
                node.required("format", "the format file, e.g. mappings/customer-notification.format.yaml"),
                writing: "customer_notification", resolve: resolve)!,
            languages: languages, defaultLanguage: defaultLanguage, confirmWithinHours: max(0, hours))
    }
}
