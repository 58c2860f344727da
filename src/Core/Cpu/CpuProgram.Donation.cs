namespace JaxSharp.Cpu;

internal sealed partial class CpuProgram
{
    /// <summary>
    /// Which outputs may be written into the buffers of the donated inputs (JAX's
    /// <c>donate_argnums</c>): for each output, the input whose buffer it takes, or -1 for a fresh
    /// array. An output takes an input's buffer when it has the input's shape and dtype, is
    /// computed by a step (not an input or a constant, and not the same value as an earlier
    /// output), and no step after the one that writes it reads the input. The writing step itself
    /// may read the input only element by element at the offset it writes (an elementwise loop
    /// reading the input as it is, as <c>w - lr * g</c> does): kernels, reductions and
    /// broadcasts read other elements, so they must have read the input in an earlier step.
    /// A read of an alias of the input (<see cref="AliasRun"/>) is a read of the input, and an
    /// input that an output holds through an alias is taken by no other output.
    /// Each input is taken by one output at most, the first that fits, and none by another output
    /// when it is an output itself.
    /// </summary>
    /// <param name="donated">Per input, whether it was donated.</param>
    public int[] PlanDonation(IReadOnlyList<bool> donated)
    {
        var plan = Enumerable.Repeat(-1, _outputSlots.Length).ToArray();
        var lastRead = Enumerable.Repeat(-1, _inputCount).ToArray();
        var writer = new Dictionary<int, int>();
        for (var i = 0; i < Steps.Count; i++)
        {
            foreach (var slot in Steps[i].Reads)
                if (RootOf(slot) < _inputCount) lastRead[RootOf(slot)] = i;
            foreach (var slot in WrittenSlots(Steps[i])) writer[slot] = i;
        }
        // an input that is itself an output, or that an output holds through an alias, keeps its buffer for that output
        var taken = Enumerable.Range(0, _inputCount).Select(i => _outputSlots.Any(s => RootOf(s) == i)).ToArray();
        for (var k = 0; k < _outputSlots.Length; k++)
        {
            var slot = _outputSlots[k];
            if (!_firstOutputOfSlot.TryGetValue(slot, out var first) || first != k || !writer.TryGetValue(slot, out var step)) continue;
            for (var input = 0; input < _inputCount; input++)
            {
                var aval = Jaxpr.InputAvals[input];
                if (!donated[input] || taken[input] || aval.Shape != _outputAvals[k].Shape || aval.DType != _outputAvals[k].DType) continue;
                if (lastRead[input] > step || lastRead[input] == step && !(ReadsInPlace(Steps[step], input) && !SumsInto(Steps[step], slot))) continue;
                plan[k] = input;
                taken[input] = true;
                break;
            }
        }
        return plan;
    }

    private static IEnumerable<int> WrittenSlots(Step step) => step switch
    {
        AliasRun => [],
        LoopRun loop => [loop.OutSlot, .. loop.SideSlots.Select(s => s.Slot)],
        EpilogueRun fused => [fused.Product.OutSlot, .. WrittenSlots(fused.Epilogue)],
        MultiKernelRun multi => multi.OutSlots,
        _ => [step.OutSlot],
    };

    /// <summary>Whether <paramref name="step"/> combines a column sum into <paramref name="slot"/> row by row (it starts at the identity, so the input is gone before it is read).</summary>
    private static bool SumsInto(Step step, int slot) =>
        step is EpilogueRun fused ? SumsInto(fused.Epilogue, slot) : step is LoopRun loop && loop.SideSlots.Where((s, k) => s.Slot == slot && loop.Loop.Loop.SideOutputs[k].Reduction is not null).Any();

    /// <summary>Whether <paramref name="atom"/> is input <paramref name="input"/> or an alias of it (the same row-major buffer).</summary>
    private bool HoldsInput(System.Linq.Expressions.Expression atom, int input) =>
        atom == Jaxpr.Inputs[input] || _aliasRoots.Any(a => a.Value == input && ReferenceEquals(_slotAtoms[a.Key], atom));

    /// <summary>
    /// Whether <paramref name="step"/> reads input <paramref name="input"/> only at the offsets it
    /// writes, element by element: a product with an epilogue when the product does not read it
    /// (its blocks of rows are read while others are written) and its epilogue reads it so.
    /// </summary>
    private bool ReadsInPlace(Step step, int input) =>
        step is EpilogueRun fused ? !fused.Product.ArgSlots.Any(s => RootOf(s) == input) && ReadsInPlace(fused.Epilogue, input) : step is LoopRun { Loop.Loop: { Reduction: null } loop }
        && loop.Leaves.Where(leaf => HoldsInput(leaf.Atom, input)).All(leaf => leaf.Strides.AsSpan().SequenceEqual(loop.OutputStrides));
}
