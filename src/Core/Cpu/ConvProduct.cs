using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using JaxSharp.Cpu.Gemm;

namespace JaxSharp.Cpu;

/// <summary>
/// The layout of a convolution as one product per group, <c>out[o, (b, p)] = W[o, (i, k)] X[(i, k), (b, p)]</c>:
/// rows are the group's output features, columns every (batch entry, output position), the contracted
/// axis (input feature, window offset). Offsets of X and of the output are sums of a term per column
/// and a term per step (X) or per row (output), so any layout of either is read and written in place.
/// The forward pass and the input gradient have columns (n, position); the kernel gradient has columns
/// (input feature, kernel offset) and a contracted axis (n, position), so all three are wide products.
/// </summary>
internal sealed class ConvProduct
{
    /// <summary>The most columns one task computes: its block of the output stays in L1 across the steps.</summary>
    private const int MaxTaskColumns = 128;

    private PanelLayout? _layout;

    /// <summary>Lays out the product; see the properties for the meaning of each table.</summary>
    public ConvProduct(GemmOperand weights, int[] inputGroups, int[] inputSteps, int[] inputColumns, int[] outputGroups, int outputRowStride, int[] outputColumns, ConvClip? clip)
    {
        (Weights, InputGroups, InputSteps, InputColumns) = (weights, inputGroups, inputSteps, inputColumns);
        (OutputGroups, OutputRowStride, OutputColumns, Clip) = (outputGroups, outputRowStride, outputColumns, clip);
        StepRuns = new int[inputSteps.Length];
        for (var t = inputSteps.Length - 1; t >= 0; t--)
            StepRuns[t] = t + 1 < inputSteps.Length && inputSteps[t + 1] == inputSteps[t] + 1 && OnOneWindowRow(t) ? StepRuns[t + 1] + 1 : 1;
    }

    /// <summary>
    /// For each step, the steps from it on that read adjacent input elements (read in place, on one
    /// window row too: the clip's coordinates also advance by one), so that a column's values for
    /// them are one contiguous run.
    /// </summary>
    public int[] StepRuns { get; }

    /// <summary>Whether step <paramref name="t"/> + 1 is the next window offset on step t's window row (always, without a clip).</summary>
    private bool OnOneWindowRow(int t)
    {
        if (Clip is not { } clip) return true;
        var (axes, window) = (clip.Sizes.Length, clip.WindowSize);
        if ((t + 1) % window == 0) return false;
        var k = t % window * axes;
        for (var d = 0; d < axes; d++)
            if (clip.WindowAt[k + axes + d] != clip.WindowAt[k + d] + (d == axes - 1 ? 1 : 0)) return false;
        return true;
    }

    /// <summary>Where the input is read in place though padded: the window rows to clip at its edges (null: every offset lies inside).</summary>
    public ConvClip? Clip { get; }

    /// <summary>The kernel: batch = groups, rows = output features of a group, columns = (input feature, window offset).</summary>
    public GemmOperand Weights { get; }

    /// <summary>The offset in the input of each group's data.</summary>
    public int[] InputGroups { get; }

    /// <summary>The offset in the input of each step (input feature, window offset).</summary>
    public int[] InputSteps { get; }

    /// <summary>The offset in the input of each column (batch entry, output position).</summary>
    public int[] InputColumns { get; }

    /// <summary>The offset in the output of each group's first row.</summary>
    public int[] OutputGroups { get; }

    /// <summary>The distance in the output between consecutive rows (output features).</summary>
    public int OutputRowStride { get; }

    /// <summary>The offset in the output of each column.</summary>
    public int[] OutputColumns { get; }

    /// <summary>The columns' panels for a micro-kernel <paramref name="width"/> columns wide (computed once).</summary>
    internal PanelLayout Layout(int width)
    {
        var layout = _layout;
        if (layout is null || layout.Width != width)
            _layout = layout = new PanelLayout(InputColumns, OutputColumns, width, Clip, StepRuns);
        return layout;
    }

    /// <summary>
    /// How each panel of <see cref="Width"/> columns is packed and written: the runs of adjacent
    /// input offsets among its columns (a window row at stride 1 is one run), whether runs are
    /// long enough to copy (else the panel is transposed along runs of steps where those are long,
    /// or gathered), and whether its output columns are adjacent (then the micro-kernel writes the
    /// output in place).
    /// </summary>
    internal sealed class PanelLayout
    {
        /// <summary>Splits the columns into panels of <paramref name="width"/>; with a <paramref name="clip"/>, runs also end at each output row's end; <paramref name="stepRuns"/> as <see cref="ConvProduct.StepRuns"/>.</summary>
        public PanelLayout(int[] inputColumns, int[] outputColumns, int width, ConvClip? clip, int[] stepRuns)
        {
            var (mayGather, rowLength) = (clip is null, clip?.RowLength ?? 0);
            Width = width;
            Panels = (inputColumns.Length + width - 1) / width;
            RunStart = new int[Panels + 1];
            OutputInPlace = new bool[Panels];
            var (lanes, offsets, lengths) = (new List<int>(), new List<int>(), new List<int>());
            for (var panel = 0; panel < Panels; panel++)
            {
                var first = panel * width;
                var count = Math.Min(width, inputColumns.Length - first);
                RunStart[panel] = lanes.Count;
                for (var lane = 0; lane < count;)
                {
                    var length = 1;
                    while (lane + length < count && inputColumns[first + lane + length] == inputColumns[first + lane] + length
                           && (rowLength == 0 || (first + lane + length) % rowLength != 0)) length++;
                    lanes.Add(lane);
                    offsets.Add(inputColumns[first + lane]);
                    lengths.Add(length);
                    lane += length;
                }
                var adjacent = count == width;
                for (var lane = 1; lane < count && adjacent; lane++) adjacent = outputColumns[first + lane] == outputColumns[first] + lane;
                OutputInPlace[panel] = adjacent;
            }
            RunStart[Panels] = lanes.Count;
            (RunLane, RunOffset, RunLength) = (lanes.ToArray(), offsets.ToArray(), lengths.ToArray());
            // runs shorter than 4 on average copy slower than an AVX2 gather of the panel
            var shortRuns = RunLane.Length * 4 > inputColumns.Length;
            Gathered = mayGather && shortRuns;
            // runs of steps 8 long on average fill a register transpose's blocks
            var stepRunCount = stepRuns.Where((_, t) => t == 0 || stepRuns[t - 1] == 1).Count();
            Transposed = shortRuns && stepRunCount * MinTransposedRun <= stepRuns.Length;
            _clip = clip;
        }

        private readonly ConvClip? _clip;
        private RunExtents? _extents;

        /// <summary>The runs' extents inside a padded input read in place (computed on first use; only with a clip).</summary>
        public RunExtents Extents => _extents ??= ComputeExtents(_clip!); // tasks racing here compute equal tables

        /// <summary>The clipped extents of every run for every window offset (the window row lies outside on another axis: empty).</summary>
        private RunExtents ComputeExtents(ConvClip clip)
        {
            var (axes, last, window, sizes) = (clip.Sizes.Length, clip.Sizes.Length - 1, clip.WindowSize, clip.Sizes);
            var (lows, highs, whole) = (new int[RunLane.Length * window], new int[RunLane.Length * window], new bool[RunLane.Length]);
            for (var panel = 0; panel < Panels; panel++)
                for (var run = RunStart[panel]; run < RunStart[panel + 1]; run++)
                {
                    var (position, length) = ((panel * Width + RunLane[run]) % clip.Positions * axes, RunLength[run]);
                    whole[run] = true;
                    for (var k = 0; k < window; k++)
                    {
                        var inside = true;
                        for (var d = 0; d < last && inside; d++)
                        {
                            var at = clip.PositionAt[position + d] + clip.WindowAt[k * axes + d];
                            inside = at >= 0 && at < sizes[d];
                        }
                        var first = clip.PositionAt[position + last] + clip.WindowAt[k * axes + last];
                        var (low, high) = inside ? (Math.Max(0, -first), Math.Min(length, sizes[last] - first)) : (0, 0);
                        (lows[run * window + k], highs[run * window + k]) = low < high ? (low, high) : (0, 0);
                        whole[run] &= low == 0 && high == length;
                    }
                }
            return new RunExtents(lows, highs, whole);
        }

        /// <summary>The average length of the steps' runs from which panels of short column runs are packed by register transposes.</summary>
        public const int MinTransposedRun = 8;

        /// <summary>Whether panels are packed along runs of steps by register transposes (<c>PackTransposed</c>): their columns' runs are short, the steps' long.</summary>
        public bool Transposed { get; }

        /// <summary>The columns per panel (the micro-kernel's).</summary>
        public int Width { get; }

        /// <summary>The panels, the last one possibly partial.</summary>
        public int Panels { get; }

        /// <summary>Where each panel's runs start in the run tables (one more entry: the end).</summary>
        public int[] RunStart { get; }

        /// <summary>The first lane (column within its panel) of each run.</summary>
        public int[] RunLane { get; }

        /// <summary>The input offset of each run's first column.</summary>
        public int[] RunOffset { get; }

        /// <summary>The columns of each run.</summary>
        public int[] RunLength { get; }

        /// <summary>Whether panels are gathered column by column rather than copied run by run.</summary>
        public bool Gathered { get; }

        /// <summary>Whether each panel is full and its output columns adjacent.</summary>
        public bool[] OutputInPlace { get; }
    }

    /// <summary>
    /// Runs the product of the (padded) input <paramref name="input"/> and the kernel <paramref name="weights"/>
    /// into <paramref name="output"/>, on the micro-kernel whose tiles waste the fewest rows, over at most
    /// <paramref name="cores"/> cores (the tests pass more than the machine has, to run the split paths).
    /// </summary>
    public void Run<T>(T[] input, T[] weights, T[] output, int cores) where T : unmanaged, INumber<T>
    {
        if (Vector512.IsHardwareAccelerated && Vector512WideKernel<T>.FitsBetter(Weights.Rows.Length)) ConvProduct<T, Vector512WideKernel<T>>.Run(this, input, weights, output, cores);
        else if (Vector512.IsHardwareAccelerated) ConvProduct<T, Vector512Kernel<T>>.Run(this, input, weights, output, cores);
        else if (Vector256.IsHardwareAccelerated) ConvProduct<T, Vector256Kernel<T>>.Run(this, input, weights, output, cores);
        else ConvProduct<T, ScalarKernel<T>>.Run(this, input, weights, output, cores);
    }

    /// <summary>How many columns each task takes: about 128, with the task count a multiple of <paramref name="workers"/>.</summary>
    internal static int PanelsPerTask(int panels, int width, int workers)
    {
        var most = Math.Max(1, MaxTaskColumns / width);
        var tasks = (panels + most - 1) / most;
        tasks = (tasks + workers - 1) / workers * workers;
        return Math.Max(1, (panels + tasks - 1) / tasks);
    }
}

/// <summary>
/// The blocked driver of <see cref="ConvProduct"/> for one micro-kernel: the kernel is packed once per
/// call (all groups, in steps of at most <see cref="MaxDepth"/>); tasks of about 128 columns run on
/// all cores, and for each step a task packs each of its panels of X straight from the input (a
/// window row at stride 1 is a contiguous run; panels of short runs are transposed along long runs
/// of steps, see <c>ConvProduct.Transposed.cs</c>, or gathered) into L1 and sweeps the
/// whole packed kernel of that step (in L2) past it.
/// </summary>
internal static partial class ConvProduct<T, TKernel> where T : unmanaged, INumber<T> where TKernel : IMicroKernel<T>
{
    /// <summary>The deepest step: a packed panel of X (depth x columns) fills at most half of L1.</summary>
    private static readonly int MaxDepth = Math.Clamp(CacheSizes.L1Data / 2 / (TKernel.Columns * Unsafe.SizeOf<T>()) / 8 * 8, 64, 512);

    /// <summary>The multiply-adds from which the product is spread over cores.</summary>
    private const long ParallelWork = 1 << 20;

    /// <summary>The steps per column from which the steps, not the columns, are split across cores.</summary>
    private const int SplitDepth = 4;

    /// <summary>See <see cref="ConvProduct.Run{T}(T[], T[], T[], int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ConvProduct plan, T[] input, T[] weights, T[] output, int cores)
    {
        var (mr, nr) = (TKernel.Rows, TKernel.Columns);
        var w = plan.Weights;
        var (groups, m, k, n) = (w.Batch.Length, w.Rows.Length, w.Columns.Length, plan.InputColumns.Length);
        if (groups == 0 || m == 0 || n == 0) return;
        if (k == 0)
        {
            output.AsSpan().Clear();
            return;
        }
        var steps = (k + MaxDepth - 1) / MaxDepth;
        var depth = (k + steps - 1) / steps;
        var tiles = (m + mr - 1) / mr;
        var groupSize = tiles * mr * k;
        var layout = plan.Layout(nr);
        var workers = (long)groups * m * n * k >= ParallelWork ? cores : 1;
        using var packedWeights = PackBuffer<T>.Rent(groups * groupSize);
        var packedA = packedWeights;

        // the kernel, step s of group g at g·groupSize + s·depth·tiles·mr, its tiles one after another
        void PackWeights(int task)
        {
            var (g, s) = (task / steps, task % steps);
            var kc = Math.Min(depth, k - s * depth);
            Packing.Pack(weights, w.Batch[g], w.Rows, w.RowsContiguous, w.Columns.AsSpan(s * depth, kc), mr,
                packedA.Span.Slice(g * groupSize + s * depth * tiles * mr, tiles * mr * kc));
        }
        if (workers > 1 && groups * steps > 1) Parallel.For(0, groups * steps, PackWeights);
        else for (var task = 0; task < groups * steps; task++) PackWeights(task);

        // a long contraction into few columns (a kernel gradient's): each core takes a range of the steps
        // for every column, into its own copy of the output, so that the input is read once in all
        // rather than once per block of columns; the copies are added at the end
        var parts = workers > 1 && k >= SplitDepth * n ? Math.Min(workers, steps) : 1;
        var perTask = parts > 1 ? layout.Panels : ConvProduct.PanelsPerTask(layout.Panels, nr, workers);
        var columnTasks = (layout.Panels + perTask - 1) / perTask;
        var tasksPerGroup = columnTasks * parts;
        var partials = new T[parts - 1][];
        for (var part = 1; part < parts; part++) partials[part - 1] = ArrayPool<T>.Shared.Rent(output.Length);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Columns(int task)
        {
            var g = task / tasksPerGroup;
            var part = task % tasksPerGroup / columnTasks;
            var firstPanel = task % columnTasks * perTask;
            var lastPanel = Math.Min(layout.Panels, firstPanel + perTask);
            var (firstStep, lastStep) = (part * steps / parts, (part + 1) * steps / parts);
            var target = part == 0 ? output : partials[part - 1];
            using var packedPanel = PackBuffer<T>.Rent(depth * nr);
            Span<T> scratch = stackalloc T[mr * nr];
            var b = packedPanel.Span;
            ref var a = ref MemoryMarshal.GetReference(packedA.Span.Slice(g * groupSize));
            var (inputBase, outputBase) = (plan.InputGroups[g], plan.OutputGroups[g]);
            for (var s = firstStep; s < lastStep; s++)
            {
                var kc = Math.Min(depth, k - s * depth);
                var accumulate = s > firstStep;
                var stepSteps = plan.InputSteps.AsSpan(s * depth, kc);
                ref var aStep = ref Unsafe.Add(ref a, s * depth * tiles * mr);
                for (var panel = firstPanel; panel < lastPanel; panel++)
                {
                    var packed = layout.Transposed && PackTransposed(input, inputBase, stepSteps, s * depth, plan, panel, b);
                    if (!packed && plan.Clip is { } clip) PackClipped(input, inputBase, stepSteps, s * depth, clip, layout, panel, plan.InputColumns.Length, b);
                    else if (!packed) PackPanel(input, inputBase, stepSteps, layout, panel, plan.InputColumns, b);
                    var first = panel * nr;
                    var columns = Math.Min(nr, n - first);
                    for (var t = 0; t < tiles; t++)
                    {
                        var rows = Math.Min(mr, m - t * mr);
                        ref var aPanel = ref Unsafe.Add(ref aStep, t * mr * kc);
                        if (rows == mr && layout.OutputInPlace[panel])
                        {
                            ref var tile = ref target[outputBase + t * mr * plan.OutputRowStride + plan.OutputColumns[first]];
                            TKernel.Multiply(kc, ref aPanel, ref MemoryMarshal.GetReference(b), ref tile, plan.OutputRowStride, accumulate);
                        }
                        else
                        {
                            TKernel.Multiply(kc, ref aPanel, ref MemoryMarshal.GetReference(b), ref MemoryMarshal.GetReference(scratch), nr, false);
                            if (layout.OutputInPlace[panel]) WriteRows(scratch, rows, target, outputBase + t * mr * plan.OutputRowStride + plan.OutputColumns[first], plan.OutputRowStride, accumulate);
                            else Scatter(scratch, rows, plan.OutputColumns.AsSpan(first, columns), target, outputBase + t * mr * plan.OutputRowStride, plan.OutputRowStride, accumulate);
                        }
                    }
                }
            }
        }
        var tasks = groups * tasksPerGroup;
        if (workers > 1 && tasks > 1) Parallel.For(0, tasks, Columns);
        else for (var task = 0; task < tasks; task++) Columns(task);
        foreach (var partial in partials)
        {
            for (var g = 0; g < groups; g++)
                for (var row = 0; row < m; row++)
                {
                    var origin = plan.OutputGroups[g] + row * plan.OutputRowStride;
                    foreach (var column in plan.OutputColumns) output[origin + column] += partial[origin + column];
                }
            ArrayPool<T>.Shared.Return(partial);
        }
    }

    /// <summary>Writes (or adds) the top <paramref name="rows"/> of a scratch tile (a partial tile) to a full panel of adjacent output columns from <paramref name="origin"/>, by vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRows(Span<T> scratch, int rows, T[] output, int origin, int rowStride, bool accumulate)
    {
        var nr = TKernel.Columns;
        for (var r = 0; r < rows; r++)
        {
            var from = scratch.Slice(r * nr, nr);
            var to = output.AsSpan(origin + r * rowStride, nr);
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; i + Vector256<T>.Count <= nr; i += Vector256<T>.Count)
                {
                    var values = Vector256.Create<T>(from.Slice(i));
                    (accumulate ? values + Vector256.Create<T>(to.Slice(i)) : values).CopyTo(to.Slice(i));
                }
            for (; i < nr; i++) to[i] = accumulate ? to[i] + from[i] : from[i];
        }
    }

    /// <summary>Writes (or adds) the top <paramref name="rows"/> of a scratch tile to the output's columns (fully optimised on first use, as the loop that calls it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(Span<T> scratch, int rows, ReadOnlySpan<int> columns, T[] output, int origin, int rowStride, bool accumulate)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = origin + r * rowStride;
            var values = scratch.Slice(r * TKernel.Columns, columns.Length);
            if (accumulate) for (var j = 0; j < columns.Length; j++) output[row + columns[j]] += values[j];
            else for (var j = 0; j < columns.Length; j++) output[row + columns[j]] = values[j];
        }
    }

    /// <summary>Packs one panel of X (the steps of <paramref name="steps"/>, <see cref="IMicroKernel{T}.Columns"/> values each, zeros past the last column).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel(T[] input, int origin, ReadOnlySpan<int> steps, ConvProduct.PanelLayout layout, int panel, int[] columns, Span<T> destination)
    {
        var nr = TKernel.Columns;
        var first = panel * nr;
        var count = Math.Min(nr, columns.Length - first);
        if (count < nr)
            for (var p = 0; p < steps.Length; p++) destination.Slice(p * nr + count, nr - count).Clear();
        if (layout.Gathered && count == nr && Gather(input, origin, steps, columns.AsSpan(first, nr), destination)) return;
        ref var to = ref MemoryMarshal.GetReference(destination);
        ref var from = ref MemoryMarshal.GetArrayDataReference(input);
        for (var run = layout.RunStart[panel]; run < layout.RunStart[panel + 1]; run++)
        {
            var (lane, length) = (layout.RunLane[run], layout.RunLength[run]);
            ref var start = ref Unsafe.Add(ref from, origin + layout.RunOffset[run]);
            if (length == nr)
                for (var p = 0; p < steps.Length; p++) CopyFull(ref Unsafe.Add(ref start, steps[p]), ref Unsafe.Add(ref to, p * nr));
            else
                for (var p = 0; p < steps.Length; p++) Copy(ref Unsafe.Add(ref start, steps[p]), ref Unsafe.Add(ref to, p * nr + lane), length);
        }
    }

    /// <summary>
    /// Packs one panel of X from an input read in place though padded (<see cref="ConvClip"/>): for each
    /// run, the extent inside the input of each window offset the steps read (<see cref="ConvProduct.PanelLayout.Extents"/>,
    /// computed once per plan); runs inside for every offset are copied whole, the others clipped
    /// step by step (<see cref="MaskedCopy"/>, else a copy between zeros).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackClipped(T[] input, int origin, ReadOnlySpan<int> steps, int firstStep, ConvClip clip, ConvProduct.PanelLayout layout, int panel, int columns, Span<T> destination)
    {
        var nr = TKernel.Columns;
        var count = Math.Min(nr, columns - panel * nr);
        if (count < nr)
            for (var p = 0; p < steps.Length; p++) destination.Slice(p * nr + count, nr - count).Clear();
        var (window, extents) = (clip.WindowSize, layout.Extents);
        ref var to = ref MemoryMarshal.GetReference(destination);
        ref var from = ref MemoryMarshal.GetArrayDataReference(input);
        var firstOffset = firstStep % window;
        for (var run = layout.RunStart[panel]; run < layout.RunStart[panel + 1]; run++)
        {
            var (lane, length) = (layout.RunLane[run], layout.RunLength[run]);
            var start = origin + layout.RunOffset[run]; // may lie outside the input: only the clipped elements are read
            if (extents.Whole[run] && length == nr)
            {
                for (var p = 0; p < steps.Length; p++) CopyFull(ref Unsafe.Add(ref from, start + steps[p]), ref Unsafe.Add(ref to, p * nr));
                continue;
            }
            // the run's extent for each window offset, indexed by the offset
            var lows = extents.Low.AsSpan(run * window, window);
            var highs = extents.High.AsSpan(run * window, window);
            if (MaskedCopy(input, start, steps, firstOffset, lows, highs, length, destination.Slice(lane))) continue;
            for (int p = 0, j = firstOffset; p < steps.Length; p++, j = j + 1 == window ? 0 : j + 1)
            {
                var (low, high) = (lows[j], highs[j]);
                ref var row = ref Unsafe.Add(ref to, p * nr + lane);
                if (low == 0 && high == length)
                {
                    Copy(ref Unsafe.Add(ref from, start + steps[p]), ref row, length);
                    continue;
                }
                MemoryMarshal.CreateSpan(ref row, length).Clear();
                if (low < high) Copy(ref Unsafe.Add(ref from, start + steps[p] + low), ref Unsafe.Add(ref row, low), high - low);
            }
        }
    }

    /// <summary>
    /// The clipped copy of one run by AVX masked loads, which read nothing (and fault nowhere) outside
    /// [low, high) and give zeros there: for each step and each vector of the run, one load (masked
    /// where the vector reaches outside the extent) and one store (masked where it reaches past the run). False (nothing written) without AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool MaskedCopy(T[] input, int start, ReadOnlySpan<int> steps, int firstOffset, ReadOnlySpan<int> lows, ReadOnlySpan<int> highs, int length, Span<T> destination)
    {
        if (!Avx.IsSupported || (typeof(T) != typeof(float) && typeof(T) != typeof(double))) return false;
        var (nr, lanes) = (TKernel.Columns, Vector256<T>.Count);
        var offsets = lows.Length;
        fixed (T* from = input)
        fixed (T* to = destination)
        {
            for (int p = 0, j = firstOffset; p < steps.Length; p++, j = j + 1 == offsets ? 0 : j + 1)
            {
                var (low, high) = (lows[j], highs[j]);
                var source = from + (nint)start + steps[p]; // an address only: masked-out lanes are not read
                var row = to + p * nr;
                for (var c = 0; c < length; c += lanes)
                {
                    // most steps of a clipped run read a whole vector inside the input: a plain load
                    var inside = low <= c && c + lanes <= high;
                    if (typeof(T) == typeof(float))
                    {
                        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create(c);
                        var values = inside ? Avx.LoadVector256((float*)source + c)
                            : Avx.MaskLoad((float*)source + c, (Vector256.GreaterThanOrEqual(index, Vector256.Create(low)) & Vector256.LessThan(index, Vector256.Create(high))).AsSingle());
                        if (c + lanes <= length) values.Store((float*)row + c);
                        else Avx.MaskStore((float*)row + c, Vector256.LessThan(index, Vector256.Create(length)).AsSingle(), values);
                    }
                    else
                    {
                        var index = Vector256.Create(0L, 1, 2, 3) + Vector256.Create((long)c);
                        var values = inside ? Avx.LoadVector256((double*)source + c)
                            : Avx.MaskLoad((double*)source + c, (Vector256.GreaterThanOrEqual(index, Vector256.Create((long)low)) & Vector256.LessThan(index, Vector256.Create((long)high))).AsDouble());
                        if (c + lanes <= length) values.Store((double*)row + c);
                        else Avx.MaskStore((double*)row + c, Vector256.LessThan(index, Vector256.Create((long)length)).AsDouble(), values);
                    }
                }
            }
        }
        return true;
    }

    /// <summary>Copies one full panel row (<see cref="IMicroKernel{T}.Columns"/> values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyFull(ref T from, ref T to)
    {
        if (Vector256.IsHardwareAccelerated && TKernel.Columns % Vector256<T>.Count == 0)
            for (var i = 0; i < TKernel.Columns; i += Vector256<T>.Count)
                Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        else Copy(ref from, ref to, TKernel.Columns);
    }

    /// <summary>Copies <paramref name="length"/> values by the widest accelerated vectors that fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref T from, ref T to, int length)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= length; i += Vector256<T>.Count)
                Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        if (Vector128.IsHardwareAccelerated)
            for (; i + Vector128<T>.Count <= length; i += Vector128<T>.Count)
                Vector128.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        for (; i < length; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
    }

    /// <summary>A full panel by AVX2 gathers (one per vector of columns and step); false (nothing written) where they do not apply.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe bool Gather(T[] input, int origin, ReadOnlySpan<int> steps, ReadOnlySpan<int> columns, Span<T> destination)
    {
        var nr = TKernel.Columns;
        if (!Avx2.IsSupported) return false;
        fixed (T* s = input)
        fixed (T* d = destination)
        fixed (int* column = columns)
        fixed (int* step = steps)
        {
            if (typeof(T) == typeof(float) && nr % 8 == 0)
            {
                var src = (float*)s + origin;
                for (var g = 0; g < nr; g += 8)
                {
                    var index = Vector256.Load(column + g);
                    for (var p = 0; p < steps.Length; p++) Avx2.GatherVector256(src + step[p], index, 4).Store((float*)d + p * nr + g);
                }
                return true;
            }
            if (typeof(T) == typeof(double) && nr % 4 == 0)
            {
                var src = (double*)s + origin;
                for (var g = 0; g < nr; g += 4)
                {
                    var index = Vector128.Load(column + g);
                    for (var p = 0; p < steps.Length; p++) Avx2.GatherVector256(src + step[p], index, 8).Store((double*)d + p * nr + g);
                }
                return true;
            }
        }
        return false;
    }
}

/// <summary>
/// The geometry of a padded input read in place: the input's spatial sizes, and each window offset's and
/// output position's coordinate on each axis (k·rhs dilation, p·stride - low padding), so that input
/// coordinate = position + window offset, inside when within the sizes. Only for a stride of 1 along the
/// last axis and no input dilation: a run of adjacent positions then reads adjacent input elements.
/// </summary>
/// <param name="Sizes">The input's spatial sizes.</param>
/// <param name="WindowAt">[k · axes + d]: window offset k's coordinate on axis d.</param>
/// <param name="PositionAt">[p · axes + d]: output position p's coordinate on axis d.</param>
/// <param name="RowLength">The output's positions along the last axis: runs of columns end at each row's end.</param>
internal sealed record ConvClip(int[] Sizes, int[] WindowAt, int[] PositionAt, int RowLength)
{
    /// <summary>The window's offsets.</summary>
    public int WindowSize { get; } = WindowAt.Length / Sizes.Length;

    /// <summary>The output's spatial positions.</summary>
    public int Positions { get; } = PositionAt.Length / Sizes.Length;
}

/// <summary>For each run of a panel layout and window offset k, at [run · window + k], the extent [low, high) of the run inside the input (empty: (0, 0)); and whether each run lies whole inside for every offset.</summary>
/// <param name="Low">The first column of each extent, relative to the run.</param>
/// <param name="High">The column past each extent's last.</param>
/// <param name="Whole">[run]: inside for every window offset.</param>
internal sealed record RunExtents(int[] Low, int[] High, bool[] Whole);
