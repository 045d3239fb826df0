import Foundation
import Testing

@testable import OmnihubRuntime

@Suite("Outbox files are written whole, flushed and never in place of another file")
struct NewOutboxFilesTests {
    /// A fresh folder for one test, removed after it.
    private static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-new-files-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test(
        "every file of a batch longer than the open-at-once limit lands whole, nothing else is left",
        arguments: [true, false])
    func writesEveryFile(unnamed: Bool) throws {
        try Self.withFolder { folder in
            let count = FileMover.filesOpenAtOnce * 2 + 7
            let files = (0..<count).map { index in
                (content: Self.bytes("<Invoice>RE-\(index)</Invoice>\n"), path: "\(folder)/erp/RE-\(index).xml")
            }
            let outcome = FileMover.writeAllNew(files, unnamed: unnamed)
            #expect(outcome.created == count)
            #expect(outcome.occupied.isEmpty)
            #expect(outcome.failed.isEmpty)
            let names = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/erp")
            #expect(Set(names) == Set((0..<count).map { "RE-\($0).xml" }), "no temporary file stays behind")
            for file in files {
                #expect(FileManager.default.contents(atPath: file.path).map(Array.init) == file.content)
            }
        }
    }

    @Test(
        "a path taken by the same bytes counts as written, by other bytes it is left alone", arguments: [true, false])
    func neverReplaces(unnamed: Bool) throws {
        try Self.withFolder { folder in
            let same = "\(folder)/RE-1.xml"
            let other = "\(folder)/RE-2.xml"
            let fresh = "\(folder)/RE-3.xml"
            try Data(Self.bytes("one")).write(to: URL(fileURLWithPath: same))
            try Data(Self.bytes("somebody else's")).write(to: URL(fileURLWithPath: other))
            let outcome = FileMover.writeAllNew(
                [(Self.bytes("one"), same), (Self.bytes("two"), other), (Self.bytes("three"), fresh)], unnamed: unnamed)
            #expect(outcome.created == 1)
            #expect(outcome.occupied == [other])
            #expect(outcome.failed.isEmpty)
            #expect(FileManager.default.contents(atPath: other) == Data(Self.bytes("somebody else's")))
            #expect(FileManager.default.contents(atPath: fresh) == Data(Self.bytes("three")))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 3)
        }
    }

    @Test(
        "a temporary file a killed process left is removed; this process's own, other hidden files and documents stay")
    func staleTemporaries() throws {
        try Self.withFolder { folder in
            // No process has a number above the kernel's limit (at most 2^22), so 99999999 is gone.
            let names = [
                "RE-1.xml", ".RE-2.xml.99999999.tmp", ".RE-3.xml.\(getpid()).tmp", ".keep", "RE-4.xml.99999999.tmp",
            ]
            for name in names {
                #expect(FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data("x".utf8)))
            }
            #expect(
                Set(FileMover.hiddenNames(in: folder)) == [
                    ".RE-2.xml.99999999.tmp", ".RE-3.xml.\(getpid()).tmp", ".keep",
                ])
            #expect(FileMover.removeStaleTemporaries(in: [folder, "\(folder)/missing"]) == 1)
            let left = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(Set(left) == Set(names).subtracting([".RE-2.xml.99999999.tmp"]))
        }
    }

    @Test("a folder that cannot be made fails its files alone")
    func folderThatCannotBeMade() throws {
        try Self.withFolder { folder in
            // A file where the destination's folder would go.
            try Data().write(to: URL(fileURLWithPath: "\(folder)/erp"))
            let outcome = FileMover.writeAllNew([
                (Self.bytes("lost"), "\(folder)/erp/RE-1.xml"), (Self.bytes("kept"), "\(folder)/mailer/N-1.json"),
            ])
            #expect(outcome.created == 1)
            #expect(outcome.failed.keys.sorted() == ["\(folder)/erp/RE-1.xml"])
            #expect(outcome.failed["\(folder)/erp/RE-1.xml"]?.description.contains("\(folder)/erp") == true)
            #expect(FileManager.default.contents(atPath: "\(folder)/mailer/N-1.json") == Data(Self.bytes("kept")))
        }
    }
}
