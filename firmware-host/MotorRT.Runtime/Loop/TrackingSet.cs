using MotorRT.Contracts;
using MotorRT.Runtime.References;

namespace MotorRT.Runtime.Loop;

/// <summary>Tracking errors of the quantities that have a reference profile, accumulated per Running tick (allocation-free).</summary>
public sealed class TrackingSet
{
    private readonly bool _speed, _position, _currentD, _currentQ, _excitation, _threePhase;
    private TrackingStatistics _trackSpeed, _trackPosition, _trackCurrentD, _trackCurrentQ, _trackExcitation;

    /// <summary>Tracks what <paramref name="references"/> gives a profile for.</summary>
    public TrackingSet(ReferenceSet references, bool threePhase)
    {
        ArgumentNullException.ThrowIfNull(references);
        _speed = references.Speed is not null;
        _position = references.Position is not null;
        _currentD = references.CurrentD is not null;
        _currentQ = references.CurrentQ is not null;
        _excitation = references.CurrentExcitation is not null;
        _threePhase = threePhase;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        _trackSpeed = default;
        _trackPosition = default;
        _trackCurrentD = default;
        _trackCurrentQ = default;
        _trackExcitation = default;
    }

    /// <summary>Adds the errors of one tick.</summary>
    public void Add(in MotorObservation obs)
    {
        if (_speed) _trackSpeed.Add(obs.Reference.Speed - obs.MechanicalSpeed);
        if (_position) _trackPosition.Add(obs.Reference.Position - obs.MechanicalPosition);
        if (_currentD) _trackCurrentD.Add(obs.Reference.CurrentD - (_threePhase ? obs.CurrentD : obs.CurrentA));
        if (_currentQ) _trackCurrentQ.Add(obs.Reference.CurrentQ - obs.CurrentQ);
        if (_excitation) _trackExcitation.Add(obs.Reference.CurrentExcitation - obs.CurrentExcitation);
    }

    /// <summary>The results, one per tracked quantity (allocates; off the hot path).</summary>
    public TrackingResult[] Results()
    {
        var list = new List<TrackingResult>();
        if (_speed) list.Add(new("speed", "rad/s", _trackSpeed.Rmse, _trackSpeed.MaxAbs));
        if (_position) list.Add(new("position", "rad", _trackPosition.Rmse, _trackPosition.MaxAbs));
        if (_currentD) list.Add(new(_threePhase ? "current_d" : "current", "A", _trackCurrentD.Rmse, _trackCurrentD.MaxAbs));
        if (_currentQ) list.Add(new("current_q", "A", _trackCurrentQ.Rmse, _trackCurrentQ.MaxAbs));
        if (_excitation) list.Add(new("current_excitation", "A", _trackExcitation.Rmse, _trackExcitation.MaxAbs));
        return [.. list];
    }
}
