
namespace MotorRT.Policies.Training.Imitation;

/// <summary>Supervised pairs (encoded observation → expert action), stored row-major in double precision.</summary>
public sealed class ImitationDataset
{
    private readonly List<double> _inputs = [];
    private readonly List<double> _targets = [];

    /// <summary>Creates an empty dataset with fixed input and target widths.</summary>
    public ImitationDataset(int inputSize, int targetSize)
    {
        if (inputSize <= 0 || targetSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), "sizes must be positive");
        InputSize = inputSize;
        TargetSize = targetSize;
    }

    /// <summary>Width of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Width of a target row.</summary>
    public int TargetSize { get; }

    /// <summary>Number of pairs.</summary>
    public int Count => _targets.Count / TargetSize;

    /// <summary>Adds one pair.</summary>
    public void Add(ReadOnlySpan<double> input, ReadOnlySpan<double> target)
    {
        if (input.Length != InputSize || target.Length != TargetSize) throw new ArgumentException("row width does not match the dataset");
        foreach (double v in input) _inputs.Add(v);
        foreach (double v in target) _targets.Add(v);
    }

    /// <summary>Input row <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Input(int i) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_inputs).Slice(i * InputSize, InputSize);

    /// <summary>Target row <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Target(int i) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_targets).Slice(i * TargetSize, TargetSize);
}
