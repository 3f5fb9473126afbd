using MotorRT.Cli.Bench;
using MotorRT.Cli.Commands;

namespace MotorRT.Cli.Tests;

public class JitterCyclictestTests
{
    // rt-tests 2.4 `cyclictest -q -t1 -h 20000` output, shortened: 100 wake-ups, 98 at 3 µs, 1 at 41 µs, 1 overflow.
    private const string Output = """
        # /dev/cpu_dma_latency set to 0us
        # Histogram
        000000 000000
        000001 000000
        000002 000000
        000003 000098
        000041 000001
        # Total: 000000100
        # Min Latencies: 00003
        # Avg Latencies: 00004
        # Max Latencies: 17518
        # Histogram Overflows: 00001
        # Histogram Overflow at cycle number:
        # Thread 0: 00057
        """;

    [Fact]
    public void HistogramGivesP99MaxAndOverflows()
    {
        CyclictestResult r = Assert.IsType<CyclictestResult>(Cyclictest.Parse(Output));
        Assert.Equal(100, r.Cycles);
        Assert.Equal(41, r.P99);       // the 99th of 100 wake-ups
        Assert.Equal(17518, r.Max);
        Assert.Equal(1, r.Overflows);
    }

    [Fact]
    public void P99InTheOverflowReadsAsTheHistogramLimit()
    {
        string output = Output.Replace("000041 000001", "").Replace("# Histogram Overflows: 00001", "# Histogram Overflows: 00002");
        Assert.Equal(Cyclictest.HistogramLimitUs, Cyclictest.Parse(output)!.P99);
    }

    [Fact]
    public void OutputWithoutASummaryIsNoResult()
    {
        Assert.Null(Cyclictest.Parse("cyclictest: invalid option -- 'z'\n"));
    }

    [Fact]
    public void ArgumentsCarryTheLoopsPeriodPriorityAffinityAndMlock()
    {
        Assert.Equal(["-q", "-t1", "-i", "50", "-D", "5", "-h", "20000", "-p", "80", "-a", "1", "-m"], Cyclictest.Arguments(20_000, 5, 80, 1, true));
        Assert.Equal(["-q", "-t1", "-i", "100", "-D", "1", "-h", "20000"], Cyclictest.Arguments(10_000, 0.5, 0, -1, false));
    }

    [Fact]
    public void MissingCyclictestIsFoundMissing()
    {
        string empty = Directory.CreateTempSubdirectory("motorrt-nopath").FullName;
        Assert.Null(Cyclictest.Find(empty));
        File.WriteAllText(Path.Combine(empty, "cyclictest"), "");
        Assert.Equal(Path.Combine(empty, "cyclictest"), Cyclictest.Find(empty));
        Directory.Delete(empty, true);
    }

    [Fact]
    public void TraceWriterCasesAreListedAsRowRates()
    {
        BenchCase csv = Assert.Single(BenchCatalog.All(), x => x.Name == "trace-writer-csv");
        BenchCase parquet = Assert.Single(BenchCatalog.All(), x => x.Name == "trace-writer-parquet");
        Assert.Equal("writer", csv.Kind);
        Assert.True(BenchRunner.IsRate(parquet.Kind));
        Assert.True(parquet.Run(1 << 12) > 0);   // the workload throws when the writer failed or lost a row
    }

    [Fact]
    public void SimulateCasesRunTheShippedExamplesThroughTheSimulateCommand()
    {
        BenchCase pmdc = Assert.Single(BenchCatalog.All(), x => x.Name == "simulate-pmdc-current-dec10");
        Assert.Single(BenchCatalog.All(), x => x.Name == "simulate-pmsm-speed-dec10");
        Assert.Equal("loop", pmdc.Kind);
        Assert.True(pmdc.Run(5_000) > 0);   // throws when simulate exits non-zero
    }
}
