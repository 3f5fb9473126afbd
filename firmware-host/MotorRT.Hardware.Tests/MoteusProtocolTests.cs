using MotorRT.Hardware.Can;
using MotorRT.Hardware.Moteus;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// moteus' register protocol byte for byte: frames from the documented format (mjbots/moteus docs/protocol/can.md and
/// registers.md) and from the python client's encoding (lib/python/moteus/moteus.py make_position / make_query and
/// multiplex.py WriteCombiner), worked by hand below.
/// </summary>
public sealed class MoteusProtocolTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    private static byte[] Encode(Action<MultiplexWriterBox> write)
    {
        var box = new MultiplexWriterBox();
        write(box);
        return box.Bytes;
    }

    /// <summary>Collects what a writer wrote (tests only: a ref struct cannot be captured by a lambda).</summary>
    private sealed class MultiplexWriterBox
    {
        public byte[] Bytes = [];

        public void Position(in MoteusPositionCommand c, MoteusResolution res, MoteusQuery? q)
        {
            Span<byte> buf = stackalloc byte[64];
            var w = new MultiplexWriter(buf);
            MoteusProtocol.WritePosition(ref w, in c, res);
            if (q is { } query) MoteusProtocol.WriteQuery(ref w, in query);
            Bytes = buf[..w.Length].ToArray();
        }
    }

    [Fact]
    public void Documented_example_command_position_velocity_torque_int16_with_query()
    {
        // can.md "Example": 01 00 0a (mode := 10 position) | 07 20 (write 3 × int16 from 0x020) 6000 2001 50ff |
        // 14 04 00 (read 4 × int16 from 0x000) | 13 0d (read 3 × int8 from 0x00d).
        // position 0x0060 = 96 × 0.0001 rev; velocity 0x0120 = 288 × 0.00025 rev/s = 0.072 rev/s; torque 0xff50 = −176
        // × 0.01 N·m. The clients truncate value / LSB toward zero, and 0.0096 / 0.0001 = 95.999… in binary: 0.0096 rev
        // would go out as 95, so the command is 0.00965 rev (96.5 → 96).
        var c = new MoteusPositionCommand
        {
            Position = 0.00965, Velocity = 0.072, FeedforwardTorque = -1.76,
            Fields = MoteusPositionFields.Position | MoteusPositionFields.Velocity | MoteusPositionFields.FeedforwardTorque,
        };
        var q = new MoteusQuery
        {
            Mode = MoteusResolution.Int16, Position = MoteusResolution.Int16, Velocity = MoteusResolution.Int16, Torque = MoteusResolution.Int16,
            QCurrent = MoteusResolution.Ignore, Voltage = MoteusResolution.Int8, Temperature = MoteusResolution.Int8, Fault = MoteusResolution.Int8,
        };
        byte[] bytes = Encode(b => b.Position(in c, MoteusResolution.Int16, q));
        Assert.Equal(Hex("01000a07206000200150ff140400130d"), bytes);
    }

    [Fact]
    public void Documented_example_command_decodes_as_a_board_reads_it()
    {
        byte[] data = Hex("01000a07206000200150ff140400130d");
        var r = new MultiplexReader(data);
        Assert.True(r.TryRead(out MultiplexSubframe mode));
        Assert.Equal(new MultiplexSubframe(MultiplexSubframeKind.Write, MoteusResolution.Int8, 0, 1, 2, 0), mode);
        Assert.Equal(10, r.Value(in mode, 0));
        Assert.True(r.TryRead(out MultiplexSubframe cmd));
        Assert.Equal((MultiplexSubframeKind.Write, MoteusResolution.Int16, 0x020, 3), (cmd.Kind, cmd.Resolution, cmd.StartRegister, cmd.Count));
        Assert.Equal(0.0096, r.Value(in cmd, 0), 12);
        Assert.Equal(0.072, r.Value(in cmd, 1), 12);
        Assert.Equal(-1.76, r.Value(in cmd, 2), 12);
        Assert.True(r.TryRead(out MultiplexSubframe read1));
        Assert.Equal((MultiplexSubframeKind.Read, MoteusResolution.Int16, 0x000, 4), (read1.Kind, read1.Resolution, read1.StartRegister, read1.Count));
        Assert.True(r.TryRead(out MultiplexSubframe read2));
        Assert.Equal((MultiplexSubframeKind.Read, MoteusResolution.Int8, 0x00d, 3), (read2.Kind, read2.Resolution, read2.StartRegister, read2.Count));
        Assert.False(r.TryRead(out _));
        Assert.False(r.Malformed);
    }

    [Fact]
    public void Documented_example_reply_decodes_to_position_mode_12_volts_20_degrees()
    {
        // rcv 100 2404000a005000000170ff230d181400: 24 04 00 (reply 4 × int16 from 0x000) 0a00 mode 10 | 5000 = 80 ×
        // 0.0001 = 0.008 rev | 0001 = 256 × 0.00025 = 0.064 rev/s | 70ff = −144 × 0.01 = −1.44 N·m | 23 0d (reply 3 ×
        // int8 from 0x00d) 18 = 24 × 0.5 = 12 V | 14 = 20 °C | 00 no fault.
        var reply = default(MoteusReply);
        Assert.True(MoteusProtocol.TryParseReply(Hex("2404000a005000000170ff230d181400"), ref reply));
        Assert.Equal(MoteusModes.Position, reply.Mode);
        Assert.Equal(0.008, reply.Position, 12);
        Assert.Equal(0.064, reply.Velocity, 12);
        Assert.Equal(-1.44, reply.Torque, 12);
        Assert.Equal(12.0, reply.Voltage);
        Assert.Equal(20.0, reply.Temperature);
        Assert.Equal(0, reply.Fault);
        Assert.Equal(MoteusReplyFields.Mode | MoteusReplyFields.Position | MoteusReplyFields.Velocity | MoteusReplyFields.Torque
            | MoteusReplyFields.Voltage | MoteusReplyFields.Temperature | MoteusReplyFields.Fault, reply.Present);
        Assert.Equal(1, MoteusProtocol.Source(0x100));
        Assert.Equal(0, MoteusProtocol.Destination(0x100));
    }

    [Fact]
    public void Python_make_position_nan_velocity_torque_stop_and_watchdog_floats()
    {
        // moteus_test.py test_make_position: position=nan, velocity=2.0, maximum_torque=2.0, stop_position=0.0,
        // feedforward_torque=-0.3, watchdog_timeout=0.0 with the default PositionResolution (all F32). WriteCombiner over
        // 0x020…0x02d = [F32, F32, F32, IGNORE, IGNORE, F32, F32, F32, …]: 0x0c | 3 = 0x0f from 0x20 (nan 0x7fc00000,
        // 2.0 0x40000000, −0.3 0xbe99999a), kp/kd skipped, 0x0f from 0x25 (2.0, 0.0, 0.0).
        var c = new MoteusPositionCommand
        {
            Position = double.NaN, Velocity = 2.0, FeedforwardTorque = -0.3, MaximumTorque = 2.0, StopPosition = 0.0, WatchdogTimeout = 0.0,
            Fields = MoteusPositionFields.Position | MoteusPositionFields.Velocity | MoteusPositionFields.FeedforwardTorque
                | MoteusPositionFields.MaximumTorque | MoteusPositionFields.StopPosition | MoteusPositionFields.WatchdogTimeout,
        };
        byte[] expected =
        [
            0x01, 0x00, 0x0a,
            0x0f, 0x20,
            0x00, 0x00, 0xc0, 0x7f,
            0x00, 0x00, 0x00, 0x40,
            0x9a, 0x99, 0x99, 0xbe,
            0x0f, 0x25,
            0x00, 0x00, 0x00, 0x40,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        Assert.Equal(expected, Encode(b => b.Position(in c, MoteusResolution.Float, null)));

        // the second case: position=nan, velocity=1, maximum_torque=0.0, stop_position=0.15 → two runs of two (0x0e).
        c = new MoteusPositionCommand
        {
            Position = double.NaN, Velocity = 1.0, MaximumTorque = 0.0, StopPosition = 0.15,
            Fields = MoteusPositionFields.Position | MoteusPositionFields.Velocity | MoteusPositionFields.MaximumTorque | MoteusPositionFields.StopPosition,
        };
        expected =
        [
            0x01, 0x00, 0x0a,
            0x0e, 0x20,
            0x00, 0x00, 0xc0, 0x7f,
            0x00, 0x00, 0x80, 0x3f,
            0x0e, 0x25,
            0x00, 0x00, 0x00, 0x00,
            0x9a, 0x99, 0x19, 0x3e,
        ];
        Assert.Equal(expected, Encode(b => b.Position(in c, MoteusResolution.Float, null)));
    }

    [Fact]
    public void Python_default_query_after_an_empty_position_command_and_its_reply_size()
    {
        // test_make_position_query: 01 00 0a | 11 00 (read 1 × int8 from 0x000: mode) | 1f 01 (read 3 × F32 from 0x001:
        // position, velocity, torque) | 13 0d (read 3 × int8 from 0x00d). Reply: 21 00 m + 2f 01 + 12 + 23 0d + 3 = 22 bytes.
        var c = new MoteusPositionCommand { Fields = MoteusPositionFields.None };
        Assert.Equal(new byte[] { 0x01, 0x00, 0x0a, 0x11, 0x00, 0x1f, 0x01, 0x13, 0x0d }, Encode(b => b.Position(in c, MoteusResolution.Float, MoteusQuery.Default)));
        Span<byte> buf = stackalloc byte[16];
        var w = new MultiplexWriter(buf);
        Assert.Equal(22, MoteusProtocol.WriteQuery(ref w, MoteusQuery.Default));
    }

    [Fact]
    public void Python_reply_decodes_with_the_int16_and_int8_scalings()
    {
        // test_make_position_query's reply: 24 04 00 | 0a00 mode 10 | 1002 = 528 × 0.0001 = 0.0528 rev | 00fe = −512 ×
        // 0.00025 = −0.128 rev/s | 2000 = 32 × 0.01 = 0.32 N·m | 23 0d | 20 = 32 × 0.5 = 16 V | 30 = 48 °C | 40 = fault 64.
        var reply = default(MoteusReply);
        Assert.True(MoteusProtocol.TryParseReply([0x24, 0x04, 0x00, 0x0a, 0x00, 0x10, 0x02, 0x00, 0xfe, 0x20, 0x00, 0x23, 0x0d, 0x20, 0x30, 0x40], ref reply));
        Assert.Equal((10, 0.0528, -0.128, 0.32, 16.0, 48.0, 64),
            (reply.Mode, Math.Round(reply.Position, 12), Math.Round(reply.Velocity, 12), Math.Round(reply.Torque, 12), reply.Voltage, reply.Temperature, reply.Fault));
    }

    [Fact]
    public void The_rigs_torque_frame_padded_with_nop_to_48_bytes_on_an_extended_reply_required_id()
    {
        // What MoteusRig sends per tick for a 1.5 N·m set-point (max 5 N·m, watchdog 0.1 s) to servo 1 from source 0:
        // 01 00 0a | 0c 06 20 (write 6 × F32 from 0x020, long form: count > 3) nan, 0, 1.5 (0x3fc00000), 0, 0, 5.0
        // (0x40a00000) | 0d 27 (1 × F32 at 0x027) 0.1 (0x3dcccccd) | 11 00 | 1c 04 01 (read 4 × F32 from 0x001, incl. q
        // current) | 13 0d = 43 bytes → CAN-FD length 48, five NOPs. Id 0x8001 (reply required) > 0x7ff → extended.
        CanFdFrame f = MoteusProtocol.NewFrame(0, 1, replyRequired: true);
        var w = new MultiplexWriter(f.Data);
        var c = new MoteusPositionCommand
        {
            Position = double.NaN, Velocity = 0, FeedforwardTorque = 1.5, KpScale = 0, KdScale = 0, MaximumTorque = 5, WatchdogTimeout = 0.1,
            Fields = MoteusPositionFields.Position | MoteusPositionFields.Velocity | MoteusPositionFields.FeedforwardTorque | MoteusPositionFields.KpScale
                | MoteusPositionFields.KdScale | MoteusPositionFields.MaximumTorque | MoteusPositionFields.WatchdogTimeout,
        };
        MoteusProtocol.WritePosition(ref w, in c);
        MoteusProtocol.WriteQuery(ref w, MoteusQuery.WithQCurrent);
        MoteusProtocol.Finish(ref f, w.Length);
        Assert.Equal(CanFrame.ExtendedFlag | 0x8001u, f.Id);
        Assert.Equal(CanFdFrame.BitRateSwitch, f.Flags);
        Assert.Equal(48, f.Length);
        Assert.Equal(Hex("01000a" + "0c0620" + "0000c07f" + "00000000" + "0000c03f" + "00000000" + "00000000" + "0000a040"
            + "0d27" + "cdcccc3d" + "1100" + "1c0401" + "130d" + "5050505050"), f.Payload.ToArray());
    }

    [Fact]
    public void Current_mode_stop_and_reply_round_trip()
    {
        Span<byte> buf = stackalloc byte[64];
        var w = new MultiplexWriter(buf);
        MoteusProtocol.WriteCurrent(ref w, 2.0, 0.0);
        // 01 00 09 | 0e 1c (2 × F32 from 0x01c: q, d)
        Assert.Equal(Hex("010009" + "0e1c" + "00000040" + "00000000"), buf[..w.Length].ToArray());
        w = new MultiplexWriter(buf);
        MoteusProtocol.WriteStop(ref w);
        Assert.Equal(Hex("010000"), buf[..w.Length].ToArray());

        var state = new MoteusReply { Mode = 10, Position = -3.25, Velocity = 12.5, Torque = 0.75, QCurrent = -4.5, Voltage = 24.5, Temperature = 31, Fault = 0 };
        w = new MultiplexWriter(buf);
        MoteusProtocol.WriteReply(ref w, MoteusQuery.WithQCurrent, in state);
        // 21 00 0a | 2c 04 01 + 4 floats | 23 0d 31 1f 00 (24.5 V / 0.5 = 49, 31 °C)
        Assert.Equal(3 + 3 + 16 + 5, w.Length);
        Assert.Equal(new byte[] { 0x21, 0x00, 0x0a, 0x2c, 0x04, 0x01 }, buf[..6].ToArray());
        Assert.Equal(new byte[] { 0x23, 0x0d, 49, 31, 0 }, buf[22..27].ToArray());
        var back = default(MoteusReply);
        Assert.True(MoteusProtocol.TryParseReply(buf[..w.Length], ref back));
        Assert.Equal(state with { Present = back.Present }, back);
    }

    [Fact]
    public void Integers_saturate_to_plus_minus_max_and_the_most_negative_is_nan()
    {
        Span<byte> buf = stackalloc byte[16];
        var w = new MultiplexWriter(buf);
        w.WriteValue(MoteusRegisters.CommandPosition, MoteusResolution.Int16, 10.0);        // 100000 LSB → +32767
        w.WriteValue(MoteusRegisters.CommandVelocity, MoteusResolution.Int8, -100.0);       // −1000 LSB → −127
        w.WriteValue(MoteusRegisters.CommandMaximumTorque, MoteusResolution.Int16, double.NaN); // → 0x8000
        w.WriteValue(MoteusRegisters.CommandKpScale, MoteusResolution.Int8, 0.5);           // 63.5 → 63
        Assert.Equal(new byte[] { 0xff, 0x7f, 0x81, 0x00, 0x80, 63 }, buf[..w.Length].ToArray());
        var reply = default(MoteusReply);
        Assert.True(MoteusProtocol.TryParseReply([0x25, 0x01, 0x00, 0x80], ref reply));      // position int16 = 0x8000
        Assert.True(double.IsNaN(reply.Position));
    }

    [Fact]
    public void Varuint_registers_long_counts_errors_nop_and_malformed_payloads()
    {
        Span<byte> buf = stackalloc byte[16];
        var w = new MultiplexWriter(buf);
        w.WriteVaruint(0x130);
        Assert.Equal(new byte[] { 0xb0, 0x02 }, buf[..w.Length].ToArray());
        var r = new MultiplexReader([0x50, 0x10, 0x05, 0xb0, 0x02, 0x31, 0x20, 0x03, 0x50, 0x50]);
        Assert.True(r.TryRead(out MultiplexSubframe read));
        Assert.Equal((MultiplexSubframeKind.Read, MoteusResolution.Int8, 0x130, 5), (read.Kind, read.Resolution, read.StartRegister, read.Count));
        Assert.True(r.TryRead(out MultiplexSubframe error));
        Assert.Equal((MultiplexSubframeKind.ReadError, 0x20, 3), (error.Kind, error.StartRegister, error.ErrorNumber));
        Assert.False(r.TryRead(out _));
        Assert.False(r.Malformed);
        var reply = default(MoteusReply);
        Assert.False(MoteusProtocol.TryParseReply([0x2f, 0x01, 0x00, 0x00], ref reply));    // 3 floats announced, 2 bytes there
        Assert.False(MoteusProtocol.TryParseReply([0x41, 0x01], ref reply));                 // a stream subframe: not a reply
        Assert.True(MoteusProtocol.TryParseReply([0x30, 0x22, 0x01], ref reply));            // a write error
        Assert.Equal(1, reply.Errors);
    }

    [Theory]
    [InlineData(MoteusModes.Position, 0, 0u)]
    [InlineData(MoteusModes.Position, 99, 0u)]    // servo.max_current_A limiting: no fault
    [InlineData(MoteusModes.Stopped, 0, 0u)]
    [InlineData(MoteusModes.Fault, MoteusFaults.MotorDriverFault, MoteusFaults.InputGateDriver)]
    [InlineData(MoteusModes.Fault, MoteusFaults.DriverEnableFault, MoteusFaults.InputGateDriver)]
    [InlineData(MoteusModes.Fault, MoteusFaults.OverTemperature, MoteusFaults.InputDriveBoard)]
    [InlineData(MoteusModes.Fault, MoteusFaults.UnderVoltage, MoteusFaults.InputDriveBoard)]
    [InlineData(MoteusModes.Timeout, 0, MoteusFaults.InputDriveBoard)]
    public void Modes_and_fault_codes_map_onto_fault_inputs(int mode, int fault, uint inputs) =>
        Assert.Equal(inputs, MoteusFaults.ToFaultInputs(mode, fault));

    [Fact]
    public void Encoding_and_decoding_a_tick_allocate_nothing()
    {
        var c = new MoteusPositionCommand
        {
            Position = double.NaN, FeedforwardTorque = 0.5, MaximumTorque = 5, WatchdogTimeout = 0.1,
            Fields = MoteusPositionFields.Position | MoteusPositionFields.Velocity | MoteusPositionFields.FeedforwardTorque | MoteusPositionFields.KpScale
                | MoteusPositionFields.KdScale | MoteusPositionFields.MaximumTorque | MoteusPositionFields.WatchdogTimeout,
        };
        var state = new MoteusReply { Mode = 10, Position = 1, Voltage = 24 };
        var reply = default(MoteusReply);
        void Tick()
        {
            CanFdFrame f = MoteusProtocol.NewFrame(0, 1, true);
            var w = new MultiplexWriter(f.Data);
            MoteusProtocol.WritePosition(ref w, in c);
            MoteusProtocol.WriteQuery(ref w, MoteusQuery.WithQCurrent);
            MoteusProtocol.Finish(ref f, w.Length);
            CanFdFrame g = MoteusProtocol.NewFrame(1, 0, false);
            w = new MultiplexWriter(g.Data);
            MoteusProtocol.WriteReply(ref w, MoteusQuery.WithQCurrent, in state);
            MoteusProtocol.Finish(ref g, w.Length);
            MoteusProtocol.TryParseReply(g.Payload, ref reply);
        }
        for (int i = 0; i < 100; i++) Tick();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) Tick();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(24.0, reply.Voltage);
    }
}
