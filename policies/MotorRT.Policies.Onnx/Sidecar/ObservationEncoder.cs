using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;
using MotorRT.Contracts.Machines;

namespace MotorRT.Policies.Onnx.Sidecar;

/// <summary>
/// Turns a <see cref="MotorObservation"/> (SI) into the policy's float32 input vector exactly as the sidecar says:
/// each quantity divided by its limit (GEM), then optionally SB3 VecNormalize. Allocation-free per call; the same
/// code builds training data, so training and inference cannot disagree.
/// </summary>
public sealed class ObservationEncoder
{
    private readonly ObservationQuantity[] _quantities;
    private readonly double[] _inverseLimit;
    private readonly double[]? _mean;
    private readonly double[]? _inverseStd;
    private readonly double _clip;
    private readonly MachineParameters? _motor;

    /// <summary>Creates the encoder; <paramref name="motor"/> is needed only for <see cref="ObservationQuantity.Torque"/>.</summary>
    public ObservationEncoder(IReadOnlyList<ObservationEntry> layout, VecNormalizeSpec? vecNormalize, MotorParameters? motor, string file = "(sidecar)")
    {
        ArgumentNullException.ThrowIfNull(layout);
        MachineParameters? machine = motor?.ToTyped();
        _quantities = new ObservationQuantity[layout.Count];
        _inverseLimit = new double[layout.Count];
        for (int i = 0; i < layout.Count; i++)
        {
            _quantities[i] = layout[i].Quantity;
            _inverseLimit[i] = 1.0 / layout[i].Limit;
            if (!ObservationQuantities.CanRead(layout[i].Quantity, machine))
            {
                throw layout[i].Quantity == ObservationQuantity.Torque
                    ? new ConfigException(file, $"observation[{i}].quantity", $"the torque of a {machine?.Machine.Id ?? "(no motor given)"} cannot be estimated from currents here",
                        "observe currents instead, or use a DC or synchronous machine")
                    : new ConfigException(file, $"observation[{i}].quantity", $"{layout[i].Quantity} needs the motor parameters, and none were given",
                        "create the policy with the motor of the config");
            }
        }
        if (vecNormalize is not null)
        {
            _mean = (double[])vecNormalize.Mean.Clone();
            _inverseStd = new double[layout.Count];
            for (int i = 0; i < layout.Count; i++) _inverseStd[i] = 1.0 / Math.Sqrt(vecNormalize.Variance[i] + vecNormalize.Epsilon);
            _clip = vecNormalize.Clip;
        }
        _motor = machine;
    }

    /// <summary>Length of the encoded vector.</summary>
    public int Size => _quantities.Length;

    /// <summary>Writes the encoded observation into <paramref name="destination"/> (length ≥ <see cref="Size"/>).</summary>
    public void Encode(in MotorObservation obs, Span<float> destination)
    {
        for (int i = 0; i < _quantities.Length; i++)
        {
            double x = Read(in obs, _quantities[i]) * _inverseLimit[i];
            if (_mean is not null) x = Math.Clamp((x - _mean[i]) * _inverseStd![i], -_clip, _clip);
            destination[i] = (float)x;
        }
    }

    /// <summary>Encodes into a double span (for training data).</summary>
    public void Encode(in MotorObservation obs, Span<double> destination)
    {
        for (int i = 0; i < _quantities.Length; i++)
        {
            double x = Read(in obs, _quantities[i]) * _inverseLimit[i];
            if (_mean is not null) x = Math.Clamp((x - _mean[i]) * _inverseStd![i], -_clip, _clip);
            destination[i] = x;
        }
    }

    /// <summary>The raw SI value of one quantity.</summary>
    public double Read(in MotorObservation o, ObservationQuantity q) => ObservationQuantities.Read(q, in o, _motor);
}
