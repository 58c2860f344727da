using System.Linq.Expressions;

namespace JaxSharp.Cpu;

/// <summary>
/// Builds and compiles the loop around an element-level lowering, with numpy broadcasting:
/// an outer loop over all but the last output axis and an inner loop over the last, each
/// input read at a per-row base offset plus the column times its stride (0 when broadcast).
/// </summary>
internal static class ElementwiseLoop
{
    public static Action<Array[], Array> Compile(LoweringContext context, ElementwiseLowering lowering)
    {
        var outShape = context.Output.Shape;
        var rank = outShape.Rank;
        var inner = rank == 0 ? 1 : outShape[rank - 1];
        var outer = inner == 0 ? 0 : outShape.Size / inner;

        var inputs = Expression.Parameter(typeof(Array[]), "inputs");
        var output = Expression.Parameter(typeof(Array), "output");
        var o = Expression.Variable(context.Output.DType.ClrType().MakeArrayType(), "o");
        var j = Expression.Variable(typeof(int), "j");
        var i = Expression.Variable(typeof(int), "i");
        var idx = Expression.Variable(typeof(int), "idx");
        var variables = new List<ParameterExpression> { o, j, i, idx };
        var setup = new List<Expression> { Expression.Assign(o, Expression.Convert(output, o.Type)) };
        var rowSetup = new List<Expression>();
        var elements = new List<Expression>();

        for (var k = 0; k < context.Inputs.Count; k++)
        {
            var aval = context.Inputs[k];
            var a = Expression.Variable(aval.DType.ClrType().MakeArrayType(), $"a{k}");
            var b = Expression.Variable(typeof(int), $"b{k}");
            variables.Add(a);
            variables.Add(b);
            setup.Add(Expression.Assign(a, Expression.Convert(Expression.ArrayIndex(inputs, Expression.Constant(k)), a.Type)));
            var (baseOffsets, innerStride) = Layout(aval.Shape, outShape);
            rowSetup.Add(Expression.Assign(b, baseOffsets switch
            {
                null => Expression.Multiply(j, Expression.Constant(inner)),
                { Length: 0 } => Expression.Constant(0),
                _ => Expression.ArrayIndex(Expression.Constant(baseOffsets), j),
            }));
            var index = innerStride == 0 ? (Expression)b : Expression.Add(b, i);
            elements.Add(Expression.ArrayIndex(a, index));
        }

        var value = lowering.Element(elements);
        if (value.Type != o.Type.GetElementType())
            throw new InvalidOperationException($"lowering: element expression is {value.Type.Name}, output is {o.Type.GetElementType()!.Name}");
        var body = Expression.Block(
            setup.Append(Expression.Assign(idx, Expression.Constant(0)))
                 .Append(For(j, outer, Expression.Block(rowSetup.Append(For(i, inner, Expression.Block(
                     Expression.Assign(Expression.ArrayAccess(o, idx), value),
                     Expression.PreIncrementAssign(idx))))))));
        return Expression.Lambda<Action<Array[], Array>>(Expression.Block(variables, body), inputs, output).Compile();
    }

    /// <summary>
    /// Where input rows start: null when the input has the output's shape (row j starts at
    /// j * inner), empty when it is a single element, else one base offset per output row;
    /// and the stride along the last axis (0 when broadcast along it).
    /// </summary>
    private static (int[]? BaseOffsets, int InnerStride) Layout(Shape input, Shape output)
    {
        if (input.Equals(output)) return (null, 1);
        if (input.Size == 1) return ([], 0);
        var rank = output.Rank;
        var dims = new int[rank];
        var offset = rank - input.Rank;
        for (var d = 0; d < rank; d++) dims[d] = d < offset ? 1 : input[d - offset];
        var strides = new Shape(dims).Strides();
        for (var d = 0; d < rank; d++) if (dims[d] == 1) strides[d] = 0;
        var inner = output[rank - 1];
        var outer = inner == 0 ? 0 : output.Size / inner;
        var bases = new int[outer];
        for (var row = 0; row < outer; row++)
        {
            var rem = row;
            var b = 0;
            for (var d = rank - 2; d >= 0; d--) { b += rem % output[d] * strides[d]; rem /= output[d]; }
            bases[row] = b;
        }
        return (bases, strides[rank - 1] == 0 ? 0 : 1);
    }

    private static Expression For(ParameterExpression v, int count, Expression body)
    {
        var end = Expression.Label();
        return Expression.Block(
            Expression.Assign(v, Expression.Constant(0)),
            Expression.Loop(
                Expression.IfThenElse(Expression.LessThan(v, Expression.Constant(count)),
                    Expression.Block(body, Expression.PreIncrementAssign(v)),
                    Expression.Break(end)),
                end));
    }
}
