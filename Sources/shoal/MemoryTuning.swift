import Glibc

/// glibc's allocator settings for a process that moves pieces of up to a few MiB all day.
enum MemoryTuning {
    /// By default glibc gives blocks of 128 KiB and up their own `mmap` and returns them to the kernel on
    /// `free`, so every 1 MiB piece buffer, read span and socket buffer starts as fresh pages: a page fault
    /// per 4 KiB, which on these VMs costs more CPU than copying the bytes. Served from the heap and kept
    /// (up to `trimThreshold` of free memory at the top), the same pages are reused.
    static let mmapThreshold: Int32 = 64 * 1024 * 1024
    static let trimThreshold: Int32 = 256 * 1024 * 1024

    /// `mallopt` parameters from glibc's <malloc.h>, which Swift's Glibc module does not import.
    private static let trimThresholdParameter: Int32 = -1
    private static let mmapThresholdParameter: Int32 = -3

    static func keepLargeBuffers() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        // RTLD_DEFAULT (a null handle): look the symbol up in the process, i.e. in glibc.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(mmapThresholdParameter, mmapThreshold)
        _ = mallopt(trimThresholdParameter, trimThreshold)
    }
}
