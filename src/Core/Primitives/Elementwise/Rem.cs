using System.Linq.Expressions;

namespace JaxSharp.Primitives.Elementwise;

/// <summary><c>a % b</c>, elementwise with broadcasting: the remainder of truncated division, with the sign of <c>a</c> (C's fmod for floats); integers never throw (<see cref="ScalarMath.Rem(int, int)"/>).</summary>
public sealed class Rem : BinaryElementwise
{
    /// <summary>The primitive.</summary>
    public static readonly Rem Instance = new();
    private Rem() { }
    /// <inheritdoc/>
    public override string Name => "rem";
    /// <inheritdoc/>
    protected override Expression Element(Expression a, Expression b) => a.Type == typeof(int) || a.Type == typeof(uint) ? MathExpressions.CallOn(typeof(ScalarMath), "Rem", a, b) : Expression.Modulo(a, b);

    /// <summary>rem(a, b) = a - b trunc(a/b): d/da = 1, d/db = -trunc(a/b).</summary>
    protected override (Tensor? DA, Tensor? DB) Partials(Tensor a, Tensor b, Tensor y) => ((Tensor)1.0, -(Lax.Sign(a / b) * Lax.Floor(Lax.Abs(a / b))));
}
