import ArgumentParser
import Foundation
import StateStore

/// `shoal tracker keys add|list|revoke`: the passkeys of a private tracker, in its database. A running
/// tracker picks changes up within seconds.
struct TrackerKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the passkeys of a private tracker (--private).",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a passkey and print it.")

        @Option(help: "Who or what the key is for.")
        var label: String = ""

        @Option(help: "Use this passkey (16-64 of A-Z a-z 0-9 _ -) instead of a random one.")
        var passkey: String?

        @OptionGroup var database: TrackerDatabaseOption

        func run() throws {
            let store = try TrackerKeysCommand.open(database)
            defer { try? store.close() }
            do {
                let key = try store.addTrackerKey(label: label, passkey: passkey)
                print(key.passkey)
            } catch {
                throw CLIError.input(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the passkeys, revoked ones marked.")

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup var database: TrackerDatabaseOption

        func run() throws {
            let store = try TrackerKeysCommand.open(database)
            defer { try? store.close() }
            let keys: [TrackerKey]
            do { keys = try store.trackerKeys() } catch { throw CLIError.input(error.description) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: (try? encoder.encode(keys)) ?? Data("[]".utf8), as: UTF8.self))
                return
            }
            if keys.isEmpty {
                print("no passkeys")
                return
            }
            let formatter = ISO8601DateFormatter()
            for key in keys {
                let state = key.revokedAt.map { "revoked " + formatter.string(from: $0) } ?? "active"
                print("\(key.passkey)  \(state)  created \(formatter.string(from: key.createdAt))  \(key.label)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop accepting a passkey.")

        @Argument(help: "The passkey.")
        var passkey: String

        @OptionGroup var database: TrackerDatabaseOption

        func run() throws {
            let store = try TrackerKeysCommand.open(database)
            defer { try? store.close() }
            let revoked: Bool
            do { revoked = try store.revokeTrackerKey(passkey) } catch { throw CLIError.input(error.description) }
            guard revoked else { throw CLIError.input("no active passkey \(passkey)") }
            print("revoked \(passkey)")
        }
    }

    static func open(_ option: TrackerDatabaseOption) throws(CLIError) -> StateStore {
        let path = try option.resolve()
        do { return try StateStore(path: path) } catch {
            throw .input("tracker database \(path): \(error.description)")
        }
    }
}
