namespace JaxSharp.FSharp

open JaxSharp

/// numpy-like functions (JAX's jax.numpy) for F#: curried, lowerCamel, thin forwarders to
/// JaxSharp.Np. Arguments that configure (axis, shape...) come before the tensor, so that
/// pipelines read `x |> np.reshape [| 2; 3 |]`; symmetric ones keep numpy's order.
[<RequireQualifiedAccess>]
module np =
    // ---- creation, shapes and indexing (shapes owner) ----

    // ---- elementwise math (elementwise owner) ----

    // ---- reductions and linear algebra (reductions owner) ----
    ()
