namespace JaxSharp;

/// <summary>How <c>Lax.Round</c> breaks ties (JAX's <c>lax.RoundingMethod</c>).</summary>
public enum RoundingMethod
{
    /// <summary>Halves round away from zero: 2.5 gives 3, -2.5 gives -3 (lax's default).</summary>
    AwayFromZero,
    /// <summary>Halves round to the even neighbour: 2.5 gives 2, 3.5 gives 4 (numpy's rounding).</summary>
    ToNearestEven,
}
