using JaxSharp.Primitives.LinearAlgebra;

namespace JaxSharp;

public static partial class Np
{
    /// <summary>
    /// Einstein summation, as numpy's <c>einsum</c>: <c>"ij,jk->ik"</c> names each operand's axes
    /// with letters; letters absent from the output are summed over. Without <c>-&gt;</c> the
    /// output is the letters that appear once, in alphabetical order. A letter repeated in one
    /// operand takes its diagonal (<c>"ii->i"</c>, <c>"ii->"</c>). Operands are contracted left
    /// to right, each pair by one <c>dot_general</c>; the result is transposed to the output order.
    /// </summary>
    /// <example><c>Np.Einsum("bij,bjk->bik", a, b)</c> is a batched matrix product.</example>
    public static Tensor Einsum(string subscripts, params Tensor[] operands)
    {
        NotNull(subscripts);
        NoNulls(operands);
        var (inputs, output) = ParseEinsum(subscripts.Replace(" ", "", StringComparison.Ordinal), operands);
        var promoted = operands.Length > 1 ? Promote(operands) : operands;
        var terms = new List<(Tensor Value, string Letters)>();
        for (var k = 0; k < promoted.Length; k++) terms.Add(Diagonals(promoted[k], inputs[k]));

        // Letters still needed after the first `done` operands are combined: the output's and those of the rest.
        string Needed(int done) => output + string.Concat(inputs.Skip(done));
        var (acc, letters) = SumOut(terms[0].Value, terms[0].Letters, Needed(1));
        for (var k = 1; k < terms.Count; k++)
        {
            var later = Needed(k + 1);
            (acc, letters) = SumOut(acc, letters, later + terms[k].Letters);
            var (next, nextLetters) = SumOut(terms[k].Value, terms[k].Letters, later + letters);
            (acc, letters) = ContractPair(acc, letters, next, nextLetters, later);
        }
        (acc, letters) = SumOut(acc, letters, output);
        var permutation = output.Select(c => letters.IndexOf(c)).ToArray();
        return permutation.SequenceEqual(Enumerable.Range(0, permutation.Length)) ? acc : Lax.Transpose(acc, new Ints(permutation));
    }

    /// <summary>The input terms and the output term, checked against the operands.</summary>
    private static (string[] Inputs, string Output) ParseEinsum(string spec, Tensor[] operands)
    {
        if (spec.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"einsum: '{spec}' uses an ellipsis (...), which is not supported; name every axis with a letter");
        var arrow = spec.IndexOf("->", StringComparison.Ordinal);
        var inputs = (arrow < 0 ? spec : spec[..arrow]).Split(',');
        if (inputs.Length != operands.Length)
            throw new ArgumentException($"einsum: '{spec}' has {inputs.Length} input terms but {operands.Length} operands were given; give one operand per comma-separated term");
        var all = string.Concat(inputs);
        var output = arrow >= 0
            ? spec[(arrow + 2)..]
            : string.Concat(all.Distinct().Where(c => all.Count(d => d == c) == 1).Order());
        foreach (var c in all.Concat(output))
            if (!char.IsAsciiLetter(c))
                throw new ArgumentException($"einsum: '{spec}' contains '{c}'; terms are letters a-z, A-Z separated by ',' with one '->'");
        foreach (var c in output)
        {
            if (!all.Contains(c))
                throw new ArgumentException($"einsum: output letter '{c}' in '{spec}' appears in no input; every output axis must come from an input");
            if (output.Count(d => d == c) > 1)
                throw new ArgumentException($"einsum: output letter '{c}' appears twice in '{spec}'; each output axis is named once");
        }
        var sizes = new Dictionary<char, (int Size, int Operand)>();
        for (var k = 0; k < inputs.Length; k++)
        {
            if (inputs[k].Length != operands[k].Rank)
                throw new ArgumentException($"einsum: term '{inputs[k]}' names {inputs[k].Length} axes but operand {k} has shape {operands[k].Shape} (rank {operands[k].Rank}); give one letter per axis");
            for (var d = 0; d < inputs[k].Length; d++)
            {
                var c = inputs[k][d];
                var n = operands[k].Shape[d];
                if (sizes.TryGetValue(c, out var seen) && seen.Size != n)
                    throw new ArgumentException($"einsum: letter '{c}' has size {seen.Size} in operand {seen.Operand} but size {n} in operand {k} (shape {operands[k].Shape}); axes with one letter must have equal sizes");
                sizes[c] = (n, k);
            }
        }
        return (inputs, output);
    }

    /// <summary>Takes the diagonal for every letter repeated within one term, e.g. 'ii' becomes 'i'.</summary>
    private static (Tensor, string) Diagonals(Tensor x, string letters)
    {
        for (var q = 1; q < letters.Length; q++)
        {
            var p = letters.IndexOf(letters[q]);
            if (p == q) continue;
            // Keep x where index p equals index q (a broadcast comparison of two iotas), then sum out q.
            var shape = new Shape(Enumerable.Range(0, x.Rank).Select(d => d == p || d == q ? x.Shape[d] : 1));
            var onDiagonal = Equal(Lax.BroadcastedIota(DType.Int32, shape, p), Lax.BroadcastedIota(DType.Int32, shape, q));
            x = Lax.ReduceSum(Where(onDiagonal, x, 0), q);
            letters = letters.Remove(q, 1);
            q--;
        }
        return (x, letters);
    }

    /// <summary>Sums over the letters of <paramref name="x"/> that are not in <paramref name="keep"/>.</summary>
    private static (Tensor, string) SumOut(Tensor x, string letters, string keep)
    {
        var axes = Enumerable.Range(0, letters.Length).Where(d => !keep.Contains(letters[d])).ToArray();
        if (axes.Length == 0) return (x, letters);
        return (Lax.ReduceSum(x, axes), string.Concat(letters.Where(c => keep.Contains(c))));
    }

    /// <summary>One dot_general: shared letters needed later are batch axes, the other shared letters are contracted.</summary>
    private static (Tensor, string) ContractPair(Tensor a, string aLetters, Tensor b, string bLetters, string later)
    {
        var shared = aLetters.Where(bLetters.Contains).ToArray();
        var batch = shared.Where(later.Contains).ToArray();
        var contracted = shared.Where(c => !later.Contains(c)).ToArray();
        Ints AxesIn(string letters, IEnumerable<char> pick) => new(pick.Select(c => letters.IndexOf(c)));
        var dims = new DotDimensionNumbers(AxesIn(aLetters, contracted), AxesIn(bLetters, contracted), AxesIn(aLetters, batch), AxesIn(bLetters, batch));
        var result = Contract("einsum", a, b, dims);
        var letters = string.Concat(batch) + string.Concat(aLetters.Where(c => !shared.Contains(c))) + string.Concat(bLetters.Where(c => !shared.Contains(c)));
        return (result, letters);
    }
}
