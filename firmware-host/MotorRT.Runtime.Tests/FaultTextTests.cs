using MotorRT.Contracts;
using MotorRT.Runtime.Safety;

namespace MotorRT.Runtime.Tests;

public class FaultTextTests
{
    [Fact]
    public void A_fault_reads_as_quantity_value_limit_unit_and_tick()
    {
        string s = FaultText.Describe(new FaultRecord(FaultCode.OverCurrentPhaseA, 1234, 0.1234, -251.5, 210));
        Assert.Equal("OverCurrentPhaseA (Motor) at tick 1234 (t = 0.1234 s): phase current i_a -251.5 A beyond the limit ±210 A", s);
    }

    [Fact]
    public void Link_loss_calibration_and_out_of_domain_never_read_as_bare_numbers_or_NaN()
    {
        string link = FaultText.Describe(new FaultRecord(FaultCode.RigIo, 50, 0.005, (double)RigIoStatus.Timeout, 3));
        Assert.Contains("3 failed rig reads/writes in a row, the last Timeout", link);
        Assert.Contains("the rig reports its link lost", FaultText.Describe(new FaultRecord(FaultCode.RigIo, 50, 0.005, (double)RigIoStatus.LinkLost, 3)));
        string cal = FaultText.Describe(new FaultRecord(FaultCode.CalibrationOffset, -1, 0, 400, 200));
        Assert.Contains("while arming", cal);
        Assert.Contains("400 counts", cal);
        Assert.Contains("200 counts", cal);
        string ood = FaultText.Describe(new FaultRecord(FaultCode.ControllerOutOfDomain, 7, 7e-4, double.NaN, double.NaN));
        Assert.DoesNotContain("NaN", ood);
        Assert.Contains("domain", ood);
        Assert.DoesNotContain("FaultRecord", FaultText.Describe([new FaultRecord(FaultCode.Watchdog, 1, 1e-4, double.NaN, double.NaN)]));
    }
}
