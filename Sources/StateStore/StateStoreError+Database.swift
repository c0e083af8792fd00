import GRDB

extension StateStoreError {
    /// Sorts an error thrown by GRDB (or by our own code inside a GRDB closure) into the case a person
    /// can act on. `opening` is true while the file is being opened and migrated, where a failure to
    /// read or write the file means "cannot open" rather than a failed operation.
    init(_ error: any Error, path: String, operation: String, opening: Bool = false) {
        if let error = error as? StateStoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self = .invalidRecord("\(operation): \(error)")
            return
        }
        let reason = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            self = .notADatabase(path: path, reason: reason)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_AUTH:
            self =
                opening
                ? .cannotOpen(path: path, reason: reason)
                : .database(path: path, operation: operation, reason: reason)
        case .SQLITE_CONSTRAINT:
            self = .invalidRecord("\(operation): \(reason)")
        default:
            self = .database(path: path, operation: operation, reason: reason)
        }
    }
}
