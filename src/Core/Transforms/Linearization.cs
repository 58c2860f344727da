using JaxSharp.IR;

namespace JaxSharp.Transforms;

/// <summary>
/// A function linearized at a point by partial evaluation (JAX's <c>linearize</c>): the function
/// runs once on values that carry, beside their primal value, a tangent that is an input of a
/// program being recorded. Primal values are known and computed as the function runs (concretely,
/// outside jit), so .NET control flow on them works; tangents are unknown, and only their
/// computation along the path taken is recorded, as a <see cref="LinearProgram"/>.
/// </summary>
internal static class Linearization
{
    /// <summary>
    /// Runs <paramref name="f"/> at <paramref name="primals"/>, differentiating with respect to
    /// the inputs <paramref name="wrt"/> (the others are held constant). Returns the primal outputs
    /// and the linear program from the tangents of <c>wrt</c> to the tangents of the outputs.
    /// </summary>
    public static (Tensor[] Outputs, LinearProgram Linear) Linearize(Func<Tensor[], Tensor[]> f, IReadOnlyList<Tensor> primals, int[] wrt)
    {
        using var trace = new JvpTrace();
        using var tangents = ProgramBuilder.BeginDependent();
        var args = primals.ToArray();
        foreach (var i in wrt) args[i] = trace.Lift(primals[i], tangents.NewInput(primals[i].Aval.Strong));
        var outputs = f(args) ?? throw new ArgumentException("linearize: the function returned null; return its output tensors");
        var outTangents = outputs.Select(trace.TangentOf).ToArray();
        var program = tangents.Finish(outTangents.OfType<Tensor>().ToArray());
        var hasTangent = new bool[outTangents.Length]; // not LINQ's Select to bool, JIT-compiled in every process
        for (var k = 0; k < hasTangent.Length; k++) hasTangent[k] = outTangents[k] is not null;
        return (outputs.Select(trace.PrimalOf).ToArray(), new LinearProgram(program, hasTangent));
    }

    /// <summary>
    /// Forward mode, op by op: the outputs of <paramref name="f"/> at <paramref name="primals"/>
    /// and their tangents along <paramref name="tangents"/> (null: zero), all computed as the
    /// function runs; nothing is traced.
    /// </summary>
    public static (Tensor[] Outputs, Tensor?[] Tangents) Jvp(Func<Tensor[], Tensor[]> f, IReadOnlyList<Tensor> primals, IReadOnlyList<Tensor?> tangents)
    {
        using var trace = new JvpTrace();
        var args = primals.Select((p, i) => trace.Lift(p, tangents[i])).ToArray();
        var outputs = f(args) ?? throw new ArgumentException("jvp: the function returned null; return its output tensors");
        return (outputs.Select(trace.PrimalOf).ToArray(), outputs.Select(trace.TangentOf).ToArray());
    }
}
