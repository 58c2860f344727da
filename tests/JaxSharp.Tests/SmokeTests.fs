module SmokeTests

open Expecto

[<Tests>]
let tests =
    testList "smoke" [ test "the build runs" { Expect.equal (1 + 1) 2 "1 + 1 = 2" } ]
