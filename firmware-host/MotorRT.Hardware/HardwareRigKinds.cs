using MotorRT.Contracts.Composition;
using MotorRT.Hardware.Hil;
using MotorRT.Hardware.Moteus;
using MotorRT.Hardware.ODrive;
using MotorRT.Hardware.RaspberryPi;

namespace MotorRT.Hardware;

/// <summary>The rig kinds this project provides, one line each (each kind lives in its own folder).</summary>
public static class HardwareRigKinds
{
    /// <summary>Raspberry Pi (real or emulated), the remote HIL rig, the ODrive CAN rig and the moteus CAN-FD rig (both real or emulated).</summary>
    public static IReadOnlyList<IRigKind> All { get; } = [new RaspberryPiRigKind(), new RemoteRigKind(), new ODriveRigKind(), new MoteusRigKind()];
}
