using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>max(a, b)</c>, elementwise with broadcasting; NaN if either is NaN; or of bools.</summary>
public sealed class Max : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Max Instance = new();
    private Max() { }
    /// <inheritdoc/>
    public override string Name => "max";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Any;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => a.Type == typeof(bool) ? Expression.Or(a, b) : MathExpressions.CallOn(typeof(Math), "Max", a, b);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression a, Expression b) => VectorExpressions.Call("Max", a, b);

    /// <summary>JAX's balanced rule: the partial is 1 where that argument is the max, 0.5 where both are (ties split the gradient), else 0.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (Balanced(a, b, y), Balanced(b, a, y));

    /// <summary>1 where x alone attains y, 0.5 where both do, else 0.</summary>
    internal static Tensor Balanced(Tensor x, Tensor other, Tensor y) =>
        Np.Where(Np.Equal(x, y), Np.Where(Np.Equal(other, y), 0.5, 1.0), 0.0);
}
