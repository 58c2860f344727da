using JaxSharp.Cpu;
using JaxSharp.IR;

namespace JaxSharp.Primitives.Control;

/// <summary>The parameters of <see cref="Cond"/>.</summary>
/// <param name="Branches">
/// The branches, closed programs of one input list (every branch's consts, then the user's
/// operands) and one output list; branch <c>i</c> runs when the index is <c>i</c> (for a
/// predicate: 0 is false, 1 is true, as JAX's <c>branches=(false_fun, true_fun)</c>).
/// </param>
public sealed record CondParams(Jaxpr[] Branches) : PrimitiveParams;

/// <summary>
/// <c>cond</c> (JAX's <c>lax.cond</c> and <c>lax.switch</c>): runs one of several branches on the
/// operands, chosen by an int32 scalar index clamped into range. Arguments: the index, then the
/// operands (every branch's consts, then the user's operands). Every branch is traced, one runs:
/// on the CPU both are compiled once when the equation is lowered and a kernel runs the chosen one.
/// </summary>
public sealed partial class Cond : MultiOutputPrimitive
{
    /// <summary>The primitive.</summary>
    public static readonly Cond Instance = new();
    private Cond() { }

    /// <summary>The name in messages, as JAX's users know it.</summary>
    internal const string Op = "lax.cond";

    /// <inheritdoc/>
    public override string Name => "cond";

    /// <summary>No: each trace holds fresh branch programs.</summary>
    public override bool CachesKernels => false;

    /// <summary>Applies <c>cond</c>: branch <paramref name="index"/> (clamped) of <paramref name="branches"/> on <paramref name="operands"/>.</summary>
    internal static Tensor[] Apply(Tensor index, Jaxpr[] branches, IReadOnlyList<Tensor> operands) =>
        Instance.BindMany(new CondParams(branches), [index, .. operands]);

    /// <summary>The outputs of the branches, which must take the operands' types and agree with each other.</summary>
    public override AbstractValue[] InferShapes(IReadOnlyList<AbstractValue> inputs, PrimitiveParams parameters)
    {
        var branches = ((CondParams)parameters).Branches;
        if (branches.Length == 0) throw new ArgumentException($"{Op}: no branches; give at least one function");
        if (inputs.Count == 0 || inputs[0].Rank != 0 || inputs[0].DType != DType.Int32)
            throw new ArgumentException($"{Op}: the index must be an int32 scalar, got {(inputs.Count == 0 ? "nothing" : inputs[0].ToString())}; " +
                                        "convert a predicate with Lax.ConvertElementType(pred, DType.Int32)");
        var operands = inputs.Skip(1).ToArray();
        for (var b = 0; b < branches.Length; b++)
        {
            if (branches[b].Captures.Count != 0) throw new ArgumentException($"{Op}: branch {b} is not closed; pass what it captures as operands");
            if (!ClosedJaxprs.SameTypes(branches[b].InputAvals, operands))
                throw new ArgumentException($"{Op}: branch {b} takes ({string.Join(", ", branches[b].InputAvals)}) but the operands are ({string.Join(", ", operands.AsEnumerable())})");
            if (!ClosedJaxprs.SameTypes(branches[b].OutputAvals, branches[0].OutputAvals))
                throw new ArgumentException($"{Op}: branch {b} returns ({string.Join(", ", branches[b].OutputAvals)}) but branch 0 returns ({string.Join(", ", branches[0].OutputAvals)}); branches must return the same types");
        }
        // an output is weakly typed when every branch's is
        return branches[0].OutputAvals.Select((a, k) => a with { Weak = branches.All(b => b.OutputAvals[k].Weak) }).ToArray();
    }

    /// <summary>Every branch compiled once; the kernel clamps the index and runs that branch.</summary>
    public override CpuLowering LowerCpu(LoweringContext context)
    {
        var compiled = ((CondParams)context.Params).Branches.Select(b => new CompiledBody(b)).ToArray();
        var operandAvals = context.Inputs.Skip(1).ToArray();
        return new MultiKernelLowering((buffers, outputs) =>
        {
            var index = Math.Clamp(((int[])buffers[0])[0], 0, compiled.Length - 1);
            var results = compiled[index].Run(CompiledBody.Wrap(buffers[1..], operandAvals));
            for (var k = 0; k < outputs.Length; k++) Array.Copy(results[k].Data, outputs[k], context.Outputs[k].Shape.Size);
        });
    }
}
