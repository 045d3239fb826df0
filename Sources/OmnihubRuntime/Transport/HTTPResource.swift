import CCurl
import Foundation

/// An HTTP(S) address: a feed fetched with GET (conditional when the server gave validators), or
/// a destination documents are sent to with PUT or POST.
final class HTTPResource {
    let endpoint: Endpoint
    private let curl: CurlHandle

    init(endpoint: Endpoint) throws(TransportError) {
        self.endpoint = endpoint
        curl = try CurlHandle(endpoint)
    }

    /// What a GET returned: nothing new (304), or the body with the validators for next time.
    enum Fetched {
        case unchanged
        case changed(body: [UInt8], etag: String?, lastModified: String?)
    }

    /// GETs the feed, sending `If-None-Match` and `If-Modified-Since` when given.
    func get(etag: String?, lastModified: String?, limit: Int) throws(TransportError) -> Fetched {
        var conditions: [String] = []
        if let etag { conditions.append("If-None-Match: \(etag)") }
        if let lastModified { conditions.append("If-Modified-Since: \(lastModified)") }
        let response = try curl.perform(
            endpoint.url, operation: "GET \(endpoint.url)", limit: limit, headers: conditions)
        switch response.status {
        case 304: return .unchanged
        case 200..<300:
            return .changed(
                body: response.body, etag: header("ETag", in: response),
                lastModified: header("Last-Modified", in: response))
        default:
            throw statusFailure(response.status, operation: "GET \(endpoint.url)")
        }
    }

    /// Sends a document: `PUT <url><name>` or `POST <url>` with the name in `Content-Disposition`,
    /// and the document number as `Idempotency-Key`, so a server that saw it before can tell.
    func send(_ bytes: [UInt8], name: String, key: String) throws(TransportError) {
        let isPut = endpoint.method == "PUT"
        let url = isPut ? endpoint.address(of: name) : endpoint.url
        // "Expect:" turns off libcurl's `Expect: 100-continue`, which would wait a second for
        // every document a server that does not answer 100 receives.
        let headers = [
            "Expect:", "Idempotency-Key: \(key)", "Content-Type: application/octet-stream",
            "Content-Disposition: attachment; filename=\"\(name.replacingOccurrences(of: "\"", with: ""))\"",
        ]
        let response = try curl.perform(
            url, operation: "\(endpoint.method) \(name)", limit: 1 << 20, upload: bytes, headers: headers
        ) { curl throws(TransportError) in
            if !isPut { try curl.set(CURLOPT_CUSTOMREQUEST, "POST", "send") }
        }
        guard (200..<300).contains(response.status) else {
            throw statusFailure(response.status, operation: "\(endpoint.method) \(name)")
        }
    }

    private func header(_ name: String, in response: CurlHandle.Response) -> String? {
        let prefix = name.lowercased() + ":"
        return response.headers.last { $0.lowercased().hasPrefix(prefix) }.map {
            String($0.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
    }

    private func statusFailure(_ status: Int, operation: String) -> TransportError {
        let code: TransportError.Code =
            switch status {
            case 401, 403: .loginRefused
            case 404, 410: .notFound
            case 409, 412: .alreadyThere
            case 408, 429, 500..<600: .serverFailure
            default: .refused
            }
        return TransportError(
            code, endpoint: endpoint.url, operation: operation, detail: "the server answered \(status)")
    }
}
