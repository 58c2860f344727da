namespace JaxSharp.Cpu;

/// <summary>Index arithmetic shared by the CPU kernels of shape and reduction primitives.</summary>
public static class IndexMath
{
    /// <summary>
    /// For every index of <paramref name="shape"/> in row-major order, <paramref name="start"/>
    /// plus the dot product of the index with <paramref name="strides"/>: the source offsets
    /// of a strided view (broadcast: stride 0; transpose: permuted strides; slice: scaled strides).
    /// </summary>
    public static int[] StridedOffsets(Shape shape, IReadOnlyList<int> strides, int start = 0)
    {
        var offsets = new int[shape.Size];
        if (offsets.Length == 0) return offsets;
        var rank = shape.Rank;
        var index = new int[rank];
        var offset = start;
        for (var k = 0; k < offsets.Length; k++)
        {
            offsets[k] = offset;
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                offset += strides[d];
                if (index[d] < shape[d]) break;
                offset -= strides[d] * index[d];
                index[d] = 0;
            }
        }
        return offsets;
    }

    /// <summary>
    /// The offsets of a row-major array of <paramref name="shape"/> reached by varying only
    /// <paramref name="axes"/> (the others held at 0), in row-major order of those axes.
    /// </summary>
    public static int[] AxisOffsets(Shape shape, IEnumerable<int> axes)
    {
        var strides = shape.Strides();
        var set = axes.ToHashSet();
        var sub = Enumerable.Range(0, shape.Rank).Where(set.Contains).ToArray();
        return StridedOffsets(new Shape(sub.Select(d => shape[d])), sub.Select(d => strides[d]).ToArray());
    }

    /// <summary>Copies <c>source[offsets[k]]</c> to <c>destination[k]</c> for every k.</summary>
    public static void Gather<T>(T[] source, int[] offsets, T[] destination)
    {
        for (var k = 0; k < offsets.Length; k++) destination[k] = source[offsets[k]];
    }

    /// <summary>A kernel that copies the input at <paramref name="offsets"/> into the output, for any element type.</summary>
    public static Action<Array[], Array> GatherKernel(int[] offsets) => (inputs, output) =>
    {
        switch (output)
        {
            case float[] f: Gather((float[])inputs[0], offsets, f); break;
            case double[] d: Gather((double[])inputs[0], offsets, d); break;
            case int[] i: Gather((int[])inputs[0], offsets, i); break;
            case uint[] u: Gather((uint[])inputs[0], offsets, u); break;
            case bool[] b: Gather((bool[])inputs[0], offsets, b); break;
            default: throw new NotSupportedException($"gather kernel: {output.GetType().Name}");
        }
    };
}
