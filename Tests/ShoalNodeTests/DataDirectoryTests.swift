import Testing

@testable import ShoalNode

@Suite struct DataDirectoryTests {
    @Test func theFlagWinsOverEverything() throws {
        let directory = try DataDirectory.resolve(
            flag: "/srv/shoal/", environment: ["SHOAL_DATA_DIR": "/env", "XDG_DATA_HOME": "/xdg", "HOME": "/home/a"])
        #expect(directory.path == "/srv/shoal")
        #expect(directory.databasePath == "/srv/shoal/shoal.sqlite")
        #expect(directory.downloadsPath == "/srv/shoal/downloads")
    }

    @Test func thenShoalDataDir() throws {
        let directory = try DataDirectory.resolve(
            flag: nil, environment: ["SHOAL_DATA_DIR": "/env", "XDG_DATA_HOME": "/xdg", "HOME": "/home/a"])
        #expect(directory.path == "/env")
    }

    @Test func thenXDGDataHome() throws {
        let directory = try DataDirectory.resolve(flag: nil, environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/home/a"])
        #expect(directory.path == "/xdg/shoal")
    }

    @Test func aRelativeXDGDataHomeIsIgnored() throws {
        let directory = try DataDirectory.resolve(flag: nil, environment: ["XDG_DATA_HOME": "xdg", "HOME": "/home/a"])
        #expect(directory.path == "/home/a/.local/share/shoal")
    }

    @Test func withoutHomeItSaysWhatToDo() {
        #expect(throws: NodeError.noDataDirectory) { try DataDirectory.resolve(flag: nil, environment: [:]) }
        #expect(NodeError.noDataDirectory.description.contains("--data-dir"))
    }
}
