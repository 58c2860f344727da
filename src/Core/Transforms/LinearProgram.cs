using JaxSharp.IR;

namespace JaxSharp.Transforms;

/// <summary>
/// The tangent computation of a function at a point: a program whose inputs are the tangents of
/// the inputs differentiated with respect to, and whose every equation applies a primitive to at
/// least one value that depends on them; the other arguments (residuals) are constants, or
/// captures of values of enclosing levels. It runs forward (<see cref="Apply"/>, JAX's
/// <c>linearize</c>) or transposed (<see cref="Transpose"/>, the pullback of <c>vjp</c> and
/// <c>grad</c>), which walks the equations backwards calling each primitive's transpose rule,
/// with symbolic zero cotangents.
/// </summary>
internal sealed class LinearProgram
{
    private readonly bool[] _hasTangent;
    private readonly int[] _programOutput;

    /// <param name="program">The recorded tangent program; its outputs are the nonzero output tangents.</param>
    /// <param name="hasTangent">For each output of the function, whether its tangent is nonzero (a program output, in order).</param>
    public LinearProgram(Jaxpr program, bool[] hasTangent)
    {
        Program = program;
        _hasTangent = hasTangent;
        _programOutput = new int[hasTangent.Length];
        for (int o = 0, k = 0; o < hasTangent.Length; o++) _programOutput[o] = hasTangent[o] ? k++ : -1;
    }

    /// <summary>For each output of the function, whether its tangent is nonzero (an output of <see cref="Program"/>, in order).</summary>
    public IReadOnlyList<bool> HasTangent => _hasTangent;

    /// <summary>The recorded program (it prints as a jaxpr).</summary>
    public Jaxpr Program { get; }

    /// <summary>The output tangents (null: zero) for tangents of the inputs.</summary>
    public Tensor?[] Apply(IReadOnlyList<Tensor> tangents)
    {
        var values = Program.Evaluate(tangents);
        return _programOutput.Select(k => k < 0 ? null : values[k]).ToArray();
    }

    /// <summary>
    /// The cotangents of the inputs (null: zero) for cotangents of the function's outputs (null:
    /// zero): the transpose of the program, run backwards. <paramref name="nonLinearError"/>, when
    /// given, turns a primitive that cannot be transposed into that caller's error (for
    /// functions the user claims are linear).
    /// </summary>
    public Tensor?[] Transpose(IReadOnlyList<Tensor?> outputCotangents, Func<string, Exception>? nonLinearError = null)
    {
        var programCotangents = new Tensor?[Program.Outputs.Count];
        for (var o = 0; o < _programOutput.Length; o++)
            if (_programOutput[o] >= 0) programCotangents[_programOutput[o]] = outputCotangents[o];
        return JaxprTranspose.Backward(Program, new Tensor?[Program.Inputs.Count], programCotangents, "transpose", nonLinearError);
    }
}
