using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Autodiff;

/// <summary>
/// A program traced from a user function, closure-converted: the values it captured from an
/// enclosing trace are passed as trailing arguments of the equation that calls it, so the
/// equation is closed and can be transformed like any other.
/// </summary>
/// <param name="Jaxpr">The traced program; its captured values are the trailing call arguments.</param>
public sealed record ClosedProgram(Jaxpr Jaxpr)
{
    /// <summary>Traces <paramref name="f"/> at <paramref name="args"/>; returns the program and the call's arguments (args, then captures).</summary>
    public static (ClosedProgram Program, Tensor[] CallArgs) Trace(Func<Tensor[], Tensor[]> f, Tensor[] args, string op)
    {
        var jaxpr = Tracing.Trace(f, args.Select(a => a.Aval).ToArray(), op);
        if (jaxpr.Outputs.Count == 0)
            throw new ArgumentException($"{op}: the function returned no tensors; return at least one output");
        return (new ClosedProgram(jaxpr), [.. args, .. jaxpr.CapturedValues]);
    }

    /// <summary>The number of explicit inputs (the call's arguments before the captures).</summary>
    public int InputCount => Jaxpr.InputAvals.Count;

    /// <summary>The abstract values of the outputs.</summary>
    public IReadOnlyList<AbstractValue> OutputAvals => Jaxpr.OutputAvals;

    /// <summary>Runs the program on the call's arguments (inputs, then captures); returns every output.</summary>
    public Tensor[] Call(IReadOnlyList<Tensor> callArgs) =>
        JaxprEvaluator.Evaluate(Jaxpr, callArgs.Take(InputCount).ToArray(), callArgs.Skip(InputCount).ToArray());

    /// <summary>The function of the explicit inputs alone, with the captures bound to the given call's values (for re-differentiation).</summary>
    public Func<Tensor[], Tensor[]> Bound(IReadOnlyList<Tensor> callArgs)
    {
        var captures = callArgs.Skip(InputCount).ToArray();
        return inputs => JaxprEvaluator.Evaluate(Jaxpr, inputs, captures);
    }

    /// <summary>Identity equality: two traces of the same function are different programs.</summary>
    public bool Equals(ClosedProgram? other) => ReferenceEquals(this, other);
    /// <inheritdoc/>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
    /// <summary>Prints the program, as parameters of call primitives are printed in listings.</summary>
    public override string ToString() => Jaxpr.ToString();
}

/// <summary>
/// A primitive whose meaning is a function of its arguments built from other primitives (a call
/// of a sub-program): it runs eagerly by evaluating that function, and by default differentiates
/// by inlining it. custom_jvp, custom_vjp and checkpoint override the rules that make them differ.
/// A call has as many outputs as its function (one equation binding them all), so functions of
/// trees returning trees are one call.
/// </summary>
public abstract class CallPrimitive : MultiOutputPrimitive
{
    /// <summary>The outputs' abstract values, from the parameters.</summary>
    protected abstract IReadOnlyList<AbstractValue> OutputAvals(PrimitiveParams parameters);

    /// <summary>What the primitive computes, built from primitives (so it works in any context): every output.</summary>
    protected abstract Tensor[] Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters);

    /// <inheritdoc/>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) => OutputAvals(parameters).ToArray();

    /// <summary>No: each call carries its own traced program.</summary>
    public override bool CachesKernels => false;

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new MultiKernelLowering((buffers, outputs) =>
    {
        // pooled buffers may be longer than their values: a tensor gets exactly its elements
        var args = buffers.Select((b, i) => new Tensor(BufferPool.Exact(b, context.Inputs[i].Shape.Size), context.Inputs[i]) { SharesBuffer = true }).ToArray();
        var results = Call(args, context.Params);
        for (var k = 0; k < outputs.Length; k++) Array.Copy(results[k].Data, outputs[k], context.Outputs[k].Shape.Size);
    });

    /// <summary>The JVP of the inlined function.</summary>
    public override Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters) =>
        Linearization.Jvp(a => Call(a, parameters), primals, tangents).Tangents;

    /// <summary>Batches the inlined function (its equations are batched by their own rules).</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var jaxpr = Tracing.Trace(a => Call(a, parameters), BatchInterpreter.PerExampleAvals(args, batchAxes));
        return BatchInterpreter.Evaluate(jaxpr, args, batchAxes);
    }

    /// <summary>The tangents with zeros in place of symbolic zeros, for rules that need every tangent.</summary>
    protected static Tensor[] MaterializeTangents(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, int count) =>
        Enumerable.Range(0, count).Select(i => tangents[i] ?? Jax.ZerosLike(primals[i])).ToArray();
}

/// <summary>Argument handling shared by the batching rules of call primitives.</summary>
internal static class BatchedCall
{
    /// <summary>The arguments with their batch axes moved to the front, and the in_axes (0 or null) that describe them.</summary>
    public static (Tensor[] Front, int?[] InAxes) ToFront(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes) =>
        (args.Select((x, i) => batchAxes[i] is { } a ? Rules.MoveAxis(x, a, 0) : x).ToArray(),
         batchAxes.Select(a => a is null ? null : (int?)0).ToArray());
}
