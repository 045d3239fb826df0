import CCurl
import Foundation

/// One libcurl easy handle, kept for one poll or delivery so its connection is reused; not shared
/// between threads. Every option set is checked.
final class CurlHandle {
    private let handle: UnsafeMutableRawPointer
    private let errorText: UnsafeMutablePointer<CChar>
    let endpoint: Endpoint

    /// libcurl's process-wide set-up, done once before the first handle.
    private static let started: Bool = curl_global_init(3) == CURLE_OK

    init(_ endpoint: Endpoint) throws(TransportError) {
        guard CurlHandle.started, let handle = curl_easy_init() else {
            throw TransportError(
                .localFile, endpoint: endpoint.url, operation: "start libcurl", detail: "out of memory")
        }
        self.handle = handle
        self.endpoint = endpoint
        errorText = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorText.deallocate()
    }

    /// What one transfer returned.
    struct Response {
        var body: [UInt8] = []
        var headers: [String] = []
        /// The HTTP status, or the last FTP reply code.
        var status: Int = 0
        var fileTime: Int64 = -1
        var contentLength: Int64 = -1
        var bytesSent: Int64 = 0
    }

    /// Runs one transfer on `url`: `configure` sets what is special about it, after the options
    /// every transfer shares (timeouts, credentials, the host key, no signals).
    func perform(
        _ url: String, operation: String, limit: Int = Int.max, upload: [UInt8]? = nil, into sink: Int32 = -1,
        quote: [String] = [], postQuote: [String] = [], headers: [String] = [],
        configure: (CurlHandle) throws(TransportError) -> Void = { _ in }
    ) throws(TransportError) -> Response {
        curl_easy_reset(handle)
        let exchange = CurlExchange(limit: limit, upload: upload ?? [])
        exchange.sink = sink
        let context = Unmanaged.passRetained(exchange)
        defer { context.release() }
        var lists: [UnsafeMutablePointer<curl_slist>] = []
        defer { lists.forEach { curl_slist_free_all($0) } }
        let address = endpoint.scheme == .ftps && url.hasPrefix("ftps://") ? "ftp://" + url.dropFirst(7) : url
        try set(CURLOPT_URL, String(address), operation)
        try setCommon(operation)
        try set(CURLOPT_WRITEDATA, context.toOpaque(), operation)
        try check(omnihub_curl_setopt_write_function(handle, curlReceive), "set the write callback", operation)
        try set(CURLOPT_HEADERDATA, context.toOpaque(), operation)
        try check(omnihub_curl_setopt_header_function(handle, curlHeader), "set the header callback", operation)
        if let upload {
            try set(CURLOPT_UPLOAD, 1, operation)
            try set(CURLOPT_READDATA, context.toOpaque(), operation)
            try check(omnihub_curl_setopt_read_function(handle, curlSend), "set the read callback", operation)
            try check(
                omnihub_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.count)),
                "set the upload size", operation)
        }
        for (option, commands) in [(CURLOPT_QUOTE, quote), (CURLOPT_POSTQUOTE, postQuote)] where !commands.isEmpty {
            var list: UnsafeMutablePointer<curl_slist>?
            for command in commands {
                guard let appended = curl_slist_append(list, command) else {
                    throw TransportError(
                        .localFile, endpoint: endpoint.url, operation: operation, detail: "out of memory")
                }
                list = appended
            }
            if let list {
                lists.append(list)
                try check(omnihub_curl_setopt_list(handle, option, list), "set the commands", operation)
            }
        }
        if !endpoint.headers.isEmpty || !headers.isEmpty {
            var list: UnsafeMutablePointer<curl_slist>?
            for header in endpoint.headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
            for header in headers { list = curl_slist_append(list, header) }
            if let list {
                lists.append(list)
                try check(omnihub_curl_setopt_list(handle, CURLOPT_HTTPHEADER, list), "set the headers", operation)
            }
        }
        try configure(self)
        errorText[0] = 0
        let code = curl_easy_perform(handle)
        var response = exchange.response
        var status = 0
        _ = omnihub_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        response.status = status
        var time: curl_off_t = -1
        _ = omnihub_curl_getinfo_offset(handle, CURLINFO_FILETIME_T, &time)
        response.fileTime = Int64(time)
        var length: curl_off_t = -1
        _ = omnihub_curl_getinfo_offset(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        response.contentLength = Int64(length)
        response.bytesSent = Int64(exchange.uploaded)
        if exchange.overLimit {
            throw TransportError(
                .overBudget, endpoint: endpoint.url, operation: operation,
                detail: "more than \(limit) bytes came back")
        }
        if exchange.sinkFailed != 0 {
            throw TransportError(
                .localFile, endpoint: endpoint.url, operation: operation,
                detail: "writing the download failed: \(String(cString: strerror(exchange.sinkFailed)))")
        }
        guard code == CURLE_OK else { throw failure(code, operation: operation, status: status) }
        return response
    }

    /// Sets an option to a number.
    func set(_ option: CURLoption, _ value: Int, _ operation: String) throws(TransportError) {
        try check(omnihub_curl_setopt_long(handle, option, value), "set option \(option.rawValue)", operation)
    }

    /// Sets an option to a text; libcurl copies it.
    func set(_ option: CURLoption, _ value: String, _ operation: String) throws(TransportError) {
        try check(omnihub_curl_setopt_string(handle, option, value), "set option \(option.rawValue)", operation)
    }

    private func set(_ option: CURLoption, _ pointer: UnsafeMutableRawPointer, _ operation: String)
        throws(TransportError)
    {
        try check(omnihub_curl_setopt_pointer(handle, option, pointer), "set option \(option.rawValue)", operation)
    }

    /// The options every transfer shares.
    private func setCommon(_ operation: String) throws(TransportError) {
        try set(CURLOPT_NOSIGNAL, 1, operation)
        try set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorText), operation)
        try set(CURLOPT_CONNECTTIMEOUT, endpoint.connectSeconds, operation)
        // A server that sends less than one byte a second for stallSeconds has gone away.
        try set(CURLOPT_LOW_SPEED_LIMIT, 1, operation)
        try set(CURLOPT_LOW_SPEED_TIME, endpoint.stallSeconds, operation)
        try set(CURLOPT_FILETIME, 1, operation)
        try set(CURLOPT_PROTOCOLS_STR, endpoint.scheme == .ftps ? "ftp" : endpoint.scheme.rawValue, operation)
        try set(CURLOPT_FOLLOWLOCATION, 0, operation)
        if let user = endpoint.user { try set(CURLOPT_USERNAME, user, operation) }
        if let caFile = endpoint.caFile { try set(CURLOPT_CAINFO, caFile, operation) }
        if let password = endpoint.password { try set(CURLOPT_PASSWORD, password.value, operation) }
        switch endpoint.scheme {
        case .sftp:
            var methods = 0
            if endpoint.privateKey != nil { methods |= 1 }  // CURLSSH_AUTH_PUBLICKEY
            if endpoint.password != nil { methods |= 2 }  // CURLSSH_AUTH_PASSWORD
            try set(CURLOPT_SSH_AUTH_TYPES, methods, operation)
            if let key = endpoint.privateKey {
                try set(CURLOPT_SSH_PRIVATE_KEYFILE, key, operation)
                if FileManager.default.fileExists(atPath: key + ".pub") {
                    try set(CURLOPT_SSH_PUBLIC_KEYFILE, key + ".pub", operation)
                }
            }
            if let passphrase = endpoint.keyPassphrase { try set(CURLOPT_KEYPASSWD, passphrase.value, operation) }
            switch endpoint.hostKey {
            case .sha256(let fingerprint):
                try set(CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, HostKeyFingerprint.curlForm(fingerprint), operation)
            case .knownHosts(let file):
                try set(CURLOPT_SSH_KNOWNHOSTS, file, operation)
            case nil:
                throw TransportError(
                    .hostKeyMismatch, endpoint: endpoint.url, operation: operation,
                    detail: "no host key is pinned for this SFTP server")
            }
        case .ftp, .ftps:
            try set(CURLOPT_FTP_USE_EPSV, 1, operation)
            try set(CURLOPT_TRANSFERTEXT, 0, operation)
            if endpoint.scheme == .ftps {
                try set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue), operation)
            }
        case .http, .https:
            if let token = endpoint.bearerToken {
                try set(CURLOPT_HTTPAUTH, 1 << 6 /* CURLAUTH_BEARER */, operation)
                try set(CURLOPT_XOAUTH2_BEARER, token.value, operation)
            } else if endpoint.password != nil {
                try set(CURLOPT_HTTPAUTH, 1 /* CURLAUTH_BASIC */, operation)
            }
        case .file:
            break
        }
    }

    private func check(_ code: CURLcode, _ what: String, _ operation: String) throws(TransportError) {
        guard code == CURLE_OK else {
            throw TransportError(
                .localFile, endpoint: endpoint.url, operation: operation,
                detail: "libcurl could not \(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// A failed transfer as a ``TransportError``, classified as transient or permanent.
    private func failure(_ code: CURLcode, operation: String, status: Int) -> TransportError {
        let said = String(cString: errorText)
        let detail = said.isEmpty ? String(cString: curl_easy_strerror(code)) : said
        let kind: TransportError.Code
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR, CURLE_RECV_ERROR,
            CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_FTP_ACCEPT_FAILED,
            CURLE_FTP_CANT_GET_HOST, CURLE_WEIRD_SERVER_REPLY, CURLE_SSH, CURLE_AGAIN:
            kind = .unreachable
        case CURLE_OPERATION_TIMEDOUT, CURLE_FTP_ACCEPT_TIMEOUT:
            kind = .timedOut
        case CURLE_LOGIN_DENIED:
            kind = .loginRefused
        case CURLE_PEER_FAILED_VERIFICATION:
            kind = .hostKeyMismatch
        case CURLE_REMOTE_FILE_NOT_FOUND:
            kind = .notFound
        case CURLE_REMOTE_ACCESS_DENIED, CURLE_UPLOAD_FAILED, CURLE_QUOTE_ERROR, CURLE_REMOTE_DISK_FULL:
            kind = .refused
        case CURLE_HTTP_RETURNED_ERROR:
            kind = status >= 500 || status == 408 || status == 429 ? .serverFailure : .refused
        case CURLE_WRITE_ERROR, CURLE_READ_ERROR, CURLE_OUT_OF_MEMORY:
            kind = .localFile
        default:
            // A failure libcurl names but omnihub does not know: tried again with backoff (and
            // flagged if it lasts) rather than stopping the endpoint for good.
            kind = .unreachable
        }
        return TransportError(kind, endpoint: endpoint.url, operation: operation, detail: detail)
    }
}

/// What a transfer sends and where it puts what comes back; libcurl's callbacks reach it through
/// their context pointer.
private final class CurlExchange {
    var response = CurlHandle.Response()
    /// Bytes beyond this many are refused and the transfer ends.
    let limit: Int
    var received = 0
    var overLimit = false
    /// Written to this file descriptor instead of `body`, when set.
    var sink: Int32 = -1
    var sinkFailed: Int32 = 0
    var upload: [UInt8]
    var uploaded = 0

    init(limit: Int, upload: [UInt8]) {
        self.limit = limit
        self.upload = upload
    }
}

/// libcurl hands over received bytes: kept in memory, or written to the sink, up to the limit.
private func curlReceive(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard exchange.received + length <= exchange.limit else {
        exchange.overLimit = true
        return 0
    }
    exchange.received += length
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    if exchange.sink >= 0 {
        var offset = 0
        while offset < length {
            let written = write(exchange.sink, bytes.baseAddress! + offset, length - offset)
            if written < 0 {
                if errno == EINTR { continue }
                exchange.sinkFailed = errno
                return 0
            }
            offset += written
        }
    } else {
        exchange.response.body.append(contentsOf: bytes)
    }
    return length
}

/// libcurl hands over one header line.
private func curlHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if !line.isEmpty { exchange.response.headers.append(line) }
    return size * count
}

/// libcurl asks for the next bytes of an upload.
private func curlSend(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, exchange.upload.count - exchange.uploaded)
    guard length > 0 else { return 0 }
    exchange.upload.withUnsafeBytes { source in
        UnsafeMutableRawPointer(data).copyMemory(from: source.baseAddress! + exchange.uploaded, byteCount: length)
    }
    exchange.uploaded += length
    return length
}
