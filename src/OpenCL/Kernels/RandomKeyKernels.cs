using JaxSharp.Cpu;
using JaxSharp.OpenCL.CodeGen;
using JaxSharp.Primitives.Random;

namespace JaxSharp.OpenCL.Kernels;

/// <summary>
/// The OpenCL kernels of <c>random_seed</c> (an integer seed s gives the key [0, s], its 32 bits
/// unsigned) and <c>random_fold_in</c> (the Threefry hash of the counter pair (0, message) under
/// the key, keys and messages broadcast), bit for bit as the CPU's <see cref="JaxSharp.Random.Threefry"/>.
/// </summary>
internal static class RandomKeyKernels
{
    /// <summary>The kernel of equation <paramref name="equation"/> of <paramref name="facts"/>' program, a random_seed or random_fold_in.</summary>
    public static KernelText Write(ProgramFacts facts, int equation)
    {
        var app = facts.Application(equation);
        var output = app.Avals[0];
        var variable = facts.Jaxpr.Equations[equation].Variable;
        if (app.Primitive is RandomSeed)
        {
            // int32 and uint32 seeds have the same bits; one work item per output word
            const string seed = """
                __kernel void random_seed(__global const uint* restrict seeds, __global uint* restrict out) {
                    const long gid = get_global_id(0);
                    out[gid] = (gid & 1) == 0 ? 0u : seeds[gid / 2];
                }

                """;
            return new KernelText(seed, [app.Arguments[0]], [variable], [output], output.Shape.Size, "random_seed");
        }
        if (app.Primitive is not RandomFoldIn)
            throw new ArgumentException($"random keys: {app.Primitive.Name} has no key kernel");
        var keys = facts.AvalOf(app.Arguments[0]);
        var messages = facts.AvalOf(app.Arguments[1]);
        var batch = new Shape(output.Shape.Take(output.Rank - 1));
        var keyOffsets = RandomFoldIn.BroadcastOffsets(new Shape(keys.Shape.Take(keys.Rank - 1)), batch);
        var messageOffsets = RandomFoldIn.BroadcastOffsets(messages.Shape, batch);
        var source = $$"""
            {{ThreefryKernel.Functions}}__kernel void random_fold_in(__global const uint* restrict keys, __global const uint* restrict messages, __global uint* restrict out,
                __global const int* keyOffsets, __global const int* messageOffsets) {
                const int i = get_global_id(0);
                const int k = keyOffsets[i];
                const uint2 h = threefry_hash(keys[2 * k], keys[2 * k + 1], 0u, messages[messageOffsets[i]]);
                out[2 * i] = h.x;
                out[2 * i + 1] = h.y;
            }

            """;
        return new KernelText(source, [app.Arguments[0], app.Arguments[1]], [variable], [output], batch.Size, "random_fold_in",
            [Table(keyOffsets), Table(messageOffsets)]);
    }

    /// <summary>An offset table, with one element at least (a buffer cannot be empty; an empty table is never read).</summary>
    private static int[] Table(int[] offsets) => offsets.Length == 0 ? [0] : offsets;
}
