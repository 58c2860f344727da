namespace JaxSharp.Cpu;

internal sealed partial class CpuProgram
{
    /// <summary>
    /// A value whose row-major elements are those of another slot, in the same order (a
    /// <c>reshape</c>, <c>squeeze</c>, <c>expand_dims</c>, a <c>broadcast_in_dim</c> that only
    /// adds axes of size 1, a flatten): the slot holds the SAME array as the slot <c>SourceSlot</c>,
    /// nothing is copied or allocated. Its buffer lives as long as any slot that holds it
    /// (<see cref="AliasLifetimes"/>).
    /// </summary>
    internal sealed record AliasRun(int OutSlot, AbstractValue Output, bool IsOutput, int SourceSlot) : Step(OutSlot, Output, IsOutput)
    {
        /// <inheritdoc/>
        public override int[] PooledSlots => [];
    }

    /// <summary>
    /// Whether <paramref name="loop"/> only relabels a row-major array: it stores one leaf of its
    /// dtype and size, read at the offsets it writes (every axis longer than 1 steps the leaf as
    /// it steps the output), computing nothing, so the output's bytes are the leaf's.
    /// </summary>
    private static bool Relabels(LoopRun loop)
    {
        var fused = loop.Loop.Loop;
        if (loop.Loop.IsCopy || fused.Reduction is not null || fused.SideOutputs.Length != 0 || fused.Nodes.Length != 0 || fused.Result.Leaf < 0) return false;
        var leaf = fused.Leaves[fused.Result.Leaf];
        if (leaf.Aval.DType != fused.Output.DType || leaf.Aval.Shape.Size != fused.Output.Shape.Size) return false;
        for (var d = 0; d < fused.Domain.Length; d++)
            if (fused.Domain[d] > 1 && leaf.Strides[d] != fused.OutputStrides[d]) return false;
        return true;
    }

    /// <summary>Replaces every loop that only relabels its operand (<see cref="Relabels"/>) with an <see cref="AliasRun"/> of the operand's slot.</summary>
    private static void MakeAliases(List<Step> steps, List<List<int>> reads, List<List<int>> writes, Func<System.Linq.Expressions.Expression, int> slotOf)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not LoopRun loop || !Relabels(loop)) continue;
            var source = slotOf(loop.Loop.Loop.Leaves[loop.Loop.Loop.Result.Leaf].Atom);
            steps[i] = new AliasRun(loop.OutSlot, loop.Output, loop.IsOutput, source);
            reads[i] = new List<int> { source }; // not a collection expression: its List<int> code (CollectionsMarshal.SetCount) is JIT-compiled in every process
            writes[i] = new List<int> { loop.OutSlot };
        }
    }

    /// <summary>
    /// For each slot that an <see cref="AliasRun"/> fills, the slot whose buffer it holds in the
    /// end (an alias of an alias holds the first one's source): that slot's buffer goes back to
    /// the pool only after the last use of every slot holding it.
    /// </summary>
    private static Dictionary<int, int> AliasRoots(IEnumerable<Step> steps)
    {
        var roots = new Dictionary<int, int>();
        foreach (var alias in steps.OfType<AliasRun>())
            roots[alias.OutSlot] = roots.TryGetValue(alias.SourceSlot, out var root) ? root : alias.SourceSlot;
        return roots;
    }

    /// <summary>The slot whose buffer <paramref name="slot"/> holds: itself unless an <see cref="AliasRun"/> fills it.</summary>
    private int RootOf(int slot) => _aliasRoots.TryGetValue(slot, out var root) ? root : slot;

    private Dictionary<int, int> _aliasRoots = [];

    /// <summary>
    /// Pooled slots whose buffer an output holds through an alias (<c>reshape (dot a b)</c> as an
    /// output): they are written to a fresh array, which the output keeps, and never pooled
    /// (<see cref="RunInto"/> rents them and returns them after copying the outputs).
    /// </summary>
    private readonly HashSet<int> _heldByOutputs = new(comparer: null);

    /// <summary>The inputs whose buffer an output holds through an alias: they are marked as sharing it, so that donating either later reuses it for nothing.</summary>
    private int[] _inputsHeldByOutputs = [];

    /// <summary>
    /// Sets each step's <see cref="Step.Releases"/>: a pooled buffer goes back after the step that
    /// last uses any slot holding it (an output nothing reads, as argsort's sorted values, right
    /// after the step that writes it), never when an output holds it.
    /// </summary>
    /// <remarks>
    /// Loops over the slots, not LINQ over int (SelectMany, Distinct, Order...), whose
    /// instantiations every process would JIT-compile.
    /// </remarks>
    private void AliasLifetimes(List<Step> steps, List<List<int>> reads, List<List<int>> writes)
    {
        _aliasRoots = AliasRoots(steps);
        var pooled = new HashSet<int>(comparer: null); // not the parameterless constructor, which the framework leaves to the JIT over int
        foreach (var step in steps)
        {
            foreach (var slot in step.PooledSlots) pooled.Add(slot);
            if (step is LoopRun loop)
                foreach (var side in loop.SideSlots)
                    if (!side.IsOutput) pooled.Add(side.Slot);
        }
        // the roots of outputs that are aliases: pooled ones are held by the outputs, inputs are marked in ascending order
        var inputHeld = new bool[_inputCount];
        foreach (var slot in _outputSlots)
        {
            if (!_aliasRoots.TryGetValue(slot, out var root)) continue;
            if (pooled.Remove(root)) _heldByOutputs.Add(root);
            if (root < _inputCount) inputHeld[root] = true;
        }
        var inputsHeld = new List<int>();
        for (var input = 0; input < _inputCount; input++)
            if (inputHeld[input]) inputsHeld.Add(input);
        _inputsHeldByOutputs = inputsHeld.ToArray();
        var lastUse = new Dictionary<int, int>();
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var s in writes[i]) lastUse[RootOf(s)] = i;
            foreach (var s in reads[i]) lastUse[RootOf(s)] = i;
        }
        for (var i = 0; i < steps.Count; i++)
        {
            var releases = new List<int>();
            foreach (var s in reads[i]) AddRelease(RootOf(s));
            foreach (var s in writes[i]) AddRelease(RootOf(s));
            steps[i].Releases = releases.ToArray();
            var distinctReads = new List<int>();
            foreach (var s in reads[i])
                if (!distinctReads.Contains(s)) distinctReads.Add(s);
            steps[i].Reads = distinctReads.ToArray();

            void AddRelease(int root)
            {
                if (pooled.Contains(root) && lastUse[root] == i && !releases.Contains(root)) releases.Add(root);
            }
        }
    }
}
