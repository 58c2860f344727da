namespace JaxSharp;

/// <summary>
/// Optimizers as optax's: pure <see cref="GradientTransformation"/>s over parameter trees,
/// built from the blocks in Optim.Transforms (scale_by_adam, trace, ...). A learning rate is a
/// number or a <see cref="Schedule"/>.
/// </summary>
/// <example>
/// <code>
/// var opt = Optim.Adam(1e-3);
/// var state = opt.Init(parameters);
/// var (updates, next) = opt.Update(Jax.GradTree(loss)(parameters), state, parameters);
/// parameters = Optim.ApplyUpdates(parameters, updates);
/// </code>
/// </example>
public static partial class Optim
{
    /// <summary>Stochastic gradient descent: update = -lr · g (<c>optax.sgd</c>).</summary>
    public static GradientTransformation Sgd(Schedule learningRate) => Named("sgd", ScaleByLearningRate(learningRate));

    /// <summary>
    /// SGD with momentum (<c>optax.sgd(lr, momentum, nesterov)</c>): the trace t = g + momentum t,
    /// update -lr · t (Nesterov: -lr · (g + momentum t)).
    /// </summary>
    public static GradientTransformation SgdMomentum(Schedule learningRate, double momentum, bool nesterov = false) =>
        Named(nesterov ? "sgd_nesterov" : "sgd_momentum", Chain(Trace(momentum, nesterov), ScaleByLearningRate(learningRate)));

    /// <summary>Adam (<c>optax.adam</c>): <see cref="ScaleByAdam"/> then -lr.</summary>
    public static GradientTransformation Adam(Schedule learningRate, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0) =>
        Named("adam", Chain(ScaleByAdam(b1, b2, eps, epsRoot), ScaleByLearningRate(learningRate)));

    /// <summary>
    /// AdamW (<c>optax.adamw</c>): Adam's update plus weightDecay · parameter, both scaled by
    /// -lr (decoupled weight decay).
    /// </summary>
    public static GradientTransformation AdamW(Schedule learningRate, double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0, double weightDecay = 1e-4) =>
        Named("adamw", Chain(ScaleByAdam(b1, b2, eps, epsRoot), AddDecayedWeights(weightDecay), ScaleByLearningRate(learningRate)));

    /// <summary>RMSProp (<c>optax.rmsprop</c>): <see cref="ScaleByRms"/> then -lr.</summary>
    public static GradientTransformation Rmsprop(Schedule learningRate, double decay = 0.9, double eps = 1e-8) =>
        Named("rmsprop", Chain(ScaleByRms(decay, eps), ScaleByLearningRate(learningRate)));

    /// <summary>Adagrad (<c>optax.adagrad</c>): <see cref="ScaleByRss"/> then -lr.</summary>
    public static GradientTransformation Adagrad(Schedule learningRate, double initialAccumulatorValue = 0.1, double eps = 1e-7) =>
        Named("adagrad", Chain(ScaleByRss(initialAccumulatorValue, eps), ScaleByLearningRate(learningRate)));

    /// <summary>The parameters plus the updates, leaf by leaf, in the parameters' dtypes (<c>optax.apply_updates</c>).</summary>
    /// <exception cref="ArgumentException">The trees' structures differ.</exception>
    public static T ApplyUpdates<T>(T parameters, T updates) where T : notnull =>
        Tree.MapMany(pu => Np.AsType(pu[0] + pu[1], pu[0].DType), "Optim.ApplyUpdates", [nameof(parameters), nameof(updates)], parameters, updates);

    private static GradientTransformation Named(string name, GradientTransformation chain) =>
        new($"{name}: {chain.Name}", chain.StateSize, chain.InitLeaves, chain.UpdateLeaves);
}
