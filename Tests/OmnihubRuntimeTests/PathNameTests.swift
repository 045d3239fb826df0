import Foundation
import Testing

@testable import OmnihubRuntime

@Suite("Paths the outbox makes are taken apart and put together as NSString would")
struct PathNameTests {
    @Test("folder, name and joined agree with NSString for the outbox's paths")
    func agreesWithNSString() {
        for path in ["outbox/erp/RE-1.xml", "/var/omnihub/outbox/erp/RE-1.xml", "RE-1.xml", "/RE-1.xml", "a/b/.x.tmp"] {
            #expect(PathName.folder(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
            #expect(PathName.name(of: path) == (path as NSString).lastPathComponent, "\(path)")
        }
        for (folder, name) in [("outbox", "erp"), ("/var/outbox/", "erp"), ("", "RE-1.xml"), ("/", "x")] {
            #expect(PathName.joined(folder, name) == (folder as NSString).appendingPathComponent(name))
        }
    }
}
