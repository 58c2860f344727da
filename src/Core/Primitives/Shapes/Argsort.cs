namespace JaxSharp.Primitives.Shapes;

/// <summary>
/// <c>argsort</c>: the int32 positions that sort the operand ascending along one axis,
/// stable (equal elements keep their order), NaNs last. JAX gets it from a two-operand
/// <c>sort</c>; here each equation has one output, so it is its own primitive.
/// </summary>
public sealed class Argsort : LaneSort
{
    /// <summary>The primitive.</summary>
    public static readonly Argsort Instance = new();
    private Argsort() { }
    /// <inheritdoc/>
    public override string Name => "argsort";
    /// <inheritdoc/>
    protected override DType OutputDType(DType input) => DType.Int32;

    /// <summary>No tangent: the positions are integers, piecewise constant in the operand (JAX gives float0).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <inheritdoc/>
    protected override void Write<T>(T[] input, Array output, int[] lane, int[] order)
    {
        var o = (int[])output;
        for (var j = 0; j < lane.Length; j++) o[lane[j]] = order[j];
    }
}
