module SmokeProperties

open Expecto

[<Tests>]
let properties =
    testList "smoke" [ testProperty "addition commutes" (fun (a: int) (b: int) -> a + b = b + a) ]
