using System.Linq.Expressions;
using System.Runtime.Intrinsics;

namespace JaxSharp.Cpu;

/// <summary>
/// The compiled body of a fused loop: computes rows [rowLo, rowHi) and, in each, columns
/// [colLo, colHi) of the loop's domain, reading buffers from <c>slots</c> and writing (or, for
/// reductions, combining into) <c>dest</c> at the output offset plus <c>destBase</c>.
/// </summary>
internal delegate void LoopKernel(Array[] slots, Array dest, int rowLo, int rowHi, int colLo, int colHi, int destBase);

/// <summary>
/// Builds the expression tree of a <see cref="FusedLoop"/>: an outer loop over rows (the
/// offsets of each leaf and of the output computed from the row's index) and, in each row, a
/// vector loop over the columns (<c>Vector512</c> where the hardware has it, else 256 or 128
/// bits) and a scalar loop for the remaining columns. A loop holding a value without a vector
/// form, a bool buffer, or lanes of different sizes runs scalar only.
/// </summary>
internal sealed partial class LoopCompiler
{
    /// <summary>The generic vector type of the widest accelerated width, or null where there is none.</summary>
    public static readonly Type? VectorType =
        Vector512.IsHardwareAccelerated ? typeof(Vector512<>)
        : Vector256.IsHardwareAccelerated ? typeof(Vector256<>)
        : Vector128.IsHardwareAccelerated ? typeof(Vector128<>)
        : null;

    private readonly FusedLoop _loop;
    private readonly Func<Expression, int> _slotOf;
    private readonly Func<Expression, string> _nameOf;
    private readonly ParameterExpression _slots = Expression.Parameter(typeof(Array[]), "slots");
    private readonly ParameterExpression _dest = Expression.Parameter(typeof(Array), "dest");
    private readonly ParameterExpression _rowLo = Expression.Parameter(typeof(int), "rowLo");
    private readonly ParameterExpression _rowHi = Expression.Parameter(typeof(int), "rowHi");
    private readonly ParameterExpression _colLo = Expression.Parameter(typeof(int), "colLo");
    private readonly ParameterExpression _colHi = Expression.Parameter(typeof(int), "colHi");
    private readonly ParameterExpression _destBase = Expression.Parameter(typeof(int), "destBase");
    private readonly ParameterExpression _row = Expression.Variable(typeof(int), "row");
    private readonly ParameterExpression _col = Expression.Variable(typeof(int), "col");
    private readonly ParameterExpression _outBase = Expression.Variable(typeof(int), "outBase");
    private readonly ParameterExpression _out;
    private readonly List<ParameterExpression> _variables = [];
    private readonly List<Expression> _setup = [];
    private readonly List<Expression> _rowSetup = [];
    private readonly Dictionary<int, ParameterExpression> _buffers = [];
    private readonly ParameterExpression?[] _bases;
    /// <summary>Per leaf, its hoisted row read: scalar at 2 * leaf, vector at 2 * leaf + 1 (an array, not a tuple-keyed dictionary: the first compile of a process JIT-compiles less).</summary>
    private readonly Expression?[] _hoisted;
    private readonly ParameterExpression[] _outer;

    private LoopCompiler(FusedLoop loop, Func<Expression, int> slotOf, Func<Expression, string> nameOf)
    {
        _loop = loop;
        _slotOf = slotOf;
        _nameOf = nameOf;
        _out = Expression.Variable(loop.Output.DType.ClrType().MakeArrayType(), "o");
        _bases = new ParameterExpression?[loop.Leaves.Length];
        _hoisted = new Expression?[2 * loop.Leaves.Length];
        _outer = new ParameterExpression[loop.Domain.Length - 1]; // a loop, not LINQ's Range and Select over int, JIT-compiled in every process
        for (var d = 0; d < _outer.Length; d++) _outer[d] = Expression.Variable(typeof(int), $"i{d}");
        _variables.AddRange([_row, _col, _outBase, _out, .. _outer]);
        _setup.Add(Expression.Assign(_out, Expression.Convert(_dest, _out.Type)));
    }

    /// <summary>
    /// The loop's kernel as an expression tree, and its vector lanes (0: scalar only). A loop
    /// whose rows are shorter than one vector gets no vector body, which would never run: that
    /// halves the code compiled for programs of small arrays. Buffers come from
    /// <paramref name="slotOf"/>; locals are named after the atoms they hold by <paramref name="nameOf"/>.
    /// </summary>
    public static (Expression<LoopKernel> Lambda, int Lanes) Build(FusedLoop loop, Func<Expression, int> slotOf, Func<Expression, string> nameOf)
    {
        var vector = VectorType is { } v && VectorTypeOf(loop, v) is { } type && loop.Columns >= Lanes(type) ? type : null;
        if (vector is not null)
        {
            try { return (new LoopCompiler(loop, slotOf, nameOf).Lambda(vector), Lanes(vector)); }
            catch (NoVectorForm) { }
        }
        return (new LoopCompiler(loop, slotOf, nameOf).Lambda(null), 0);
    }

    /// <summary>The vector type for the loop's lanes, or null when its buffers are bool or differ in element size.</summary>
    private static Type? VectorTypeOf(FusedLoop loop, Type vectorType)
    {
        // a loop, not LINQ over dtypes (ints to the framework): this runs in the first jit of every process
        var elementSize = loop.Output.DType.ByteSize();
        if (loop.Output.DType == DType.Bool) return null;
        foreach (var leaf in loop.Leaves)
            if (leaf.Atom is not ConstantExpression { Value: Tensor { Size: 1 } } && (leaf.Aval.DType == DType.Bool || leaf.Aval.DType.ByteSize() != elementSize))
                return null;
        if (loop.OutputStrides[^1] is not (0 or 1)) return null;
        if (loop.Reduction is { VectorCombine: null } || loop.SideOutputs.Any(s => s.Reduction is { VectorCombine: null })) return null;
        if (loop.SideOutputs.Any(s => s.ReductionStrides is { } strides && strides[^1] != 1)) return null;
        return vectorType.MakeGenericType(loop.Output.DType.ClrType());
    }

    private static int Lanes(Type vectorType) =>
        (vectorType.GetGenericTypeDefinition() == typeof(Vector512<>) ? 64 : vectorType.GetGenericTypeDefinition() == typeof(Vector256<>) ? 32 : 16)
        / VectorExpressions.ElementType(vectorType) switch { var t when t == typeof(double) => 8, _ => 4 };

    private Expression<LoopKernel> Lambda(Type? vector)
    {
        var lanes = vector is null ? 0 : Lanes(vector);
        RowSetup();
        var scalarBody = new List<Expression>();
        var scalars = Emit(null, scalarBody);
        var vectorBody = new List<Expression>();
        var vectors = vector is null ? null : Emit(vector, vectorBody);
        if (vectors is not null && vectors.Any(v => Lanes(v.Type) != lanes)) throw new NoVectorForm();
        var element = _out.Type.GetElementType()!;
        var targets = _loop.SideOutputs.Select(s => (Expression)Buffer(s.Variable, element)).Append(_out).ToArray();
        if (_loop.Reduction is null && scalars.FirstOrDefault(s => s.Type != element) is { } wrong)
            throw new InvalidOperationException($"fusion: the loop computes {wrong.Type.Name} but stores {element.Name}");
        var inner = _loop.Reduction is null ? StoreLoops(scalarBody, scalars, vectorBody, vectors, targets, lanes)
            : _loop.OutputStrides[^1] == 0 ? ReduceRowLoops(scalarBody, scalars, vectorBody, vectors, targets, lanes)
            : ReduceColumnLoops(scalarBody, scalars, vectorBody, vectors, targets, lanes);
        var rowLoop = For(_row, _rowLo, _rowHi, Expression.Block([.. _rowSetup, Expression.Assign(_col, _colLo), .. inner]));
        var body = Expression.Block(_variables, [.. _setup, rowLoop]);
        return Expression.Lambda<LoopKernel>(body, "fused_loop", [_slots, _dest, _rowLo, _rowHi, _colLo, _colHi, _destBase]);
    }

    /// <summary>Per row: the row's index along the outer axes, and the offsets of leaves and output.</summary>
    private void RowSetup()
    {
        var domain = _loop.Domain;
        var rest = Expression.Variable(typeof(int), "rest");
        if (_outer.Length > 0)
        {
            _variables.Add(rest);
            _rowSetup.Add(Expression.Assign(rest, _row));
            for (var d = _outer.Length - 1; d >= 0; d--)
            {
                if (d == 0) { _rowSetup.Add(Expression.Assign(_outer[d], rest)); break; }
                _rowSetup.Add(Expression.Assign(_outer[d], Expression.Modulo(rest, Expression.Constant(domain[d]))));
                _rowSetup.Add(Expression.Assign(rest, Expression.Divide(rest, Expression.Constant(domain[d]))));
            }
        }
        var offset = Offset(_loop.OutputStrides);
        _rowSetup.Add(Expression.Assign(_outBase, offset is ConstantExpression { Value: 0 } ? _destBase : Expression.Add(_destBase, offset)));
    }

    /// <summary>The offset of the row's start for an access with these strides.</summary>
    private Expression Offset(int[] strides)
    {
        Expression offset = Expression.Constant(0);
        for (var d = 0; d < _outer.Length; d++)
            if (strides[d] != 0)
                offset = offset is ConstantExpression { Value: 0 } ? Mul(_outer[d], strides[d]) : Expression.Add(offset, Mul(_outer[d], strides[d]));
        return offset;
    }

    private static Expression Mul(Expression i, int stride) => stride == 1 ? i : Expression.Multiply(i, Expression.Constant(stride));

    /// <summary>
    /// The expressions of the loop's side outputs and result at the current column (scalar, or
    /// vectors of <paramref name="vector"/> lanes), appending to <paramref name="body"/> a load
    /// for each leaf and a local for each node in the order of <see cref="FusedLoop.EmitOrder"/>:
    /// one statement per value, however deep the group.
    /// </summary>
    private Expression[] Emit(Type? vector, List<Expression> body)
    {
        var leaves = new Expression[_loop.Leaves.Length];
        var nodes = new Expression[_loop.Nodes.Length];
        Expression ValueOf(LoopValue value) => value.Leaf >= 0 ? leaves[value.Leaf] : nodes[value.Node];
        foreach (var value in _loop.EmitOrder)
        {
            if (value.Leaf >= 0)
            {
                leaves[value.Leaf] = Load(value.Leaf, vector, body);
                continue;
            }
            var node = _loop.Nodes[value.Node];
            var args = node.Args.Select(ValueOf).ToArray();
            Expression? result;
            if (vector is null) result = node.Lowering.Element(args);
            else
            {
                try { result = node.Lowering.Vector?.Invoke(args); }
                catch (InvalidOperationException) { result = null; }
                if (result is null || !VectorExpressions.IsVector(result.Type)) throw new NoVectorForm();
            }
            var local = Expression.Variable(result.Type, _nameOf(node.Variable) + (vector is null ? "" : "v"));
            _variables.Add(local);
            body.Add(Expression.Assign(local, result));
            nodes[value.Node] = local;
        }
        return [.. _loop.SideOutputs.Select(s => ValueOf(s.Value)), ValueOf(_loop.Result)];
    }

    /// <summary>A leaf's value at the current column: a constant or hoisted value as is, else a local loaded once per column.</summary>
    private Expression Load(int leaf, Type? vector, List<Expression> body)
    {
        var read = Read(leaf, vector);
        if (read is ParameterExpression or ConstantExpression || _loop.Leaves[leaf].Atom is ConstantExpression { Value: Tensor { Size: 1 } }) return read;
        var loaded = Expression.Variable(read.Type, _nameOf(_loop.Leaves[leaf].Atom) + (vector is null ? "" : "v"));
        _variables.Add(loaded);
        body.Add(Expression.Assign(loaded, read));
        return loaded;
    }

    /// <summary>A leaf at the current column: an inlined scalar constant, a hoisted row value (stride 0) or a load.</summary>
    private Expression Read(int leaf, Type? vector)
    {
        var l = _loop.Leaves[leaf];
        var type = l.Aval.DType.ClrType();
        var vectorType = vector is null ? null : VectorExpressions.WithElement(vector, type);
        if (l.Atom is ConstantExpression { Value: Tensor { Size: 1 } t })
        {
            if (vector is not null && type == typeof(bool)) return Mask((bool)t.Data.GetValue(0)!, vector);
            var scalar = Expression.Constant(t.Data.GetValue(0), type);
            return vectorType is null ? scalar : VectorExpressions.Broadcast(scalar, vectorType);
        }
        var buffer = Buffer(l.Atom, type);
        var rowStart = Base(leaf);
        if (l.Strides[^1] == 0)
        {
            var slot = 2 * leaf + (vector is null ? 0 : 1);
            if (_hoisted[slot] is { } h) return h;
            var element = Expression.ArrayIndex(buffer, rowStart);
            var local = Expression.Variable(vectorType ?? type, $"{_nameOf(l.Atom)}{(vector is null ? "" : "v")}Row");
            _variables.Add(local);
            _rowSetup.Add(Expression.Assign(local, vectorType is null ? element : VectorExpressions.Broadcast(element, vectorType)));
            return _hoisted[slot] = local;
        }
        var index = rowStart is ConstantExpression { Value: 0 } ? Mul(_col, l.Strides[^1]) : Expression.Add(rowStart, Mul(_col, l.Strides[^1]));
        if (vectorType is null) return Expression.ArrayIndex(buffer, index);
        return l.Strides[^1] == 1 ? Load(vectorType, buffer, index) : StridedLoad(vectorType, buffer, index, l.Strides[^1]);
    }

    /// <summary>
    /// A vector of the elements <paramref name="stride"/> apart from <paramref name="index"/> (a
    /// leaf read across rows, as a fused transpose): one scalar load per lane, put together by
    /// the vector type's <c>Create</c> of one argument per lane.
    /// </summary>
    private static Expression StridedLoad(Type vectorType, Expression buffer, Expression index, int stride)
    {
        var element = VectorExpressions.ElementType(vectorType);
        var lanes = Lanes(vectorType);
        var create = VectorExpressions.Method(vectorType, "Create", Enumerable.Repeat(element, lanes).ToArray());
        var elements = new Expression[lanes];
        for (var k = 0; k < lanes; k++) elements[k] = Expression.ArrayIndex(buffer, k == 0 ? index : Expression.Add(index, Expression.Constant(k * stride)));
        return Expression.Call(create, elements);
    }

    /// <summary>A constant bool as a lane mask of the loop's vector type: all bits set, or none.</summary>
    private static Expression Mask(bool value, Type vector)
    {
        var bits = VectorExpressions.LaneSize(vector) == 8 ? (object)(value ? -1L : 0L) : value ? -1 : 0;
        var integer = Expression.Constant(bits);
        return VectorExpressions.Reinterpret(VectorExpressions.Broadcast(integer, VectorExpressions.WithElement(vector, integer.Type)), VectorExpressions.ElementType(vector));
    }

    private ParameterExpression Buffer(Expression atom, Type element)
    {
        var slot = _slotOf(atom);
        if (_buffers.TryGetValue(slot, out var buffer)) return buffer;
        buffer = Expression.Variable(element.MakeArrayType(), _nameOf(atom) + "Data");
        _variables.Add(buffer);
        _setup.Add(Expression.Assign(buffer, Expression.Convert(Expression.ArrayIndex(_slots, Expression.Constant(slot)), buffer.Type)));
        return _buffers[slot] = buffer;
    }

    private Expression Base(int leaf)
    {
        if (_bases[leaf] is { } b) return b;
        var offset = Offset(_loop.Leaves[leaf].Strides);
        if (offset is ConstantExpression) return offset;
        b = _bases[leaf] = Expression.Variable(typeof(int), $"{_nameOf(_loop.Leaves[leaf].Atom)}Start");
        _variables.Add(b);
        _rowSetup.Add(Expression.Assign(b, offset));
        return b;
    }

    private static Expression Load(Type vectorType, Expression array, Expression index) =>
        Expression.Call(VectorExpressions.Method(vectorType, "Create", [VectorExpressions.ElementType(vectorType).MakeArrayType(), typeof(int)]), array, index);

    private static Expression Store(Expression vector, Expression array, Expression index) =>
        VectorExpressions.Call("CopyTo", vector, array, index);

    private static Expression For(ParameterExpression v, Expression from, Expression to, Expression body) => Expression.Block(
        Expression.Assign(v, from),
        While(Expression.LessThan(v, to), Expression.Block(body, Expression.PreIncrementAssign(v))));

    private static Expression While(Expression condition, Expression body)
    {
        var end = Expression.Label("end");
        return Expression.Loop(Expression.IfThenElse(condition, body, Expression.Break(end)), end);
    }

    /// <summary>Thrown while building the vector body when some value has no vector form.</summary>
    private sealed class NoVectorForm : Exception;
}
