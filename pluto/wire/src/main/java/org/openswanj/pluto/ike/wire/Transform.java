package org.openswanj.pluto.ike.wire;

/** IKEv2 Transform substructure (RFC 7296 §3.3.2). {@code keyLength} is the Key Length attribute (type 14, §3.3.5) in bits, 0 when absent, {@link #UNRECOGNIZED_ATTRIBUTE} when the transform carried an attribute this codec does not know: RFC 7296 §3.3.6 says such a transform must not be chosen. */
public record Transform(TransformType type, int id, int keyLength) {
  /** Marker for a transform with an unknown attribute. */
  public static final int UNRECOGNIZED_ATTRIBUTE = -1;

  public Transform(TransformType type, int id) {
    this(type, id, 0);
  }

  /** RFC 7296 §3.3.6: a transform with an attribute we do not understand is not acceptable. */
  public boolean hasUnrecognizedAttribute() {
    return keyLength == UNRECOGNIZED_ATTRIBUTE;
  }
}
