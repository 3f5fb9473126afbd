using MotorRT.Contracts;

namespace MotorRT.Policies;

/// <summary>The one ending of a duty-cycle controller's tick (DC cascade, FOC, induction FOC).</summary>
internal static class DutyOutput
{
    /// <summary>
    /// Checks the first <paramref name="channels"/> duties of <paramref name="command"/>: a non-finite one turns the
    /// command safe and gives <see cref="ControllerStatus.OutputInvalid"/>; else the command becomes an enabled duty-cycle
    /// command and the status is <see cref="ControllerStatus.Saturated"/> when <paramref name="limited"/>, else Ok.
    /// </summary>
    public static ControllerStatus Finish(ref ConverterCommand command, int channels, bool limited)
    {
        for (int i = 0; i < channels; i++)
        {
            if (!double.IsFinite(command.Duty[i]))
            {
                command.SetSafe();
                return ControllerStatus.OutputInvalid;
            }
        }
        command.Mode = CommandMode.DutyCycle;
        command.BridgeEnable = true;
        return limited ? ControllerStatus.Saturated : ControllerStatus.Ok;
    }
}
