using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives;

/// <summary>
/// The common case of an elementwise function of one argument: the output has the input's
/// shape (and, by default, its dtype). A subclass gives its element expression; by default
/// it accepts float dtypes only.
/// </summary>
public abstract class UnaryElementwise : Primitive
{
    /// <summary>Whether the primitive accepts <paramref name="dtype"/>; floats by default.</summary>
    protected virtual bool Accepts(DType dtype) => dtype.IsFloat();

    /// <summary>The output dtype for an input of <paramref name="input"/>; the same by default.</summary>
    protected virtual DType OutputDType(DType input) => input;

    /// <summary>What the primitive accepts, for error messages.</summary>
    protected virtual string AcceptedDescription => "a floating-point array (float32 or float64)";

    /// <summary>The output element from the input element <paramref name="x"/> (of the input's .NET type).</summary>
    protected abstract Expression Element(Expression x);

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: takes 1 argument, got {inputs.Count}");
        var x = inputs[0];
        if (!Accepts(x.DType))
            throw new ArgumentException($"{Name}: expected {AcceptedDescription}, got {x.DType.Name()}{x.Shape}; convert it first, e.g. x.AsType(DType.Float32)");
        var dtype = OutputDType(x.DType);
        return new AbstractValue(x.Shape, dtype, x.Weak && dtype == x.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new ElementwiseLowering(xs => Element(xs[0]));
}
