// Build targets, run with `dotnet fsi build.fsx -t <Target>` (build.sh does this).
#load ".paket/load/net10.0/Build/build.group.fsx"

open System.Diagnostics
open System.IO
open System.Text.RegularExpressions
open Fake.Core
open Fake.Core.TargetOperators
open Fake.DotNet
open Fake.IO
open Fake.IO.Globbing.Operators

System.Environment.GetCommandLineArgs()
|> Array.skip 2
|> Array.toList
|> Context.FakeExecutionContext.Create false "build.fsx"
|> Context.RuntimeContext.Fake
|> Context.setExecutionContext

let solution = "JaxSharp.slnx"
let packages = "out/packages"
let benchProject = "bench/JaxSharp.Bench.fsproj"
let fsiCheck = "tests/fsi/LoadsInFsi.fsx"

let testRunners =
    [ "tests/JaxSharp.Tests/bin/Release/net10.0/JaxSharp.Tests.dll"
      "property-tests/bin/Release/net10.0/JaxSharp.PropertyTests.dll" ]

let dotnet command args =
    let result = DotNet.exec id command args
    if not result.OK then failwithf "dotnet %s %s failed with exit code %d" command args result.ExitCode

/// Sum of passed and of failed (failed + errored) tests over the runners, once Test has run.
let mutable testTotals: (int * int) option = None

/// Runs an Expecto runner, echoing its output, and reads its closing summary
/// (`... – P passed, I ignored, F failed, E errored.`) as (passed, failed + errored).
/// A runner that exits non-zero without reporting a failure (a crash) counts as one failed.
/// System.Diagnostics.Process rather than FAKE's Proc.run, which adds about a second per run.
let runExpecto (environment: (string * string) list) (dll: string) =
    let colour = Regex(@"\x1b\[[0-9;]*m")
    // Expecto groups thousands ("2,008 passed").
    let summary = Regex(@"([\d,]+) passed, [\d,]+ ignored, ([\d,]+) failed, ([\d,]+) errored")
    let count (g: Group) = int (g.Value.Replace(",", ""))
    let start = ProcessStartInfo("dotnet", [ dll; "--no-spinner" ], RedirectStandardOutput = true)
    for name, value in environment do
        start.Environment[name] <- value
    use runner = Process.Start start
    let mutable passed, failed = 0, 0
    let mutable line = runner.StandardOutput.ReadLine()
    while not (isNull line) do
        printfn "%s" line
        let m = summary.Match(colour.Replace(line, ""))
        if m.Success then
            passed <- count m.Groups[1]
            failed <- count m.Groups[2] + count m.Groups[3]
        line <- runner.StandardOutput.ReadLine()
    runner.WaitForExit()
    passed, (if runner.ExitCode <> 0 then max failed 1 else failed)

Target.create "Clean" (fun _ -> !! "**/bin" ++ "**/obj" ++ "out" |> Shell.deleteDirs)

Target.create "Restore" (fun _ ->
    dotnet "tool" "restore"
    dotnet "paket" "restore")

Target.create "Build" (fun _ -> dotnet "build" $"{solution} -c Release")

Target.create "Test" (fun _ ->
    // On an AVX-512 machine the unit tests run a second time without it, so that the Vector256
    // loops, the AVX2 GEMM kernel and the portable SIMD math stay tested too.
    let everywhere = testRunners |> List.map (runExpecto [])
    let withoutAvx512 =
        if System.Runtime.Intrinsics.X86.Avx512F.IsSupported then
            printfn "Unit tests again with DOTNET_EnableAVX512=0 (the Vector256 paths):"
            [ runExpecto [ "DOTNET_EnableAVX512", "0" ] testRunners.Head ]
        else []
    let results = everywhere @ withoutAvx512
    let passed, failed = List.sumBy fst results, List.sumBy snd results
    testTotals <- Some(passed, failed)
    if failed > 0 then failwith $"{failed} tests failed")

Target.create "Soak" (fun _ ->
    // The full-size reliability probes; they write docs/reliability.md.
    dotnet testRunners.Head "--soak")

Target.create "Demo" (fun _ -> dotnet "run" "-c Release --project examples/Digits/Digits.fsproj")

Target.create "Pack" (fun _ ->
    // ReadyToRun images of the libraries for this machine's runtime identifier go into each package
    // under runtimes/<rid>/lib beside the IL (docs/jit.md, "First result in a fresh process").
    let rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier
    let images = Path.GetFullPath "out/readytorun"
    for project in [ "src/Core/JaxSharp.Core.csproj"; "src/FSharp/JaxSharp.FSharp.fsproj" ] do
        dotnet "publish" $"{project} -c Release -r {rid} --self-contained false -p:PublishReadyToRun=true -o {images}/{rid}"
    for project in [ "src/Core/JaxSharp.Core.csproj"; "src/FSharp/JaxSharp.FSharp.fsproj"; "src/FsCheck/JaxSharp.FsCheck.fsproj"; "src/MathNet/JaxSharp.MathNet.fsproj" ] do
        // Built again, not --no-build: the ReadyToRun publishes above rebuilt the referenced libraries'
        // IL without AggressiveOptimization (READY_TO_RUN, src/Core/Cpu/KernelCompilation.cs), which lib/ must keep.
        dotnet "pack" $"{project} -c Release -o {packages} -p:ReadyToRunImages={images} -p:ReadyToRunIdentifier={rid}")

Target.create "Bench" (fun _ ->
    if File.Exists benchProject then
        // The first-result rows also start these two precompiled publishes of the bench (docs/jit.md,
        // "First result in a fresh process"). Both compile into bench/obj/Release/net10.0/<rid>, whose
        // crossgen2 outputs one publish would otherwise take over from the other, so it goes first.
        let rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier
        let published = [ "--self-contained false -p:PublishReadyToRun=true -o bench/bin/ReadyToRun"
                          "--self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o bench/bin/ReadyToRunComposite" ]
        for options in published do
            Shell.deleteDir $"bench/obj/Release/net10.0/{rid}"
            dotnet "publish" $"{benchProject} -c Release -r {rid} {options}"
        dotnet "run" $"-c Release --project {benchProject}"
    else
        Trace.log "There are no benchmarks yet: bench/ arrives with issue 6.")

Target.create "FsiCheck" (fun _ ->
    if File.Exists fsiCheck then
        dotnet "fsi" fsiCheck
    else
        Trace.log $"{fsiCheck} does not exist yet.")

"Restore" ?=> "Build"
"Build" ==> "Test"
"Build" ==> "Pack"
"Build" ==> "Soak"
"Build" ==> "FsiCheck"

let exitCode =
    try
        Target.runOrDefaultWithArguments "Build"
        0
    with :? BuildFailedException ->
        1 // FAKE has already reported the failed target.

testTotals |> Option.iter (fun (passed, failed) -> printfn "%d passed, %d failed" passed failed)
exit exitCode
