namespace JaxSharp.Primitives.Random;

/// <summary>Checks shared by the PRNG primitives: raw key data is uint32 of shape (..., 2).</summary>
internal static class KeyData
{
    /// <summary>The batch shape of raw keys (all axes but the last), or an error naming <paramref name="op"/>.</summary>
    public static Shape BatchShape(string op, AbstractValue keys)
    {
        if (keys.DType != DType.UInt32 || keys.Rank < 1 || keys.Shape[keys.Rank - 1] != 2)
            throw new ArgumentException($"{op}: expected raw key data of dtype uint32 and shape (..., 2), got {keys.DType.Name()}{keys.Shape}; " +
                "make keys with Rng.Key(seed) or wrap raw data with Rng.WrapKeyData");
        return new Shape(keys.Shape.Take(keys.Rank - 1));
    }

    /// <summary>The shape of keys with batch shape <paramref name="batch"/>: the batch followed by 2.</summary>
    public static Shape KeysShape(IEnumerable<int> batch) => new(batch.Append(2));

    /// <summary>
    /// Batched keys with their batch axis among the key-batch axes (not the words axis): a batch
    /// axis on the last axis moves to the front, any other stays. Per-key primitives then keep it.
    /// </summary>
    public static (Tensor Keys, int Axis) BatchAxisOffWords(Tensor keys, int axis) =>
        axis == keys.Rank - 1 ? (Rules.MoveAxis(keys, axis, 0), 0) : (keys, axis);
}
