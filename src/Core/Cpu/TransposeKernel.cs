using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace JaxSharp.Cpu;

/// <summary>
/// A transpose written to memory without an offset table as large as the output. When the
/// input's innermost axis stays innermost, each output row is one contiguous run of the input
/// (copied as a span). Otherwise the output's last axis and the output axis that is contiguous in
/// the input form a 2-D transpose, copied in 8 x 8 (float32, int32) or 4 x 4 (float64) blocks
/// transposed in AVX registers, so that both the reads and the writes are whole vectors, within
/// 64-column bands that keep the input lines they read in L1; the other axes are an outer loop
/// through offset tables of their own size. Large transposes are split across cores.
/// </summary>
internal sealed class TransposeKernel : TypedKernel
{
    /// <summary>The elements from which a transpose is split across cores.</summary>
    private const int ParallelSize = 1 << 16;

    /// <summary>The columns of a band: 64 input lines of 64 bytes stay in L1 while the band's rows are written.</summary>
    private const int Band = 64;

    private readonly int[] _outerIn;
    private readonly int[] _outerOut;
    private readonly int _rows;
    private readonly int _columns;
    private readonly int _inColumnStride;
    private readonly int _outRowStride;
    private readonly int _origin;
    private readonly bool _runs;

    /// <summary>The kernel of <c>transpose</c> of an input of <paramref name="input"/>'s shape by <paramref name="permutation"/>.</summary>
    public TransposeKernel(Shape input, IReadOnlyList<int> permutation)
        : this(new Shape(permutation.Select(a => input[a])), permutation.Select(a => input.Strides()[a]).ToArray())
    {
    }

    /// <summary>
    /// The kernel that writes, row-major, an <paramref name="output"/> whose element at each index
    /// is the input's at the dot product of the index with <paramref name="strideOf"/>: a transpose
    /// (permuted strides) or a fused loop that only copies a permuted read (<see cref="CompiledLoop"/>).
    /// Some axis must have input stride 1 (see <see cref="Handles"/>).
    /// </summary>
    public TransposeKernel(Shape output, int[] strideOf)
        : this(output, strideOf, output.Strides(), 0)
    {
    }

    /// <summary>
    /// The kernel that writes an <paramref name="output"/> as <see cref="TransposeKernel(Shape, int[])"/>,
    /// but into a larger buffer: the element at each index goes to <paramref name="origin"/> plus the
    /// dot product of the index with <paramref name="outStrides"/>, whose last entry is 1 (a padded,
    /// dilated copy; the buffer's other elements are left as they are).
    /// </summary>
    public TransposeKernel(Shape output, int[] strideOf, int[] outStrides, int origin)
    {
        _origin = origin;
        var rank = output.Rank;
        var last = rank - 1;
        _runs = rank == 0 || strideOf[last] == 1 || output[last] == 1;
        // the longest (first of the longest) contiguous axis but the last; loops, not LINQ's
        // MaxBy, Where and Select over int, which every process would JIT-compile
        var rowAxis = -1;
        for (var d = 0; !_runs && d < last; d++)
            if (strideOf[d] == 1 && (rowAxis < 0 || output[d] > output[rowAxis])) rowAxis = d;
        var outerAxes = new List<int>();
        for (var d = 0; d < last; d++)
            if (d != rowAxis) outerAxes.Add(d);
        var (outerDims, outerIn, outerOut) = (new int[outerAxes.Count], new int[outerAxes.Count], new int[outerAxes.Count]);
        for (var k = 0; k < outerAxes.Count; k++)
            (outerDims[k], outerIn[k], outerOut[k]) = (output[outerAxes[k]], strideOf[outerAxes[k]], outStrides[outerAxes[k]]);
        var outerShape = new Shape(outerDims);
        _outerIn = IndexMath.StridedOffsets(outerShape, outerIn);
        _outerOut = IndexMath.StridedOffsets(outerShape, outerOut);
        _columns = rank == 0 ? 1 : output[last];
        _inColumnStride = rank == 0 ? 1 : strideOf[last];
        _rows = _runs ? 1 : output[rowAxis];
        _outRowStride = _runs ? 0 : outStrides[rowAxis];
    }

    /// <summary>
    /// Whether the kernel copies a read at <paramref name="strideOf"/> over <paramref name="output"/>:
    /// some axis of more than one element is read contiguously (stride 1) and none is repeated (stride 0).
    /// </summary>
    public static bool Handles(Shape output, int[] strideOf)
    {
        if (output.Rank == 0) return false;
        foreach (var s in strideOf)
            if (s == 0) return false;
        for (var d = 0; d < output.Rank; d++)
            if (strideOf[d] == 1 && output[d] > 1) return true;
        return false;
    }

    /// <inheritdoc/>
    protected override string Op => "transpose";

    /// <inheritdoc/>
    protected override void Run<T>(Array[] inputs, Array output) => Copy((T[])inputs[0], (T[])output);

    /// <summary>Copies <paramref name="source"/>, permuted, into <paramref name="target"/>.</summary>
    public void Copy<T>(T[] source, T[] target)
    {
        if (target.Length == 0) return;
        if (_runs)
        {
            var parts = Parts(_outerIn.Length);
            Split(parts, _outerIn.Length, (o0, o1) =>
            {
                for (var o = o0; o < o1; o++) source.AsSpan(_outerIn[o], _columns).CopyTo(target.AsSpan(_origin + _outerOut[o], _columns));
            });
            return;
        }
        // Rows split across cores for each outer index.
        var rowParts = Parts(_rows);
        var rowSize = (_rows + rowParts - 1) / rowParts;
        rowSize = (rowSize + 7) / 8 * 8;
        var tasks = (_rows + rowSize - 1) / rowSize;
        Split(tasks * _outerIn.Length > 1 && target.Length >= ParallelSize ? Environment.ProcessorCount : 1, tasks * _outerIn.Length, (t0, t1) =>
        {
            for (var t = t0; t < t1; t++)
            {
                var (o, part) = (t / tasks, t % tasks);
                var r0 = part * rowSize;
                Block(source, _outerIn[o], target, _origin + _outerOut[o], r0, Math.Min(_rows, r0 + rowSize));
            }
        });
    }

    private int Parts(int extent) => extent > 1 && _rows * _columns * (long)_outerIn.Length >= ParallelSize ? Math.Min(extent, Environment.ProcessorCount) : 1;

    /// <summary>Runs <paramref name="body"/> on <paramref name="parts"/> ranges of <c>[0, extent)</c>, across cores when more than one.</summary>
    private static void Split(int parts, int extent, Action<int, int> body)
    {
        if (parts <= 1) body(0, extent);
        else Parallel.For(0, parts, p => body((int)((long)extent * p / parts), (int)((long)extent * (p + 1) / parts)));
    }

    /// <summary>Output rows <paramref name="r0"/> to <paramref name="r1"/> of one 2-D transpose: <c>out[outBase + i * outRowStride + j] = in[inBase + i + j * inColumnStride]</c>.</summary>
    [MethodImpl(KernelCompilation.Hot)]
    private void Block<T>(T[] source, int inBase, T[] target, int outBase, int r0, int r1)
    {
        var (inStride, outStride) = (_inColumnStride, _outRowStride);
        var width = Unsafe.SizeOf<T>() == 8 && Avx.IsSupported ? 4 : Unsafe.SizeOf<T>() == 4 && Avx.IsSupported ? 8 : 0;
        for (var jb = 0; jb < _columns; jb += Band)
        {
            var jEnd = Math.Min(_columns, jb + Band);
            var i = r0;
            if (width > 0)
                for (; i + width <= r1; i += width)
                {
                    var j = jb;
                    for (; j + width <= jEnd; j += width)
                    {
                        ref var from = ref source[inBase + i + j * inStride];
                        ref var to = ref target[outBase + i * outStride + j];
                        if (width == 8) Block8(ref Unsafe.As<T, float>(ref from), inStride, ref Unsafe.As<T, float>(ref to), outStride);
                        else Block4(ref Unsafe.As<T, double>(ref from), inStride, ref Unsafe.As<T, double>(ref to), outStride);
                    }
                    for (var ii = i; ii < i + width; ii++)
                        for (var jj = j; jj < jEnd; jj++) target[outBase + ii * outStride + jj] = source[inBase + ii + jj * inStride];
                }
            for (; i < r1; i++)
                for (var j = jb; j < jEnd; j++) target[outBase + i * outStride + j] = source[inBase + i + j * inStride];
        }
    }

    /// <summary>Eight lines of 8 floats (<paramref name="sourceStride"/> apart) transposed into eight lines <paramref name="targetStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(ref float source, int sourceStride, ref float target, int targetStride)
    {
        var s = (nuint)sourceStride;
        var r0 = Vector256.LoadUnsafe(ref source); var r1 = Vector256.LoadUnsafe(ref source, s);
        var r2 = Vector256.LoadUnsafe(ref source, 2 * s); var r3 = Vector256.LoadUnsafe(ref source, 3 * s);
        var r4 = Vector256.LoadUnsafe(ref source, 4 * s); var r5 = Vector256.LoadUnsafe(ref source, 5 * s);
        var r6 = Vector256.LoadUnsafe(ref source, 6 * s); var r7 = Vector256.LoadUnsafe(ref source, 7 * s);
        // Pairs of lines interleaved, then pairs of pairs, then 128-bit halves exchanged.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        var d = (nuint)targetStride;
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref target, d);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref target, 2 * d);
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref target, 3 * d);
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref target, 4 * d);
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref target, 5 * d);
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref target, 6 * d);
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref target, 7 * d);
    }

    /// <summary>Four lines of 4 doubles (<paramref name="sourceStride"/> apart) transposed into four lines <paramref name="targetStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4(ref double source, int sourceStride, ref double target, int targetStride)
    {
        var s = (nuint)sourceStride;
        var r0 = Vector256.LoadUnsafe(ref source); var r1 = Vector256.LoadUnsafe(ref source, s);
        var r2 = Vector256.LoadUnsafe(ref source, 2 * s); var r3 = Vector256.LoadUnsafe(ref source, 3 * s);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var d = (nuint)targetStride;
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref target, d);
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref target, 2 * d);
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref target, 3 * d);
    }
}
