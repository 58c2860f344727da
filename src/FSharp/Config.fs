namespace JaxSharp.FSharp

open System
open JaxSharp

/// JAX's jax.config for F#: the x64 switch (Jax.Config in C#).
[<RequireQualifiedAccess>]
module config =

    /// Whether x64 mode is on: weakly typed .NET floats that meet no typed value, and functions
    /// that default to a float dtype (np.zeros, random.uniform...), give float64 instead of float32.
    /// Starts as the environment variable JAXSHARP_ENABLE_X64 says (1 or 0; unset is off).
    let enableX64 () : bool = Jax.Config.EnableX64

    /// Turns x64 mode on or off for the whole process, as jax.config.update("jax_enable_x64", on).
    /// Functions jitted before the change trace again after it.
    let setEnableX64 (on: bool) : unit = Jax.Config.EnableX64 <- on

    /// x64 mode on or off until the returned scope is disposed, for this context and the tasks it
    /// starts, as jax.enable_x64: `use _ = config.useX64 true`.
    let useX64 (on: bool) : IDisposable = Jax.Config.UseX64 on
