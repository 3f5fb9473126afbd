using MotorRT.Contracts;
using MotorRT.Contracts.Machines;
using MotorRT.Sim.Sensors;

namespace MotorRT.Sim.Rig;

/// <summary>How the simulated rig models a disabled bridge (all switches open), which GEM's converters cannot express.</summary>
public enum BridgeOffModel
{
    /// <summary>
    /// Diode freewheeling (default): with the switches open, each leg's current commutates to its antiparallel diodes,
    /// which apply the DC-link voltage against the current until it reaches zero; a current-free leg floats. The rig
    /// emulates this with the per-channel duty d = clamp(−i / i_band, −1, 1), where
    /// i_band = k·u_dc·τ/L is the current the full leg voltage changes in one plant step (k = 1 for a DC
    /// converter channel, ½ for a B6 phase leg, L the channel's inductance). Above i_band the leg applies the full
    /// DC-link voltage against the current (diode conduction); inside it the current is driven to zero within about
    /// one step instead of chattering. A back-EMF above the DC link still drives current through the diodes
    /// (uncontrolled rectification), as on a real bridge.
    /// </summary>
    DiodeFreewheel = 0,

    /// <summary>Zero volts on every channel (an active short circuit of the machine terminals), GEM's zero action.</summary>
    ZeroVolts = 1,
}

/// <summary>Computes the duty cycles that emulate an open bridge (see <see cref="BridgeOffModel"/>). No allocation per call.</summary>
public sealed class OpenBridgeEmulator
{
    private readonly double[] _legFactor;
    private readonly double[] _inductance;
    private readonly double _tau;
    private readonly MachineKind _machine;

    /// <summary>Prepares the emulator for a plant.</summary>
    public OpenBridgeEmulator(BridgeOffModel model, MachineKind machine, MotorParameters motor, int channels, double tau)
    {
        Model = model;
        _machine = machine;
        _tau = tau;
        _legFactor = new double[channels];
        _inductance = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            (_legFactor[c], _inductance[c]) = ChannelInductance(machine, motor, c);
        }
    }

    /// <summary>The model in use.</summary>
    public BridgeOffModel Model { get; }

    /// <summary>Fills <paramref name="duty"/> with the open-bridge duty per channel for the present currents.</summary>
    public void Compute(in SensorInputs inputs, Span<double> duty)
    {
        if (Model == BridgeOffModel.ZeroVolts)
        {
            duty.Clear();
            return;
        }
        double udc = Math.Max(inputs.DcLinkVoltage, 0.0);
        for (int c = 0; c < duty.Length; c++)
        {
            double i = ChannelCurrent(inputs, c);
            double band = c < _inductance.Length && _inductance[c] > 0 ? _legFactor[c] * udc * _tau / _inductance[c] : 0.0;
            duty[c] = band > 0 && double.IsFinite(i) ? Math.Clamp(-i / band, -1.0, 1.0) : 0.0;
        }
    }

    private double ChannelCurrent(in SensorInputs x, int channel) => _machine == MachineKind.Dc
        ? channel == 0 ? x.CurrentA : x.CurrentExcitation
        : channel switch { 0 => x.CurrentA, 1 => x.CurrentB, 2 => x.CurrentC, _ => x.CurrentExcitation };

    private static (double LegFactor, double Inductance) ChannelInductance(MachineKind machine, MotorParameters m, int channel)
    {
        if (machine == MachineKind.Dc)
        {
            return channel == 0
                ? (1.0, m.Type == MotorType.SeriesDc ? m.ArmatureInductance + m.ExcitationInductance : m.ArmatureInductance)
                : (1.0, m.ExcitationInductance);
        }
        if (channel >= 3)
        {
            return (1.0, m.ExcitationInductance);
        }
        double l = m.Type switch
        {
            MotorType.Scim or MotorType.Dfim => m.StatorLeakageInductance + m.RotorLeakageInductance,
            _ => Math.Min(m.InductanceD, m.InductanceQ),
        };
        return (0.5, l);
    }
}
