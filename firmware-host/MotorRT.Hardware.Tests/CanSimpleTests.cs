using MotorRT.Hardware.Can;
using MotorRT.Hardware.ODrive;

namespace MotorRT.Hardware.Tests;

/// <summary>CANSimple frames byte for byte (ids node_id &lt;&lt; 5 | cmd_id, little-endian float32/uint32 payloads).</summary>
public sealed class CanSimpleTests
{
    [Fact]
    public void Set_input_vel_of_node_1_is_id_0x02d_with_little_endian_floats()
    {
        CanFrame f = CanSimple.F32F32(1, CanSimple.SetInputVel, -2.5f, 0.25f);
        Assert.Equal(0x02Du, f.Id);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x20, 0xC0, 0x00, 0x00, 0x80, 0x3E }, f.Payload.ToArray());
    }

    [Fact]
    public void Commands_and_their_ids()
    {
        Assert.Equal(0x0E7u, CanSimple.Id(7, CanSimple.SetAxisState));
        Assert.Equal(7, CanSimple.Node(0x0E7));
        Assert.Equal(CanSimple.SetAxisState, CanSimple.Command(0x0E7));
        CanFrame closed = CanSimple.U32(0, CanSimple.SetAxisState, CanSimple.StateClosedLoop);
        Assert.Equal(new byte[] { 8, 0, 0, 0 }, closed.Payload.ToArray());
        CanFrame mode = CanSimple.U32U32(2, CanSimple.SetControllerMode, CanSimple.ControlTorque, CanSimple.InputPassthrough);
        Assert.Equal(0x04Bu, mode.Id);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0 }, mode.Payload.ToArray());
        CanFrame torque = CanSimple.F32(0, CanSimple.SetInputTorque, 1.0f);
        Assert.Equal(0x00Eu, torque.Id);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F }, torque.Payload.ToArray());
    }

    [Fact]
    public void Heartbeat_layout()
    {
        CanFrame h = CanSimple.HeartbeatFrame(1, 0x8000_0001, 8, 0, 1);
        Assert.Equal(0x021u, h.Id);
        Assert.Equal(new byte[] { 0x01, 0x00, 0x00, 0x80, 0x08, 0x00, 0x01, 0x00 }, h.Payload.ToArray());
        Assert.Equal(0x8000_0001u, CanSimple.ReadU32(in h, 0));
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(ODriveErrors.DrvFault, ODriveErrors.InputGateDriver)]
    [InlineData(ODriveErrors.CurrentLimitViolation, ODriveErrors.InputOverCurrent)]
    [InlineData(ODriveErrors.DcBusOverCurrent, ODriveErrors.InputOverCurrent)]
    [InlineData(ODriveErrors.MotorOverTemp, ODriveErrors.InputDriveBoard)]
    [InlineData(ODriveErrors.WatchdogTimerExpired | ODriveErrors.DrvFault, ODriveErrors.InputDriveBoard | ODriveErrors.InputGateDriver)]
    public void Axis_errors_map_onto_fault_inputs(uint axisError, uint inputs) =>
        Assert.Equal(inputs, ODriveErrors.ToFaultInputs(axisError));
}
