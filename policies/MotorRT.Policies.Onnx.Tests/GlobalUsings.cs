// Namespaces nearly every test of this project uses (the contracts, the sidecar, the exporter).
global using MotorRT.Contracts;
global using MotorRT.Contracts.Configuration;
global using MotorRT.Contracts.Machines;
global using MotorRT.Policies.Onnx.Sidecar;
global using MotorRT.Policies.Training.Export;
