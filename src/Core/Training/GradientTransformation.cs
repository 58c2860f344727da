namespace JaxSharp;

/// <summary>
/// The state of an optimizer (optax's <c>OptState</c>): its tensors (step counts, moment
/// estimates), in an order only the optimizer that made it reads. It is a parameter tree
/// itself, so it passes through <c>Jax.JitTree</c> with the parameters, and a whole training
/// step compiles to one program.
/// </summary>
/// <param name="Leaves">The state's tensors.</param>
public sealed record OptState(Tensor[] Leaves);

/// <summary>
/// An optimizer, as optax's <c>GradientTransformation</c>: a pair of pure functions over
/// parameter trees. <see cref="Init{T}"/> makes the state from the parameters;
/// <see cref="Update{T}"/> turns gradients into updates and the next state, and
/// <see cref="Optim.ApplyUpdates{T}"/> adds the updates to the parameters. Nothing is mutated,
/// so a training step is a function that <c>jit</c> compiles whole.
/// </summary>
/// <example><c>var opt = Optim.Adam(1e-3); var state = opt.Init(p); var (u, s) = opt.Update(g, state, p); p = Optim.ApplyUpdates(p, u);</c></example>
public sealed class GradientTransformation
{
    /// <summary>The rule on flat leaves: (updates, this transformation's state, parameters) to (updates, state).</summary>
    internal delegate (Tensor[] Updates, Tensor[] State) UpdateRule(Tensor[] updates, Tensor[] state, Tensor[] parameters);

    private readonly Func<Tensor[], Tensor[]> _init;
    private readonly UpdateRule _update;
    private readonly Func<int, int> _stateSize;

    /// <param name="name">The optax name, for messages (<c>adam</c>, <c>chain(clip_by_global_norm, adam)</c>).</param>
    /// <param name="stateSize">The number of state tensors for a tree of a given number of leaves.</param>
    /// <param name="init">The state of flat parameters.</param>
    /// <param name="update">The update rule on flat leaves.</param>
    internal GradientTransformation(string name, Func<int, int> stateSize, Func<Tensor[], Tensor[]> init, UpdateRule update)
    {
        Name = name;
        _stateSize = stateSize;
        _init = init;
        _update = update;
    }

    /// <summary>What this optimizer is, in optax's words (<c>chain(scale_by_adam, scale(-0.001))</c>).</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The initial state for <paramref name="parameters"/> (optax's <c>init</c>): zero moments, a zero step count.</summary>
    /// <exception cref="ArgumentException">The parameters are not a parameter tree.</exception>
    public OptState Init<T>(T parameters) where T : notnull
    {
        var leaves = ParameterTree.Flatten(Required(parameters, "init", "parameters")).Leaves.ToArray();
        return new OptState(InitLeaves(leaves));
    }

    /// <summary>
    /// The updates for <paramref name="gradients"/> and the next state (optax's <c>update</c>).
    /// Add the updates to the parameters with <see cref="Optim.ApplyUpdates{T}"/>.
    /// </summary>
    /// <param name="gradients">The gradients, a tree of the parameters' structure.</param>
    /// <param name="state">The state from <see cref="Init{T}"/> or from the previous update.</param>
    /// <param name="parameters">The current parameters (weight decay reads them).</param>
    /// <exception cref="ArgumentException">The trees' structures or shapes differ, or the state is not this optimizer's for this tree.</exception>
    public (T Updates, OptState State) Update<T>(T gradients, OptState state, T parameters) where T : notnull
    {
        var grads = ParameterTree.Flatten(Required(gradients, "update", "gradients"));
        var ps = ParameterTree.Flatten(Required(parameters, "update", "parameters"));
        ArgumentNullException.ThrowIfNull(state, nameof(state));
        Tree.CheckSameStructure($"{Name} update (gradients, parameters)", grads, ps);
        for (var i = 0; i < grads.Leaves.Count; i++)
            if (grads.Leaves[i].Shape != ps.Leaves[i].Shape)
                throw new ArgumentException(
                    $"{Name} update: gradient leaf {i} is {grads.Leaves[i].DType.Name()}{grads.Leaves[i].Shape} but parameter leaf {i} is " +
                    $"{ps.Leaves[i].DType.Name()}{ps.Leaves[i].Shape}; pass the gradients of these parameters (grad loss parameters)");
        var (updates, next) = UpdateLeaves(grads.Leaves.ToArray(), state.Leaves, ps.Leaves.ToArray());
        return (grads.Rebuild<T>(updates), new OptState(next));
    }

    /// <summary>The number of state tensors for a tree of <paramref name="leafCount"/> leaves.</summary>
    internal int StateSize(int leafCount) => _stateSize(leafCount);

    /// <summary>The state of flat parameters.</summary>
    internal Tensor[] InitLeaves(Tensor[] parameters) => _init(parameters);

    /// <summary>The update on flat leaves, after checking that the state fits.</summary>
    internal (Tensor[] Updates, Tensor[] State) UpdateLeaves(Tensor[] updates, Tensor[] state, Tensor[] parameters)
    {
        var expected = StateSize(updates.Length);
        if (state.Length != expected)
            throw new ArgumentException(
                $"{Name} update: the state holds {state.Length} tensors, but this optimizer keeps {expected} for a tree of {updates.Length} leaves; " +
                "pass the state that this optimizer's Init made for these parameters (or its last Update returned)");
        return _update(updates, state, parameters);
    }

    private object Required(object? tree, string method, string what) =>
        tree ?? throw new ArgumentNullException(what, $"{Name} {method}: the {what} are null; pass a tensor or a tree of tensors");
}
