namespace JaxSharp.FSharp

open JaxSharp

/// A learning rate for F#: a float (constant) or a Schedule, converted by `learningRate`.
type LearningRate =
    /// A constant rate.
    static member Of(rate: float) = Schedule.Constant rate
    /// A schedule, as it is.
    static member Of(schedule: Schedule) = schedule

/// Optimizers' F# members: `opt.init params` and `opt.update grads state params`, curried.
[<AutoOpen>]
module GradientTransformationExtensions =
    /// A learning rate from a float or a Schedule (optim's functions take either).
    let inline learningRate (rate: ^r) : Schedule = ((^r or LearningRate): (static member Of: ^r -> Schedule) rate)

    type GradientTransformation with
        /// The initial state for the parameters, as optax's `init`.
        member opt.init(parameters: 'p) : OptState = opt.Init parameters

        /// The updates for the gradients and the next state, as optax's `update`
        /// (`let updates, state = opt.update grads state params`).
        member opt.update (gradients: 'p) (state: OptState) (parameters: 'p) : 'p * OptState =
            let struct (updates, next) = opt.Update(gradients, state, parameters)
            updates, next

/// optax's schedules for F#: functions from the step count to a learning rate, forwarding to
/// JaxSharp.Schedules; pass them to optim's functions in place of a float.
[<RequireQualifiedAccess>]
module schedule =
    /// The same value at every step.
    let constant (value: float) = Schedules.Constant value

    /// init * rate^(count / transitionSteps), as optax.exponential_decay.
    let exponentialDecay (initValue: float) (transitionSteps: int) (decayRate: float) =
        Schedules.ExponentialDecay(initValue, transitionSteps, decayRate)

    /// From init down to alpha * init along half a cosine over decaySteps, as optax.cosine_decay_schedule.
    let cosineDecay (initValue: float) (decaySteps: int) (alpha: float) = Schedules.CosineDecay(initValue, decaySteps, alpha)

    /// A straight line from init to end over transitionSteps, then flat (a linear warmup from 0), as optax.linear_schedule.
    let linear (initValue: float) (endValue: float) (transitionSteps: int) = Schedules.Linear(initValue, endValue, transitionSteps)

    /// Linear warmup to peak, then cosine decay to endValue at decaySteps, as optax.warmup_cosine_decay_schedule.
    let warmupCosineDecay (initValue: float) (peakValue: float) (warmupSteps: int) (decaySteps: int) (endValue: float) =
        Schedules.WarmupCosineDecay(initValue, peakValue, warmupSteps, decaySteps, endValue)

/// Optimizers as optax's, for F#: pure GradientTransformations over parameter trees (records,
/// tuples, lists of tensors). A learning rate is a float or a schedule.
/// `let updates, state = opt.update grads state params` then `optim.applyUpdates params updates`.
[<RequireQualifiedAccess>]
module optim =
    /// Plain SGD: -lr * g, as optax.sgd.
    let inline sgd lr = Optim.Sgd(learningRate lr)

    /// SGD with momentum: trace t = g + momentum t, update -lr * t.
    let inline sgdMomentum lr (momentum: float) = Optim.SgdMomentum(learningRate lr, momentum)

    /// SGD with Nesterov momentum: update -lr * (g + momentum t).
    let inline sgdNesterov lr (momentum: float) = Optim.SgdMomentum(learningRate lr, momentum, true)

    /// Adam with b1 = 0.9, b2 = 0.999, eps = 1e-8, as optax.adam.
    let inline adam lr = Optim.Adam(learningRate lr)

    /// AdamW: Adam plus decoupled weight decay (weightDecay * params, scaled by -lr), as optax.adamw.
    let inline adamw lr (weightDecay: float) = Optim.AdamW(learningRate lr, weightDecay = weightDecay)

    /// RMSProp with decay 0.9 and eps 1e-8, as optax.rmsprop.
    let inline rmsprop lr = Optim.Rmsprop(learningRate lr)

    /// Adagrad with initial accumulator 0.1 and eps 1e-7, as optax.adagrad.
    let inline adagrad lr = Optim.Adagrad(learningRate lr)

    /// Rescales all updates together so that their global norm is at most maxNorm.
    let clipByGlobalNorm (maxNorm: float) = Optim.ClipByGlobalNorm maxNorm

    /// The transformations one after another, as optax.chain.
    let chain (transformations: GradientTransformation list) = Optim.Chain(Array.ofList transformations)

    /// Multiplies updates by a constant, as optax.scale.
    let scale (step: float) = Optim.Scale step

    /// Adam's rescaling alone (b1, b2, eps), as optax.scale_by_adam.
    let scaleByAdam (b1: float) (b2: float) (eps: float) = Optim.ScaleByAdam(b1, b2, eps)

    /// Multiplies updates by schedule(count), as optax.scale_by_schedule.
    let scaleBySchedule (schedule: Schedule) = Optim.ScaleBySchedule schedule

    /// Adds weightDecay * params to the updates, as optax.add_decayed_weights.
    let addDecayedWeights (weightDecay: float) = Optim.AddDecayedWeights weightDecay

    /// Momentum alone: t = g + decay t, as optax.trace.
    let trace (decay: float) (nesterov: bool) = Optim.Trace(decay, nesterov)

    /// The 2-norm of all the tensors of a tree together, as optax.global_norm.
    let globalNorm (tree: 'p) = Optim.GlobalNorm(Tree.Leaves tree)

    /// params + updates, leaf by leaf, as optax.apply_updates.
    let applyUpdates (parameters: 'p) (updates: 'p) : 'p = Optim.ApplyUpdates(parameters, updates)
