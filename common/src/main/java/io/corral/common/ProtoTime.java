package io.corral.common;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;

/** Conversions between protobuf's {@code Timestamp}/{@code Duration} and {@code java.time}. */
public final class ProtoTime {

  private ProtoTime() {}

  /** The instant as a protobuf timestamp. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** The current time as a protobuf timestamp. */
  public static Timestamp now() {
    return timestamp(Instant.now());
  }

  /** A protobuf timestamp as an instant (EPOCH when unset). */
  public static Instant instant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  /** A protobuf duration as a {@code java.time.Duration} (zero when unset). */
  public static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** A {@code java.time.Duration} as a protobuf duration. */
  public static com.google.protobuf.Duration protoDuration(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
