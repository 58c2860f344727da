using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Reductions;

/// <summary>
/// A reduction of bool arrays over some axes (<c>reduce_and</c>, <c>reduce_or</c>): stops at
/// the first element equal to <see cref="Absorbing"/>, and gives its negation over no elements.
/// </summary>
public abstract class LogicalReduction : AxisReduction
{
    /// <summary>The value that decides the result once met: false for <c>and</c>, true for <c>or</c>.</summary>
    protected abstract bool Absorbing { get; }

    /// <summary>No tangent: bool values are not differentiable (JAX's float0).</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) => null;

    /// <inheritdoc/>
    protected override bool Accepts(DType dtype) => dtype == DType.Bool;

    /// <inheritdoc/>
    protected override string AcceptedDescription => "a bool array; compare first, e.g. x != 0";

    /// <inheritdoc/>
    protected override Action<Array[], Array> Kernel(LoweringContext context, int[] groupStarts, int[] groupOffsets) => (inputs, output) =>
    {
        var x = (bool[])inputs[0];
        var o = (bool[])output;
        for (var g = 0; g < groupStarts.Length; g++)
        {
            var result = !Absorbing;
            var start = groupStarts[g];
            foreach (var r in groupOffsets)
                if (x[start + r] == Absorbing) { result = Absorbing; break; }
            o[g] = result;
        }
    };
}
