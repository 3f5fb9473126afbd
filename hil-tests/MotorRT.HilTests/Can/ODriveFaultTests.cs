using MotorRT.Contracts;
using MotorRT.Hardware;
using MotorRT.Hardware.Emulation;
using MotorRT.Hardware.ODrive;
using MotorRT.Runtime.Composition;
using MotorRT.Runtime.Configuration;
using MotorRT.Runtime.Loop;
using MotorRT.Runtime.Safety;
using MotorRT.Sim.Rig;

namespace MotorRT.HilTests.Can;

/// <summary>
/// The fault suite of the ODrive CAN rig: examples/pmdc-speed-odrive.json composed as <c>motorrt simulate</c> composes
/// it (the ODrive rig over the socket pair, the emulated board over the twin), run tick by tick at 1 kHz; faults are
/// injected on the board. Each trips in the tick it becomes visible on the bus and the board is idle after that tick
/// (the trip's Set_Axis_State(IDLE) went out and was applied in the same tick).
/// </summary>
public class ODriveFaultTests
{
    private static readonly DriveRegistry Registry = DriveRegistry.Create([new SimRigKind(), .. HardwareRigKinds.All]);

    private sealed record Armed(ControlLoop Loop, ODriveRig Rig, EmulatedODrive Board) : IDisposable
    {
        public void Dispose() => Loop.Dispose();
    }

    private static Armed Arm()
    {
        RuntimeConfig config = RuntimeConfig.Load(RepoFiles.Example("pmdc-speed-odrive.json"));
        Drive d = DriveBuilder.Build(config, Registry);
        var rig = (ODriveRig)d.Rig;
        var board = (EmulatedODrive)rig.World!;
        d.Loop.Open();
        Assert.True(d.Loop.Calibrate(), "calibration failed");
        d.Loop.Start();
        d.Loop.RunTicks(300);   // 0.3 s: at 50 rad/s, board in closed loop
        Assert.Equal(DriveState.Running, d.Loop.State);
        Assert.Equal(CanSimple.StateClosedLoop, board.State);
        Assert.True(board.TorqueCommands > 250);
        return new Armed(d.Loop, rig, board);
    }

    /// <summary>Ticks until the drive trips (at most <paramref name="maxTicks"/>); returns the ticks it took.</summary>
    private static int TicksToTrip(Armed a, FaultCode expected, int maxTicks)
    {
        long idleBefore = a.Board.IdleRequests;
        for (int k = 1; k <= maxTicks; k++)
        {
            a.Loop.RunTicks(1);
            if (a.Loop.State == DriveState.Fault)
            {
                Assert.Equal(expected, a.Loop.States.LatchedFault);
                Assert.False(a.Loop.LastCommand.BridgeEnable);
                Assert.Equal(CanSimple.StateIdle, a.Board.State);          // idle within the trip tick
                Assert.True(a.Board.IdleRequests > idleBefore, "no Set_Axis_State(IDLE) reached the board in the trip tick");
                long torqueCommands = a.Board.TorqueCommands;
                a.Loop.RunTicks(5);
                Assert.Equal(torqueCommands, a.Board.TorqueCommands);      // no set-point after the trip
                Assert.Equal(CanSimple.StateIdle, a.Board.State);
                return k;
            }
        }
        Assert.Fail($"{expected} did not trip within {maxTicks} ticks");
        return -1;
    }

    [Theory]
    [InlineData(ODriveErrors.MotorOverTemp, FaultCode.DriveBoardFault)]
    [InlineData(ODriveErrors.DrvFault, FaultCode.GateDriverFault)]
    [InlineData(ODriveErrors.CurrentLimitViolation, FaultCode.HardwareOverCurrent)]
    public void Board_error_maps_onto_our_fault_code_at_the_next_heartbeat(uint axisError, FaultCode expected)
    {
        using Armed a = Arm();
        a.Board.InjectAxisError(axisError);
        int k = TicksToTrip(a, expected, maxTicks: a.Board.HeartbeatPeriods + 1);
        Assert.InRange(k, 1, a.Board.HeartbeatPeriods + 1);
        Assert.Equal(axisError, a.Rig.AxisError);
    }

    [Fact]
    public void Heartbeat_loss_trips_rig_io_after_the_timeout_and_idles_the_board()
    {
        using Armed a = Arm();
        a.Board.HeartbeatSilent = true;   // estimates still arrive: only the heartbeat is missing
        int k = TicksToTrip(a, FaultCode.RigIo, maxTicks: 100);
        // more than heartbeat_timeout (0.05 s = 50 ticks) after the last heartbeat read, which is one every 10 ticks
        // and may still be read in the first tick (it was sent before the silence)
        Assert.InRange(k, 42, 52);
    }

    [Fact]
    public void Board_gone_silent_trips_rig_io()
    {
        using Armed a = Arm();
        a.Board.Silent = true;
        int k = TicksToTrip(a, FaultCode.RigIo, maxTicks: 100);
        // the first tick still reads what the board sent before it fell silent; then rig_failures late frames in a row
        // trip (before the heartbeat timeout)
        Assert.Equal(a.Loop.Limits.RigFailures + 1, k);
    }

    [Fact]
    public void Bus_off_trips_rig_io_in_the_tick_it_is_reported()
    {
        using Armed a = Arm();
        a.Board.InjectBusOff();
        Assert.Equal(1, TicksToTrip(a, FaultCode.RigIo, maxTicks: 1));
    }

    [Fact]
    public void Late_frames_are_counted_and_trip_only_rig_failures_in_a_row()
    {
        using Armed a = Arm();
        int n = a.Loop.Limits.RigFailures;
        a.Board.DelayEstimates(n - 1);      // one short of the limit: ridden through
        a.Loop.RunTicks(n + 5);
        Assert.Equal(DriveState.Running, a.Loop.State);
        Assert.Equal(n - 1, a.Rig.LateFrames);
        a.Board.DelayEstimates(n);
        Assert.Equal(n + 1, TicksToTrip(a, FaultCode.RigIo, maxTicks: n + 2));   // the first tick reads the estimate sent before
    }

    [Fact]
    public void Running_ticks_on_the_can_rig_allocate_nothing()
    {
        using Armed a = Arm();
        a.Loop.RunTicks(200);
        long before = GC.GetAllocatedBytesForCurrentThread();
        a.Loop.RunTicks(1000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(DriveState.Running, a.Loop.State);
    }
}
