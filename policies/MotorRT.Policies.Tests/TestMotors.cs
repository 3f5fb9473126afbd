using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Tests;

/// <summary>
/// GEM 3.0.2 default machines, from the machine types' own defaults (<c>*Parameters.Gem</c>); where a test needs other
/// limits (supply-side voltages, no torque limit) they are overridden here.
/// </summary>
internal static class TestMotors
{
    public static MotorParameters PermExDc => PermExDcParameters.Gem.ToMotorParameters();

    public static MotorParameters ExtExDc => ExtExDcParameters.Gem.ToMotorParameters();

    public static MotorParameters SeriesDc => SeriesDcParameters.Gem.ToMotorParameters();

    public static MotorParameters ShuntDc => ShuntDcParameters.Gem.ToMotorParameters() with
    {
        Limits = ShuntDcParameters.Gem.Limits with { ExcitationCurrent = 0 },
    };

    public static MotorParameters Pmsm => PmsmParameters.Gem.ToMotorParameters() with
    {
        Limits = new MotorLimits { Current = 400, Voltage = 300, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    public static MotorParameters SynRm => SynRmParameters.Gem.ToMotorParameters() with
    {
        Limits = new MotorLimits { Current = 30, Voltage = 420, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };

    // ExcitationTransferRatio left 0 as the flat record these tests were written against had it.
    public static MotorParameters Eesm => EesmParameters.Gem.ToMotorParameters() with
    {
        ExcitationTransferRatio = 0,
        Limits = new MotorLimits { Current = 500, Voltage = 300, Speed = 4000 * Math.PI / 30, Torque = 0, ExcitationCurrent = 150 },
    };

    public static MotorParameters Scim => ScimParameters.Gem.ToMotorParameters() with
    {
        Limits = new MotorLimits { Current = 5.5, Voltage = 560, Speed = 4000 * Math.PI / 30, Torque = 0 },
    };
}
