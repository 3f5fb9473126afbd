using System.Text.Json.Serialization;
using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Foc;

/// <summary>
/// Controller family <c>foc-current</c>, <c>foc-torque</c>, <c>foc-speed</c>: <see cref="FocController"/> for PMSM,
/// SynRM and EESM, <see cref="ScimFocController"/> for the squirrel-cage induction machine.
/// </summary>
public sealed class FocFamily() : CascadeFamily<FocSection>("foc")
{
    /// <inheritdoc />
    public override string Summary => "Field-oriented control: dq current PIs (torque: MTPA references; speed: a speed PI over them) and SVM.";

    /// <inheritdoc />
    protected override IController Create(ControllerRequest request, FocSection section, ControlMode mode) =>
        request.Motor.Type == MotorType.Scim
            ? ScimFocController.FromConfig(section, request.Scope, request.Motor, request.Period, mode)
            : FocController.FromConfig(section, request.Scope, request.Motor, request.Period, mode);
}

/// <summary>The <c>controller</c> section of <c>"type": "foc-*"</c>: the shared cascade keys plus the FOC keys (<see cref="FocOptions"/>).</summary>
public sealed record FocSection : CascadeSection
{
    /// <summary>Maximum torque per ampere for salient machines.</summary>
    [ConfigField("Maximum torque per ampere for salient machines (else i_d = d_current).")]
    [JsonInclude]
    public bool Mtpa { get; internal set; } = true;

    /// <summary>d current used when MTPA is off, in A.</summary>
    [ConfigField("d current when MTPA is off (0 for a PMSM; a SynRM needs a magnetising current); within ± the motor's current limit.", Unit = "A")]
    [JsonInclude]
    public double DCurrent { get; internal set; }

    /// <summary>Field weakening above base speed.</summary>
    [ConfigField("Field weakening along the voltage ellipse above base speed.")]
    [JsonInclude]
    public bool FieldWeakening { get; internal set; } = true;

    /// <summary>Fraction of the available voltage the flux may use in field weakening (dimensionless).</summary>
    [ConfigField("Fraction of the available voltage the flux may use in field weakening (dimensionless).", Min = 0.3, Max = 1.0)]
    [JsonInclude]
    public double VoltageMargin { get; internal set; } = 0.9;

    /// <summary>Voltage amplitude the current PIs may ask for, relative to u_dc/√3 (dimensionless, 1 … 2/√3).</summary>
    [ConfigField("Voltage amplitude the current PIs may ask for, relative to the linear SVM limit u_dc/√3 (dimensionless; above 1 over-modulates onto the hexagon).", Min = 0.5, Max = 1.1547005383792515)]
    [JsonInclude]
    public double ModulationLimit { get; internal set; } = 1.0;

    /// <summary>Angle advance of the inverse Park transform, in periods; absent = the delay.</summary>
    [ConfigField("Angle advance of the inverse Park transform, in periods of ω_el; absent = delay_periods.", Min = 0, Max = 3, Unit = "periods")]
    [JsonInclude]
    public double? AngleAdvancePeriods { get; internal set; }

    /// <summary>Rotor-flux reference of the induction machine, in V·s; absent = derived from the motor.</summary>
    [ConfigField("Rotor-flux reference (SCIM only); absent = derived from the motor.", Min = 1e-6, Max = 100, Unit = "V·s")]
    [JsonInclude]
    public double? RotorFlux { get; internal set; }
}
