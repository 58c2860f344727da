namespace JaxSharp;

/// <summary>
/// The inputs of a jitted function that are donated (JAX's <c>donate_argnums</c>), per flattened
/// input, and how messages name each input (an argument index, and a leaf's path in a tree).
/// </summary>
internal sealed class Donation(bool[] inputs, Func<int, string> describe)
{
    /// <summary>Per flattened input, whether it is donated.</summary>
    public bool[] Inputs { get; } = inputs;

    /// <summary>The input's name for messages: <c>argument 0</c>, or <c>argument 0 (leaf .L1.W)</c>.</summary>
    public string Describe(int input) => describe(input);

    /// <summary>
    /// The donation of the arguments at <paramref name="indices"/> of a function of
    /// <paramref name="count"/> tensors; an index out of range is an error naming it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or not below <paramref name="count"/>.</exception>
    public static Donation OfArguments(IReadOnlyCollection<int> indices, int count, string function)
    {
        var inputs = new bool[count];
        foreach (var index in indices) inputs[CheckIndex(index, count, function)] = true;
        return new Donation(inputs, i => $"argument {i}");
    }

    /// <summary>Checks a donated argument index against the number of arguments.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or not below <paramref name="count"/>.</exception>
    public static int CheckIndex(int index, int count, string function) =>
        index >= 0 && index < count ? index
        : throw new ArgumentOutOfRangeException("donate",
            $"{function}: argument {index} cannot be donated: the function takes {count} argument{(count == 1 ? "" : "s")} " +
            $"(donate indices 0 to {count - 1}{(count == 1 ? "; a function of one tuple takes its items as its arguments" : "")})");

    /// <summary>Throws when a donated tensor is also passed as another argument, which would read the buffer its output overwrites.</summary>
    /// <exception cref="ArgumentException">A donated tensor is passed twice.</exception>
    public void CheckPassedOnce(Tensor[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!Inputs[i]) continue;
            for (var j = 0; j < args.Length; j++)
                if (j != i && ReferenceEquals(args[i], args[j]))
                    throw new ArgumentException(
                        $"jit: the tensor {args[i].Aval} passed as {Describe(i)} is donated, and the same tensor is also {Describe(j)}; " +
                        $"a donated buffer may be overwritten by an output while the other argument is read. Pass a copy as one of them " +
                        $"(np.copy x, Np.Copy(x)), or do not donate {Describe(i)}.");
        }
    }
}
