namespace MotorRT.Policies.Onnx.Format;

/// <summary>ONNX tensor element types (TensorProto.DataType) used by MotorRT.</summary>
public enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>32-bit IEEE float.</summary>
    Float = 1,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 7,

    /// <summary>64-bit IEEE float.</summary>
    Double = 11,
}
