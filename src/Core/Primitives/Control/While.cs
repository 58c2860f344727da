using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>The parameters of <see cref="While"/> (JAX's <c>while</c>: cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts).</summary>
/// <param name="Cond">The predicate, closed: inputs are its consts, then the carries; one output, a bool scalar.</param>
/// <param name="Body">The step, closed: inputs are its consts, then the carries; outputs are the next carries.</param>
/// <param name="CondConstCount">How many leading arguments of the equation are the predicate's consts.</param>
/// <param name="BodyConstCount">How many arguments after those are the body's consts (the rest are the carries).</param>
public sealed record WhileParams(Jaxpr Cond, Jaxpr Body, int CondConstCount, int BodyConstCount) : PrimitiveParams
{
    /// <summary>The number of carries.</summary>
    internal int CarryCount => Body.Outputs.Count;

    /// <summary>The predicate's consts among the equation's arguments.</summary>
    internal T[] CondConsts<T>(IReadOnlyList<T> args) => args.Take(CondConstCount).ToArray();

    /// <summary>The body's consts among the equation's arguments.</summary>
    internal T[] BodyConsts<T>(IReadOnlyList<T> args) => args.Skip(CondConstCount).Take(BodyConstCount).ToArray();

    /// <summary>The carries among the equation's arguments.</summary>
    internal T[] Carries<T>(IReadOnlyList<T> args) => args.Skip(CondConstCount + BodyConstCount).ToArray();
}

/// <summary>
/// <c>while</c> (JAX's <c>lax.while_loop</c>): runs the body on the carries for as long as the
/// predicate holds, and returns the last carries. Arguments: the predicate's consts, the body's
/// consts, the initial carries. It differentiates forward (a loop over primals and tangents)
/// but not in reverse, batches (a batched predicate runs until every example is done and keeps
/// the finished ones), and lowers to a real loop around the compiled predicate and body.
/// </summary>
public sealed class While : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly While Instance = new();
    private While() { }

    /// <summary>The name users know the construct by, for messages.</summary>
    internal const string Op = "lax.while_loop";

    /// <inheritdoc/>
    public override string Name => "while";

    /// <summary>No: each trace holds fresh programs.</summary>
    public override bool CachesKernels => false;

    /// <summary>The carries' types; the predicate must return a bool scalar, and the body must keep each carry's shape and dtype.</summary>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var p = (WhileParams)parameters;
        var carries = p.Carries(inputs);
        if (p.Cond.Inputs.Count != p.CondConstCount + carries.Length || p.Body.Inputs.Count != p.BodyConstCount + carries.Length)
            throw new ArgumentException(
                $"{Op}: {inputs.Count} arguments do not fit a predicate of {p.Cond.Inputs.Count} inputs ({p.CondConstCount} consts) and a body of {p.Body.Inputs.Count} ({p.BodyConstCount} consts); pass the consts, then the carries");
        CheckPredicate(p.Cond.OutputAvals);
        var paths = carries.Select((_, j) => carries.Length == 1 ? "" : $"carry {j}").ToArray();
        TreeTracing.CheckAgree(Op, "loop's carry input", carries, "body's carry output", p.Body.OutputAvals, paths,
            "the body must return carries of the shapes and dtypes it was given");
        TreeTracing.CheckAgree(Op, "loop's carry input", carries, "predicate's carry input", p.Cond.InputAvals.Skip(p.CondConstCount).ToArray(), paths,
            "trace the predicate at the carries' types");
        return carries;
    }

    /// <summary>Checks that a predicate's outputs are one bool scalar.</summary>
    internal static void CheckPredicate(IReadOnlyList<AbstractValue> outputs)
    {
        if (outputs is [{ DType: DType.Bool, Shape.Rank: 0 }]) return;
        var got = outputs.Count == 1 ? outputs[0].Strong.ToString() : $"{outputs.Count} tensors";
        throw new ArgumentException(
            $"{Op}: the cond function must return a bool scalar, but it returned {got}; compare to get a bool (c < 10) and reduce an array with np.all or np.any");
    }

    /// <summary>
    /// A real loop: one compiled expression over scalar locals when every value of the predicate and
    /// the body is one element and every equation is elementwise; otherwise the compiled predicate
    /// and body run on double-buffered carries (<see cref="WhileLoopKernel"/>).
    /// </summary>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var p = (WhileParams)context.Params;
        if (ScalarWhileKernel.TryCompile(p) is { } scalar) return new MultiKernelLowering(scalar);
        var kernel = new WhileLoopKernel(p, context.Inputs);
        return new MultiKernelLowering(kernel.Run);
    }

    /// <summary>A loop over primals and tangents (<see cref="WhileDifferentiation"/>).</summary>
    public override (Tensor[] Outputs, Tensor?[] Tangents)? JvpWithOutputs(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, PrimitiveParams parameters) =>
        WhileDifferentiation.Jvp(primals, tangents, (WhileParams)parameters);

    /// <summary>Refused, as JAX does: the loop keeps no per-step values to run backwards over.</summary>
    public override Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        throw new NotSupportedException(
            "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
            "Try using lax.scan, or lax.fori_loop with constant start/stop values.");

    /// <summary>The batched loop (<see cref="WhileBatching"/>).</summary>
    public override (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        WhileBatching.Batch(args, batchAxes, (WhileParams)parameters);
}
