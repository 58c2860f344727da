namespace JaxSharp.FSharp
