using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// Closed programs made to share one input list, as the branches of <c>cond</c> must (JAX puts
/// each branch's consts into the one operand list of the equation): each branch takes every
/// branch's consts, in order, then the operands, and ignores the consts of the others.
/// </summary>
internal static class Branches
{
    /// <summary>
    /// The branches over one input list (the consts of branch 0, of branch 1, ..., then the
    /// operands), and that list's leading part: every branch's consts, concatenated.
    /// </summary>
    /// <param name="traced">Each branch's closed program (its consts first, then the operands) and its consts.</param>
    public static (Jaxpr[] Programs, Tensor[] Consts) Join(IReadOnlyList<(Jaxpr Program, Tensor[] Consts)> traced)
    {
        var consts = traced.SelectMany(t => t.Consts).ToArray();
        var programs = new Jaxpr[traced.Count];
        for (int b = 0, offset = 0; b < traced.Count; offset += traced[b].Consts.Length, b++)
            programs[b] = WithInputs(traced[b].Program, consts.Select(c => c.Aval).ToArray(), offset, traced[b].Consts.Length);
        return (programs, consts);
    }

    /// <summary>
    /// <paramref name="program"/> (inputs: <paramref name="ownCount"/> consts, then operands) as a program
    /// of every const of <paramref name="allConsts"/> then the operands, its own consts at <paramref name="offset"/>.
    /// </summary>
    private static Jaxpr WithInputs(Jaxpr program, AbstractValue[] allConsts, int offset, int ownCount)
    {
        if (ownCount == allConsts.Length) return program;
        var parameters = new List<ParameterExpression>();
        var avals = new List<AbstractValue>();
        for (var i = 0; i < allConsts.Length; i++)
        {
            var own = i >= offset && i < offset + ownCount;
            parameters.Add(own ? program.Inputs[i - offset] : Expression.Parameter(typeof(Tensor), "unused"));
            avals.Add(own ? program.InputAvals[i - offset] : allConsts[i]);
        }
        parameters.AddRange(program.Inputs.Skip(ownCount));
        avals.AddRange(program.InputAvals.Skip(ownCount));
        return new Jaxpr(Expression.Lambda(program.Lambda.Body, parameters), avals, []);
    }

    /// <summary>
    /// Traces <paramref name="f"/> at <paramref name="inputs"/> into a closed program that may close over
    /// nothing but constants (the programs rules build from other closed programs).
    /// </summary>
    public static Jaxpr TraceClosed(Func<Tensor[], Tensor[]> f, IReadOnlyList<AbstractValue> inputs, string op)
    {
        var (program, consts) = ClosedJaxprs.Trace(f, inputs, op);
        if (consts.Length != 0) throw new InvalidOperationException($"{op}: a rule's program closed over {consts.Length} values of an enclosing trace");
        return program;
    }
}
