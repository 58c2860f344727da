module Main

open Expecto

/// Runs the tests; `--soak` runs the full-size reliability probes instead (`./build.sh soak`).
[<EntryPoint>]
let main argv =
    if Array.contains "--soak" argv then Reliability.Soak.main ()
    else Tests.runTestsInAssemblyWithCLIArgs [] argv
