using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>The parameters of <see cref="Scan"/>.</summary>
/// <param name="Body">The closed body: inputs consts, carries, one slice of each xs; outputs the new carries, then one slice of each ys.</param>
/// <param name="Length">The number of steps (the leading axis of every xs and ys).</param>
/// <param name="Reverse">Whether the steps run from the last slice to the first (ys are still stored at their slice's index).</param>
/// <param name="Unroll">How many body copies one iteration of the compiled loop runs (a lowering choice; the values do not depend on it).</param>
/// <param name="ConstCount">How many leading arguments are consts, passed unchanged to every step.</param>
/// <param name="CarryCount">How many arguments after the consts are carries (the rest are xs).</param>
public sealed record ScanParams(Jaxpr Body, int Length, bool Reverse, int Unroll, int ConstCount, int CarryCount) : PrimitiveParams
{
    /// <summary>The number of xs (and of body inputs that are slices).</summary>
    internal int XsCount => Body.Inputs.Count - ConstCount - CarryCount;

    /// <summary>The number of ys (body outputs after the carries).</summary>
    internal int YsCount => Body.Outputs.Count - CarryCount;
}

/// <summary>
/// <c>scan</c> (JAX's <c>lax.scan</c>): a loop of <see cref="ScanParams.Length"/> steps over a closed
/// body, threading carries from one step to the next and slicing the xs along their leading axis;
/// the outputs are the final carries, then the per-step ys stacked along a new leading axis.
/// Arguments: consts, carries, xs (JAX's order). It lowers to a real loop around the body compiled
/// once; differentiation is a primal scan that also stacks residuals and a linear tangent scan, whose
/// transpose is a scan running the other way.
/// </summary>
public sealed partial class Scan : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Scan Instance = new();
    private Scan() { }

    /// <inheritdoc/>
    public override string Name => "scan";

    /// <summary>No: each trace holds a freshly traced body.</summary>
    public override bool CachesKernels => false;

    private const string Op = "lax.scan";

    /// <summary>
    /// Carries keep their types; each xs is the body's slice type with a leading axis of the length;
    /// the outputs are the carries and the body's ys slices stacked along a leading axis of the length.
    /// </summary>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (ScanParams)parameters;
        var body = p.Body;
        if (body.Captures.Count != 0) throw new ArgumentException($"{Op}: the body must be a closed program (its captures passed as consts)");
        if (p.Length < 0) throw new ArgumentException($"{Op}: length {p.Length} is negative; the number of steps is 0 or more");
        if (p.Unroll < 1) throw new ArgumentException($"{Op}: unroll {p.Unroll} is less than 1; give the number of steps per loop iteration (1 for none)");
        if (p.ConstCount < 0 || p.CarryCount < 0 || p.ConstCount + p.CarryCount > body.Inputs.Count || p.CarryCount > body.Outputs.Count)
            throw new ArgumentException($"{Op}: {p.ConstCount} consts and {p.CarryCount} carries do not fit a body of {body.Inputs.Count} inputs and {body.Outputs.Count} outputs");
        if (inputs.Count != body.Inputs.Count)
            throw new ArgumentException($"{Op}: {inputs.Count} arguments for a body of {body.Inputs.Count} inputs (consts, carries, xs)");
        for (var i = 0; i < p.ConstCount + p.CarryCount; i++)
            if (!SameType(inputs[i], body.InputAvals[i]))
                throw new ArgumentException($"{Op}: {Part(p, i)} is {inputs[i].Strong} but the body takes {body.InputAvals[i].Strong}; pass a value of the body's input type");
        for (var i = p.ConstCount + p.CarryCount; i < inputs.Count; i++)
        {
            var slice = body.InputAvals[i];
            var expected = new Shape([p.Length, .. slice.Shape]);
            if (!inputs[i].Shape.Equals(expected) || inputs[i].DType != slice.DType)
                throw new ArgumentException(
                    $"{Op}: xs {i - p.ConstCount - p.CarryCount} is {inputs[i].Strong} but the body takes slices {slice.Strong} over length {p.Length}, so xs must be {slice.DType.ShortName()}[{string.Join(",", expected)}]; " +
                    "every xs leaf needs the scan's length as its leading axis");
        }
        for (var k = 0; k < p.CarryCount; k++)
            if (!SameType(body.OutputAvals[k], inputs[p.ConstCount + k]))
                throw new ArgumentException(
                    $"{Op}: the body's carry output {k} is {body.OutputAvals[k].Strong} but its carry input is {inputs[p.ConstCount + k].Strong}; the body must return each carry with the shape and dtype it takes");
        return [.. inputs.Skip(p.ConstCount).Take(p.CarryCount).Select((a, k) => a with { Weak = a.Weak && body.OutputAvals[k].Weak }),
                .. body.OutputAvals.Skip(p.CarryCount).Select(y => new AbstractValue(new Shape([p.Length, .. y.Shape]), y.DType))];
    }

    private static bool SameType(AbstractValue a, AbstractValue b) => a.Shape.Equals(b.Shape) && a.DType == b.DType;

    private static string Part(ScanParams p, int i) =>
        i < p.ConstCount ? $"const {i}" : i < p.ConstCount + p.CarryCount ? $"carry {i - p.ConstCount}" : $"xs {i - p.ConstCount - p.CarryCount}";

    /// <summary>A real loop around the body compiled once (see <see cref="ScanLoop"/>).</summary>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (ScanParams)context.Params;
        if (p.XsCount == 0 && p.Body.Outputs.Count == p.CarryCount
            && ScalarWhileKernel.TryCompileCounted(p.Body, p.ConstCount, p.CarryCount, p.Length) is { } scalarLoop)
            return new MultiKernelLowering(scalarLoop);
        var loop = new ScanLoop(p, context.Inputs);
        return new MultiKernelLowering(loop.Run);
    }
}
