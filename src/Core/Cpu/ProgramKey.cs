using System.Linq.Expressions;
using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Cpu;

/// <summary>
/// What identifies a compiled program, compared by value: its listing (the structure, every
/// primitive's parameters, the shapes and dtypes, nested programs included), the weak flags of
/// its inputs, the bits of every constant in it and in every nested program, and the user
/// functions its parameters hold (custom rules), by identity. Two programs with equal keys
/// compute the same thing.
/// </summary>
internal sealed class ProgramKey : IEquatable<ProgramKey>
{
    private readonly string _listing;
    private readonly string[] _constants;
    private readonly Delegate[] _functions;
    private readonly int _hash;

    private ProgramKey(string listing, string[] constants, Delegate[] functions)
    {
        _listing = listing;
        _constants = constants;
        _functions = functions;
        var hash = new HashCode();
        hash.Add(listing);
        foreach (var c in constants) hash.Add(c);
        foreach (var f in functions) hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(f));
        _hash = hash.ToHashCode();
    }

    /// <summary>The key of <paramref name="jaxpr"/>, or null when a constant anywhere in it has more than <paramref name="largestKeyedConstant"/> elements.</summary>
    public static ProgramKey? Of(Jaxpr jaxpr, int largestKeyedConstant)
    {
        var weak = new char[jaxpr.InputAvals.Count]; // not LINQ's Select to char: JIT-compiled in every process
        for (var i = 0; i < weak.Length; i++) weak[i] = jaxpr.InputAvals[i].Weak ? 'w' : 's';
        var listing = jaxpr.ToString() + "|" + new string(weak);
        var constants = new List<string>();
        var functions = new List<Delegate>();
        foreach (var program in SubPrograms.SelfAndNested(jaxpr))
        {
            var atoms = program.Equations.SelectMany(e => e.Application.Arguments).Concat(program.Outputs);
            foreach (var t in atoms.OfType<ConstantExpression>().Select(c => (Tensor)c.Value!).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>())
            {
                if (t.Size > largestKeyedConstant) return null;
                constants.Add(Simplifier.ConstantKey(t));
            }
            foreach (var eq in program.Equations) functions.AddRange(SubPrograms.FunctionsOf(eq.Application.Params));
        }
        return new ProgramKey(listing, constants.ToArray(), functions.ToArray());
    }

    /// <inheritdoc/>
    public bool Equals(ProgramKey? other) =>
        other is not null && _hash == other._hash && _listing == other._listing
        && _constants.AsSpan().SequenceEqual(other._constants)
        && _functions.Length == other._functions.Length
        && _functions.Zip(other._functions).All(p => ReferenceEquals(p.First, p.Second));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ProgramKey);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;
}
