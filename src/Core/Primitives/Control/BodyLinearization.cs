using JaxSharp.IR;
using JaxSharp.Transforms;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// A closed program split by partial evaluation of its JVP (JAX's <c>partial_eval_jaxpr_nounits</c>
/// on the JVP of a branch or loop body): <see cref="Primal"/> computes the outputs and the
/// residuals, the values the tangent computation needs; <see cref="Tangent"/> is linear in the
/// tangents and reads the primal values only through the residuals. <c>cond</c> and <c>scan</c>
/// differentiate this way: a primal construct that also returns residuals (stacked per step for
/// <c>scan</c>), and a linear construct over the tangent programs, whose transpose is the
/// transposed construct.
/// </summary>
/// <param name="Primal">Inputs: the program's. Outputs: the program's outputs, then the residuals.</param>
/// <param name="Tangent">Inputs: the residuals, then the tangents of the inputs that have one (in order). Outputs: the tangents of the outputs that have one.</param>
/// <param name="InputHasTangent">For each input of the program, whether <see cref="Tangent"/> takes its tangent.</param>
/// <param name="OutputHasTangent">For each output of the program, whether its tangent can be nonzero (an output of <see cref="Tangent"/>).</param>
/// <param name="ResidualInput">For each residual, the input of the program it is, unchanged (so a loop can pass that input instead of storing it per step), or null.</param>
internal sealed record LinearizedBody(Jaxpr Primal, Jaxpr Tangent, bool[] InputHasTangent, bool[] OutputHasTangent, int?[] ResidualInput)
{
    /// <summary>The number of residuals.</summary>
    public int ResidualCount => ResidualInput.Length;

    /// <summary>The number of outputs of the program (the first outputs of <see cref="Primal"/>).</summary>
    public int OutputCount => OutputHasTangent.Length;

    /// <summary>
    /// Splits <paramref name="program"/> (closed: no captures), differentiating with respect to the
    /// float inputs marked in <paramref name="inputHasTangent"/>. A loop finds which carries have
    /// tangents by splitting again with the outputs' <see cref="OutputHasTangent"/> until it is stable.
    /// </summary>
    public static LinearizedBody Split(Jaxpr program, IReadOnlyList<bool> inputHasTangent, string op)
    {
        if (program.Captures.Count != 0) throw new ArgumentException($"{op}: split a closed program");
        var wrt = Enumerable.Range(0, program.Inputs.Count).Where(i => inputHasTangent[i] && program.InputAvals[i].DType.IsFloat()).ToArray();
        LinearProgram? linear = null;
        var outputCount = program.Outputs.Count;
        var primal = Tracing.Trace(inputs =>
        {
            var (outputs, lin) = Linearization.Linearize(a => ClosedJaxprs.Call(program, a), inputs, wrt);
            linear = lin;
            return [.. outputs, .. lin.Program.CapturedValues];
        }, program.InputAvals, op);
        var tangent = ClosedJaxprs.Close(linear!.Program);
        var residualInput = primal.Outputs.Skip(outputCount)
            .Select(o => primal.Inputs.IndexOf(o) is var k and >= 0 ? (int?)k : null).ToArray();
        var hasTangent = new bool[program.Inputs.Count];
        foreach (var i in wrt) hasTangent[i] = true;
        return new LinearizedBody(primal, tangent, hasTangent, linear.HasTangent.ToArray(), residualInput);
    }
}

internal static class ListExtensions
{
    /// <summary>The index of the first element that is <paramref name="item"/> by reference, or -1.</summary>
    public static int IndexOf<T>(this IReadOnlyList<T> list, object item) where T : class
    {
        for (var i = 0; i < list.Count; i++)
            if (ReferenceEquals(list[i], item)) return i;
        return -1;
    }
}
