/// einsum against loops and MathNet, with the strings of JAX's documentation.
module EinsumTests

open System
open Expecto
open MathNet.Numerics.LinearAlgebra
open JaxSharp
open JaxSharp.FSharp
open OpTable.Generators
open ReductionTests
open LinalgTests

[<Tests>]
let tests =
    let a = f64 [| 3; 4 |] (values 20 12)
    let b = f64 [| 4; 5 |] (values 21 20)
    let sq = f64 [| 3; 3 |] (values 22 9)
    testList "einsum" [
        test "ij,jk->ik is a matrix product" {
            expectClose 1e-12 (flatOf (matrixOf 3 4 (toFloats a) * matrixOf 4 5 (toFloats b))) (np.einsum "ij,jk->ik" [ a; b ]) "product"
        }
        test "bij,bjk->bik is a batched matrix product" {
            let x, y = f64 [| 2; 3; 4 |] (values 23 24), f64 [| 2; 4; 5 |] (values 24 40)
            expectClose 1e-12 (toFloats (Np.Matmul(x, y))) (Np.Einsum("bij,bjk->bik", x, y)) "batched"
        }
        test "i,i-> is an inner product and i,j->ij an outer one" {
            let v, w = f64 [| 4 |] [| 1.0; 2.0; 3.0; 4.0 |], f64 [| 2 |] [| 1.0; -1.0 |]
            expectClose 0.0 [| 30.0 |] (np.einsum "i,i->" [ v; v ]) "inner"
            expectClose 0.0 (toFloats (Np.Outer(v, w))) (np.einsum "i,j->ij" [ v; w ]) "outer"
        }
        test "ij->ji transposes and ij->j sums rows" {
            let t = np.einsum "ij->ji" [ a ]
            Expect.sequenceEqual t.Shape [ 4; 3 ] "shape"
            expectClose 0.0 (flatOf ((matrixOf 3 4 (toFloats a)).Transpose())) t "transpose"
            expectClose 1e-12 (toFloats (Np.Sum(a, 0))) (np.einsum "ij->j" [ a ]) "column sums"
        }
        test "ii->i takes the diagonal and ii-> the trace" {
            let m = matrixOf 3 3 (toFloats sq)
            expectClose 0.0 (m.Diagonal().ToArray()) (np.einsum "ii->i" [ sq ]) "diagonal"
            expectClose 1e-12 [| m.Trace() |] (np.einsum "ii->" [ sq ]) "trace"
            expectClose 1e-12 [| m.Trace() |] (np.einsum "ii" [ sq ]) "implicit trace"
        }
        test "the implicit form outputs the letters used once, in order" {
            let r = np.einsum "ji,jk" [ a; f64 [| 3; 2 |] (values 25 6) ]
            Expect.sequenceEqual r.Shape [ 4; 2 ] "ik"
            expectClose 1e-12 (flatOf ((matrixOf 3 4 (toFloats a)).Transpose() * matrixOf 3 2 (values 25 6))) r "a^T b"
        }
        test "three operands contract left to right and the output may be permuted" {
            let c = f64 [| 5; 2 |] (values 26 10)
            let expected = (matrixOf 3 4 (toFloats a) * matrixOf 4 5 (toFloats b) * matrixOf 5 2 (toFloats c)).Transpose()
            expectClose 1e-12 (flatOf expected) (np.einsum "ij,jk,kl->li" [ a; b; c ]) "a b c, transposed"
        }
        test "a letter shared by the operands and the output is a batch axis, one in one operand only is summed" {
            let x, y = f64 [| 2; 3 |] (values 27 6), f64 [| 2; 4 |] (values 28 8)
            let xs, ys = toFloats x, toFloats y
            let expected = [| for i in 0 .. 1 -> Seq.sum xs.[i * 3 .. i * 3 + 2] * Seq.sum ys.[i * 4 .. i * 4 + 3] |]
            expectClose 1e-12 expected (np.einsum "ia,ib->i" [ x; y ]) "sums then batch"
        }
        test "einsum promotes dtypes and works under jit" {
            let x = Tensor.FromArray([| 1; 2; 3 |])
            let y = f32 [| 3 |] [| 0.5f; 0.5f; 0.5f |]
            let r = Np.Einsum("i,i->", x, y)
            Expect.equal (r.DType, r.Item<float32>()) (DType.Float32, 3.0f) "promoted"
            let f (p: Tensor) (q: Tensor) = Np.Einsum("ij,kj->ki", p, q)
            let q = f64 [| 5; 4 |] (values 29 20)
            expectClose 0.0 (toFloats (f a q)) (Jax.Jit(Func<Tensor, Tensor, Tensor> f).Invoke(a, q)) "jit = eager"
        }
        test "einsum names bad subscripts" {
            throwsWith [ "einsum"; "2 input terms"; "1 operands" ] (fun () -> Np.Einsum("ij,jk->ik", a))
            throwsWith [ "einsum"; "'ijk'"; "(3, 4)" ] (fun () -> Np.Einsum("ijk->i", a))
            throwsWith [ "einsum"; "letter 'j'"; "size 4"; "size 3" ] (fun () -> Np.Einsum("ij,jk->ik", a, a))
            throwsWith [ "einsum"; "output letter 'z'" ] (fun () -> Np.Einsum("ij->z", a))
            throwsWith [ "einsum"; "ellipsis" ] (fun () -> Np.Einsum("...j->j", a))
            throwsWith [ "einsum"; "'i' appears twice" ] (fun () -> Np.Einsum("ij->ii", a))
        }
    ]
