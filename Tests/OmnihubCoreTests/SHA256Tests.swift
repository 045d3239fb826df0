import OmnihubCore
import Testing

@Suite("SHA-256 fingerprints for the file ledger")
struct SHA256Tests {
    @Test(
        "FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func vectors(message: String, digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test("feeding in uneven chunks gives the same digest as one call")
    func chunked() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var digest = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 127, 1000, 3] + Array(repeating: 997, count: 20) where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            digest.update(Array(bytes[offset..<end]))
            offset = end
        }
        digest.update(Array(bytes[offset...]))
        #expect(digest.finalizeHex() == SHA256.hex(of: bytes))
    }

    @Test("a million times 'a'")
    func million() {
        #expect(
            SHA256.hex(of: [UInt8](repeating: 97, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
