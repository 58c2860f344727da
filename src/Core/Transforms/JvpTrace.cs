using JaxSharp.IR;
using JaxSharp.Primitives;

namespace JaxSharp.Transforms;

/// <summary>
/// The value of a tensor under one level of differentiation: its primal value and its tangent
/// (never zero: a value with a zero tangent is just its primal).
/// </summary>
internal sealed class Dual(JvpTrace trace, Tensor primal, Tensor tangent)
{
    /// <summary>The level this value belongs to.</summary>
    public JvpTrace Trace { get; } = trace;

    /// <summary>The value: concrete outside jit, or a value of an enclosing level.</summary>
    public Tensor Primal { get; } = primal;

    /// <summary>The tangent: concrete (jvp), or a value of linearize's tangent program.</summary>
    public Tensor Tangent { get; } = tangent;
}

/// <summary>
/// One level of forward-mode differentiation (JAX's JVPTrace): each primitive applied to a
/// value of this level runs on the primal values in the enclosing context (concretely, outside
/// jit) and its <c>Jvp</c> rule computes the output tangent beside it. The function is never
/// traced, so .NET control flow on primal values works. With concrete tangents this is
/// <c>jvp</c>, op by op; with tangents that are inputs of a dependent program builder, the
/// rules' work on primals runs now and only the tangent computation is recorded: linearize by
/// partial evaluation (<see cref="Linearization"/>). Zero tangents are symbolic: an equation
/// whose inputs have none gets none, without a rule call.
/// </summary>
internal sealed class JvpTrace() : Trace(stages: false)
{
    /// <summary><paramref name="primal"/> with <paramref name="tangent"/> at this level; a value with no tangent (an integer, or a null tangent) stays as it is.</summary>
    public Tensor Lift(Tensor primal, Tensor? tangent) =>
        tangent is not null && Differentiable(primal.Aval) ? new Tensor(new Dual(this, primal, tangent)) : primal;

    /// <summary>The primal value of <paramref name="x"/> at this level.</summary>
    public Tensor PrimalOf(Tensor x) => x.Dual is { } d && d.Trace == this ? d.Primal : x;

    /// <summary>The tangent of <paramref name="x"/> at this level; null for zero.</summary>
    public Tensor? TangentOf(Tensor x) => x.Dual is { } d && d.Trace == this ? d.Tangent : null;

    /// <summary>The primal outputs, computed in the enclosing context, and their tangents by the primitive's rule.</summary>
    public override Tensor[] Process(Primitive primitive, PrimitiveParams parameters, Tensor[] args)
    {
        var primals = new Tensor[args.Length];
        var tangents = new Tensor?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            primals[i] = PrimalOf(args[i]);
            tangents[i] = TangentOf(args[i]);
        }
        Tensor[] outputs;
        Tensor?[] outTangents;
        if (primitive.JvpWithOutputs(primals, tangents, parameters) is { } joint)
        {
            (outputs, outTangents) = joint;
        }
        else
        {
            outputs = primitive.BindMany(parameters, primals);
            if (!outputs.Any(o => Differentiable(o.Aval))) return outputs;
            outTangents = primitive.JvpMany(primals, tangents, outputs, parameters);
        }
        if (outTangents.Length != outputs.Length)
            throw new InvalidOperationException($"{primitive.Name}: its Jvp rule returned {outTangents.Length} tangents for {outputs.Length} outputs; return one per output (null for zero)");
        var results = new Tensor[outputs.Length];
        for (var k = 0; k < outputs.Length; k++)
            results[k] = outTangents[k] is { } t && Differentiable(outputs[k].Aval)
                ? new Tensor(new Dual(this, outputs[k], CheckTangent(primitive, t, outputs[k])))
                : outputs[k];
        return results;
    }

    /// <summary>Whether values of this type have tangents: floats do; integers and bools have zero tangents, as JAX's float0.</summary>
    public static bool Differentiable(AbstractValue aval) => aval.DType.IsFloat();

    private static Tensor CheckTangent(Primitive primitive, Tensor tangent, Tensor output)
    {
        if (!tangent.Shape.Equals(output.Shape) || tangent.DType != output.DType)
            throw new InvalidOperationException(
                $"{primitive.Name}: its Jvp rule returned a tangent {tangent.Aval} for an output {output.Aval}; a tangent must have the output's shape and dtype");
        return tangent;
    }
}
