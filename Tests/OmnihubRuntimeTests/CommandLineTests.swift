import Foundation
import Testing

@Suite("The omnihub command line, end to end")
struct CommandLineTests {
    @Test(
        "every command answers --help",
        arguments: [
            [], ["run"], ["import"], ["map"], ["orders", "list"], ["orders", "show"], ["files", "list"],
            ["trace", "order"], ["files", "reprocess"], ["stock", "show"], ["source"], ["explain", "order"],
            ["outbox", "list"], ["order", "cancel"], ["order", "return"], ["order", "note"], ["order", "history"],
            ["about"],
        ])
    func help(command: [String]) throws {
        let result = try OmnihubProcess.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE"))
    }

    @Test("source writes a plan for a problem file and reports its cost")
    func source() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "omnihub-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let problem = repositoryRoot.appendingPathComponent("Tests/Fixtures/small.problem.json")
        let plan = folder.appendingPathComponent("batch.plan.json")
        let result = try OmnihubProcess.run([
            "source", "--problem", problem.path, "--strategy", "priority", "-o", plan.path, "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect((report?["summary"] as? [String: Any])?["cost"] as? String == "40.10")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any]
        #expect(written?["format"] as? String == "omnihub.sourcing-plan/1")
        #expect((written?["allocations"] as? [Any])?.count == 4)
        let missing = try OmnihubProcess.run(["source", "--problem", folder.appendingPathComponent("nope.json").path])
        #expect(missing.status == 4)
    }

    @Test("the same problem gives the same plan, byte for byte, in separate processes")
    func deterministicPlans() throws {
        let problem = repositoryRoot.appendingPathComponent("Tests/Fixtures/small.problem.json")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("omnihub-plans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var plans: [Data] = []
        for run in 1...3 {
            let plan = folder.appendingPathComponent("plan-\(run).json")
            _ = try OmnihubProcess.run(["source", "--problem", problem.path, "-o", plan.path])
            plans.append(try Data(contentsOf: plan))
        }
        #expect(Set(plans).count == 1)
        #expect(!plans[0].isEmpty)
    }

    @Test("about names the linked C libraries")
    func about() throws {
        let result = try OmnihubProcess.run(["about", "--json"])
        #expect(result.status == 0)
        let about = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let names = (about?["libraries"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["SQLite", "libxml2", "libcurl"])
    }

    @Test("map prints orders on stdout, issues on stderr, and exits 1 when a record failed")
    func mapDryRun() throws {
        let world = try TestWorld()
        let file = try world.drop(
            "mixed.tsv",
            AmazonReport.file(
                AmazonReport.row(order: "GOOD", item: "1"), AmazonReport.row(order: "BAD", item: "2", quantity: "x")))
        let result = try OmnihubProcess.run([
            "map", "--mapping", world.root.appendingPathComponent("mappings/amazon-de-orders.yaml").path, file.path,
        ])
        #expect(result.status == 1)
        let orders = result.standardOutput.split(separator: "\n")
        #expect(orders.count == 1)
        #expect(orders.first?.contains("\"external_id\":\"GOOD\"") == true)
        #expect(result.standardError.contains("line 3"))
        #expect(result.standardError.contains("lines[1].quantity"))
        #expect(result.standardError.contains("'x'"))
        #expect(try world.inboxFiles() == ["mixed.tsv"], "a dry run moves nothing")
    }

    @Test("a broken configuration exits 78 naming the file and key")
    func brokenConfiguration() throws {
        let world = try TestWorld()
        try "partners: 12\nextra: 1\n".write(to: world.configFile, atomically: true, encoding: .utf8)
        let result = try OmnihubProcess.run(["run", "--once", "--config", world.configFile.path])
        #expect(result.status == 78)
        #expect(result.standardError.contains("omnihub.yaml"))
        #expect(result.standardError.contains("extra"))
    }

    @Test("run --json counts the orders reserved and the documents written")
    func runCounts() throws {
        let world = try TestWorld.shippedSampleWorld()
        let result = try OmnihubProcess.run(["run", "--once", "--json", "--config", world.configFile.path])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let outbox = world.root.appendingPathComponent("outbox").path
        let files = FileManager.default.enumerator(atPath: outbox)?.compactMap { $0 as? String }.filter {
            !$0.hasPrefix(".") && !$0.contains("/.")
                && !((try? FileManager.default.attributesOfItem(atPath: outbox + "/" + $0)[.type] as? FileAttributeType)
                    == .typeDirectory)
        }
        #expect((report?["documents_written"] as? Int).map { $0 > 0 && $0 == files?.count } == true, "\(files ?? [])")
        #expect((report?["orders_reserved"] as? Int).map { $0 > 0 } == true)
        #expect((report?["units_reserved"] as? Int ?? 0) >= (report?["orders_reserved"] as? Int ?? 1))
    }

    @Test("import, list, show and trace work together, with --json for programs")
    func importAndInspect() throws {
        let world = try TestWorld()
        let file = world.root.appendingPathComponent("manual.tsv")
        try AmazonReport.file(AmazonReport.row(order: "302-9", item: "1")).write(
            to: file, atomically: true, encoding: .utf8)
        let config = ["--config", world.configFile.path]
        let imported = try OmnihubProcess.run(["import", "--partner", "amazon-de", file.path] + config)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(FileManager.default.fileExists(atPath: file.path), "a manual import copies, the operator's file stays")

        let again = try OmnihubProcess.run(["import", "--partner", "amazon-de", file.path] + config)
        #expect(again.status == 1, "the same bytes again are a duplicate")

        let list = try OmnihubProcess.run(["orders", "list", "--json"] + config)
        let orders = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        #expect(orders?.map { $0["external_id"] as? String } == ["302-9"])

        let show = try OmnihubProcess.run(["orders", "show", "302-9"] + config)
        #expect(show.status == 0)
        #expect(show.standardOutput.contains("\"unit_price\" : \"19.99\""))

        let trace = try OmnihubProcess.run(["trace", "order", "302-9", "--json"] + config)
        let traces = try JSONSerialization.jsonObject(with: Data(trace.standardOutput.utf8)) as? [[String: Any]]
        let files = traces?.first?["files"] as? [[String: Any]]
        #expect(files?.first?["file"] as? String == "manual.tsv")
        #expect(files?.first?["record"] as? Int == 1)
        #expect(files?.first?["line"] as? Int == 2)

        let files2 = try OmnihubProcess.run(["files", "list", "--json"] + config)
        let ledger = try JSONSerialization.jsonObject(with: Data(files2.standardOutput.utf8)) as? [[String: Any]]
        #expect(ledger?.compactMap { $0["status"] as? String } == ["duplicate", "imported"])

        let missing = try OmnihubProcess.run(["orders", "show", "nope"] + config)
        #expect(missing.status == 4)
    }

    @Test(
        "run on the shipped sample world writes fulfilment orders; outbox list and trace show them; a rerun adds none")
    func sampleWorldOutbox() throws {
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path]
        let run = try OmnihubProcess.run(["run", "--once"] + config)
        #expect(run.status == 0, "\(run.standardError)")
        let list = try OmnihubProcess.run(["outbox", "list", "--json"] + config)
        let documents = try #require(
            try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]])
        #expect(!documents.isEmpty)
        #expect(documents.allSatisfy { $0["status"] as? String == "written" })
        for document in documents {
            let path = try #require(document["path"] as? String)
            #expect(path.hasPrefix(world.root.appendingPathComponent("outbox").path))
            #expect(FileManager.default.fileExists(atPath: path))
        }
        let fulfilment = try OmnihubProcess.run(["outbox", "list", "--kind", "fulfilment_order", "--json"] + config)
        let orders = try #require(
            try JSONSerialization.jsonObject(with: Data(fulfilment.standardOutput.utf8)) as? [[String: Any]])
        #expect(orders.count == 4 && orders.allSatisfy { $0["kind"] as? String == "fulfilment_order" })
        let forDC = try OmnihubProcess.run(["outbox", "list", "--for", "DC-CENTRAL", "--json"] + config)
        #expect((try JSONSerialization.jsonObject(with: Data(forDC.standardOutput.utf8)) as? [Any])?.count == 1)
        #expect(
            try OmnihubProcess.run(["outbox", "list", "--pending"] + config).standardOutput == "No document matches.\n")
        let rerun = try OmnihubProcess.run(["run", "--once"] + config)
        #expect(rerun.status == 0)
        let again = try OmnihubProcess.run(["outbox", "list", "--json"] + config)
        let after = try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8)) as? [[String: Any]]
        #expect(after?.count == documents.count, "a rerun hands nothing over twice")

        let listed = try OmnihubProcess.run(["orders", "list", "--json", "--limit", "500"] + config)
        let ids = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]])
        var traced = 0
        for order in ids where order["status"] as? String == "sourced" {
            let externalID = try #require(order["external_id"] as? String)
            let trace = try OmnihubProcess.run(["trace", "order", externalID, "--json"] + config)
            let traces = try JSONSerialization.jsonObject(with: Data(trace.standardOutput.utf8)) as? [[String: Any]]
            traced += (traces?.first?["outbound"] as? [Any])?.count ?? 0
        }
        #expect(traced > 0, "a sourced order's trace names the fulfilment order that carries it")
    }

    @Test("finance show and credit-note: what an order was invoiced, and a credit note only for invoiced units")
    func financeCommands() throws {
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path, "--log-level", "warning"]
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)
        try world.dropLaterFiles()
        #expect(try OmnihubProcess.run(["run", "--once"] + config).status == 0)

        let show = try OmnihubProcess.run(["finance", "show", "#1044", "--json"] + config)
        #expect(show.status == 0, "\(show.standardError)")
        let before = try #require(
            try JSONSerialization.jsonObject(with: Data(show.standardOutput.utf8)) as? [String: Any])
        #expect(before["paid"] as? String == "93.95")
        #expect(before["invoiced"] as? String == "93.95")
        #expect(before["credited"] as? String == "0.00")

        let credit = try OmnihubProcess.run(
            ["finance", "credit-note", "#1044", "--line", "1=1", "--reason", "returned"] + config)
        #expect(credit.status == 0, "\(credit.standardError)")
        #expect(
            credit.standardOutput.contains("credit note GS-2026-000001 for 93.95 EUR, correcting RE-2026-"),
            "the only unit came back: the jacket and the shipping charge are refunded")
        #expect(
            FileManager.default.fileExists(
                atPath: world.root.appendingPathComponent("outbox/erp/GS-2026-000001.xml").path))

        let json = try OmnihubProcess.run(
            ["finance", "credit-note", "#1043", "--line", "1=1", "--reason", "damaged", "--json"] + config)
        #expect(json.status == 0, "\(json.standardError)")
        let issued = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(issued["credit_note"] as? String == "GS-2026-000002")
        #expect(issued["amount"] as? String == "89.00", "a click & collect order has no shipping charge")
        #expect((issued["files"] as? [String])?.count == 3, "the credit note, its bookings, the refund message")
        #expect((issued["order"] as? [String: Any])?["credited"] as? String == "89.00")

        let again = try OmnihubProcess.run(
            ["finance", "credit-note", "#1044", "--line", "1=1", "--reason", "returned"] + config)
        #expect(again.status == 1)
        #expect(again.standardError.contains("has 0 invoiced units not credited yet"))
        let wrong = try OmnihubProcess.run(
            ["finance", "credit-note", "#1044", "--line", "1", "--reason", "x"] + config)
        #expect(wrong.status == 64)
        #expect(wrong.standardError.contains("'1' is not POSITION=UNITS"))
    }

    @Test("a run in a terminal shows its progress on one line; piped or with --json it shows none")
    func progressInTerminal() throws {
        let world = try TestWorld.shippedSampleWorld()
        let config = ["--config", world.configFile.path, "--log-level", "error"]
        // `script` gives the run a terminal of its own and copies what it wrote.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = ([OmnihubProcess.executable.path, "run", "--once"] + config).map { "'\($0)'" }
            .joined(separator: " ")
        process.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("\r\u{1B}[Kimporting 2026-11-20-orders.tsv"), "\(text.prefix(600))")
        #expect(text.contains("sourcing and reserving the open orders"))
        #expect(text.contains("writing customer notifications"))
        #expect(text.contains("document(s) imported"), "the summary follows the cleared line")

        try world.dropLaterFiles()
        let piped = try OmnihubProcess.run(["run", "--once"] + config)
        #expect(!piped.standardError.contains("\u{1B}[K") && !piped.standardError.contains("importing"))
    }
}
