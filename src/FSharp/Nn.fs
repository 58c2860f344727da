namespace JaxSharp.FSharp

open JaxSharp

/// jax.nn for F#: activations and friends, forwarding to JaxSharp.Nn.
[<RequireQualifiedAccess>]
module nn =
    ()
