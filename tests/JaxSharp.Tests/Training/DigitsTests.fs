/// Short runs of the digits examples (examples/Digits, examples/CSharpDigits): three epochs
/// are enough for more than 90% test accuracy.
module Training.DigitsTests

open Expecto

[<Tests>]
let tests =
    testList
        "digits example"
        [ test "three epochs of the F# example classify more than 90% of the test digits" {
              let _, testSet, epochs = Digits.Training.train { Digits.Training.defaults with Epochs = 3 } ignore
              let final = List.last epochs
              Expect.equal testSet.Labels.Shape[0] 360 "a fifth of the 1,797 images is held out"
              Expect.isGreaterThan final.TestAccuracy 0.9 $"test accuracy {final.TestAccuracy}"
              Expect.isLessThan final.Loss (List.head epochs).Loss "the loss falls"
          }

          test "three epochs of the C# example classify more than 90% of the test digits" {
              let struct (_, _, epochs) = CSharpDigits.Training.Train(3, ignore)
              Expect.isGreaterThan epochs[2].TestAccuracy 0.9 $"test accuracy {epochs[2].TestAccuracy}"
          } ]
