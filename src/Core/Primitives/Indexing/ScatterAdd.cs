namespace JaxSharp.Primitives.Indexing;

/// <summary><c>scatter_add</c>: each element becomes the sum of itself and the updates scattered to it, so duplicate indices accumulate (integers wrap around).</summary>
public sealed class ScatterAdd : ScatterCombine
{
    /// <summary>The primitive.</summary>
    public static readonly ScatterAdd Instance = new();
    private ScatterAdd() { }
    /// <inheritdoc/>
    public override string Name => "scatter_add";
    /// <inheritdoc/>
    protected override T Combine<T>(T old, T update) => unchecked(old + update);

    /// <summary>Linear in operand and updates together: d scatter_add(x, i, u) = scatter_add(dx, i, du).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters)
    {
        if (tangents[0] is null && tangents[2] is null) return null;
        return Bind(parameters, tangents[0] ?? Rules.Zeros(primals[0].Aval.Strong), primals[1], tangents[2] ?? Rules.Zeros(primals[2].Aval.Strong));
    }

    /// <summary>
    /// The operand's cotangent is the cotangent itself; each update's is the cotangent at the
    /// window it was added to (a gather; 0 for updates that fill-or-drop mode dropped).
    /// </summary>
    public override Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (ScatterParams)parameters;
        var indices = primals[1] ?? throw new InvalidOperationException("scatter_add: the indices cannot be linear");
        return
        [
            primals[0] is null ? cotangent : null,
            null,
            primals[2] is null ? IndexingRules.InverseGather(cotangent, indices, p.DimensionNumbers, inputs[2].Shape, p.Mode) : null,
        ];
    }
}
