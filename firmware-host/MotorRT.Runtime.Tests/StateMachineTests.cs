using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Tests;

public class StateMachineTests
{
    [Fact]
    public void HappyPathIdleCalibratingArmedRunningIdle()
    {
        var sm = new DriveStateMachine();
        Assert.Equal(DriveState.Idle, sm.State);
        Assert.True(sm.BeginCalibration());
        Assert.Equal(DriveState.Calibrating, sm.State);
        Assert.False(sm.BridgeAllowed);
        Assert.True(sm.CompleteCalibration());
        Assert.Equal(DriveState.Armed, sm.State);
        Assert.False(sm.BridgeAllowed);
        Assert.True(sm.Start());
        Assert.True(sm.BridgeAllowed);
        Assert.True(sm.Stop());
        Assert.Equal(DriveState.Idle, sm.State);
    }

    [Fact]
    public void IllegalTransitionsAreRefused()
    {
        var sm = new DriveStateMachine();
        Assert.False(sm.Start());            // Idle → Running skips calibration
        Assert.False(sm.CompleteCalibration());
        Assert.False(sm.Reset());            // nothing latched
        Assert.False(sm.Stop());
        sm.BeginCalibration();
        Assert.False(sm.BeginCalibration());
        Assert.False(sm.Start());            // Calibrating → Running skips Armed
        Assert.Equal(DriveState.Calibrating, sm.State);
    }

    [Fact]
    public void FaultLatchesFirstCodeUntilReset()
    {
        var sm = new DriveStateMachine();
        sm.BeginCalibration(); sm.CompleteCalibration(); sm.Start();
        sm.Trip(FaultCode.OverCurrentPhaseA);
        sm.Trip(FaultCode.OverSpeed);
        Assert.Equal(DriveState.Fault, sm.State);
        Assert.Equal(FaultCode.OverCurrentPhaseA, sm.LatchedFault);
        Assert.False(sm.BridgeAllowed);
        Assert.False(sm.Start());
        Assert.False(sm.BeginCalibration());
        Assert.False(sm.Stop());             // a fault is not left by a stop
        Assert.True(sm.Reset());
        Assert.Equal(DriveState.Idle, sm.State);
        Assert.Equal(FaultCode.None, sm.LatchedFault);
        Assert.True(sm.BeginCalibration());
    }

    [Fact]
    public void TripFromEveryStateGoesToFault()
    {
        foreach (int steps in new[] { 0, 1, 2, 3 })
        {
            var sm = new DriveStateMachine();
            if (steps > 0) sm.BeginCalibration();
            if (steps > 1) sm.CompleteCalibration();
            if (steps > 2) sm.Start();
            sm.Trip(FaultCode.Watchdog);
            Assert.Equal(DriveState.Fault, sm.State);
        }
    }

    [Fact]
    public void LoopWalksTheStatesAndResetsAfterFault()
    {
        var config = TestConfigs.Config(TestConfigs.Json());
        var (loop, rig) = Harness.Build(config);
        Assert.Equal(DriveState.Idle, loop.State);
        Assert.Throws<InvalidOperationException>(() => loop.Run());
        Assert.True(loop.Calibrate());
        Assert.Equal(DriveState.Armed, loop.State);
        var result = loop.Run();
        Assert.Equal(DriveState.Idle, result.FinalState);
        Assert.Empty(result.Faults);
        Assert.False(rig.BridgeAtWrite(rig.Writes - 1));  // safe stop wrote bridge-off last

        rig.FaultInputs = 1;
        Assert.True(loop.Calibrate());
        var faulted = loop.Run();
        Assert.Equal(DriveState.Fault, faulted.FinalState);
        Assert.False(loop.Calibrate());                  // latched
        Assert.True(loop.ResetFault());
        Assert.Equal(DriveState.Idle, loop.State);
    }
}
