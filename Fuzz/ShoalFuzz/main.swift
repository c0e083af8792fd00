// One target, two builds:
//
// - Fuzz build (scripts/fuzz.sh): `-sanitize=fuzzer -DSHOAL_FUZZ -enable-experimental-feature Extern`.
//   SwiftPM links every Swift executable with `--defsym main=ShoalFuzz_main` (so that tests can link
//   executables), which silently replaces libFuzzer's own `main` with this file's top-level code. So the
//   top-level code does exactly what libFuzzer's `main` does: it hands argc/argv to libFuzzer's driver.
//   (`-parse-as-library` does not work: the inactive branch below still counts as top-level code, and
//   without a Swift `main` the `--defsym` has nothing to point at.)
// - Normal build (`swift build`): runs the same checks on the files or folders named on the command
//   line, to replay a crash without libFuzzer: `swift run ShoalFuzz fuzz-artifacts/crash-…`.

#if SHOAL_FUZZ

    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    /// libFuzzer's entry point: called once per generated input.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        FuzzChecks.run(input)
        return 0
    }

    /// libFuzzer's driver: parses libFuzzer's flags and runs the fuzzing loop (the whole of libFuzzer's `main`).
    @_extern(c, "LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    var argumentCount = CommandLine.argc
    var argumentValues = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argumentCount, &argumentValues, fuzzTestOneInput))

#else

    import Foundation

    /// The files to replay: each argument, or the files directly inside it when it is a folder.
    func inputFiles(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: argument])
            }
            if isFolder.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: argument).sorted()
                files += names.filter { !$0.hasPrefix(".") }.map { "\(argument)/\($0)" }
            } else {
                files.append(argument)
            }
        }
        return files
    }

    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.isEmpty || arguments.contains("-h") || arguments.contains("--help") {
        print("usage: ShoalFuzz FILE_OR_FOLDER...")
        print("Runs the fuzz checks on each file (each file in a folder) and traps on a broken invariant.")
        print("The libFuzzer build is made and run by scripts/fuzz.sh.")
    } else {
        do {
            let files = try inputFiles(arguments)
            for file in files {
                FuzzChecks.run([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
            }
            print("ShoalFuzz: \(files.count) input\(files.count == 1 ? "" : "s") passed")
        } catch {
            print("ShoalFuzz: \(error)")
            exit(2)
        }
    }

#endif
