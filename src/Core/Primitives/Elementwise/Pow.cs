using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a^b</c>, elementwise with broadcasting, on floats.</summary>
public sealed class Pow : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Pow Instance = new();
    private Pow() { }
    /// <inheritdoc/>
    public override string Name => "pow";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Float;
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => MathExpressions.Call("Pow", a, b);

    /// <summary>d(a^b) = b a^(b-1) da + log(a) a^b db, with JAX's care at b = 0 and a = 0.</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => (Np.Where(Np.Equal(b, 0.0), 0.0, b * Lax.Pow(a, b - 1.0)), Lax.Log(Np.Where(Np.Equal(a, 0.0), 1.0, a)) * y);
}
