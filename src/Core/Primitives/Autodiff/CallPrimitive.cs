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
        var jaxpr = Tracing.Trace(f, args.Select(a => a.Aval).ToArray());
        if (jaxpr.Outputs.Count != 1)
            throw new ArgumentException($"{op}: the function must return exactly one tensor, got {jaxpr.Outputs.Count}; stack the outputs into one tensor or wrap each output separately");
        return (new ClosedProgram(jaxpr), [.. args, .. jaxpr.CapturedValues]);
    }

    /// <summary>The number of explicit inputs (the call's arguments before the captures).</summary>
    public int InputCount => Jaxpr.InputAvals.Count;

    /// <summary>The abstract value of the single output.</summary>
    public AbstractValue OutputAval => Jaxpr.OutputAvals[0];

    /// <summary>Runs the program on the call's arguments (inputs, then captures).</summary>
    public Tensor Call(IReadOnlyList<Tensor> callArgs) =>
        JaxprEvaluator.Evaluate(Jaxpr, callArgs.Take(InputCount).ToArray(), callArgs.Skip(InputCount).ToArray())[0];

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
/// </summary>
public abstract class CallPrimitive : Primitive
{
    /// <summary>The output's abstract value, from the parameters.</summary>
    protected abstract AbstractValue OutputAval(PrimitiveParams parameters);

    /// <summary>What the primitive computes, built from primitives (so it works in any context).</summary>
    protected abstract Tensor Call(IReadOnlyList<Tensor> args, PrimitiveParams parameters);

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) => OutputAval(parameters);

    /// <summary>No: each call carries its own traced program.</summary>
    public override bool CachesKernels => false;

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new KernelLowering((buffers, output) =>
    {
        // pooled buffers may be longer than their values: a tensor gets exactly its elements
        var args = buffers.Select((b, i) => new Tensor(BufferPool.Exact(b, context.Inputs[i].Shape.Size), context.Inputs[i])).ToArray();
        Array.Copy(Call(args, context.Params).Data, output, context.Output.Shape.Size);
    });

    /// <summary>The JVP of the inlined function.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Linearization.Jvp(a => [Call(a, parameters)], primals, tangents).Tangents[0];

    /// <summary>Batches the inlined function (its equations are batched by their own rules).</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var jaxpr = Tracing.Trace(a => [Call(a, parameters)], BatchInterpreter.PerExampleAvals(args, batchAxes));
        var (outputs, axes) = BatchInterpreter.Evaluate(jaxpr, args, batchAxes);
        return (outputs[0], axes[0]);
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
