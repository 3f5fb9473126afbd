using Iot.Device.Adc;
using Iot.Device.Ads1115;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>One conversion of one single-ended ADC channel, in counts. Implementations must not allocate.</summary>
public interface IAdcSampler : IDisposable
{
    /// <summary>Resolution, in bits.</summary>
    int Bits { get; }

    /// <summary>Converts <paramref name="channel"/> now and returns the result, in counts.</summary>
    int Read(int channel);
}

/// <summary>An MCP3004/3008/3204/3208 through Iot.Device.Bindings (one SPI transfer of 3 bytes per conversion).</summary>
public sealed class Mcp3xxxSampler : IAdcSampler
{
    private readonly Mcp3xxx _adc;

    /// <summary>Wraps a binding instance (owned: disposed with this sampler).</summary>
    public Mcp3xxxSampler(Mcp3xxx adc, int bits)
    {
        _adc = adc;
        Bits = bits;
    }

    /// <inheritdoc />
    public int Bits { get; }

    /// <inheritdoc />
    public int Read(int channel) => _adc.Read(channel);

    /// <inheritdoc />
    public void Dispose() => _adc.Dispose();
}

/// <summary>
/// An ADS1115 through Iot.Device.Bindings: single-ended, ±4.096 V range, 860 samples/s, single-shot per read
/// (a config write, a busy poll and a conversion read over I2C per sample) — the slow option (DC link, slow loops).
/// </summary>
public sealed class Ads1115Sampler : IAdcSampler
{
    private readonly Ads1115 _adc;

    /// <summary>Wraps a binding instance (owned).</summary>
    public Ads1115Sampler(Ads1115 adc) => _adc = adc;

    /// <inheritdoc />
    public int Bits => 15;

    /// <inheritdoc />
    public int Read(int channel)
    {
        InputMultiplexer mux = channel switch
        {
            0 => InputMultiplexer.AIN0,
            1 => InputMultiplexer.AIN1,
            2 => InputMultiplexer.AIN2,
            _ => InputMultiplexer.AIN3,
        };
        return Math.Max((int)_adc.ReadRaw(mux, MeasuringRange.FS4096, DataRate.SPS860), 0);
    }

    /// <inheritdoc />
    public void Dispose() => _adc.Dispose();
}
