using System.Globalization;
using System.Text;
using MotorRT.Contracts;
using MotorRT.Contracts.Configuration;

namespace MotorRT.Runtime.Rigs;

/// <summary>
/// The raw-frame trace file: a recorded sequence of <see cref="RawSensorFrame"/>s, replayed by <see cref="ReplayRig"/>.
/// CSV, UTF-8, invariant culture, documented in <c>firmware-host/README.md</c>:
/// <code>
/// # motorrt raw-frame trace v1
/// # name=sim machine=ThreePhase converter_channels=3 pwm_period_s=0.0001 encoder_lines=1024
/// sequence,timestamp_ns,current_a,current_b,current_c,phase_c_sensed,dc_link,encoder_count,encoder_index_pulses,encoder_count_at_index,hall_state,fault_inputs
/// 0,0,2048,2048,0,0,960,0,0,0,-1,0
/// </code>
/// Every column is an integer in raw rig units (counts, ns, bit masks); <c>phase_c_sensed</c> is 0 or 1.
/// </summary>
public static class RawFrameTrace
{
    /// <summary>First line of every trace file (the format version).</summary>
    public const string Magic = "# motorrt raw-frame trace v1";

    /// <summary>The column header line.</summary>
    public const string Header = "sequence,timestamp_ns,current_a,current_b,current_c,phase_c_sensed,dc_link,encoder_count,encoder_index_pulses,encoder_count_at_index,hall_state,fault_inputs";

    private const int Columns = 12;

    /// <summary>Writes <paramref name="frames"/> with the rig's description to <paramref name="path"/> (off the real-time path).</summary>
    public static void Write(string path, RigDescription description, ReadOnlySpan<RawSensorFrame> frames)
    {
        var sb = new StringBuilder(64 * (frames.Length + 3));
        sb.Append(Magic).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"# name={description.Name} machine={description.Machine} converter_channels={description.ConverterChannels} pwm_period_s={description.PwmPeriod:R} encoder_lines={description.EncoderLinesPerRevolution}\n");
        sb.Append(Header).Append('\n');
        foreach (ref readonly RawSensorFrame f in frames)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{f.Sequence},{f.TimestampNs},{f.CurrentCountsA},{f.CurrentCountsB},{f.CurrentCountsC},{(f.PhaseCSensed ? 1 : 0)},{f.DcLinkCounts},{f.EncoderCount},{f.EncoderIndexPulses},{f.EncoderCountAtIndex},{f.HallState},{f.FaultInputs}\n");
        }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Reads a trace; errors name the file, the line and the fix.</summary>
    public static (RigDescription Description, RawSensorFrame[] Frames) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, "", "trace file not found", "check the path (record one with RecordingRig or `motorrt simulate --record-raw`)");
        }
        string[] lines = File.ReadAllLines(path);
        if (lines.Length < 3 || lines[0].Trim() != Magic)
        {
            throw new ConfigException(path, "line 1", $"not a raw-frame trace (expected \"{Magic}\")", "write the file with RawFrameTrace.Write");
        }
        RigDescription description = ParseDescription(path, lines[1]);
        if (lines[2].Trim() != Header)
        {
            throw new ConfigException(path, "line 3", "unexpected column header", $"use exactly: {Header}");
        }
        var frames = new List<RawSensorFrame>(lines.Length - 3);
        Span<long> v = stackalloc long[Columns];
        for (int n = 3; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0)
            {
                continue;
            }
            string[] cells = line.Split(',');
            if (cells.Length != Columns)
            {
                throw new ConfigException(path, $"line {n + 1}", $"expected {Columns} columns, found {cells.Length}", "every row needs all columns of the header");
            }
            for (int c = 0; c < Columns; c++)
            {
                if (!long.TryParse(cells[c], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v[c]))
                {
                    throw new ConfigException(path, $"line {n + 1}, column {Header.Split(',')[c]}", $"\"{cells[c]}\" is not an integer", "raw frames hold integer counts only");
                }
            }
            frames.Add(new RawSensorFrame
            {
                Sequence = v[0],
                TimestampNs = v[1],
                CurrentCountsA = checked((int)v[2]),
                CurrentCountsB = checked((int)v[3]),
                CurrentCountsC = checked((int)v[4]),
                PhaseCSensed = v[5] != 0,
                DcLinkCounts = checked((int)v[6]),
                EncoderCount = v[7],
                EncoderIndexPulses = checked((int)v[8]),
                EncoderCountAtIndex = v[9],
                HallState = checked((int)v[10]),
                FaultInputs = checked((uint)v[11]),
            });
        }
        return (description, frames.ToArray());
    }

    private static RigDescription ParseDescription(string path, string line)
    {
        if (!line.StartsWith('#'))
        {
            throw new ConfigException(path, "line 2", "missing rig description line", "start it with '# name=... machine=... converter_channels=... pwm_period_s=... encoder_lines=...'");
        }
        var kv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0)
            {
                throw new ConfigException(path, "line 2", $"\"{part}\" is not key=value", "write key=value pairs separated by spaces");
            }
            kv[part[..eq]] = part[(eq + 1)..];
        }
        string Get(string key) => kv.TryGetValue(key, out string? s) ? s : throw new ConfigException(path, $"line 2: {key}", "missing", $"add {key}=...");
        if (!Enum.TryParse(Get("machine"), out MachineKind machine))
        {
            throw new ConfigException(path, "line 2: machine", $"unknown machine \"{Get("machine")}\"", "use Dc or ThreePhase");
        }
        if (!int.TryParse(Get("converter_channels"), CultureInfo.InvariantCulture, out int channels) || channels is < 1 or > 4)
        {
            throw new ConfigException(path, "line 2: converter_channels", "must be an integer 1..4", "write e.g. converter_channels=3");
        }
        if (!double.TryParse(Get("pwm_period_s"), CultureInfo.InvariantCulture, out double period) || !(period > 0))
        {
            throw new ConfigException(path, "line 2: pwm_period_s", "must be a positive number of seconds", "write e.g. pwm_period_s=0.0001");
        }
        if (!int.TryParse(Get("encoder_lines"), CultureInfo.InvariantCulture, out int lines) || lines < 0)
        {
            throw new ConfigException(path, "line 2: encoder_lines", "must be a non-negative integer", "write 0 when there is no encoder");
        }
        return new RigDescription
        {
            Name = kv.TryGetValue("name", out string? name) ? name : "replay",
            Machine = machine,
            ConverterChannels = channels,
            PwmPeriod = period,
            EncoderLinesPerRevolution = lines,
        };
    }
}
