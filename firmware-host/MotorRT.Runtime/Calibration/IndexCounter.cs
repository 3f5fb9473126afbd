namespace MotorRT.Runtime.Calibration;

/// <summary>Counts between consecutive index pulses, from the latched count of each (the last full turn's); looked at between tick chunks.</summary>
internal sealed class IndexCounter
{
    private int _pulses = -1;
    private long _latched;

    /// <summary>Encoder counts of the last full turn between index pulses, 0 until two consecutive pulses were seen.</summary>
    public long CountsPerRevolution { get; private set; }

    /// <summary>Takes the index latch of the latest frame.</summary>
    public void Look(in MotorRT.Contracts.RawSensorFrame frame)
    {
        if (frame.EncoderIndexPulses <= 0) return;
        if (_pulses >= 0 && frame.EncoderIndexPulses == _pulses + 1) CountsPerRevolution = Math.Abs(frame.EncoderCountAtIndex - _latched);
        _pulses = frame.EncoderIndexPulses;
        _latched = frame.EncoderCountAtIndex;
    }
}
