using System.Text.Json.Serialization;
using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.Position;
using MotorRT.Policies.Tuning;

namespace MotorRT.Policies.Setpoint;

/// <summary>Controller family <c>pi-speed-torque</c>: <see cref="SpeedTorqueController"/> (rigs that take torque set-points).</summary>
public sealed class SpeedTorqueFamily() : ControllerFamily<SpeedTorqueSection>(ControllerSections.Info<SpeedTorqueSection>())
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Types { get; } = ["pi-speed-torque", PositionTorqueType];

    /// <summary>The position cascade of the family: position P → speed PI → torque set-point.</summary>
    public const string PositionTorqueType = "pi-position-torque";

    /// <inheritdoc />
    public override string Summary => "Speed PI whose output is a torque set-point, for smart drives (ODrive, moteus) that close the current loop; symmetric-optimum tuned from the inertia (pi-position-torque: a position P loop over it).";

    /// <inheritdoc />
    protected override IController Create(ControllerRequest request, SpeedTorqueSection section)
    {
        MotorParameters motor = request.Motor;
        double period = request.Period;
        double inertia = motor.RotorInertia + section.LoadInertia;
        double sigma = section.DelayPeriods * period + section.TorqueLoopTime;
        double a = section.SymmetricOptimumA;
        double kp = section.Kp ?? inertia / (a * sigma);
        double ti = a * a * sigma;
        double ki = section.Ki ?? kp / ti;
        double limit = section.TorqueLimit > 0 ? section.TorqueLimit : motor.Limits.Torque;
        if (!(limit > 0) || !double.IsFinite(limit))
        {
            throw request.Scope.Error("torque_limit", "the motor gives no torque limit", "set torque_limit (N·m)");
        }
        bool position = request.Type == PositionTorqueType;
        PositionCascade.RefuseWithoutPositionLoop(request, section.Position, PositionTorqueType);
        var speed = new SpeedTorqueController(kp, ki, period, limit, section.SpeedReferenceFilter ? ti : 0);
        return position
            ? PositionCascade.Wrap(request, speed, new SpeedLoopInfo(kp, ki, inertia, sigma, section.SpeedReferenceFilter, limit), section.Position)
            : speed;
    }
}

/// <summary>The <c>controller</c> section of <c>"type": "pi-speed-torque"</c>.</summary>
public sealed record SpeedTorqueSection : ControllerSection
{
    /// <summary>Load inertia added to the rotor's, in kg·m².</summary>
    [ConfigField("Load inertia added to the rotor inertia for the design.", Min = 0, Max = 1e4, Unit = "kg·m²")]
    [JsonInclude]
    public double LoadInertia { get; internal set; }

    /// <summary>Dead time of the loop, in control periods.</summary>
    [ConfigField("Computation + bus dead time, in control periods (a CAN set-point acts one period later).", Min = 0, Max = 10, Unit = "periods")]
    [JsonInclude]
    public double DelayPeriods { get; internal set; } = 1.0;

    /// <summary>Equivalent time constant of the drive's torque loop, in s.</summary>
    [ConfigField("Equivalent time constant of the drive board's own torque/current loop.", Min = 0, Max = 1, Unit = "s")]
    [JsonInclude]
    public double TorqueLoopTime { get; internal set; } = 0.001;

    /// <summary>Symmetric-optimum parameter a.</summary>
    [ConfigField("Symmetric-optimum parameter a of the design (dimensionless).", Min = 1.5, Max = 20)]
    [JsonInclude]
    public double SymmetricOptimumA { get; internal set; } = 4.0;

    /// <summary>Torque limit, in N·m; 0 = the motor's.</summary>
    [ConfigField("Torque limit of the set-point; 0 = the motor's torque limit.", Min = 0, Max = 1e6, Unit = "N·m")]
    [JsonInclude]
    public double TorqueLimit { get; internal set; }

    /// <summary>Reference prefilter on/off.</summary>
    [ConfigField("Speed reference prefilter 1/(1 + s·T_i) (removes the symmetric-optimum overshoot).")]
    [JsonInclude]
    public bool SpeedReferenceFilter { get; internal set; } = true;

    /// <summary>Gain override, in N·m·s/rad.</summary>
    [ConfigField("Proportional gain override; absent = tuned.", Min = 0, Max = 1e6, Unit = "N·m·s/rad")]
    [JsonInclude]
    public double? Kp { get; internal set; }

    /// <summary>Gain override, in N·m/rad.</summary>
    [ConfigField("Integral gain override; absent = tuned.", Min = 0, Max = 1e9, Unit = "N·m/rad")]
    [JsonInclude]
    public double? Ki { get; internal set; }

    /// <summary>The position loop of <c>pi-position-torque</c> (absent: the defaults); an error for <c>pi-speed-torque</c>.</summary>
    [ConfigField("Position loop over the speed loop (only for pi-position-torque; absent = the tuned defaults).")]
    [JsonInclude]
    public PositionLoopSection? Position { get; internal set; }
}
