namespace MotorRT.Contracts.Machines;

/// <summary>
/// The parameters of one machine, SI units, GEM 3.0.2's parameter names in the docs of each derived record. Every
/// machine type has one sealed record deriving from this (e.g. <see cref="PmsmParameters"/>) that owns GEM's default
/// parameters, nominal values and limits (its static <c>Gem</c> property), as GEM's machine classes do.
/// </summary>
public abstract record MachineParameters
{
    /// <summary>Rotor moment of inertia j_rotor, in kg·m².</summary>
    public required double RotorInertia { get; init; }

    /// <summary>Nominal values and limits of the machine (GEM's nominal_values and limit_values, in SI).</summary>
    public required MotorLimits Limits { get; init; }

    /// <summary>The registered machine type these parameters describe.</summary>
    public abstract MachineType Machine { get; }

    /// <summary>
    /// Electrical (air-gap) torque from the measured currents of an observation, in N·m (GEM's torque equation); NaN
    /// when the torque needs states no sensor measures (see <see cref="TorqueFromCurrents"/>).
    /// </summary>
    public abstract double ElectricalTorque(in MotorObservation o);

    /// <summary>True when <see cref="ElectricalTorque"/> needs measured currents only (false for the induction machines: rotor flux).</summary>
    public virtual bool TorqueFromCurrents => true;

    /// <summary>
    /// The d-axis voltage the machine adds through cross-coupling, in V (synchronous machines: e_d = −ω_el·l_q·i_q; 0
    /// for DC machines and where the model has no such term).
    /// </summary>
    public virtual double CouplingVoltageD(in MotorObservation o) => 0.0;

    /// <summary>
    /// The q-axis voltage the machine adds through cross-coupling and back-EMF, in V (synchronous machines:
    /// e_q = ω_el·(l_d·i_d + ψ_p); permanently excited DC: ψ_e·ω; 0 where the model has no such term).
    /// </summary>
    public virtual double CouplingVoltageQ(in MotorObservation o) => 0.0;

    /// <summary>
    /// The same machine as the flat <see cref="MotorParameters"/> record older consumers read; throws
    /// <see cref="NotSupportedException"/> for machine types the flat record cannot describe (registered from outside).
    /// </summary>
    public MotorParameters ToMotorParameters() => MotorParameters.From(this);

    /// <summary>j_rotor, the parameter every machine type has, as a file field of <typeparamref name="T"/>.</summary>
    protected static MachineParameterField RotorInertiaField<T>() where T : MachineParameters =>
        MachineParameterField.Of<T>("j_rotor", "kg·m²", p => p.RotorInertia, (p, v) => p with { RotorInertia = v });
}
