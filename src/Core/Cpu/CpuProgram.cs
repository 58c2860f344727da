using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Cpu;

/// <summary>
/// A <see cref="Jaxpr"/> compiled for the CPU: each equation's kernel is looked up once and
/// its arguments resolved to buffer slots, so a call only runs kernels. (Fusion of
/// equations into shared loops comes with the jit issue, #6.)
/// </summary>
internal sealed class CpuProgram
{
    private sealed record Step(Action<Array[], Array> Kernel, int[] ArgSlots, int OutSlot, AbstractValue Output);

    private readonly Step[] _steps;
    private readonly Array?[] _constantSlots;
    private readonly int[] _outputSlots;
    private readonly AbstractValue[] _outputAvals;
    private readonly int _inputCount;

    public CpuProgram(Jaxpr jaxpr)
    {
        if (jaxpr.CapturedValues.Count > 0)
            throw new InvalidOperationException("CpuProgram: a program with captured traced values can only be evaluated inside its trace");
        var slots = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var constants = new List<Array?>();
        int Slot(Expression atom)
        {
            object key = atom is ConstantExpression c ? c.Value! : atom;
            if (!slots.TryGetValue(key, out var s))
            {
                slots[key] = s = constants.Count;
                constants.Add(atom is ConstantExpression ce ? ((Tensor)ce.Value!).Data : null);
            }
            return s;
        }
        var avals = new Dictionary<Expression, AbstractValue>();
        for (var i = 0; i < jaxpr.Inputs.Count; i++) { Slot(jaxpr.Inputs[i]); avals[jaxpr.Inputs[i]] = jaxpr.InputAvals[i]; }
        foreach (var eq in jaxpr.Equations) avals[eq.Variable] = eq.Application.Aval;
        AbstractValue AvalOf(Expression atom) => atom is ConstantExpression c ? ((Tensor)c.Value!).Aval : avals[atom];
        _inputCount = jaxpr.Inputs.Count;
        _steps = jaxpr.Equations.Select(eq =>
        {
            var app = eq.Application;
            var argAvals = app.Arguments.Select(AvalOf).ToArray();
            var kernel = KernelCache.Get(app.Primitive, app.Params, argAvals, app.Aval);
            return new Step(kernel, app.Arguments.Select(Slot).ToArray(), Slot(eq.Variable), app.Aval);
        }).ToArray();
        _outputSlots = jaxpr.Outputs.Select(Slot).ToArray();
        _outputAvals = jaxpr.OutputAvals.ToArray();
        _constantSlots = constants.ToArray();
    }

    public Tensor[] Run(IReadOnlyList<Tensor> inputs)
    {
        var slots = (Array?[])_constantSlots.Clone();
        for (var i = 0; i < _inputCount; i++) slots[i] = inputs[i].Data;
        foreach (var step in _steps)
        {
            var args = new Array[step.ArgSlots.Length];
            for (var i = 0; i < args.Length; i++) args[i] = slots[step.ArgSlots[i]]!;
            var result = Array.CreateInstance(step.Output.DType.ClrType(), step.Output.Shape.Size);
            step.Kernel(args, result);
            slots[step.OutSlot] = result;
        }
        var outputs = new Tensor[_outputSlots.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            var slot = _outputSlots[i];
            outputs[i] = slot < _inputCount ? inputs[slot] : new Tensor(slots[slot]!, _outputAvals[i]);
        }
        return outputs;
    }
}
