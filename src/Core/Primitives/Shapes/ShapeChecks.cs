namespace JaxSharp.Primitives.Shapes;

/// <summary>The checks that the shape rules of shape and indexing primitives share, with their error messages.</summary>
internal static class ShapeChecks
{
    /// <summary>Throws unless there are exactly <paramref name="count"/> inputs.</summary>
    public static void Arity(string op, IReadOnlyList<AbstractValue> inputs, int count, string what)
    {
        if (inputs.Count != count) throw new ArgumentException($"{op}: takes {count} argument(s) ({what}), got {inputs.Count}");
    }

    /// <summary>
    /// Throws unless <paramref name="axes"/> are distinct axes in [0, <paramref name="rank"/>),
    /// and, when <paramref name="sorted"/>, increasing.
    /// </summary>
    public static void Axes(string op, string name, IReadOnlyList<int> axes, int rank, string context, bool sorted = false)
    {
        foreach (var a in axes)
            if (a < 0 || a >= rank)
                throw new ArgumentException($"{op}: {name} {Ints.Format(axes)} has axis {a}, out of range for {context} (rank {rank}); use axes in [0, {rank})");
        if (axes.Distinct().Count() != axes.Count)
            throw new ArgumentException($"{op}: {name} {Ints.Format(axes)} repeats an axis; give each axis once");
        if (sorted)
            for (var i = 1; i < axes.Count; i++)
                if (axes[i] <= axes[i - 1])
                    throw new ArgumentException($"{op}: {name} {Ints.Format(axes)} must be sorted in increasing order");
    }

    /// <summary>Throws unless <paramref name="value"/> is an int32 scalar (a start index of a dynamic slice).</summary>
    public static void IntScalar(string op, AbstractValue value, string what)
    {
        if (value.DType != DType.Int32 || value.Rank != 0)
            throw new ArgumentException($"{op}: {what} must be an int32 scalar, got {value.DType.Name()}{value.Shape}; convert with Np.AsType(x, DType.Int32)");
    }

    /// <summary>Throws unless the two dtypes are equal.</summary>
    public static void SameDType(string op, AbstractValue a, string aName, AbstractValue b, string bName)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: {aName} is {a.DType.Name()} but {bName} is {b.DType.Name()}; they must be equal: convert one with Np.AsType");
    }
}
