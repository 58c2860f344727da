using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// Closed programs for control-flow primitives (JAX's <c>ClosedJaxpr</c> with its consts hoisted,
/// as <c>_initial_style_jaxpr</c>): a function traced into a <see cref="Jaxpr"/> with no captures,
/// whose first inputs are the values it closed over (the <em>consts</em>, passed as the leading
/// arguments of the equation that uses it) followed by its declared inputs. Such a program can be
/// compiled on its own, transformed, and run any number of times.
/// </summary>
internal static class ClosedJaxprs
{
    /// <summary>
    /// Traces <paramref name="f"/> at inputs of <paramref name="inputs"/>' shapes and dtypes; returns
    /// the closed program (inputs: consts, then the declared inputs) and the consts' values.
    /// </summary>
    public static (Jaxpr Program, Tensor[] Consts) Trace(Func<Tensor[], Tensor[]> f, IReadOnlyList<AbstractValue> inputs, string op)
    {
        var traced = Tracing.Trace(f, inputs, op);
        return (Close(traced), traced.CapturedValues.ToArray());
    }

    /// <summary>
    /// <paramref name="jaxpr"/> with its captures made leading inputs: the program of
    /// (captures, inputs) with no captures. A program with none is returned as it is.
    /// </summary>
    public static Jaxpr Close(Jaxpr jaxpr)
    {
        if (jaxpr.Captures.Count == 0) return jaxpr;
        var parameters = jaxpr.Captures.Concat(jaxpr.Inputs).ToArray();
        var avals = jaxpr.CapturedValues.Select(c => c.Aval).Concat(jaxpr.InputAvals).ToArray();
        return new Jaxpr(Expression.Lambda(jaxpr.Lambda.Body, parameters), avals, []);
    }

    /// <summary>
    /// The same program with its inputs reordered: input <c>k</c> of the result is input
    /// <c>order[k]</c> of <paramref name="jaxpr"/> (a permutation), so rules can move consts,
    /// carries and sequences where the primitive wants them.
    /// </summary>
    public static Jaxpr Permute(Jaxpr jaxpr, IReadOnlyList<int> order)
    {
        if (jaxpr.Captures.Count != 0) throw new ArgumentException("Permute: close the program first");
        if (order.Count != jaxpr.Inputs.Count || order.Distinct().Count() != order.Count)
            throw new ArgumentException($"Permute: {order.Count} positions for {jaxpr.Inputs.Count} inputs");
        var parameters = order.Select(i => jaxpr.Inputs[i]).ToArray();
        return new Jaxpr(Expression.Lambda(jaxpr.Lambda.Body, parameters), order.Select(i => jaxpr.InputAvals[i]).ToArray(), []);
    }

    /// <summary>Runs a closed program on its inputs (consts first), binding each primitive: it executes on concrete values and records inside a trace.</summary>
    public static Tensor[] Call(Jaxpr program, IReadOnlyList<Tensor> inputs) => JaxprEvaluator.Evaluate(program, inputs, []);

    /// <summary>
    /// Whether two lists of abstract values agree in shape and dtype (weak flags aside), as branch
    /// outputs and loop carries must.
    /// </summary>
    public static bool SameTypes(IReadOnlyList<AbstractValue> a, IReadOnlyList<AbstractValue> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Shape.Equals(p.Second.Shape) && p.First.DType == p.Second.DType);
}
