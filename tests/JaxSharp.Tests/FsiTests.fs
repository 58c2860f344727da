/// F# users live in scripts and notebooks: the built assemblies must load in `dotnet fsi`.
module FsiTests

open System.Diagnostics
open System.IO
open Expecto

[<Tests>]
let tests =
    testList
        "dotnet fsi"
        [ test "loads the built assemblies and runs a script" {
              let script = Path.Combine(__SOURCE_DIRECTORY__, "..", "fsi", "LoadsInFsi.fsx") |> Path.GetFullPath
              let info = ProcessStartInfo("dotnet", [ "fsi"; "--quiet"; script ], RedirectStandardOutput = true, RedirectStandardError = true)
              use fsi = Process.Start info
              let output = fsi.StandardOutput.ReadToEnd()
              let errors = fsi.StandardError.ReadToEnd()
              fsi.WaitForExit()
              Expect.equal fsi.ExitCode 0 $"dotnet fsi exits cleanly: {errors}"
              Expect.stringContains output "selu: Tensor([-1.1084234 0. 2.1], float32)" "selu"
              Expect.stringContains output "grad: Tensor([1. 0.5403023058681398], float64)" "grad"
              Expect.stringContains output "jit: Tensor([1. 2. 5.], float32)" "jit"
          } ]
