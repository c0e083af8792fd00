import ArgumentParser
import Foundation
import NodeAPI
import NodeClient

/// How `shoal add`, `list`, `show`, `pause`, `resume` and `remove` reach the running node: `--api-port`, else
/// the port the node wrote into its data directory, else the default.
struct NodeConnection: ParsableArguments {
    @OptionGroup var location: DataDirectoryOption

    @Option(name: .customLong("api-port"), help: "The node's control API port (default: the one it announced).")
    var apiPort: Int?

    @Flag(help: "Print the node's answer as JSON.")
    var json = false

    func port() throws(CLIError) -> Int {
        if let apiPort { return apiPort }
        return APIPortFile(directory: try location.resolve()).read() ?? ControlAPI.defaultPort
    }

    /// Runs `body` against the node; every failure becomes one line (no node running, unknown torrent, ...).
    func withNode<Result: Sendable>(_ body: (NodeClient) async throws -> Result) async throws(CLIError) -> Result {
        let port = try port()
        do {
            return try await NodeClient.withClient(port: port, body)
        } catch let error as NodeClientError {
            throw .input(error.description)
        } catch let error as NodeControlError {
            throw .input(error.description)
        } catch {
            throw .input("\(error)")
        }
    }

    /// Prints a value as JSON, in the API's own encoding.
    func printJSON(_ value: some Encodable) throws(CLIError) {
        do {
            let data = try NodeAPIJSON.makeEncoder().encode(value)
            print(String(decoding: data, as: UTF8.self))
        } catch {
            throw .input("cannot encode the answer: \(error)")
        }
    }
}
