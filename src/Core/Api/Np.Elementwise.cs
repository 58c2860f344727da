using JaxSharp.Primitives;
using JaxSharp.Primitives.Elementwise;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>Applies a binary primitive after promoting its arguments.</summary>
    internal static Tensor BinaryOp(Primitive primitive, Tensor a, Tensor b)
    {
        var (x, y) = Promote(a, b);
        return primitive.Bind(PrimitiveParams.None, x, y);
    }

    /// <summary>Applies a unary float primitive; integer and bool inputs are promoted to float first, as jnp does.</summary>
    internal static Tensor FloatOp(Primitive primitive, Tensor x) =>
        primitive.Bind(PrimitiveParams.None, x.DType.IsFloat() ? x : Cast(x, DType.Float32, x.IsWeaklyTyped));

    /// <summary><c>a + b</c> elementwise, with broadcasting and promotion.</summary>
    public static Tensor Add(Tensor a, Tensor b) => BinaryOp(Primitives.Elementwise.Add.Instance, a, b);

    /// <summary><c>a * b</c> elementwise, with broadcasting and promotion.</summary>
    public static Tensor Multiply(Tensor a, Tensor b) => BinaryOp(Mul.Instance, a, b);

    /// <summary><c>a &gt; b</c> elementwise, giving bool.</summary>
    public static Tensor Greater(Tensor a, Tensor b) => BinaryOp(Gt.Instance, a, b);

    /// <summary><c>e^x</c> elementwise.</summary>
    public static Tensor Exp(Tensor x) => FloatOp(Primitives.Elementwise.Exp.Instance, x);

    /// <summary><c>sin x</c> elementwise.</summary>
    public static Tensor Sin(Tensor x) => FloatOp(Primitives.Elementwise.Sin.Instance, x);
}
