using JaxSharp.Cpu;

namespace JaxSharp.Primitives.Control;

/// <summary>
/// The general CPU loop of <see cref="While"/>: the predicate and the body compiled once (the
/// fused programs <c>jit</c> makes), then run step after step on two sets of carry buffers, the
/// body reading one set and writing the other (so an output never overwrites an input it still
/// reads), until the predicate fails. A step allocates no carry: the buffers are the equation's
/// output buffers and one rented set, swapped after each step.
/// </summary>
internal sealed class WhileLoopKernel
{
    private readonly WhileParams _params;
    private readonly CpuProgram _cond;
    private readonly CpuProgram _body;
    private readonly AbstractValue[] _carries;

    /// <summary>Compiles the predicate and the body of <paramref name="parameters"/>; <paramref name="inputs"/> are the equation's argument types.</summary>
    public WhileLoopKernel(WhileParams parameters, IReadOnlyList<AbstractValue> inputs)
    {
        _params = parameters;
        _cond = ProgramCache.Get(parameters.Cond);
        _body = ProgramCache.Get(parameters.Body);
        _carries = parameters.Carries(inputs);
    }

    /// <summary>Runs the loop: <paramref name="inputs"/> are the equation's arguments, <paramref name="outputs"/> receive the last carries.</summary>
    public void Run(Array[] inputs, Array[] outputs)
    {
        var (condConsts, bodyConsts, n) = (_params.CondConstCount, _params.BodyConstCount, _carries.Length);
        var current = new Array[n];
        var next = new Array[n];
        for (var j = 0; j < n; j++)
        {
            Array.Copy(inputs[condConsts + bodyConsts + j], outputs[j], _carries[j].Shape.Size);
            current[j] = outputs[j];
            next[j] = BufferPool.Rent(_carries[j].DType, _carries[j].Shape.Size);
        }
        var condInputs = new Array[condConsts + n];
        Array.Copy(inputs, 0, condInputs, 0, condConsts);
        var bodyInputs = new Array[bodyConsts + n];
        Array.Copy(inputs, condConsts, bodyInputs, 0, bodyConsts);
        var predicate = new bool[1];
        var predicateOutput = new Array[] { predicate };
        var (condSlots, bodySlots) = (_cond.NewSlots(), _body.NewSlots());
        var inOutputs = true;
        while (true)
        {
            Array.Copy(current, 0, condInputs, condConsts, n);
            _cond.RunInto(condSlots, condInputs, predicateOutput);
            if (!predicate[0]) break;
            Array.Copy(current, 0, bodyInputs, bodyConsts, n);
            _body.RunInto(bodySlots, bodyInputs, next);
            (current, next) = (next, current);
            inOutputs = !inOutputs;
        }
        // the last carries are in the rented set after an odd number of steps
        for (var j = 0; j < n; j++)
        {
            if (!inOutputs) Array.Copy(current[j], outputs[j], _carries[j].Shape.Size);
            BufferPool.Return(inOutputs ? next[j] : current[j]);
        }
    }
}
