using System.Linq.Expressions;
using JaxSharp.IR;

namespace JaxSharp.Cpu;

/// <summary>
/// A <see cref="Jaxpr"/> compiled for the CPU: its equations grouped by the
/// <see cref="FusionPlanner"/> into fused loops (compiled expression trees) and kernel steps,
/// every value given a buffer slot. A call only runs the steps: intermediates live in pooled
/// buffers, returned after their last reader; outputs are fresh arrays.
/// </summary>
internal sealed partial class CpuProgram
{
    /// <summary>One step: where its result goes, whether it is an output, and the slots whose last reader it is.</summary>
    internal abstract record Step(int OutSlot, AbstractValue Output, bool IsOutput)
    {
        public int[] Releases { get; set; } = [];

        /// <summary>The slots this step reads.</summary>
        public int[] Reads { get; set; } = [];

        /// <summary>The slots this step writes to pooled (non-output) buffers.</summary>
        public virtual int[] PooledSlots => IsOutput ? [] : [OutSlot];
    }

    /// <summary>A fused loop, with the slots of the values it stores beside its result.</summary>
    internal sealed record LoopRun(int OutSlot, AbstractValue Output, bool IsOutput, CompiledLoop Loop, SideSlot[] SideSlots) : Step(OutSlot, Output, IsOutput);

    /// <summary>Where a loop stores one of its side outputs, and whether it is an output of the program.</summary>
    internal sealed record SideSlot(int Slot, AbstractValue Aval, bool IsOutput);

    /// <summary>An equation run by its kernel over whole buffers.</summary>
    internal sealed record KernelRun(int OutSlot, AbstractValue Output, bool IsOutput, KernelLowering Kernel, int[] ArgSlots) : Step(OutSlot, Output, IsOutput);

    /// <summary>An equation with several outputs, run by its kernel, which writes one buffer per output.</summary>
    internal sealed record MultiKernelRun(int[] OutSlots, AbstractValue[] Outputs, bool[] AreOutputs, MultiKernelLowering Kernel, int[] ArgSlots)
        : Step(OutSlots[0], Outputs[0], AreOutputs[0])
    {
        /// <inheritdoc/>
        public override int[] PooledSlots
        {
            get
            {
                var pooled = new List<int>();
                for (var k = 0; k < OutSlots.Length; k++)
                    if (!AreOutputs[k]) pooled.Add(OutSlots[k]);
                return pooled.ToArray();
            }
        }
    }

    private readonly Array?[] _initialSlots;
    private readonly int[] _outputSlots;
    private readonly AbstractValue[] _outputAvals;
    private readonly int _inputCount;

    public CpuProgram(Jaxpr jaxpr) : this(jaxpr, epilogues: true)
    {
    }

    /// <summary>The program compiled with or without <see cref="EpilogueRun"/>s (off: the tests' reference plan, which must give the same bits).</summary>
    internal CpuProgram(Jaxpr jaxpr, bool epilogues)
    {
        if (jaxpr.CapturedValues.Count > 0)
            throw new InvalidOperationException("CpuProgram: a program with captured traced values can only be evaluated inside its trace");
        Jaxpr = jaxpr;
        var slots = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var slotAtoms = new List<object>();
        var initial = new List<Array?>();
        int SlotOf(Expression atom)
        {
            object key = atom is ConstantExpression c ? c.Value! : atom;
            if (!slots.TryGetValue(key, out var s))
            {
                slots[key] = s = initial.Count;
                slotAtoms.Add(key);
                initial.Add(atom is ConstantExpression ce ? ((Tensor)ce.Value!).Data : null);
            }
            return s;
        }
        // loops, not LINQ's Select to int or bool and ToList over int[]: their instantiations are JIT-compiled in every process
        int[] SlotsOf(IReadOnlyList<Expression> atoms)
        {
            var of = new int[atoms.Count];
            for (var i = 0; i < of.Length; i++) of[i] = SlotOf(atoms[i]);
            return of;
        }
        static List<int> ListOf(int[] values)
        {
            var list = new List<int>(values.Length);
            foreach (var v in values) list.Add(v);
            return list;
        }
        _inputCount = jaxpr.Inputs.Count;
        foreach (var input in jaxpr.Inputs) SlotOf(input);
        var facts = new ProgramFacts(jaxpr);
        var nameOf = JaxprPrinter.AtomNames(jaxpr);
        var reads = new List<List<int>>();
        var writes = new List<List<int>>();
        var programOutputs = new HashSet<Expression>(jaxpr.Outputs);
        var steps = new List<Step>();
        foreach (var planned in FusionPlanner.Plan(facts, columnSumsInMaps: true))
        {
            var eq = jaxpr.Equations[planned.Root];
            var isOutput = facts.IsOutput[planned.Root];
            switch (planned)
            {
                case LoopStep l:
                    var compiled = new CompiledLoop(l.Loop, SlotOf, nameOf);
                    var sides = l.Loop.SideOutputs.Select(s => new SideSlot(SlotOf(s.Variable), jaxpr.Equations[s.Equation].Application.Aval, facts.IsOutput[s.Equation])).ToArray();
                    steps.Add(new LoopRun(SlotOf(eq.Variable), eq.Application.Aval, isOutput, compiled, sides));
                    var loopReads = new List<int>();
                    foreach (var leaf in l.Loop.Leaves)
                        if (leaf.Atom is not ConstantExpression) loopReads.Add(SlotOf(leaf.Atom));
                    reads.Add(loopReads);
                    var loopWrites = new List<int> { SlotOf(eq.Variable) };
                    foreach (var side in sides) loopWrites.Add(side.Slot);
                    writes.Add(loopWrites);
                    break;
                case KernelStep k:
                    var args = SlotsOf(eq.Application.Arguments);
                    steps.Add(new KernelRun(SlotOf(eq.Variable), eq.Application.Aval, isOutput, k.Lowering, args));
                    reads.Add(ListOf(args));
                    writes.Add(new List<int> { SlotOf(eq.Variable) });
                    break;
                case MultiKernelStep m:
                    var margs = SlotsOf(eq.Application.Arguments);
                    var outSlots = SlotsOf(eq.Variables);
                    var areOutputs = new bool[eq.Variables.Count];
                    for (var v = 0; v < areOutputs.Length; v++) areOutputs[v] = programOutputs.Contains(eq.Variables[v]);
                    steps.Add(new MultiKernelRun(outSlots, eq.Application.Avals.ToArray(), areOutputs, m.Lowering, margs));
                    reads.Add(ListOf(margs));
                    writes.Add(ListOf(outSlots));
                    break;
            }
        }
        MakeAliases(steps, reads, writes, SlotOf);
        if (epilogues) FoldEpilogues(steps, reads, writes, SlotOf);
        _outputSlots = SlotsOf(jaxpr.Outputs);
        AliasLifetimes(steps, reads, writes);
        Steps = steps;
        _outputAvals = jaxpr.OutputAvals.ToArray();
        _initialSlots = initial.ToArray();
        _slotAtoms = slotAtoms.ToArray();
        for (var i = _outputSlots.Length - 1; i >= 0; i--)
            if (_outputSlots[i] >= _inputCount && _initialSlots[_outputSlots[i]] is null && !_aliasRoots.ContainsKey(_outputSlots[i])) _firstOutputOfSlot[_outputSlots[i]] = i;
        // an output shares its buffer when it is a constant's, or an input's or another output's through an alias
        _outputSharesBuffer = new bool[_outputSlots.Length];
        for (var i = 0; i < _outputSlots.Length; i++)
        {
            var slot = _outputSlots[i];
            _outputSharesBuffer[i] = slot >= _inputCount
                && (_initialSlots[RootOf(slot)] is not null || RootOf(slot) < _inputCount || OutputsHolding(RootOf(slot)) > 1);
        }
    }

    /// <summary>How many outputs hold the buffer of slot <paramref name="root"/>.</summary>
    private int OutputsHolding(int root)
    {
        var count = 0;
        foreach (var s in _outputSlots)
            if (RootOf(s) == root) count++;
        return count;
    }

    /// <summary>For each output, whether its buffer is also another output's, a constant's or (through an alias) an input's, so that donating it later must not reuse it.</summary>
    private readonly bool[] _outputSharesBuffer;

    /// <summary>For each slot a step writes that is an output, the first output it is.</summary>
    private readonly Dictionary<int, int> _firstOutputOfSlot = [];

    private readonly object[] _slotAtoms;

    /// <summary>The variable (or constant) that a slot holds.</summary>
    public object VariableOfSlot(int slot) => _slotAtoms[slot];

    /// <summary>The program that was compiled.</summary>
    public Jaxpr Jaxpr { get; }

    /// <summary>The steps, in the order they run.</summary>
    public IReadOnlyList<Step> Steps { get; }

    /// <summary>Runs the program on <paramref name="inputs"/>; its outputs are fresh arrays (or the inputs they are).</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs) => Run(inputs, null);

    /// <summary>
    /// Runs the program on <paramref name="inputs"/>, writing output <c>k</c> into
    /// <c>given[k]</c> where that is not null (a donated input's buffer, as
    /// <see cref="PlanDonation"/> allows); the other outputs are fresh arrays (or the inputs they are).
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs, Array?[]? given)
    {
        var slots = (Array[])_initialSlots.Clone();
        for (var i = 0; i < _inputCount; i++) slots[i] = inputs[i].Data;
        Execute(slots, given, into: false);
        foreach (var input in _inputsHeldByOutputs) inputs[input].SharesBuffer = true;
        var results = new Tensor[_outputSlots.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var slot = _outputSlots[i];
            results[i] = slot < _inputCount ? inputs[slot] : new Tensor(slots[slot], _outputAvals[i]) { SharesBuffer = _outputSharesBuffer[i] };
        }
        return results;
    }

    /// <summary>A slot array for <see cref="RunInto"/>, to be reused by one caller across calls.</summary>
    public Array[] NewSlots() => new Array[_initialSlots.Length];

    /// <summary>
    /// Runs the program on <paramref name="inputs"/>, writing each output into the given buffer
    /// (at least the output's size; not one of the inputs) instead of a fresh array: loops call
    /// this each step with a fixed set of buffers, so a step allocates no output.
    /// <paramref name="slots"/> comes from <see cref="NewSlots"/> and is the caller's scratch.
    /// </summary>
    public void RunInto(Array[] slots, IReadOnlyList<Array> inputs, Array[] outputs)
    {
        Array.Copy(_initialSlots, slots, slots.Length);
        for (var i = 0; i < _inputCount; i++) slots[i] = inputs[i];
        Execute(slots, outputs, into: true);
        // outputs that are inputs, constants, aliases, or a value already written to another output
        for (var i = 0; i < _outputSlots.Length; i++)
        {
            var slot = _outputSlots[i];
            if (_firstOutputOfSlot.TryGetValue(slot, out var first) && first == i) continue;
            Array.Copy(slots[slot], outputs[i], _outputAvals[i].Shape.Size);
        }
        foreach (var slot in _heldByOutputs) BufferPool.Return(slots[slot]);
    }

    /// <summary>
    /// Runs the steps over <paramref name="slots"/>; a value that is an output goes into its buffer
    /// of <paramref name="given"/> when there is one, else into a fresh array. A pooled value that
    /// an output holds through an alias gets a fresh array too, or, <paramref name="into"/> given
    /// buffers (<see cref="RunInto"/>, which copies it), a rented one.
    /// </summary>
    private void Execute(Array[] slots, Array?[]? given, bool into)
    {
        Array OutputBuffer(int slot, AbstractValue aval, bool isOutput) =>
            !isOutput && (into || !_heldByOutputs.Contains(slot)) ? BufferPool.Rent(aval.DType, aval.Shape.Size)
            : given is not null && _firstOutputOfSlot.TryGetValue(slot, out var k) && given[k] is { } buffer ? buffer
            : BufferPool.Allocate(aval.DType, aval.Shape.Size);
        foreach (var step in Steps)
        {
            var size = step.Output.Shape.Size;
            switch (step)
            {
                case LoopRun loop:
                    foreach (var side in loop.SideSlots)
                        slots[side.Slot] = OutputBuffer(side.Slot, side.Aval, side.IsOutput);
                    var dest = OutputBuffer(step.OutSlot, step.Output, step.IsOutput);
                    loop.Loop.Run(slots, dest);
                    slots[step.OutSlot] = dest;
                    break;
                case KernelRun kernel:
                    var overwrites = kernel.Kernel.WritesEveryElement;
                    var output = OutputBuffer(step.OutSlot, step.Output, step.IsOutput);
                    if (!overwrites) Array.Clear(output, 0, size);
                    var args = new Array[kernel.ArgSlots.Length];
                    for (var i = 0; i < args.Length; i++) args[i] = slots[kernel.ArgSlots[i]];
                    kernel.Kernel.Run(args, output);
                    slots[step.OutSlot] = output;
                    break;
                case EpilogueRun fused:
                    var product = OutputBuffer(fused.Product.OutSlot, fused.Product.Output, false);
                    slots[fused.Product.OutSlot] = product;
                    foreach (var side in fused.Epilogue.SideSlots)
                        slots[side.Slot] = OutputBuffer(side.Slot, side.Aval, side.IsOutput);
                    var target = OutputBuffer(step.OutSlot, step.Output, step.IsOutput);
                    MatMulKernel.Run(fused.Plan, slots[fused.Product.ArgSlots[0]], slots[fused.Product.ArgSlots[1]], product,
                        (first, count) => fused.RunRows(slots, target, first, count));
                    slots[step.OutSlot] = target;
                    break;
                case AliasRun alias:
                    slots[alias.OutSlot] = slots[alias.SourceSlot];
                    break;
                case MultiKernelRun multi:
                    var outputs = new Array[multi.OutSlots.Length];
                    for (var k = 0; k < outputs.Length; k++) outputs[k] = OutputBuffer(multi.OutSlots[k], multi.Outputs[k], multi.AreOutputs[k]);
                    var inputsOfMulti = new Array[multi.ArgSlots.Length];
                    for (var i = 0; i < inputsOfMulti.Length; i++) inputsOfMulti[i] = slots[multi.ArgSlots[i]];
                    multi.Kernel.Run(inputsOfMulti, outputs);
                    for (var k = 0; k < outputs.Length; k++) slots[multi.OutSlots[k]] = outputs[k];
                    break;
            }
            foreach (var slot in step.Releases) BufferPool.Return(slots[slot]);
        }
    }
}
