printfn "JaxSharp quickstart"
