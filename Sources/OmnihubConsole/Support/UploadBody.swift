package import Hummingbird
import OmnihubRuntime

extension Request {
    /// The bytes of a partner's upload, refused as too large past ``PartnerPull/uploadLimit``.
    package func uploadedBytes() async throws -> [UInt8] {
        var request = self
        do {
            let body = try await request.collectBody(upTo: PartnerPull.uploadLimit)
            return Array(body.readableBytesView)
        } catch {
            throw PartnerPull.Refusal.tooLarge(PartnerPull.uploadLimit)
        }
    }
}
