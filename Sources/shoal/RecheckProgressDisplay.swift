import PieceStorage

/// Progress of a re-check on stderr (terminal only): the share of the data hashed so far.
struct RecheckProgressDisplay: Sendable {
    let progress: RecheckProgress
    let total: Int64

    func run<Value: Sendable>(
        _ work: @escaping @Sendable () async throws(StorageError) -> Value
    ) async throws(StorageError) -> Value {
        guard Terminal.standardErrorIsTerminal else { return try await work() }
        let result = await withTaskGroup(of: Result<Value, StorageError>?.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(500))
                    let percent = Double(progress.checkedBytes) * 100 / Double(max(total, 1))
                    Terminal.writeToStandardError(
                        "\r\u{1B}[Kchecking: \(TransferProgressDisplay.formatPercent(percent))")
                }
                return nil
            }
            group.addTask {
                do throws(StorageError) {
                    return .success(try await work())
                } catch {
                    return .failure(error)
                }
            }
            var outcome: Result<Value, StorageError>?
            while outcome == nil, let next = await group.next() { outcome = next }
            group.cancelAll()
            return outcome!
        }
        Terminal.writeToStandardError("\r\u{1B}[K")
        return try result.get()
    }
}
