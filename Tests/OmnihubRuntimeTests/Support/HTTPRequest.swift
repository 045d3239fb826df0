import CCurl
import Foundation

@testable import OmnihubRuntime

/// One HTTP request through libcurl, for tests that talk to omnihub's server or a test server.
func httpRequest(
    _ method: String, _ url: String, token: String? = nil, body: [UInt8]? = nil, headers: [String] = []
) throws -> (status: Int, body: [UInt8], headers: [String]) {
    let curl = try CurlHandle(Endpoint(url: url, scheme: url.hasPrefix("https") ? .https : .http))
    let response = try curl.perform(
        url, operation: "\(method) \(url)", upload: body,
        headers: headers + ["Expect:"] + (token.map { ["Authorization: Bearer \($0)"] } ?? [])
    ) { curl throws(TransportError) in
        try curl.set(CURLOPT_CUSTOMREQUEST, method, "request")
    }
    return (response.status, response.body, response.headers)
}
