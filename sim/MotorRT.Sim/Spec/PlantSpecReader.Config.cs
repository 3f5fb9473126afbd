using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Presets;

namespace MotorRT.Sim.Spec;

public static partial class PlantSpecReader
{
    /// <summary>
    /// Reads MotorRT's <c>plant</c> config section: <c>"preset"</c> (a GEM environment name such as
    /// <c>"Cont-CC-PermExDc-v0"</c>) plus optional overrides, all strictly validated:
    /// <c>"motor_parameter"</c> {GEM names, SI}, <c>"limits"</c> {current, voltage, speed, torque, excitation_current},
    /// <c>"supply"</c> {u_nominal V, source_resistance Ω}, <c>"interlocking_time"</c> s, <c>"tau"</c> s,
    /// <c>"load"</c> {type: polynomial (a, b, c, j_load) | constant_speed (omega, j_load) | external_speed (times, speeds, lag, j_load)},
    /// <c>"solver"</c> {name: euler | rk4 | dopri5, substeps, rtol, atol}, <c>"noise"</c> {level, seed}.
    /// </summary>
    public static PlantSpec FromConfig(ConfigElement section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var plant = new JsonSection(section.File, section.Path, section.Element);
        string preset = plant.String("preset");
        if (!GemPresets.Exists(preset))
            throw plant.Error("preset", $"unknown preset \"{preset}\"", $"use one of: {string.Join(", ", GemPresets.Names)}");
        PlantSpec spec = GemPresets.Get(preset);
        MotorParameters motor = spec.Motor;

        if (plant.OptionalSection("motor_parameter") is { } mp)
        {
            MachineType machine = motor.Machine;
            MachineParameters typed = motor.ToTyped();
            foreach (System.Text.Json.JsonProperty p in mp.Element.EnumerateObject())
            {
                MachineParameterField field = machine.Field(p.Name)
                    ?? throw mp.Error(p.Name, $"not a parameter of {machine.Id}", $"use one of: {machine.ParameterNames}");
                typed = field.With(typed, p.Name == "p" ? mp.Number(p.Name, 1, 100) : mp.Number(p.Name, 0, 1e6));
            }
            mp.EnsureNoUnknownKeys();
            motor = typed.ToMotorParameters()!;
        }
        if (plant.OptionalSection("limits") is { } lim)
        {
            MotorLimits l = motor.Limits;
            motor = motor with
            {
                Limits = new MotorLimits
                {
                    Current = lim.Number("current", l.Current, 1e-9, 1e6, "A"),
                    Voltage = lim.Number("voltage", l.Voltage, 1e-9, 1e6, "V"),
                    Speed = lim.Number("speed", l.Speed, 1e-9, 1e6, "rad/s"),
                    Torque = lim.Number("torque", l.Torque, 1e-9, 1e6, "N·m"),
                    ExcitationCurrent = lim.Number("excitation_current", l.ExcitationCurrent, 0, 1e6, "A"),
                },
            };
            lim.EnsureNoUnknownKeys();
        }
        spec = spec with { Motor = motor };

        if (plant.OptionalSection("supply") is { } sup)
        {
            spec = spec with
            {
                Supply = new SupplySpec
                {
                    NominalVoltage = sup.Number("u_nominal", spec.Supply.NominalVoltage, 1e-3, 1e5, "V"),
                    SourceResistance = sup.Number("source_resistance", 0.0, 0, 1e3, "Ω"),
                },
            };
            sup.EnsureNoUnknownKeys();
        }
        double tau = plant.Number("tau", spec.Tau, 1e-7, 1e-2, "s");
        spec = spec with
        {
            Tau = tau,
            Converter = spec.Converter with { InterlockingTime = plant.Number("interlocking_time", 0.0, 0, tau, "s") },
        };

        if (plant.OptionalSection("load") is { } load)
        {
            spec = spec with { Load = ReadConfigLoad(load) };
            load.EnsureNoUnknownKeys();
        }
        if (plant.OptionalSection("solver") is { } sol)
        {
            string name = sol.OneOf("name", "euler", "rk4", "dopri5");
            spec = spec with
            {
                Solver = new SolverSpec
                {
                    Kind = name == "euler" ? SolverKind.Euler : name == "rk4" ? SolverKind.Rk4 : SolverKind.DormandPrince,
                    Substeps = sol.Integer("substeps", 1, 1, 1000),
                    RelativeTolerance = sol.Number("rtol", 1e-10, 1e-14, 1e-2),
                    AbsoluteTolerance = sol.Number("atol", 1e-12, 1e-16, 1e-2),
                },
            };
            sol.EnsureNoUnknownKeys();
        }
        if (plant.OptionalSection("noise") is { } noise)
        {
            int seed = noise.Integer("seed", 1, 0, int.MaxValue);
            spec = spec with { Noise = new NoiseSpec { Level = noise.Number("level", 0.0, 0, 1), Seed = (ulong)seed } };
            noise.EnsureNoUnknownKeys();
        }
        plant.EnsureNoUnknownKeys();
        try { _ = PhysicalSystem.Create(spec); }
        catch (ArgumentException e) { throw plant.Error("preset", e.Message, "make the overrides consistent with the preset's motor and converter"); }
        return spec;
    }

    private static LoadSpec ReadConfigLoad(JsonSection l)
    {
        string type = l.OneOf("type", "polynomial", "constant_speed", "external_speed");
        double j = l.Number("j_load", 0.0, 0, 1e3, "kg·m²");
        switch (type)
        {
            case "polynomial":
                return new PolynomialLoadSpec
                {
                    A = l.Number("a", 0.0, 0, 1e6, "N·m"), B = l.Number("b", 0.0, 0, 1e6, "N·m·s/rad"), C = l.Number("c", 0.0, 0, 1e6, "N·m·s²/rad²"),
                    LoadInertia = j,
                };
            case "constant_speed":
                return new ConstantSpeedLoadSpec { Omega = l.Number("omega", -1e5, 1e5, "rad/s"), LoadInertia = j };
            default:
                double[] times = l.Numbers("times", -1, 0, 1e9);
                double[] speeds = l.Numbers("speeds", times.Length, -1e5, 1e5);
                if (times.Length == 0) throw l.Error("times", "empty profile", "give at least one (time, speed) sample");
                for (int i = 1; i < times.Length; i++)
                    if (!(times[i] > times[i - 1])) throw l.Error($"times[{i}]", "times must be strictly increasing", "sort the samples by time");
                return new ExternalSpeedLoadSpec { Times = times, Speeds = speeds, LagTime = l.Number("lag", 1e-4, 1e-7, 10, "s"), LoadInertia = j };
        }
    }
}
