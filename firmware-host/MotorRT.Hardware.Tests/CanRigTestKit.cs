using MotorRT.Contracts;
using MotorRT.Contracts.Composition;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Sensors;
using MotorRT.Hardware.Can;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// What the wire tests of the CAN set-point rigs (<see cref="ODriveRigTests"/>, <see cref="MoteusRigTests"/>) share:
/// the sensor scaling, draining the board's end of the socket pair, the trip from another thread, the scaling checks
/// of a state frame, the zero-allocation measurement and the real kind's deferred open.
/// </summary>
internal static class CanRigTestKit
{
    /// <summary>12-bit current (<paramref name="amperesPerCount"/> A/count around 2048, 0.1 by default) and DC link (25 mV/count), 1024-line encoder without index.</summary>
    public static SensorSpec Sensors(double amperesPerCount = 0.1) => new()
    {
        Current = new CurrentSensorSpec { Bits = 12, AmperesPerCount = amperesPerCount, ZeroCounts = 2048, PhasesSensed = 1 },
        DcLink = new VoltageSensorSpec { Bits = 12, VoltsPerCount = 0.025 },
        Encoder = new EncoderSpec { LinesPerRevolution = 1024, HasIndex = false },
    };

    /// <summary>The classic frames waiting on <paramref name="board"/>.</summary>
    public static List<CanFrame> Drain(SocketCanTransport board)
    {
        var frames = new List<CanFrame>();
        while (board.TryReceive(out CanFrame f)) frames.Add(f);
        return frames;
    }

    /// <summary>The frames (classic and FD) waiting on <paramref name="board"/>.</summary>
    public static List<CanFdFrame> DrainFd(SocketCanTransport board)
    {
        var frames = new List<CanFdFrame>();
        while (board.TryReceiveFd(out CanFdFrame f)) frames.Add(f);
        return frames;
    }

    /// <summary>Calls <see cref="IRigIo.DisableBridge"/> from another thread (as the safety thread does) and waits for it.</summary>
    public static void DisableBridgeFromAnotherThread(IRigIo rig)
    {
        var t = new Thread(rig.DisableBridge);
        t.Start();
        t.Join();
    }

    /// <summary>
    /// Arms the open rig with a 0.5 N·m torque write (the board's frames drained before and after by
    /// <paramref name="drainBoard"/>), then trips it from another thread; returns that enabled command, to write again.
    /// </summary>
    public static ConverterCommand ArmThenDisableFromAnotherThread(IRigIo rig, Action drainBoard)
    {
        drainBoard();
        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 0.5, BridgeEnable = true };
        rig.Write(in cmd);
        drainBoard();
        DisableBridgeFromAnotherThread(rig);
        return cmd;
    }

    /// <summary>Writes the velocity stimulus, enabled: 4π rad/s (2 rev/s) with 0.25 N·m feed-forward.</summary>
    public static void WriteVelocitySetpoint(IRigIo rig)
    {
        var cmd = new ConverterCommand { Mode = CommandMode.VelocitySetpoint, VelocitySetpoint = 4 * Math.PI, TorqueSetpoint = 0.25, BridgeEnable = true };
        rig.Write(in cmd);
    }

    /// <summary>Asserts the frame of the state 1.5 rev, −20 A, 48 V (with <see cref="Sensors"/>), read first: sequence 1, counts, no Hall.</summary>
    public static void AssertStateCounts(in RawSensorFrame frame)
    {
        Assert.Equal(1, frame.Sequence);
        Assert.Equal(1.5 * 4096, frame.EncoderCount);
        Assert.Equal(2048 - 200, frame.CurrentCountsA);
        Assert.Equal(1920, frame.DcLinkCounts);
        Assert.Equal(-1, frame.HallState);
    }

    /// <summary>Runs <paramref name="tick"/> 100 times to warm up, then asserts 10⁴ more allocate 0 B.</summary>
    public static void AssertTicksDoNotAllocate(Action tick)
    {
        for (int i = 0; i < 100; i++) tick();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) tick();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A rig over one end of a socket pair and the board's end (disposed board first, then the rig).</summary>
    public sealed record Wire<TRig>(TRig Rig, SocketCanTransport Board) : IDisposable
        where TRig : IRigIo
    {
        /// <inheritdoc />
        public void Dispose()
        {
            Board.Dispose();
            Rig.Dispose();
        }
    }

    /// <summary>
    /// On the open <paramref name="wire"/> (disposed afterwards), runs a tick — <paramref name="sendState"/> on the
    /// board's end, a read, a torque write (0.5 N·m, enabled), <paramref name="drainBoard"/> — 100 times to warm up,
    /// then asserts 10⁴ more allocate 0 B; <paramref name="after"/> checks the rig further.
    /// </summary>
    public static void AssertReadAndWriteDoNotAllocate<TRig>(Wire<TRig> wire, Action<SocketCanTransport> sendState, Action<SocketCanTransport> drainBoard,
        Action<TRig>? after = null)
        where TRig : IRigIo
    {
        using Wire<TRig> owned = wire;
        TRig rig = wire.Rig;
        SocketCanTransport board = wire.Board;
        var frame = default(RawSensorFrame);
        var cmd = new ConverterCommand { Mode = CommandMode.TorqueSetpoint, TorqueSetpoint = 0.5, BridgeEnable = true };
        void Tick()
        {
            sendState(board);
            rig.Read(ref frame);
            rig.Write(in cmd);
            drainBoard(board);
        }
        AssertTicksDoNotAllocate(Tick);
        after?.Invoke(rig);
    }

    /// <summary>
    /// Builds the real (not emulated) rig of <paramref name="kind"/> from <paramref name="json"/> on interface nocan9:
    /// the build opens nothing (a 1 ms period, not lock-step, <see cref="IRigIo.DisableBridge"/> before open never
    /// throws); <see cref="IRigIo.Open"/> fails naming the interface. <paramref name="more"/> checks the rig further.
    /// </summary>
    public static void AssertRealKindOpensInOpen(IRigKind kind, string json, Action<IRigIo>? more = null)
    {
        var section = RawSection.Parse("r.json", json);
        var kinds = new RigKinds(kind);
        var build = kind.Create(new RigRequest(section, Sensors(), 1, null, kinds));
        using IRigIo rig = build.Rig;
        Assert.False(rig.IsLockStep);
        Assert.Equal(0.001, rig.Description.PwmPeriod, 12);
        more?.Invoke(rig);
        rig.DisableBridge();   // before Open: nothing to send, never throws
        var e = Assert.Throws<IOException>(rig.Open);
        Assert.Contains("nocan9", e.Message);
    }
}
