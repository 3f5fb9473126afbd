using MotorRT.Contracts;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Moteus;
using Wire = MotorRT.Hardware.Tests.CanRigTestKit.Wire<MotorRT.Hardware.Moteus.MoteusRig>;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// The moteus rig on the wire: the test plays the servo on the other end of the socket pair and checks the CAN-FD
/// frames the rig sends, byte for byte, and how it turns the servo's replies into a raw sensor frame.
/// </summary>
public sealed class MoteusRigTests
{
    private const int Servo = 5;

    // The rig's query, after whatever command: 11 00 (mode int8) | 1c 04 01 (4 × F32 from 0x001: position, velocity,
    // torque, q current) | 13 0d (voltage, temperature, fault int8).
    private const string Query = "1100" + "1c0401" + "130d";

    private static SensorSpec Sensors() => CanRigTestKit.Sensors();

    private static Wire Open()
    {
        var (host, board) = SocketCanTransport.CreatePair();
        var wire = new Wire(new MoteusRig(host, Servo, 0, 0.001, 0.02, 5.0, 0.1, Sensors()), board);
        wire.Rig.Open();
        return wire;
    }

    private static List<CanFdFrame> Drain(SocketCanTransport board) => CanRigTestKit.DrainFd(board);

    private static string Hex(CanFdFrame f) => Convert.ToHexString(f.Payload).ToLowerInvariant();

    private static void SendReply(SocketCanTransport board, double turns, double iq, double volts, int mode = MoteusModes.Position, int fault = 0, int from = Servo)
    {
        var state = new MoteusReply { Mode = mode, Position = turns, Velocity = 0, Torque = 0.2 * iq, QCurrent = iq, Voltage = volts, Temperature = 30, Fault = fault };
        CanFdFrame f = MoteusProtocol.NewFrame(from, 0, replyRequired: false);
        var w = new MultiplexWriter(f.Data);
        MoteusProtocol.WriteReply(ref w, MoteusQuery.WithQCurrent, in state);
        MoteusProtocol.Finish(ref f, w.Length);
        board.TrySendFd(in f);
    }

    [Fact]
    public void Open_stops_and_queries_enable_sends_a_torque_command_with_query_per_tick_and_disable_stops_once()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        CanFdFrame open = Assert.Single(Drain(board));
        Assert.Equal(CanFrame.ExtendedFlag | 0x8005u, open.Id);                 // source 0 → servo 5, reply required
        Assert.Equal("010000" + Query + "5050", Hex(open));                       // stop + query, 10 bytes → 12

        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 1.5, BridgeEnable = true };
        Assert.Equal(RigIoStatus.Ok, rig.Write(in cmd));
        CanFdFrame torque = Assert.Single(Drain(board));
        Assert.Equal(CanFrame.ExtendedFlag | 0x8005u, torque.Id);
        Assert.True(torque.IsFd);
        Assert.Equal(CanFdFrame.BitRateSwitch, torque.Flags & CanFdFrame.BitRateSwitch);
        // position mode, 6 × F32 from 0x020: nan, 0, 1.5, 0, 0, 5.0; 0x027 = 0.1 s; query; 43 → 48 bytes
        Assert.Equal("01000a" + "0c0620" + "0000c07f" + "00000000" + "0000c03f" + "00000000" + "00000000" + "0000a040" + "0d27" + "cdcccc3d"
            + Query + "5050505050", Hex(torque));

        cmd = new ConverterCommand { Mode = CommandMode.CurrentSetpoint, CurrentSetpointD = 10.0, BridgeEnable = true };
        rig.Write(in cmd);
        // current mode, 2 × F32 from 0x01c: q = 10 A (0x41200000), d = 0; query: 20 bytes, a CAN-FD length (no padding)
        Assert.Equal("010009" + "0e1c" + "00002041" + "00000000" + Query, Hex(Assert.Single(Drain(board))));

        var safe = default(ConverterCommand);
        safe.SetSafe();
        rig.Write(in safe);
        Assert.Equal("010000" + Query + "5050", Hex(Assert.Single(Drain(board))));
        rig.Write(in safe);
        Assert.Equal(Query, Hex(Assert.Single(Drain(board))));                    // stop once, then the query alone
    }

    [Fact]
    public void Disable_bridge_from_another_thread_sends_stop_and_blocks_the_next_enabled_write()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        ConverterCommand cmd = CanRigTestKit.ArmThenDisableFromAnotherThread(rig, () => Drain(board));
        CanFdFrame stop = Assert.Single(Drain(board));
        Assert.Equal(0x005u, stop.Id);                                           // no reply asked: a standard id
        Assert.Equal("010000", Hex(stop));                                       // 3 bytes: a length of its own, no padding
        rig.Write(in cmd);                                                       // the write after DisableBridge stays off
        Assert.DoesNotContain(Drain(board), f => Hex(f).StartsWith("01000a", StringComparison.Ordinal));
    }

    [Fact]
    public void Replies_become_counts_and_other_servos_and_requests_are_ignored()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        SendReply(board, 1.5, -20, 48, MoteusModes.Fault, MoteusFaults.MotorDriverFault);
        SendReply(board, 99, 0, 0, from: Servo + 1);                            // another servo
        var frame = default(RawSensorFrame);
        Assert.Equal(RigIoStatus.Ok, rig.Read(ref frame));
        CanRigTestKit.AssertStateCounts(in frame);
        Assert.Equal(MoteusFaults.InputGateDriver, frame.FaultInputs);
        Assert.Equal(MoteusModes.Fault, rig.BoardState.Mode);
        Assert.Equal(RigIoStatus.Timeout, rig.Read(ref frame));                  // no new reply: a late frame
        Assert.Equal(1, rig.LateFrames);
        Assert.Equal(1, frame.Sequence);
        CanFdFrame request = MoteusProtocol.NewFrame(Servo, 0, replyRequired: true);   // a request, not a reply
        request.Data[0] = 0x21; request.Data[1] = 0x01; request.Data[2] = 0x00; request.Length = 3;
        board.TrySendFd(in request);
        board.TrySendFd(new CanFdFrame { Id = CanFrame.ExtendedFlag | 0x1_0500, Length = 3, });   // CAN prefix 1: another network
        var truncated = new CanFdFrame { Id = 0x500, Length = 4 };               // from servo 5: 2f 01 00 00 — 3 floats announced, 2 bytes
        truncated.Data[0] = 0x2f; truncated.Data[1] = 0x01;
        board.TrySendFd(in truncated);
        Assert.Equal(RigIoStatus.Timeout, rig.Read(ref frame));
        Assert.Equal(1, rig.MalformedReplies);
        Assert.Equal(1.5, rig.BoardState.Position);                             // the last good reply is kept
    }

    [Fact]
    public void No_reply_for_the_timeout_is_a_lost_link_until_reopened()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        var frame = default(RawSensorFrame);
        SendReply(board, 0, 0, 48);
        Assert.Equal(RigIoStatus.Ok, rig.Read(ref frame));
        for (int k = 0; k < 20; k++) Assert.Equal(RigIoStatus.Timeout, rig.Read(ref frame));   // 20 ms = reply_timeout
        Assert.Equal(RigIoStatus.LinkLost, rig.Read(ref frame));
        SendReply(board, 0, 0, 48);
        Assert.Equal(RigIoStatus.LinkLost, rig.Read(ref frame));                 // latched
        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 1, BridgeEnable = true };
        Drain(board);
        rig.Write(in cmd);
        Assert.DoesNotContain(Drain(board), f => Hex(f).StartsWith("01000a", StringComparison.Ordinal));   // no set-point on a lost link
        rig.Open();
        Drain(board);
        SendReply(board, 0, 0, 48);
        Assert.Equal(RigIoStatus.Ok, rig.Read(ref frame));
    }

    [Fact]
    public void Leaving_a_board_fault_takes_a_stop_before_the_command()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        Drain(board);
        SendReply(board, 0, 0, 48, MoteusModes.Timeout);
        var frame = default(RawSensorFrame);
        rig.Read(ref frame);
        Assert.Equal(MoteusFaults.InputDriveBoard, frame.FaultInputs);
        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 1, BridgeEnable = true };
        rig.Write(in cmd);
        List<CanFdFrame> sent = Drain(board);
        Assert.Equal(2, sent.Count);
        Assert.StartsWith("010000", Hex(sent[0]));
        Assert.StartsWith("01000a", Hex(sent[1]));
    }

    [Fact]
    public void Velocity_set_point_sends_rev_per_second_with_the_kd_scale_on()
    {
        using Wire wire = Open();
        var (rig, board) = wire;
        Drain(board);
        CanRigTestKit.WriteVelocitySetpoint(rig);
        // nan, 2 rev/s (4π rad/s; 0x40000000), 0.25 N·m (0x3e800000), kp scale 0, kd scale 1 (0x3f800000), 5.0
        Assert.StartsWith("01000a" + "0c0620" + "0000c07f" + "00000040" + "0000803e" + "00000000" + "0000803f" + "0000a040", Hex(Assert.Single(Drain(board))));
    }

    [Fact]
    public void Read_and_write_do_not_allocate()
    {
        var state = new MoteusReply { Mode = 10, Position = 0.25, Velocity = 1, QCurrent = 2, Voltage = 48, Temperature = 30 };
        CanRigTestKit.AssertReadAndWriteDoNotAllocate(Open(), board =>
        {
            CanFdFrame f = MoteusProtocol.NewFrame(Servo, 0, false);
            var w = new MultiplexWriter(f.Data);
            MoteusProtocol.WriteReply(ref w, MoteusQuery.WithQCurrent, in state);
            MoteusProtocol.Finish(ref f, w.Length);
            board.TrySendFd(in f);
        }, board =>
        {
            while (board.TryReceiveFd(out _)) { }
        }, rig => Assert.Equal(0, rig.LateFrames));
    }

    [Fact]
    public void The_real_kind_opens_the_interface_with_can_fd_in_open_not_at_build() =>
        CanRigTestKit.AssertRealKindOpensInOpen(new MoteusRigKind(), "{ \"type\": \"moteus\", \"interface\": \"nocan9\", \"servo_id\": 3 }", rig =>
        {
            Assert.True(rig.Description.Capabilities.Accepts(CommandMode.TorqueSetpoint));
            Assert.False(rig.Description.Capabilities.Accepts(CommandMode.DutyCycle));
        });

    [Fact]
    public void Section_refuses_the_servos_own_id_as_source_and_a_reply_timeout_under_a_period()
    {
        var kinds = new MotorRT.Contracts.Composition.RigKinds(new MoteusRigKind());
        MotorRT.Contracts.Configuration.ConfigException Build(string json) => Assert.Throws<MotorRT.Contracts.Configuration.ConfigException>(() =>
            new MoteusRigKind().Create(new MotorRT.Contracts.Composition.RigRequest(MotorRT.Contracts.Configuration.RawSection.Parse("r.json", json), Sensors(), 1, null, kinds)));
        Assert.Contains("source_id", Build("{ \"type\": \"moteus\", \"servo_id\": 2, \"source_id\": 2 }").Message);
        Assert.Contains("reply_timeout", Build("{ \"type\": \"moteus\", \"frequency_hz\": 1000, \"reply_timeout\": 0.0005 }").Message);
        Assert.Contains("emulate", Build("{ \"type\": \"moteus\", \"emulate\": true }").Message);   // no sim kind in this program
    }
}
