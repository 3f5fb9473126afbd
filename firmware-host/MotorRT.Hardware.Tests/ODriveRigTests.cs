using MotorRT.Contracts;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.ODrive;
using Wire = MotorRT.Hardware.Tests.CanRigTestKit.Wire<MotorRT.Hardware.ODrive.ODriveRig>;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// The ODrive rig on the wire: the test plays the board on the other end of the socket pair and checks the frames the
/// rig sends, byte for byte, and how it turns the board's frames into a raw sensor frame.
/// </summary>
public sealed class ODriveRigTests
{
    private const int Node = 5;

    private static Wire Open()
    {
        var (host, board) = SocketCanTransport.CreatePair();
        var wire = new Wire(new ODriveRig(host, Node, 0.001, 0.02, 0.2, CanRigTestKit.Sensors()), board);
        wire.Rig.Open();
        return wire;
    }

    private static List<CanFrame> Drain(SocketCanTransport board) => CanRigTestKit.Drain(board);

    private static void SendState(SocketCanTransport board, float turns, float iq, float volts, uint error = 0)
    {
        board.TrySend(CanSimple.F32F32(Node, CanSimple.GetEncoderEstimates, turns, 0f));
        board.TrySend(CanSimple.F32F32(Node, CanSimple.GetIq, 0f, iq));
        board.TrySend(CanSimple.F32F32(Node, CanSimple.GetBusVoltageCurrent, volts, 0f));
        board.TrySend(CanSimple.HeartbeatFrame(Node, error, 8, 0, 0));
    }

    [Fact]
    public void Enable_sends_mode_closed_loop_and_torque_once_then_torque_per_tick_and_idle_on_disable()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        CanFrame idle = Assert.Single(Drain(board));
        Assert.Equal(CanSimple.Id(Node, CanSimple.SetAxisState), idle.Id);
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, idle.Payload.ToArray());

        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 1.0, BridgeEnable = true };
        Assert.Equal(RigIoStatus.Ok, rig.Write(in cmd));
        List<CanFrame> first = Drain(board);
        Assert.Equal(3, first.Count);
        Assert.Equal(CanSimple.Id(Node, CanSimple.SetControllerMode), first[0].Id);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0 }, first[0].Payload.ToArray());
        Assert.Equal(new byte[] { 8, 0, 0, 0 }, first[1].Payload.ToArray());
        Assert.Equal(CanSimple.Id(Node, CanSimple.SetInputTorque), first[2].Id);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F }, first[2].Payload.ToArray());

        cmd = new ConverterCommand { Mode = CommandMode.CurrentSetpoint, CurrentSetpointD = 10.0, BridgeEnable = true };
        rig.Write(in cmd);
        CanFrame torque = Assert.Single(Drain(board));
        Assert.Equal(2.0f, CanSimple.ReadF32(in torque, 0), 5);   // 0.2 N·m/A × 10 A

        var safe = default(ConverterCommand);
        safe.SetSafe();
        rig.Write(in safe);
        Assert.Equal(CanSimple.StateIdle, CanSimple.ReadU32(Assert.Single(Drain(board)), 0));
        rig.Write(in safe);
        Assert.Empty(Drain(board));   // idle once, not per tick
    }

    [Fact]
    public void Disable_bridge_from_another_thread_sends_idle_and_blocks_the_next_enabled_write()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        ConverterCommand cmd = CanRigTestKit.ArmThenDisableFromAnotherThread(rig, () => Drain(board));
        CanFrame idle = Assert.Single(Drain(board));
        Assert.Equal(CanSimple.StateIdle, CanSimple.ReadU32(in idle, 0));
        rig.Write(in cmd);   // the write after DisableBridge stays off
        Assert.DoesNotContain(Drain(board), f => CanSimple.Command(f.Id) == CanSimple.SetInputTorque);
    }

    [Fact]
    public void Board_frames_become_counts_and_foreign_nodes_are_ignored()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        SendState(board, 1.5f, -20f, 48f, ODriveErrors.MotorOverTemp);
        board.TrySend(CanSimple.F32F32(Node + 1, CanSimple.GetEncoderEstimates, 99f, 0f));   // another axis
        var frame = default(RawSensorFrame);
        Assert.Equal(RigIoStatus.Ok, rig.Read(ref frame));
        CanRigTestKit.AssertStateCounts(in frame);
        Assert.Equal(ODriveErrors.InputDriveBoard, frame.FaultInputs);
        Assert.Equal(RigIoStatus.Timeout, rig.Read(ref frame));   // no new estimate: a late frame
        Assert.Equal(1, rig.LateFrames);
        Assert.Equal(1, frame.Sequence);
    }

    [Fact]
    public void No_heartbeat_for_the_timeout_is_a_lost_link_until_reopened()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        var frame = default(RawSensorFrame);
        SendState(board, 0f, 0f, 48f);
        Assert.Equal(RigIoStatus.Ok, rig.Read(ref frame));
        for (int k = 0; k < 20; k++)   // 20 ms = heartbeat_timeout: estimates only
        {
            board.TrySend(CanSimple.F32F32(Node, CanSimple.GetEncoderEstimates, 0f, 0f));
            Assert.Equal(RigIoStatus.Ok, rig.Read(ref frame));
        }
        board.TrySend(CanSimple.F32F32(Node, CanSimple.GetEncoderEstimates, 0f, 0f));
        Assert.Equal(RigIoStatus.LinkLost, rig.Read(ref frame));
        SendState(board, 0f, 0f, 48f);
        Assert.Equal(RigIoStatus.LinkLost, rig.Read(ref frame));   // latched
        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 1, BridgeEnable = true };
        Drain(board);
        rig.Write(in cmd);
        Assert.Empty(Drain(board));   // no set-point on a lost link
    }

    [Fact]
    public void Read_and_write_do_not_allocate() => CanRigTestKit.AssertReadAndWriteDoNotAllocate(Open(), board =>
    {
        board.TrySend(CanSimple.F32F32(Node, CanSimple.GetEncoderEstimates, 0.25f, 1f));
        board.TrySend(CanSimple.HeartbeatFrame(Node, 0, 8, 0, 0));
    }, board =>
    {
        while (board.TryReceive(out _)) { }
    });

    [Fact]
    public void The_real_kind_opens_the_interface_in_open_not_at_build() =>
        CanRigTestKit.AssertRealKindOpensInOpen(new ODriveRigKind(), "{ \"type\": \"odrive\", \"interface\": \"nocan9\" }");

    [Fact]
    public void Velocity_set_point_switches_the_controller_mode_and_sends_turns_per_second()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        Drain(board);
        CanRigTestKit.WriteVelocitySetpoint(rig);
        List<CanFrame> first = Drain(board);
        Assert.Equal(3, first.Count);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 1, 0, 0, 0 }, first[0].Payload.ToArray());   // VELOCITY, PASSTHROUGH
        Assert.Equal(CanSimple.Id(Node, CanSimple.SetInputVel), first[2].Id);
        Assert.Equal(2.0f, CanSimple.ReadF32(first[2], 0), 5);                            // 4π rad/s = 2 turns/s
        Assert.Equal(0.25f, CanSimple.ReadF32(first[2], 4));
        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 1, BridgeEnable = true };
        rig.Write(in cmd);
        List<CanFrame> back = Drain(board);
        Assert.Equal(2, back.Count);                                                     // mode back to TORQUE, then the torque
        Assert.Equal(CanSimple.ControlTorque, CanSimple.ReadU32(back[0], 0));
        Assert.Equal(CanSimple.Id(Node, CanSimple.SetInputTorque), back[1].Id);
    }
}
