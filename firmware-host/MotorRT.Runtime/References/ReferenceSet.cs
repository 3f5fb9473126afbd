using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.References;

/// <summary>
/// The <c>reference</c> section: one optional profile per quantity — <c>speed</c> (rad/s), <c>position</c> (rad,
/// unwrapped), <c>torque</c> (N·m),
/// <c>current</c> (A: DC armature or AC d axis; alias <c>current_d</c>), <c>current_q</c> (A), <c>current_excitation</c> (A).
/// Quantities without a profile are zero. The quantities given are the "controlled quantities" whose tracking error
/// is reported.
/// </summary>
public sealed class ReferenceSet
{
    /// <summary>Speed reference profile, rad/s (or null).</summary>
    public ReferenceProfile? Speed { get; init; }

    /// <summary>Mechanical position reference profile, rad (or null).</summary>
    public ReferenceProfile? Position { get; init; }

    /// <summary>Torque reference profile, N·m (or null).</summary>
    public ReferenceProfile? Torque { get; init; }

    /// <summary>DC armature / AC d-axis current reference profile, A (or null).</summary>
    public ReferenceProfile? CurrentD { get; init; }

    /// <summary>q-axis current reference profile, A (or null).</summary>
    public ReferenceProfile? CurrentQ { get; init; }

    /// <summary>Excitation current reference profile, A (or null).</summary>
    public ReferenceProfile? CurrentExcitation { get; init; }

    /// <summary>Fills <paramref name="references"/> for loop time <paramref name="time"/> (s). No allocation.</summary>
    public void Evaluate(double time, ref Contracts.References references)
    {
        references.Speed = Speed?.At(time) ?? 0.0;
        references.Position = Position?.At(time) ?? 0.0;
        references.Torque = Torque?.At(time) ?? 0.0;
        references.CurrentD = CurrentD?.At(time) ?? 0.0;
        references.CurrentQ = CurrentQ?.At(time) ?? 0.0;
        references.CurrentExcitation = CurrentExcitation?.At(time) ?? 0.0;
    }

    /// <summary>Builds the set from a validated <c>reference</c> section found at <paramref name="scope"/>.</summary>
    public static ReferenceSet From(ReferenceSection s, ConfigScope scope)
    {
        ArgumentNullException.ThrowIfNull(s);
        ReferenceProfile? P(ProfileSection? p, string key) => p?.Build(scope.Child(key));
        return new ReferenceSet
        {
            Speed = P(s.Speed, "speed"),
            Position = P(s.Position, "position"),
            Torque = P(s.Torque, "torque"),
            CurrentD = P(s.Current, "current") ?? P(s.CurrentD, "current_d"),
            CurrentQ = P(s.CurrentQ, "current_q"),
            CurrentExcitation = P(s.CurrentExcitation, "current_excitation"),
        };
    }
}
