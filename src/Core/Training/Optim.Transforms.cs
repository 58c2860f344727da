namespace JaxSharp;

/// <summary>
/// optax's building blocks: each a <see cref="GradientTransformation"/> that rewrites the
/// updates passing through it. <see cref="Optim.Chain"/> composes them; the optimizers
/// (<see cref="Optim.Adam"/> and the rest) are such chains, as in optax.
/// </summary>
public static partial class Optim
{
    /// <summary>Multiplies every update by <paramref name="step"/> (<c>optax.scale</c>).</summary>
    public static GradientTransformation Scale(double step) =>
        Stateless($"scale({Schedule.Format(step)})", (updates, _) => updates.Select(u => step * u).ToArray());

    /// <summary>
    /// Multiplies every update by <c>schedule(count)</c> and counts the step
    /// (<c>optax.scale_by_schedule</c>); the first update uses the value at count 0.
    /// </summary>
    public static GradientTransformation ScaleBySchedule(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new GradientTransformation($"scale_by_schedule({schedule})", _ => 1, _ => [Count0()], (updates, state, _) =>
        {
            var count = state[0];
            var step = schedule.At(count);
            return (updates.Select(u => Np.AsType(step, u.DType) * u).ToArray(), [Increment(count)]);
        });
    }

    /// <summary>
    /// Scales by minus the learning rate (<c>optax.scale_by_learning_rate</c>): a constant rate
    /// keeps no state; a schedule counts steps.
    /// </summary>
    public static GradientTransformation ScaleByLearningRate(Schedule learningRate)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        return learningRate.ConstantValue is { } rate
            ? Scale(-rate)
            : ScaleBySchedule(new Schedule($"-{learningRate}", count => -learningRate.At(count)));
    }

    /// <summary>
    /// Adam's rescaling (<c>optax.scale_by_adam</c>): moments m = b1 m + (1 - b1) g and
    /// v = b2 v + (1 - b2) g², bias-corrected by 1 - b^t, update m̂ / (sqrt(v̂ + epsRoot) + eps).
    /// </summary>
    public static GradientTransformation ScaleByAdam(double b1 = 0.9, double b2 = 0.999, double eps = 1e-8, double epsRoot = 0.0)
    {
        Decay("ScaleByAdam", nameof(b1), b1);
        Decay("ScaleByAdam", nameof(b2), b2);
        NonNegative("ScaleByAdam", nameof(eps), eps);
        return new GradientTransformation("scale_by_adam", n => 1 + 2 * n,
            ps => [Count0(), .. ps.Select(ZerosLike), .. ps.Select(ZerosLike)],
            (g, state, _) =>
            {
                var n = g.Length;
                var t = Increment(state[0]);
                var updates = new Tensor[n];
                var mu = new Tensor[n];
                var nu = new Tensor[n];
                for (var i = 0; i < n; i++)
                {
                    mu[i] = (1 - b1) * g[i] + b1 * state[1 + i];
                    nu[i] = (1 - b2) * Np.Square(g[i]) + b2 * state[1 + n + i];
                    var muHat = mu[i] / BiasCorrection(b1, t, mu[i].DType);
                    var nuHat = nu[i] / BiasCorrection(b2, t, nu[i].DType);
                    updates[i] = muHat / (Np.Sqrt(nuHat + epsRoot) + eps);
                }
                return (updates, [t, .. mu, .. nu]);
            });
    }

    /// <summary>
    /// RMSProp's rescaling (<c>optax.scale_by_rms</c>): ν = decay ν + (1 - decay) g², update
    /// g / sqrt(ν + eps), with ν starting at <paramref name="initialScale"/>.
    /// </summary>
    public static GradientTransformation ScaleByRms(double decay = 0.9, double eps = 1e-8, double initialScale = 0.0)
    {
        Decay("ScaleByRms", nameof(decay), decay);
        NonNegative("ScaleByRms", nameof(eps), eps);
        return new GradientTransformation("scale_by_rms", n => n,
            ps => ps.Select(p => Np.FullLike(p, initialScale)).ToArray(),
            (g, nu, _) =>
            {
                var next = g.Select((gi, i) => (1 - decay) * Np.Square(gi) + decay * nu[i]).ToArray();
                return (g.Select((gi, i) => gi * Lax.Rsqrt(next[i] + eps)).ToArray(), next);
            });
    }

    /// <summary>
    /// Adagrad's rescaling (<c>optax.scale_by_rss</c>): the sum of squared gradients s (starting at
    /// <paramref name="initialAccumulatorValue"/>), update g / sqrt(s + eps) where s &gt; 0, else 0.
    /// </summary>
    public static GradientTransformation ScaleByRss(double initialAccumulatorValue = 0.1, double eps = 1e-7)
    {
        NonNegative("ScaleByRss", nameof(initialAccumulatorValue), initialAccumulatorValue);
        return new GradientTransformation("scale_by_rss", n => n,
            ps => ps.Select(p => Np.FullLike(p, initialAccumulatorValue)).ToArray(),
            (g, sums, _) =>
            {
                var next = g.Select((gi, i) => Np.Square(gi) + sums[i]).ToArray();
                return (g.Select((gi, i) => Np.Where(next[i] > 0, Lax.Rsqrt(next[i] + eps), 0.0) * gi).ToArray(), next);
            });
    }

    /// <summary>
    /// Momentum (<c>optax.trace</c>): the trace t = g + decay t, and the update t, or with
    /// <paramref name="nesterov"/> g + decay t.
    /// </summary>
    public static GradientTransformation Trace(double decay, bool nesterov = false)
    {
        Decay("Trace", nameof(decay), decay);
        return new GradientTransformation(nesterov ? "trace(nesterov)" : "trace", n => n,
            ps => ps.Select(ZerosLike).ToArray(),
            (g, trace, _) =>
            {
                var next = g.Select((gi, i) => gi + decay * trace[i]).ToArray();
                return (nesterov ? g.Select((gi, i) => gi + decay * next[i]).ToArray() : next, next);
            });
    }

    /// <summary>Adds <paramref name="weightDecay"/> · parameter to each update (<c>optax.add_decayed_weights</c>).</summary>
    public static GradientTransformation AddDecayedWeights(double weightDecay) =>
        Stateless($"add_decayed_weights({Schedule.Format(weightDecay)})",
            (updates, ps) => updates.Select((u, i) => u + weightDecay * ps[i]).ToArray());

    /// <summary>
    /// Scales all updates together so that their global norm (the 2-norm of every element of
    /// every leaf) is at most <paramref name="maxNorm"/> (<c>optax.clip_by_global_norm</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is not positive.</exception>
    public static GradientTransformation ClipByGlobalNorm(double maxNorm)
    {
        if (!(maxNorm > 0))
            throw new ArgumentException($"Optim.ClipByGlobalNorm: maxNorm is {maxNorm}; it must be positive (1.0 is common)", nameof(maxNorm));
        return Stateless($"clip_by_global_norm({Schedule.Format(maxNorm)})", (updates, _) =>
        {
            if (updates.Length == 0) return updates;
            var norm = GlobalNorm(updates);
            return updates.Select(u => Np.Where(norm < maxNorm, u, u / Np.AsType(norm, u.DType) * maxNorm)).ToArray();
        });
    }

    /// <summary>The 2-norm of all elements of all <paramref name="leaves"/> (<c>optax.global_norm</c>).</summary>
    public static Tensor GlobalNorm(IEnumerable<Tensor> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var squares = leaves.Select(l => Np.Sum(Np.Square(l ?? throw new ArgumentException("Optim.GlobalNorm: one of the leaves is null", nameof(leaves))))).ToArray();
        return squares.Length == 0 ? Np.Scalar(0f) : Np.Sqrt(squares.Aggregate((a, b) => a + b));
    }

    /// <summary>
    /// The transformations one after another (<c>optax.chain</c>): each one's updates are the
    /// next one's gradients; the state is theirs side by side.
    /// </summary>
    /// <example><c>Optim.Chain(Optim.ClipByGlobalNorm(1.0), Optim.Adam(1e-3))</c></example>
    public static GradientTransformation Chain(params GradientTransformation[] transformations)
    {
        ArgumentNullException.ThrowIfNull(transformations);
        if (transformations.Any(t => t is null))
            throw new ArgumentException("Optim.Chain: one of the transformations is null", nameof(transformations));
        var parts = transformations.ToArray();
        return new GradientTransformation($"chain({string.Join(", ", parts.Select(p => p.Name))})",
            n => parts.Sum(p => p.StateSize(n)),
            ps => parts.SelectMany(p => p.InitLeaves(ps)).ToArray(),
            (updates, state, ps) =>
            {
                var next = new List<Tensor>(state.Length);
                var offset = 0;
                foreach (var part in parts)
                {
                    var size = part.StateSize(updates.Length);
                    var (u, s) = part.UpdateLeaves(updates, state[offset..(offset + size)], ps);
                    updates = u;
                    next.AddRange(s);
                    offset += size;
                }
                return (updates, next.ToArray());
            });
    }

    private static GradientTransformation Stateless(string name, Func<Tensor[], Tensor[], Tensor[]> rule) =>
        new(name, _ => 0, _ => [], (updates, _, ps) => (rule(updates, ps), []));

    private static Tensor Count0() => Tensor.Scalar(0);

    private static Tensor Increment(Tensor count) => count + Tensor.Scalar(1);

    private static Tensor ZerosLike(Tensor p) => Np.ZerosLike(p);

    // optax's bias_correction: 1 - decay^t in the moment's dtype
    private static Tensor BiasCorrection(double decay, Tensor count, DType dtype) =>
        1.0 - Np.Power(Np.AsType(Tensor.Scalar(decay), dtype), Np.AsType(count, dtype));

    private static void Decay(string op, string name, double value)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentException($"Optim.{op}: {name} is {value}; a decay rate must lie in [0, 1) (0.9 is common)", name);
    }

    private static void NonNegative(string op, string name, double value)
    {
        if (!(value >= 0))
            throw new ArgumentException($"Optim.{op}: {name} is {value}; it must be zero or positive", name);
    }
}
