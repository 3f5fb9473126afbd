using System.Text;
using MotorRT.Contracts.Machines;
using MotorRT.Policies.PI;

namespace MotorRT.Policies.Tuning;

/// <summary>The designed loops of one cascade: current loop(s), optional excitation loop, optional speed loop.</summary>
/// <param name="Motor">The machine designed for.</param>
/// <param name="Period">Control period, in s.</param>
/// <param name="Current">Armature (DC) or d-axis (AC) current loop.</param>
/// <param name="CurrentQ">q-axis current loop (AC machines), else null.</param>
/// <param name="Excitation">Excitation current loop (externally excited DC, EESM), else null.</param>
/// <param name="Speed">Speed loop (when a speed loop is part of the cascade), else null.</param>
public sealed record CascadeDesign(MotorParameters Motor, double Period, CurrentLoopDesign Current, CurrentLoopDesign? CurrentQ,
    CurrentLoopDesign? Excitation, SpeedLoopDesign? Speed)
{
    /// <summary>All loops' reasoning, one block per loop.</summary>
    public string Explain()
    {
        var sb = new StringBuilder();
        sb.AppendLine(Current.Explain());
        if (CurrentQ is not null) sb.AppendLine(CurrentQ.Explain());
        if (Excitation is not null) sb.AppendLine(Excitation.Explain());
        if (Speed is not null) sb.AppendLine(Speed.Explain());
        return sb.ToString().TrimEnd();
    }
}

/// <summary>Designs every loop of a machine's cascade from <see cref="MotorParameters"/> (no config needed).</summary>
public static class MachineTuner
{
    /// <summary>
    /// Designs the cascade for <paramref name="motor"/> at control period <paramref name="period"/> (s). The speed loop is
    /// designed when <paramref name="withSpeedLoop"/>; its inertia is the rotor's plus <see cref="CascadeOptions.LoadInertia"/>.
    /// Throws <see cref="NotSupportedException"/> for machines without a cascade here (induction machines).
    /// </summary>
    public static CascadeDesign Design(MotorParameters motor, double period, CascadeOptions options, bool withSpeedLoop)
    {
        double delay = options.DelayPeriods;
        CurrentLoopDesign current;
        CurrentLoopDesign? currentQ = null, excitation = null;
        switch (motor.Type)
        {
            case MotorType.PermanentlyExcitedDc:
            case MotorType.ShuntDc:
                current = LoopTuner.CurrentLoop("armature current", motor.ArmatureResistance, motor.ArmatureInductance, period, delay);
                break;
            case MotorType.ExternallyExcitedDc:
                current = LoopTuner.CurrentLoop("armature current", motor.ArmatureResistance, motor.ArmatureInductance, period, delay);
                excitation = LoopTuner.CurrentLoop("excitation current", motor.ExcitationResistance, motor.ExcitationInductance, period, delay);
                break;
            case MotorType.SeriesDc:
                current = LoopTuner.CurrentLoop("series current", motor.ArmatureResistance + motor.ExcitationResistance,
                    motor.ArmatureInductance + motor.ExcitationInductance, period, delay);
                break;
            case MotorType.Pmsm:
            case MotorType.SynRm:
            case MotorType.Eesm:
                current = LoopTuner.CurrentLoop("d-axis current", motor.StatorResistance, motor.InductanceD, period, delay);
                currentQ = LoopTuner.CurrentLoop("q-axis current", motor.StatorResistance, motor.InductanceQ, period, delay);
                if (motor.Type == MotorType.Eesm)
                {
                    excitation = LoopTuner.CurrentLoop("excitation current", motor.ExcitationResistance, motor.ExcitationInductance, period, delay);
                }
                break;
            case MotorType.Scim:
                ScimConstants(motor, out double lSigma, out double rSigma);
                current = LoopTuner.CurrentLoop("d-axis (rotor-flux frame) current", rSigma, lSigma, period, delay);
                currentQ = LoopTuner.CurrentLoop("q-axis (rotor-flux frame) current", rSigma, lSigma, period, delay);
                break;
            default:
                throw new NotSupportedException($"no cascaded PI design for {motor.Machine.Id}");
        }
        SpeedLoopDesign? speed = null;
        if (withSpeedLoop)
        {
            speed = LoopTuner.SpeedLoop(motor.RotorInertia + options.LoadInertia, currentQ ?? current, options.SymmetricOptimumA);
        }
        return new CascadeDesign(motor, period, current, currentQ, excitation, speed);
    }

    /// <summary>
    /// Stator transient inductance σ·l_s (H) and the equivalent resistance r_s + r_r·(l_m/l_r)² (Ω) a stator current
    /// loop of a squirrel-cage machine sees in rotor-flux orientation.
    /// </summary>
    public static void ScimConstants(MotorParameters m, out double transientInductance, out double equivalentResistance)
    {
        double ls = m.MainInductance + m.StatorLeakageInductance;
        double lr = m.MainInductance + m.RotorLeakageInductance;
        double sigma = 1.0 - m.MainInductance * m.MainInductance / (ls * lr);
        transientInductance = sigma * ls;
        equivalentResistance = m.StatorResistance + m.RotorResistance * (m.MainInductance / lr) * (m.MainInductance / lr);
    }
}
