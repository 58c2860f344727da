using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>isfinite x</c>: true where x is neither infinite nor NaN; float in, bool out.</summary>
public sealed class IsFinite : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly IsFinite Instance = new();
    private IsFinite() { }
    /// <inheritdoc/>
    public override string Name => "is_finite";
    /// <inheritdoc/>
    protected override DType OutputDType(DType input) => DType.Bool;
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => MathExpressions.CallOn(x.Type, "IsFinite", x);

    /// <summary>A bool output has no tangent.</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => null;
}
