namespace MotorRT.Hardware.RaspberryPi;

/// <summary>A quadrature encoder count source. <see cref="Sample"/> runs on the real-time path and must not allocate.</summary>
public interface IQuadratureCounter : IDisposable
{
    /// <summary>Starts counting from zero (called when the rig opens).</summary>
    void Start();

    /// <summary>The present count (4 per line), the index pulses seen and the count latched at the last one.</summary>
    void Sample(out long count, out int indexPulses, out long countAtIndex);

    /// <summary>Transitions that skipped a state (both A and B changed: an edge was missed), since <see cref="Start"/>.</summary>
    long IllegalTransitions { get; }
}
