namespace JaxSharp.FSharp

open JaxSharp

/// jax.lax for F#: the primitives themselves, with strict dtypes (no promotion).
[<RequireQualifiedAccess>]
module lax =
    // ---- shapes and indexing (shapes owner) ----

    // ---- elementwise (elementwise owner) ----

    // ---- reductions, cumulative ops, dot_general (reductions owner) ----
    ()
