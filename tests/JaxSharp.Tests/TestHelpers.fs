/// Assertions shared by the tests.
module TestHelpers

open Expecto

/// Runs f, expects it to throw an exception of type 'E, and returns the exception.
let throws<'E when 'E :> exn> (f: unit -> unit) : 'E =
    try
        f ()
        failtestf "expected %s, but nothing was thrown" typeof<'E>.Name
    with
    | :? 'E as e -> e
    | e when (e :? AssertException) -> raise e
    | e -> failtestf "expected %s, got %s: %s" typeof<'E>.Name (e.GetType().Name) e.Message

/// Runs f, expects an exception of type 'E whose message contains every fragment.
let throwsWith<'E when 'E :> exn> (fragments: string list) (f: unit -> unit) =
    let e = throws<'E> f
    for fragment in fragments do
        Expect.stringContains e.Message fragment "the error message"

/// The message of the ArgumentException f throws (failing when it throws none or another).
let messageOf (f: unit -> 'a) : string = (throws<System.ArgumentException> (fun () -> f () |> ignore)).Message

/// Checks that a message names every word.
let expectWords (words: string list) (message: string) =
    for w in words do
        Expect.stringContains message w $"the message names {w}"

/// The path of <c>relative</c> in the repository (the folder holding JaxSharp.slnx above the test binaries).
let repoFile (relative: string) =
    let rec up (dir: System.IO.DirectoryInfo) =
        if isNull dir then failwith "tests: the repository root (JaxSharp.slnx) was not found"
        elif System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "JaxSharp.slnx")) then System.IO.Path.Combine(dir.FullName, relative)
        else up dir.Parent
    up (System.IO.DirectoryInfo System.AppContext.BaseDirectory)

/// The n x n diagonal matrix of <c>values</c>, row-major.
let diagonal (values: float[]) =
    let n = values.Length
    Array.init (n * n) (fun k -> if k / n = k % n then values[k / n] else 0.0)
