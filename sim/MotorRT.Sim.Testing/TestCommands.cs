using MotorRT.Contracts;

namespace MotorRT.Sim.Testing;

/// <summary>Converter commands that rig and link tests send (the one place that writes a balanced three-phase duty set).</summary>
public static class TestCommands
{
    /// <summary>
    /// Balanced three-phase duties of amplitude <paramref name="m"/> (dimensionless) at electrical angle
    /// <paramref name="angle"/> (rad) on channels 0, 1, 2: <c>d_x = m·cos(angle − k·2π/3)</c>; bridge enabled when <paramref name="enable"/>.
    /// </summary>
    public static ConverterCommand ThreePhase(double m, double angle, bool enable = true)
    {
        var c = default(ConverterCommand);
        c.BridgeEnable = enable;
        c.Duty[0] = m * Math.Cos(angle);
        c.Duty[1] = m * Math.Cos(angle - 2 * Math.PI / 3);
        c.Duty[2] = m * Math.Cos(angle + 2 * Math.PI / 3);
        return c;
    }
}
