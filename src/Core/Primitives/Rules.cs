using JaxSharp.Primitives.Reductions;
using JaxSharp.Primitives.Shapes;

namespace JaxSharp.Primitives;

/// <summary>
/// Building blocks shared by the differentiation and batching rules of many primitives:
/// broadcasting a tangent to an output, summing a cotangent back to an operand's shape, and
/// moving batch axes. Each is built from primitives, so rules stay rewrites of the program.
/// </summary>
public static class Rules
{
    /// <summary><paramref name="x"/> broadcast to <paramref name="shape"/> by numpy's rules (aligned at the right).</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        if (x.Shape.Equals(shape)) return x;
        var offset = shape.Rank - x.Rank;
        return BroadcastInDim.Instance.Bind(new BroadcastInDimParams(shape, new Ints(Enumerable.Range(offset, x.Rank))), x);
    }

    /// <summary>
    /// The cotangent of an operand of shape <paramref name="shape"/> that numpy broadcasting
    /// stretched to the shape of <paramref name="cotangent"/>: summed over the stretched axes.
    /// </summary>
    public static Tensor Unbroadcast(Tensor cotangent, Shape shape)
    {
        if (cotangent.Shape.Equals(shape)) return cotangent;
        var offset = cotangent.Rank - shape.Rank;
        var axes = Enumerable.Range(0, cotangent.Rank).Where(d => d < offset || (shape[d - offset] == 1 && cotangent.Shape[d] != 1)).ToArray();
        var summed = axes.Length == 0 ? cotangent : ReduceSum.Instance.Bind(new ReduceParams(new Ints(axes)), cotangent);
        return summed.Shape.Equals(shape) ? summed : Reshape.Instance.Bind(new ReshapeParams(shape), summed);
    }

    /// <summary>Zeros of the given shape and dtype (a broadcast scalar).</summary>
    public static Tensor Zeros(AbstractValue aval) => Full(0, aval.DType, aval.Shape);

    /// <summary><paramref name="value"/> in every element of the shape and dtype of <paramref name="aval"/>.</summary>
    public static Tensor Full(AbstractValue aval, double value) => Full(value, aval.DType, aval.Shape);

    /// <summary>
    /// <paramref name="value"/> (converted to <paramref name="dtype"/>; nonzero is true for bool) in
    /// every element of <paramref name="shape"/>: a scalar constant, broadcast unless the shape is scalar.
    /// </summary>
    public static Tensor Full(double value, DType dtype, Shape shape)
    {
        var clr = dtype.ClrType();
        var scalar = Array.CreateInstance(clr, 1);
        scalar.SetValue(clr == typeof(bool) ? value != 0 : Convert.ChangeType(value, clr, System.Globalization.CultureInfo.InvariantCulture), 0);
        var x = Tensor.FromArray(scalar, Shape.Scalar);
        return shape.Rank == 0 ? x : BroadcastInDim.Instance.Bind(new BroadcastInDimParams(shape, Ints.Empty), x);
    }

    /// <summary><paramref name="x"/> with axis <paramref name="from"/> moved to position <paramref name="to"/>.</summary>
    public static Tensor MoveAxis(Tensor x, int from, int to)
    {
        if (from == to) return x;
        var order = Enumerable.Range(0, x.Rank).Where(d => d != from).ToList();
        order.Insert(to, from);
        return TransposeAxes.Instance.Bind(new TransposeParams(new Ints(order)), x);
    }

    /// <summary>A batched value with its batch axis moved to the front (an unbatched one is broadcast to <paramref name="size"/> first).</summary>
    public static Tensor BatchToFront(Tensor x, int? axis, int size)
    {
        if (axis is { } a) return MoveAxis(x, a, 0);
        var shape = new Shape([size, .. x.Shape]);
        return BroadcastInDim.Instance.Bind(new BroadcastInDimParams(shape, new Ints(Enumerable.Range(1, x.Rank))), x);
    }

    /// <summary>The size of the batch axis, from the first batched argument.</summary>
    public static int BatchSize(IReadOnlyList<Tensor> args, IReadOnlyList<int?> axes)
    {
        for (var i = 0; i < args.Count; i++)
            if (axes[i] is { } a) return args[i].Shape[a];
        throw new ArgumentException("batching: no argument is batched");
    }

    /// <summary>
    /// The batching rule of every elementwise primitive with numpy broadcasting: batched
    /// arguments get their batch axis in front and size-1 axes up to the per-example output rank,
    /// unbatched ones stay as they are (broadcasting aligns them at the right).
    /// </summary>
    public static (Tensor Result, int? BatchAxis) BatchElementwise(Primitive primitive, IReadOnlyList<Tensor> args, IReadOnlyList<int?> axes, PrimitiveParams parameters)
    {
        var rank = args.Select((x, i) => axes[i] is null ? x.Rank : x.Rank - 1).Max();
        var batchedArgs = args.Select((x, i) =>
        {
            if (axes[i] is not { } a) return x;
            if (x.Rank - 1 == rank && a == 0) return x;
            var front = MoveAxis(x, a, 0);
            if (front.Rank - 1 == rank) return front;
            var shape = new Shape([front.Shape[0], .. Enumerable.Repeat(1, rank - (front.Rank - 1)), .. front.Shape.Skip(1)]);
            return Reshape.Instance.Bind(new ReshapeParams(shape), front);
        }).ToArray();
        return (primitive.Bind(parameters, batchedArgs), 0);
    }
}
