using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Runtime.Configuration;

/// <summary>
/// Reads the <c>motor</c> section: the machine as the controller knows it, with GEM's parameter names (SI units).
/// Required on a real rig; in simulation the plant's parameters are used when it is absent.
/// </summary>
public static class MotorSection
{
    /// <summary>Config identifiers of the built-in machine types (<see cref="MachineTypes"/>; GEM names are accepted as aliases).</summary>
    public static readonly string[] TypeNames = [.. MachineTypes.All.Where(t => t.Legacy is not null).Select(t => t.Id)];

    /// <summary>Reads and validates a <c>motor</c> section.</summary>
    public static MotorParameters Read(JsonSection s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string name = s.String("type");
        if (!MachineTypes.TryResolve(name, out MachineType machine) || machine.Legacy is not { } type)
            throw s.Error("type", $"unknown value \"{name}\"", $"use one of: {string.Join(", ", TypeNames)} (or a GEM class name / environment id)");
        JsonSection l = s.Section("limits");
        var limits = new MotorLimits
        {
            Current = l.Number("current", 1e-6, 1e5, "A"),
            Voltage = l.Number("voltage", 1e-6, 1e5, "V"),
            Speed = l.Number("speed", 1e-6, 1e6, "rad/s"),
            Torque = l.Number("torque", 1e-9, 1e6, "N·m"),
            ExcitationCurrent = l.Number("excitation_current", 0.0, 0.0, 1e5, "A"),
        };
        l.EnsureNoUnknownKeys();
        var m = new MotorParameters
        {
            Type = type,
            ArmatureResistance = s.Number("r_a", 0.0, 0.0, 1e3, "Ω"),
            ArmatureInductance = s.Number("l_a", 0.0, 0.0, 10.0, "H"),
            ExcitationResistance = s.Number("r_e", 0.0, 0.0, 1e3, "Ω"),
            ExcitationInductance = s.Number("l_e", 0.0, 0.0, 10.0, "H"),
            MutualInductance = s.Number("l_e_prime", 0.0, 0.0, 10.0, "H"),
            ExcitationFlux = s.Number("psi_e", 0.0, 0.0, 100.0, "V·s"),
            PolePairs = s.Number("p", 1.0, 1.0, 64.0),
            StatorResistance = s.Number("r_s", 0.0, 0.0, 1e3, "Ω"),
            InductanceD = s.Number("l_d", 0.0, 0.0, 10.0, "H"),
            InductanceQ = s.Number("l_q", 0.0, 0.0, 10.0, "H"),
            PermanentMagnetFlux = s.Number("psi_p", 0.0, 0.0, 100.0, "V·s"),
            MainInductance = s.Number("l_m", 0.0, 0.0, 10.0, "H"),
            StatorLeakageInductance = s.Number("l_sigs", 0.0, 0.0, 10.0, "H"),
            RotorLeakageInductance = s.Number("l_sigr", 0.0, 0.0, 10.0, "H"),
            RotorResistance = s.Number("r_r", 0.0, 0.0, 1e3, "Ω"),
            RotorInertia = s.Number("j_rotor", 1e-9, 1e4, "kg·m²"),
            Limits = limits,
        };
        s.EnsureNoUnknownKeys();
        return m;
    }
}
