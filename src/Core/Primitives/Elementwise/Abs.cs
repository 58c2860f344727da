using System.Linq.Expressions;
using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>|x|</c>, elementwise, on signed numbers; <c>|int.MinValue| = int.MinValue</c> as in XLA.</summary>
public sealed class Abs : UnaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Abs Instance = new();
    private Abs() { }
    /// <inheritdoc/>
    public override string Name => "abs";
    /// <inheritdoc/>
    protected override DTypeKinds Accepted => DTypeKinds.Signed;
    /// <inheritdoc/>
    protected override Expression Element(Expression x) => x.Type == typeof(int) ? MathExpressions.CallOn(typeof(ScalarMath), "Abs", x) : MathExpressions.Call("Abs", x);
    /// <inheritdoc/>
    protected override Expression? VectorElement(Expression x) => VectorExpressions.Call("Abs", x);

    /// <summary>d/dx |x| = 1 for x &gt;= 0, else -1 (so the gradient at 0 is 1, as JAX).</summary>
    protected override Tensor? Derivative(Tensor x, Tensor y) => Np.Where(x >= 0.0, 1.0, -1.0);
}
