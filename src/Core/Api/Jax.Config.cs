using System.Runtime.CompilerServices;

namespace JaxSharp;

public static partial class Jax
{
    /// <summary>
    /// JAX's <c>jax.config</c> for the settings JaxSharp has. Settings are read when a function
    /// is traced and are part of every jit cache key: a function jitted before a change traces
    /// again after it.
    /// </summary>
    public static class Config
    {
        /// <summary>The environment variable that sets <see cref="EnableX64"/>'s initial value, as JAX's <c>JAX_ENABLE_X64</c>.</summary>
        public const string EnableX64Variable = "JAXSHARP_ENABLE_X64";

        private static bool? s_enableX64;
        // A box, not bool?: AsyncLocal over a reference shares the framework's precompiled code;
        // over Nullable<bool> it is JIT-compiled in every process.
        private static readonly AsyncLocal<StrongBox<bool>?> s_scopedX64 = new();

        /// <summary>
        /// JAX's <c>jax_enable_x64</c>. Off (the default): a weakly typed .NET <c>double</c> that
        /// meets no typed value is float32, and functions that default to a float dtype
        /// (<see cref="Np.Zeros(Shape, DType?)"/>, <see cref="Np.Linspace"/>...) make float32.
        /// On: float64 for both. A .NET <c>int</c> is int32 in both modes (JaxSharp has no
        /// int64), and explicitly typed data keeps its dtype in both (a <c>double[]</c> is
        /// float64). Starts as <c>JAXSHARP_ENABLE_X64</c> says (1/true/yes or 0/false/no; unset
        /// is off). Setting it changes the process-wide value; inside a <see cref="UseX64"/>
        /// scope the scope's value wins.
        /// </summary>
        /// <example><c>Jax.Config.EnableX64 = true; Np.Add(1, 1.0).DType</c> is float64.</example>
        /// <exception cref="InvalidOperationException">The environment variable holds something other than a yes or no.</exception>
        public static bool EnableX64
        {
            get => s_scopedX64.Value is { } scoped ? scoped.Value : (s_enableX64 ??= X64FromEnvironment());
            set => s_enableX64 = value;
        }

        /// <summary>
        /// Enables or disables x64 for the current context and the tasks it starts, until the
        /// returned scope is disposed, as JAX's <c>jax.enable_x64</c> context manager:
        /// <c>using (Jax.Config.UseX64()) { ... }</c>.
        /// </summary>
        public static IDisposable UseX64(bool enabled = true)
        {
            var previous = s_scopedX64.Value;
            s_scopedX64.Value = new StrongBox<bool>(enabled);
            return new X64Scope(previous);
        }

        private sealed class X64Scope(StrongBox<bool>? previous) : IDisposable
        {
            public void Dispose() => s_scopedX64.Value = previous;
        }

        /// <summary>The x64 setting that <c>JAXSHARP_ENABLE_X64</c> asks for now (off when unset).</summary>
        internal static bool X64FromEnvironment() => ParseSwitch(Environment.GetEnvironmentVariable(EnableX64Variable));

        private static bool ParseSwitch(string? value) => value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "0" or "false" or "no" or "off" => false,
            "1" or "true" or "yes" or "on" => true,
            _ => throw new InvalidOperationException(
                $"{EnableX64Variable}={value} is not a switch; set it to 1 (or true, yes, on) to enable x64, or 0 (false, no, off) or unset it to disable x64"),
        };
    }
}
