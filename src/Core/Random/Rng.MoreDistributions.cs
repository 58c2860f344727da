using JaxSharp.Random;

namespace JaxSharp;

// The rest of jax.random's distributions, each the transformation of uniform, normal,
// exponential or gamma draws that JAX's random.py applies.
public static partial class Rng
{
    private static Tensor Key0(Tensor keys) => keys[0];
    private static Tensor Key1(Tensor keys) => keys[1];

    /// <summary>-1 or +1 with equal probability (int32 by default), as <c>jax.random.rademacher</c>: <c>2 bernoulli(0.5) - 1</c>.</summary>
    public static Tensor Rademacher(Tensor key, Shape shape, DType dtype = DType.Int32)
    {
        NotNull(key);
        NotNull(shape);
        KeyShapes.CheckSingle("rademacher", key);
        return Np.Subtract(Np.Multiply(2, Np.AsType(Bernoulli(key, 0.5, shape), dtype)), 1);
    }

    /// <summary>Standard Cauchy values, as <c>jax.random.cauchy</c>: <c>tan(π (u - 1/2))</c>, u uniform on [eps, 1).</summary>
    public static Tensor Cauchy(Tensor key, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        RequireFloat("cauchy", floatType);
        var eps = floatType == DType.Float32 ? 1.1920928955078125e-07 : 2.220446049250313e-16;
        var u = Uniform(key, shape, eps, 1.0, floatType);
        return Np.Tan(Np.Multiply(Math.PI, Np.Subtract(u, 0.5)));
    }

    /// <summary>Pareto values of shape b, as <c>jax.random.pareto</c>: <c>exp(e / b)</c> for exponential e.</summary>
    public static Tensor Pareto(Tensor key, Tensor b, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(b);
        NotNull(shape);
        return Np.Exp(Np.Divide(Exponential(key, shape, floatType), b));
    }

    /// <summary>Weibull values, as <c>jax.random.weibull_min</c>: <c>scale (-log1p(-u))^(1/concentration)</c>.</summary>
    public static Tensor WeibullMin(Tensor key, Tensor scale, Tensor concentration, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(scale);
        NotNull(concentration);
        NotNull(shape);
        var u = Uniform(key, shape, 0.0, 1.0, floatType);
        return Np.Multiply(scale, Np.Power(Np.Negative(Np.Log1p(Np.Negative(u))), Np.Divide(1.0, concentration)));
    }

    /// <summary>Maxwell values (the norm of a 3-d standard normal vector), as <c>jax.random.maxwell</c>.</summary>
    public static Tensor Maxwell(Tensor key, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(shape);
        var normals = Normal(key, new Shape(shape.Append(3)), floatType);
        return Np.Sqrt(Np.Sum(Np.Square(normals), -1));
    }

    /// <summary>Double-sided Maxwell values, as <c>jax.random.double_sided_maxwell</c>: a Maxwell value with a Rademacher sign, scaled and shifted.</summary>
    public static Tensor DoubleSidedMaxwell(Tensor key, Tensor loc, Tensor scale, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(loc);
        NotNull(scale);
        NotNull(shape);
        var keys = Split(key);
        var magnitude = Maxwell(Key0(keys), shape, floatType);
        var sign = Rademacher(Key1(keys), shape, floatType);
        return Np.Add(Np.Multiply(Np.Multiply(sign, magnitude), scale), loc);
    }

    /// <summary>Rayleigh values, as <c>jax.random.rayleigh</c>: <c>scale sqrt(-2 log u)</c>.</summary>
    public static Tensor Rayleigh(Tensor key, Tensor scale, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(scale);
        NotNull(shape);
        var u = Uniform(key, shape, 0.0, 1.0, floatType);
        return Np.Multiply(scale, Np.Sqrt(Np.Multiply(-2, Np.Log(u))));
    }

    /// <summary>Log-normal values, as <c>jax.random.lognormal</c>: <c>exp(sigma · normal)</c>.</summary>
    public static Tensor Lognormal(Tensor key, Tensor sigma, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(sigma);
        NotNull(shape);
        return Np.Exp(Np.Multiply(Normal(key, shape, floatType), sigma));
    }

    /// <summary>Chi-square values with df degrees of freedom, as <c>jax.random.chisquare</c>: <c>2 exp(loggamma(df / 2))</c>.</summary>
    public static Tensor Chisquare(Tensor key, Tensor df, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(df);
        NotNull(shape);
        var halfDf = Np.Divide(Np.Cast(df, floatType), 2);
        return Np.Multiply(Np.Exp(LogGamma(key, halfDf, shape, floatType)), 2);
    }

    /// <summary>Student's t values with df degrees of freedom, as <c>jax.random.t</c>: <c>normal · sqrt((df/2) / gamma(df/2))</c>.</summary>
    public static Tensor T(Tensor key, Tensor df, Shape shape, DType? dtype = null)
    {
        var floatType = dtype ?? DTypes.DefaultFloat;
        NotNull(key);
        NotNull(df);
        NotNull(shape);
        var keys = Split(key);
        var n = Normal(Key0(keys), shape, floatType);
        var halfDf = Np.Divide(df, 2);
        var g = Gamma(Key1(keys), halfDf, shape, floatType);
        return Np.Multiply(n, Np.Sqrt(Np.Divide(halfDf, g)));
    }

    /// <summary>Geometric values (trials until the first success, from 1), as <c>jax.random.geometric</c>: <c>floor(log u / log1p(-p)) + 1</c> with u = 0 read as 1, int32.</summary>
    public static Tensor Geometric(Tensor key, Tensor p, Shape shape)
    {
        NotNull(key);
        NotNull(p);
        NotNull(shape);
        var u = Uniform(key, shape, 0.0, 1.0, DType.Float32);
        var pf = Np.AsType(p, DType.Float32);
        var logU = Np.Log(Np.Where(Np.Equal(u, 0.0), Np.OnesLike(u), u));
        return Np.AsType(Np.Add(Np.Floor(Np.Divide(logU, Np.Log1p(Np.Negative(pf)))), 1), DType.Int32);
    }
}
