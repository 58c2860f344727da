namespace JaxSharp.FSharp

open JaxSharp

/// The witness behind `tensor`: one overload per type that converts to a Tensor. .NET
/// scalars become weakly typed tensors (they take the dtype of the tensor they meet);
/// bools become bool scalars, the bottom of JAX's promotion lattice.
type TensorConversion =
    /// A tensor is itself.
    static member To(x: Tensor) : Tensor = x
    /// A float as a weakly typed scalar.
    static member To(x: float) : Tensor = Tensor.op_Implicit x
    /// A float32 as a weakly typed scalar.
    static member To(x: float32) : Tensor = Tensor.op_Implicit(float x)
    /// An int as a weakly typed integer scalar.
    static member To(x: int) : Tensor = Tensor.op_Implicit x
    /// A bool as a bool scalar.
    static member To(x: bool) : Tensor = Tensor.Scalar x

/// Operators and conversions for F#: elementwise comparisons (.>, .<, .>=, .<=, .=, .<>)
/// and `tensor`, which turns a Tensor or a .NET scalar (weakly typed) into a Tensor.
[<AutoOpen>]
module Operators =
    // ---- conversions and elementwise operators (elementwise owner) ----

    /// A Tensor from a Tensor, float, float32, int or bool; scalars are weakly typed.
    /// Example: `tensor 2.0 + x` keeps x's float dtype.
    let inline tensor (x: 'a) : Tensor =
        let inline convert (_: ^w, source: ^t) = ((^w or ^t): (static member To: ^t -> Tensor) source)
        convert (Unchecked.defaultof<TensorConversion>, x)

    /// Elementwise a > b, giving a bool tensor; either side may be a scalar: `x .> 0.0`.
    let inline (.>) a b = Np.Greater(tensor a, tensor b)

    /// Elementwise a < b, giving a bool tensor.
    let inline (.<) a b = Np.Less(tensor a, tensor b)

    /// Elementwise a >= b, giving a bool tensor.
    let inline (.>=) a b = Np.GreaterEqual(tensor a, tensor b)

    /// Elementwise a <= b, giving a bool tensor.
    let inline (.<=) a b = Np.LessEqual(tensor a, tensor b)

    /// Elementwise a = b, giving a bool tensor (NaN equals nothing).
    let inline (.=) a b = Np.Equal(tensor a, tensor b)

    /// Elementwise a <> b, giving a bool tensor.
    let inline (.<>) a b = Np.NotEqual(tensor a, tensor b)
