using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Primitives;

namespace JaxSharp.Transforms;

/// <summary>
/// What a primitive's <see cref="Primitive.Simplify"/> rule may ask of the program around an
/// application: the shapes of atoms, the applications that define them, and whether an atom
/// is a known constant.
/// </summary>
public sealed class SimplifyContext
{
    private readonly Dictionary<Expression, AbstractValue> _avals;
    private readonly Dictionary<Expression, PrimitiveExpression> _producers;
    private readonly Dictionary<Expression, int> _uses;

    internal SimplifyContext(Dictionary<Expression, AbstractValue> avals, Dictionary<Expression, PrimitiveExpression> producers, Dictionary<Expression, int> uses)
    {
        _avals = avals;
        _producers = producers;
        _uses = uses;
    }

    /// <summary>
    /// How many equations (and outputs) of the program as traced read <paramref name="atom"/>: a
    /// rule that recomputes a value in another form (rather than reading it) pays off only when
    /// the rewritten equation is its one reader, so the original becomes dead.
    /// </summary>
    public int Uses(Expression atom) => _uses.GetValueOrDefault(atom);

    /// <summary>The shape, dtype and weak flag of an atom.</summary>
    public AbstractValue AvalOf(Expression atom) => atom is ConstantExpression { Value: Tensor t } ? t.Aval : _avals[atom];

    /// <summary>The application that defines a program variable, or null for inputs and constants.</summary>
    public PrimitiveExpression? Producer(Expression atom) => _producers.GetValueOrDefault(atom);

    /// <summary>
    /// Whether every element of <paramref name="atom"/> is <paramref name="value"/>: a constant
    /// tensor, or a broadcast, reshape or conversion of one (how autodiff writes ones and zeros).
    /// </summary>
    public bool IsConstant(Expression atom, double value)
    {
        while (true)
        {
            if (atom is ConstantExpression { Value: Tensor t }) return AllEqual(t, value);
            if (Producer(atom) is not { } p || p.Arguments.Count != 1 || !p.Primitive.CopiesValues(p, this)) return false;
            atom = p.Arguments[0];
        }
    }

    /// <summary>
    /// <paramref name="atom"/> when it can stand for <paramref name="application"/>'s result:
    /// it has the same shape, dtype and weak flag; else null.
    /// </summary>
    public Expression? SameAs(Expression atom, PrimitiveExpression application) =>
        AvalOf(atom) == application.Aval ? atom : null;

    /// <summary>
    /// The application of <paramref name="primitive"/> to atoms of this program, checked by its
    /// shape rule; null when the rule rejects them.
    /// </summary>
    public PrimitiveExpression? Apply(Primitive primitive, PrimitiveParams parameters, params Expression[] args)
    {
        try { return PrimitiveExpression.Create(primitive, args, args.Select(AvalOf).ToArray(), parameters); }
        catch (ArgumentException) { return null; }
    }

    private static bool AllEqual(Tensor t, double value)
    {
        foreach (var x in t.Data)
        {
            var v = x switch { bool b => b ? 1.0 : 0.0, IConvertible c => c.ToDouble(null), _ => double.NaN };
            if (v != value) return false;
        }
        return true;
    }
}
