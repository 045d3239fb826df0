import Foundation
package import Hummingbird
package import Logging
import NIOCore
package import OmnihubConsole
import OmnihubCore
package import OmnihubRuntime
package import Prometheus

/// The daemon's HTTP server: `/healthz`, `/readyz`, `/metrics` (Prometheus), and the partner pull
/// API under `/partners/{partner}/`:
///
/// - `GET documents`: the documents new to the partner, as JSON;
/// - `GET documents/{id}`: one document's bytes;
/// - `POST documents/{id}/ack`: the partner has it; it is not listed as new again;
/// - `PUT inbox/{name}`: a file for the partner's upload feed.
///
/// With a `console:` section it also serves the web console under `/console/` and the partner
/// portal under `/portal/` (``WebConsole``).
package enum HubServer {
    /// The application, ready to run as a service of the daemon's group.
    package static func application(
        server: Configuration.Server, pull: PartnerPull, health: HubHealth, registry: PrometheusCollectorRegistry,
        logger: Logger, console: WebConsole? = nil, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        console?.addRoutes(to: router)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            if let reason = health.notReadyBecause {
                return text(.serviceUnavailable, "not ready: \(reason)\n")
            }
            return text(.ok, "ready\n")
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/partners/:partner/documents") { request, context -> Response in
            try await answer(pull, request, context) { partner in
                let listed = try await onOwnThread { try pull.newDocuments(for: partner) }
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.sortedKeys]
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(listed))))
            }
        }
        router.get("/partners/:partner/documents/:id") { request, context -> Response in
            try await answer(pull, request, context) { partner in
                let id = try documentID(context)
                let (name, bytes) = try await onOwnThread { try pull.document(id, for: partner) }
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/octet-stream",
                        .contentDisposition: "attachment; filename=\"\(name)\"",
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        router.post("/partners/:partner/documents/:id/ack") { request, context -> Response in
            try await answer(pull, request, context) { partner in
                let id = try documentID(context)
                try await onOwnThread { try pull.acknowledge(id, for: partner) }
                return text(.ok, "acknowledged\n")
            }
        }
        router.put("/partners/:partner/inbox/:name") { request, context -> Response in
            try await answer(pull, request, context) { partner in
                let name = context.parameters.get("name") ?? ""
                let bytes = try await request.uploadedBytes()
                try await onOwnThread { try pull.receive(bytes, named: name, from: partner) }
                return text(.created, "received \(name)\n")
            }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(server.host, port: server.port), serverName: "omnihub"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? server.port) },
            logger: logger)
    }

    /// Authorizes the request for the partner in its path, runs `work`, and turns refusals into
    /// their HTTP status with a line that says why.
    private static func answer(
        _ pull: PartnerPull, _ request: Request, _ context: BasicRequestContext,
        _ work: (Configuration.Partner) async throws -> Response
    ) async throws -> Response {
        do {
            let partner = try pull.authorize(
                partner: context.parameters.get("partner") ?? "", authorization: request.headers[.authorization])
            return try await work(partner)
        } catch let refusal as PartnerPull.Refusal {
            var response = text(HTTPResponse.Status(code: refusal.status), refusal.message + "\n")
            if case .unauthenticated = refusal { response.headers[.wwwAuthenticate] = "Bearer" }
            return response
        }
    }

    private static func documentID(_ context: BasicRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw PartnerPull.Refusal.badRequest("a document id is a positive number")
        }
        return id
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
