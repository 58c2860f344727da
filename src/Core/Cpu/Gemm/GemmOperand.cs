namespace JaxSharp.Cpu.Gemm;

/// <summary>
/// Where the elements of one operand of a batched product lie in its row-major buffer:
/// element <c>(b, i, j)</c> is at <c>Batch[b] + Rows[i] + Columns[j]</c>. Each group of axes
/// (batch, rows, columns) may hold several axes in any order, so every layout reaches the
/// kernel without a copy: packing reads it directly.
/// </summary>
internal sealed class GemmOperand
{
    /// <summary>The layout of an operand of <paramref name="shape"/> whose axes form batch, row and column groups (each flattened row-major in the order given).</summary>
    public GemmOperand(Shape shape, IEnumerable<int> batchAxes, IEnumerable<int> rowAxes, IEnumerable<int> columnAxes)
    {
        var strides = shape.Strides();
        // loops, not LINQ's ToArray and Select over int, whose instantiations every process would JIT-compile
        int[] Offsets(IEnumerable<int> axes)
        {
            var dims = new List<int>();
            var axisStrides = new List<int>();
            foreach (var d in axes)
            {
                dims.Add(shape[d]);
                axisStrides.Add(strides[d]);
            }
            return IndexMath.StridedOffsets(new Shape(dims.ToArray()), axisStrides.ToArray());
        }
        Batch = Offsets(batchAxes);
        Rows = Offsets(rowAxes);
        Columns = Offsets(columnAxes);
        RowsContiguous = IsContiguous(Rows);
        ColumnsContiguous = IsContiguous(Columns);
    }

    /// <summary>
    /// A layout given by its offset tables: element <c>(b, i, j)</c> at <c>batch[b] + rows[i] + columns[j]</c>,
    /// for views no axis grouping describes (a convolution's input as a matrix of windows).
    /// </summary>
    public GemmOperand(int[] batch, int[] rows, int[] columns)
    {
        (Batch, Rows, Columns) = (batch, rows, columns);
        RowsContiguous = IsContiguous(Rows);
        ColumnsContiguous = IsContiguous(Columns);
    }

    /// <summary>The offset of each batch index.</summary>
    public int[] Batch { get; }

    /// <summary>The offset of each row index.</summary>
    public int[] Rows { get; }

    /// <summary>The offset of each column index.</summary>
    public int[] Columns { get; }

    /// <summary>Whether consecutive rows are adjacent in memory (a transposed matrix).</summary>
    public bool RowsContiguous { get; }

    /// <summary>Whether consecutive columns are adjacent in memory (a row-major matrix).</summary>
    public bool ColumnsContiguous { get; }

    private static bool IsContiguous(int[] offsets)
    {
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] != offsets[i - 1] + 1) return false;
        return true;
    }
}
