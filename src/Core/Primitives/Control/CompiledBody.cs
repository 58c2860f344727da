using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// A branch or loop body compiled for the CPU once, when the equation that holds it is lowered:
/// the same fused program <c>jit</c> makes of any program (shared through <see cref="ProgramCache"/>),
/// run as many times as the construct needs without tracing again.
/// </summary>
internal sealed class CompiledBody
{
    private readonly CpuProgram _program;

    /// <summary>Compiles <paramref name="program"/> (closed: no captures).</summary>
    public CompiledBody(Jaxpr program)
    {
        Program = program;
        _program = ProgramCache.Get(program);
    }

    /// <summary>The program that was compiled.</summary>
    public Jaxpr Program { get; }

    /// <summary>Runs the body on its inputs; returns its outputs.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs) => _program.Run(inputs);

    /// <summary>
    /// Kernel buffers as tensors of the given types: a pooled buffer may be longer than its value,
    /// and a tensor gets exactly its elements (copied only then). The tensors share the kernel's
    /// buffers, so a donating call never writes into them.
    /// </summary>
    public static Tensor[] Wrap(IReadOnlyList<Array> buffers, IReadOnlyList<AbstractValue> avals) =>
        buffers.Select((b, i) => new Tensor(BufferPool.Exact(b, avals[i].Shape.Size), avals[i]) { SharesBuffer = true }).ToArray();
}
