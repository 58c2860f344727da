using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using JaxSharp.Cpu.Gemm;
using JaxSharp.Primitives.Convolution;

namespace JaxSharp.Cpu;

/// <summary>
/// The CPU kernel of <c>conv_general_dilated</c>, im2col done by packing rather than a copy: the offset
/// of input element (n, c, p·s + k·d) is a sum of a term in (n, p) and a term in (c, k). Groups of at
/// least <see cref="MinProductRows"/> output features run as one wide product each on
/// <see cref="ConvProduct"/> (any layout in place; a padded input larger than
/// <see cref="MaxPaddedCopy"/> read in place where rows allow, see <see cref="ConvClip"/>). Narrower
/// groups run as a packed GEMM batched over (n, group) on <see cref="GemmOperand"/> views: out[(n, p), o] = X[(n, p), (c, k)] W[(c, k), o] for a channels-last
/// output, out[n][o, p] = W[o, (c, k)] X[n][(c, k), p] for a channels-first one, other layouts through a
/// scratch buffer and a permuting copy. Where the input must be padded or dilated (and is not read in
/// place), it is copied to a canonical [N, C, spatial] buffer from the shared pool.
/// </summary>
internal static class ConvKernel
{
    /// <summary>The elements of a padded copy from which it is worth spreading over cores.</summary>
    private const int ParallelCopy = 1 << 16;

    /// <summary>
    /// The output features per group from which <see cref="ConvProduct"/> runs the convolution (its
    /// tiles are a micro-kernel's rows of features high); narrower groups (depthwise) run as products
    /// batched over (n, group) on <see cref="MatMulKernel"/>.
    /// </summary>
    private const int MinProductRows = 8;

    /// <summary>
    /// The output row (last spatial axis) from which a padded input too large to copy
    /// (<see cref="MaxPaddedCopy"/>) is read in place, window rows clipped at its edges while packing
    /// (<see cref="ConvClip"/>); shorter rows make runs too short to copy, and the input is padded
    /// into a copy all the same, unless the window's rows are long enough to pack along them by
    /// register transposes (a kernel gradient's, read in place too).
    /// </summary>
    private const int MinClippedRow = 4;

    /// <summary>
    /// The most elements of a padded copy of the input; a padded input that would be larger is read
    /// in place (<see cref="ConvClip"/>), so that a convolution never holds a second copy of more
    /// than 64 MB of float32. Below it the copy is the faster way: one pass over the input into a
    /// pooled buffer, after which every window row the packing reads is one plain run, against
    /// clipping each run at the input's edges for every step (about 10% of a 3 x 3, 64 -> 64
    /// forward pass on 56 x 56, docs/convolutions.md).
    /// </summary>
    internal const long MaxPaddedCopy = 1L << 24;

    /// <summary>The offset tables of one convolution, computed once per shape and parameters.</summary>
    internal sealed class Plan
    {
        /// <summary>
        /// Plans the convolution of operands of <paramref name="lhs"/> and <paramref name="rhs"/> into
        /// <paramref name="output"/>, padding into a copy of at most <paramref name="maxPaddedCopy"/>
        /// elements where padding is needed (the tests lower it to run the in-place reads).
        /// </summary>
        public Plan(Shape lhs, Shape rhs, Shape output, ConvParams p, long maxPaddedCopy = MaxPaddedCopy)
        {
            var dn = p.DimensionNumbers;
            var spatial = lhs.Rank - 2;
            var (lhsStrides, rhsStrides, outStrides) = (lhs.Strides(), rhs.Strides(), output.Strides());
            var (n, c) = (lhs[dn.Lhs[0]], lhs[dn.Lhs[1]]);
            var (o, i) = (rhs[dn.Rhs[0]], rhs[dn.Rhs[1]]);
            var outN = output[dn.Out[0]];
            var groups = p.FeatureGroupCount * p.BatchGroupCount;
            var og = o / groups;
            var input = Enumerable.Range(0, spatial).Select(d => lhs[dn.Lhs[d + 2]]).ToArray();
            var window = new Shape(Enumerable.Range(0, spatial).Select(d => rhs[dn.Rhs[d + 2]]));
            var outSpatial = new Shape(Enumerable.Range(0, spatial).Select(d => output[dn.Out[d + 2]]));
            OutputSize = output.Size;

            // the input as it is read: a padded, dilated canonical copy, or in place where that copy
            // would be too large (the product's packing clipping windows at the edges)
            var needsPadding = Enumerable.Range(0, spatial).Any(d => p.PaddingLow[d] != 0 || p.PaddingHigh[d] != 0 || p.LhsDilation[d] != 1);
            var padded = Enumerable.Range(0, spatial).Select(d => ConvGeneralDilated.Dilate(input[d], p.LhsDilation[d]) + p.PaddingLow[d] + p.PaddingHigh[d]).ToArray();
            var copyTooLarge = padded.Aggregate((long)n * c, (size, axis) => size * Math.Max(axis, 0)) > maxPaddedCopy;
            // output rows long enough to copy runs of, or (a kernel gradient's short rows) window rows long enough to transpose runs of steps
            var longRuns = outSpatial[spatial - 1] >= MinClippedRow || (p.RhsDilation[spatial - 1] == 1 && window[spatial - 1] >= ConvProduct.PanelLayout.MinTransposedRun);
            var clipped = needsPadding && copyTooLarge && og >= MinProductRows && Enumerable.Range(0, spatial).All(d => p.LhsDilation[d] == 1)
                && lhsStrides[dn.Lhs[spatial + 1]] == 1 && p.WindowStrides[spatial - 1] == 1 && longRuns;
            // a kernel gradient's columns (input feature, window offset) are short runs of a [N, C, spatial]
            // input; copied with its batch axis innermost, a run spans the batch entries at one position
            var batchInnermost = og >= MinProductRows && !clipped && BatchInnermostPays(lhs, lhsStrides, outN, outSpatial, padded, needsPadding, p, maxPaddedCopy);
            Padded = needsPadding && !clipped && !batchInnermost;
            ClearsPadding = needsPadding;
            int xsN, xsC;
            int[] xs;
            if (batchInnermost)
            {
                // [C, padded spatial, N]: the input's elements at (padding low + k · lhs dilation) of each axis
                var planeShape = new Shape(padded);
                PlaneSize = planeShape.Size;
                PaddedSize = (long)n * c * PlaneSize;
                xs = planeShape.Strides().Select(stride => stride * n).ToArray();
                (xsN, xsC) = (1, PlaneSize * n);
                var axes = new[] { dn.Lhs[1] }.Concat(Enumerable.Range(0, spatial).Select(d => dn.Lhs[d + 2])).Append(dn.Lhs[0]).ToArray();
                var targetStrides = new[] { xsC }.Concat(Enumerable.Range(0, spatial).Select(d => xs[d] * p.LhsDilation[d])).Append(1).ToArray();
                Copy = PaddedCopy(lhs, lhsStrides, axes, targetStrides, xs, p);
                BatchInnermost = true;
            }
            else if (Padded)
            {
                var planeShape = new Shape(padded);
                PlaneSize = planeShape.Size;
                PaddedSize = (long)n * c * PlaneSize;
                xs = planeShape.Strides();
                (xsN, xsC) = (c * PlaneSize, PlaneSize);
                Planes = IndexMath.StridedOffsets(new Shape(n, c), [lhsStrides[dn.Lhs[0]], lhsStrides[dn.Lhs[1]]]);
                Sources = IndexMath.StridedOffsets(new Shape(input), Enumerable.Range(0, spatial).Select(d => lhsStrides[dn.Lhs[d + 2]]).ToArray());
                Targets = PaddedTargets(input, padded, xs, p);
                var last = spatial - 1;
                if (lhsStrides[dn.Lhs[last + 2]] == 1 && p.LhsDilation[last] == 1 && p.PaddingLow[last] >= 0 && p.PaddingHigh[last] >= 0)
                    RowLength = input[last];
                // rows that are not contiguous (a channels-last input): blocked transposes, not an element at a time
                else if (p.LhsDilation[last] == 1 && NotCropped(p) && TransposeKernel.Handles(lhs, lhsStrides))
                {
                    var axes = new[] { dn.Lhs[0], dn.Lhs[1] }.Concat(Enumerable.Range(0, spatial).Select(d => dn.Lhs[d + 2])).ToArray();
                    var targetStrides = new[] { xsN, xsC }.Concat(Enumerable.Range(0, spatial).Select(d => xs[d] * p.LhsDilation[d])).ToArray();
                    Copy = PaddedCopy(lhs, lhsStrides, axes, targetStrides, xs, p);
                }
            }
            else
            {
                xs = Enumerable.Range(0, spatial).Select(d => lhsStrides[dn.Lhs[d + 2]]).ToArray();
                (xsN, xsC) = (lhsStrides[dn.Lhs[0]], lhsStrides[dn.Lhs[1]]);
            }
            var positions = IndexMath.StridedOffsets(outSpatial, Enumerable.Range(0, spatial).Select(d => p.WindowStrides[d] * xs[d]).ToArray());
            var windowX = IndexMath.StridedOffsets(window, Enumerable.Range(0, spatial).Select(d => p.RhsDilation[d] * xs[d]).ToArray());
            var windowW = IndexMath.StridedOffsets(window, Enumerable.Range(0, spatial).Select(d => rhsStrides[dn.Rhs[d + 2]]).ToArray());
            var (wsO, wsI) = (rhsStrides[dn.Rhs[0]], rhsStrides[dn.Rhs[1]]);
            var xColumns = Sum(Steps(i, xsC), windowX);
            var wColumns = Sum(Steps(i, wsI), windowW);
            // group g reads input features g·I... (feature groups) or batch entries g·outN... (batch groups)
            int InputBase(int g) => p.FeatureGroupCount > 1 ? g * i * xsC : p.BatchGroupCount > 1 ? g * outN * xsN : 0;
            var outPositions = IndexMath.StridedOffsets(outSpatial, Enumerable.Range(0, spatial).Select(d => outStrides[dn.Out[d + 2]]).ToArray());
            var (osN, osC) = (outStrides[dn.Out[0]], outStrides[dn.Out[1]]);
            if (og >= MinProductRows)
            {
                var groupList = Enumerable.Range(0, groups).ToArray();
                // columns position by position where the batch entries are adjacent, so that a run spans them
                var batchRuns = xsN == 1 && outN > 1 && !clipped;
                ConvClip? clip = null;
                if (clipped)
                {
                    // offsets as if the input were padded: a column's are shifted by the low padding, and may lie outside
                    var shift = Enumerable.Range(0, spatial).Sum(d => p.PaddingLow[d] * xs[d]);
                    positions = positions.Select(at => at - shift).ToArray();
                    clip = new ConvClip(input, Coordinates(window, d => p.RhsDilation[d], _ => 0), Coordinates(outSpatial, d => p.WindowStrides[d], d => p.PaddingLow[d]), outSpatial[spatial - 1]);
                }
                var outColumns = batchRuns ? Sum(outPositions, Steps(outN, osN)) : Sum(Steps(outN, osN), outPositions);
                // columns mostly not adjacent in the output (a channels-last output, or the batch-innermost
                // order): the product is written row-major ([output feature, column]) and copied into the
                // output once, rather than scattering every tile for every step
                var pairs = Math.Max(0, outColumns.Length - 1);
                Direct = Enumerable.Range(1, pairs).Count(j => outColumns[j] == outColumns[j - 1] + 1) * 4 >= pairs * 3;
                if (!Direct)
                {
                    var columns = outColumns.Length;
                    var outSpatialStrides = outSpatial.Strides();
                    // the row-major product's stride for each axis of the output: features, batch entries, spatial
                    // axes; with two columns or more, the batch axis or a spatial one has stride 1 (as the copy needs)
                    var productStrides = new int[output.Rank];
                    productStrides[dn.Out[1]] = columns;
                    productStrides[dn.Out[0]] = batchRuns ? 1 : outSpatial.Size;
                    for (var d = 0; d < spatial; d++) productStrides[dn.Out[d + 2]] = (batchRuns ? outN : 1) * outSpatialStrides[d];
                    WriteOutput = new TransposeKernel(output, productStrides);
                    (osC, outColumns) = (columns, Steps(columns, 1));
                }
                Product = new ConvProduct(new GemmOperand(groupList.Select(g => g * og * wsO).ToArray(), Steps(og, wsO), wColumns),
                    groupList.Select(InputBase).ToArray(), xColumns, batchRuns ? Sum(positions, Steps(outN, xsN)) : Sum(Steps(outN, xsN), positions),
                    groupList.Select(g => g * og * osC).ToArray(), osC, outColumns, clip);
                return;
            }

            var outIsChannelsFirst = dn.Out.Select((a, k) => a == k).All(same => same);
            var outIsChannelsLast = dn.Out[0] == 0 && dn.Out[1] == lhs.Rank - 1 && Enumerable.Range(0, spatial).All(d => dn.Out[d + 2] == d + 1);
            ChannelsFirst = outIsChannelsFirst || groups > 1;
            if (ChannelsFirst)
            {
                // out[n, g, og, p] = W[g][og, (i, k)] X[n, g][(i, k), p], batched over (n, g)
                var wBatch = new int[outN * groups];
                var xBatch = new int[outN * groups];
                for (var b = 0; b < outN; b++)
                    for (var g = 0; g < groups; g++)
                    {
                        wBatch[b * groups + g] = g * og * wsO;
                        xBatch[b * groups + g] = b * xsN + InputBase(g);
                    }
                Gemm = new MatMulKernel.Plan(new GemmOperand(wBatch, Steps(og, wsO), wColumns), new GemmOperand(xBatch, xColumns, positions));
                Direct = outIsChannelsFirst;
            }
            else
            {
                // out[(n, p), o] = X[(n, p), (i, k)] W[(i, k), o]
                Gemm = new MatMulKernel.Plan(new GemmOperand([0], Sum(Steps(outN, xsN), positions), xColumns), new GemmOperand([0], wColumns, Steps(og, wsO)));
                Direct = outIsChannelsLast;
            }
            if (!Direct)
            {
                Scatter = ChannelsFirst
                    ? Sum(Sum(Steps(outN, osN), Steps(o, osC)), outPositions)
                    : Sum(Sum(Steps(outN, osN), outPositions), Steps(o, osC));
            }
        }

        /// <summary>
        /// Whether the input is copied, padded and dilated, with its batch axis innermost ([C, padded spatial, N])
        /// by <see cref="Copy"/>; see <see cref="BatchInnermostPays"/>.
        /// </summary>
        public bool BatchInnermost { get; }

        /// <summary>
        /// The copy of the input into a padded buffer of <see cref="PaddedSize"/> elements by blocked transposes:
        /// with its batch axis innermost (<see cref="BatchInnermost"/>), or canonical (<see cref="Padded"/>) where
        /// the input's rows are not contiguous. Null: no copy, or the canonical one by rows and elements.
        /// </summary>
        public TransposeKernel? Copy { get; }

        /// <summary>Whether the input is padded or dilated, so that the buffer <see cref="Copy"/> writes is cleared first.</summary>
        public bool ClearsPadding { get; }

        /// <summary>Whether the input is copied to a padded, dilated canonical buffer first.</summary>
        public bool Padded { get; }

        /// <summary>The elements of one padded (n, c) plane.</summary>
        public int PlaneSize { get; }

        /// <summary>The elements of the padded copy.</summary>
        public long PaddedSize { get; }

        /// <summary>
        /// The length of an input row (the last spatial axis) when rows are copied whole into the
        /// padded plane: contiguous in the input, neither dilated nor cropped there. Else 0.
        /// </summary>
        public int RowLength { get; }

        /// <summary>The offset in the input of each (n, c) plane, in canonical order.</summary>
        public int[] Planes { get; } = [];

        /// <summary>The offset within an input plane of each spatial position, row-major.</summary>
        public int[] Sources { get; } = [];

        /// <summary>Where each spatial position of an input plane goes in the padded plane (-1: cropped).</summary>
        public int[] Targets { get; } = [];

        /// <summary>The product, as one wide product per group (null when a group has fewer than <see cref="MinProductRows"/> output features).</summary>
        public ConvProduct? Product { get; }

        /// <summary>The product, on views of the input and the kernel, when there is no <see cref="Product"/>.</summary>
        public MatMulKernel.Plan? Gemm { get; }

        /// <summary>Whether the product is [n, o, p] (else [(n, p), o]).</summary>
        public bool ChannelsFirst { get; }

        /// <summary>Whether the product's layout is the output's, so that it is written in place.</summary>
        public bool Direct { get; }

        /// <summary>The copy of the wide product, written row-major ([output feature, column]) when not <see cref="Direct"/>, into the output by blocked transposes.</summary>
        public TransposeKernel? WriteOutput { get; }

        /// <summary>Where each element of the batched product goes in the output, when not <see cref="Direct"/>.</summary>
        public int[] Scatter { get; } = [];

        /// <summary>The output's elements.</summary>
        public int OutputSize { get; }

        /// <summary>
        /// The copy of <paramref name="lhs"/> (read at <paramref name="lhsStrides"/>) whose axes, in the order
        /// <paramref name="axes"/>, go to <paramref name="targetStrides"/> (the last 1), from the low padding's
        /// offset in a buffer of spatial strides <paramref name="xs"/>.
        /// </summary>
        private static TransposeKernel PaddedCopy(Shape lhs, int[] lhsStrides, int[] axes, int[] targetStrides, int[] xs, ConvParams p) =>
            new(new Shape(axes.Select(a => lhs[a])), axes.Select(a => lhsStrides[a]).ToArray(), targetStrides,
                Enumerable.Range(0, xs.Length).Sum(d => p.PaddingLow[d] * xs[d]));

        /// <summary>Whether no padding is negative (nothing of the input is cropped).</summary>
        private static bool NotCropped(ConvParams p) => p.PaddingLow.All(low => low >= 0) && p.PaddingHigh.All(high => high >= 0);

        /// <summary>
        /// Whether the wide product reads the input from a copy with its batch axis innermost: the columns
        /// (batch entry, output position) are runs shorter than <see cref="ConvProduct.PanelLayout.MinTransposedRun"/>
        /// along the output's rows in the input as it lies (a kernel gradient's 3 x 3 window offsets),
        /// at least that many batch entries would be adjacent in the copy, whose padding is not negative
        /// and which is at most <paramref name="maxPaddedCopy"/> elements; and the input must be padded
        /// or its batch axis is not contiguous already (else it is read in place, in the same order).
        /// Packing then copies whole vectors per step in place of transposing short runs (docs/convolutions.md).
        /// </summary>
        private static bool BatchInnermostPays(Shape lhs, int[] lhsStrides, int outN, Shape outSpatial, int[] padded, bool needsPadding, ConvParams p, long maxPaddedCopy)
        {
            var (dn, last) = (p.DimensionNumbers, outSpatial.Rank - 1);
            var rowRuns = p.WindowStrides[last] == 1 && lhsStrides[dn.Lhs[last + 2]] == 1 ? outSpatial[last] : 1;
            var runs = ConvProduct.PanelLayout.MinTransposedRun;
            var size = padded.Aggregate((long)lhs[dn.Lhs[0]] * lhs[dn.Lhs[1]], (total, axis) => total * Math.Max(axis, 0));
            return rowRuns < runs && outN >= runs && (needsPadding || lhsStrides[dn.Lhs[0]] != 1) && size <= maxPaddedCopy
                && NotCropped(p) && TransposeKernel.Handles(lhs, lhsStrides);
        }

        private static int[] PaddedTargets(int[] input, int[] padded, int[] strides, ConvParams p)
        {
            var perAxis = input.Select((size, d) => Enumerable.Range(0, size).Select(k =>
            {
                var at = p.PaddingLow[d] + k * p.LhsDilation[d];
                return at >= 0 && at < padded[d] ? at * strides[d] : -1;
            }).ToArray()).ToArray();
            var targets = new[] { 0 };
            foreach (var axis in perAxis)
                targets = targets.SelectMany(t => axis.Select(a => t < 0 || a < 0 ? -1 : t + a)).ToArray();
            return targets;
        }
    }

    /// <summary>For each index of <paramref name="shape"/> (row-major), its coordinate on each axis d times scale(d) minus shift(d): [index · rank + d].</summary>
    private static int[] Coordinates(Shape shape, Func<int, int> scale, Func<int, int> shift)
    {
        var rank = shape.Rank;
        var result = new int[shape.Size * rank];
        for (var index = 0; index < shape.Size; index++)
            for (int d = rank - 1, rest = index; d >= 0; rest /= shape[d], d--)
                result[index * rank + d] = rest % shape[d] * scale(d) - shift(d);
        return result;
    }

    /// <summary>0, step, 2·step, ... (count entries).</summary>
    private static int[] Steps(int count, int step) => Enumerable.Range(0, count).Select(k => k * step).ToArray();

    /// <summary>Every outer[a] + inner[b], row-major in (a, b).</summary>
    private static int[] Sum(int[] outer, int[] inner)
    {
        var result = new int[outer.Length * inner.Length];
        for (var a = 0; a < outer.Length; a++)
            for (var b = 0; b < inner.Length; b++) result[a * inner.Length + b] = outer[a] + inner[b];
        return result;
    }

    /// <summary>
    /// Runs the convolution of <paramref name="lhs"/> with <paramref name="rhs"/> into <paramref name="output"/>,
    /// the wide product over at most <paramref name="cores"/> cores (0: every core the machine has).
    /// </summary>
    public static void Run(Plan plan, Array lhs, Array rhs, Array output, int cores = 0)
    {
        cores = cores > 0 ? cores : Environment.ProcessorCount;
        switch (output)
        {
            case float[] f: Run(plan, (float[])lhs, (float[])rhs, f, cores); break;
            case double[] d: Run(plan, (double[])lhs, (double[])rhs, d, cores); break;
            default: throw new NotSupportedException($"conv_general_dilated: no CPU kernel for {output.GetType().Name}; use float32 or float64");
        }
    }

    private static void Run<T>(Plan plan, T[] lhs, T[] rhs, T[] output, int cores) where T : unmanaged, INumber<T>
    {
        var input = plan.Copy is { } copy ? CopyPadded(plan, copy, lhs) : plan.Padded ? PadInput(plan, lhs) : lhs;
        try
        {
            if (plan.Product is not { } product) Multiply(plan, plan.Gemm!, input, rhs, output);
            else if (plan.Direct) product.Run(input, rhs, output, cores);
            else
            {
                var rows = ArrayPool<T>.Shared.Rent(plan.OutputSize);
                product.Run(input, rhs, rows, cores);
                plan.WriteOutput!.Copy(rows, output);
                ArrayPool<T>.Shared.Return(rows);
            }
        }
        finally
        {
            if (input != lhs) ArrayPool<T>.Shared.Return(input);
        }
    }

    private static void Multiply<T>(Plan plan, MatMulKernel.Plan gemm, T[] input, T[] rhs, T[] output) where T : unmanaged, INumber<T>
    {
        var product = plan.Direct ? output : new T[plan.OutputSize];
        if (plan.ChannelsFirst) MatMulKernel.Multiply(gemm, rhs, input, product);
        else MatMulKernel.Multiply(gemm, input, rhs, product);
        if (plan.Direct) return;
        var scatter = plan.Scatter;
        for (var k = 0; k < scatter.Length; k++) output[scatter[k]] = product[k];
    }

    /// <summary>The input, padded and dilated with zeros, by the blocked transposes of <see cref="Plan.Copy"/>, in a buffer rented from the shared pool (the caller returns it).</summary>
    private static T[] CopyPadded<T>(Plan plan, TransposeKernel copy, T[] lhs) where T : unmanaged, INumber<T>
    {
        var buffer = ArrayPool<T>.Shared.Rent(checked((int)plan.PaddedSize));
        if (plan.ClearsPadding) buffer.AsSpan(0, (int)plan.PaddedSize).Clear();
        copy.Copy(lhs, buffer);
        return buffer;
    }

    /// <summary>
    /// The input, padded and dilated with zeros, in a canonical [N, C, spatial] buffer rented from
    /// the shared pool (the caller returns it). Plane by plane: cleared, then filled by rows where
    /// <see cref="Plan.RowLength"/> allows, else element by element.
    /// </summary>
    private static T[] PadInput<T>(Plan plan, T[] lhs) where T : unmanaged, INumber<T>
    {
        var padded = ArrayPool<T>.Shared.Rent(checked((int)plan.PaddedSize));
        var (planes, sources, targets, size, row) = (plan.Planes, plan.Sources, plan.Targets, plan.PlaneSize, plan.RowLength);
        // fully optimised on first use, as the product's kernels (a first call of a convolution runs it once per plane)
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Copy(int plane)
        {
            var (from, to) = (planes[plane], plane * size);
            padded.AsSpan(to, size).Clear();
            if (row > 0)
            {
                for (var k = 0; k < sources.Length; k += row)
                    if (targets[k] >= 0) lhs.AsSpan(from + sources[k], row).CopyTo(padded.AsSpan(to + targets[k], row));
            }
            else
                for (var k = 0; k < sources.Length; k++)
                    if (targets[k] >= 0) padded[to + targets[k]] = lhs[from + sources[k]];
        }
        if (plan.PaddedSize >= ParallelCopy && Environment.ProcessorCount > 1) Parallel.For(0, planes.Length, Copy);
        else for (var plane = 0; plane < planes.Length; plane++) Copy(plane);
        return padded;
    }
}
