namespace JaxSharp.FSharp

open JaxSharp

/// Operators and conversions for F#: elementwise comparisons (.>, .<, .>=, .<=, .=, .<>)
/// and `tensor`, which turns a Tensor or a .NET scalar (weakly typed) into a Tensor.
[<AutoOpen>]
module Operators =
    // ---- conversions and elementwise operators (elementwise owner) ----
    ()
