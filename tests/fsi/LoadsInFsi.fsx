// Loads the built assemblies in `dotnet fsi`, as F# script and notebook users do, and prints
// a few results. Run by `./build.sh fsicheck` and by the unit tests (after a Release build).
#r "../../src/Core/bin/Release/net10.0/JaxSharp.Core.dll"
#r "../../src/FSharp/bin/Release/net10.0/JaxSharp.FSharp.dll"

open JaxSharp
open JaxSharp.FSharp

let selu (x: Tensor) = 1.05 * np.where (x .> 0.0) x (1.67 * np.exp x - 1.67)
printfn "selu: %O" (selu (np.array [| -1.0f; 0.0f; 2.0f |]))
printfn "grad: %O" (grad (fun x -> np.sum (np.sin x)) (np.array [| 0.0; 1.0 |]))
printfn "jit: %O" (jit (fun x -> x * x + 1.0) (np.arange 3.0f))
