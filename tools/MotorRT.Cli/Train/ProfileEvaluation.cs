using MotorRT.Policies.Training.Rl;
using MotorRT.Sim.Gym;
using MotorRT.Sim.Gym.References;

namespace MotorRT.Cli.Train;

/// <summary>Tracking of a policy on a step profile in the environment.</summary>
/// <param name="Rmse">√mean e_k² with e_k = ref_k − x_{k+1} (the definition), SI unit of the quantity.</param>
/// <param name="MaxError">max |e_k|, SI.</param>
/// <param name="CurrentPeak">Peak |current| of the run, A.</param>
/// <param name="Steps">Steps run (fewer than the profile's when a constraint terminated the run).</param>
/// <param name="Terminated">A constraint violation ended the run early.</param>
internal readonly record struct ProfileResult(double Rmse, double MaxError, double CurrentPeak, int Steps, bool Terminated);

/// <summary>
/// Runs the deterministic policy on the environment with its reference replaced by <see cref="GemPolicyContract.Profile"/>
/// (the profile <c>simulate.json</c> runs, here without sensors or estimator): the fixed evaluation of
/// <c>motorrt train</c>, comparable across runs and algorithms. Single-reference environments, and the dq current
/// references of a synchronous machine (the profile on i_sq, i_sd's reference held at 0).
/// </summary>
internal sealed class ProfileEvaluation
{
    private readonly GemEnv _env;
    private readonly GemRlEnvironment _rl;
    private readonly ReplayReferenceGenerator _reference;
    private readonly StepProfile _profile;
    private readonly int _state, _current, _steps;
    private readonly double _limit, _currentLimit;
    private readonly float[] _obs, _action;
    private readonly double[] _next;
    private readonly int _profileSlot;

    private ProfileEvaluation(GemEnvSpec spec, StepProfile profile, double duration, string[] references, bool dqActions)
    {
        _profile = profile;
        ReplayReferenceGenerator? made = null;
        _env = new GemEnv(spec with { References = () => made = new ReplayReferenceGenerator(references), MaxEpisodeSteps = null });
        _rl = new GemRlEnvironment(_env, dqActions);
        _reference = made!;
        _next = new double[references.Length];
        _profileSlot = Array.IndexOf(references, profile.State);
        _state = _env.Layout.IndexOf(profile.State);
        _limit = _env.Layout.Limits[_state];
        string current = _env.Layout.Names.Contains("i_a") ? "i_a" : _env.Layout.Names.Contains("i") ? "i" : "i_sq";
        _current = _env.Layout.IndexOf(current);
        _currentLimit = _env.Layout.Limits[_current];
        _steps = (int)Math.Round(duration / _env.Plant.Tau);
        _obs = new float[_env.ObservationNames.Count];
        _action = new float[_rl.ActionSize];
    }

    /// <summary>The profile evaluated.</summary>
    public StepProfile Profile => _profile;

    /// <summary>An evaluation for <paramref name="spec"/> (actions as <see cref="GemRlEnvironment"/> with <paramref name="dqActions"/>), or null when its references are neither one nor i_sd, i_sq.</summary>
    public static ProfileEvaluation? Create(GemEnvSpec spec, double duration, bool dqActions = false)
    {
        var probe = new GemEnv(spec);
        string[] refs = [.. probe.References.ReferenceNames];
        if (refs.Length != 1 && !(refs.Length == 2 && refs.Contains("i_sd") && refs.Contains("i_sq"))) return null;
        return new ProfileEvaluation(spec, GemPolicyContract.Profile(probe, duration), duration, refs, dqActions);
    }

    /// <summary>Runs the deterministic policy <paramref name="agent"/> over the profile.</summary>
    public ProfileResult Run(IRlPolicy agent)
    {
        double tau = _env.Plant.Tau;
        double Ref(int k) => _profile.At(k * tau);
        Array.Clear(_next);
        _next[_profileSlot] = Ref(0) / _limit;
        _reference.SetNext(_next);
        _rl.Reset(1, _obs);
        double sum = 0, max = 0, peak = 0;
        int k = 0;
        bool terminated = false;
        for (; k < _steps; k++)
        {
            agent.Act(_obs, _action);
            _next[_profileSlot] = Ref(k + 1) / _limit;
            _reference.SetNext(_next);
            RlStep r = _rl.Step(_action, _obs);
            double e = Ref(k) - _env.State[_state] * _limit;
            sum += e * e;
            max = Math.Max(max, Math.Abs(e));
            peak = Math.Max(peak, Math.Abs(_env.State[_current] * _currentLimit));
            if (r.Terminated)
            {
                terminated = true;
                k++;
                break;
            }
        }
        return new ProfileResult(Math.Sqrt(sum / Math.Max(k, 1)), max, peak, k, terminated);
    }
}
