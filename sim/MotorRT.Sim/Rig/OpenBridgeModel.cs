using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Rig;

/// <summary>How the simulated rig models a disabled bridge (all switches open), which GEM's converters cannot express.</summary>
public enum BridgeOffModel
{
    /// <summary>
    /// Diode freewheeling (default): with the switches open, a conducting leg's current commutates to its antiparallel
    /// diodes, which clamp the terminal to the DC-link rail opposing the current until the current reaches zero; a
    /// current-free leg floats at the machine's back-EMF. The rig emulates this per plant step with the voltage that
    /// drives each channel current to zero within the step, u = ê − L·i/τ, clamped to what the diodes can apply
    /// (±u_dc for a DC channel; ±u_dc/2 per B6 leg after choosing the floating star point to centre the three legs).
    /// ê is the back-EMF estimated from the previous step (ê = u_prev − R·ī − L·Δi/τ). A back-EMF beyond the DC link
    /// therefore still drives current through the diodes (uncontrolled rectification), and below it the current stays
    /// at zero without chattering.
    /// </summary>
    DiodeFreewheel = 0,

    /// <summary>Zero volts on every channel (an active short circuit of the machine terminals), GEM's zero action.</summary>
    ZeroVolts = 1,
}

/// <summary>
/// Computes the duty cycles that emulate an open bridge (see <see cref="BridgeOffModel"/>). It remembers every plant
/// step (enabled or not); the back-EMF estimate is made from the remembered step just before the open-bridge duty is
/// computed. No allocation per call.
/// </summary>
public sealed class OpenBridgeEmulator
{
    private readonly double[] _inductance;
    private readonly double[] _resistance;
    private readonly double[] _lastDuty;
    private readonly double[] _backEmf;
    private readonly double[] _u;
    private readonly double _tau;
    private readonly MachineKind _machine;
    private readonly int _phases;
    private SensorInputs _last; // the plant quantities at the start of the remembered step
    private bool _hasHistory;

    /// <summary>Prepares the emulator for a plant.</summary>
    public OpenBridgeEmulator(BridgeOffModel model, MachineKind machine, MotorParameters motor, int channels, double tau)
    {
        Model = model;
        _machine = machine;
        _tau = tau;
        _phases = machine == MachineKind.ThreePhase ? Math.Min(3, channels) : 0;
        _inductance = new double[channels];
        _resistance = new double[channels];
        _lastDuty = new double[channels];
        _backEmf = new double[channels];
        _u = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            (_resistance[c], _inductance[c]) = ChannelImpedance(machine, motor, c);
        }
    }

    /// <summary>The model in use.</summary>
    public BridgeOffModel Model { get; }

    /// <summary>Forgets the history (the rig opened).</summary>
    public void Reset()
    {
        _hasHistory = false;
        Array.Clear(_backEmf);
    }

    /// <summary>
    /// Updates the back-EMF estimate from the step that just ended (the one <see cref="Remember"/> recorded); call it
    /// before <see cref="Compute"/>. The estimate depends only on the remembered step and <paramref name="inputs"/>, so
    /// calling it only before the steps that compute an open-bridge duty gives the same duties as calling it before every step.
    /// </summary>
    public void Observe(in SensorInputs inputs)
    {
        if (!_hasHistory || Model == BridgeOffModel.ZeroVolts)
        {
            return;
        }
        int n = _lastDuty.Length;
        double cm = CommonMode(_lastDuty);
        for (int c = 0; c < n; c++)
        {
            double udc = _last.DcLinkVoltage;
            double uPrev = c < _phases ? (_lastDuty[c] - cm) * 0.5 * udc : _lastDuty[c] * udc;
            double i = ChannelCurrent(inputs, c);
            double iPrev = ChannelCurrent(_last, c);
            double e = uPrev - _resistance[c] * 0.5 * (i + iPrev) - _inductance[c] * (i - iPrev) / _tau;
            _backEmf[c] = double.IsFinite(e) ? e : 0.0;
        }
    }

    /// <summary>Records the duty applied over the coming step and the currents at its start.</summary>
    public void Remember(ReadOnlySpan<double> duty, in SensorInputs inputs)
    {
        for (int c = 0; c < _lastDuty.Length; c++)
        {
            _lastDuty[c] = c < duty.Length ? duty[c] : 0.0;
        }
        _last = inputs; // the channel currents are picked from it when (and only when) a back-EMF estimate needs them
        _hasHistory = true;
    }

    /// <summary>Fills <paramref name="duty"/> with the open-bridge duty per channel for the present state.</summary>
    public void Compute(in SensorInputs inputs, Span<double> duty)
    {
        duty.Clear();
        double udc = inputs.DcLinkVoltage;
        if (Model == BridgeOffModel.ZeroVolts || !(udc > 0))
        {
            return;
        }
        for (int c = 0; c < duty.Length && c < _u.Length; c++)
        {
            double i = ChannelCurrent(inputs, c);
            _u[c] = _inductance[c] > 0 && double.IsFinite(i) ? _backEmf[c] - _inductance[c] * i / _tau : 0.0;
        }
        if (_phases == 3)
        {
            // The star point floats: centre the three leg voltages, then clamp each leg to the rails (±u_dc/2).
            double max = Math.Max(_u[0], Math.Max(_u[1], _u[2]));
            double min = Math.Min(_u[0], Math.Min(_u[1], _u[2]));
            double star = -0.5 * (max + min);
            for (int c = 0; c < 3; c++)
            {
                duty[c] = Math.Clamp((_u[c] + star) / (0.5 * udc), -1.0, 1.0);
            }
        }
        for (int c = _phases; c < duty.Length && c < _u.Length; c++)
        {
            duty[c] = Math.Clamp(_u[c] / udc, -1.0, 1.0);
        }
    }

    private static double CommonMode(ReadOnlySpan<double> d) => d.Length >= 3 ? (d[0] + d[1] + d[2]) / 3.0 : 0.0;

    private double ChannelCurrent(in SensorInputs x, int channel) => _machine == MachineKind.Dc
        ? channel == 0 ? x.CurrentA : x.CurrentExcitation
        : channel switch { 0 => x.CurrentA, 1 => x.CurrentB, 2 => x.CurrentC, _ => x.CurrentExcitation };

    private static (double Resistance, double Inductance) ChannelImpedance(MachineKind machine, MotorParameters m, int channel)
    {
        if (machine == MachineKind.Dc)
        {
            return channel == 0
                ? m.Type == MotorType.SeriesDc
                    ? (m.ArmatureResistance + m.ExcitationResistance, m.ArmatureInductance + m.ExcitationInductance)
                    : (m.ArmatureResistance, m.ArmatureInductance)
                : (m.ExcitationResistance, m.ExcitationInductance);
        }
        if (channel >= 3)
        {
            return (m.ExcitationResistance, m.ExcitationInductance);
        }
        double l = m.Type switch
        {
            MotorType.Scim or MotorType.Dfim => m.StatorLeakageInductance + m.RotorLeakageInductance,
            _ => Math.Min(m.InductanceD, m.InductanceQ),
        };
        return (m.StatorResistance, l);
    }
}
