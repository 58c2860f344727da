using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.OpenCL.Kernels;
using JaxSharp.Primitives.LinearAlgebra;
using JaxSharp.Primitives.Random;
using JaxSharp.Primitives.Reductions;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>
/// A <see cref="Jaxpr"/> compiled for an OpenCL device: its equations grouped by the CPU
/// backend's <see cref="FusionPlanner"/> (one kernel per fused group), every value given a
/// buffer slot. A call uploads host inputs, queues one kernel per group, gives each
/// intermediate buffer back to the pool after its last reader, and returns tensors that hold
/// their output buffers on the device (the work may still be running).
/// </summary>
internal sealed class OpenCLProgram : DeviceProgram
{
    /// <summary>One kernel launch: the slots it reads and writes, and the slots whose last use it is.</summary>
    private sealed record Step(CompiledKernel Kernel, KernelText Text, int[] Reads, int[] Writes, int[] Releases, ClBuffer[] Tables);

    private readonly OpenCLDevice _device;
    private readonly int _inputCount;
    private readonly int _slotCount;
    private readonly (int Slot, ClBuffer Buffer)[] _constants;
    private readonly Step[] _steps;
    private readonly int[] _outputSlots;
    private readonly AbstractValue[] _outputAvals;
    private readonly bool[] _releasedAtEnd;

    public OpenCLProgram(OpenCLDevice device, Jaxpr jaxpr)
    {
        if (jaxpr.CapturedValues.Count > 0)
            throw new InvalidOperationException("OpenCLProgram: a program with captured traced values can only be evaluated inside its trace");
        _device = device;
        var facts = new ProgramFacts(jaxpr);
        CheckFloat64(jaxpr);
        var slots = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var constants = new List<(int, ClBuffer)>();
        int SlotOf(Expression atom)
        {
            object key = atom is ConstantExpression c ? c.Value! : atom;
            if (slots.TryGetValue(key, out var s)) return s;
            slots[key] = s = slots.Count;
            if (atom is ConstantExpression { Value: Tensor t }) constants.Add((s, (ClBuffer)device.Upload(t.Data, t.Aval)));
            return s;
        }
        _inputCount = jaxpr.Inputs.Count;
        foreach (var input in jaxpr.Inputs) SlotOf(input);
        var steps = new List<(CompiledKernel, KernelText, int[], int[])>();
        foreach (var planned in FusionPlanner.Plan(facts))
        {
            var text = planned switch
            {
                LoopStep loop => KernelWriter.Write(loop.Loop, facts, device.ToString()),
                KernelStep when facts.Application(planned.Root).Primitive is DotGeneral => DotGeneralKernel.Write(facts, planned.Root, device.ToString()),
                KernelStep when facts.Application(planned.Root).Primitive is RandomBits or RandomSplit => ThreefryKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is RandomSeed or RandomFoldIn => RandomKeyKernels.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is ReduceAnd or ReduceOr => LogicalReductionKernel.Write(facts, planned.Root),
                _ => throw HandKernels.Missing(facts.Application(planned.Root).Primitive.Name, device),
            };
            steps.Add((device.Kernels.Get(text.Source, text.Name), text, text.Reads.Select(SlotOf).ToArray(), text.Writes.Select(SlotOf).ToArray()));
        }
        _outputSlots = jaxpr.Outputs.Select(SlotOf).ToArray();
        _outputAvals = jaxpr.OutputAvals.ToArray();
        _constants = constants.ToArray();
        _slotCount = slots.Count;
        // a buffer goes back after the step that last uses it, unless it is an output or a constant
        var kept = _outputSlots.Concat(_constants.Select(c => c.Slot)).ToHashSet();
        var lastUse = new Dictionary<int, int>();
        for (var i = 0; i < steps.Count; i++)
            foreach (var s in steps[i].Item3.Concat(steps[i].Item4)) lastUse[s] = i;
        _steps = steps.Select((s, i) => new Step(s.Item1, s.Item2, s.Item3, s.Item4,
            s.Item3.Concat(s.Item4).Distinct().Where(slot => !kept.Contains(slot) && lastUse[slot] == i).ToArray(),
            (s.Item2.Tables ?? []).Select(t => (ClBuffer)device.Upload(t, new AbstractValue(new Shape(t.Length), DType.Int32))).ToArray())).ToArray();
        // an uploaded input that no step gives back (none reads it) goes back at the end of the call
        _releasedAtEnd = Enumerable.Range(0, _inputCount).Select(i => !kept.Contains(i) && !_steps.Any(s => s.Releases.Contains(i))).ToArray();
    }

    /// <summary>The OpenCL C source of each kernel, in launch order (for <c>Jax.Lower</c> and the docs).</summary>
    public IEnumerable<string> Sources => _steps.Select(s => s.Text.Source);

    /// <inheritdoc/>
    public override string Listing
    {
        get
        {
            var text = new System.Text.StringBuilder($"OpenCL program for {_device}: {_steps.Length} kernel(s), in launch order\n");
            string? prelude = null;
            for (var i = 0; i < _steps.Length; i++)
            {
                var step = _steps[i].Text;
                var own = PreludeOf(step.Source);
                if (own is not null && (prelude is null || own.Length > prelude.Length)) prelude = own;
                text.Append($"\n// kernel {i}: {step.Name}, {step.WorkItems} work item(s){(own is null ? "" : ", after the prelude (at the end)")}\n");
                text.Append(step.Source[(own?.Length ?? 0)..]);
            }
            if (prelude is not null) text.Append("\n// the prelude: the helper functions every generated kernel starts with\n").Append(prelude);
            return text.ToString();
        }
    }

    /// <summary>The prelude <paramref name="source"/> starts with (with or without the float64 helpers), or null.</summary>
    private static string? PreludeOf(string source) =>
        new[] { OpenCLPrelude.For(true), OpenCLPrelude.For(false) }.FirstOrDefault(p => source.StartsWith(p, StringComparison.Ordinal));

    private void CheckFloat64(Jaxpr jaxpr)
    {
        if (_device.HasFloat64) return;
        var avals = jaxpr.InputAvals.Concat(jaxpr.Equations.SelectMany(e => e.Application.Avals));
        if (avals.Any(a => a.DType == DType.Float64))
            throw new NotSupportedException(
                $"float64: {_device} has no cl_khr_fp64, so it cannot compute in float64. Convert to float32 first (Np.AsType(x, DType.Float32)) or run on a device that has it (Jax.Devices()).");
    }

    /// <inheritdoc/>
    public override Tensor[] Run(IReadOnlyList<Tensor> inputs, bool committed)
    {
        var slots = new ClBuffer?[_slotCount];
        var uploaded = new bool[_inputCount];
        for (var i = 0; i < _inputCount; i++)
        {
            if (inputs[i].DeviceBuffer is ClBuffer b && b.Device == _device) slots[i] = b;
            else
            {
                slots[i] = (ClBuffer)_device.Upload(inputs[i].Data, inputs[i].Aval);
                uploaded[i] = true;
            }
        }
        foreach (var (slot, buffer) in _constants) slots[slot] = buffer;
        foreach (var step in _steps)
        {
            for (var k = 0; k < step.Writes.Length; k++)
            {
                var aval = step.Text.WriteAvals[k];
                slots[step.Writes[k]] = new ClBuffer(_device, (long)aval.Shape.Size * aval.DType.ByteSize());
            }
            var args = new ClBuffer[step.Reads.Length + step.Writes.Length + step.Tables.Length];
            for (var k = 0; k < step.Reads.Length; k++) args[k] = slots[step.Reads[k]]!;
            for (var k = 0; k < step.Writes.Length; k++) args[step.Reads.Length + k] = slots[step.Writes[k]]!;
            step.Tables.CopyTo(args, step.Reads.Length + step.Writes.Length);
            _device.Launch(step.Kernel, args, step.Text.WorkItems, step.Text.Range);
            foreach (var slot in step.Releases)
                if (slot >= _inputCount || uploaded[slot]) slots[slot]!.Release();
        }
        var results = new Tensor[_outputSlots.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var slot = _outputSlots[i];
            results[i] = slot < _inputCount && !uploaded[slot] && inputs[slot].IsCommitted == committed
                ? inputs[slot]
                : new Tensor(slots[slot]!, _outputAvals[i], committed);
        }
        for (var i = 0; i < _inputCount; i++)
            if (uploaded[i] && _releasedAtEnd[i]) slots[i]!.Release();
        return results;
    }
}
