namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// A register-blocked GEMM micro-kernel: <c>C[0..Rows, 0..Columns] (+)= A B</c> for one packed
/// panel of A (<c>kc</c> steps of <see cref="Rows"/> values) and one packed panel of B
/// (<c>kc</c> steps of <see cref="Columns"/> values), with C row-major at row stride <c>ldc</c>.
/// The tile lives in registers for all of <c>kc</c>; C is touched once at the end.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IMicroKernel<T>
{
    /// <summary>The rows of C that one call computes (the A panel's width).</summary>
    static abstract int Rows { get; }

    /// <summary>The columns of C that one call computes (the B panel's width).</summary>
    static abstract int Columns { get; }

    /// <summary>Computes the tile; adds it to C when <paramref name="accumulate"/>, else overwrites C.</summary>
    static abstract void Multiply(int kc, ref T a, ref T b, ref T c, nint ldc, bool accumulate);
}
