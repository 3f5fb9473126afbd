namespace MotorRT.Runtime.Safety;

/// <summary>States of the drive (ODrive-style axis states).</summary>
public enum DriveState
{
    /// <summary>Bridge off, nothing measured yet or after a safe stop.</summary>
    Idle = 0,
    /// <summary>Bridge off, measuring current-sensor offsets.</summary>
    Calibrating = 1,
    /// <summary>Calibrated, bridge off, ready to run.</summary>
    Armed = 2,
    /// <summary>Closed loop: the controller drives the bridge.</summary>
    Running = 3,
    /// <summary>A trip happened: bridge off, latched until <see cref="DriveStateMachine.Reset"/>.</summary>
    Fault = 4,
}

/// <summary>
/// The transition rules: Idle → Calibrating → Armed → Running; Running → Idle (safe stop); Armed → Idle (disarm);
/// any state → Fault (trip); Fault → Idle only through <see cref="Reset"/>. Anything else is refused (returns false).
/// Single-threaded (the loop thread owns it); <see cref="State"/> may be read from other threads.
/// </summary>
public sealed class DriveStateMachine
{
    private volatile DriveState _state = DriveState.Idle;

    /// <summary>Current state.</summary>
    public DriveState State => _state;

    /// <summary>The first fault that latched the Fault state (None when not in Fault).</summary>
    public FaultCode LatchedFault { get; private set; }

    /// <summary>True when the bridge may switch (only in Running).</summary>
    public bool BridgeAllowed => _state == DriveState.Running;

    /// <summary>Idle → Calibrating.</summary>
    public bool BeginCalibration() => Move(DriveState.Idle, DriveState.Calibrating);

    /// <summary>Calibrating → Armed.</summary>
    public bool CompleteCalibration() => Move(DriveState.Calibrating, DriveState.Armed);

    /// <summary>Armed → Running.</summary>
    public bool Start() => Move(DriveState.Armed, DriveState.Running);

    /// <summary>Safe stop: Running or Armed → Idle (the bridge is already off when this is called).</summary>
    public bool Stop()
    {
        DriveState s = _state;
        if (s is not (DriveState.Running or DriveState.Armed or DriveState.Calibrating)) return false;
        _state = DriveState.Idle;
        return true;
    }

    /// <summary>Any state → Fault; the first code is latched, later ones are only recorded by the supervisor.</summary>
    public void Trip(FaultCode code)
    {
        if (_state != DriveState.Fault) LatchedFault = code;
        _state = DriveState.Fault;
    }

    /// <summary>Fault → Idle (clears the latch). Returns false in any other state.</summary>
    public bool Reset()
    {
        if (_state != DriveState.Fault) return false;
        LatchedFault = FaultCode.None;
        _state = DriveState.Idle;
        return true;
    }

    private bool Move(DriveState from, DriveState to)
    {
        if (_state != from) return false;
        _state = to;
        return true;
    }
}
