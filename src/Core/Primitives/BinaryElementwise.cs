using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives;

/// <summary>
/// The common case of an elementwise function of two arguments with numpy broadcasting.
/// Both arguments must have the same dtype (the numpy layer promotes them first); the
/// output has the broadcast shape and, by default, that dtype.
/// </summary>
public abstract class BinaryElementwise : Primitive
{
    /// <summary>Whether the primitive accepts <paramref name="dtype"/>; all dtypes but bool by default.</summary>
    protected virtual bool Accepts(DType dtype) => dtype != DType.Bool;

    /// <summary>What the primitive accepts, for error messages.</summary>
    protected virtual string AcceptedDescription => "numeric arrays (not bool)";

    /// <summary>The output dtype for inputs of <paramref name="input"/>; the same by default.</summary>
    protected virtual DType OutputDType(DType input) => input;

    /// <summary>The output element from the input elements (of the inputs' .NET type).</summary>
    protected abstract Expression Element(Expression a, Expression b);

    /// <inheritdoc/>
    public override AbstractValue InferShape(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        if (inputs.Count != 2) throw new ArgumentException($"{Name}: takes 2 arguments, got {inputs.Count}");
        var (a, b) = (inputs[0], inputs[1]);
        if (a.DType != b.DType)
            throw new ArgumentException($"{Name}: dtypes {a.DType.Name()} and {b.DType.Name()} differ; lax ops need equal dtypes: convert one with AsType, or use the Np function, which promotes");
        if (!Accepts(a.DType))
            throw new ArgumentException($"{Name}: expected {AcceptedDescription}, got {a.DType.Name()}; convert first with AsType");
        var dtype = OutputDType(a.DType);
        return new AbstractValue(Broadcasting.Shapes(Name, a.Shape, b.Shape), dtype, a.Weak && b.Weak && dtype == a.DType);
    }

    /// <inheritdoc/>
    public override CpuLowering LowerCpu(LoweringContext context) => new ElementwiseLowering(xs => Element(xs[0], xs[1]));
}
