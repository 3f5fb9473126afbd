using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.Moteus;
using MotorRT.Sim.Rig;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// The emulated moteus on the wire, over the twin (GEM's Cont-CC-PermExDc-v0 at rest with the example's inertial load,
/// τ = 100 µs, 10 plant steps per period): the test plays the host with the documented example frame (docs/protocol/can.md) and checks the reply's
/// bytes and the board's modes.
/// </summary>
public sealed class EmulatedMoteusTests
{
    private static SensorSpec Sensors() => CanRigTestKit.Sensors(amperesPerCount: 0.15);

    private static (EmulatedMoteus Board, SocketCanTransport Host) Create(double kd = 0)
    {
        var kinds = new RigKinds(new SimRigKind());
        RigBuild plant = kinds.Create(new RigRequest(RawSection.Parse("r.json", "{ \"type\": \"sim\" }"), Sensors(), 1,
            RawSection.Parse("p.json", "{ \"preset\": \"Cont-CC-PermExDc-v0\", \"load\": { \"type\": \"polynomial\", \"a\": 0.5, \"b\": 0.05, \"c\": 0.0, \"j_load\": 0.05 } }"), kinds));
        var (host, device) = SocketCanTransport.CreatePair();
        var board = new EmulatedMoteus(device, plant.Rig, plant.PlantMotor!, Sensors(), servoId: 1, innerSteps: 10) { Kd = kd };
        board.Start();
        return (board, host);
    }

    private static CanFdFrame Frame(uint id, string hex)
    {
        var f = new CanFdFrame { Id = id > 0x7FF ? id | CanFrame.ExtendedFlag : id, Flags = CanFdFrame.BitRateSwitch };
        byte[] b = Convert.FromHexString(hex);
        b.CopyTo(f.Data);
        MoteusProtocol.Finish(ref f, b.Length);
        return f;
    }

    [Fact]
    public void Documented_example_frame_gets_the_documented_reply_layout_from_servo_1_to_source_0()
    {
        var (board, host) = Create();
        using (board)
        using (host)
        {
            Assert.False(host.TryReceiveFd(out _));                                  // nothing asked yet, nothing said
            Assert.True(host.TrySendFd(Frame(0x8001, "01000a07206000200150ff140400130d")));
            board.EndPeriod();
            Assert.Equal(MoteusModes.Position, board.Mode);
            Assert.Equal(-1.76, board.FeedforwardTorque, 12);
            Assert.True(host.TryReceiveFd(out CanFdFrame reply));
            Assert.Equal(0x100u, reply.Id);                                          // from 1 to 0, standard id
            Assert.Equal(16, reply.Length);
            byte[] p = reply.Payload.ToArray();
            // 24 04 00 | mode 0a00 | position, velocity, torque int16 | 23 0d | voltage int8 (0.5 V) | 30 °C | no fault
            Assert.Equal(new byte[] { 0x24, 0x04, 0x00, 0x0a, 0x00 }, p[..5]);
            Assert.Equal(new byte[] { 0x23, 0x0d }, p[11..13]);
            Assert.Equal(new byte[] { 30, 0 }, p[14..16]);
            var r = default(MoteusReply);
            Assert.True(MoteusProtocol.TryParseReply(p, ref r));
            double udc = board.LastFrame.DcLinkCounts * 0.025;
            Assert.Equal((sbyte)(udc / 0.5), (sbyte)p[13]);
            // the current loop (bandwidth 1/(10 plant periods) = 1 kHz) is on its way to −1.76 N·m after 1 ms
            Assert.InRange(r.Torque, -1.76, -0.5);
            Assert.False(host.TryReceiveFd(out _));                                  // one reply per request
        }
    }

    [Fact]
    public void Frames_without_the_reply_bit_or_for_another_servo_get_no_reply()
    {
        var (board, host) = Create();
        using (board)
        using (host)
        {
            host.TrySendFd(Frame(0x0001, "01000a" + "1100"));                          // no reply asked
            host.TrySendFd(Frame(0x8002, "01000a" + "1100"));                          // servo 2
            board.EndPeriod();
            Assert.False(host.TryReceiveFd(out _));
            Assert.Equal(1, board.SetpointCommands);
        }
    }

    [Fact]
    public void A_fault_holds_until_a_stop_which_clears_it()
    {
        var (board, host) = Create();
        using (board)
        using (host)
        {
            board.InjectFault(MoteusFaults.OverTemperature);
            host.TrySendFd(Frame(0x8001, "01000a" + "0d22" + "0000803f" + "1100" + "130d"));   // 1 N·m, read mode + fault
            board.EndPeriod();
            Assert.Equal(MoteusModes.Fault, board.Mode);
            Assert.Equal(0, board.SetpointCommands);
            Assert.True(host.TryReceiveFd(out CanFdFrame reply));
            var r = default(MoteusReply);
            Assert.True(MoteusProtocol.TryParseReply(reply.Payload, ref r));
            Assert.Equal((MoteusModes.Fault, MoteusFaults.OverTemperature), (r.Mode, r.Fault));
            host.TrySendFd(Frame(0x8001, "010000" + "1100"));
            board.EndPeriod();
            Assert.Equal((MoteusModes.Stopped, 0), (board.Mode, board.Fault));
            Assert.Equal(1, board.StopRequests);
        }
    }

    [Fact]
    public void Velocity_command_with_kd_scale_1_accelerates_towards_it_and_kd_scale_0_applies_only_the_feed_forward()
    {
        var (board, host) = Create(kd: 0.5);   // 0.5 N·m per rev/s
        using (board)
        using (host)
        {
            // 01 00 0a | 0c 05 20: position nan, velocity 5 rev/s (0x40a00000), feed-forward 0, kp scale 0, kd scale 1 | 11 00 1f 01
            string command = "01000a" + "0c0520" + "0000c07f" + "0000a040" + "00000000" + "00000000" + "0000803f" + "1100" + "1f01";
            var r = default(MoteusReply);
            double first = double.NaN;
            for (int k = 0; k < 20; k++)
            {
                host.TrySendFd(Frame(0x8001, command));
                board.EndPeriod();
                Assert.True(host.TryReceiveFd(out CanFdFrame reply));
                Assert.True(MoteusProtocol.TryParseReply(reply.Payload, ref r));
                if (k == 4) first = r.Torque;
            }
            Assert.InRange(first, 0.5, 2.5);                                         // ≤ 0.5 × 5 rev/s error, on its way up
            Assert.True(r.Velocity > 0.0, $"velocity {r.Velocity} rev/s");
            Assert.True(r.Torque < first, "the torque falls as the error does");
            // kd scale 0: nothing but the (zero) feed-forward
            host.TrySendFd(Frame(0x8001, command.Replace("0000803f" + "1100", "00000000" + "1100")));
            for (int k = 0; k < 10; k++)
            {
                board.EndPeriod();
                host.TrySendFd(Frame(0x8001, command.Replace("0000803f" + "1100", "00000000" + "1100")));
            }
            board.EndPeriod();
            while (host.TryReceiveFd(out CanFdFrame g)) MoteusProtocol.TryParseReply(g.Payload, ref r);
            // zero set-point: what is left is the current loop's error while the load decelerates the shaft (its EMF
            // feed-forward uses the previous period's speed) — a few amperes, well under the kd torque above
            Assert.InRange(r.Torque, -0.5, 0.5);
            Assert.Equal(0.0, board.FeedforwardTorque);
        }
    }
}
