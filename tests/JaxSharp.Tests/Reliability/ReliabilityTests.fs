/// The reliability probes at a size the test command can afford: every transformation called
/// from 8 threads agrees bit for bit with one thread, a first call from 8 threads traces once,
/// and steady-state calls do not grow the managed heap. `./build.sh soak` runs them at full size.
module Reliability.ReliabilityTests

open Expecto
open Reliability.Probes

/// The seed of the concurrency probe's call order; printed by the test's name.
let private seed = 20261206

[<Tests>]
let tests =
    testSequenced
    <| testList
        "reliability"
        [ test $"8 threads x 200 mixed calls agree with one thread (seed {seed})" {
              let r = concurrency seed 8 200
              Expect.equal (r.Wrong, r.Errors) (0, 0) $"wrong results and errors in {r.Calls} calls"
          }
          test "a fresh jitted function first called by 8 threads at once traces once" {
              let r = firstCallRace 20 8
              Expect.equal r.Wrong 0 "wrong results"
              Expect.equal r.MaxTraces 1 "traces of one signature"
          }
          test "4,000 steady-state calls of every transformation grow the heap by less than 64 KB" {
              let r = steadyState 4000
              Expect.isLessThan (r.HeapAfter - r.HeapBefore) (64L * 1024L) $"heap {r.HeapBefore} -> {r.HeapAfter} bytes"
          } ]
