using System.Globalization;
using System.Text.Json.Serialization;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;

namespace MotorRT.Sim.Spec;

/// <summary>
/// The config's <c>plant</c> section as written in the file (→ <see cref="PlantSpec"/> by
/// <see cref="PlantSpecReader.FromConfig"/>): a GEM preset plus optional overrides. Absent overrides keep the preset's
/// values; every field is range-checked and documented in <c>docs/config-reference.md</c>.
/// </summary>
public sealed record PlantSection : IConfigValidation
{
    /// <summary>GEM environment id of the preset.</summary>
    [ConfigField("GEM environment id the plant starts from (GEM 3.0.2 defaults), e.g. Cont-CC-PMSM-v0, Cont-SC-PermExDc-v0, Cont-TC-SCIM-v0.")]
    public required string Preset { get; init; }

    /// <summary>Overrides of the preset motor's parameters by GEM name, SI.</summary>
    [ConfigField("Overrides of the preset motor's parameters by GEM name (SI), e.g. { \"r_a\": 16 }; the names depend on the motor type; p in [1, 100], the others in [0, 1e6].")]
    public Dictionary<string, double>? MotorParameter { get; init; }

    /// <summary>Overrides of the preset motor's nominal limits.</summary>
    [ConfigField("Overrides of the preset motor's nominal limits (GEM limit values).")]
    public PlantLimitsSection? Limits { get; init; }

    /// <summary>The DC supply.</summary>
    [ConfigField("The DC supply of the converter.")]
    public PlantSupplySection? Supply { get; init; }

    /// <summary>Converter interlocking (dead) time, in s.</summary>
    [ConfigField("Converter interlocking (dead) time, at most tau (default 0).", Min = 0, Max = 1e-2, Unit = "s")]
    public double? InterlockingTime { get; init; }

    /// <summary>Plant sampling time, in s.</summary>
    [ConfigField("Plant sampling time (GEM tau; default the preset's).", Min = 1e-7, Max = 1e-2, Unit = "s")]
    public double? Tau { get; init; }

    /// <summary>The mechanical load.</summary>
    [ConfigField("The mechanical load, by type (default the preset's).")]
    public PlantLoadSection? Load { get; init; }

    /// <summary>The ODE solver.</summary>
    [ConfigField("The ODE solver (default the preset's).")]
    public PlantSolverSection? Solver { get; init; }

    /// <summary>Measurement noise of GEM's state observation.</summary>
    [ConfigField("GEM's observation noise (default off).")]
    public PlantNoiseSection? Noise { get; init; }

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (!GemPresets.Exists(Preset))
        {
            throw scope.Error("preset", $"unknown preset \"{Preset}\"", $"use one of: {string.Join(", ", GemPresets.Names)}");
        }
        PlantSpec preset = GemPresets.Get(Preset);
        if (MotorParameter is { } mp)
        {
            MachineType machine = preset.Motor.Machine;
            ConfigScope at = scope.Child("motor_parameter");
            foreach ((string name, double value) in mp)
            {
                _ = machine.Field(name) ?? throw at.Error(name, $"not a parameter of {machine.Id}", $"use one of: {machine.ParameterNames}");
                (double min, double max) = name == "p" ? (1.0, 100.0) : (0.0, 1e6);
                if (!(value >= min && value <= max))
                {
                    throw at.Error(name, $"value {value.ToString("R", CultureInfo.InvariantCulture)} is out of range",
                        $"use a value in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
                }
            }
        }
        double tau = Tau ?? preset.Tau;
        if (InterlockingTime is double t && t > tau)
        {
            throw scope.Error("interlocking_time", $"value {t.ToString("R", CultureInfo.InvariantCulture)} s is out of range",
                $"use a value in [0, {tau.ToString("R", CultureInfo.InvariantCulture)}] s (at most the plant's tau)");
        }
    }

    /// <summary>The plant of this section (<paramref name="scope"/> locates it for errors).</summary>
    public PlantSpec ToSpec(ConfigScope scope)
    {
        PlantSpec spec = GemPresets.Get(Preset);
        MotorParameters motor = spec.Motor;
        if (MotorParameter is { Count: > 0 } mp)
        {
            MachineParameters typed = motor.ToTyped();
            foreach ((string name, double value) in mp) typed = motor.Machine.Field(name)!.With(typed, value);
            motor = typed.ToMotorParameters()!;
        }
        if (Limits is { } lim)
        {
            MotorLimits l = motor.Limits;
            motor = motor with
            {
                Limits = new MotorLimits
                {
                    Current = lim.Current ?? l.Current,
                    Voltage = lim.Voltage ?? l.Voltage,
                    Speed = lim.Speed ?? l.Speed,
                    Torque = lim.Torque ?? l.Torque,
                    ExcitationCurrent = lim.ExcitationCurrent ?? l.ExcitationCurrent,
                },
            };
        }
        spec = spec with { Motor = motor };
        if (Supply is { } sup)
        {
            spec = spec with { Supply = new SupplySpec { NominalVoltage = sup.UNominal ?? spec.Supply.NominalVoltage, SourceResistance = sup.SourceResistance } };
        }
        spec = spec with
        {
            Tau = Tau ?? spec.Tau,
            Converter = spec.Converter with { InterlockingTime = InterlockingTime ?? 0.0 },
        };
        if (Load is { } load) spec = spec with { Load = load.ToSpec() };
        if (Solver is { } sol)
        {
            spec = spec with
            {
                Solver = new SolverSpec
                {
                    Kind = sol.Name == "euler" ? SolverKind.Euler : sol.Name == "rk4" ? SolverKind.Rk4 : SolverKind.DormandPrince,
                    Substeps = sol.Substeps,
                    RelativeTolerance = sol.Rtol,
                    AbsoluteTolerance = sol.Atol,
                },
            };
        }
        if (Noise is { } noise) spec = spec with { Noise = new NoiseSpec { Level = noise.Level, Seed = (ulong)noise.Seed } };
        try { _ = PhysicalSystem.Create(spec); }
        catch (ArgumentException e) { throw scope.Error("preset", e.Message, "make the overrides consistent with the preset's motor and converter"); }
        return spec;
    }
}

/// <summary><c>plant.limits</c>: the motor's nominal limits; absent = the preset's.</summary>
public sealed record PlantLimitsSection
{
    /// <summary>Current limit, in A.</summary>
    [ConfigField("Current limit.", Min = 1e-9, Max = 1e6, Unit = "A")]
    public double? Current { get; init; }

    /// <summary>Voltage limit, in V.</summary>
    [ConfigField("Voltage limit.", Min = 1e-9, Max = 1e6, Unit = "V")]
    public double? Voltage { get; init; }

    /// <summary>Speed limit, in rad/s.</summary>
    [ConfigField("Mechanical speed limit.", Min = 1e-9, Max = 1e6, Unit = "rad/s")]
    public double? Speed { get; init; }

    /// <summary>Torque limit, in N·m.</summary>
    [ConfigField("Torque limit.", Min = 1e-9, Max = 1e6, Unit = "N·m")]
    public double? Torque { get; init; }

    /// <summary>Excitation current limit, in A.</summary>
    [ConfigField("Excitation current limit (externally excited, series and shunt DC motors).", Min = 0, Max = 1e6, Unit = "A")]
    public double? ExcitationCurrent { get; init; }
}

/// <summary><c>plant.supply</c>: the DC supply.</summary>
public sealed record PlantSupplySection
{
    /// <summary>Nominal DC-link voltage, in V.</summary>
    [ConfigField("Nominal DC-link voltage (default the preset's).", Min = 1e-3, Max = 1e5, Unit = "V")]
    public double? UNominal { get; init; }

    /// <summary>Source resistance, in Ω.</summary>
    [ConfigField("Internal resistance of the source (default 0).", Min = 0, Max = 1e3, Unit = "Ω")]
    public double SourceResistance { get; init; }
}

/// <summary><c>plant.load</c>: the mechanical load, chosen by <c>"type"</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PolynomialLoadSection), "polynomial")]
[JsonDerivedType(typeof(ConstantSpeedLoadSection), "constant_speed")]
[JsonDerivedType(typeof(ExternalSpeedLoadSection), "external_speed")]
public abstract record PlantLoadSection
{
    /// <summary>Load inertia, in kg·m².</summary>
    [ConfigField("Load inertia added to the motor's (default 0).", Min = 0, Max = 1e3, Unit = "kg·m²")]
    public double JLoad { get; init; }

    /// <summary>The load of this section.</summary>
    public abstract LoadSpec ToSpec();
}

/// <summary>GEM's polynomial static load T = sign(ω)(c ω² + b |ω| + a).</summary>
public sealed record PolynomialLoadSection : PlantLoadSection
{
    /// <summary>Constant term, in N·m.</summary>
    [ConfigField("Constant (Coulomb) torque.", Min = 0, Max = 1e6, Unit = "N·m")]
    public double A { get; init; }

    /// <summary>Linear term, in N·m·s/rad.</summary>
    [ConfigField("Viscous coefficient.", Min = 0, Max = 1e6, Unit = "N·m·s/rad")]
    public double B { get; init; }

    /// <summary>Quadratic term, in N·m·s²/rad².</summary>
    [ConfigField("Quadratic (fan) coefficient.", Min = 0, Max = 1e6, Unit = "N·m·s²/rad²")]
    public double C { get; init; }

    /// <inheritdoc />
    public override LoadSpec ToSpec() => new PolynomialLoadSpec { A = A, B = B, C = C, LoadInertia = JLoad };
}

/// <summary>GEM's constant-speed load: the shaft is held at ω.</summary>
public sealed record ConstantSpeedLoadSection : PlantLoadSection
{
    /// <summary>Shaft speed, in rad/s.</summary>
    [ConfigField("The speed the shaft is held at.", Min = -1e5, Max = 1e5, Unit = "rad/s")]
    public required double Omega { get; init; }

    /// <inheritdoc />
    public override LoadSpec ToSpec() => new ConstantSpeedLoadSpec { Omega = Omega, LoadInertia = JLoad };
}

/// <summary>GEM's external-speed load: the shaft follows a speed profile through a first-order lag.</summary>
public sealed record ExternalSpeedLoadSection(double Lag = 1e-4) : PlantLoadSection, IConfigValidation
{
    /// <summary>Sample times, in s, strictly increasing.</summary>
    [ConfigField("Sample times of the speed profile, strictly increasing.", Min = 0, Max = 1e9, Unit = "s")]
    public required double[] Times { get; init; }

    /// <summary>Speeds at the sample times, in rad/s.</summary>
    [ConfigField("Shaft speed at each sample time (one per time).", Min = -1e5, Max = 1e5, Unit = "rad/s")]
    public required double[] Speeds { get; init; }

    /// <summary>Lag time constant, in s.</summary>
    [ConfigField("Time constant of the first-order lag the shaft follows the profile with (default 1e-4).", Min = 1e-7, Max = 10, Unit = "s")]
    public double Lag { get; init; } = Lag;

    /// <inheritdoc />
    public void Validate(ConfigScope scope)
    {
        if (Times.Length == 0) throw scope.Error("times", "empty profile", "give at least one (time, speed) sample");
        if (Speeds.Length != Times.Length) throw scope.Error("speeds", $"expected {Times.Length} numbers, found {Speeds.Length}", $"give exactly {Times.Length} values");
        for (int i = 1; i < Times.Length; i++)
        {
            if (!(Times[i] > Times[i - 1])) throw scope.Error($"times[{i}]", "times must be strictly increasing", "sort the samples by time");
        }
    }

    /// <inheritdoc />
    public override LoadSpec ToSpec() => new ExternalSpeedLoadSpec { Times = Times, Speeds = Speeds, LagTime = Lag, LoadInertia = JLoad };
}

/// <summary><c>plant.solver</c>: the ODE solver.</summary>
public sealed record PlantSolverSection(int Substeps = 1, double Rtol = 1e-10, double Atol = 1e-12)
{
    /// <summary>Solver: euler, rk4 or dopri5.</summary>
    [ConfigField("The solver: euler (GEM's explicit Euler), rk4 or dopri5 (adaptive Dormand-Prince).", Choices = "euler,rk4,dopri5")]
    public required string Name { get; init; }

    /// <summary>Solver steps per tau.</summary>
    [ConfigField("Solver steps per plant sampling time (default 1).", Min = 1, Max = 1000)]
    public int Substeps { get; init; } = Substeps;

    /// <summary>Relative tolerance (dopri5).</summary>
    [ConfigField("Relative tolerance (dopri5; default 1e-10).", Min = 1e-14, Max = 1e-2)]
    public double Rtol { get; init; } = Rtol;

    /// <summary>Absolute tolerance (dopri5).</summary>
    [ConfigField("Absolute tolerance (dopri5; default 1e-12).", Min = 1e-16, Max = 1e-2)]
    public double Atol { get; init; } = Atol;
}

/// <summary><c>plant.noise</c>: GEM's observation noise.</summary>
public sealed record PlantNoiseSection(int Seed = 1)
{
    /// <summary>Noise level relative to the limits (dimensionless).</summary>
    [ConfigField("Noise standard deviation relative to each quantity's limit (default 0).", Min = 0, Max = 1)]
    public double Level { get; init; }

    /// <summary>Seed of the noise generator.</summary>
    [ConfigField("Seed of the noise generator (default 1).", Min = 0, Max = int.MaxValue)]
    public int Seed { get; init; } = Seed;
}
