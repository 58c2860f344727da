namespace JaxSharp.Cpu;

internal sealed partial class CpuProgram
{
    /// <summary>
    /// A matrix product and, as its epilogue, the elementwise loop that first reads its result,
    /// at the offsets the product writes (XLA's output fusion: bias and relu after a layer's
    /// product, an SGD update after a weight gradient's). The blocked product hands each block
    /// of rows it finishes (all of k summed) to the loop on the same core, while the block is in
    /// that core's cache, instead of the loop reading the whole result back in a pass of its
    /// own; a product that cannot finish rows early (a thin product, a batch of products, k
    /// split into chunks, cores sharing its columns rather than its rows) runs the loop once after it. Each element is computed by the same
    /// product and the same loop code as without the epilogue: the results are bit-identical.
    /// </summary>
    /// <param name="Product">The product's kernel step; its result is pooled (not a program output) and stored whole, for later readers too.</param>
    /// <param name="Epilogue">The loop's step, its result and side outputs as they were.</param>
    /// <param name="Plan">The product's operands.</param>
    internal sealed record EpilogueRun(KernelRun Product, LoopRun Epilogue, MatMulKernel.Plan Plan)
        : Step(Epilogue.OutSlot, Epilogue.Output, Epilogue.IsOutput)
    {
        /// <inheritdoc/>
        public override int[] PooledSlots
        {
            get
            {
                var pooled = new List<int>(Product.PooledSlots);
                pooled.AddRange(Epilogue.PooledSlots);
                foreach (var side in Epilogue.SideSlots)
                    if (!side.IsOutput) pooled.Add(side.Slot);
                return pooled.ToArray();
            }
        }

        /// <summary>
        /// Runs the loop over the product's rows [<paramref name="first"/>, first + <paramref name="count"/>)
        /// of its <c>[batch x m, n]</c> result: all of them as the loop runs alone (on several
        /// cores if it is large), a block as the part of the loop's domain that it covers.
        /// </summary>
        public void RunRows(Array[] slots, Array dest, int first, int count)
        {
            var compiled = Epilogue.Loop;
            var (rows, loop) = (Plan.Batch * Plan.M, compiled.Loop);
            if (first == 0 && count == rows) compiled.Run(slots, dest);
            else if (loop.Domain.Length == 1) compiled.RunPart(slots, dest, 0, 1, first * Plan.N, (first + count) * Plan.N);
            else
            {
                var perRow = loop.Rows / rows;
                compiled.RunPart(slots, dest, first * perRow, (first + count) * perRow, 0, loop.Columns);
            }
        }
    }

    /// <summary>
    /// Joins each matrix product that is not an output of the program to the loop that first
    /// reads its result, where <see cref="CanBeEpilogue"/> allows it. The pair runs at the loop's
    /// place (the product moves later, past steps that do not read it): the steps between keep
    /// their order, so a donated weight that one of them reads is still read before the
    /// epilogue writes the update into its buffer. The product is still stored whole, so later
    /// steps that read it too (a gradient's backward pass computing relu's mask again from the
    /// forward product) read it as before.
    /// </summary>
    private static void FoldEpilogues(List<Step> steps, List<List<int>> reads, List<List<int>> writes, Func<System.Linq.Expressions.Expression, int> slotOf)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not KernelRun { IsOutput: false, Kernel.Product: { } plan } product) continue;
            var j = i + 1;
            while (j < steps.Count && !reads[j].Contains(product.OutSlot)) j++;
            if (j == steps.Count || steps[j] is not LoopRun loop || !CanBeEpilogue(plan, product, loop, slotOf)) continue;
            steps[j] = new EpilogueRun(product, loop, plan);
            reads[i].AddRange(reads[j]);
            writes[i].AddRange(writes[j]);
            (reads[j], writes[j]) = (reads[i], writes[i]);
            steps.RemoveAt(i);
            reads.RemoveAt(i);
            writes.RemoveAt(i);
            i--;
        }
    }

    /// <summary>
    /// Whether <paramref name="loop"/> may run as <paramref name="product"/>'s epilogue: an
    /// elementwise loop without reductions (column sums combine per part in another order) over
    /// as many elements as the product, reading the product only at the offsets it writes, whose domain
    /// splits at the product's rows with every element in the same vector or scalar lane as
    /// when the loop runs alone (for a loop collapsed to one axis, rows a whole number of vectors long).
    /// </summary>
    private static bool CanBeEpilogue(MatMulKernel.Plan plan, KernelRun product, LoopRun loop, Func<System.Linq.Expressions.Expression, int> slotOf)
    {
        var (compiled, fused) = (loop.Loop, loop.Loop.Loop);
        if (compiled.IsCopy || fused.Reduction is not null || fused.SideOutputs.Any(s => s.Reduction is not null)) return false;
        // of the product's size, reading it at the offsets it writes: the loop's elements are the product's, in order (a reshape between is no matter)
        if (fused.Output.Shape.Size != product.Output.Shape.Size) return false;
        var productLeaves = fused.Leaves.Where(leaf => slotOf(leaf.Atom) == product.OutSlot).ToList();
        if (productLeaves.Count == 0 || !productLeaves.All(leaf => leaf.Strides.AsSpan().SequenceEqual(fused.OutputStrides))) return false;
        var rows = plan.Batch * plan.M;
        return fused.Domain.Length == 1 ? compiled.Lanes == 0 || plan.N % compiled.Lanes == 0 : rows > 0 && fused.Rows % rows == 0;
    }
}
