namespace JaxSharp.Primitives.Convolution;

/// <summary>
/// Where the axes of a convolution's operands and output are (JAX's <c>ConvDimensionNumbers</c>):
/// each spec lists axis numbers in the canonical order batch (or output feature, for the kernel),
/// feature (input feature, for the kernel), then the spatial axes in the kernel's order. The
/// identity specs are NCHW / OIHW / NCHW; <see cref="Parse"/> reads JAX's strings, e.g.
/// <c>("NHWC", "HWIO", "NHWC")</c>.
/// </summary>
/// <param name="Lhs">The input's axes: batch, feature, spatial.</param>
/// <param name="Rhs">The kernel's axes: output feature, input feature, spatial.</param>
/// <param name="Out">The output's axes: batch, feature, spatial.</param>
public sealed record ConvDimensionNumbers(Ints Lhs, Ints Rhs, Ints Out)
{
    /// <summary>The identity specs for operands of <paramref name="rank"/> axes: NC..., OI..., NC....</summary>
    public static ConvDimensionNumbers Default(int rank)
    {
        var iota = new Ints(Enumerable.Range(0, rank));
        return new ConvDimensionNumbers(iota, iota, iota);
    }

    /// <summary>
    /// JAX's <c>conv_general_permutations</c>: the specs for strings such as <c>("NCHW", "OIHW", "NCHW")</c>.
    /// The input and output strings hold N and C once, the kernel string O and I once, and all
    /// three the same spatial letters (any letters), each once; spatial axes follow the kernel's order.
    /// </summary>
    /// <exception cref="ArgumentException">A string breaks one of these rules, or its length is not <paramref name="rank"/>.</exception>
    public static ConvDimensionNumbers Parse(string lhs, string rhs, string output, int rank)
    {
        var specs = new[] { Arg.NotNull(lhs, "conv_general_dilated", nameof(lhs)), Arg.NotNull(rhs, "conv_general_dilated", nameof(rhs)), Arg.NotNull(output, "conv_general_dilated", nameof(output)) };
        var pairs = new[] { ('N', 'C'), ('O', 'I'), ('N', 'C') };
        var shown = $"(\"{lhs}\", \"{rhs}\", \"{output}\")";
        for (var i = 0; i < 3; i++)
        {
            var (a, b) = pairs[i];
            if (specs[i].Length != rank)
                throw new ArgumentException($"conv_general_dilated: dimension_numbers[{i}] \"{specs[i]}\" has {specs[i].Length} letters but the operands have {rank} axes; give one letter per axis, e.g. {Example(rank)}");
            if (specs[i].Count(ch => ch == a) != 1 || specs[i].Count(ch => ch == b) != 1)
                throw new ArgumentException($"conv_general_dilated: dimension_numbers[{i}] \"{specs[i]}\" must contain '{a}' and '{b}' exactly once (in {shown}); e.g. {Example(rank)}");
            if (specs[i].Distinct().Count() != specs[i].Length)
                throw new ArgumentException($"conv_general_dilated: dimension_numbers[{i}] \"{specs[i]}\" repeats a letter; each axis needs its own letter");
        }
        var spatial = specs.Select((s, i) => new string(s.Where(ch => ch != pairs[i].Item1 && ch != pairs[i].Item2).OrderBy(ch => ch).ToArray())).ToArray();
        if (spatial[0] != spatial[1] || spatial[1] != spatial[2])
            throw new ArgumentException($"conv_general_dilated: dimension_numbers {shown} must have the same spatial letters in all three strings");
        Ints Permutation(string spec, (char, char) pair)
        {
            var axes = Enumerable.Range(0, spec.Length).Where(k => spec[k] != pair.Item1 && spec[k] != pair.Item2).OrderBy(k => rhs.IndexOf(spec[k]));
            return new Ints([spec.IndexOf(pair.Item1), spec.IndexOf(pair.Item2), .. axes]);
        }
        return new ConvDimensionNumbers(Permutation(lhs, pairs[0]), Permutation(rhs, pairs[1]), Permutation(output, pairs[2]));
    }

    /// <summary>The spatial axes of a spec (its entries after the first two).</summary>
    internal static int[] Spatial(Ints spec) => spec.Skip(2).ToArray();

    /// <summary>JAX's <c>_conv_spec_transpose</c>: the spec with its first two entries swapped.</summary>
    internal static Ints SwapFirstTwo(Ints spec) => new([spec[1], spec[0], .. spec.Skip(2)]);

    private static string Example(int rank)
    {
        var letters = "HWDTUV"[..Math.Max(0, Math.Min(6, rank - 2))];
        return $"(\"NC{letters}\", \"OI{letters}\", \"NC{letters}\")";
    }

    /// <inheritdoc/>
    public override string ToString() => $"({Lhs}, {Rhs}, {Out})";
}
