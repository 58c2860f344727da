namespace JaxSharp;

/// <summary>
/// A learning rate (or any hyperparameter) as a function of the step count, as optax's
/// schedules: it maps an int32 scalar count to a float32 scalar, with tensor operations only,
/// so it runs inside a jitted training step. A number converts to a constant schedule, so
/// <c>Optim.Adam(1e-3)</c> and <c>Optim.Adam(Schedules.CosineDecay(1e-3, 1000))</c> both work.
/// </summary>
public sealed class Schedule
{
    private readonly Func<Tensor, Tensor> _atCount;

    /// <summary>A schedule from a function of the int32 step count (a scalar tensor) to a float scalar.</summary>
    /// <param name="name">What it is, for printing (<c>cosine_decay(0.001, 1000)</c>).</param>
    /// <param name="atCount">The value at a step count.</param>
    public Schedule(string name, Func<Tensor, Tensor> atCount)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _atCount = atCount ?? throw new ArgumentNullException(nameof(atCount));
    }

    private Schedule(double value) : this(Format(value), _ => Tensor.Scalar((float)value)) => ConstantValue = value;

    /// <summary>The value at every step when the schedule is constant, else null.</summary>
    public double? ConstantValue { get; }

    /// <summary>What the schedule is, in optax's words.</summary>
    public string Name { get; }

    /// <summary>The value at <paramref name="count"/>, an int32 scalar (concrete or traced).</summary>
    public Tensor At(Tensor count) => _atCount(count);

    /// <summary>The value at step <paramref name="step"/>.</summary>
    /// <example><c>Schedules.ExponentialDecay(0.1, 10, 0.5).At(20)</c> is 0.025.</example>
    public double At(int step) => (double)At(Tensor.Scalar(step));

    /// <summary>A constant schedule: <paramref name="value"/> at every step.</summary>
    public static Schedule Constant(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"Schedules.Constant: the value is {value}; a learning rate must be a finite number", nameof(value));
        return new Schedule(value);
    }

    /// <summary>A number as a constant schedule.</summary>
    public static implicit operator Schedule(double value) => Constant(value);

    /// <inheritdoc/>
    public override string ToString() => Name;

    internal static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>optax's schedules: functions from the step count to a learning rate, all traceable.</summary>
public static class Schedules
{
    /// <summary><paramref name="value"/> at every step (<c>optax.constant_schedule</c>).</summary>
    public static Schedule Constant(double value) => Schedule.Constant(value);

    /// <summary>
    /// <c>optax.exponential_decay</c>: init · rate^(count / transitionSteps), with the exponent
    /// floored when <paramref name="staircase"/>.
    /// </summary>
    /// <example><c>Schedules.ExponentialDecay(0.1, 10, 0.5)</c> halves the rate every 10 steps.</example>
    /// <exception cref="ArgumentException"><paramref name="transitionSteps"/> is not positive or <paramref name="decayRate"/> not positive.</exception>
    public static Schedule ExponentialDecay(double initValue, int transitionSteps, double decayRate, bool staircase = false)
    {
        Positive("ExponentialDecay", nameof(transitionSteps), transitionSteps);
        if (!(decayRate > 0))
            throw new ArgumentException($"Schedules.ExponentialDecay: decayRate is {decayRate}; it must be positive (0.5 halves the rate every transitionSteps)", nameof(decayRate));
        return new Schedule($"exponential_decay({Schedule.Format(initValue)}, {transitionSteps}, {Schedule.Format(decayRate)})", count =>
        {
            var p = Np.AsType(count, DType.Float32) / (double)transitionSteps;
            if (staircase) p = Np.Floor(p);
            return initValue * Np.Power(Tensor.Scalar((float)decayRate), p);
        });
    }

    /// <summary>
    /// <c>optax.cosine_decay_schedule</c>: from <paramref name="initValue"/> down to
    /// <paramref name="alpha"/> · init along half a cosine over <paramref name="decaySteps"/>
    /// steps, then flat.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="decaySteps"/> is not positive.</exception>
    public static Schedule CosineDecay(double initValue, int decaySteps, double alpha = 0.0)
    {
        Positive("CosineDecay", nameof(decaySteps), decaySteps);
        return new Schedule($"cosine_decay({Schedule.Format(initValue)}, {decaySteps}, alpha={Schedule.Format(alpha)})", count =>
        {
            var t = Np.Minimum(Np.AsType(count, DType.Float32), (double)decaySteps);
            var cosine = 0.5 * (1.0 + Np.Cos(Math.PI * t / (double)decaySteps));
            return initValue * ((1.0 - alpha) * cosine + alpha);
        });
    }

    /// <summary>
    /// <c>optax.linear_schedule</c>: from <paramref name="initValue"/> to <paramref name="endValue"/>
    /// in a straight line over <paramref name="transitionSteps"/> steps, then flat. A linear
    /// warmup is <c>Linear(0, peak, warmupSteps)</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="transitionSteps"/> is not positive.</exception>
    public static Schedule Linear(double initValue, double endValue, int transitionSteps)
    {
        Positive("Linear", nameof(transitionSteps), transitionSteps);
        return new Schedule($"linear_schedule({Schedule.Format(initValue)}, {Schedule.Format(endValue)}, {transitionSteps})", count =>
        {
            var t = Np.Clip(Np.AsType(count, DType.Float32), 0.0, (double)transitionSteps);
            return (initValue - endValue) * (1.0 - t / (double)transitionSteps) + endValue;
        });
    }

    /// <summary>
    /// <c>optax.warmup_cosine_decay_schedule</c>: linear from <paramref name="initValue"/> to
    /// <paramref name="peakValue"/> over <paramref name="warmupSteps"/>, then a cosine decay to
    /// <paramref name="endValue"/> at step <paramref name="decaySteps"/> (counted from 0, warmup included).
    /// </summary>
    /// <exception cref="ArgumentException">The steps are not positive, or <paramref name="decaySteps"/> ≤ <paramref name="warmupSteps"/>.</exception>
    public static Schedule WarmupCosineDecay(double initValue, double peakValue, int warmupSteps, int decaySteps, double endValue = 0.0)
    {
        Positive("WarmupCosineDecay", nameof(warmupSteps), warmupSteps);
        if (decaySteps <= warmupSteps)
            throw new ArgumentException(
                $"Schedules.WarmupCosineDecay: decaySteps ({decaySteps}) must exceed warmupSteps ({warmupSteps}); decaySteps counts the warmup too", nameof(decaySteps));
        if (peakValue == 0)
            throw new ArgumentException("Schedules.WarmupCosineDecay: peakValue is 0; the cosine part decays from the peak to endValue, so give a non-zero peak", nameof(peakValue));
        var warmup = Linear(initValue, peakValue, warmupSteps);
        var decay = CosineDecay(peakValue, decaySteps - warmupSteps, endValue / peakValue);
        return new Schedule(
            $"warmup_cosine_decay({Schedule.Format(initValue)}, {Schedule.Format(peakValue)}, {warmupSteps}, {decaySteps}, {Schedule.Format(endValue)})",
            count => Np.Where(count < warmupSteps, warmup.At(count), decay.At(count - warmupSteps)));
    }

    private static void Positive(string schedule, string name, int value)
    {
        if (value <= 0)
            throw new ArgumentException($"Schedules.{schedule}: {name} is {value}; it must be a positive number of steps", name);
    }
}
