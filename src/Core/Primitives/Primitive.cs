using JaxSharp.Cpu;
using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives;

/// <summary>
/// One operation of the IR, with every rule about it in one place (DESIGN.md): the shape
/// rule, the CPU lowering (whose per-element descriptions the OpenCL backend prints too), and
/// the rules of the transformations (JVP, transpose, batching). A rule a primitive lacks throws a <see cref="NotSupportedException"/>
/// that names the primitive and the rule. Primitives are singletons; their parameters
/// travel separately as a <see cref="PrimitiveParams"/> record.
/// </summary>
public abstract class Primitive
{
    /// <summary>The name, as in <c>jax.lax</c> and in printed programs: <c>sin</c>, <c>reduce_sum</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The shape rule: the output's shape, dtype and weak flag from the inputs' and the
    /// parameters. Throws <see cref="ArgumentException"/> with a message naming the operation,
    /// the shapes or dtypes, and the fix.
    /// </summary>
    public abstract AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters);

    /// <summary>
    /// Whether the primitive has several outputs (JAX's <c>multiple_results</c>): its equations
    /// bind one variable per output, it is applied with <see cref="BindMany"/>, and it implements
    /// the array forms of the rules (<see cref="MultiOutputPrimitive"/>). False for most primitives.
    /// </summary>
    public virtual bool MultipleResults => false;

    /// <summary>The shape rule for every output; one output, <see cref="InferShape"/>'s, unless the primitive has several.</summary>
    public virtual AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) => [InferShape(inputs, parameters)];

    /// <summary>
    /// The CPU lowering: an element-level expression (so that loops can fuse it) or a kernel
    /// over whole buffers.
    /// </summary>
    public virtual CpuLowering LowerCpu(LoweringContext context) => throw MissingRule(nameof(LowerCpu));

    /// <summary>
    /// The algebraic rule of the simplifier (<c>x * 1 = x</c>, <c>neg (neg x) = x</c>...): an
    /// atom or a simpler application equal to <paramref name="application"/>, or null to keep it.
    /// </summary>
    public virtual Expression? Simplify(PrimitiveExpression application, SimplifyContext context) => null;

    /// <summary>
    /// Whether every element of <paramref name="application"/>'s output is an element of its one
    /// argument with the same value (broadcasts, reshapes, float conversions), so that the
    /// simplifier may look through it when it asks whether a value is a constant.
    /// </summary>
    public virtual bool CopiesValues(PrimitiveExpression application, SimplifyContext context) => false;

    /// <summary>
    /// The JVP rule: the output tangent from the primals, the output, and the input tangents
    /// (null for a symbolic zero). Returns null when the output tangent is zero.
    /// </summary>
    public virtual Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        throw MissingRule(nameof(Jvp));

    /// <summary>The JVP rule for every output (null: zero tangent); the one-output <see cref="Jvp"/> unless the primitive has several outputs.</summary>
    public virtual Tensor?[] JvpMany(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, IReadOnlyList<Tensor> outputs, PrimitiveParams parameters) =>
        [Jvp(primals, tangents, outputs[0], parameters)];

    /// <summary>
    /// A JVP rule that computes the outputs too, for primitives whose tangents need values that the
    /// primal computation would otherwise compute twice (control flow: the primal construct returns
    /// residuals beside its outputs). Null, the default, means: bind the primitive on the primals,
    /// then call <see cref="JvpMany"/>.
    /// </summary>
    public virtual (Tensor[] Outputs, Tensor?[] Tangents)? JvpWithOutputs(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, PrimitiveParams parameters) => null;

    /// <summary>
    /// The transpose rule for the cotangents of every output (null: zero); the one-output
    /// <see cref="Transpose"/> unless the primitive has several outputs. Not called when every output cotangent is zero.
    /// </summary>
    public virtual Tensor?[] TransposeMany(IReadOnlyList<Tensor?> cotangents, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        Transpose(cotangents[0]!, primals, inputs, parameters);

    /// <summary>
    /// The transpose rule of a linear primitive: cotangents of the linear inputs (those with a
    /// null entry in <paramref name="primals"/>; null for a zero cotangent) from the output cotangent.
    /// </summary>
    public virtual Tensor?[] Transpose(Tensor cotangent, IReadOnlyList<Tensor?> primals, IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters) =>
        throw MissingRule(nameof(Transpose));

    /// <summary>
    /// The batching rule: the batched result and its batch axis, given the arguments and the
    /// axis each is batched along (null when not batched).
    /// </summary>
    public virtual (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        throw MissingRule(nameof(Batch));

    /// <summary>The batching rule for every output, with each output's batch axis; the one-output <see cref="Batch"/> unless the primitive has several outputs.</summary>
    public virtual (Tensor[] Results, int?[] BatchAxes) BatchMany(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters)
    {
        var (result, axis) = Batch(args, batchAxes, parameters);
        return ([result], [axis]);
    }

    /// <summary>
    /// Whether eager kernels of this primitive are cached by (parameters, input types). Call
    /// primitives, whose parameters hold a freshly traced program per call, say no, so that the
    /// cache does not grow with every call.
    /// </summary>
    public virtual bool CachesKernels => true;

    /// <summary>
    /// Applies the primitive: on concrete tensors it runs now, on their device (see
    /// <see cref="Tensor.Device"/>), through the cached kernel of its one-equation program; otherwise the transformation level that owns it (see
    /// <see cref="Trace.Find"/>) records it in a program or differentiates it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The primitive has several outputs: use <see cref="BindMany"/>.</exception>
    public Tensor Bind(PrimitiveParams parameters, params Tensor[] args)
    {
        if (MultipleResults) throw new InvalidOperationException($"{Name}: this primitive has several outputs; apply it with BindMany, which returns them all");
        return BindMany(parameters, args)[0];
    }

    /// <summary>
    /// Applies the primitive and returns all its outputs (one for most primitives): on concrete
    /// tensors it runs now, on the device of the committed ones (else the default device); otherwise the transformation level that owns it handles it.
    /// </summary>
    public Tensor[] BindMany(PrimitiveParams parameters, params Tensor[] args)
    {
        Arg.NoNulls(args, Name, nameof(args));
        if (Trace.Find(args, Name) is { } trace) return trace.Process(this, parameters, args);
        var (device, committed) = Placement.Of(args, Name);
        return device.IsHost ? CpuExecutor.Execute(this, parameters, args) : device.Execute(this, parameters, args, committed);
    }

    /// <summary>The error for a rule this primitive does not have.</summary>
    protected NotSupportedException MissingRule(string rule) =>
        new($"{Name}: the {rule} rule is not implemented for this primitive");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
