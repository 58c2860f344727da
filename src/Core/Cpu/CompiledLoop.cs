using System.Linq.Expressions;

namespace JaxSharp.Cpu;

/// <summary>
/// A fused loop compiled to a delegate, with its plan for running on several cores: a loop of
/// enough work is split into contiguous chunks, one per core, by rows or by columns (aligned
/// to the vector lanes) where chunks write disjoint outputs; a reduction to one element sums
/// per-chunk partial results (when it is the loop's only reduction); an elementwise loop that
/// also sums columns (<see cref="LoopSideOutput.ReductionStrides"/>) splits by rows, each chunk
/// summing into partial sums of its own. Smaller loops run on the calling thread. A loop that
/// reads a leaf across its rows (a fused transpose: an inner stride other than 0 or 1) runs in
/// tiles of <see cref="TileRows"/> rows by <see cref="TileColumns"/> columns, so that the lines
/// of that leaf it reads for one row are still in L1 for the next; a loop that only copies such
/// a read (a transpose written to memory) runs as a <see cref="TransposeKernel"/> instead, in
/// blocks transposed in registers.
/// </summary>
internal sealed partial class CompiledLoop
{
    /// <summary>
    /// The domain size from which a loop is split across cores. Measured on 2 cores: a float32
    /// add of 16K elements took 10 µs on one core and 20 µs split; at 32K, 120 µs and 70 µs.
    /// </summary>
    public const int ParallelElements = 1 << 15;

    /// <summary>The rows of a tile of a loop with a strided leaf: one 64-byte line of 4-byte elements.</summary>
    public const int TileRows = 16;

    /// <summary>The columns of a tile of a loop with a strided leaf: 128 lines of the leaf (8 KiB) stay in L1 across the tile's rows.</summary>
    public const int TileColumns = 128;

    private enum Split { None, Rows, Columns, Partials, RowsWithColumnSums }

    private LoopKernel? _kernel;
    private readonly Action<Array[], Array>? _copy;
    private readonly int _copySlot;
    private readonly bool _tiled;
    private readonly Split _split;
    private readonly int _chunks;
    private readonly Action<Array, Array>? _combinePartials;
    private readonly (int Slot, object Identity)[] _sideReductions;
    private readonly (int Slot, object Identity, Action<Array, Array> Combine)[] _columnSums;

    // Empty arrays allocated once, not Array.Empty or LINQ over these tuples: their instantiations
    // are JIT-compiled in every process's first jit, and most loops have neither.
    private static readonly (int Slot, object Identity)[] s_noSideReductions = new (int, object)[0];
    private static readonly (int Slot, object Identity, Action<Array, Array> Combine)[] s_noColumnSums = new (int, object, Action<Array, Array>)[0];

    public CompiledLoop(FusedLoop loop, Func<Expression, int> slotOf, Func<Expression, string> nameOf)
    {
        Loop = loop;
        (Lambda, Lanes) = LoopCompiler.Build(loop, slotOf, nameOf);
        if (CopyOf(loop) is { } copy)
        {
            (_copy, _copySlot) = (new TransposeKernel(new Shape(loop.Domain), copy.Strides).ToAction(), slotOf(copy.Atom));
            IsCopy = true;
        }
        else (_kernel, _runs) = (Lambda.Compile(), PrecompiledTrig.IsCalledBy(Lambda) ? 0 : -1);
        _tiled = loop.Rows > 1 && loop.Leaves.Any(l => l.Strides[^1] is not (0 or 1));
        _chunks = Environment.ProcessorCount;
        _split = _chunks < 2 || (long)loop.Rows * loop.Columns < ParallelElements ? Split.None : SplitOf(loop, _chunks);
        _sideReductions = loop.SideOutputs.Length == 0 ? s_noSideReductions : loop.SideOutputs.Where(s => s.Reduction is not null).Select(s => (slotOf(s.Variable), s.Reduction!.Identity)).ToArray();
        if (_split == Split.Partials) _combinePartials = CombinePartials(loop.Reduction!, loop.Output.DType.ClrType(), _chunks);
        _columnSums = _split != Split.RowsWithColumnSums ? s_noColumnSums : loop.SideOutputs.Where(s => s.ReductionStrides is not null)
            .Select(s => (slotOf(s.Variable), s.Reduction!.Identity, CombineColumns(s.Reduction!, loop.Output.DType.ClrType()))).ToArray();
    }

    public FusedLoop Loop { get; }

    /// <summary>The kernel's expression tree (for <c>Jax.Lower</c>).</summary>
    public Expression<LoopKernel> Lambda { get; }

    /// <summary>The vector lanes of the inner loop; 0 when it runs one element at a time.</summary>
    public int Lanes { get; }

    /// <summary>Whether the loop runs on several cores.</summary>
    public bool IsParallel => _split != Split.None;

    /// <summary>Whether the loop only copies a permuted read, run by a <see cref="TransposeKernel"/> rather than <see cref="Lambda"/>.</summary>
    public bool IsCopy { get; }

    /// <summary>The leaf of a loop that stores it, unchanged, read across rows (not for a scalar constant); null for any other loop.</summary>
    private static LoopLeaf? CopyOf(FusedLoop loop)
    {
        if (loop.Reduction is not null || loop.SideOutputs.Length != 0 || loop.Nodes.Length != 0 || loop.Result.Leaf < 0) return null;
        var leaf = loop.Leaves[loop.Result.Leaf];
        var copies = leaf.Atom is not System.Linq.Expressions.ConstantExpression { Value: Tensor { Size: 1 } } && leaf.Aval.DType == loop.Output.DType
            && leaf.Strides[^1] is not (0 or 1) && TransposeKernel.Handles(new Shape(loop.Domain), leaf.Strides);
        return copies ? leaf : null;
    }

    private static Split SplitOf(FusedLoop loop, int chunks)
    {
        // column sums stored beside an elementwise result: by rows, each chunk summing into its own
        // partial sums (added up after), as a split by columns made each core stream half rows
        if (loop.SideOutputs.Any(s => s.ReductionStrides is not null))
            return loop.Rows >= 2 * chunks ? Split.RowsWithColumnSums
                : loop.SideOutputs.All(s => s.ReductionStrides is null || s.ReductionStrides[^1] != 0) ? Split.Columns : Split.None;
        if (loop.Reduction is null) return loop.Rows >= 2 * chunks ? Split.Rows : Split.Columns;
        if (loop.OutputStrides[^1] != 0) return Split.Columns;
        if (loop.Rows == 1) return loop.SideOutputs.Length == 0 ? Split.Partials : Split.None;
        return loop.OutputStrides[..^1].All(s => s != 0) && loop.Rows >= chunks ? Split.Rows : Split.None;
    }

    /// <summary>Runs the loop over buffers <paramref name="slots"/> into <paramref name="dest"/>.</summary>
    public void Run(Array[] slots, Array dest)
    {
        var (rows, cols) = (Loop.Rows, Loop.Columns);
        if (Loop.Reduction is { } reduction) Fill(dest, reduction.Identity, Loop.Output.Shape.Size);
        // A side output's pooled buffer may be longer than its value: filling all of it is harmless.
        foreach (var (slot, identity) in _sideReductions) Fill(slots[slot], identity, slots[slot].Length);
        if (rows == 0 || cols == 0) return;
        CountRun();
        if (_copy is not null)
        {
            _copy([slots[_copySlot]], dest);
            return;
        }
        switch (_split)
        {
            case Split.None:
                Kernel(slots, dest, 0, rows, 0, cols, 0);
                break;
            case Split.Rows:
                ForkJoin.Run(_chunks, c => Kernel(slots, dest, Chunk(rows, c, 1), Chunk(rows, c + 1, 1), 0, cols, 0));
                break;
            case Split.Columns:
                ForkJoin.Run(_chunks, c => Kernel(slots, dest, 0, rows, Chunk(cols, c, Align), Chunk(cols, c + 1, Align), 0));
                break;
            case Split.RowsWithColumnSums:
                RunWithColumnSums(slots, dest, rows, cols);
                break;
            case Split.Partials:
                var partials = BufferPool.Rent(Loop.Output.DType, _chunks);
                Fill(partials, Loop.Reduction!.Identity, _chunks);
                ForkJoin.Run(_chunks, c => Kernel(slots, partials, 0, 1, Chunk(cols, c, Align), Chunk(cols, c + 1, Align), c));
                _combinePartials!(partials, dest);
                BufferPool.Return(partials);
                break;
        }
    }

    /// <summary>
    /// Runs rows [<paramref name="rowLo"/>, <paramref name="rowHi"/>) by columns
    /// [<paramref name="colLo"/>, <paramref name="colHi"/>) of an elementwise loop without
    /// reductions on the calling thread: a part of <see cref="Run"/>, computing each element as it does
    /// (a product's epilogue, run block by block as the product finishes them).
    /// </summary>
    public void RunPart(Array[] slots, Array dest, int rowLo, int rowHi, int colLo, int colHi)
    {
        if (_copy is not null || Loop.Reduction is not null || _sideReductions.Length != 0)
            throw new InvalidOperationException("fusion: only an elementwise loop without reductions runs in parts");
        // the part at the origin comes once per run of the whole, so it counts that run (for the inlined form's swap)
        if (rowLo == 0 && colLo == 0) CountRun();
        Kernel(slots, dest, rowLo, rowHi, colLo, colHi, 0);
    }

    /// <summary>
    /// Rows split across cores; chunk 0 sums columns into the side outputs' buffers, each other
    /// chunk into partial sums of its own (pooled, at the identity), combined into them after.
    /// </summary>
    private void RunWithColumnSums(Array[] slots, Array dest, int rows, int cols)
    {
        var chunkSlots = new Array[_chunks][];
        chunkSlots[0] = slots;
        for (var c = 1; c < _chunks; c++)
        {
            chunkSlots[c] = (Array[])slots.Clone();
            foreach (var (slot, identity, _) in _columnSums)
            {
                var partial = BufferPool.Rent(Loop.Output.DType, slots[slot].Length);
                Fill(partial, identity, partial.Length);
                chunkSlots[c][slot] = partial;
            }
        }
        ForkJoin.Run(_chunks, c => Kernel(chunkSlots[c], dest, Chunk(rows, c, 1), Chunk(rows, c + 1, 1), 0, cols, 0));
        for (var c = 1; c < _chunks; c++)
            foreach (var (slot, _, combine) in _columnSums)
            {
                combine(chunkSlots[c][slot], slots[slot]);
                BufferPool.Return(chunkSlots[c][slot]);
            }
    }

    /// <summary>The kernel over rows [r0, r1) and columns [c0, c1): in one call, or tile by tile for a loop with a strided leaf.</summary>
    private void Kernel(Array[] slots, Array dest, int r0, int r1, int c0, int c1, int destBase)
    {
        if (!_tiled)
        {
            _kernel!(slots, dest, r0, r1, c0, c1, destBase);
            return;
        }
        for (var r = r0; r < r1; r += TileRows)
            for (var c = c0; c < c1; c += TileColumns)
                _kernel!(slots, dest, r, Math.Min(r1, r + TileRows), c, Math.Min(c1, c + TileColumns), destBase);
    }

    private int Align => Math.Max(Lanes, 1) * 4;

    /// <summary>The start of chunk <paramref name="c"/> of <paramref name="count"/> items, a multiple of <paramref name="align"/>.</summary>
    private int Chunk(int count, int c, int align) =>
        c >= _chunks ? count : Math.Min(count, (int)((long)count * c / _chunks / align * align));

    /// <summary>Sets the first <paramref name="count"/> elements (a pooled buffer may be longer).</summary>
    private static void Fill(Array buffer, object value, int count)
    {
        switch (buffer)
        {
            case float[] f: FillFirst(f, (float)value, count); break;
            case double[] d: FillFirst(d, (double)value, count); break;
            case uint[] u when value is uint w: FillFirst(u, w, count); break;
            case int[] i: FillFirst(i, (int)value, count); break;
            default: throw new NotSupportedException($"fusion: no reduction into {buffer.GetType().Name}");
        }
    }

    // a loop, not Array.Fill, whose instantiations over float and double every process would JIT-compile
    // (this one, unconstrained, is precompiled with the library for each element type)
    private static void FillFirst<T>(T[] buffer, T value, int count)
    {
        for (var k = 0; k < count; k++) buffer[k] = value;
    }

    /// <summary>dest[i] = combine(dest[i], partial[i]) for every element of dest (a pooled buffer's spare elements hold the identity in both).</summary>
    private static Action<Array, Array> CombineColumns(ReductionLowering reduction, Type element)
    {
        var partial = Expression.Parameter(typeof(Array), "partial");
        var dest = Expression.Parameter(typeof(Array), "dest");
        var p = Expression.Variable(element.MakeArrayType(), "p");
        var d = Expression.Variable(element.MakeArrayType(), "d");
        var i = Expression.Variable(typeof(int), "i");
        var end = Expression.Label("end");
        var target = Expression.ArrayAccess(d, i);
        var loop = Expression.Loop(
            Expression.IfThenElse(Expression.LessThan(i, Expression.ArrayLength(d)),
                Expression.Block(Expression.Assign(target, reduction.Combine(target, Expression.ArrayIndex(p, i))), Expression.PreIncrementAssign(i)),
                Expression.Break(end)),
            end);
        var body = Expression.Block([p, d, i],
            Expression.Assign(p, Expression.Convert(partial, p.Type)),
            Expression.Assign(d, Expression.Convert(dest, d.Type)),
            Expression.Assign(i, Expression.Constant(0)),
            loop);
        return Expression.Lambda<Action<Array, Array>>(body, partial, dest).Compile();
    }

    /// <summary>dest[0] = combine(dest[0], partials[c]) for each chunk, in order.</summary>
    private static Action<Array, Array> CombinePartials(ReductionLowering reduction, Type element, int chunks)
    {
        var partials = Expression.Parameter(typeof(Array), "partials");
        var dest = Expression.Parameter(typeof(Array), "dest");
        var p = Expression.Variable(element.MakeArrayType(), "p");
        var d = Expression.Variable(element.MakeArrayType(), "d");
        var target = Expression.ArrayAccess(d, Expression.Constant(0));
        var body = new List<Expression>
        {
            Expression.Assign(p, Expression.Convert(partials, p.Type)),
            Expression.Assign(d, Expression.Convert(dest, d.Type)),
        };
        for (var c = 0; c < chunks; c++) body.Add(Expression.Assign(target, reduction.Combine(target, Expression.ArrayIndex(p, Expression.Constant(c)))));
        return Expression.Lambda<Action<Array, Array>>(Expression.Block([p, d], body), partials, dest).Compile();
    }
}
