namespace JaxSharp.Random;

/// <summary>The checks of key arguments that the Rng functions share, with their error messages.</summary>
internal static class KeyShapes
{
    /// <summary>Keys are uint32 of shape (..., 2).</summary>
    public static void Check(string op, Tensor keys)
    {
        if (keys.DType != DType.UInt32 || keys.Rank < 1 || keys.Shape[keys.Rank - 1] != 2)
            throw new ArgumentException($"{op}: expected key data of dtype uint32 and shape (..., 2), got {keys.DType.Name()}{keys.Shape}; make keys with Rng.Key(seed)");
    }

    /// <summary>A single key: uint32 of shape (2,), as JAX's samplers take.</summary>
    public static void CheckSingle(string op, Tensor key)
    {
        Check(op, key);
        if (key.Rank != 1)
            throw new ArgumentException($"{op}: expected a single key of shape (2,), got keys of shape {key.Shape}; use Jax.Vmap to draw with a batch of keys");
    }
}
