namespace JaxSharp.MathNet

open System
open System.Runtime.CompilerServices
open MathNet.Numerics.LinearAlgebra
open JaxSharp

/// MathNet.Numerics dense matrices and vectors to and from tensors, for F#: every conversion
/// copies, so neither side sees the other's later changes. float is float64, float32 float32.
[<RequireQualifiedAccess>]
module Tensor =
    let private expectRank (op: string) (rank: int) (what: string) (fix: string) (t: Tensor) =
        ArgumentNullException.ThrowIfNull(t, "tensor")
        if t.Rank <> rank then
            invalidArg "tensor" $"{op}: the tensor is {t.DType.Name()}{t.Shape}, but a {what} needs rank {rank}; {fix}"
        if t.IsTracer then
            invalidArg "tensor" $"{op}: the tensor is traced (inside grad, vmap or jit) and has no values yet; convert concrete tensors, outside the transformation"

    let private matrixFix = "reshape it first (np.reshape [| rows; cols |] x)"
    let private vectorFix = "flatten it first (np.ravel x)"

    /// A float64 tensor of the matrix's shape (rows, columns), copied.
    let ofMatrix (m: Matrix<float>) : Tensor =
        ArgumentNullException.ThrowIfNull(m, "matrix")
        Tensor.FromArray(m.ToArray())

    /// A float32 tensor of the matrix's shape, copied.
    let ofMatrix32 (m: Matrix<float32>) : Tensor =
        ArgumentNullException.ThrowIfNull(m, "matrix")
        Tensor.FromArray(m.ToArray())

    /// A float64 tensor of shape (n,), copied.
    let ofVector (v: Vector<float>) : Tensor =
        ArgumentNullException.ThrowIfNull(v, "vector")
        Tensor.FromArray(v.ToArray())

    /// A float32 tensor of shape (n,), copied.
    let ofVector32 (v: Vector<float32>) : Tensor =
        ArgumentNullException.ThrowIfNull(v, "vector")
        Tensor.FromArray(v.ToArray())

    /// A dense float64 matrix of a rank-2 tensor of any real dtype (converted), copied.
    let toMatrix (t: Tensor) : Matrix<float> =
        expectRank "Tensor.toMatrix" 2 "matrix" matrixFix t
        Matrix<float>.Build.DenseOfArray(Np.AsType(t, DType.Float64).ToArray2D<float>())

    /// A dense float32 matrix of a rank-2 tensor, copied.
    let toMatrix32 (t: Tensor) : Matrix<float32> =
        expectRank "Tensor.toMatrix32" 2 "matrix" matrixFix t
        Matrix<float32>.Build.DenseOfArray(Np.AsType(t, DType.Float32).ToArray2D<float32>())

    /// A dense float64 vector of a rank-1 tensor, copied.
    let toVector (t: Tensor) : Vector<float> =
        expectRank "Tensor.toVector" 1 "vector" vectorFix t
        Vector<float>.Build.DenseOfArray(Np.AsType(t, DType.Float64).ToArray<float>())

    /// A dense float32 vector of a rank-1 tensor, copied.
    let toVector32 (t: Tensor) : Vector<float32> =
        expectRank "Tensor.toVector32" 1 "vector" vectorFix t
        Vector<float32>.Build.DenseOfArray(Np.AsType(t, DType.Float32).ToArray<float32>())

/// The same conversions as extension methods for C#: <c>matrix.ToTensor()</c>,
/// <c>tensor.ToMatrix()</c>, <c>tensor.ToVector()</c> (double) and the Single variants (float).
[<Extension; AbstractClass; Sealed>]
type MathNetExtensions =
    /// A float64 tensor of the matrix, copied.
    [<Extension>]
    static member ToTensor(matrix: Matrix<float>) = Tensor.ofMatrix matrix
    /// A float32 tensor of the matrix, copied.
    [<Extension>]
    static member ToTensor(matrix: Matrix<float32>) = Tensor.ofMatrix32 matrix
    /// A float64 tensor of the vector, copied.
    [<Extension>]
    static member ToTensor(vector: Vector<float>) = Tensor.ofVector vector
    /// A float32 tensor of the vector, copied.
    [<Extension>]
    static member ToTensor(vector: Vector<float32>) = Tensor.ofVector32 vector
    /// A dense double matrix of a rank-2 tensor, copied.
    [<Extension>]
    static member ToMatrix(tensor: JaxSharp.Tensor) = Tensor.toMatrix tensor
    /// A dense float matrix of a rank-2 tensor, copied.
    [<Extension>]
    static member ToMatrixSingle(tensor: JaxSharp.Tensor) = Tensor.toMatrix32 tensor
    /// A dense double vector of a rank-1 tensor, copied.
    [<Extension>]
    static member ToVector(tensor: JaxSharp.Tensor) = Tensor.toVector tensor
    /// A dense float vector of a rank-1 tensor, copied.
    [<Extension>]
    static member ToVectorSingle(tensor: JaxSharp.Tensor) = Tensor.toVector32 tensor
