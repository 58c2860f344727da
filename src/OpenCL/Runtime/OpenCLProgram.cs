using System.Linq.Expressions;
using JaxSharp.Cpu;
using JaxSharp.IR;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.OpenCL.ControlFlow;
using JaxSharp.OpenCL.Kernels;
using JaxSharp.Primitives.LinearAlgebra;
using JaxSharp.Primitives.Random;
using JaxSharp.Primitives.Convolution;
using JaxSharp.Primitives.Cumulative;
using JaxSharp.Primitives.Indexing;
using JaxSharp.Primitives.Shapes;
using JaxSharp.Primitives.Windows;

namespace JaxSharp.OpenCL.Runtime;

/// <summary>
/// A <see cref="Jaxpr"/> compiled for an OpenCL device: its equations grouped by the CPU
/// backend's <see cref="FusionPlanner"/> (one kernel per fused group), every value given a
/// buffer slot. A call uploads host inputs, queues one kernel per group (or drives a control-flow
/// construct from the host, <see cref="HostConstruct"/>), gives each
/// intermediate buffer back to the pool after its last reader, and returns tensors that hold
/// their output buffers on the device (the work may still be running).
/// </summary>
internal sealed class OpenCLProgram : DeviceProgram
{
    /// <summary>One step: the slots it reads and writes, and the slots whose last use it is.</summary>
    private abstract record Step(int[] Reads, int[] Writes)
    {
        public int[] Releases { get; init; } = [];
    }

    /// <summary>One kernel launch, with the index tables it reads after its buffers.</summary>
    private sealed record LaunchStep(CompiledKernel Kernel, KernelText Text, int[] Reads, int[] Writes, ClBuffer[] Tables) : Step(Reads, Writes);

    /// <summary>A control-flow construct driven from the host: it writes fresh buffers the program owns.</summary>
    private sealed record HostStep(HostConstruct Construct, int[] Reads, int[] Writes) : Step(Reads, Writes);

    private readonly OpenCLDevice _device;
    private readonly int _inputCount;
    private readonly int _slotCount;
    private readonly (int Slot, ClBuffer Buffer)[] _constants;
    private readonly HashSet<int> _constantSlots;
    private readonly Step[] _steps;
    private readonly int[] _outputSlots;
    private readonly AbstractValue[] _outputAvals;
    private readonly bool[] _releasedAtEnd;

    /// <param name="device">The device it runs on.</param>
    /// <param name="jaxpr">The program.</param>
    /// <param name="dotTiling">The tiling of its dot_general kernels; null: the device's (<see cref="OpenCLDevice.DotTiling"/>). Tests force each.</param>
    /// <param name="decompositionsInFloat64">Whether the decompositions compute in float64 (<see cref="DecompositionCode"/>); null: when the device has cl_khr_fp64. Tests force float32.</param>
    public OpenCLProgram(OpenCLDevice device, Jaxpr jaxpr, DotTiling? dotTiling = null, bool? decompositionsInFloat64 = null)
    {
        if (jaxpr.CapturedValues.Count > 0)
            throw new InvalidOperationException("OpenCLProgram: a program with captured traced values can only be evaluated inside its trace");
        _device = device;
        var facts = new ProgramFacts(jaxpr, controlFlowOnDevice: true);
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
        var steps = new List<Step>();
        foreach (var planned in FusionPlanner.Plan(facts))
        {
            if (HostConstruct.TryCreate(device, facts.Application(planned.Root), facts) is { } construct)
            {
                var equation = jaxpr.Equations[planned.Root];
                steps.Add(new HostStep(construct, equation.Application.Arguments.Select(SlotOf).ToArray(), equation.Variables.Select(v => SlotOf(v)).ToArray()));
                continue;
            }
            var text = planned switch
            {
                LoopStep loop => KernelWriter.Write(loop.Loop, facts, device.Limits),
                KernelStep when facts.Application(planned.Root).Primitive is DotGeneral => DotGeneralKernel.Write(facts, planned.Root, device.ToString(), dotTiling ?? device.DotTiling),
                KernelStep when facts.Application(planned.Root).Primitive is RandomBits or RandomSplit => ThreefryKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is RandomSeed or RandomFoldIn => RandomKeyKernels.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is RandomGamma or RandomPoisson => RandomSamplerKernels.Write(facts, planned.Root, device.HasFloat64, device.Limits),
                KernelStep when StridedCopyKernel.Handles(facts.Application(planned.Root).Primitive) => StridedCopyKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is Pad => PadKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is Concatenate => ConcatenateKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is Iota => IotaKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is DynamicSlice or DynamicUpdateSlice => DynamicSliceKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is Gather => GatherKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is ScatterCombine => ScatterKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is CumulativeOp => CumulativeKernel.Write(facts, planned.Root),
                KernelStep when AxisReductionKernel.Handles(facts.Application(planned.Root).Primitive) => AxisReductionKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is ReduceWindow => ReduceWindowKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is SelectAndGatherAdd => SelectAndGatherKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is SelectAndScatterAdd => SelectAndScatterKernel.Write(facts, planned.Root),
                KernelStep when facts.Application(planned.Root).Primitive is ConvGeneralDilated => ConvolutionKernel.Write(facts, planned.Root),
                MultiKernelStep when facts.Application(planned.Root).Primitive is Sort => SortKernel.Write(facts, planned.Root),
                _ when DecompositionCode.Handles(facts.Application(planned.Root).Primitive) => DecompositionCode.For(decompositionsInFloat64 ?? device.HasFloat64).Write(facts, planned.Root),
                _ => throw HandKernels.Missing(facts.Application(planned.Root).Primitive.Name, device),
            };
            foreach (var pass in text.Passes())
                steps.Add(new LaunchStep(device.Kernels.Get(pass.Source, pass.Name), pass, pass.Reads.Select(SlotOf).ToArray(), pass.Writes.Select(SlotOf).ToArray(),
                    (pass.Tables ?? []).Select(t => (ClBuffer)device.Upload(t, new AbstractValue(new Shape(t.Length), DType.Int32))).ToArray()));
        }
        _outputSlots = jaxpr.Outputs.Select(SlotOf).ToArray();
        _outputAvals = jaxpr.OutputAvals.ToArray();
        _constants = constants.ToArray();
        _constantSlots = _constants.Select(c => c.Slot).ToHashSet();
        _slotCount = slots.Count;
        // a buffer goes back after the step that last uses it, unless it is an output or a constant
        var kept = _outputSlots.Concat(_constantSlots).ToHashSet();
        var lastUse = new Dictionary<int, int>();
        for (var i = 0; i < steps.Count; i++)
            foreach (var s in steps[i].Reads.Concat(steps[i].Writes)) lastUse[s] = i;
        _steps = steps.Select((s, i) => s with
        {
            Releases = s.Reads.Concat(s.Writes).Distinct().Where(slot => !kept.Contains(slot) && lastUse[slot] == i).ToArray(),
        }).ToArray();
        // an uploaded input that no step gives back (none reads it) goes back at the end of the call
        _releasedAtEnd = Enumerable.Range(0, _inputCount).Select(i => !kept.Contains(i) && !_steps.Any(s => s.Releases.Contains(i))).ToArray();
    }

    /// <summary>The OpenCL C source of each kernel, in launch order (for <c>Jax.Lower</c> and the docs).</summary>
    public IEnumerable<string> Sources => _steps.SelectMany(s => s is LaunchStep launch ? [launch.Text.Source] : ((HostStep)s).Construct.Sources);

    /// <inheritdoc/>
    public override string Listing
    {
        get
        {
            var text = new System.Text.StringBuilder($"OpenCL program for {_device}: {_steps.Length} step(s), in launch order\n");
            string? prelude = null;
            string WithoutPrelude(string source)
            {
                var own = PreludeOf(source);
                if (own is not null && (prelude is null || own.Length > prelude.Length)) prelude = own;
                return source[(own?.Length ?? 0)..];
            }
            for (var i = 0; i < _steps.Length; i++)
            {
                if (_steps[i] is LaunchStep { Text: var step })
                {
                    text.Append($"\n// kernel {i}: {step.Name}, {step.WorkItems} work item(s){(PreludeOf(step.Source) is null ? "" : ", after the prelude (at the end)")}\n");
                    text.Append(WithoutPrelude(step.Source));
                    continue;
                }
                var construct = ((HostStep)_steps[i]).Construct;
                text.Append($"\n// step {i}: {construct.GetType().Name}, driven from the host; the kernels of its branches or bodies:\n");
                foreach (var source in construct.Sources) text.Append(WithoutPrelude(source));
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
        RunSteps(slots, uploaded);
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

    /// <summary>
    /// Runs the program on buffers of its device, which the caller keeps; each output is a fresh
    /// buffer the caller owns and may release (an output that is an input, a constant or an
    /// earlier output is copied), so that control flow can run bodies on device-resident values.
    /// </summary>
    internal ClBuffer[] RunOn(IReadOnlyList<ClBuffer> inputs)
    {
        var slots = new ClBuffer?[_slotCount];
        for (var i = 0; i < _inputCount; i++) slots[i] = inputs[i];
        RunSteps(slots, new bool[_inputCount]);
        var results = new ClBuffer[_outputSlots.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var slot = _outputSlots[i];
            var owned = slot >= _inputCount && !_constantSlots.Contains(slot) && Array.IndexOf(_outputSlots, slot) == i;
            results[i] = owned ? slots[slot]! : _device.Duplicate(slots[slot]!, _outputAvals[i]);
        }
        return results;
    }

    /// <summary>Runs every step on the slots (inputs and constants filled in), releasing each intermediate buffer after its last use.</summary>
    private void RunSteps(ClBuffer?[] slots, bool[] uploaded)
    {
        foreach (var (slot, buffer) in _constants) slots[slot] = buffer;
        foreach (var step in _steps)
        {
            switch (step)
            {
                case LaunchStep launch:
                    Launch(launch, slots);
                    break;
                case HostStep host:
                    var written = host.Construct.Run(host.Reads.Select(slot => slots[slot]!).ToArray());
                    for (var k = 0; k < host.Writes.Length; k++) slots[host.Writes[k]] = written[k];
                    break;
            }
            foreach (var slot in step.Releases)
                if (slot >= _inputCount || uploaded[slot]) slots[slot]!.Release();
        }
    }

    private void Launch(LaunchStep step, ClBuffer?[] slots)
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
    }
}
