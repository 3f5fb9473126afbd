using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Cli.Commands;

/// <summary>
/// Reads an explicit machine description in GEM's parameter names (SI), used by <c>motorrt pwa mpc</c> (not the runtime schema):
/// <c>{"type": "PermExDc"|"ExtExDc"|"SeriesDc"|"ShuntDc"|"PMSM"|"SynRM"|"EESM" (any name of the machine type), "r_a", "l_a", "psi_e", "r_e", "l_e",
/// "l_e_prime", "p", "l_d", "l_q", "psi_p", "r_s", "l_m", "j_rotor", "limits": {"i", "u", "omega", "torque", "i_e"}}</c>.
/// Strict: unknown keys and non-positive values are errors naming the field.
/// </summary>
internal static class MotorSection
{
    public static MotorParameters Read(JsonSection s)
    {
        string type = s.String("type");
        if (!MachineTypes.TryResolve(type, out MachineType machine)
            || machine.Legacy is not ({ } t and not (MotorType.Scim or MotorType.Dfim)))
        {
            throw s.Error("type", $"unknown value \"{type}\"", "use one of: PermExDc, ExtExDc, SeriesDc, ShuntDc, PMSM, SynRM, EESM (or their machine-type identifiers)");
        }
        const double tiny = 1e-12;
        bool dc = machine.Family == MachineKind.Dc;
        bool wound = t is MotorType.ExternallyExcitedDc or MotorType.SeriesDc or MotorType.ShuntDc or MotorType.Eesm;
        JsonSection lim = s.Section("limits");
        var limits = new MotorLimits
        {
            Current = lim.Number("i", tiny, 1e6, "A"),
            Voltage = lim.Number("u", tiny, 1e6, "V"),
            Speed = lim.Number("omega", tiny, 1e6, "rad/s"),
            Torque = lim.Number("torque", 0.0, 0.0, 1e6, "N·m"),
            ExcitationCurrent = lim.Number("i_e", 0.0, 0.0, 1e6, "A"),
        };
        lim.EnsureNoUnknownKeys();
        var m = new MotorParameters
        {
            Type = t,
            ArmatureResistance = dc ? s.Number("r_a", tiny, 1e3, "Ω") : 0,
            ArmatureInductance = dc ? s.Number("l_a", tiny, 10, "H") : 0,
            ExcitationFlux = t == MotorType.PermanentlyExcitedDc ? s.Number("psi_e", tiny, 100, "V·s") : 0,
            ExcitationResistance = wound ? s.Number("r_e", tiny, 1e3, "Ω") : 0,
            ExcitationInductance = wound ? s.Number("l_e", tiny, 10, "H") : 0,
            MutualInductance = dc && wound ? s.Number("l_e_prime", tiny, 10, "H") : 0,
            PolePairs = dc ? 1 : s.Number("p", 1, 100),
            StatorResistance = dc ? 0 : s.Number("r_s", tiny, 1e3, "Ω"),
            InductanceD = dc ? 0 : s.Number("l_d", tiny, 10, "H"),
            InductanceQ = dc ? 0 : s.Number("l_q", tiny, 10, "H"),
            PermanentMagnetFlux = t == MotorType.Pmsm ? s.Number("psi_p", tiny, 100, "V·s") : 0,
            MainInductance = t == MotorType.Eesm ? s.Number("l_m", tiny, 10, "H") : 0,
            RotorInertia = s.Number("j_rotor", tiny, 1e4, "kg·m²"),
            Limits = limits,
        };
        s.EnsureNoUnknownKeys();
        return m;
    }
}
