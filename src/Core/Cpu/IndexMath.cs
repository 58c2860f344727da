namespace JaxSharp.Cpu;

/// <summary>Index arithmetic shared by the CPU kernels of shape and reduction primitives.</summary>
public static class IndexMath
{
    /// <summary>
    /// For every index of <paramref name="shape"/> in row-major order, <paramref name="start"/>
    /// plus the dot product of the index with <paramref name="strides"/>: the source offsets
    /// of a strided view (broadcast: stride 0; transpose: permuted strides; slice: scaled strides).
    /// </summary>
    public static int[] StridedOffsets(Shape shape, int[] strides, int start = 0)
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
        // loops, not LINQ over int (ToHashSet, Where, Select), whose instantiations every process would JIT-compile
        var varied = new bool[shape.Rank];
        foreach (var a in axes)
            if (a >= 0 && a < shape.Rank) varied[a] = true;
        var strides = shape.Strides();
        var dims = new List<int>();
        var subStrides = new List<int>();
        for (var d = 0; d < shape.Rank; d++)
        {
            if (!varied[d]) continue;
            dims.Add(shape[d]);
            subStrides.Add(strides[d]);
        }
        return StridedOffsets(new Shape(dims.ToArray()), subStrides.ToArray());
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
            // the runtime lets a uint[] pass as an int[] (and back): check the exact type
            case int[] i when i.GetType() == typeof(int[]): Gather((int[])inputs[0], offsets, i); break;
            case uint[] u: Gather((uint[])inputs[0], offsets, u); break;
            case bool[] b: Gather((bool[])inputs[0], offsets, b); break;
            default: throw new NotSupportedException($"gather kernel: {output.GetType().Name}");
        }
    };
}

/// <summary>
/// A kernel written once for every element type: <see cref="Run{T}"/> is generic in the
/// element type, and <see cref="ToAction"/> picks the instantiation from the buffer that
/// decides it (the output by default). Shape kernels subclass it, holding their precomputed
/// index maps as fields.
/// </summary>
public abstract class TypedKernel
{
    /// <summary>The op named in errors.</summary>
    protected abstract string Op { get; }

    /// <summary>Which buffer's element type chooses <c>T</c>: -1 for the output, else an input index.</summary>
    protected virtual int TypeSource => -1;

    /// <summary>The kernel for element type <typeparamref name="T"/>.</summary>
    protected abstract void Run<T>(Array[] inputs, Array output);

    /// <summary>The kernel as the delegate a <see cref="KernelLowering"/> holds.</summary>
    public Action<Array[], Array> ToAction() => (inputs, output) =>
    {
        switch (TypeSource < 0 ? output : inputs[TypeSource])
        {
            case float[]: Run<float>(inputs, output); break;
            case double[]: Run<double>(inputs, output); break;
            // the runtime lets a uint[] pass as an int[] (and back): check the exact type
            case int[] ints when ints.GetType() == typeof(int[]): Run<int>(inputs, output); break;
            case uint[]: Run<uint>(inputs, output); break;
            case bool[]: Run<bool>(inputs, output); break;
            case var other: throw new NotSupportedException($"{Op} kernel: {other.GetType().Name}");
        }
    };

    /// <summary><paramref name="value"/> converted to the element type <typeparamref name="T"/> (bool: nonzero).</summary>
    protected static T Convert<T>(double value) =>
        typeof(T) == typeof(bool) ? (T)(object)(value != 0) : (T)System.Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
}
