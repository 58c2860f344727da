using System.Linq.Expressions;
using System.Runtime.Intrinsics;
using JaxSharp.Cpu;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp.Primitives;

/// <summary>
/// The common case of an elementwise function of one argument: the output has the input's
/// shape (and, by default, its dtype). A subclass gives its element expression and the
/// dtypes it accepts (floats by default).
/// </summary>
public abstract class UnaryElementwise : Primitive
{
    /// <summary>The dtypes the primitive accepts; float32 and float64 by default.</summary>
    protected virtual DTypeKinds Accepted => DTypeKinds.Float;

    /// <summary>The output dtype for an input of <paramref name="input"/>; the same by default.</summary>
    protected virtual DType OutputDType(DType input) => input;

    /// <summary>The output element from the input element <paramref name="x"/> (of the input's .NET type).</summary>
    protected abstract Expression Element(Expression x);

    /// <summary>The output element, given the parameters too; <see cref="Element(Expression)"/> by default.</summary>
    protected virtual Expression Element(Expression x, PrimitiveParams parameters) => Element(x);

    /// <summary>
    /// The output vector from the input vector (a <c>Vector512&lt;T&gt;</c> or narrower, see
    /// <see cref="ElementwiseLowering.Vector"/>); null where there is no vector form (the default).
    /// </summary>
    protected virtual Expression? VectorElement(Expression x) => null;

    /// <summary>The output vector, given the parameters too; <see cref="VectorElement(Expression)"/> by default.</summary>
    protected virtual Expression? VectorElement(Expression x, PrimitiveParams parameters) => VectorElement(x);

    /// <summary>
    /// Whether elements of the lane type <paramref name="element"/> (float or double) outside
    /// vectors (a loop's tail, a small array, a loop that cannot vectorise) are computed by the
    /// vector form too, on one lane: true where the vector form is an approximation (SimdMath's
    /// exp, log, sin...) rather than the same IEEE operation as the scalar one. Then every
    /// element is the same function of its input wherever it lies, as in XLA, instead of
    /// differing from <see cref="MathF"/> or <see cref="Math"/> by an ulp at some positions.
    /// False by default.
    /// </summary>
    protected virtual bool ScalarsFromVectorForm(Type element) => false;

    /// <summary>Whether the vector form takes bool inputs (as lane masks); false by default.</summary>
    protected virtual bool VectorizesBool => false;

    /// <summary>Checks the parameters; none are taken by default.</summary>
    protected virtual void CheckParams(PrimitiveParams parameters) { }

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: takes 1 argument, got {inputs.Count}");
        CheckParams(parameters);
        var x = inputs[0];
        if (!Accepted.Contains(x.DType))
            throw new ArgumentException($"{Name}: expected {Accepted.Describe()}, got {x.DType.Name()}{x.Shape}; convert it first, e.g. Np.AsType(x, DType.Float32), or use the Np function, which promotes");
        var dtype = OutputDType(x.DType);
        return new AbstractValue(x.Shape, dtype, x.Weak && dtype == x.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) =>
        new ElementwiseLowering(
            xs => ScalarsFromVectorForm(xs[0].Type) ? OnOneLane(xs[0], context.Params) : Element(xs[0], context.Params),
            context.Inputs[0].DType == DType.Bool && !VectorizesBool ? null : xs => VectorElement(xs[0], context.Params))
        {
            Portable = xs => Element(xs[0], context.Params),
        };

    /// <summary>
    /// A call of the vector form on a vector holding <paramref name="x"/> in every lane, taking its
    /// first lane: a <c>Vector256</c> where the hardware accelerates it (sin and cos of which call
    /// <see cref="Cpu.PrecompiledTrig"/>, a small lambda to compile), else a <c>Vector128</c>; a
    /// lane's steps are the same at every width. The function is compiled once per primitive, parameters and lane
    /// type and called, not inlined: loop tails are short, and inlining a second copy of every
    /// SIMD function would double the code each fused loop compiles.
    /// </summary>
    private Expression OnOneLane(Expression x, PrimitiveParams parameters)
    {
        var function = s_oneLane.GetOrAdd(new LaneKey(this, parameters, x.Type), key => ScalarFunctions.Named(
            key.Element == typeof(float) ? CompiledOnFirstCall<float>(key)
            : key.Element == typeof(double) ? CompiledOnFirstCall<double>(key)
            : CompileLane(key), $"{key.Primitive.Name}_lane"));
        return Expression.Invoke(Expression.Constant(function), x);
    }

    /// <summary>
    /// The one-lane function of <paramref name="key"/>, compiled when it is first called: a loop
    /// calls it only for the columns left after its vector body, so a program whose rows are whole
    /// vectors never compiles it (a large part of a process's first <c>jit</c> of SIMD math otherwise).
    /// </summary>
    private static Func<T, T> CompiledOnFirstCall<T>(LaneKey key)
    {
        Func<T, T>? compiled = null;
        return x => (compiled ??= (Func<T, T>)CompileLane(key))(x);
    }

    private static Delegate CompileLane(LaneKey key)
    {
        var lane = Expression.Parameter(key.Element, "x");
        var vectorType = (Vector256.IsHardwareAccelerated ? typeof(Vector256<>) : typeof(Vector128<>)).MakeGenericType(key.Element);
        var vector = key.Primitive.VectorElement(VectorExpressions.Broadcast(lane, vectorType), key.Parameters)
            ?? throw new InvalidOperationException($"{key.Primitive.Name}: ScalarsFromVectorForm needs a vector form for {key.Element.Name} lanes");
        return Expression.Lambda(VectorExpressions.Call("ToScalar", vector), lane).Compile();
    }

    /// <summary>The key of a one-lane function (a record class, not a tuple: see <c>LoopValue</c>).</summary>
    private sealed record LaneKey(UnaryElementwise Primitive, PrimitiveParams Parameters, Type Element);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<LaneKey, Delegate> s_oneLane = new();

    /// <summary>
    /// The derivative dy/dx from x and y = f(x), built from primitives; the JVP multiplies the
    /// tangent by it. Null means the derivative is zero (piecewise-constant ops such as floor).
    /// </summary>
    protected virtual Tensor? Derivative(Tensor x, Tensor y) => throw MissingRule(nameof(Jvp));

    /// <summary>The tangent times the derivative.</summary>
    public override Tensor? Jvp(IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents, Tensor output, PrimitiveParams parameters) =>
        Derivative(primals[0], output) is { } d ? tangents[0]! * d : null;

    /// <summary>Elementwise on one argument: the batch axis stays where it is.</summary>
    public override (Tensor Result, int? BatchAxis) Batch(IReadOnlyList<Tensor> args, IReadOnlyList<int?> batchAxes, PrimitiveParams parameters) =>
        (Bind(parameters, args[0]), batchAxes[0]);
}
