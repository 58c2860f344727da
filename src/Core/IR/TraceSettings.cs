using JaxSharp.Random;

namespace JaxSharp.IR;

/// <summary>
/// The settings that change what a function traces to (JAX keys jit's cache on its config
/// state the same way): a program traced under one is not valid under another. Today that is
/// the random counter scheme (<see cref="Rng.UseScheme"/>) and the x64 switch
/// (<see cref="Jax.Config.EnableX64"/>, which sets weak values' and creation functions' default
/// dtypes); every setting read at trace time belongs here.
/// </summary>
/// <param name="RandomScheme">The Threefry counter scheme that random primitives are traced with.</param>
/// <param name="EnableX64">Whether default dtypes are 64-bit.</param>
internal readonly record struct TraceSettings(ThreefryScheme RandomScheme, bool EnableX64)
{
    /// <summary>The settings in force in the current context.</summary>
    public static TraceSettings Current => new(Rng.Scheme, Jax.Config.EnableX64);
}
