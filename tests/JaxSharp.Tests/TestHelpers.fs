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
